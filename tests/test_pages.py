"""digest.site.listings and digest.site.fragments: the listing pages and per-article fragments `digest pages` writes.

The posts are real files in tests/data/pages/posts (three days in May 2021 and one in April,
a title full of markup, a `javascript:` link, an article in two categories, an editor's note).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import pytest
import yaml

from tests.conftest import DATA
from digest.config import load_settings
from digest.pipeline import refresh_pages

POSTS = DATA / "pages" / "posts"


def configure(site: Path, language: str = "en", **digest) -> None:
    """Set theme.language and extra.digest options in the scratch site's mkdocs.yml."""
    path = site / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["theme"]["language"] = language
    config["extra"]["digest"].update(digest)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def pages_site(site: Path) -> Path:
    shutil.rmtree(site / "docs" / "posts")
    shutil.copytree(POSTS, site / "docs" / "posts")
    return site


def build(site: Path):
    return refresh_pages(load_settings(site / "mkdocs.yml"))


def read(site: Path, src: str) -> str:
    return (site / "docs" / src).read_text(encoding="utf-8")


PARTS = {"byline": 0, "original": 1, "see-also": 2}


def fragment(site: Path, src: str, part: str | None = None) -> str:
    """An article's fragment as the theme renders it: one part, or all three."""
    url = src[:-3] + "/"
    path = site / "overrides" / "digest-generated" / "article" / (url[:len("posts/YYYY/MM/DD/")] + "_.html")
    template = jinja2.Template(path.read_text(encoding="utf-8"))
    parts = [part] if part else list(PARTS)
    return "\n".join(template.render(page={"url": url}, digest_part=PARTS[name]) for name in parts)


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_front_page_shows_latest_day_first_grouped_by_category(pages_site):
    configure(pages_site, timezone="Europe/London", locale="en_GB", front_page_days=2)
    build(pages_site)
    front = read(pages_site, "index.md")
    days = re.findall(r"^## \[(.+?)\]\((days/[\d-]+\.md)\)", front, re.M)
    assert days == [("Thursday, 13 May 2021", "days/2021-05-13.md"),
                    ("Wednesday, 12 May 2021", "days/2021-05-12.md")]
    latest = front.split("## [Wednesday")[0]
    assert [c for c in re.findall(r"^### \[(.+?)\]", latest, re.M)] == ["Business", "Local", "Transport"]
    # Title, source, time in the publication's zone (BST: UTC+1), and the summary under it.
    assert ("- [Harbour bridge reopens after repairs](posts/2021/05/13/harbour-bridge-reopens.md) "
            "<small>Coastal Herald · 08:30</small>  \n"
            "  The bridge carries traffic again after eight months of repairs to its cables\\.") in latest
    assert "Rail strike" not in front             # older than front_page_days
    assert front.rstrip().endswith("[All days in the archive](archive.md)")
    assert front_matter(front)["digest_page"] == "front"


def test_markup_in_titles_and_summaries_stays_text(pages_site):
    build(pages_site)
    front = read(pages_site, "index.md")
    line = next(line for line in front.splitlines() if "rally" in line)
    assert "<script>" not in front and "<b>" not in front
    assert r"Markets &lt;script&gt;alert\(1\)&lt;/script&gt; rally on \*strong\* \[earnings\]\(https://evil\.example\)" in line
    assert "{{" not in front


