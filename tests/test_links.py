"""links: the link a reader clicks is the one published, less tracking and dead redirectors.

Unit cases for ``links`` first, then a real `digest fetch` over the local HTTP server and a
real `mkdocs build --strict`, reading the "Read the original" link a reader gets.
"""

from __future__ import annotations

import pytest

from digest.ingest.links import (clean_link, is_absolute_uri, is_dead_redirector, published_link,
                                 story_key)
from digest.store.posts import read_post
from tests.helpers import digest, mkdocs_build


@pytest.mark.parametrize("url", [
    "https://news.example/story?12345",
    "https://news.example/item.php?id=1;lang=en",
    "https://news.example/a%20b?q=a%20b",
    "https://news.example/app#!/story/42",
    "https://News.Example/Story",
    "http://news.example",
    "https://news.example/a?page=2&sort=new#comments",
])
def test_a_link_without_tracking_is_kept_byte_for_byte(url):
    assert published_link(url) == url


@pytest.mark.parametrize("url, expected", [
    ("https://news.example/a?utm_source=rss&utm_medium=x&id=7#comments", "https://news.example/a?id=7#comments"),
    ("https://news.example/a?fbclid=1&gclid=2&mc_cid=3", "https://news.example/a"),
    ("https://www.lemonde.example/x.html?xtor=RSS-3208", "https://www.lemonde.example/x.html"),
    ("https://www.dw.example/en/a-1?maca=en-rss-en-all-1573-rdf", "https://www.dw.example/en/a-1"),
    ("https://news.example/a?id=1;lang=en&utm_campaign=x", "https://news.example/a?id=1;lang=en"),
    ("https://news.example/q?a%20b=c%20d&ref=rss", "https://news.example/q?a%20b=c%20d"),
    ("https://news.example/app?utm_source=x#!/story/42", "https://news.example/app#!/story/42"),
    # Google Alerts' redirector and feedsportal's encoded target are unwrapped.
    ("https://www.google.com/url?rct=j&sa=t&url=https://market.example/report/&ct=ga&usg=AFQ",
     "https://market.example/report/"),
    ("http://rue.feedsportal.com/c/1/f/2/s/3/l/0L0Snews0N0Cpolitique0C20A130C0A40Cstory0E1/story01.htm",
     "http://www.news.com/politique/2013/04/story-1"),
    ("javascript:alert(1)", ""),
    ("ftp://news.example/a", ""),
    ("/relative/path", ""),
    ("", ""),
])
def test_tracking_goes_and_redirectors_are_unwrapped(url, expected):
    assert published_link(url) == expected


def test_links_in_text_keep_other_schemes_untouched():
    assert clean_link("mailto:desk@news.example?subject=utm_source") == "mailto:desk@news.example?subject=utm_source"
    assert clean_link("https://news.example/a?utm_source=x&b=1") == "https://news.example/a?b=1"


def test_the_story_key_compares_what_a_reader_would_call_one_address():
    assert story_key("http://News.Example:80/a?x=1%3B2") == story_key("https://news.example/a?x=1;2")
    assert story_key("https://news.example/a?utm_source=x#top") == story_key("https://news.example/a")
    # Hashbang routes are different stories, not one page with two anchors.
    assert story_key("https://news.example/app#!/story/1") != story_key("https://news.example/app#!/story/2")


def test_dead_redirectors_and_absolute_uris():
    assert is_dead_redirector("http://feedproxy.google.com/~r/News/~3/abc/story.html")
    assert is_dead_redirector("http://feeds.news.example/click.phdo?i=cc0c5f")
    assert not is_dead_redirector("https://news.example/story")
    assert is_absolute_uri("tag:news.example,2026:1") and is_absolute_uri("https://news.example/1")
    assert not any(is_absolute_uri(guid) for guid in ("1", "post-17", "t3_157kx9b", "241244 at http://x.example"))


# --- end to end -----------------------------------------------------------------------------

def rss(title: str, items: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>'
            f"<title>{title}</title><link>https://{title.lower().replace(' ', '-')}.example/</link>"
            f"<description>{title}</description>{items}</channel></rss>")


