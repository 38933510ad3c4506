"""The built site in a real browser: Debian's chromium driven by Playwright (never a browser
download). The site is tests/test_site.py's (fetched from a local feed server, built with
`mkdocs build --strict`, then `digest publish`), served over HTTP on 127.0.0.1 so search's
web worker can run. Every test runs on the site built by each engine: MkDocs with
mkdocs-material, and Zensical, which reads the same docs/ and mkdocs.yml.

Screenshots of the front page and an article page (light and dark) go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, build_test_site, check_accessibility, serve_static

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"),
]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def base_url(request, tmp_path_factory, shared_builds):
    site = build_test_site(tmp_path_factory.mktemp("browser") / "root", engine=request.param,
                           shared=shared_builds)
    server, base = serve_static(site)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def test_reader_follows_an_article_and_its_see_also(page, base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "The Nightly Digest"
    check_accessibility(page)
    page.screenshot(path=str(ARTIFACTS / "front-page.png"), full_page=True)

    page.get_by_role("link", name="Headland lighthouse restoration draws crowds of visitors").first.click()
    page.wait_for_url("**/posts/2026/11/23/**")
    assert page.locator("h1").inner_text() == "Headland lighthouse restoration draws crowds of visitors"
    assert "/posts/2026/11/23/" in page.url
    original = page.get_by_role("link", name="Read the original at River Post")
    assert original.get_attribute("rel") == "noopener"
    check_accessibility(page)
    page.screenshot(path=str(ARTIFACTS / "article-page.png"), full_page=True)

    see_also = page.locator(".digest-more-on-story a, .digest-see-also a").first
    title = see_also.inner_text()
    see_also.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    check_accessibility(page)


def test_appeal_button_is_visible_and_leads_to_the_support_page(page, base_url):
    page.goto(base_url + "posts/2026/11/22/street-musicians-return-to-the-harbour-market/")
    button = page.locator(".digest-support__button")
    assert button.is_visible()
    assert button.inner_text() == "Become a member"
    button.click()
    page.wait_for_load_state()
    assert page.url == base_url + "support/"
    assert page.locator("h1").inner_text() == "Support independent news"
    check_accessibility(page)
    page.goto(base_url)
    assert page.locator(".digest-support--list .digest-support__button").is_visible()


def search_for(page, words: str):
    """Type into Pagefind's box on the search page; the first result once it has loaded
    (Pagefind shows a placeholder of dots while it fetches a result's fragment; its link
    comes with the loaded result, and on a busy machine the placeholder can last a while)."""
    box = page.locator(".pagefind-ui__search-input")
    box.wait_for(state="visible", timeout=15_000)
    box.click()
    page.keyboard.type(words, delay=30)
    result = page.locator(".pagefind-ui__result").first
    result.locator(".pagefind-ui__result-link").first.wait_for(state="visible", timeout=15_000)
    return result


def test_search_finds_an_article_by_a_word_in_its_text(page, base_url):
    downloads = []
    page.on("response", lambda response: downloads.append(response.url))
    page.goto(base_url)
    page.locator(".md-tabs a", has_text="Search").first.click()
    page.wait_for_load_state()
    assert page.url == base_url + "search/"
    check_accessibility(page)
    result = search_for(page, "marimba")
    assert "Street musicians return to the harbour market" in result.inner_text()
    # Only the chunks the query needs: never a file with the whole site's text.
    assert any("/pagefind/index/" in url for url in downloads)
    assert not any(url.endswith(("search_index.json", "search.json")) for url in downloads)
    result.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url == base_url + "posts/2026/11/22/street-musicians-return-to-the-harbour-market/"


def test_old_articles_are_found_by_their_summary_not_their_text(page, base_url):
    page.goto(base_url + "search/?q=lantern")
    old = page.locator(".pagefind-ui__result", has_text="Volunteers begin restoring the old lighthouse lantern")
    old.wait_for(state="visible", timeout=15_000)
    # "glassworks" is only in that old article's text, beyond search_full_days.
    page.goto(base_url + "search/?q=glassworks")
    page.locator(".pagefind-ui__message").wait_for(state="visible", timeout=15_000)
    page.wait_for_function("document.querySelector('.pagefind-ui__message').innerText.includes('No results')")
    assert page.locator(".pagefind-ui__result").count() == 0


def test_phone_reader_searches_from_the_drawer(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base_url)
        page.locator("label.md-header__button[for=__drawer]").click()
        link = page.locator(".md-nav--primary a", has_text="Search").first
        link.wait_for(state="visible")
        link.click()
        page.wait_for_load_state()
        result = search_for(page, "marimba")
        assert "Street musicians return to the harbour market" in result.inner_text()
    finally:
        context.close()


def test_a_title_with_markup_reads_as_text_after_minifying(page, base_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "posts/editors/markup-title/")
    shown = 'Why we print <script>alert("tide")</script> as text & keep *stars*'
    assert page.title() == shown + " - The Nightly Digest"
    assert page.locator("h1").inner_text() == shown
    assert page.evaluate("document.querySelector('meta[property=\"og:title\"]').content") == shown
    assert page.evaluate("[...document.scripts].filter(s => !s.src && s.text.includes('alert')).length") == 0
    assert not dialogs


def test_dark_mode_switch(page, base_url):
    page.goto(base_url + "posts/2026/11/21/volunteers-begin-restoring-the-old-lighthouse-lantern/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.get_by_title("Switch to dark mode").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.querySelector('.md-main')).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    check_accessibility(page)
    page.screenshot(path=str(ARTIFACTS / "article-page-dark.png"), full_page=True)
    # The choice is remembered on the next page.
    page.goto(base_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_phone_reader_reaches_the_sections_from_the_drawer(browser, base_url):
    # Listing pages hide the desktop sidebar; on a phone the drawer must still hold the nav.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in ("", "posts/2026/11/22/street-musicians-return-to-the-harbour-market/"):
            page.goto(base_url + path)
            page.locator("label.md-header__button[for=__drawer]").click()
            archive = page.locator(".md-nav--primary a", has_text="Archive").first
            archive.wait_for(state="visible")
            archive.click()
            page.wait_for_load_state()
            assert page.url == base_url + "archive/"
            assert page.locator("h1").inner_text() == "Archive"
    finally:
        context.close()


# --- The accessibility audit: axe-core (npm, pinned in the Makefile) in the real browser ------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AUDITED = {
    "front page": "",
    "daily digest": "days/2026-11-23/",
    # An article with its see-also block (the lighthouse stories link to each other).
    "article": "posts/2026/11/23/headland-lighthouse-restoration-draws-crowds-of-visitors/",
    "support page": "support/",
    "category": "categories/",
}
VIEWS = {
    "light desktop": ("light", {"width": 1280, "height": 900}),
    "dark desktop": ("dark", {"width": 1280, "height": 900}),
    "light phone": ("light", {"width": 390, "height": 844}),
    "dark phone": ("dark", {"width": 390, "height": 844}),
}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({rule: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def story_page_of_the_article(page, base_url: str) -> str | None:
    """The page of the audited article's story, where the site has story pages (the article
    links to it); None where it has none."""
    page.goto(base_url + AUDITED["article"])
    links = page.evaluate("[...document.querySelectorAll('.md-content a[href]')]"
                          ".map(a => a.href).filter(h => h.includes('/stories/'))")
    return links[0] if links else None


def open_search_results(page, base_url: str, phone: bool) -> None:
    # Pagefind's box on the search page (the same on a phone); ?q= searches at once.
    page.goto(base_url + "search/?q=lighthouse")
    page.locator(".pagefind-ui__result").first.wait_for(state="visible", timeout=15_000)


@pytest.mark.parametrize("view", VIEWS)
def test_no_serious_or_critical_accessibility_violations(browser, base_url, view):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make test installs it from npm)")
    scheme, viewport = VIEWS[view]
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    found = {}
    try:
        for name, path in AUDITED.items():
            page.goto(base_url + path)
            found[name] = serious_violations(page)
        story = story_page_of_the_article(page, base_url)
        if story:
            page.goto(story)
            found["story page"] = serious_violations(page)
        open_search_results(page, base_url, phone=viewport["width"] < 600)
        found["search results"] = serious_violations(page)
    finally:
        context.close()
    assert len(found) == len(AUDITED) + 1 + bool(story)
    assert {name: v for name, v in found.items() if v} == {}, view
