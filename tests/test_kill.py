"""A `digest fetch` killed with SIGKILL at any moment leaves a site the next run completes.

Each case starts a real `digest fetch` subprocess over a batch of real publishers' feeds
(from ../shared/corpus/real, served on 127.0.0.1; in a clone without ../shared, feeds of
our own made here), kills it at a random moment (by time, or right after it has written a
random number of posts), then checks that every post parses, that no temp file is left in
docs/, and that a rerun converges to exactly the files an uninterrupted run writes.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from digest.store.files import SCRATCH, TEMP_PREFIX
from digest.store.posts import read_post

from .conftest import CORPUS, FeedServer, conditional, copy_site

pytestmark = pytest.mark.slow

FEEDS = 8           # about 150 entries: a run takes a few seconds
SEEDS = range(2)       # even: killed at a random time; odd: after a random number of posts
UPDATE_SEEDS = range(2)


def dated_corpus_feeds() -> list[Path]:
    """Well-formed corpus feeds whose every entry has a date and an id or link.

    An entry without a date gets the fetch time, which differs between two runs, so the
    killed-and-rerun site could not equal the uninterrupted one for a reason unrelated to
    killing.
    """
    candidates = []
    for line in (CORPUS / "STATS.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, bozo, _, _, entries = line.split("\t")[:5]
        if path.startswith("real/") and bozo == "0" and 10 <= int(entries) <= 40:
            candidates.append(CORPUS / path)
    candidates.sort()
    spread = candidates[::max(1, len(candidates) // FEEDS)]     # publishers of every kind
    found = []
    for path in spread + [path for path in candidates if path not in spread]:
        parsed = feedparser.parse(path.read_bytes())
        if all((e.get("published_parsed") or e.get("updated_parsed")) and (e.get("id") or e.get("link"))
               for e in parsed.entries):
            found.append(path)
            if len(found) == FEEDS:
                break
    return found


def feeds_of_our_own() -> list[bytes]:
    """Eight feeds of twenty dated stories each, with images and links, for a clone without
    the corpus."""
    words = ("harbour council ferry storm quay budget school road fleet market tide lighthouse "
             "bridge festival museum train strike election hospital library orchard vineyard "
             "cathedral airport factory mine river forest glacier desert island volcano canal "
             "stadium theatre prison embassy parliament court bank bakery brewery dairy farm "
             "mill harvest drought flood earthquake wildfire heatwave blizzard comet satellite "
             "telescope vaccine laboratory robot engine battery turbine pipeline").split()

    def text(feed: int, story: int) -> str:     # different words per story: no two alike
        return " ".join(random.Random(feed * 1000 + story).sample(words, 40))

    feeds = []
    for feed in range(FEEDS):
        items = "".join(
            f"<item><title>{text(feed, story)[:60].title()} {feed}-{story}</title>"
            f"<link>https://feed{feed}.example/story/{story}</link>"
            f"<guid isPermaLink=\"false\">feed{feed}-story{story}</guid>"
            f"<pubDate>{1 + story % 28:02d} Oct 2025 {story % 24:02d}:15:00 +0000</pubDate>"
            f"<category>Desk {feed % 3}</category>"
            f"<description>&lt;p&gt;&lt;img src=\"https://feed{feed}.example/{story}.jpg\" "
            f"alt=\"Picture {story}\" title=\"Photo\"&gt; Paragraph one of story {story}, with "
            f"&lt;a href=\"https://feed{feed}.example/more/{story}\"&gt;a link&lt;/a&gt;.&lt;/p&gt;"
            f"&lt;p&gt;{text(feed, story)} (feed {feed}, story {story})&lt;/p&gt;</description>"
            "</item>" for story in range(20))
        feeds.append(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                     f"<title>Feed {feed}</title><link>https://feed{feed}.example/</link>"
                     f"<description>Feed {feed}</description>{items}</channel></rss>".encode())
    return feeds


FIRST_NIGHT = "Tue, 25 Nov 2025 01:00:00 GMT"
NEXT_NIGHT = "Wed, 26 Nov 2025 01:00:00 GMT"


@pytest.fixture(scope="module")
def server():
    """Serves the feeds as real servers do: with ETag and Last-Modified, answering 304 to a
    conditional request for what the client already has (a run that saved the feeds'
    validators before writing their posts loses those posts for good when killed)."""
    server = FeedServer()
    server.thread.start()
    bodies = ([path.read_bytes() for path in dated_corpus_feeds()] if CORPUS.is_dir()
              else feeds_of_our_own())
    lines = []
    for number, body in enumerate(bodies):
        path = f"/feed-{number}.xml"
        server.routes[path] = conditional(body, FIRST_NIGHT)
        lines.append(server.url(path))
    server.feed_list = "".join(f"{url}\n" for url in lines)
    server.first_night = dict(server.routes)
    # The next night every story was updated by its publisher (same ids, new titles).
    server.next_night = {path: conditional(route.body.replace(b"</title>", b" (updated)</title>"),
                                           NEXT_NIGHT)
                         for path, route in server.routes.items()}
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def new_site(root: Path, server: FeedServer) -> Path:
    return copy_site(root, server.feed_list)


def start_fetch(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digest", "fetch"], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fetch(root: Path) -> None:
    process = start_fetch(root)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out + err


def post_ids(root: Path) -> set[str]:
    """The id in every post's front matter: the stories the site has."""
    ids = set()
    for path in (root / "docs" / "posts").rglob("*.md"):
        post, _ = read_post(path, root / "docs", ZoneInfo("UTC"))
        if post is not None:
            ids.add(post.id)
    return ids