def item(number: int, link: str, extra: str = "", guid: str | None = None) -> str:
    guid = guid if guid is not None else f"https://probe.example/guid/{number}"
    return (f"<item><title>Probe story number {number} about the harbour</title>"
            f"<link>{link}</link><guid>{guid}</guid>{extra}"
            f"<pubDate>Mon, 23 Nov 2026 0{number % 10}:00:00 +0000</pubDate>"
            f"<description>Story {number} of the probe, told in full for the test.</description></item>")


LINK_BLOG = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Fireball Notes</title>
<link rel="alternate" type="text/html" href="https://fireball-notes.example/"/>
<id>https://fireball-notes.example/feeds/main</id><updated>2026-11-23T10:00:00Z</updated>
<entry><title>A phone plan that is only for one phone</title>
<link rel="alternate" type="text/html" href="https://thirdparty.example/article/17308"/>
<link rel="shorturl" href="http://fn.example/q4c"/>
<link rel="related" type="text/html" href="https://fireball-notes.example/linked/2026/11/23/phone-plan"/>
<id>tag:fireball-notes.example,2026:/linked//6.33852</id>
<published>2026-11-23T09:00:00Z</published><updated>2026-11-23T09:00:00Z</updated>
<content type="html">&lt;p&gt;A short comment on someone else's story.&lt;/p&gt;</content></entry>
</feed>"""


def links_of(site) -> dict[str, dict]:
    found = {}
    for path in (site / "docs" / "posts").rglob("*.md"):
        post, _ = read_post(path, site / "docs", __import__("zoneinfo").ZoneInfo("UTC"))
        if post is not None and post.generated:
            found[post.title] = {"link": post.link, "src": post.src,
                                 "text": path.read_text(encoding="utf-8")}
    return found


@pytest.mark.slow
def test_fetch_publishes_links_as_published_less_tracking_and_redirectors(site, feed_server):
    items = "".join([
        item(1, "https://probe.example/story?12345"),
        item(2, "https://probe.example/item.php?id=1;lang=en"),
        item(3, "https://probe.example/a%20b"),
        item(4, "https://probe.example/app#!/story/4"),
        item(5, "https://probe.example/app#!/story/5"),
        item(6, "https://probe.example/six.html?xtor=RSS-3208&amp;page=2"),
        item(7, "http://feedproxy.google.com/~r/Probe/~3/kTeeGj4FnwU/",
             "<feedburner:origLink>https://probe.example/2026/11/23/seven</feedburner:origLink>"),
        item(8, "http://feeds.probe.example/click.phdo?i=cc0c5fb0",
             guid="https://probe.example/2026/11/23/eight?wprss=rss_probe"),
        item(9, "https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://market.example/nine/&amp;ct=ga"),
    ])
    probe = feed_server.add("/probe.xml", rss("Probe News", items))
    notes = feed_server.add("/notes.atom", LINK_BLOG, content_type="application/atom+xml")
    (site / "feeds.txt").write_text(f"{probe}\n{notes}\n", encoding="utf-8")

    fetched = digest(site, "fetch")
    assert fetched.returncode == 0, fetched.stderr
    links = {title.split(" number ")[1].split()[0] if " number " in title else title: value["link"]
             for title, value in links_of(site).items()}
    assert links == {
        "1": "https://probe.example/story?12345",
        "2": "https://probe.example/item.php?id=1;lang=en",
        "3": "https://probe.example/a%20b",
        "4": "https://probe.example/app#!/story/4",        # two routes of one app: two stories
        "5": "https://probe.example/app#!/story/5",
        "6": "https://probe.example/six.html?page=2",
        "7": "https://probe.example/2026/11/23/seven",
        "8": "https://probe.example/2026/11/23/eight",
        "9": "https://market.example/nine/",
        "A phone plan that is only for one phone": "https://fireball-notes.example/linked/2026/11/23/phone-plan",
    }
    blog = links_of(site)["A phone plan that is only for one phone"]
    assert "links_to: https://thirdparty.example/article/17308\n" in blog["text"]

    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    page = (site / "site" / blog["src"][:-3] / "index.html").read_text(encoding="utf-8")
    assert 'href="https://fireball-notes.example/linked/2026/11/23/phone-plan"' in page
    assert "Read the original at Fireball Notes" in page
    assert 'href="https://thirdparty.example/article/17308"' in page
