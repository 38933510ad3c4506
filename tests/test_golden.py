"""Golden files: the Markdown posts ``digest fetch`` writes for our test feeds, byte for byte.

The feeds in tests/data/feeds/ are written in the image of real ones (encodings, languages,
publisher boilerplate, hostile text; each file opens with a comment saying what it tests).
Once per test session they are served over HTTP and fetched into a scratch copy of the site
by the pipeline ``digest fetch`` runs, with its clock set to ``NOW``: one night's run, so
they are parsed, cleaned and deduped together, and the files compared are the ones the
real writer wrote, ``digest_hash`` line included. Each feed's posts are compared with
tests/golden/<feed>.md: each post's path under docs/, then the file.

The feeds are listed as http://feeds.example/<file> and reached through the local server
acting as the HTTP proxy (httpx honours HTTP_PROXY), so the URLs in the posts, and so their
hashes, are the same on every run whatever port the server has.

After a deliberate change to the output, regenerate the golden files and review the diff:

    .venv/bin/python -m tests.test_golden --regenerate
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from digest.config import load_settings
from digest.pipeline import run
from digest.store import frontmatter
from digest.store.posts import HASH_KEY, content_hash
from tests.conftest import FeedServer, copy_site

HERE = Path(__file__).resolve().parent
FEEDS = HERE / "data" / "feeds"
GOLDEN = HERE / "golden"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
BASE = "http://feeds.example/"
# Full text for these feeds, the default (summary plus link) for the others.
FULL_TEXT = {"en-wordpress.xml", "de-atom.xml"}
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy")


def feed_files() -> list[Path]:
    return sorted(FEEDS.glob("*.xml"))


@contextmanager
def proxied_by(server: FeedServer):
    """Plain-HTTP requests go to ``server`` as their proxy while this lasts."""
    saved = {name: os.environ.get(name) for name in PROXY_VARIABLES}
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    os.environ["HTTP_PROXY"] = os.environ["http_proxy"] = server.base
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def fetch_golden_site(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Fetch every test feed into a copy of the site at ``root``.

    Feed file name -> the (path under docs/, text) of each post written from it.
    """
    site = copy_site(root, "".join(f"{BASE}{file.name}\n" for file in feed_files()),
                     feed_options={BASE + name: {"full_text": True} for name in FULL_TEXT})
    server = FeedServer()
    for file in feed_files():
        # A proxy is asked for the whole URL, so that is the route.
        server.add(BASE + file.name, file.read_bytes(), content_type="application/xml")
    server.thread.start()
    try:
        with proxied_by(server):
            report = run(load_settings(site / "mkdocs.yml"), now=NOW)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert not report.failed, report.lines()
    outputs: dict[str, list[tuple[str, str]]] = {file.name: [] for file in feed_files()}
    for path in report.new_posts:          # in the order they were written
        text = (site / "docs" / path).read_text(encoding="utf-8")
        feed = frontmatter.load(frontmatter.split(text)[0])["feed"]
        outputs[feed.removeprefix(BASE)].append((path, text))
    return outputs


def golden_text(posts: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"<!-- {path} -->\n{text}" for path, text in posts)


@pytest.fixture(scope="session")
def fetched() -> dict[str, list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as scratch:
        return fetch_golden_site(Path(scratch) / "site")


@pytest.mark.parametrize("name", [file.name for file in feed_files()])
def test_feed_matches_its_golden_markdown(fetched, name):
    expected = (GOLDEN / f"{Path(name).stem}.md").read_text(encoding="utf-8")
    assert golden_text(fetched[name]) == expected


def test_every_post_carries_the_hash_of_its_own_text(fetched):
    posts = [text for posts in fetched.values() for _, text in posts]
    assert len(posts) >= 10 and all(posts for posts in fetched.values())
    for text in posts:
        assert frontmatter.load(frontmatter.split(text)[0])[HASH_KEY] == content_hash(text)


@pytest.mark.slow
def test_a_second_night_with_the_same_feeds_changes_no_post(site):
    """Guessed and clamped dates, merged stories, hash ids: nothing moves from night to night."""
    (site / "feeds.txt").write_text("".join(f"{file}\n" for file in feed_files()), encoding="utf-8")
    settings = load_settings(site / "mkdocs.yml")
    first = run(settings, now=NOW)
    posts = {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")}
    second = run(settings, now=NOW + timedelta(days=1))
    assert len(first.new_posts) == 11 and first.duplicates == 2
    assert (second.new_posts, second.updated_posts) == ([], [])
    assert {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")} == posts


def regenerate() -> None:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        outputs = fetch_golden_site(Path(scratch) / "site")
    for name, posts in outputs.items():
        (GOLDEN / f"{Path(name).stem}.md").write_text(golden_text(posts), encoding="utf-8")
        print(f"wrote tests/golden/{Path(name).stem}.md")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python -m tests.test_golden --regenerate")
    regenerate()
