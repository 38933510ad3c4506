"""The membership appeal: its settings, its line in the site's feeds, and the block the theme
renders (a real `digest pages` and `mkdocs build --strict` on a scratch copy of the site)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from digest.config import load_settings, validate_digest_options
from digest.site.appeal import appeal_outputs, script_settings, template_safe_json
from digest.site.feeds import appeal_line, rss_feed
from digest.site.locale import Site
from digest.store.posts import Post

BIN = Path(sys.executable).parent
SITE_URL = "https://example.org/digest/"


def support_errors(support) -> list[str]:
    return validate_digest_options({"support": support})[1]


# --- Settings -------------------------------------------------------------------------------

def test_support_false_hides_the_appeal_and_keeps_the_defaults():
    appeal = validate_digest_options({"support": False})[0]["support"]
    assert appeal.enabled is False and appeal.button == "Become a member"


def test_a_link_must_be_a_page_or_an_address_a_reader_can_follow():
    assert support_errors({"link": "support.md#tiers"}) == []
    assert support_errors({"link": "mailto:members@example.org"}) == []
    assert support_errors({"link": "https://example.org/join"}) == []
    assert support_errors({"link": "javascript:alert(1)"}) == [
        "extra.digest.support.link: expected a page such as support.md or an https:// or "
        "mailto: address, got 'javascript:alert(1)'"]


def test_variants_are_checked_like_the_appeal_itself():
    assert support_errors({"variants": {"Sport": {"text": "", "colour": "red"}}}) == [
        "extra.digest.support.variants.Sport.colour: unknown setting",
        "extra.digest.support.variants.Sport.text: expected non-empty text, got ''"]


def test_a_variant_overrides_only_what_it_sets():
    appeal = validate_digest_options({"support": {
        "heading": "Keep it free", "variants": {"Sport": {"text": "Sport is free too."}}}})[0]["support"]
    assert appeal.for_categories(("News", "Sport")) == {
        "heading": "Keep it free", "text": "Sport is free too.", "button": "Become a member",
        "link": "support.md"}
    assert appeal.for_categories(("News",))["text"] == appeal.text


def errors_of(**digest) -> list[str]:
    return validate_digest_options(digest)[1]


def test_the_scripts_texts_and_wordings_are_checked():
    assert support_errors({"count": "You read a lot.", "thanks": "", "not_now": "Later"}) == [
        "extra.digest.support.count: must contain {count} where the number goes, got 'You read a lot.'",
        "extra.digest.support.thanks: expected non-empty text, got ''"]
    assert support_errors({"wordings": {"only": {"heading": "One"}}}) == [
        "extra.digest.support.wordings: give two or more wordings to compare, or none"]
    assert support_errors({"wordings": {"a b": {}, "b": {"link": "x.md", "count": False},
                                        "c": {"count": "no number"}, "d": None}}) == [
        "extra.digest.support.wordings.a b: a wording's name is letters, digits, - and _ "
        "(it names the wording in the analytics events)",
        "extra.digest.support.wordings.b.link: unknown setting",
        "extra.digest.support.wordings.c.count: must contain {count} where the number goes, "
        "got 'no number'"]


def test_the_appeals_numbers_are_checked():
    assert errors_of(appeal_count_from=1, appeal_dismiss_days=0, appeal_full_views=-1,
                     member_days=0) == [
        "extra.digest.appeal_count_from: must be 0 (never) or 2 or more",
        "extra.digest.appeal_dismiss_days: must be greater than 0",
        "extra.digest.appeal_full_views: must be 0 (no cap) or more",
        "extra.digest.member_days: must be greater than 0"]
    assert errors_of(appeal_count_from=0, appeal_full_views=0) == []


def test_analytics_is_one_of_three_services_at_an_https_address():
    assert errors_of(analytics={"provider": "plausible", "site": "example.org"}) == []
    assert errors_of(analytics={"provider": "goatcounter",
                                "endpoint": "https://digest.goatcounter.com/count"}) == []
    assert errors_of(analytics={"provider": "google"}) == [
        "extra.digest.analytics: provider: expected one of plausible, goatcounter, umami, got 'google'"]
    assert errors_of(analytics={"provider": "goatcounter"}) == [
        "extra.digest.analytics: endpoint: expected the https:// address events are sent to "
        "(for GoatCounter https://CODE.goatcounter.com/count), got ''"]
    assert errors_of(analytics={"provider": "umami", "endpoint": "http://stats.example/api/send",
                                "site": "x"})[0].startswith("extra.digest.analytics: endpoint:")
    assert errors_of(analytics={"provider": "umami"}) == [
        "extra.digest.analytics: site: expected the site's domain as Plausible knows it, or "
        "Umami's website id, got ''"]
    assert errors_of(analytics={"provider": "plausible", "site": "x", "cookie": True}) == [
        "extra.digest.analytics: unknown setting 'cookie' (known: provider, endpoint, site)"]


def test_the_script_gets_its_texts_in_the_sites_language_unless_mkdocs_yml_sets_them(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["language"] = "hu"
    config["extra"]["digest"]["support"]["not_now"] = "Majd máskor"
    config["extra"]["digest"]["analytics"] = {"provider": "umami", "site": "5e1c-site"}
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    found = script_settings(Site(load_settings(site / "mkdocs.yml")))
    assert found["texts"] == {
        "count": "Az elmúlt 30 napban {count} cikket olvastál nálunk.",
        "not_now": "Majd máskor",
        "quiet": "Ez a hírösszefoglaló azért ingyenes, mert az olvasói fenntartják.",
        "already_member": "Már tag vagyok",
        "thanks": "Köszönjük, hogy tag vagy: te tartod mindenki számára ingyenesen elérhetővé."}
    assert found["analytics"] == {"provider": "umami", "endpoint": "https://cloud.umami.is/api/send",
                                  "site": "5e1c-site"}
    assert (found["countFrom"], found["dismissDays"], found["fullViews"], found["memberDays"]) == (
        3, 7, 3, 365)


def test_the_scripts_settings_can_neither_close_their_block_nor_open_a_template_tag(site):
    text = "</script><script>alert(1)</script> {{ config }} {% raw %} & {#"
    assert template_safe_json({"a": [text, 1, None, False]}) == (
        r'{"a":["\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e '
        r'\u007b\u007b config \u007d\u007d \u007b% raw %\u007d \u0026 \u007b#",1,null,false]}')
    assert json.loads(template_safe_json({"a": [text]})) == {"a": [text]}
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["digest"]["support"]["thanks"] = text
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    block = appeal_outputs(Site(load_settings(site / "mkdocs.yml")))["appeal.html"]
    assert block.count("<") == 2 and "{{" not in block and "{%" not in block and "{#" not in block
    inner = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert json.loads(inner)["texts"]["thanks"] == text


def test_no_script_settings_where_the_appeal_is_off_everywhere(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["digest"]["support"] = False
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert appeal_outputs(Site(load_settings(site / "mkdocs.yml"))) == {"appeal.html": ""}


# --- The site's own feed ---------------------------------------------------------------------

def article(categories=(), support=True, summary="A short summary.") -> Post:
    return Post(src="posts/2026/11/10/match.md", id="match", title="Cup final tonight",
                date=datetime(2026, 11, 10, 8, tzinfo=timezone.utc), source="Wire",
                link="https://example.org/m", author="", categories=tuple(categories),
                summary=summary, text="", see_also=None, support=support, generated=True)


@pytest.fixture
def settings(site):
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "heading: Keep the digest free for everyone", "heading: Keep <it> free & \"open\"")
    config.write_text(text, encoding="utf-8")
    return load_settings(config)


def test_each_feed_item_ends_with_a_short_appeal_line(settings):
    assert appeal_line(settings, article()) == (
        'Keep <it> free & "open". Become a member: https://example.org/digest/support/')
    feed = ET.fromstring(rss_feed(settings, [article()], "t", "d", "feed.xml", ""))
    description = feed.find("channel/item/description").text
    assert description == ("A short summary.\n\n" + appeal_line(settings, article()))


def test_the_feed_line_uses_the_category_variant(settings, site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["digest"]["support"]["variants"]["Sport"].update(
        {"heading": "Sport stays free!", "link": "https://example.org/join-sport"})
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    sport = load_settings(site / "mkdocs.yml")
    assert appeal_line(sport, article(["Sport"])) == (
        "Sport stays free! Become a member: https://example.org/join-sport")


def test_no_feed_line_where_the_appeal_is_hidden(settings):
    assert appeal_line(settings, article(support=False)) == ""
    hidden = type(settings.support)(**{**settings.support.__dict__, "enabled": False})
    off = type(settings)(**{**settings.__dict__, "support": hidden})
    assert appeal_line(off, article()) == ""
    feed = ET.fromstring(rss_feed(off, [article()], "t", "d", "feed.xml", ""))
    assert feed.find("channel/item/description").text == "A short summary."


# --- The rendered site -------------------------------------------------------------------------

POSTS = {
    "posts/editors/news.md": ("Harbour reopens", ["News"], ""),
    "posts/editors/sport.md": ("Cup final tonight", ["Sport"], ""),
    "posts/editors/quiet.md": ("An obituary", ["News"], "support: false\n"),
}


def write_posts(site: Path) -> None:
    for src, (title, categories, extra) in POSTS.items():
        path = site / "docs" / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {title}\ndate: 2026-11-24T08:00:00+00:00\n"
                        f"categories: [{', '.join(categories)}]\n{extra}---\n\n{title}: the story.\n",
                        encoding="utf-8")


def build(site: Path) -> Path:
    for command in ([str(BIN / "digest"), "pages"], [str(BIN / "mkdocs"), "build", "--strict", "--quiet"]):
        result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


def html_of(built: Path, src: str) -> str:
    return (built / src.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_appeal_on_articles_and_listing_pages(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "heading: Keep the digest free for everyone", 'heading: Keep <b>it</b> free & "open"'),
        encoding="utf-8")
    write_posts(site)
    built = build(site)

    news = html_of(built, "posts/editors/news.md")
    assert news.count('class="digest-support digest-support--article"') == 1
    assert '<h2 class="digest-support__heading">Keep &lt;b&gt;it&lt;/b&gt; free &amp; &#34;open&#34;</h2>' in news
    assert "We read hundreds of sources every night" in news
    # A real link, styled as a button, to the support page, relative to the article.
    assert ('<a class="digest-support__button md-button md-button--primary" '
            'href="../../../support/">Become a member</a>') in news
    assert (built / "posts/editors/news/../../../support/index.html").resolve().is_file()

    sport = html_of(built, "posts/editors/sport.md")
    assert "Results, transfers and the stories behind them" in sport
    assert "We read hundreds of sources every night" not in sport

    assert 'class="digest-support' not in html_of(built, "posts/editors/quiet.md")

    front = (built / "index.html").read_text(encoding="utf-8")
    assert '<aside class="digest-support digest-support--list"' in front
    assert '<strong class="digest-support__heading">Keep &lt;b&gt;it&lt;/b&gt;' in front
    assert 'href="support/">Become a member</a>' in front

    support = html_of(built, "support.md")
    assert "Membership tiers" in support and 'class="digest-support' not in support
    assert 'href="mailto:members@example.org?subject=Membership">Become a member</a>' in support


@pytest.mark.slow
def test_support_false_in_mkdocs_yml_hides_it_everywhere(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["digest"]["support"] = False
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    write_posts(site)
    built = build(site)
    pages = [html_of(built, src) for src in POSTS] + [(built / "index.html").read_text(encoding="utf-8")]
    assert all('class="digest-support' not in page for page in pages)
    assert "Become a member:" not in (site / "docs" / "feed.xml").read_text(encoding="utf-8")


# --- Readable in both palettes (Debian's chromium through Playwright) ----------------------------

CONTRAST = """() => {
  const rgba = text => (text.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  // The colour behind an element: its own background over its ancestors' (alpha-composited).
  const behind = el => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) layers.push(rgba(getComputedStyle(node).backgroundColor));
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la] of layers.reverse()) {
      [r, g, b] = [r + (lr - r) * la, g + (lg - g) * la, b + (lb - b) * la];
    }
    return [r, g, b];
  };
  const pair = selector => {
    const el = document.querySelector(selector);
    const [r, g, b, a] = rgba(getComputedStyle(el).color);
    const [br, bg, bb] = behind(el);
    return {fg: [br + (r - br) * a, bg + (g - bg) * a, bb + (b - bb) * a], bg: [br, bg, bb]};
  };
  return {scheme: document.body.getAttribute('data-md-color-scheme'),
          text: pair('.digest-support__text'), heading: pair('.digest-support__heading'),
          button: pair('.digest-support__button')};
}"""


def contrast(pair: dict) -> float:
    """The WCAG 2 contrast ratio of a foreground and background colour (0-255 channels)."""
    def luminance(rgb):
        def channel(value):
            value /= 255
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        r, g, b = map(channel, rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(pair["fg"]), luminance(pair["bg"])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_the_appeal_is_readable_in_light_and_dark_and_its_button_is_a_link(site):
    from playwright.sync_api import sync_playwright

    write_posts(site)
    built = build(site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            for scheme, expected in (("light", "default"), ("dark", "slate")):
                page = browser.new_page(color_scheme=scheme)
                page.goto((built / "posts/editors/news/index.html").as_uri())
                found = page.evaluate(CONTRAST)
                assert found["scheme"] == expected
                for part in ("text", "heading", "button"):
                    assert contrast(found[part]) >= 4.5, (scheme, part, found[part])
                page.hover(".digest-support__button")
                page.wait_for_timeout(400)     # Material's colour transition
                assert contrast(page.evaluate(CONTRAST)["button"]) >= 4.5, (scheme, "hover")
                button = page.get_by_role("link", name="Become a member")
                assert button.evaluate("el => el.tagName") == "A"
                button.click()
                assert page.url.endswith("/support/index.html") or page.url.endswith("/support/")
                page.close()
        finally:
            browser.close()
