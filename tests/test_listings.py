"""digest.site.listings: the pages readers browse by (front page, daily digests, archive,
category and source pages), as `digest pages` writes them from the posts in tests/data/pages.
"""

from __future__ import annotations

import re
import shutil

from tests.helpers import PAGES_POSTS, build_pages, configure, front_matter, read_doc


def test_front_page_leads_with_top_stories_then_the_edition_by_category(pages_site):
    configure(pages_site, timezone="Europe/London", locale="en_GB", front_page_days=2, top_stories=1)
    build_pages(pages_site)
    front = read_doc(pages_site, "index.md")
    sections = re.findall(r"^## (.+)$", front, re.M)
    assert sections == ["Top stories", "More in this edition", "Earlier days"]
    top, rest = front.split("## More in this edition")
    # The edition is the day before the newest post; its best story leads, with its summary.
    assert ('<div class="digest-story digest-top-story" markdown>\n\n'
            "### [Council approves budget in late\\-night vote](posts/2021/05/13/late-night-vote.md)\n\n"
            "The council passed next year's budget just before midnight\\.\n\n"
            '<p class="digest-story-sources" markdown>1 source: [Coastal Herald]'
            "(posts/2021/05/13/late-night-vote.md) <small>13 May 2021, 23:30</small></p>") in top
    # The rest of the edition by category, one line per story, in the publication's zone (BST).
    rest = rest.split("## Earlier days")[0]
    assert re.findall(r"^### \[(.+?)\]", rest, re.M) == ["Business", "Transport"]
    assert ('<p class="digest-story" markdown>[Harbour bridge reopens after repairs]'
            "(posts/2021/05/13/harbour-bridge-reopens.md) <small>Coastal Herald · 08:30</small></p>"
            ) in rest
    assert "Council approves" not in rest                      # each story once
    assert re.findall(r"^- \[(.+?)\]\((days/[\d-]+\.md)\)", front, re.M) == [
        ("Wednesday, 12 May 2021", "days/2021-05-12.md"), ("Friday, 30 April 2021", "days/2021-04-30.md")]
    assert "Rail strike" not in front                           # not in the latest edition
    assert front.rstrip().endswith("[All days in the archive](archive.md)")
    assert front_matter(front)["digest_page"] == "front"
    assert front_matter(front)["digest_feed"] == "top-stories.xml"


def test_markup_in_titles_and_summaries_stays_text(pages_site):
    build_pages(pages_site)
    front = read_doc(pages_site, "index.md")
    line = next(line for line in front.splitlines() if "rally" in line)
    assert "<script>" not in front and "<b>" not in front
    assert r"Markets &lt;script&gt;alert\(1\)&lt;/script&gt; rally on \*strong\* \[earnings\]\(https://evil\.example\)" in line
    assert "{{" not in front


