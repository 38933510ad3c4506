"""scripts/nightly.sh end to end: the nightly job as GitHub runs it, minus GitHub.

Each test builds a throwaway copy of the site (mkdocs.yml, docs/, overrides/, .gitignore and
a feeds.txt pointing at feeds that conftest's real HTTP server serves on 127.0.0.1), pushes it
to a bare git repository standing in for GitHub, and runs the script in a shallow clone of it,
as actions/checkout leaves the runner. A pre-receive hook on the bare repository logs every ref
update, so a force push would show even though the remote would accept it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FeedServer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "nightly.sh"
BOT = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
EDITOR = {"GIT_AUTHOR_NAME": "Erin Editor", "GIT_AUTHOR_EMAIL": "erin@example.org",
          "GIT_COMMITTER_NAME": "Erin Editor", "GIT_COMMITTER_EMAIL": "erin@example.org"}
NOW = datetime.now(timezone.utc).replace(microsecond=0)


# --- Feeds on 127.0.0.1 ------------------------------------------------------------------

def rss(title: str, slug: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed with ``items`` as (headline, text), newest first, an hour apart."""
    entries = []
    for number, (headline, text) in enumerate(items):
        link = f"https://news.example.org/{slug}/{number}"
        date = format_datetime(NOW - timedelta(hours=number + 1))
        entries.append(f"""
    <item>
      <title>{escape(headline)}</title>
      <link>{link}</link>
      <guid isPermaLink="true">{link}</guid>
      <pubDate>{date}</pubDate>
      <category>World</category>
      <description>{escape(f"<p>{text}</p>")}</description>
    </item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(title)}</title>
    <link>https://news.example.org/{slug}/</link>
    <description>Test feed {escape(title)}</description>{"".join(entries)}
  </channel>
</rss>
""".encode()


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


# --- A site in git, with a bare "GitHub" remote ------------------------------------------

def git_env(**extra: str) -> dict[str, str]:
    """No global or system git config, as on a fresh runner: no identity unless given."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "GITHUB_", "DIGEST_"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", **extra)
    return env


def git(cwd: Path, *args: str, **extra: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=git_env(**extra), text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


PRE_RECEIVE = """#!/bin/sh
# Logs every ref update as "old new ref kind", kind being "forced" when the update drops
# commits; refuses every push while the file 'refuse' exists. (The pushed objects are only
# readable here, before git accepts or discards them.)
while read -r old new ref; do
    kind=fast-forward
    case "$old" in
        *[!0]*) git merge-base --is-ancestor "$old" "$new" || kind=forced ;;
    esac
    echo "$old $new $ref $kind" >> "$GIT_DIR/pushes.log"
done
if [ -e "$GIT_DIR/refuse" ]; then echo "refused by the test's hook" >&2; exit 1; fi
"""


@dataclass
class Site:
    remote: Path
    work: Path
    summary: Path
    server: Any           # conftest's FeedServer
    runs: list[subprocess.CompletedProcess] = field(default_factory=list)

    def run(self, **env: str) -> subprocess.CompletedProcess:
        """scripts/nightly.sh in the work clone, as the workflow runs it."""
        result = subprocess.run(
            [str(SCRIPT)], cwd=self.work, text=True, capture_output=True, timeout=240,
            env=git_env(DIGEST_PUSH_REMOTE="origin", DIGEST_SUMMARY=str(self.summary),
                        DIGEST_BIN=str(Path(sys.executable).parent), **env))
        self.runs.append(result)
        return result

    def remote_head(self) -> str:
        return git(self.remote, "rev-parse", "main")

    def remote_files(self, under: str = "docs/posts") -> set[str]:
        return set(git(self.remote, "ls-tree", "-r", "--name-only", "main", "--", under).split())

    def editor_push(self, tmp: Path, files: dict[str, str | None], message: str) -> str:
        """An editor's commit, pushed from their own clone: path -> text, or None to delete."""
        clone = tmp / "editor"
        if not clone.exists():
            git(tmp, "clone", "--quiet", f"file://{self.remote}", str(clone))
        git(clone, "pull", "--quiet", "--ff-only")
        for path, text in files.items():
            target = clone / path
            if text is None:
                git(clone, "rm", "--quiet", path)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                git(clone, "add", path)
        git(clone, "commit", "--quiet", "-m", message, **EDITOR)
        git(clone, "push", "--quiet", "origin", "HEAD:main")
        return git(clone, "rev-parse", "HEAD")

    def pushes(self) -> list[tuple[str, str, str, str]]:
        log = self.remote / "pushes.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [tuple(line.split()) for line in lines]

    def assert_never_forced(self) -> None:
        for old, new, ref, kind in self.pushes():
            assert kind == "fast-forward", f"{ref} was rewritten: {old} -> {new} (force push)"


