"""End to end: a real `digest fetch` over feeds served on 127.0.0.1, then a real
`mkdocs build --strict`, and assertions on the HTML a reader gets.

The feeds are tests/data/site/ (three lighthouse stories across two sources, so see-also
links appear; a title with a <script> tag as text; an old story longer than its summary).
The built site is shared with tests/test_browser.py through ``build_test_site``.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tests.helpers import BIN, build_test_site, pagefind_records, run_ok

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory, shared_builds) -> Path:
    """The site as the engine wrote it, before ``digest publish`` (the theme's own HTML)."""
    return build_test_site(tmp_path_factory.mktemp("e2e") / "root", publish=False, shared=shared_builds)


@pytest.fixture(scope="module")
def published(built) -> Path:
    """A copy of ``built`` after ``digest publish``: what the nightly job deploys."""
    copy = built.parent / "published"
    shutil.copytree(built, copy)
    run_ok([str(BIN / "digest"), "publish", "--site-dir", str(copy)], built.parent)
    return copy


class Page(HTMLParser):
    """The parts of a built page these tests look at."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[dict] = []
        self.h1 = 0
        self.meta: dict[str, str] = {}
        self.images: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.links.append({**attrs, "alternate": True})


def article_pages(site: Path) -> list[Path]:
    return sorted((site / "posts").rglob("index.html"))


def article(site: Path, words: str) -> Path:
    return next(path for path in article_pages(site) if words in path.parent.name)


def resolve(site: Path, page: Path, href: str) -> Path:
    """The built file a relative link from ``page`` leads to."""
    url = urljoin(page.relative_to(site).as_posix(), urlsplit(href).path)
    target = site / url
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def test_every_article_has_title_original_link_appeal_and_one_h1(built):
    pages = article_pages(built)
    assert len(pages) == 5 + 2               # five fetched, two editors' notes
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert page.h1 == 1, path
        assert 'class="digest-support digest-support--article"' in text, path
        support = [link for link in page.links if "digest-support__button" in link.get("class", "")]
        assert resolve(built, path, support[0]["href"]) == built / "support" / "index.html"
    lantern = article(built, "volunteers-begin-restoring")
    page = Page(lantern.read_text(encoding="utf-8"))
    original = [link for link in page.links if link.get("href") == "https://tideline.example/2026/11/lighthouse-lantern"]
    assert original and original[0]["rel"] == "noopener"
    assert "Read the original at Tideline Weekly" in lantern.read_text(encoding="utf-8")
    assert page.images and all(image.get("alt") for image in page.images)


def test_byline_shows_localised_time_in_the_publication_zone_and_category_links(built):
    text = article(built, "volunteers-begin-restoring").read_text(encoding="utf-8")
    # 08:15 UTC on 21 Nov is 08:15 in London (GMT); en_GB date format.
    assert "Saturday, 21 November 2026, 08:15" in text
    assert "by Ines Marlow" in text and "min read" in text
    page = Page(text)
    heritage = [link for link in page.links if link.get("href", "").endswith("categories/heritage/")]
    assert heritage and resolve(built, article(built, "volunteers-begin-restoring"),
                                heritage[0]["href"]).is_file()


def test_see_also_links_resolve_to_built_pages(built):
    newest = article(built, "headland-lighthouse")
    text = newest.read_text(encoding="utf-8")
    blocks = re.findall(r'<nav class="digest-(?:more-on-story|see-also|follow-up)".*?</nav>', text, re.S)
    hrefs = [href for block in blocks for href in re.findall(r'href="([^"]+)"', block)]
    assert len(hrefs) >= 2
    for href in hrefs:
        assert resolve(built, newest, href).is_file(), href


def test_titles_with_markup_appear_as_text(built):
    for path in built.rglob("*.html"):
        assert '<script>alert("tide")' not in path.read_text(encoding="utf-8"), path
    # A feed's title loses the tag at ingest; an editor's title keeps it, as text.
    assert "Ferry timetable changes for winter" in article(built, "ferry-timetable").read_text(encoding="utf-8")
    note = article(built, "markup-title").read_text(encoding="utf-8")
    shown = "Why we print &lt;script&gt;alert(&#34;tide&#34;)&lt;/script&gt; as text &amp; keep *stars*"
    assert f"<h1 data-pagefind-body>{shown}</h1>" in note
    assert f"<title>{shown} - The Nightly Digest</title>" in note
    assert f'<meta property="og:title" content="{shown}">' in note
    listed = (built / "sources" / "the-nightly-digest" / "index.html").read_text(encoding="utf-8")
    assert "Why we print &lt;script&gt;alert(" in listed


def test_front_page_has_days_categories_appeal_and_feed_links(built):
    text = (built / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.h1 == 1
    assert re.findall(r'<h2 id="[^"]*">([^<]+)', text)[:1] == ["Top stories"]
    assert 'class="digest-story digest-top-story"' in text
    days = re.findall(r'<li><a href="days/([\d-]+)/">', text)
    assert days and days == sorted(days, reverse=True)
    assert 'class="digest-support digest-support--list"' in text
    feeds = {link["href"] for link in page.links if link.get("alternate")}
    assert feeds == {"feed.xml", "atom.xml", "top-stories.xml", "top-stories.atom"}
    assert (built / "feed.xml").is_file() and (built / "atom.xml").is_file()
    assert (built / "top-stories.xml").is_file()
    for link in page.links:
        if not link.get("alternate") and link.get("href", "").startswith(("days/", "posts/", "categories/")):
            assert resolve(built, built / "index.html", link["href"]).is_file(), link


def test_category_page_links_its_own_feed(built):
    page = Page((built / "categories" / "heritage" / "index.html").read_text(encoding="utf-8"))
    hrefs = [link["href"] for link in page.links if link.get("alternate")]
    assert "../../feeds/heritage.xml" in hrefs and "../../feeds/heritage.atom" in hrefs
    assert (built / "feeds" / "heritage.xml").is_file()


def test_description_and_open_graph_come_from_the_summary(built):
    page = Page(article(built, "street-musicians").read_text(encoding="utf-8"))
    summary = ("Buskers are back at the harbour market every Saturday, among them a quayside "
               "marimba player who draws a crowd of children.")
    assert page.meta["description"] == summary
    assert page.meta["og:description"] == summary
    assert page.meta["og:title"] == "Street musicians return to the harbour market"
    assert page.meta["og:type"] == "article"
    assert page.meta["og:url"] == "https://example.org/digest/posts/2026/11/22/street-musicians-return-to-the-harbour-market/"


def test_sitemap_lists_articles(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/digest/posts/2026/11/22/street-musicians-return-to-the-harbour-market/" in sitemap


def test_search_index_has_articles_not_listings_and_old_articles_by_summary(published):
    built = published
    records = pagefind_records(built)
    assert records and all(url.startswith("/posts/") for url in records), sorted(records)
    musicians = records["/posts/2026/11/22/street-musicians-return-to-the-harbour-market/"]
    assert "quayside marimba" in musicians
    # The article's own text only: not the byline, see-also or appeal around it.
    assert "See also" not in musicians and "Become a member" not in musicians
    # The 21 Nov story is older than search_full_days: searchable by title and summary only,
    # while its page still carries the whole text.
    old = records["/posts/2026/11/21/volunteers-begin-restoring-the-old-lighthouse-lantern/"]
    assert "Volunteers begin restoring the old lighthouse lantern" in old
    assert "glassworks" not in old
    assert "glassworks" in article(built, "volunteers-begin-restoring").read_text(encoding="utf-8")
    # The theme's own one-file search index is not built.
    assert not (built / "search" / "search_index.json").exists() and not (built / "search.json").exists()


def test_published_pages_are_minified_and_say_the_same(built, published):
    for name in ("index.html", "posts/editors/markup-title/index.html"):
        before, after = (built / name).read_text(encoding="utf-8"), (published / name).read_text(encoding="utf-8")
        assert len(after) < 0.9 * len(before), name
        page_before, page_after = Page(before), Page(after)
        assert page_after.h1 == 1
        assert page_after.meta == page_before.meta
        assert [link["href"] for link in page_after.links] == [link["href"] for link in page_before.links]
    # (Inside <title> and attribute values the minifier writes "<" as it is, which HTML
    # reads as text there: tests/test_browser.py checks what a browser makes of it.)
    assert (published / "sitemap.xml").read_bytes() == gzip.decompress((published / "sitemap.xml.gz").read_bytes())


def test_every_page_has_one_h1_and_images_with_alt(built):
    pages = [path for path in built.rglob("*.html") if path.name != "404.html"]
    assert len(pages) > 20
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        assert page.h1 == 1, path
        assert all(image.get("alt") for image in page.images), path
