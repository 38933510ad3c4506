"""digest.site.theme: the URL rules of digest/site/urls.py as the theme reads them, from the
template `digest pages` writes (rendered here with Jinja, as MkDocs renders it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
import yaml

from digest.config import load_settings
from digest.site import urls
from digest.site.theme import urls_template
from tests.conftest import REPO

BIN = Path(sys.executable).parent


@pytest.fixture
def settings():
    return load_settings(REPO / "mkdocs.yml")


def rule(settings, digest_url: str, **context) -> str:
    """What the theme gets for ``digest_url``; the ``url`` filter marks what it would relativise."""
    env = jinja2.Environment()
    env.filters["url"] = lambda path: f"url({path})"
    return env.from_string(urls_template(settings)).render(digest_url=digest_url, **context)


def test_the_theme_gets_the_feeds_file_names(settings):
    assert rule(settings, "site_rss") == urls.SITE_RSS
    assert rule(settings, "site_atom") == urls.SITE_ATOM


@pytest.mark.parametrize("posts_dir", ["posts", "news/archive"])
def test_the_theme_finds_an_articles_fragment_file_by_the_same_rule(settings, posts_dir):
    url = f"{posts_dir}/2026/11/23/a-story/"
    expected = f"{urls.FRAGMENTS_DIR}/{urls.fragments_file(url, posts_dir)}"
    assert rule(replace(settings, posts_dir=posts_dir), "fragments", page={"url": url}) == expected


def test_the_appeals_links_are_published_by_the_same_rule(settings):
    support = replace(settings.support, link="support.md#tiers", variants={
        "Sport": {"link": "https://pay.example/sport?a=1&b=2"}, "News": {"link": "mailto:desk@example.org"},
        "Culture": {"link": "culture/join.md"}})
    site = replace(settings, support=support)
    assert rule(site, "support", link="support.md#tiers") == "url(support/#tiers)"
    assert rule(site, "support", link="culture/join.md") == "url(culture/join/)"
    assert rule(site, "support", link="support.md") == "url(support/)"      # the partial's default
    assert rule(site, "support", link="https://pay.example/sport?a=1&b=2") == "https://pay.example/sport?a=1&b=2"
    assert rule(site, "support", link="mailto:desk@example.org") == "mailto:desk@example.org"
    assert rule(site, "support", link="elsewhere.md") == ""                  # not configured: the raw link
    flat = replace(site, use_directory_urls=False)
    assert rule(flat, "support", link="support.md#tiers") == "url(support.html#tiers)"


def test_a_link_with_quotes_or_braces_stays_a_string(settings):
    odd = 'join "now" {{ x }}.md'
    site = replace(settings, support=replace(settings.support, link=odd))
    assert rule(site, "support", link=odd) == 'url(join "now" {{ x }}/)'


def test_the_theme_holds_none_of_these_rules_itself():
    theme = "".join(path.read_text(encoding="utf-8") for path in
                    [REPO / "overrides" / "main.html", *(REPO / "overrides" / "partials").glob("*.html")])
    for rule_text in ("feed.xml", "atom.xml", ".atom", "+ 12", "YYYY", '".md"', ".md#", "page_end"):
        assert rule_text not in theme, rule_text


# --- The rules at work in a real build --------------------------------------------------------

@pytest.mark.slow
def test_a_site_with_its_own_posts_folder_and_plain_html_urls(site):
    """posts_dir: news and use_directory_urls: false change every rule the theme needs; a real
    `digest pages` and `mkdocs build --strict` still find each fragment, feed and link."""
    shutil.move(site / "docs" / "posts", site / "docs" / "news")
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["use_directory_urls"] = False
    config["extra"]["digest"]["posts_dir"] = "news"
    config["extra"]["digest"]["support"]["link"] = "support.md#membership-tiers"
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for command in (["digest", "pages"], ["mkdocs", "build", "--strict", "--quiet"]):
        result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=site,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    article = (site / "site" / "news" / "editors" / "welcome.html").read_text(encoding="utf-8")
    # The byline comes from the day's fragment file (the fallback has no reading time).
    assert '<span class="digest-reading-time">1 min read</span>' in article
    assert 'href="../../feed.xml"' in article and 'href="../../atom.xml"' in article
    assert 'href="../../support.html#membership-tiers">Become a member</a>' in article
    about = (site / "site" / "categories" / "about.html").read_text(encoding="utf-8")
    assert 'title="About (Atom)" href="../feeds/about.atom"' in about
