"""End to end, a site over its size budget: a real `digest fetch` over feeds served on
127.0.0.1, an editor's change to an old post, a site_budget only the newest day fits, then
`digest pages`, a real build (`mkdocs build --strict`, and `zensical build`) and `digest
publish`. Old automatic articles are published compact (their address answers with a small
page, their month's archive page lists them); the edited and the hand-written ones keep
their full pages; no link inside the site breaks; a rerun changes no file.
"""

from __future__ import annotations

import json
import shutil
import sys
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest

from digest.config import load_settings
from digest.publish.size import measure
from digest.site.urls import COMPACT_MANIFEST
from digest.store.posts import load_posts
from tests.conftest import REPO
from tests.helpers import (BIN, budget_for, build_test_site, check_accessibility, configure,
                           copy_site, pagefind_records, run_ok, serve_static, small_cms)

pytestmark = pytest.mark.slow

EDITED = "posts/2026/11/22/ferry-timetable-changes-for-winter.md"
OLD = "posts/2026/11/22/street-musicians-return-to-the-harbour-market"
OLDEST = "posts/2026/11/21/volunteers-begin-restoring-the-old-lighthouse-lantern"
HAND_WRITTEN = "posts/editors/markup-title"      # dated 22 November
NEWEST = "posts/2026/11/23/headland-lighthouse-restoration-draws-crowds-of-visitors"


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, str] = {}
        self.h1 = 0
        self.html_lang = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "html":
            self.html_lang = attrs.get("lang", "")
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")


def page_of(site: Path, url: str) -> Path:
    return site / url / "index.html"


def read(site: Path, url: str) -> Page:
    return Page(page_of(site, url).read_text(encoding="utf-8"))


def target(site: Path, page: Path, href: str) -> Path:
    """The built file a relative link from ``page`` leads to."""
    url = urlsplit(urljoin("http://site/" + page.relative_to(site).as_posix(), href)).path[1:]
    found = site / url
    return found / "index.html" if url.endswith("/") or not url or found.is_dir() else found


