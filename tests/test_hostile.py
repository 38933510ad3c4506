"""Hostile feeds: our own (tests/data/hostile) and ../shared/corpus/ (third-party text: read,
never copied; those tests skip without it).

- Every file in tests/data/hostile/ and corpus/hostile/ through parse + normalise + a real
  Markdown render: no executable markup in any body, no tag in any plain-text field.
- Every feed in corpus/real/ and corpus/edge/ (slow): properties instead of golden files:
  every feed with entries yields posts, nothing unsafe, front matter complete.
- End to end (slow): tests/data/hostile and corpus/hostile/ served over 127.0.0.1, `digest
  fetch`, `digest pages`, a real `mkdocs build --strict`, then every built page is scanned.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digest.ingest.boilerplate import strip_boilerplate
from digest.ingest.entry_fields import entry_html
from digest.ingest.feedlist import FeedSource
from digest.ingest.normalise import FeedOptions, normalise_entry
from digest.ingest.parse import NotAFeed, parse_feed
from digest.store.write import front_matter
from tests.conftest import CORPUS, DATA, needs_corpus
from tests.helpers import digest, mkdocs_build, render, unsafe_markup

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
# Our own hostile feeds, in the corpus's image (entity bombs, XXE, script injection in every
# field): a fresh clone without ../shared/ still runs every security test on these.
OUR_HOSTILE = sorted((DATA / "hostile").glob("*.xml"))
PLAIN_FIELDS = ("title", "source", "author", "summary")


def corpus_files(*parts: str) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path for part in parts for path in (CORPUS / part).rglob("*")
                  if path.is_file() and path.suffix != ".txt")


def ingest_file(path: Path, full_text: bool = True):
    """(articles, entries, reason) for one corpus file; reason says why nothing came out."""
    try:
        feed = parse_feed(path.read_bytes(), {}, str(path))
    except NotAFeed as exc:
        return [], 0, str(exc)
    source = FeedSource(f"https://feeds.example/{path.name}", None, path.name)
    articles = [normalise_entry(entry, feed, source, NOW, FeedOptions(full_text=full_text))
                for entry in feed.entries]
    return articles, len(feed.entries), None if feed.entries else "a feed with no entries"


def assert_safe(article) -> None:
    assert unsafe_markup(render(article.body)) == [], article.body
    for name in PLAIN_FIELDS:
        value = getattr(article, name)
        assert "<" not in value and ">" not in value, (name, value)
    for category in article.categories:
        assert "<" not in category and ">" not in category


@pytest.mark.parametrize("path", OUR_HOSTILE + corpus_files("hostile"), ids=lambda path: path.name)
def test_hostile_feeds_give_nothing_executable(path):
    articles, _, _ = ingest_file(path)
    for article in articles:
        assert_safe(article)
        assert article.link == "" or article.link.startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def real_and_edge_corpus() -> tuple:
    """Each real and edge file, parsed once for the two slow tests: (path, feed or reason)."""
    parsed = []
    for path in corpus_files("real", "edge"):
        try:
            parsed.append((path, parse_feed(path.read_bytes(), {}, str(path))))
        except NotAFeed as exc:
            parsed.append((path, str(exc)))
    return tuple(parsed)


@needs_corpus()
@pytest.mark.slow
def test_every_real_and_edge_feed_with_entries_yields_safe_complete_posts():
    reasons, feeds_with_posts, entries_total, posts_total = Counter(), 0, 0, 0
    for path, feed in real_and_edge_corpus():
        if isinstance(feed, str) or not feed.entries:
            reasons[feed.split(":")[0][:40] if isinstance(feed, str) else "no entries"] += 1
            continue
        source = FeedSource(f"https://feeds.example/{path.name}", None, path.name)
        articles = [normalise_entry(entry, feed, source, NOW, FeedOptions(full_text=True))
                    for entry in feed.entries]
        entries_total += len(feed.entries)
        posts_total += len(articles)
        assert articles, f"{path}: {len(feed.entries)} entries, no post"
        feeds_with_posts += 1
        for article in articles:
            assert_safe(article)
            meta = front_matter(article)
            assert {"title", "date", "source", "id", "feed"} <= set(meta), (path, meta)
            assert meta["title"] and meta["id"] and datetime.fromisoformat(meta["date"]).tzinfo
    print(f"\n{feeds_with_posts} feeds gave posts; {posts_total} posts from {entries_total} "
          f"entries; files without posts: {dict(reasons)}")
    assert feeds_with_posts >= 450 and posts_total == entries_total   # no entry is dropped


@needs_corpus()
@pytest.mark.slow
def test_boilerplate_removal_takes_little_text_from_real_feeds():
    """Measured both ways over corpus/real: the rules do fire (appeals, "appeared first on",
    related lists), and what they take is a sliver of the words, never a story's bulk."""
    before_after = []
    for path, feed in real_and_edge_corpus():
        if isinstance(feed, str) or "/real/" not in path.as_posix():
            continue
        for entry in feed.entries:
            body = entry_html(entry)[0]
            if "<" not in body:
                continue
            tree = lxml_html.fragment_fromstring(body, create_parent="div")
            before = len(tree.text_content().split())
            strip_boilerplate(tree)
            before_after.append((before, len(tree.text_content().split())))
    removed = sum(before - after for before, after in before_after)
    assert 0 < removed < 0.01 * sum(before for before, _ in before_after)
    # No story of some length loses most of its text (a two-line summary may: "The post X
    # appeared first on Y" can be half of it).
    assert all(after >= 0.4 * before for before, after in before_after if before >= 100)