def output(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.fixture
def site(tmp_path, feed_server) -> Site:
    """Overrides conftest's `site`: the site in git, with a remote, two feeds and a dead one."""
    return make_site(tmp_path, feed_server, dead_feed=True)


@pytest.fixture(scope="module")
def first_healthy_run(tmp_path_factory):
    """A site with healthy feeds only after its first nightly run, made once for the module
    (the run is the expensive part: fetch, check, pages, a build, publish); tests that go on
    from there get a copy of it (``after_first_run``). Its feed server lives as long."""
    server = FeedServer()
    server.thread.start()
    site = make_site(tmp_path_factory.mktemp("nightly"), server, dead_feed=False)
    first = site.run()
    assert first.returncode == 0, output(first)
    yield site
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def after_first_run(first_healthy_run, tmp_path) -> Site:
    """A copy of ``first_healthy_run``'s remote and clone (the clone's origin pointed at the
    copied remote), for a test to change as it likes."""
    shared = first_healthy_run
    root = tmp_path / "site"
    shutil.copytree(shared.remote.parent, root, symlinks=True)
    site = Site(remote=root / shared.remote.name, work=root / shared.work.name,
                summary=root / shared.summary.name, server=shared.server)
    git(site.work, "remote", "set-url", "origin", f"file://{site.remote}")
    shutil.rmtree(site.work / "site")    # so a test sees what its own run builds
    return site


def make_site(tmp_path: Path, feed_server: Any, dead_feed: bool) -> Site:
    feed_server.add("/world.xml", rss("World Wire", "world", [
        ("Talks resume in Geneva", "Delegations met again on Monday after a month's pause."),
        ("Harvest forecast lowered", "A dry summer cut the expected grain harvest by a tenth."),
    ]))
    feed_server.add("/science.xml", rss("Science Desk", "science", [
        ("Probe reaches Jupiter orbit", "The probe fired its engine for 38 minutes."),
    ]))
    seed = tmp_path / "seed"
    seed.mkdir()
    for name in ("mkdocs.yml", ".gitignore"):
        shutil.copy2(ROOT / name, seed / name)
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, seed / name, ignore=shutil.ignore_patterns("__pycache__"))
    feeds = ("# Feeds for the nightly test\n"
             f"{feed_server.url('/world.xml')} World Wire\n"
             f"{feed_server.url('/science.xml')} Science Desk\n")
    if dead_feed:
        feeds += f"{feed_server.url('/gone.xml')} Gone Gazette\n"   # a 404: warns, does not fail
    (seed / "feeds.txt").write_text(feeds, encoding="utf-8")
    git(seed, "init", "--quiet", "-b", "main")
    git(seed, "add", "-A")    # .gitignore keeps generated pages out, as in the real repository
    git(seed, "commit", "--quiet", "-m", "The site", **EDITOR)

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(PRE_RECEIVE)
    hook.chmod(0o755)
    git(seed, "push", "--quiet", f"file://{remote}", "main")

    # actions/checkout fetches one commit deep.
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", "--depth", "1", "--branch", "main",
        f"file://{remote}", str(work))
    return Site(remote=remote, work=work, summary=tmp_path / "summary.md", server=feed_server)