def test_day_pages_link_to_the_previous_and_next_day(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB")
    build(pages_site)
    middle = read(pages_site, "days/2021-05-12.md")
    assert front_matter(middle)["title"] == "Digest, Wednesday, 12 May 2021"
    assert "# Digest, Wednesday, 12 May 2021" in middle
    nav = middle.split('<nav class="digest-day-nav" markdown>')[1]
    assert "[← Friday, 30 April 2021](2021-04-30.md)" in nav
    assert "[Thursday, 13 May 2021 →](2021-05-13.md)" in nav
    assert "[Archive](../archive.md)" in nav
    newest = read(pages_site, "days/2021-05-13.md")
    assert "→" not in newest.split("<nav")[1]
    assert "## [Business](../categories/business.md)" in newest


def test_the_publication_time_zone_decides_the_day(pages_site):
    # 22:30 UTC on 13 May is 00:30 on 14 May in Budapest (CEST, UTC+2).
    configure(pages_site, timezone="Europe/Budapest", locale="en_GB")
    build(pages_site)
    assert "Council approves budget" in read(pages_site, "days/2021-05-14.md")
    assert "Council approves budget" not in read(pages_site, "days/2021-05-13.md")


def test_archive_lists_every_day_by_month(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB")
    build(pages_site)
    archive = read(pages_site, "archive.md")
    assert re.findall(r"^## (.+)$", archive, re.M) == ["May 2021", "April 2021"]
    assert "- [Thursday, 13 May 2021](days/2021-05-13.md) (3)" in archive
    assert "- [Friday, 30 April 2021](days/2021-04-30.md) (1)" in archive


def test_category_and_source_pages_are_newest_first_and_paginated(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB", page_size=2)
    build(pages_site)
    first = read(pages_site, "categories/transport.md")
    second = read(pages_site, "categories/transport/page-2.md")
    titles = re.findall(r"^- \[(.+?)\]", first + second, re.M)
    assert titles == ["Harbour bridge reopens after repairs", "New ferry timetable announced",
                      "Rail strike ends"]
    assert "[Older →](transport/page-2.md)" in first and "Page 1 of 2" in first
    assert "[← Newer](../transport.md)" in second and "Older" not in second
    assert front_matter(second)["title"] == "Transport (Page 2 of 2)"
    assert "(../../posts/2021/04/30/rail-strike-ends.md)" in second
    assert front_matter(first)["digest_feed"] == "feeds/transport.xml"
    assert "Feed: [RSS](../feeds/transport.xml) · [Atom](../feeds/transport.atom)" in first
    # Filed under two categories: listed on both pages.
    assert "Harbour bridge" in read(pages_site, "categories/local.md")
    assert "- [Transport](transport.md) (3)" in read(pages_site, "categories/index.md")
    assert "- [Coastal Herald](coastal-herald.md) (3)" in read(pages_site, "sources/index.md")
    # The editor's note has no source: it is filed under the site's name.
    assert "About this digest" in read(pages_site, "sources/the-nightly-digest.md")


def test_listing_pages_stay_out_of_search_and_stale_pages_go(pages_site):
    configure(pages_site, page_size=2)
    build(pages_site)
    for src in ("index.md", "archive.md", "days/2021-05-13.md", "categories/transport.md",
                "categories/transport/page-2.md", "sources/index.md"):
        assert front_matter(read(pages_site, src))["search"] == {"exclude": True}, src
    shutil.rmtree(pages_site / "docs" / "posts" / "2021" / "04")
    report = build(pages_site)
    assert not (pages_site / "docs" / "days" / "2021-04-30.md").exists()
    assert not (pages_site / "docs" / "categories" / "transport" / "page-2.md").exists()
    assert report.removed >= 2
    assert build(pages_site).written == 0       # a second run with nothing new writes nothing


def test_article_fragment_has_localised_byline_and_original_link(pages_site):
    configure(pages_site, timezone="Europe/London", locale="en_GB")
    build(pages_site)
    src = "posts/2021/05/13/harbour-bridge-reopens.md"
    header, footer = fragment(pages_site, src, "byline"), fragment(pages_site, src, "original")
    assert "Read the original" not in header and "digest-byline" not in footer
    assert ('<p class="digest-byline"><span class="digest-source">Coastal Herald</span> '
            '<span class="digest-author">by Ana Lind</span> '
            '<time datetime="2021-05-13T07:30:00+00:00">Thursday, 13 May 2021, 08:30</time> '
            '<span class="digest-reading-time">1 min read</span></p>') in header
    assert ('Filed under: <a href="../../../../../categories/transport/">Transport</a>, '
            '<a href="../../../../../categories/local/">Local</a>') in header
    assert ('<a href="https://coastal.example.com/bridge" rel="noopener" target="_blank">'
            'Read the original at Coastal Herald</a>') in footer


def test_article_fragment_escapes_text_and_drops_unsafe_links(pages_site):
    build(pages_site)
    script = fragment(pages_site, "posts/2021/05/13/markets-rally-script.md")
    assert "<script>" not in script and "&lt;script&gt;" not in script   # the title is the theme's
    vote = fragment(pages_site, "posts/2021/05/13/late-night-vote.md")
    assert "javascript:" not in vote and "digest-original" not in vote


def test_german_site_shows_german_dates_and_labels(pages_site):
    configure(pages_site, language="de", timezone="Europe/Berlin", page_size=2)
    build(pages_site)
    assert front_matter(read(pages_site, "days/2021-05-13.md"))["title"] == "Digest, Donnerstag, 13. Mai 2021"
    assert re.findall(r"^## (.+)$", read(pages_site, "archive.md"), re.M) == ["Mai 2021", "April 2021"]
    assert "[Alle Tage im Archiv](archive.md)" in read(pages_site, "index.md")
    assert "[Älter →]" in read(pages_site, "categories/transport.md")
    text = fragment(pages_site, "posts/2021/05/13/harbour-bridge-reopens.md")
    assert "Donnerstag, 13. Mai 2021, 09:30" in text and "1 Min. Lesezeit" in text
    assert "Original bei Coastal Herald lesen" in text


def test_hungarian_site_shows_hungarian_dates(pages_site):
    configure(pages_site, language="hu", timezone="Europe/Budapest")
    build(pages_site)
    assert front_matter(read(pages_site, "days/2021-05-12.md"))["title"] == \
        "Hírösszefoglaló, 2021. május 12., szerda"
    assert "## 2021\\. május" in read(pages_site, "archive.md")
    assert "perc olvasás" in fragment(pages_site, "posts/2021/05/13/harbour-bridge-reopens.md")


def test_reading_time_counts_words_not_markup():
    from digest.site.fragments import reading_minutes

    assert reading_minutes("word " * 220) == 1
    assert reading_minutes("word " * 221) == 2
    assert reading_minutes("[x](" + "https://a.example/" * 500 + ") <img src='y'>") == 1


def test_categories_that_differ_only_in_case_share_one_page(pages_site):
    post = POSTS / "2021" / "05" / "12" / "ferry-timetable.md"
    text = post.read_text(encoding="utf-8").replace("- Transport", "- TRANSPORT").replace(
        "id: https://coastal.example.com/ferry", "id: https://coastal.example.com/ferry-2")
    (pages_site / "docs" / "posts" / "2021" / "05" / "12" / "ferry-again.md").write_text(text, encoding="utf-8")
    build(pages_site)
    index = read(pages_site, "categories/index.md")
    assert index.count("(transport.md)") == 1
    assert "- [Transport](transport.md) (4)" in index
    assert read(pages_site, "categories/transport.md").count("New ferry timetable announced") == 2


def test_fragment_file_keeps_quotes_backslashes_and_braces_inert():
    from digest.site.fragments import fragments_template

    markup = '<p class="x">O\'Brien \\ {{ x }} {% y %} two\nlines</p>'
    text = fragments_template({"posts/2021/05/13/a/": (markup, "", "")})
    rendered = jinja2.Template(text).render(page={"url": "posts/2021/05/13/a/"}, digest_part=0)
    assert rendered == ('<p class="x">O&#39;Brien &#92; &#123;&#123; x &#125;&#125; '
                        '&#123;% y %&#125; two lines</p>')
    assert jinja2.Template(text).render(page={"url": "posts/2021/05/13/b/"}, digest_part=0) == ""
