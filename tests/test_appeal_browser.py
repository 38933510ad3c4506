"""The appeal in a real browser: Debian's chromium through Playwright, real localStorage, over
a site built by a real `digest pages` and `mkdocs build --strict` and served on 127.0.0.1.

One site (six editors' posts, two wordings to compare) is built for the whole module, and a
copy of it for each analytics service; every test opens its own browser context, so each starts as
a new reader with empty storage.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tests.conftest import copy_site
from tests.helpers import CHROMIUM, serve_static

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BIN = Path(sys.executable).parent
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"),
]
ARTICLES = [f"posts/editors/story-{n}.md" for n in range(1, 6)] + ["posts/editors/cup-final.md"]
HABIT = "You keep coming back"
MISSION = "Independent news, paid for by the people who read it."
SPORT = "Results and transfers, free every morning."
STATS = "https://stats.example/api/event"


def write_posts(root: Path) -> None:
    for number, src in enumerate(ARTICLES, start=1):
        sport = "cup" in src
        path = root / "docs" / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {'Cup final tonight' if sport else f'Harbour story {number}'}\n"
            f"date: 2026-11-2{number}T08:00:00+00:00\n"
            f"categories: [{'Sport' if sport else 'News'}]\n---\n\n"
            f"The text of story {number}, about the harbour and its boats.\n", encoding="utf-8")


def configure(root: Path, **digest) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["digest"].update(digest)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def build(root: Path) -> Path:
    for command in ([str(BIN / "digest"), "pages"],
                    [str(BIN / "mkdocs"), "build", "--strict", "--quiet"],
                    [str(BIN / "digest"), "publish"]):
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


ANALYTICS = {
    "plausible": {"provider": "plausible", "site": "example.org", "endpoint": STATS},
    "goatcounter": {"provider": "goatcounter", "endpoint": "https://digest.goatcounter.example/count"},
    "umami": {"provider": "umami", "site": "94db1cb1-website", "endpoint": "https://umami.example/api/send"},
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The base URLs of the test site ("plain") and of its copies with each analytics service."""
    root = copy_site(tmp_path_factory.mktemp("appeal") / "root")
    write_posts(root)
    support = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["digest"]["support"]
    support["variants"]["Sport"] = {"text": SPORT}
    support["wordings"] = {"habit": {"heading": HABIT, "count": "That is {count} articles in a month."},
                           "mission": {"text": MISSION}}
    configure(root, support=support, appeal_count_from=2, appeal_full_views=5)
    built = {"plain": shutil.move(build(root), root.parent / "plain")}
    for name, analytics in ANALYTICS.items():
        configure(root, analytics=analytics)
        built[name] = shutil.move(build(root), root.parent / name)
    servers = {name: serve_static(Path(folder)) for name, folder in built.items()}
    yield {name: base for name, (_, base) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture
def reader(browser):
    """A new reader: a fresh browser context (empty localStorage), failing on script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    errors = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield context
    context.close()
    assert not errors, errors


def url_of(base: str, src: str) -> str:
    return base + src.removesuffix(".md") + "/"


def appeal(page):
    return page.locator(".digest-support")


def stored(page) -> dict:
    return json.loads(page.evaluate("localStorage.getItem('digest-appeal')") or "{}")


def set_stored(page, **values) -> None:
    page.evaluate("values => localStorage.setItem('digest-appeal', JSON.stringify("
                  "Object.assign(JSON.parse(localStorage.getItem('digest-appeal') || '{}'), values)))",
                  values)


def test_the_count_of_articles_read_rises_across_page_views(reader, sites):
    page = reader.new_page()
    page.goto(url_of(sites["plain"], ARTICLES[0]))
    assert page.locator(".digest-support--enhanced").is_visible()
    assert page.locator(".digest-support__count").count() == 0      # one article: no count yet
    set_stored(page, bucket=1)      # the "mission" wording, which keeps the default count text
    page.goto(url_of(sites["plain"], ARTICLES[1]))
    assert page.locator(".digest-support__count").inner_text() == (
        "You have read 2 articles here in the last 30 days.")
    page.reload()                   # the same article again is not a new one
    assert "read 2 articles" in page.locator(".digest-support__count").inner_text()
    page.goto(url_of(sites["plain"], ARTICLES[2]))
    assert "read 3 articles" in page.locator(".digest-support__count").inner_text()
    # The front page counts nothing itself, and its one-line appeal carries the count too.
    page.goto(sites["plain"])
    assert "You have read 3 articles" in page.locator(".digest-support--list").inner_text()
    # Reads older than 30 days drop out of the count.
    reads = stored(page)["reads"]
    oldest = min(reads, key=reads.get)
    reads[oldest] = int(time.time() * 1000) - 31 * 24 * 3600 * 1000
    set_stored(page, reads=reads)
    page.goto(url_of(sites["plain"], ARTICLES[3]))
    assert "read 3 articles" in page.locator(".digest-support__count").inner_text()
    assert set(stored(page)["reads"]) == {url.removesuffix(".md") + "/" for url in ARTICLES[1:4]}


def test_not_now_by_keyboard_holds_after_a_reload_and_until_the_days_are_up(reader, sites):
    page = reader.new_page()
    page.goto(url_of(sites["plain"], ARTICLES[0]))
    page.locator(".digest-support__button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Not now"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "I'm already a member"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    # The control is gone; the focus is on the one-line form, which says what is left.
    quiet = page.locator(".digest-support__quiet")
    assert quiet.inner_text() == "This digest is free because readers fund it. Become a member"
    assert page.evaluate("document.activeElement.classList.contains('digest-support__quiet')")
    page.keyboard.press("Tab")      # on to the quiet form's link, then out of the appeal
    assert page.evaluate("document.activeElement.classList.contains('digest-support__link')")
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('.digest-support')")

    dismissed_until = stored(page)["dismissedUntil"]
    assert abs(dismissed_until / 1000 - (time.time() + 7 * 24 * 3600)) < 120
    page.reload()
    assert page.locator(".digest-support__quiet").is_visible()
    assert page.get_by_role("button", name="Not now").count() == 0
    page.goto(url_of(sites["plain"], ARTICLES[1]))
    assert page.locator(".digest-support__quiet").is_visible()
    page.goto(sites["plain"])
    assert page.locator(".digest-support__quiet").is_visible()
    # Seven days later (the stored date moved back instead) the full appeal is back.
    set_stored(page, dismissedUntil=int(time.time() * 1000) - 1000)
    page.goto(url_of(sites["plain"], ARTICLES[2]))
    assert page.get_by_role("button", name="Not now").is_visible()


def test_the_full_appeal_shows_at_most_the_configured_times_a_day(reader, sites):
    page = reader.new_page()
    for _ in range(5):              # appeal_full_views: 5
        page.goto(url_of(sites["plain"], ARTICLES[0]))
        assert page.locator(".digest-support__heading").is_visible()
    page.goto(url_of(sites["plain"], ARTICLES[1]))
    assert page.locator(".digest-support__quiet").is_visible()
    assert page.locator(".digest-support__heading").count() == 0
    # A day later the cap starts again.
    set_stored(page, shown=[int(time.time() * 1000) - 25 * 3600 * 1000] * 5)
    page.reload()
    assert page.locator(".digest-support__heading").is_visible()


def test_a_member_is_thanked_not_asked(reader, sites):
    page = reader.new_page()
    # The payment page sends members back to the support page with ?member=1.
    page.goto(sites["plain"] + "support/?member=1")
    assert page.url == sites["plain"] + "support/"       # the address bar forgets it
    assert abs(stored(page)["memberUntil"] / 1000 - (time.time() + 365 * 24 * 3600)) < 120
    for url in (url_of(sites["plain"], ARTICLES[0]), sites["plain"]):
        page.goto(url)
        assert appeal(page).inner_text() == (
            "Thank you for being a member: you keep this digest free for everyone.")
        assert page.get_by_role("link", name="Become a member").count() == 0

    other = reader.browser.new_context()
    try:
        page = other.new_page()
        page.goto(url_of(sites["plain"], ARTICLES[0]))
        page.get_by_role("button", name="I'm already a member").click()
        assert page.evaluate("document.activeElement.classList.contains('digest-support__thanks')")
        page.reload()
        assert appeal(page).inner_text().startswith("Thank you for being a member")
    finally:
        other.close()


def test_each_reader_keeps_one_wording_and_a_category_variant_keeps_its_own(browser, sites):
    seen = {}
    for bucket, expected in ((0, "habit"), (1, "mission"), (2, "habit")):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(sites["plain"])
            set_stored(page, bucket=bucket)
            for src in ARTICLES[:3]:
                page.goto(url_of(sites["plain"], src))
                assert appeal(page).get_attribute("data-digest-wording") == expected
            heading = page.locator(".digest-support__heading").inner_text()
            text = page.locator(".digest-support__text").inner_text()
            seen[expected] = (heading, text)
            page.goto(url_of(sites["plain"], ARTICLES[-1]))       # the Sport article
            assert page.locator(".digest-support__text").inner_text() == SPORT
        finally:
            context.close()
    assert seen["habit"][0] == HABIT and seen["habit"][1] != MISSION
    assert seen["mission"][1] == MISSION and seen["mission"][0] != HABIT
    # A new reader is put in a bucket once, and stays in it.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url_of(sites["plain"], ARTICLES[0]))
        first = appeal(page).get_attribute("data-digest-wording")
        bucket = stored(page)["bucket"]
        for src in ARTICLES[1:4]:
            page.goto(url_of(sites["plain"], src))
            assert appeal(page).get_attribute("data-digest-wording") == first
        assert stored(page)["bucket"] == bucket
    finally:
        context.close()


def test_without_analytics_no_request_leaves_the_site(reader, sites):
    page = reader.new_page()
    hosts = []
    reader.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    base = sites["plain"]
    for url in [base, url_of(base, ARTICLES[0]), url_of(base, ARTICLES[-1]), base + "support/?member=1",
                base + "days/2026-11-26/", base + "archive/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    reader.clear_cookies()
    page.evaluate("localStorage.clear()")
    page.goto(url_of(base, ARTICLES[1]))
    page.get_by_role("button", name="Not now").click()
    page.goto(base + "search/?q=harbour")
    page.locator(".pagefind-ui__result").first.wait_for(state="visible", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert len(hosts) > 20
    assert set(hosts) == {urlsplit(base).netloc}


def test_plausible_events_carry_the_wording_and_nothing_else(reader, sites):
    events = []

    def record(route):
        events.append((route.request.headers, json.loads(route.request.post_data)))
        route.fulfill(status=202, body="ok")

    reader.route(STATS, record)
    # This reader is in the second bucket ("mission") from the first page on.
    reader.add_init_script("try { localStorage.getItem('digest-appeal') || "
                           "localStorage.setItem('digest-appeal', '{\"bucket\": 1}') } catch (e) {}")
    page = reader.new_page()
    hosts = set()
    reader.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(sites["plausible"])
    page.goto(url_of(sites["plausible"], ARTICLES[0]))
    page.get_by_role("button", name="Not now").click()
    page.goto(url_of(sites["plausible"], ARTICLES[1]))
    page.locator(".digest-support__link").click()
    page.wait_for_load_state()
    deadline = time.time() + 5
    while len(events) < 5 and time.time() < deadline:
        page.wait_for_timeout(100)
    bodies = [body for _, body in events]
    article = url_of(sites["plausible"], ARTICLES[0])
    assert bodies == [
        {"name": "appeal-view", "url": sites["plausible"], "domain": "example.org",
         "props": {"form": "list", "variant": "mission"}},
        {"name": "appeal-view", "url": article, "domain": "example.org",
         "props": {"form": "full", "variant": "mission"}},
        {"name": "appeal-click", "url": article, "domain": "example.org",
         "props": {"action": "not_now", "variant": "mission"}},
        {"name": "appeal-view", "url": url_of(sites["plausible"], ARTICLES[1]), "domain": "example.org",
         "props": {"form": "quiet", "variant": "mission"}},
        {"name": "appeal-click", "url": url_of(sites["plausible"], ARTICLES[1]), "domain": "example.org",
         "props": {"action": "support", "variant": "mission"}},
    ]
    assert all("cookie" not in headers for headers, _ in events)
    assert hosts == {urlsplit(sites["plausible"]).netloc, "stats.example"}


def test_without_javascript_the_static_appeal_shows_as_it_is(browser, sites):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url_of(sites["plain"], ARTICLES[0]))
        assert page.locator(".digest-support__heading").inner_text() == "Keep the digest free for everyone"
        assert "We read hundreds of sources" in page.locator(".digest-support__text").inner_text()
        assert page.get_by_role("link", name="Become a member").is_visible()
        assert page.locator(".digest-support button").count() == 0
        assert page.locator(".digest-support__count").count() == 0
    finally:
        context.close()


def test_without_storage_the_static_appeal_shows_as_it_is(browser, sites):
    # A browser that refuses storage (blocked site data) throws on any use of localStorage.
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'localStorage', "
                            "{get() { throw new DOMException('denied', 'SecurityError'); }});")
    errors = []
    context.on("weberror", lambda error: errors.append(error.error.stack or ""))
    try:
        page = context.new_page()
        for src in ARTICLES[:3]:
            page.goto(url_of(sites["plain"], src))
            assert page.locator(".digest-support--enhanced").count() == 0
            assert page.get_by_role("link", name="Become a member").is_visible()
            assert page.locator(".digest-support button").count() == 0
    finally:
        context.close()
    # Material's own script fails there too; ours must not.
    assert not [stack for stack in errors if "digest-" in stack], errors


def test_the_appeal_has_names_for_a_screen_reader_and_passes_axe_in_every_form(browser, sites):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make test installs it from npm)")
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(url_of(sites["plain"], ARTICLES[0]))
            page.goto(url_of(sites["plain"], ARTICLES[1]))      # two read: the count shows
            region = page.get_by_role("complementary", name=page.locator(
                ".digest-support__heading").inner_text())
            assert region.locator(".digest-support__count").is_visible()
            for name in ("Not now", "I'm already a member"):
                assert region.get_by_role("button", name=name).is_visible()
            assert region.get_by_role("link", name="Become a member").is_visible()
            later = int(time.time() * 1000) + 3_600_000
            for form, values in (("full", {}), ("quiet", {"dismissedUntil": later}),
                                 ("member", {"memberUntil": later})):
                set_stored(page, **{"dismissedUntil": 0, "memberUntil": 0, **values})
                page.reload()
                assert page.locator(f".digest-support{'' if form == 'full' else '--' + form}").count() == 1
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate("""async () => (await axe.run('.digest-support',
                    {resultTypes: ['violations']})).violations
                    .filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)""")
                assert violations == [], (scheme, form)
        finally:
            context.close()


def browse_with_analytics(context, base: str, endpoint: str) -> list:
    """A reader in the "mission" bucket sees the full appeal, then clicks the member button;
    returns the requests that reached ``endpoint`` (answered here, never sent out)."""
    requests = []

    def record(route):
        requests.append(route.request)
        route.fulfill(status=200, body="ok")

    context.route(endpoint + "*", record)
    context.add_init_script("try { localStorage.setItem('digest-appeal', '{\"bucket\": 1}') } catch (e) {}")
    page = context.new_page()
    page.goto(url_of(base, ARTICLES[0]))
    page.get_by_role("link", name="Become a member").click()
    page.wait_for_load_state()
    deadline = time.time() + 5
    while len(requests) < 2 and time.time() < deadline:
        page.wait_for_timeout(100)
    return requests


def test_goatcounter_counts_the_events_as_paths_per_wording(reader, sites):
    requests = browse_with_analytics(reader, sites["goatcounter"], ANALYTICS["goatcounter"]["endpoint"])
    queries = [parse_qs(urlsplit(request.url).query) for request in requests]
    assert queries == [
        {"e": ["true"], "p": ["appeal-view/mission/full"], "t": ["appeal-view/mission/full"]},
        {"e": ["true"], "p": ["appeal-click/mission/support"], "t": ["appeal-click/mission/support"]}]


def test_umami_gets_the_events_with_the_wording_as_data(reader, sites):
    requests = browse_with_analytics(reader, sites["umami"], ANALYTICS["umami"]["endpoint"])
    host = urlsplit(sites["umami"]).hostname
    assert [(r.method, r.headers["content-type"], json.loads(r.post_data)) for r in requests] == [
        ("POST", "application/json", {"type": "event", "payload": {
            "website": "94db1cb1-website", "hostname": host, "url": "/posts/editors/story-1/",
            "name": "appeal-view", "data": {"form": "full", "variant": "mission"}}}),
        ("POST", "application/json", {"type": "event", "payload": {
            "website": "94db1cb1-website", "hostname": host, "url": "/posts/editors/story-1/",
            "name": "appeal-click", "data": {"action": "support", "variant": "mission"}}})]
