"""Issue 17 end to end: a messy feed of our own (tests/data/content/messy-wire.xml) through a
real `digest fetch` over the local HTTP server, then `mkdocs build --strict`; every check
reads the HTML a reader gets (or the feed a feed reader gets)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from lxml import etree, html as lxml_html

from digest.site.urls import day_src
from tests.conftest import DATA, REPO, FeedServer
from tests.helpers import configure
from tests.helpers import digest, mkdocs_build

FEED = DATA / "content" / "messy-wire.xml"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    server = FeedServer()
    server.thread.start()
    try:
        root = tmp_path_factory.mktemp("content") / "site-root"
        root.mkdir()
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        for extra in REPO.glob("digest-build*.yml"):
            shutil.copy(extra, root / extra.name)
        shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(
            "index.md", "archive.md", "feed.xml", "atom.xml", "feeds", "days", "categories",
            "sources", "posts"))
        shutil.copytree(REPO / "overrides", root / "overrides",
                        ignore=shutil.ignore_patterns("digest-generated"))
        configure(root, full_text=True)
        url = server.add_file("/messy.xml", FEED)
        (root / "feeds.txt").write_text(f"{url} Messy Wire\n", encoding="utf-8")
        fetched = digest(root, "fetch")
        assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    site = mkdocs_build(root)
    assert site.returncode == 0, site.stderr
    return root


def post(root: Path, title_start: str) -> tuple[dict, str]:
    for path in (root / "docs" / "posts").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if meta["title"].startswith(title_start):
            return meta, path.relative_to(root / "docs").as_posix()
    raise AssertionError(f"no post titled {title_start!r}")


def page(root: Path, src: str):
    return lxml_html.parse(str(root / "site" / (src[:-3] + "/index.html"))).getroot()


def day_page(root: Path, src: str):
    """The daily digest of the day a post is filed under (posts/YYYY/MM/DD/...)."""
    year, month, day = (int(part) for part in src.split("/")[1:4])
    return page(root, day_src(datetime(year, month, day).date()))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def test_an_urdu_article_reads_right_to_left_with_its_lead_image(built):
    meta, src = post(built, "کراچی")
    assert meta["language"] == "ur" and meta["summary"].endswith("۔")
    article = page(built, src).find(".//div[@class='digest-article']")
    assert article.get("lang") == "ur" and article.get("dir") == "rtl"
    (lead,) = article.findall(".//img")
    assert lead.get("src") == "https://img.wire.example/2026/karachi-ferry.jpg"
    assert lead.get("referrerpolicy") == "no-referrer" and lead.get("loading") == "lazy"
    assert lead.get("alt") == meta["title"]


def test_listings_and_feeds_carry_the_language_and_the_thumbnail(built):
    meta, src = post(built, "کراچی")
    day = day_page(built, src)
    # The day lists stories: each one element of class digest-story.
    (entry,) = [element for element in day.iter("p")
                if "digest-story" in (element.get("class") or "") and meta["title"] in text_of(element)]
    spans = entry.findall(".//span[@lang='ur']")
    assert spans and all(span.get("dir") == "rtl" for span in spans)
    thumb = entry.find(".//img[@class='digest-thumb']")
    assert thumb.get("referrerpolicy") == "no-referrer" and thumb.get("alt") == ""
    rss = etree.parse(str(built / "site" / "feed.xml"))
    (item,) = [i for i in rss.iter("item") if i.findtext("title") == meta["title"]]
    assert item.findtext("{http://purl.org/dc/elements/1.1/}language") == "ur"
    atom = etree.parse(str(built / "site" / "atom.xml"))
    (entry,) = [e for e in atom.iter("{http://www.w3.org/2005/Atom}entry")
                if e.findtext("{http://www.w3.org/2005/Atom}title") == meta["title"]]
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "ur"


def test_structure_survives_code_headings_tables_blocks_and_emphasis(built):
    meta, src = post(built, "How the ferry timetable")
    html_page = page(built, src)
    content = html_page.find(".//div[@class='digest-article']")
    assert [text_of(h) for h in html_page.iter("h1")] == ["How the ferry timetable is built"]
    assert "The timetable generator" in [text_of(h) for h in content.iter("h2")]
    (code,) = content.findall(".//pre/code")
    assert "        if tide.height > 2.5:\n            yield tide.time   # only at high water" in code.text_content()
    paragraphs = [text_of(p) for p in content.iter("p")]
    assert "Why not write it by hand?" in paragraphs and "Because the tides move every day." in paragraphs
    assert "The generator runs every night." in paragraphs and "It reads the tide tables first." in paragraphs
    assert "Boats never leave at low water." in paragraphs and "*" not in text_of(content)
    (table,) = content.findall(".//table")          # the data table, and only it
    assert [text_of(td) for td in table.iter("td")] == ["Skerry", "120", "Allan", "80"]
    assert text_of(content).startswith("How the ferry timetable is built") or "<nick> asked" in text_of(content)
    assert "<nick> asked how the timetable is built" in text_of(content)


def test_junk_goes_and_the_story_stays(built):
    _, src = post(built, "How the ferry timetable")
    content = page(built, src).find(".//div[@class='digest-article']")
    shown = text_of(content)
    assert "Become a member" not in shown and "erschien zuerst" not in shown
    links = [a.get("href") or "" for a in content.iter("a")]
    assert not any("facebook" in link or "twitter" in link or "ads.wire" in link for link in links)
    assert "Because the tides move every day." in shown


def test_metadata_is_split_and_cleaned(built):
    meta, _ = post(built, "How the ferry timetable")
    assert meta["categories"] == ["Technology", "Transport", "Harbour"]
    assert "author" not in meta                            # it was an avatar's address
    assert meta["date"].startswith("2026-11-23T09:30")      # "Seg," (Portuguese Monday) read


def test_dates_from_the_link_and_guessed_dates_are_told_apart(built):
    wall, _ = post(built, "Harbour wall")
    assert wall["date"].startswith("2026-11-21") and "date_guessed" not in wall
    dog, src = post(built, "Lost dog")
    assert dog["date_guessed"] is True
    day = day_page(built, src)
    headings = [text_of(h) for h in day.iter("h2")]
    assert headings[-1] == "Found this day, undated by their source"
    undated = day.xpath("//h2[last()]/following-sibling::ul[1]")[0]
    assert "Lost dog found on the ferry" in text_of(undated) and "date not given" in text_of(undated)


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_in_a_browser_the_urdu_story_runs_right_to_left_and_images_send_no_referrer(built):
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM, LAUNCH_ARGS, QuietHandler

    meta, src = post(built, "کراچی")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(built / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    referers = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page()
            # The images' hosts do not exist: answer their requests here and note the Referer.
            page.route("**/*.jpg", lambda route: (referers.append(route.request.headers.get("referer")),
                                                  route.fulfill(status=204)))
            page.goto(base + src[:-3] + "/")
            shown = page.evaluate("""() => {
              const article = document.querySelector('.digest-article');
              const title = article.querySelector('h1');
              return {direction: getComputedStyle(article).direction,
                      titleAlign: getComputedStyle(title).direction,
                      images: [...article.querySelectorAll('img')].map(i => [i.referrerPolicy, i.alt])};
            }""")
            year, month, day = src.split("/")[1:4]
            page.goto(base + f"days/{year}-{month}-{day}/")
            entry = page.evaluate("""(title) => {
              const span = [...document.querySelectorAll('.digest-story span[lang]')].find(s => s.innerText.includes(title));
              return span ? getComputedStyle(span).direction : null;
            }""", meta["title"])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert shown["direction"] == "rtl" and shown["titleAlign"] == "rtl"
    assert shown["images"] == [["no-referrer", meta["title"]]]
    assert entry == "rtl"
    assert referers and all(referer is None for referer in referers)