def result(root: Path) -> dict[str, object]:
    """What a run leaves that matters: every post's bytes, and the state's posts and seen ids."""
    posts = {path.relative_to(root).as_posix(): path.read_bytes()
             for path in sorted((root / "docs" / "posts").rglob("*")) if path.is_file()}
    state = json.loads((root / "digest-state.json").read_text(encoding="utf-8"))
    # Feed health records the time of the run, which differs between two runs by design.
    return {"posts": posts, "state.posts": state["posts"], "state.seen": state["seen"],
            "feeds": sorted(state["feeds"])}


@pytest.fixture(scope="module")
def uninterrupted(server, tmp_path_factory) -> dict:
    root = new_site(tmp_path_factory.mktemp("kill") / "reference", server)
    started = time.monotonic()
    fetch(root)
    reference = result(root)
    reference["seconds"] = time.monotonic() - started
    reference["root"] = root
    assert len(reference["state.posts"]) > 100, "enough posts for kills to land mid-write"
    return reference


@pytest.fixture
def next_night(server):
    server.routes = dict(server.next_night)
    yield
    server.routes = dict(server.first_night)


@pytest.fixture(scope="module")
def uninterrupted_update(server, uninterrupted, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("kill") / "updated"
    shutil.copytree(uninterrupted["root"], root)
    server.routes = dict(server.next_night)
    try:
        fetch(root)
    finally:
        server.routes = dict(server.first_night)
    reference = result(root)
    assert reference["posts"].keys() == uninterrupted["posts"].keys()
    assert all(b" (updated)" in text for text in reference["posts"].values()
               if b"\nfeed: " in text), "every generated post was updated in place"
    return reference


def kill_at_random(root: Path, rng: random.Random, seconds: float, by_posts: bool) -> str:
    process = start_fetch(root)
    if by_posts:      # right after the n-th post appears: certainly in the middle of writing
        target, posts = rng.randint(1, 100), root / "docs" / "posts"
        while process.poll() is None and sum(1 for _ in posts.rglob("*.md")) < target:
            time.sleep(0.002)
        what = f"after {target} posts"
    else:
        delay = rng.uniform(0, seconds)
        time.sleep(delay)
        what = f"after {delay:.2f} s"
    if process.poll() is not None:
        return what + " (the run had already finished)"
    process.send_signal(signal.SIGKILL)
    process.wait()
    return what


@pytest.mark.parametrize("seed", SEEDS)
def test_a_killed_fetch_leaves_a_site_the_next_run_completes(seed, server, uninterrupted, tmp_path):
    rng = random.Random(seed)
    root = new_site(tmp_path / "site", server)

    when = kill_at_random(root, rng, uninterrupted["seconds"], by_posts=seed % 2 == 1)
    if seed % 2 == 1:
        assert "already finished" not in when, "the kill was meant to land while writing posts"

    docs = root / "docs"
    assert not list(docs.rglob(TEMP_PREFIX + "*")), f"temp file left in docs/ ({when})"
    for path in (docs / "posts").rglob("*.md"):
        post, problems = read_post(path, docs, ZoneInfo("UTC"))
        assert post is not None and not problems, f"{path} ({when}): {problems}"
    if (root / "digest-state.json").exists():
        json.loads((root / "digest-state.json").read_text(encoding="utf-8"))

    fetch(root)

    assert not (root / SCRATCH).exists()
    lost = post_ids(uninterrupted["root"]) - post_ids(root)
    assert not lost, f"{len(lost)} stories lost for good after a kill {when}"
    again = result(root)
    for key in ("posts", "state.posts", "state.seen", "feeds"):
        assert again[key] == uninterrupted[key], f"{key} differs after a kill {when}"


def test_two_runs_at_once_one_is_refused(server, uninterrupted, tmp_path):
    root = new_site(tmp_path / "site", server)
    first = start_fetch(root)
    while not (root / SCRATCH).exists():     # the first run holds the lock from here on
        assert first.poll() is None, first.communicate()
        time.sleep(0.005)

    second = subprocess.run([sys.executable, "-m", "digest", "fetch"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    out, err = first.communicate(timeout=120)

    assert second.returncode == 1
    assert second.stderr == (f"Error: another digest run is already working on the site in "
                             f"{root}; this run stopped without changing anything (try again "
                             "when that one has finished)\n")
    assert first.returncode == 0, out + err
    assert result(root)["posts"] == uninterrupted["posts"], "the first run was not disturbed"


@pytest.mark.parametrize("seed", UPDATE_SEEDS)
def test_a_fetch_killed_while_updating_posts_is_finished_by_the_next(seed, server, uninterrupted,
                                                                     uninterrupted_update, next_night,
                                                                     tmp_path):
    """Killed after rewriting some posts and before saving the state: the next run must not
    take the posts it rewrote for editors' edits."""
    rng = random.Random(seed)
    root = tmp_path / "site"
    shutil.copytree(uninterrupted["root"], root)
    posts = list((root / "docs" / "posts").rglob("*.md"))
    started = time.time_ns()
    target = rng.randint(1, 100)
    process = start_fetch(root)
    while process.poll() is None and sum(p.stat().st_mtime_ns > started for p in posts) < target:
        time.sleep(0.002)
    assert process.poll() is None, "the kill was meant to land while updating posts"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not list((root / "docs").rglob(TEMP_PREFIX + "*"))

    rerun = start_fetch(root)
    out, err = rerun.communicate(timeout=120)

    assert rerun.returncode == 0, out + err
    assert "kept: " not in out, "a post the killed run updated was taken for an editor's edit"
    again = result(root)
    for key in ("posts", "state.posts", "state.seen", "feeds"):
        assert again[key] == uninterrupted_update[key], f"{key} differs after a kill after {target} updates"