# -- end to end ---------------------------------------------------------------------------

# The theme's scripts, ours (docs/javascripts/digest-*.js) and Pagefind's search box.
THEME_SCRIPT = re.compile(r"(^|/)(assets/javascripts/|javascripts/digest-[a-z0-9-]+\.js$|pagefind/pagefind-ui\.js$)")


def scan_built_page(page: Path) -> list[str]:
    problems = []
    tree = lxml_html.fromstring(page.read_bytes())
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            squashed = "".join(value.split()).lower()
            if name.lower().startswith("on"):
                problems.append(f"{page.name}: {name}= on <{element.tag}>")
            if squashed.startswith(("javascript:", "vbscript:")) or (
                    name in ("href", "src", "action") and squashed.startswith("data:")):
                problems.append(f"{page.name}: {name}={value[:40]!r}")
        if element.tag in ("iframe", "object", "embed", "applet", "base", "frame", "frameset"):
            problems.append(f"{page.name}: <{element.tag}>")
        if element.tag == "script":
            source = element.get("src")
            if source and not THEME_SCRIPT.search(source):
                problems.append(f"{page.name}: script from {source}")
            if not source and re.search(r"alert|cookie|evil|feed script", element.text or "", re.I):
                problems.append(f"{page.name}: inline script {element.text[:60]!r}")
        if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            problems.append(f"{page.name}: meta refresh")
    # The theme has forms of its own (search, palette); none may come from a feed.
    for content in tree.xpath("//article"):
        problems += [f"{page.name}: <form> in the article" for _ in content.iter("form")]
    return problems


@needs_corpus()
@pytest.mark.slow
def test_hostile_corpus_end_to_end_builds_a_site_without_executable_feed_markup(site, feed_server):
    lines = []
    for path in corpus_files("hostile"):
        url = feed_server.add_file(f"/{path.name}", path, content_type="application/xml")
        lines.append(url)
    (site / "feeds.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fetched = digest(site, "fetch")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert digest(site, "pages").returncode == 0
    posts = list((site / "docs" / "posts").rglob("*.md"))
    assert len(posts) >= 40, fetched.stdout     # the script-injection cases did become posts
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    pages = list((site / "site").rglob("*.html"))
    problems = [problem for page in pages for problem in scan_built_page(page)]
    assert problems == []
    article_pages = [page for page in pages if "/posts/" in page.as_posix()]
    assert len(article_pages) == len(posts)


@pytest.mark.slow
def test_our_hostile_feeds_end_to_end_build_a_site_that_runs_nothing_of_theirs(site, feed_server):
    """tests/data/hostile through a real `digest fetch`, `digest pages`, `mkdocs build --strict`.

    The XXE feeds' http://xxe.example is pointed at this server: a parser that resolved an
    external entity or DTD would ask it for /secret.txt, /evil.dtd or /param.dtd.
    """
    feeds = []
    for path in OUR_HOSTILE:
        body = path.read_bytes().replace(b"http://xxe.example", feed_server.base.encode())
        feeds.append(feed_server.add(f"/{path.name}", body, content_type="application/xml"))
    (site / "feeds.txt").write_text("\n".join(feeds) + "\n", encoding="utf-8")
    fetched = digest(site, "fetch")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert {path for path, _ in feed_server.requests} == {f"/{path.name}" for path in OUR_HOSTILE}
    assert digest(site, "pages").returncode == 0
    posts = {path: path.read_text(encoding="utf-8") for path in (site / "docs" / "posts").rglob("*.md")
             if "editors" not in path.parts}
    # Every entry became a post (the script-injection ones too), none blown up, none with a file.
    assert len(posts) == 8, fetched.stdout
    assert all(len(text) < 50_000 and "root:x:0:0" not in text for text in posts.values())
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    pages = list((site / "site").rglob("*.html"))
    assert [problem for page in pages for problem in scan_built_page(page)] == []
    ferry = next(page for page in pages if "ferry-strike-ends" in page.as_posix())
    text = lxml_html.fromstring(ferry.read_bytes()).text_content()
    assert "Ferry strike ends after three days" in text and "Fares stay the same" in text