# --- The tests ---------------------------------------------------------------------------

def test_first_run_commits_new_posts_as_the_bot_and_builds_the_site(site):
    before = site.remote_head()
    posts_before = site.remote_files()

    result = site.run()

    assert result.returncode == 0, output(result)
    # One commit by the bot, on top of the editors' history, with the posts and the state.
    assert git(site.remote, "rev-parse", "main~1") == before
    assert git(site.remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "main") == f"{BOT}|{BOT}"
    changed = set(git(site.remote, "show", "--name-only", "--format=", "main").split())
    new_posts = site.remote_files() - posts_before
    assert len(new_posts) == 3, output(result)
    assert changed == new_posts | {"digest-state.json", "digest-stories.json"}, \
        "only posts, the state file and the stories they form"
    assert all(path.endswith(".md") for path in new_posts)
    assert "3 new post(s)" in git(site.remote, "log", "-1", "--format=%s", "main")
    site.assert_never_forced()
    # The site is built, with the new articles in it.
    assert (site.work / "site" / "index.html").is_file()
    html = "\n".join(p.read_text(encoding="utf-8") for p in (site.work / "site").rglob("*.html"))
    for headline in ("Talks resume in Geneva", "Harvest forecast lowered",
                     "Probe reaches Jupiter orbit"):
        assert headline in html
    # The report went to the summary: counts, the failing feed, and what the job committed.
    summary = site.summary.read_text(encoding="utf-8")
    assert "3 feeds: 2 fetched" in summary and "1 failed" in summary
    assert site.server.url("/gone.xml") in summary
    assert "Committed" in summary and "Pushed to origin/main." in summary
    assert "Gone Gazette" in result.stdout + result.stderr
    # Nothing is left uncommitted but build outputs (git-ignored).
    assert git(site.work, "status", "--porcelain") == ""
    # digest fetch ended with the site step; nothing came in since, so it is not run again.
    assert "The pages digest fetch wrote are current" in result.stdout
    assert (site.work / ".digest-cache" / "posts.pickle").is_file()


def test_second_run_with_nothing_new_makes_no_commit(after_first_run):
    # With healthy feeds only: the state file records each failing feed's failure count,
    # so a feed that keeps failing changes the state (and makes a commit) every night.
    site = after_first_run
    assert "Committed" in site.summary.read_text(encoding="utf-8"), "the first run committed"
    head = site.remote_head()
    pushes = len(site.pushes())

    second = site.run()

    assert second.returncode == 0, output(second)
    assert site.remote_head() == head, "a run with nothing new must not commit"
    assert git(site.work, "rev-parse", "HEAD") == head
    assert len(site.pushes()) == pushes, "nothing to push, so no push"
    assert git(site.work, "status", "--porcelain") == "", "the state file must be deterministic"
    assert "Nothing new: no commit." in site.summary.read_text(encoding="utf-8")
    assert (site.work / "site" / "index.html").is_file()


def test_an_editors_push_meanwhile_is_rebased_over_not_forced(site, tmp_path):
    # The job checked out main; then an editor pushes a post before the job pushes.
    mine = site.editor_push(tmp_path, {"docs/posts/editors/letter.md": (
        "---\ntitle: A letter from the editor\ndate: 2026-11-23 09:30\n"
        "categories: [Announcements]\n---\n\nThank you for reading.\n")}, "A letter")

    result = site.run()

    assert result.returncode == 0, output(result)
    assert "rebasing" in result.stdout
    # The bot's commit sits on top of the editor's; history was only ever extended.
    assert git(site.remote, "rev-parse", "main~1") == mine
    assert git(site.remote, "log", "-1", "--format=%an <%ae>", "main") == BOT
    assert git(site.remote, "log", "-1", "--format=%an", "main~1") == "Erin Editor"
    # Seed, editor, bot: git saw the bot's first push was behind and did not send it.
    assert len(site.pushes()) == 3
    site.assert_never_forced()
    # The site was built from the rebased tree, so it has the editor's post too.
    html = "\n".join(p.read_text(encoding="utf-8") for p in (site.work / "site").rglob("*.html"))
    assert "A letter from the editor" in html and "Probe reaches Jupiter orbit" in html
    assert "after rebasing" in site.summary.read_text(encoding="utf-8")
    # The editor's post came in after digest fetch's site step: digest pages ran again.
    assert "are current" not in result.stdout
    assert re.search(r"^pages: \d+ written", result.stdout, re.MULTILINE), result.stdout


