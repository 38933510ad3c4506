"""digest.site.listings: the pages readers browse by (front page, daily digests, archive,
category and source pages), as `digest pages` writes them from the posts in tests/data/pages.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil

import pytest

from tests.helpers import (PAGES_POSTS, build_pages, configure, front_matter, nights_of_transport,
                           read_doc, write_transport_post)


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


def test_category_and_source_pages_are_newest_first_on_a_first_page_that_is_never_a_stub(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB", page_size=2)
    build_pages(pages_site)
    first = read_doc(pages_site, "categories/transport.md")
    # Three stories, two a page: the first page lists them all (between one and two pages'
    # worth), rather than one page of two and a page of one.
    titles = re.findall(r'^<p class="digest-story" markdown>\[(.+?)\]', first, re.M)
    assert titles == ["Harbour bridge reopens after repairs", "New ferry timetable announced",
                      "Rail strike ends"]
    assert "Older" not in first and not (pages_site / "docs" / "categories" / "transport").exists()
    assert "(../posts/2021/04/30/rail-strike-ends.md)" in first
    assert front_matter(first)["digest_feed"] == "feeds/transport.xml"
    assert "Feed: [RSS](../feeds/transport.xml) · [Atom](../feeds/transport.atom)" in first
    # Filed under two categories: listed on both pages.
    assert "Harbour bridge" in read_doc(pages_site, "categories/local.md")
    assert "- [Transport](transport.md) (3)" in read_doc(pages_site, "categories/index.md")
    assert "- [Coastal Herald](coastal-herald.md) (3)" in read_doc(pages_site, "sources/index.md")
    # The editor's note has no source: it is filed under the site's name.
    assert "About this digest" in read_doc(pages_site, "sources/the-nightly-digest.md")


def test_older_pages_are_numbered_from_the_oldest_with_links_both_ways(pages_site):
    configure(pages_site, timezone="UTC", locale="en_GB", page_size=1)
    build_pages(pages_site)
    assert story_titles(read_doc(pages_site, "categories/transport.md")) == ["Harbour bridge reopens after repairs"]
    second, oldest = (read_doc(pages_site, f"categories/transport/page-{n}.md") for n in (2, 1))
    assert story_titles(second) == ["New ferry timetable announced"]
    assert story_titles(oldest) == ["Rail strike ends"]
    assert "[Older →](transport/page-2.md)" in read_doc(pages_site, "categories/transport.md")
    assert nav(second) == "[← Newer](../transport.md) · Page 2 · [Older →](page-1.md)"
    assert nav(oldest) == "[« Newest](../transport.md) · [← Newer](page-2.md) · Page 1"
    assert front_matter(second)["title"] == "Transport (Page 2)"
    assert "(../../posts/2021/05/12/ferry-timetable.md)" in second
    # Source pages list articles the same way.
    assert [re.findall(r"^- \[(.+?)\]", read_doc(pages_site, f"sources/coastal-herald{page}.md"), re.M)
            for page in ("", "/page-2", "/page-1")] == [
        ["Council approves budget in late\\-night vote"], ["Harbour bridge reopens after repairs"],
        ["New ferry timetable announced"]]


def story_titles(markdown: str) -> list[str]:
    return re.findall(r'^<p class="digest-story" markdown>\[(.+?)\]', markdown, re.M)


def nav(markdown: str) -> str:
    return markdown.split('<nav class="digest-pagination" markdown>')[1].split("</nav>")[0].strip()


def test_listing_pages_stay_out_of_search_and_stale_pages_go(pages_site):
    configure(pages_site, page_size=1)
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
    configure(pages_site, language="de", timezone="Europe/Berlin", page_size=1)
    build_pages(pages_site)
    assert front_matter(read_doc(pages_site, "days/2021-05-13.md"))["title"] == "Digest, Donnerstag, 13. Mai 2021"
    assert re.findall(r"^## (.+)$", read_doc(pages_site, "archive.md"), re.M) == ["Mai 2021", "April 2021"]
    assert "[Alle Tage im Archiv](archive.md)" in read_doc(pages_site, "index.md")
    assert "[Älter →](transport/page-2.md)" in read_doc(pages_site, "categories/transport.md")
    assert "[« Neueste](../transport.md) · [← Neuer](page-2.md) · Seite 1" in read_doc(
        pages_site, "categories/transport/page-1.md")
    assert front_matter(read_doc(pages_site, "categories/transport/page-2.md"))["title"] == "Transport (Seite 2)"


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


# --- A night adds to a paginated listing ----------------------------------------------------

def listing_files(site) -> dict[str, str]:
    docs = site / "docs"
    return {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
            for folder in ("categories", "sources") for path in sorted((docs / folder).rglob("*.md"))}


@pytest.fixture
def transport_site(site):
    shutil.rmtree(site / "docs" / "posts")
    configure(site, timezone="UTC", locale="en_GB", page_size=3)
    return site


def test_a_night_rewrites_the_first_page_and_at_most_one_numbered_page(transport_site):
    number = nights_of_transport(transport_site, nights=5, per_night=2)     # 10 posts
    build_pages(transport_site)
    before = listing_files(transport_site)
    pages = sorted(src for src in before if src.startswith("categories/transport/"))
    assert pages == ["categories/transport/page-1.md", "categories/transport/page-2.md"]
    for _night in range(6):
        nights_of_transport(transport_site, nights=1, per_night=2, first_day=6 + _night, start=number)
        number += 2
        build_pages(transport_site)
        after = listing_files(transport_site)
        changed = {src for src in before if src in after and after[src] != before[src]}
        assert set(before) <= set(after)                    # no page goes
        for first in ("categories/transport.md", "sources/harbour-wire.md"):
            folder = first[:-3] + "/"
            numbered = {src for src in changed if src.startswith(folder)}
            assert len(numbered) <= 1, numbered
            for src in numbered:   # the newest page before tonight: only its "Newer" link moved
                assert story_or_article_lines(after[src]) == story_or_article_lines(before[src])
        assert changed <= {"categories/transport.md", "sources/harbour-wire.md", "categories/index.md",
                           "sources/index.md"} | {src for src in changed if src.endswith(
                               tuple(f"/page-{n}.md" for n in range(1, 20)))}
        # Every numbered page is full, its items fixed; the first page holds 3 to 5.
        for src, text in after.items():
            if "/page-" in src:
                assert len(story_or_article_lines(text)) == 3, src
                if src in before:
                    assert story_or_article_lines(text) == story_or_article_lines(before[src])
        assert 3 <= len(story_or_article_lines(after["categories/transport.md"])) <= 5
        before = after
    # Numbered from the oldest: page 1 holds the three first posts, newest first.
    assert posts_on(after["categories/transport/page-1.md"]) == ["post-2", "post-1", "post-0"]
    assert build_pages(transport_site).written == 0


def story_or_article_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith(('<p class="digest-story"', "- ["))]


def posts_on(markdown: str) -> list[str]:
    """The first post each story or article line links to (its lead), in order."""
    return [re.search(r"/([\w-]+)\.md\)", line).group(1) for line in story_or_article_lines(markdown)]


def test_a_story_filed_on_an_old_page_stays_there_and_its_news_leads_the_first_page(transport_site):
    number = nights_of_transport(transport_site, nights=4, per_night=2)     # 8: page 1 and the first
    build_pages(transport_site)
    assert posts_on(read_doc(transport_site, "categories/transport/page-1.md")) == ["post-2", "post-1", "post-0"]
    # Tonight another source reports on post 1's story (filed on page 1), and one more post.
    write_transport_post(transport_site, 1, 5, "Coastal Herald", name="follow-up")
    write_transport_post(transport_site, number, 5, "Harbour Wire")
    build_pages(transport_site)
    page_1 = read_doc(transport_site, "categories/transport/page-1.md")
    # The same three stories on page 1, in their places; the story's line now leads with
    # tonight's report and names the earlier one's source, linking to its article.
    assert posts_on(page_1) == ["post-2", "follow-up", "post-0"]
    assert "2 sources" in story_or_article_lines(page_1)[1]
    assert "[Harbour Wire](../../posts/2026/11/01/post-1.md)" in story_or_article_lines(page_1)[1]
    # Nine stories: page 1 (0-2), page 2 (3-5), and the first page, which lists the story of
    # page 1 too, among tonight's news, by its latest report.
    assert posts_on(read_doc(transport_site, "categories/transport/page-2.md")) == ["post-5", "post-4", "post-3"]
    assert posts_on(read_doc(transport_site, "categories/transport.md")) == [
        "post-8", "follow-up", "post-7", "post-6"]
    assert build_pages(transport_site).written == 0


@pytest.mark.slow
def test_newer_and_older_links_walk_every_page_of_a_real_build(transport_site):
    """`digest pages` and `mkdocs build --strict`: from the first page, "Older" reaches page 1
    through every page, each story once; "Newer" and "Newest" lead back; no link is broken."""
    from lxml import html as lxml_html

    from tests.helpers import digest, mkdocs_build

    configure(transport_site, timezone="UTC", locale="en_GB", page_size=3, top_stories=1,
              front_page_lines=1)
    nights_of_transport(transport_site, nights=7, per_night=2)              # 14: 3 pages and 5
    assert digest(transport_site, "pages").returncode == 0
    built = mkdocs_build(transport_site)
    assert built.returncode == 0, built.stderr
    root = transport_site / "site"

    def visit(url: str):
        tree = lxml_html.parse(str(root / url / "index.html"))
        posts = [a.get("href") for a in tree.xpath('//p[contains(@class, "digest-story")]/a[1]')]
        links = {a.text_content().strip(): posixpath.normpath(posixpath.join(url, a.get("href")))
                 for a in tree.xpath('//nav[contains(@class, "digest-pagination")]//a')}
        for target in links.values():
            assert (root / target / "index.html").is_file(), (url, target)
        return [posixpath.basename(href.rstrip("/")) for href in posts], links

    url, seen, walked = "categories/transport", [], []
    while True:
        posts, links = visit(url)
        seen += posts
        walked.append(url)
        older = next((target for text, target in links.items() if text.startswith("Older")), None)
        if not older:
            break
        url = older
    assert walked == ["categories/transport", "categories/transport/page-3", "categories/transport/page-2",
                      "categories/transport/page-1"]
    assert seen == [f"post-{n}" for n in range(13, -1, -1)]                 # each once, newest first
    _, oldest = visit("categories/transport/page-1")
    assert oldest == {"« Newest": "categories/transport", "← Newer": "categories/transport/page-2"}
    _, newest_numbered = visit("categories/transport/page-3")
    assert newest_numbered == {"← Newer": "categories/transport", "Older →": "categories/transport/page-2"}
    # The front page's link to the rest of a category's stories leads to its page.
    front = lxml_html.parse(str(root / "index.html"))
    (more,) = front.xpath('//p[contains(@class, "digest-more")]/a')
    assert more.text_content() == "2 more stories in Transport →"
    assert (root / posixpath.normpath(more.get("href")) / "index.html").is_file()


def test_the_front_page_lists_a_few_best_covered_stories_per_category_and_links_to_the_rest(transport_site):
    configure(transport_site, timezone="UTC", locale="en_GB", top_stories=1, front_page_lines=3)
    for number in range(12):                                    # twelve stories on 23 November
        write_transport_post(transport_site, number, 23, "Harbour Wire")
    # Two of the oldest are told by a second source: the better covered stories.
    write_transport_post(transport_site, 0, 23, "Coastal Herald", name="second-0")
    write_transport_post(transport_site, 1, 23, "Coastal Herald", name="second-1")
    build_pages(transport_site)
    front = read_doc(transport_site, "index.md")
    top, rest = front.split("## More in this edition")
    assert top.count("digest-top-story") == 1 and "second-1.md" in top        # the newer of the two
    # Eleven more stories: the three that rank first (the other two-source story and the two
    # newest), newest first; one link to the category's page stands for the other eight.
    assert posts_on(rest) == ["post-11", "post-10", "second-0"]
    assert "2 sources" in story_or_article_lines(rest)[-1]
    assert '<p class="digest-more" markdown>[8 more stories in Transport →](categories/transport.md)</p>' in rest
    # The day's page still lists every story.
    assert len(story_or_article_lines(read_doc(transport_site, "days/2026-11-23.md"))) == 12


def eleven_posts_two_a_page():
    """A source's 11 articles, newest first, two a page: pages 1-4 numbered, 3 on the first."""
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    from digest.config import load_settings
    from tests.conftest import REPO
    from tests.helpers import make_post

    settings = replace(load_settings(REPO / "mkdocs.yml"), page_size=2, timezone="UTC")
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    posts = [make_post(f"a{n}", f"Story {n}", "", start + timedelta(days=n)) for n in range(11)]
    return settings, posts[::-1]