def over_budget(root: Path) -> str:
    """Edit an old post, set a budget only the newest day fits, run digest pages; its output."""
    edited = root / "docs" / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's note on the winter timetable.\n",
                      encoding="utf-8")
    settings = load_settings(root / "mkdocs.yml")
    posts, _ = load_posts(settings.docs_dir, settings.posts_dir, ZoneInfo(settings.timezone))
    configure(root, site_budget=budget_for(settings, posts, full_days=1))
    result = subprocess.run([str(BIN / "digest"), "pages"], cwd=root, capture_output=True,
                            text=True, check=True)
    return result.stdout


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def compacted(request, tmp_path_factory, shared_builds) -> tuple[Path, str, str]:
    """(site/, digest pages' output, the engine's and digest publish's output)."""
    root = tmp_path_factory.mktemp("compact") / "root"
    build_test_site(root, publish=False, shared=shared_builds)
    pages = over_budget(root)
    if request.param == "zensical":
        command = [str(BIN / "zensical"), "build", "--config-file", "mkdocs.yml"]
    else:
        command = [str(BIN / "mkdocs"), "build", "--strict"]
    build = subprocess.run(command, cwd=root, capture_output=True, text=True,
                           env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert build.returncode == 0, build.stdout + build.stderr
    publish = subprocess.run([str(BIN / "digest"), "publish"], cwd=root, capture_output=True, text=True)
    assert publish.returncode == 0, publish.stderr
    return root / "site", pages, build.stdout + build.stderr + publish.stdout


def test_the_plan_keeps_the_newest_day_full_and_says_so(compacted):
    site, pages, output = compacted
    assert "full pages: the newest 1 of 3 days (since 2026-11-23); 2 older articles compact" in pages
    config = (site.parent / "digest-build.yml").read_text(encoding="utf-8")
    assert "  /posts/2026/11/21/*.md\n  /posts/2026/11/22/*.md\n  !/" + EDITED + "\n" in config
    # Published: the same lines, and how many small pages were written.
    assert "full pages: the newest 1 of 3 days" in output
    assert "small pages at old addresses (articles and stories published compact): 2" in output


def test_publish_records_what_the_site_weighed_for_the_next_plan(compacted):
    """The size model is checked against the real site every night (store/size_record.py)."""
    site, _, _ = compacted
    record = json.loads((site.parent / ".digest-cache" / "site-size.json").read_text(encoding="utf-8"))
    assert record["measured"] == measure(site).bytes
    manifest = json.loads((site.parent / "digest-compact.json").read_text(encoding="utf-8"))
    assert record["estimated"] == manifest["model_estimate"] > 0


def test_an_old_automatic_article_answers_at_its_address_with_a_small_page(compacted):
    site, _, _ = compacted
    path = page_of(site, OLD)
    stub = Page(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 2500
    assert stub.h1 == 1 and stub.html_lang == "en"
    assert stub.meta["og:title"] == "Street musicians return to the harbour market"
    assert stub.meta["description"].startswith("Buskers are back at the harbour market")
    hrefs = {link["href"] for link in stub.links}
    assert "https://riverpost.example/news/street-musicians" in hrefs
    month = next(href for href in hrefs if "archive/2026-11" in href)
    assert target(site, path, month) == site / "archive" / "2026-11" / "index.html"
    # Its story's page, from the oldest one (a story of three reports).
    oldest = page_of(site, OLDEST)
    story = next(link["href"] for link in Page(oldest.read_text(encoding="utf-8")).links
                 if "stories/" in link["href"])
    assert target(site, oldest, story).is_file()


def test_edited_hand_written_and_new_articles_keep_their_full_pages(compacted):
    site, _, _ = compacted
    edited = page_of(site, EDITED[:-3]).read_text(encoding="utf-8")
    assert "An editor's note on the winter timetable." in edited and "digest-compact" not in edited
    for url in (HAND_WRITTEN, NEWEST):
        text = page_of(site, url).read_text(encoding="utf-8")
        assert "digest-compact" not in text and "digest-byline" in text


def test_the_month_page_lists_the_compact_articles_and_the_archive_links_it(compacted):
    site, _, _ = compacted
    month = page_of(site, "archive/2026-11")
    page = Page(month.read_text(encoding="utf-8"))
    hrefs = [link["href"] for link in page.links]
    for url in (OLD, OLDEST):
        assert any(target(site, month, href) == page_of(site, url) for href in hrefs)
    assert "https://riverpost.example/news/street-musicians" in hrefs
    assert not any(target(site, month, href) == page_of(site, EDITED[:-3]) for href in hrefs)
    archive = page_of(site, "archive")
    assert any(target(site, archive, link["href"]) == month
               for link in read(site, "archive").links)


def broken_links(site: Path) -> tuple[int, list[str]]:
    """How many links inside the site there are, and the ones leading to no file."""
    checked, broken = 0, []
    for path in site.rglob("*.html"):
        if path.name == "404.html":        # served at any depth: its links are absolute
            continue
        for link in Page(path.read_text(encoding="utf-8")).links:
            href = link["href"]
            if urlsplit(href).scheme or href.startswith(("#", "//")):
                continue
            checked += 1
            if not target(site, path, href).is_file():
                broken.append(f"{path.relative_to(site)}: {href}")
    return checked, broken


def test_no_link_inside_the_site_is_broken(compacted):
    site, _, _ = compacted
    checked, broken = broken_links(site)
    assert checked > 100 and not broken


def test_compact_articles_stay_searchable_by_title_and_summary(compacted):
    site, _, _ = compacted
    records = pagefind_records(site)
    assert "Street musicians return to the harbour market" in records["/" + OLD + "/"]


def test_the_build_logs_no_line_per_link_to_a_compact_article(compacted):
    _, _, output = compacted
    assert "excluded from the built site" not in output
    assert "unrecognized relative link" not in output


def test_a_rerun_changes_no_file(compacted):
    site, _, _ = compacted
    root = site.parent
    # What digest publish measured is news to the plan (its figures, in the manifest, now
    # carry the correction); the run after that one has nothing new.
    run_ok([str(BIN / "digest"), "pages"], root)
    before = {path: path.read_bytes() for path in (root / "docs").rglob("*") if path.is_file()}
    before[root / COMPACT_MANIFEST] = (root / COMPACT_MANIFEST).read_bytes()
    result = subprocess.run([str(BIN / "digest"), "pages"], cwd=root, capture_output=True, text=True)
    assert result.stdout.startswith("pages: 0 written,"), result.stdout
    after = {path: path.read_bytes() for path in (root / "docs").rglob("*") if path.is_file()}
    after[root / COMPACT_MANIFEST] = (root / COMPACT_MANIFEST).read_bytes()
    assert after == before
    manifest = json.loads(before[root / COMPACT_MANIFEST])
    assert sorted(page["url"] for page in manifest["pages"]) == sorted([OLD + "/", OLDEST + "/"])


def test_an_article_that_is_no_longer_compact_gets_its_full_page_back(compacted, tmp_path):
    site, _, _ = compacted
    root = tmp_path / "root"
    shutil.copytree(site.parent, root)
    configure(root, site_budget=900)
    run_ok([str(BIN / "digest"), "pages"], root)
    run_ok([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], root)
    run_ok([str(BIN / "digest"), "publish"], root)
    assert "digest-compact" not in page_of(root / "site", OLD).read_text(encoding="utf-8")
    assert not list((root / "docs" / "archive").rglob("*.md"))
    assert json.loads((root / COMPACT_MANIFEST).read_text(encoding="utf-8"))["pages"] == []


def test_old_stories_become_small_pages_and_every_link_still_answers(tmp_path):
    """Hundreds of articles in stories (bench/site_build.py's generator), three days, a
    budget only the newest fits: stories whose newest report is older get a small page, and
    listings leave out their numbered pages of compact articles only."""
    sys.path.insert(0, str(REPO / "bench"))
    from site_build import write_articles

    root = copy_site(tmp_path / "root", site_budget=0.001, page_size=2)
    write_articles(root / "docs", 300, per_night=100)
    run_ok([str(BIN / "digest"), "pages"], root)
    # Numbered category and source pages of compact articles only list nothing (the month
    # pages list those): their addresses say where the articles went; the numbers of the
    # pages left stay those of every item.
    numbered = [path for folder in ("categories", "sources")
                for path in (root / "docs" / folder).rglob("page-*.md")]
    moved = {path for path in numbered if "now in the archive" in path.read_text(encoding="utf-8")}
    listings = [path for path in numbered if path not in moved]
    assert listings and all("](../../posts/" in path.read_text(encoding="utf-8") for path in listings)
    assert all("](../../posts/" not in path.read_text(encoding="utf-8") for path in moved)
    gaps = [path.parent for path in listings if path.name != "page-1.md"
            and path.parent / "page-1.md" in moved]
    assert gaps                                   # some listings lost their oldest pages
    oldest = min((path for path in gaps[0].glob("page-*.md") if path not in moved),
                 key=lambda path: int(path.stem[5:]))
    assert "[Older →](../../archive.md)" in oldest.read_text(encoding="utf-8")
    manifest = json.loads((root / COMPACT_MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["pages"]) > 150 and manifest["stories"]
    config = (root / "digest-build.yml").read_text(encoding="utf-8")
    assert "/stories/" not in config              # story pages are simply not written
    for story in manifest["stories"]:
        assert not (root / "docs" / story["url"].rstrip("/")).with_suffix(".md").exists()
    run_ok([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], root)
    run_ok([str(BIN / "digest"), "publish"], root)
    site = root / "site"
    story = Page(page_of(site, manifest["stories"][0]["url"]).read_text(encoding="utf-8"))
    assert story.h1 == 1 and len(story.links) >= 4
    checked, broken = broken_links(site)
    assert checked > 1000 and not broken, broken[:5]


def test_digest_fetch_ends_with_the_budget_lines(feed_server, tmp_path):
    root = copy_site(tmp_path / "root", site_budget=0.001)
    url = feed_server.add("/cms.xml", small_cms("quayside", [("1", "Harbour wall repaired")]))
    (root / "feeds.txt").write_text(url + "\n", encoding="utf-8")
    result = subprocess.run([str(BIN / "digest"), "fetch", "--summary", str(tmp_path / "summary.md")],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # A budget of 1 KB: nothing fits, and the last line says what to do.
    assert lines[-3].startswith("budget: an estimated ") and "site_budget" in lines[-3]
    assert lines[-2].startswith("full pages: ")
    assert lines[-1].startswith("warning: the site does not fit its budget")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Size budget:" in summary and "- full pages: " in summary


@pytest.mark.browser
def test_a_reader_at_an_old_address_reaches_the_original_its_month_and_its_story(compacted, browser):
    site, _, _ = compacted
    server, base = serve_static(site)
    context = browser.new_context(viewport={"width": 390, "height": 800})     # a phone
    try:
        page = context.new_page()
        page.goto(base + OLDEST + "/")
        check_accessibility(page)
        assert page.locator("h1").inner_text() == "Volunteers begin restoring the old lighthouse lantern"
        original = page.get_by_role("link", name="Read the original at Tideline Weekly")
        assert original.get_attribute("href") == "https://tideline.example/2026/11/lighthouse-lantern"
        page.get_by_role("link", name="More from November 2026").click()
        page.wait_for_url("**/archive/2026-11/")
        assert page.get_by_role("link", name="Street musicians return to the harbour market").count() == 1
        page.go_back()
        page.get_by_role("link", name="All 3 reports of this story").click()
        page.wait_for_url("**/stories/**")
        assert page.locator("h1").inner_text()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
