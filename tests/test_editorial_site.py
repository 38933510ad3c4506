"""Editors shape the day's digest, end to end: a real `digest fetch` over tests/data/site/
from a local server, an editor's note, a ranked hand-written pick and a featured fetched
post, a correction and an unpublished post; the nightly fetch again (changing none of
them), `digest pages`, `mkdocs build --strict`, and what a reader sees in Debian's chromium.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import DATA, FeedServer, copy_site
from tests.helpers import check_accessibility, pagefind_records, serve_static

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
FEEDS = DATA / "site"
ATOM = "{http://www.w3.org/2005/Atom}"

NOTE = """---
title: Good morning from the headland
---

The lighthouse is the story of the week: start with [the open day](../posts/2026/11/23/headland-open-day.md).
"""
OPEN_DAY = """---
title: Headland open day this Saturday
date: 2026-11-23 09:00
categories: [Heritage]
rank: 1
---

The keepers' cottage opens its doors.
"""
FEATURED = "Lighthouse lantern shines again after restoration by volunteers"
CORRECTED = "Street musicians return to the harbour market"
CORRECTION = "The market opens at ten, not nine."
UNPUBLISHED = "Ferry timetable changes for winter"


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def find_post(root: Path, words: str) -> Path:
    return next(path for path in (root / "docs" / "posts").rglob("*.md")
                if words in path.read_text(encoding="utf-8"))


def add_keys(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nid: ", f"\n{lines}id: ", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("editorial") / "root")
    server = FeedServer()
    server.thread.start()
    try:
        rss = server.add_file("/tideline.xml", FEEDS / "tideline.xml")
        atom = server.add_file("/river-post.atom", FEEDS / "river-post.atom",
                               content_type="application/atom+xml")
        (root / "feeds.txt").write_text(f"{rss}\n{atom}\n", encoding="utf-8")
        run([str(BIN / "digest"), "fetch", "--strict"], root)
        # The editor's morning: a note, a ranked pick of their own, a featured fetched post,
        # a correction and a post taken off the site.
        (root / "docs" / "notes").mkdir()
        (root / "docs" / "notes" / "2026-11-23.md").write_text(NOTE, encoding="utf-8")
        own = root / "docs" / "posts" / "2026" / "11" / "23" / "headland-open-day.md"
        own.write_text(OPEN_DAY, encoding="utf-8")
        add_keys(find_post(root, f"title: {FEATURED}"), "featured: true\n")
        add_keys(find_post(root, f"title: {CORRECTED}"),
                 f"updated: 2026-11-24 09:15\ncorrection: {CORRECTION}\n")
        add_keys(find_post(root, UNPUBLISHED), "draft: true\n")
        run([str(BIN / "digest"), "check"], root)
        shaped = sorted((root / "docs" / "posts").rglob("*.md")) + [root / "docs" / "notes" / "2026-11-23.md"]
        before = {path: path.read_bytes() for path in shaped}
        run([str(BIN / "digest"), "fetch", "--strict"], root)      # the next night
        assert {path: path.read_bytes() for path in shaped} == before
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    run([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], root)
    run([str(BIN / "digest"), "publish"], root)
    return root / "site"


def text_of(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_the_note_leads_its_day_and_the_front_page_and_is_no_page_of_its_own(built):
    for page in ("index.html", "days/2026-11-23/index.html"):
        text = text_of(built, page)
        note = text.index("Good morning from the headland")
        assert note < text.index("Top stories") < text.index("Headland open day this Saturday"), page
    assert "Good morning from the headland" not in text_of(built, "days/2026-11-22/index.html")
    assert not (built / "notes").exists()
    assert "Good morning from the headland" not in json.dumps(pagefind_records(built))
    assert "notes/" not in text_of(built, "sitemap.xml")


def test_ranked_pick_first_then_featured_then_the_rest(built):
    for page in ("index.html", "days/2026-11-23/index.html"):
        text = text_of(built, page)
        start = text.index("Top stories")
        # Picked stories lead the top stories: the ranked pick, then the featured one.
        own, featured = text.index("Headland open day this Saturday", start), text.index(FEATURED, start)
        assert own < featured, page
        assert text.count(f">{FEATURED}<") == 1, "a pick is listed once"


def test_the_correction_is_on_the_article_and_in_the_feeds(built):
    page = next(built.glob("posts/2026/11/22/street-musicians*/index.html"))
    text = page.read_text(encoding="utf-8")
    assert f"Corrected on Tuesday, 24 November 2026</time></strong>: {CORRECTION}" in text
    body = text[text.index("<article"):]
    assert body.index("digest-correction") < body.index("marimba"), "told before the text"
    entry = next(entry for entry in ET.parse(built / "atom.xml").getroot().iter(f"{ATOM}entry")
                 if entry.findtext(f"{ATOM}title") == CORRECTED)
    assert entry.findtext(f"{ATOM}updated") == "2026-11-24T09:15:00+00:00"
    assert entry.findtext(f"{ATOM}published") == "2026-11-22T15:30:00+00:00"
    assert entry.findtext(f"{ATOM}summary").startswith(f"Corrected on Tuesday, 24 November 2026: {CORRECTION}")
    item = next(item for item in ET.parse(built / "feed.xml").getroot().iter("item")
                if item.findtext("title") == CORRECTED)
    assert item.findtext("description").startswith("Corrected on")


def test_the_unpublished_post_is_nowhere(built):
    src = find_post(built.parent, UNPUBLISHED).relative_to(built.parent / "docs").as_posix()
    assert not (built / src[:-3]).exists()
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert UNPUBLISHED not in path.read_text(encoding="utf-8"), path


# --- in a real browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url(built):
    server, base = serve_static(built)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.browser
def test_reader_sees_the_note_then_the_picks_first(page, base_url):
    page.goto(base_url)
    note = page.locator(".digest-note")
    assert note.is_visible()
    assert note.locator("h2").inner_text() == "Good morning from the headland"
    # The note comes before the first day's heading; its link leads to the post.
    headings = page.locator("article h2").all_inner_texts()
    assert headings[:2] == ["Good morning from the headland", "Top stories"]
    # The picks lead the top stories: the ranked one, then the featured one.
    items = page.locator(".digest-top-story h3").all_inner_texts()
    assert items[:2] == ["Headland open day this Saturday", FEATURED]
    check_accessibility(page)
    note.get_by_role("link", name="the open day").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Headland open day this Saturday"


@pytest.mark.browser
def test_reader_sees_the_correction_notice(page, base_url):
    page.goto(base_url + "days/2026-11-22/")
    page.get_by_role("link", name=CORRECTED).click()
    page.wait_for_load_state()
    notice = page.locator(".digest-correction")
    assert notice.is_visible()
    assert notice.inner_text() == f"Corrected on Tuesday, 24 November 2026: {CORRECTION}"
    assert page.get_by_role("note").count() == 1
    check_accessibility(page)


@pytest.mark.browser
def test_the_unpublished_posts_page_is_not_served(page, base_url, built):
    src = find_post(built.parent, UNPUBLISHED).relative_to(built.parent / "docs").as_posix()
    response = page.goto(base_url + src[:-3] + "/")
    assert response.status == 404
    page.goto(base_url + "days/2026-11-22/")
    assert UNPUBLISHED not in page.locator("article").inner_text()
    page.goto(base_url + "search/?q=winter%20timetable")
    page.locator(".pagefind-ui__message").wait_for(state="visible", timeout=15_000)
    page.wait_for_timeout(1500)
    assert UNPUBLISHED not in page.locator("#digest-search").inner_text()
