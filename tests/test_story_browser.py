"""Stories end to end, as a reader meets them: the stories evaluation set (tests/data/stories_eval/)
served as one RSS feed per source from 127.0.0.1, with each article's original page there too;
`digest fetch` writes the posts, the stories and the pages, `mkdocs build --strict` builds the
site, and Debian's chromium (Playwright, never a browser download) follows a top story from the
front page to its story page, on to one of its articles, and out to the original.
"""

from __future__ import annotations

import functools
import html
import shutil
import subprocess
import sys
import threading
from collections import defaultdict
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, FeedServer
from tests.helpers import CHROMIUM, LAUNCH_ARGS, QuietHandler, check_accessibility, eval_articles, eval_rss

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"),
]
BIN = Path(sys.executable).parent
GENERATED = ("index.md", "archive.md", "feed.xml", "atom.xml", "days", "categories", "sources",
             "feeds", "stories", "top-stories.*")


def original_page(article: dict) -> str:
    return (f"<!doctype html><html lang=en><title>{html.escape(article['title'])}</title>"
            f"<h1>{html.escape(article['title'])}</h1><p>{html.escape(article['body'])}</p></html>")


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(the built site's base URL, the feed server): fetched, paged and built once."""
    site = tmp_path_factory.mktemp("stories") / "site-root"
    site.mkdir()
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    shutil.copytree(REPO / "docs", site / "docs", ignore=shutil.ignore_patterns(*GENERATED))
    shutil.copytree(REPO / "overrides", site / "overrides",
                    ignore=shutil.ignore_patterns("digest-generated", "__pycache__"))
    # The site's own welcome post is dated after the set: it would be the whole edition.
    shutil.rmtree(site / "docs" / "posts" / "editors")
    feeds = FeedServer()
    feeds.thread.start()
    by_source = defaultdict(list)
    for article in eval_articles("stories_eval"):
        by_source[article["source"]].append(article)
        feeds.add(f"/news/{article['name']}", original_page(article),
                  content_type="text/html; charset=utf-8")
    urls = [feeds.add(f"/feed-{number}.xml", eval_rss(source, feeds.base, items, with_summary=True))
            for number, (source, items) in enumerate(sorted(by_source.items()))]
    (site / "feeds.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    run([str(BIN / "digest"), "fetch"], site)
    run([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], site)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(site / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", feeds, site
    server.shutdown()
    server.server_close()
    feeds.httpd.shutdown()
    feeds.httpd.server_close()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        assert not errors, errors


def test_front_page_to_story_to_article_to_the_original(page, served):
    base, feeds, site = served
    page.goto(base)
    stories = page.locator(".digest-top-story")
    assert 1 <= stories.count() <= 12
    check_accessibility(page)
    # A top story told by several sources: its "N sources" leads to the story's page.
    story = page.locator(".digest-top-story", has=page.locator('.digest-story-sources a[href^="stories/"]')).first
    headline = story.locator("h3").inner_text()
    sources = story.locator('.digest-story-sources a[href^="stories/"]')
    count = int(sources.inner_text().split()[0])
    assert count >= 2
    # Each source's name links to our page of its article.
    names = story.locator('.digest-story-sources a[href^="posts/"]')
    assert names.count() == count
    sources.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("h1").inner_text() == headline
    check_accessibility(page)
    timeline = page.locator(".digest-timeline h3 a")
    reports = timeline.count()
    assert reports >= count
    first_title = timeline.first.inner_text()
    timeline.first.click()
    page.wait_for_url("**/posts/**")
    assert page.locator("h1").inner_text() == first_title
    check_accessibility(page)
    # The article names its story once, and lists the story's other reports.
    assert page.locator("a.digest-story-link").count() == 1
    assert page.locator(".digest-more-on-story li").count() == reports - 1
    original = page.locator(".digest-original a")
    with page.context.expect_page() as opened:
        original.click()
    source_page = opened.value
    source_page.wait_for_load_state()
    assert source_page.url.startswith(feeds.base + "/news/")
    assert source_page.locator("h1").inner_text() == first_title
    # And back on the article, the story link leads to the same story page.
    page.locator("a.digest-story-link").click()
    page.wait_for_url("**/stories/**")
    assert page.locator("h1").inner_text() == headline


def test_the_nightly_rerun_changes_nothing(served):
    _, _, site = served
    kept = (site / "digest-stories.json").read_text(encoding="utf-8")
    out = run([str(BIN / "digest"), "pages"], site)
    assert "0 written" in out
    assert (site / "digest-stories.json").read_text(encoding="utf-8") == kept