def test_a_second_rejection_fails_the_job_without_forcing(site):
    head = site.remote_head()
    pushes = len(site.pushes())
    (site.remote / "refuse").touch()    # e.g. a branch rule: every push is refused

    result = site.run()

    assert result.returncode != 0, output(result)
    assert "Error: push to origin/main rejected twice" in result.stderr
    assert len(site.pushes()) == pushes + 2, "exactly one retry"
    assert site.remote_head() == head
    site.assert_never_forced()
    assert not (site.work / "site").exists(), "a failed run does not build"


def test_edited_and_deleted_posts_survive_the_next_run(after_first_run, tmp_path):
    site = after_first_run
    geneva, harvest = _two_world_posts(site)
    edited = git(site.remote, "show", f"main:{geneva}") + "\n\nEditor's note: corrected.\n"
    site.editor_push(tmp_path, {geneva: edited, harvest: None}, "Edit one post, delete another")
    head = site.remote_head()
    git(site.work, "pull", "--quiet", "--ff-only")

    again = site.run()

    assert again.returncode == 0, output(again)
    # Nothing new from the feeds: at most the stories file follows the deleted post out of
    # its story; no post is written, brought back or overwritten.
    changed = set(git(site.remote, "diff", "--name-only", head, "main").split())
    assert changed <= {"digest-stories.json"}, changed
    assert harvest not in site.remote_files()
    assert not (site.work / harvest).exists()
    assert "Editor's note: corrected." in (site.work / geneva).read_text(encoding="utf-8")


def _two_world_posts(site: Site) -> tuple[str, str]:
    """The generated posts for the Geneva talks and the harvest, found by their text."""
    found = {}
    for path in site.remote_files():
        text = git(site.remote, "show", f"main:{path}")
        for key in ("Delegations met again", "dry summer"):
            if key in text:
                found[key] = path
    return found["Delegations met again"], found["dry summer"]


def test_the_job_fails_when_no_feed_at_all_can_be_fetched(site):
    (site.work / "feeds.txt").write_text(
        f"{site.server.url('/gone.xml')} Gone Gazette\n{closed_port_url()} Nobody Home\n",
        encoding="utf-8")
    git(site.work, "commit", "--quiet", "-am", "Only dead feeds", **EDITOR)
    head = site.remote_head()
    local = git(site.work, "rev-parse", "HEAD")

    result = site.run()

    assert result.returncode == 3, output(result)
    assert "Error: no feed could be fetched" in result.stderr
    assert git(site.work, "rev-parse", "HEAD") == local, "nothing committed"
    assert site.remote_head() == head, "nothing pushed"
    assert not (site.work / "site").exists(), "nothing built, so nothing deployed"
    summary = site.summary.read_text(encoding="utf-8")
    assert "2 failed" in summary and site.server.url("/gone.xml") in summary
    assert "**Error:** no feed could be fetched" in summary


def test_the_script_refuses_to_sweep_up_uncommitted_work(site):
    draft = site.work / "docs" / "posts" / "draft.md"
    draft.write_text("---\ntitle: Draft\ndate: 2026-11-23\n---\n\nNot ready.\n", encoding="utf-8")

    result = site.run()

    assert result.returncode == 1, output(result)
    assert "Error: uncommitted changes under docs/posts digest-state.json digest-stories.json" in result.stderr
    assert draft.exists()
    assert site.pushes() == site.pushes()[:1], "only the seed push"