def test_numbered_pages_of_compact_articles_only_are_not_published_and_the_rest_stay_the_same():
    from digest.site.listings import list_item, listing_pages, paged
    from digest.site.locale import Site

    settings, posts = eleven_posts_two_a_page()
    # The five oldest compact: pages 1 and 2 are all compact, page 3 mixes Story 4 (full)
    # with Story 3 (compact) and stays as it is.
    site = Site(settings, frozenset(post.src for post in posts[-5:]))
    # Before: every numbered page published, whatever its items.
    before = paged(site, "Wire", "sources/wire.md", posts, None,
                   lambda post, src: list_item(site, post, src, with_day=True))
    assert sorted(before) == ["sources/wire.md"] + [f"sources/wire/page-{n}.md" for n in (1, 2, 3, 4)]
    after = listing_pages(site, "Wire", "sources/wire.md", posts)
    assert sorted(after) == sorted(before)
    # Pages 1 and 2 list nothing any more; their addresses say where the articles went.
    for number in (1, 2):
        moved = after.pop(f"sources/wire/page-{number}.md")
        assert "Story" not in moved and f"Wire (Page {number})" in moved
        assert nav(moved) == "[« Newest](../wire.md) · [Archive →](../../archive.md)"
        assert "now in the archive, by month" in moved
    assert after["sources/wire.md"] == before["sources/wire.md"]
    assert after["sources/wire/page-4.md"] == before["sources/wire/page-4.md"]
    oldest = after["sources/wire/page-3.md"]
    assert nav(before["sources/wire/page-3.md"]) == ("[« Newest](../wire.md) · [← Newer](page-4.md) · "
                                                    "Page 3 · [Older →](page-2.md)")
    assert nav(oldest) == "[« Newest](../wire.md) · [← Newer](page-4.md) · Page 3 · [Older →](../../archive.md)"
    # Only the nav changed: the same articles, in the same order, with the same lines.
    assert oldest.split("<nav")[0] == before["sources/wire/page-3.md"].split("<nav")[0]
    assert "Story 5" in oldest and "Story 4" in oldest
    # No page links to one that is not published.
    for markdown in after.values():
        for target in re.findall(r"\]\(([^)]+)\)", markdown):
            if "page-" in target:
                assert target.rsplit("/", 1)[-1] in {"page-3.md", "page-4.md"}


