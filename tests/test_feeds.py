"""digest.site.feeds: the digest's own RSS and Atom feeds, read back the way readers read them
(feedparser), from the posts in tests/data/pages/posts."""

from __future__ import annotations

from datetime import datetime, timezone

import feedparser
import pytest

from tests.helpers import ONE_STORY_FEED, build_pages, configure

SITE_URL = "https://example.org/digest/"


@pytest.fixture
def feeds(pages_site):
    site = pages_site
    configure(site, feed_items=4)
    build_pages(site)

    def parse(name: str):
        parsed = feedparser.parse((site / "docs" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        return parsed
    return parse


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_digest_feed_reads_back_with_titles_links_and_dates(feeds, name):
    feed = feeds(name)
    assert feed.feed.title == "The Nightly Digest"
    assert feed.feed.link == SITE_URL
    assert len(feed.entries) == 4                       # feed_items, newest first
    first = feed.entries[0]
    assert first.title == "Council approves budget in late-night vote"
    assert first.link == SITE_URL + "posts/2021/05/13/late-night-vote/"
    published = first.published_parsed
    assert datetime(*published[:6], tzinfo=timezone.utc) == datetime(2021, 5, 13, 22, 30, tzinfo=timezone.utc)
    titles = [entry.title for entry in feed.entries]
    assert titles[1] == "Markets <script>alert(1)</script> rally on *strong* [earnings](https://evil.example)"
    assert "Rail strike ends" not in titles            # the fifth newest is beyond feed_items
    summary = feed.entries[2].summary
    assert summary.startswith("The bridge carries traffic again")
    assert "Keep the digest free for everyone" in summary and SITE_URL + "support/" in summary


@pytest.mark.parametrize("name", ["feeds/transport.xml", "feeds/transport.atom"])
def test_category_feed_carries_only_that_category(feeds, name):
    feed = feeds(name)
    assert feed.feed.title == "The Nightly Digest: Transport"
    assert feed.feed.link == SITE_URL + "categories/transport/"
    assert [entry.title for entry in feed.entries] == [
        "Harbour bridge reopens after repairs", "New ferry timetable announced", "Rail strike ends"]
    assert feed.entries[0].tags[0].term == "Transport"


def test_rss_declares_its_own_address(feeds):
    feed = feeds("feed.xml")
    assert {"rel": "self", "type": "application/rss+xml", "href": SITE_URL + "feed.xml"} in [
        dict(link) for link in feed.feed.links]


def test_an_items_source_is_the_feed_it_came_from(site, feed_server):
    """RSS 2.0: <source url="..."> names the source's feed (it was the article's link)."""
    from digest.cli import main

    url = feed_server.add("/wire.xml", ONE_STORY_FEED)
    (site / "feeds.txt").write_text(f"{url} Wire Desk\n", encoding="utf-8")
    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 0

    items = [entry for entry in feedparser.parse((site / "docs" / "feed.xml").read_bytes()).entries
             if entry.link.endswith("/one-story/")]
    assert [(entry.source.get("href"), entry.source.get("title")) for entry in items] == [(url, "Wire Desk")]
