"""The package's shape, enforced: who may import whom, no import circle, light ``digest check``.

Imports are read from the source (``ast``), so an import inside a function counts as much as
one at the top of a module: it runs all the same, only later.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "digest"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(module: str) -> set[str]:
    """The digest modules ``module`` imports, anywhere in its source."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            # ``from digest.store import frontmatter`` imports a module, not a name.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: imported(module) for module in MODULES}


def reachable(module: str) -> dict[str, list[str]]:
    """Every module ``module`` loads, directly or not, with one import chain to each."""
    chains, todo = {module: [module]}, [module]
    while todo:
        current = todo.pop()
        for target in sorted(GRAPH[current]):
            if target not in chains:
                chains[target] = chains[current] + [target]
                todo.append(target)
    del chains[module]
    return chains


FORBIDDEN = {
    "digest.site": ("digest.ingest",),
    "digest.store": ("digest.ingest", "digest.site"),
}


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_sees_the_imports_it_should():
    # A reader that found no edges would pass every rule below.
    assert "digest.store.frontmatter" in GRAPH["digest.store.posts"]
    assert "digest.ingest.boilerplate" in GRAPH["digest.ingest.normalise"]
    assert "digest.pipeline" in GRAPH["digest.cli"]          # an import inside a function
    assert len(MODULES) > 30


@pytest.mark.parametrize("side", sorted(FORBIDDEN))
def test_a_side_never_loads_the_packages_it_must_not(side):
    broken = []
    for module in (name for name in MODULES if in_package(name, side)):
        for target, chain in reachable(module).items():
            if any(in_package(target, banned) for banned in FORBIDDEN[side]):
                broken.append(" -> ".join(chain))
    assert broken == [], f"{side} must not import {', '.join(FORBIDDEN[side])}:\n" + "\n".join(broken)


def test_no_import_circle_in_the_package():
    circles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                circles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert circles == []


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    return set(out.split())


def test_digest_check_loads_neither_the_html_cleaning_stack_nor_the_network():
    loaded = loaded_after("import digest.check, digest.store.state")
    heavy = {"digest.ingest.normalise", "digest.ingest.clean", "digest.ingest.boilerplate",
             "nh3", "html_to_markdown", "lxml", "feedparser", "httpx", "numpy", "sklearn"}
    assert loaded & heavy == set()
    assert "digest.store.state" in loaded and "digest.check" in loaded


def test_only_weighing_terms_loads_scikit_learn():
    # scikit-learn's import (it loads scipy.stats) is about a CPU second, paid by every
    # command that imports the site side; digest publish never weighs terms.
    assert "sklearn" not in loaded_after("import digest.cli, digest.publish.publish, digest.pipeline")
    assert "sklearn" in loaded_after("from digest.site.terms import tfidf_vectors; "
                                     "from tests.helpers import make_post; "
                                     "from datetime import datetime, timezone; "
                                     "tfidf_vectors([make_post('a', 'Harbour ferry', 'The harbour ferry sails.', "
                                     "datetime(2026, 11, 23, tzinfo=timezone.utc))])")


def test_test_modules_share_helpers_only_through_conftest_and_helpers():
    shared = {"tests", "tests.conftest", "tests.helpers"}
    borrowed = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [("tests." if node.level else "") + (node.module or "")]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            borrowed += [f"{path.name}: {name}" for name in names
                         if name.startswith("tests.") and name not in shared]
    assert borrowed == []