def test_a_full_article_among_old_compact_ones_keeps_its_page_and_the_links_step_over_gaps():
    from digest.site.listings import listing_pages
    from digest.site.locale import Site

    settings, posts = eleven_posts_two_a_page()
    # Everything but the first page compact, except Story 0 on page 1 (an editor's pick).
    compact = frozenset(post.src for post in posts[3:-1])
    after = listing_pages(Site(settings, compact), "Wire", "sources/wire.md", posts)
    moved = {src for src, markdown in after.items() if "now in the archive" in markdown}
    assert moved == {"sources/wire/page-2.md", "sources/wire/page-3.md", "sources/wire/page-4.md"}
    after = {src: markdown for src, markdown in after.items() if src not in moved}
    assert sorted(after) == ["sources/wire.md", "sources/wire/page-1.md"]
    assert "[Older →](wire/page-1.md)" in after["sources/wire.md"]
    assert nav(after["sources/wire/page-1.md"]) == "[← Newer](../wire.md) · Page 1"
    # Every numbered page compact: the first page's "Older" goes to the archive.
    every = frozenset(post.src for post in posts[3:])
    first = listing_pages(Site(settings, every), "Wire", "sources/wire.md", posts)
    assert [src for src, markdown in first.items() if "now in the archive" not in markdown] == ["sources/wire.md"]
    assert nav(first["sources/wire.md"]) == "[Older →](../archive.md)"
