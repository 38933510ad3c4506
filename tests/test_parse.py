"""parse: bytes + headers -> ParsedFeed; encodings, ill-formed XML, not-a-feed, hostile XML."""

from __future__ import annotations

import pytest

from digest.ingest.parse import NotAFeed, parse_feed
from tests.conftest import CORPUS, DATA, needs_corpus

FEEDS = DATA / "feeds"


@pytest.mark.parametrize("name, title", [
    ("hu-iso-8859-2.xml", "Megállapodás született a Duna-hidak felújításáról"),
    ("ru-koi8-r.xml", "В Казани открыли новую линию метро"),
    ("ja-utf-16.xml", "京都で紅葉が見頃に"),
    ("fr-windows-1252.xml", "Grève des contrôleurs : trafic perturbé jusqu’à dimanche"),
])
def test_declared_encodings_are_decoded(name, title):
    feed = parse_feed((FEEDS / name).read_bytes(), {}, name)
    assert feed.entries[0].title == title and feed.warning is None


def test_the_http_charset_wins_over_a_wrong_declaration():
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
            '<item><title>Árvíztűrő tükörfúrógép</title></item></channel></rss>').encode("iso-8859-2")
    feed = parse_feed(body, {"Content-Type": "application/rss+xml; charset=iso-8859-2"}, "u")
    assert feed.entries[0].title == "Árvíztűrő tükörfúrógép"


def test_an_ill_formed_feed_is_read_as_far_as_possible_with_a_warning():
    body = b'<rss version="2.0"><channel><title>T</title><item><title>One &nbsp; two</title></item>'
    feed = parse_feed(body, {}, "u")
    assert [entry.title for entry in feed.entries] and feed.warning


@pytest.mark.parametrize("body", [b"", b"<html><body><p>Not found</p></body></html>", b"\x00\x01\x02"])
def test_what_is_not_a_feed_says_so(body):
    with pytest.raises(NotAFeed) as error:
        parse_feed(body, {"Content-Type": "text/html"}, "u")
    assert str(error.value).startswith("not a feed (")


def test_feedparser_sanitiser_is_off_because_ours_runs_on_every_field():
    """Content arrives raw here; clean() is what makes it safe (see test_hostile)."""
    body = (b'<rss version="2.0"><channel><title>T</title><item><title>a</title><description>'
            b'&lt;p onclick="x()"&gt;text&lt;/p&gt;</description></item></channel></rss>')
    assert 'onclick' in parse_feed(body, {}, "u").entries[0].summary


HOSTILE = DATA / "hostile"


def hostile(ours: list[str], corpus: list[str]) -> list:
    """Our own fixtures (tests/data/hostile, always run) and the corpus's (skipped without it)."""
    return ([pytest.param(HOSTILE / name, id=name) for name in ours]
            + [pytest.param(CORPUS / "hostile" / name, id=name, marks=needs_corpus())
               for name in corpus])


def parsed_text(path) -> str:
    try:
        feed = parse_feed(path.read_bytes(), {}, path.name)
    except NotAFeed:
        return ""
    return " ".join(str(entry) for entry in feed.entries) + str(feed.title)


@pytest.mark.parametrize("path", hostile(
    ["billion-laughs.xml", "quadratic-blowup.xml"],
    ["defusedxml_xmlbomb.xml", "defusedxml_xmlbomb2.xml", "defusedxml_quadratic.xml",
     "defusedxml_cyclic.xml"]))
def test_entity_bombs_do_not_expand(path):
    assert len(parsed_text(path)) < 100_000      # expanded, ours would be 3 GB and 80 MB


@pytest.mark.parametrize("path", hostile(
    ["xxe-file.xml", "xxe-parameter.xml"],
    ["defusedxml_external.xml", "defusedxml_external_file.xml",
     "feedvalidator_system_entity.xml", "laminas-feed_xxe-atom10.xml"]))
def test_external_entities_are_never_resolved(path):
    text = parsed_text(path)
    assert "root:x:0:0" not in text
    if path.parent == HOSTILE:      # ours are still read as feeds, the entities left out
        assert "Harbour office opens" in text or "Quay repairs start" in text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le", "utf-32"])
def test_entity_bombs_in_a_wide_encoding_do_not_expand(encoding):
    """The long-entity rule reads bytes: a UTF-16 or UTF-32 feed (with or without a byte
    order mark, as XML allows) is made UTF-8 first, or its DTD would slip past it."""
    text = (HOSTILE / "quadratic-blowup.xml").read_text(encoding="utf-8")
    body = text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"').encode(encoding)
    feed = parse_feed(body, {"Content-Type": f'application/rss+xml; charset="{encoding}"'}, "u")
    assert len(" ".join(str(entry) for entry in feed.entries)) < 100_000


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_feed_in_a_wide_encoding_reads_as_written(encoding):
    body = ('<?xml version="1.0" encoding="%s"?>\n<rss version="2.0"><channel><title>Hírek – Győr</title>'
            '<link>https://hirek.example/</link><item><title>Új híd épül a Rábán</title>'
            '<guid>https://hirek.example/1</guid></item></channel></rss>' % encoding).encode(encoding)
    for headers in ({}, {"Content-Type": f"text/xml; charset={encoding}"}):
        feed = parse_feed(body, headers, "u")
        assert (feed.title, feed.entries[0].title) == ("Hírek – Győr", "Új híd épül a Rábán")
        assert feed.warning is None


def test_short_entities_a_feed_declares_are_still_expanded():
    body = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY org "Harbour Gazette">\n'
            b' <!ENTITY long "' + b"x" * 41 + b'">\n]>\n<rss version="2.0"><channel><title>T</title>'
            b'<item><title>&org; news &long;</title><guid>1</guid></item></channel></rss>')
    title = parse_feed(body, {}, "u").entries[0].title
    assert title.startswith("Harbour Gazette news") and "x" * 41 not in title




def test_a_utf8_feed_cut_off_mid_character_keeps_its_encoding(site, feed_server, capsys):
    """A real feed declaring UTF-8 whose tail was cut (an unclosed CDATA section, half a
    character) was read by feedparser's fallback as ISO-8859-2: every Chinese title garbled."""
    from digest.cli import main
    from digest.store.posts import load_posts

    items = "".join(
        f"<item><title>第{number}条新闻：城市地铁延长运营时间</title><link>https://xinwen.example/{number}</link>"
        f"<guid>https://xinwen.example/{number}</guid><pubDate>Mon, 23 Nov 2026 0{number}:00:00 +0800</pubDate>"
        f"<description><![CDATA[<p>市政府宣布地铁将延长运营时间，方便市民夜间出行。</p>]]></description></item>"
        for number in (1, 2, 3))
    whole = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>新闻网</title>'
             f"<link>https://xinwen.example/</link><description>x</description>{items}"
             f"<item><title>最后一条</title><description><![CDATA[<p>这条新闻被截断").encode("utf-8")
    url = feed_server.add("/xinwen.xml", whole[:-1])       # cut off inside the last character
    (site / "feeds.txt").write_text(f"{url}\n", encoding="utf-8")

    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 0
    out = capsys.readouterr().out

    posts, _ = load_posts(site / "docs", "posts", __import__("zoneinfo").ZoneInfo("UTC"))
    titles = {post.title for post in posts if post.generated}
    assert {f"第{number}条新闻：城市地铁延长运营时间" for number in (1, 2, 3)} <= titles
    assert "ill-formed feed" in out and "not UTF-8" in out