def test_day_pages_link_to_the_previous_and_next_day(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB")
    build_pages(pages_site)
    middle = read_doc(pages_site, "days/2021-05-12.md")
    assert front_matter(middle)["title"] == "Digest, Wednesday, 12 May 2021"
    assert "# Digest, Wednesday, 12 May 2021" in middle
    nav = middle.split('<nav class="digest-day-nav" markdown>')[1]
    assert "[← Friday, 30 April 2021](2021-04-30.md)" in nav
    assert "[Thursday, 13 May 2021 →](2021-05-13.md)" in nav
    assert "[Archive](../archive.md)" in nav
    newest = read_doc(pages_site, "days/2021-05-13.md")
    assert "→" not in newest.split("<nav")[1]
    assert "## [Business](../categories/business.md)" in newest


def test_the_publication_time_zone_decides_the_day(pages_site):
    # 22:30 UTC on 13 May is 00:30 on 14 May in Budapest (CEST, UTC+2).
    configure(pages_site, timezone="Europe/Budapest", locale="en_GB")
    build_pages(pages_site)
    assert "Council approves budget" in read_doc(pages_site, "days/2021-05-14.md")
    assert "Council approves budget" not in read_doc(pages_site, "days/2021-05-13.md")


def test_archive_lists_every_day_by_month(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB")
    build_pages(pages_site)
    archive = read_doc(pages_site, "archive.md")
    assert re.findall(r"^## (.+)$", archive, re.M) == ["May 2021", "April 2021"]
    assert "- [Thursday, 13 May 2021](days/2021-05-13.md) (3)" in archive
    assert "- [Friday, 30 April 2021](days/2021-04-30.md) (1)" in archive


def test_category_and_source_pages_are_newest_first_and_paginated(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB", page_size=2)
    build_pages(pages_site)
    first = read_doc(pages_site, "categories/transport.md")
    second = read_doc(pages_site, "categories/transport/page-2.md")
    titles = re.findall(r'^<p class="digest-story" markdown>\[(.+?)\]', first + second, re.M)
    assert titles == ["Harbour bridge reopens after repairs", "New ferry timetable announced",
                      "Rail strike ends"]
    assert "[Older →](transport/page-2.md)" in first and "Page 1 of 2" in first
    assert "[← Newer](../transport.md)" in second and "Older" not in second
    assert front_matter(second)["title"] == "Transport (Page 2 of 2)"
    assert "(../../posts/2021/04/30/rail-strike-ends.md)" in second
    assert front_matter(first)["digest_feed"] == "feeds/transport.xml"
    assert "Feed: [RSS](../feeds/transport.xml) · [Atom](../feeds/transport.atom)" in first
    # Filed under two categories: listed on both pages.
    assert "Harbour bridge" in read_doc(pages_site, "categories/local.md")
    assert "- [Transport](transport.md) (3)" in read_doc(pages_site, "categories/index.md")
    assert "- [Coastal Herald](coastal-herald.md) (3)" in read_doc(pages_site, "sources/index.md")
    # The editor's note has no source: it is filed under the site's name.
    assert "About this digest" in read_doc(pages_site, "sources/the-nightly-digest.md")


def test_listing_pages_stay_out_of_search_and_stale_pages_go(pages_site):
    configure(pages_site, page_size=2)
    build_pages(pages_site)
    for src in ("index.md", "archive.md", "days/2021-05-13.md", "categories/transport.md",
                "categories/transport/page-2.md", "sources/index.md"):
        assert front_matter(read_doc(pages_site, src))["search"] == {"exclude": True}, src
    shutil.rmtree(pages_site / "docs" / "posts" / "2021" / "04")
    report = build_pages(pages_site)
    assert not (pages_site / "docs" / "days" / "2021-04-30.md").exists()
    assert not (pages_site / "docs" / "categories" / "transport" / "page-2.md").exists()
    assert report.removed >= 2
    assert build_pages(pages_site).written == 0       # a second run with nothing new writes nothing


def test_categories_that_differ_only_in_case_share_one_page(pages_site):
    post = PAGES_POSTS / "2021" / "05" / "12" / "ferry-timetable.md"
    text = post.read_text(encoding="utf-8").replace("- Transport", "- TRANSPORT").replace(
        "id: https://coastal.example.com/ferry", "id: https://coastal.example.com/ferry-2")
    (pages_site / "docs" / "posts" / "2021" / "05" / "12" / "ferry-again.md").write_text(text, encoding="utf-8")
    build_pages(pages_site)
    index = read_doc(pages_site, "categories/index.md")
    assert index.count("(transport.md)") == 1
    assert "- [Transport](transport.md) (4)" in index
    # The two posts tell one story: a category page lists stories, so it is there once.
    assert read_doc(pages_site, "categories/transport.md").count("New ferry timetable announced") == 1


def test_german_site_shows_german_dates_and_labels(pages_site):
    configure(pages_site, language="de", timezone="Europe/Berlin", page_size=2)
    build_pages(pages_site)
    assert front_matter(read_doc(pages_site, "days/2021-05-13.md"))["title"] == "Digest, Donnerstag, 13. Mai 2021"
    assert re.findall(r"^## (.+)$", read_doc(pages_site, "archive.md"), re.M) == ["Mai 2021", "April 2021"]
    assert "[Alle Tage im Archiv](archive.md)" in read_doc(pages_site, "index.md")
    assert "[Älter →]" in read_doc(pages_site, "categories/transport.md")


def test_hungarian_site_shows_hungarian_dates(pages_site):
    configure(pages_site, language="hu", timezone="Europe/Budapest")
    build_pages(pages_site)
    assert front_matter(read_doc(pages_site, "days/2021-05-12.md"))["title"] == \
        "Hírösszefoglaló, 2021. május 12., szerda"
    assert "## 2021\\. május" in read_doc(pages_site, "archive.md")


def test_an_undated_post_is_listed_apart_from_the_days_news_without_a_time():
    from datetime import datetime, timezone

    from digest.config import load_settings
    from digest.site.locale import Site
    from digest.site.stories import assign_stories
    from digest.site.story_pages import StoryView, day_page
    from tests.conftest import REPO
    from tests.helpers import make_post

    site = Site(load_settings(REPO / "mkdocs.yml"))
    when = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    dated = make_post("a", "Ferry returns", "", when, categories=("Transport",))
    undated = make_post("b", "Dog found", "", when, categories=("Transport",), date_guessed=True)
    posts = [dated, undated]
    view = StoryView.of(assign_stories(posts), posts, "en")
    lines = day_page(site, view, when.date(), posts, None, None)
    transport, apart = lines.split("## Found this day, undated by their source")
    assert "Ferry returns" in transport and "Dog found" not in transport
    assert "Dog found" in apart and "date not given" in apart and "09:00" not in apart


def test_a_list_entry_carries_its_language_direction_and_thumbnail():
    from datetime import datetime, timezone

    from digest.config import load_settings
    from digest.site.listings import list_item
    from digest.site.locale import Site
    from tests.conftest import REPO
    from tests.helpers import make_post

    site = Site(load_settings(REPO / "mkdocs.yml"))
    when = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    urdu = make_post("u", "فیری", "", when, summary="کرایہ بس کے برابر۔", language="ur",
                     image='https://img.example/f.jpg?a=1&b="2"')
    line = list_item(site, urdu, "index.md")
    assert line.startswith('- <img class="digest-thumb" src="https://img.example/f.jpg?a=1&amp;b=&quot;2&quot;" '
                           'alt="" loading="lazy" referrerpolicy="no-referrer"> <span lang="ur" dir="rtl">[')
    assert line.endswith('<span lang="ur" dir="rtl">کرایہ بس کے برابر۔</span>')
    english = make_post("e", "Ferry", "", when, language="en-GB", image="javascript:alert(1)")
    assert list_item(site, english, "index.md").startswith("- [Ferry]")     # the site's language; no image


def test_a_category_called_index_gets_a_page_of_its_own(pages_site):
    note = pages_site / "docs" / "posts" / "notes" / "index-note.md"
    note.write_text("---\ntitle: Filed under Index\ndate: 2021-05-12\ncategories: [Index]\n---\n\nText.\n",
                    encoding="utf-8")
    build_pages(pages_site)
    assert "- [Index](index_.md) (1)" in read_doc(pages_site, "categories/index.md")
    assert "Filed under Index" in read_doc(pages_site, "categories/index_.md")
