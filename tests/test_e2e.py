"""The foundation's contract, end to end as a publisher uses it.

`digest fetch` runs as a real subprocess in a copy of the site, over feeds served by a real
HTTP server on 127.0.0.1, then a real `mkdocs build --strict` builds the site and the test
reads the HTML a reader would get.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers import digest, mkdocs_build

E2E = DATA / "e2e"


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and path.relative_to(root).parts[0] != "site"}


@pytest.fixture
def served_site(site, feed_server):
    gazette = feed_server.add_file("/gazette.xml", E2E / "harbour-gazette.xml")
    ledger = feed_server.add_file("/ledger.atom", E2E / "coastal-ledger.atom",
                                  content_type="application/atom+xml")
    missing = feed_server.url("/gone.xml")
    not_a_feed = feed_server.add("/page.html", "<html><body>Hello</body></html>",
                                 content_type="text/html")
    (site / "feeds.txt").write_text(
        f"# test feeds\n{gazette} Harbour Gazette\n{ledger}\n{missing} Missing Feed\n"
        f"{not_a_feed} Not A Feed\n", encoding="utf-8")
    return site


@pytest.mark.slow
def test_fetch_then_build_publishes_articles_with_see_also_and_appeal(served_site):
    fetched = digest(served_site, "fetch")
    assert fetched.returncode == 0, fetched.stderr
    # Broken feeds are reported with URL and reason; the others still made it.
    assert re.search(r"failed: http://127\.0\.0\.1:\d+/gone\.xml \(Missing Feed\): HTTP 404", fetched.stdout)
    assert re.search(r"failed: http://127\.0\.0\.1:\d+/page\.html \(Not A Feed\): not a feed", fetched.stdout)
    assert "7 new articles" in fetched.stdout

    posts = sorted((served_site / "docs" / "posts").rglob("*.md"))
    generated = [p for p in posts if "editors" not in p.parts]
    assert len(generated) == 7
    deal = served_site / "docs/posts/2026/11/23/dock-workers-end-three-week-port-strike-after-wage-deal.md"
    text = deal.read_text(encoding="utf-8")
    assert "link: https://harbour-gazette.example/2026/11/port-strike-deal\n" in text  # utm_ gone
    assert "date: '2026-11-23T07:30:00+00:00'" in text
    assert "source: Harbour Gazette" in text and "id: harbour-gazette.example#hg-1001" in text  # scoped by its site
    assert "categories:\n- Business" in text

    built = mkdocs_build(served_site)
    assert built.returncode == 0, built.stderr
    site_dir = served_site / "site"
    page = (site_dir / "posts/2026/11/25/shipping-lines-reroute-containers-as-port-backlog-lingers/"
            "index.html").read_text(encoding="utf-8")
    assert "Shipping lines reroute containers as port backlog lingers</h1>" in page
    assert 'class="digest-original"' in page
    assert 'href="https://coastal-ledger.example/markets/port-backlog-reroute" rel="noopener"' in page
    assert 'class="digest-support' in page and ">Become a member</a>" in page
    # Related coverage: the other reports of its story (More on this story, with the story's
    # page), then other stories (See also).
    blocks = re.findall(r'<nav class="digest-(?:more-on-story|see-also|follow-up)".*?</nav>', page, re.S)
    targets = [target for block in blocks for target in re.findall(r'href="([^"]+)"', block)]
    assert 1 <= len(targets) <= 8
    page_dir = site_dir / "posts/2026/11/25/shipping-lines-reroute-containers-as-port-backlog-lingers"
    for target in targets:   # every see-also link resolves to a built page
        assert (page_dir / target / "index.html").resolve().is_file(), target
    assert any("container-backlog" in t for t in targets)
    assert not any("bakery" in t or "cycle-lanes" in t for t in targets)

    # A title carrying markup reaches the page as text, never as a tag.
    lifeboat = next(site_dir.glob("posts/2026/11/25/*lifeboat*/index.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in lifeboat
    assert "Lifeboat crew rescues two sailors" in lifeboat

    # The hand-written post is listed (on its day's digest: the front page shows the latest
    # edition) and gets the appeal like any other article.
    front = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="digest-support digest-support--list"' in front
    assert any("How this digest is made" in day.read_text(encoding="utf-8")
               for day in (site_dir / "days").glob("*/index.html"))
    welcome = (site_dir / "posts/editors/welcome/index.html").read_text(encoding="utf-8")
    assert 'class="digest-support' in welcome
    # The support page the button leads to exists and does not appeal to itself twice.
    support = (site_dir / "support/index.html").read_text(encoding="utf-8")
    assert "Membership tiers" in support and 'class="digest-support' not in support


@pytest.mark.slow
def test_a_second_run_with_the_same_input_changes_no_file(served_site):
    # Only healthy feeds: a failing feed's streak is news worth recording in the state.
    feeds = served_site / "feeds.txt"
    feeds.write_text("".join(line + "\n" for line in feeds.read_text().splitlines()
                             if "gone" not in line and "page.html" not in line))
    assert digest(served_site, "fetch").returncode == 0
    before = snapshot(served_site)
    again = digest(served_site, "fetch")
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stdout
    assert snapshot(served_site) == before


def test_a_bad_feeds_txt_line_is_one_error_naming_the_line(site):
    (site / "feeds.txt").write_text("https://ok.example/rss\nnot-a-feed-anywhere\n", encoding="utf-8")
    result = digest(site, "fetch")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: feeds.txt:2: not a URL and no such file: 'not-a-feed-anywhere'"
    assert not (site / "digest-state.json").exists()


def test_a_bad_setting_is_one_error_naming_the_key(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("see_also: 3", "see_also: many"),
                      encoding="utf-8")
    result = digest(site, "fetch")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: mkdocs.yml: extra.digest.see_also: expected a whole number, got 'many'"


def test_no_feed_reachable_exits_3(site, feed_server):
    (site / "feeds.txt").write_text(f"{feed_server.url('/nothing.xml')}\n", encoding="utf-8")
    result = digest(site, "fetch")
    assert result.returncode == 3
    assert "Error: no feed at all could be fetched" in result.stderr
