"""digest.site.story_pages and the story parts of the article fragments, on a site whose posts
are the stories evaluation set (tests/data/stories_eval/: 92 articles, 18 developing stories,
three languages), filed by date as digest files them.

The interface the checks rely on: on listing pages each story is one element with class
``digest-story`` holding the links to its articles; an article whose story has two or more
articles has exactly one link with class ``digest-story-link``, to the story's page; a story's
page links to every article of the story.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from xml.etree import ElementTree as ET

import pytest
import yaml

from digest.store.frontmatter import split as split_front_matter
from tests.conftest import DATA
from tests.helpers import build_pages, configure, fragment, read_doc

EVAL = DATA / "stories_eval"
STRIKE = ["tarnmouth-strike-courier", "tarnmouth-strike-harbour", "tarnmouth-strike-ledger",
          "tarnmouth-strike-wire"]


@pytest.fixture
def stories_site(site):
    posts = site / "docs" / "posts"
    shutil.rmtree(posts)
    for path in sorted(EVAL.glob("*.md")):
        meta = yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0])
        folder = posts / meta["date"][:10].replace("-", "/")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
    configure(site, timezone="UTC", locale="en_GB")
    return site


def src_of(site, name: str) -> str:
    return next(path.relative_to(site / "docs").as_posix()
                for path in (site / "docs" / "posts").rglob(f"{name}.md"))


def story_blocks(markdown: str) -> list[str]:
    """Each ``digest-story`` element of a listing page's Markdown."""
    return re.findall(r'<(?:div|p) class="digest-story[^"]*" markdown>(.*?)</(?:div|p)>\n(?=\n|$)',
                      markdown, re.S)


def linked_posts(block: str, from_src: str) -> set[str]:
    return {posixpath.normpath(posixpath.join(posixpath.dirname(from_src), target))
            for target in re.findall(r"\]\(([^)]+\.md)\)", block) if "/posts/" in "/" + posixpath.normpath(
                posixpath.join(posixpath.dirname(from_src), target))}


def test_a_story_of_several_reports_has_a_page_linking_to_every_article(stories_site):
    build_pages(stories_site)
    kept = json.loads((stories_site / "digest-stories.json").read_text(encoding="utf-8"))
    slug = next(slug for slug, ids in kept["stories"].items()
                if any(src_of(stories_site, STRIKE[0]) in post_id for post_id in ids))
    assert slug == "dockworkers-at-port-tarnmouth-walk-out-over-pay"     # its first headline
    page = read_doc(stories_site, f"stories/{slug}.md")
    # Its lead is the newest report: the deal.
    assert page.splitlines()[1] == 'title: Tarnmouth dock strike ends with 7 percent pay deal'
    assert "# Tarnmouth dock strike ends with 7 percent pay deal" in page
    assert '<p class="digest-story-meta">4 sources · Monday, 2 November 2026 – Saturday, 7 November 2026</p>' in page
    assert "[Business](../categories/business.md)" in page
    timeline = page.split("## Timeline")[1]
    links = linked_posts(timeline, f"stories/{slug}.md")
    assert links == {src_of(stories_site, name) for name in STRIKE}
    # Newest first, each with its source and time.
    titles = re.findall(r"^### \[(.+?)\]", timeline, re.M)
    assert titles[0] == "Tarnmouth dock strike ends with 7 percent pay deal"
    assert titles[-1] == "Dockworkers at Port Tarnmouth walk out over pay"
    assert "<small>Wire Press · Saturday, 7 November 2026, 09:05</small>" in timeline
    assert yaml.safe_load(page.split("---\n")[1])["digest_page"] == "story"


def test_a_story_of_one_has_no_page(stories_site):
    build_pages(stories_site)
    kept = json.loads((stories_site / "digest-stories.json").read_text(encoding="utf-8"))
    chess = next(post_id for post_id in kept["alone"] if "chess-post" in post_id)
    assert chess
    pages = {path.stem for path in (stories_site / "docs" / "stories").glob("*.md")}
    assert len(pages) == len(kept["stories"])
    assert not any("chess" in name for name in pages)


def test_an_article_page_has_more_on_this_story_then_see_also_of_other_stories(stories_site):
    build_pages(stories_site)
    src = src_of(stories_site, "tarnmouth-strike-ledger")
    html = fragment(stories_site, src, "see-also")
    more = html.split('<nav class="digest-more-on-story"')[1].split("</nav>")[0]
    assert "<h2>More on this story</h2>" in more
    assert [title for title in re.findall(r'<a href="[^"]+">([^<]+)</a>', more)] == [
        "Tarnmouth dock strike ends with 7 percent pay deal",
        "Ships diverted as Tarnmouth dock strike enters second day",
        "Dockworkers at Port Tarnmouth walk out over pay"]
    assert html.count('class="digest-story-link"') == 1
    assert ('<a class="digest-story-link" href="../../../../../stories/'
            'dockworkers-at-port-tarnmouth-walk-out-over-pay/">All 4 reports of this story</a>') in more
    # See also and Follow-up coverage, if any, only lead to other stories.
    rest = html.split("</nav>", 1)[1]
    for name in STRIKE:
        assert name not in rest
    assert html.index("digest-more-on-story") < (html.index("digest-see-also")
                                                 if "digest-see-also" in html else len(html))


def test_an_article_alone_in_its_story_has_no_story_link(stories_site):
    build_pages(stories_site)
    html = fragment(stories_site, src_of(stories_site, "chess-post"), "see-also")
    assert "digest-story-link" not in html and "digest-more-on-story" not in html


def test_listing_pages_show_each_story_once_in_one_element(stories_site):
    build_pages(stories_site)
    for src in ["index.md", "days/2026-11-05.md", "categories/business.md"]:
        text = read_doc(stories_site, src)
        blocks = story_blocks(text)
        assert blocks, src
        seen: dict[str, int] = {}
        for number, block in enumerate(blocks):
            for post in linked_posts(block, src):
                assert seen.setdefault(post, number) == number, (src, post)
    front = read_doc(stories_site, "index.md")
    top = front.split("## Top stories")[1].split("## More in this edition")[0]
    # The edition (the day before the newest post) has fewer stories than the default 12.
    assert 1 <= top.count('class="digest-story digest-top-story"') <= 12


def test_top_stories_name_their_sources_and_link_to_the_story(stories_site):
    configure(stories_site, timezone="UTC", locale="en_GB", top_stories=3)
    build_pages(stories_site)
    front = read_doc(stories_site, "index.md")
    top = story_blocks(front.split("## Top stories")[1].split("## More in this edition")[0])
    assert len(top) == 3
    # The edition's most covered story: the Danubia pilots, told in three languages.
    first = top[0]
    assert "sources](stories/" in first
    count = int(re.search(r"\[(\d+) sources\]\(stories/", first).group(1))
    assert count == len(re.findall(r"\]\(posts/", first.split("digest-story-sources")[1]))


def test_the_top_stories_feed_carries_each_days_leads(stories_site):
    build_pages(stories_site)
    rss = ET.fromstring((stories_site / "docs" / "top-stories.xml").read_text(encoding="utf-8"))
    items = rss.findall("./channel/item")
    assert items and len(items) <= 50
    assert rss.find("./channel/title").text == "The Nightly Digest: Top stories"
    guids = [item.find("guid").text for item in items]
    assert len(guids) == len(set(guids))
    assert (stories_site / "docs" / "top-stories.atom").is_file()


def test_a_rerun_changes_nothing_and_an_editor_takes_a_post_out_of_its_story(stories_site):
    build_pages(stories_site)
    kept = (stories_site / "digest-stories.json").read_text(encoding="utf-8")
    assert build_pages(stories_site).written == 0
    assert (stories_site / "digest-stories.json").read_text(encoding="utf-8") == kept
    path = stories_site / "docs" / src_of(stories_site, "tarnmouth-strike-ledger")
    path.write_text(path.read_text(encoding="utf-8").replace("eval_story:", "story: false\neval_story:"),
                    encoding="utf-8")
    build_pages(stories_site)
    assert "digest-story-link" not in fragment(stories_site, src_of(stories_site, "tarnmouth-strike-ledger"),
                                               "see-also")
    page = read_doc(stories_site, "stories/dockworkers-at-port-tarnmouth-walk-out-over-pay.md")
    timeline = page.split("## Timeline")[1].split("## Related stories")[0]
    assert "tarnmouth-strike-ledger" not in timeline and "tarnmouth-strike-wire" in timeline


def story_of_posts(site) -> dict[str, str]:
    """Each post's story as digest-stories.json keeps it: its slug, or the post alone."""
    kept = json.loads((site / "digest-stories.json").read_text(encoding="utf-8"))
    stories = {post_id: slug for slug, ids in kept["stories"].items() for post_id in ids}
    return {**{post_id: post_id for post_id in kept["alone"]}, **stories}


def stories_listed(markdown: str, src: str, story_of: dict[str, str]) -> list[str]:
    """The stories a listing page lists (an article of a source page is its story), in order."""
    blocks = story_blocks(markdown) or re.findall(r"^- .*\]\(.*$", markdown, re.M)
    return [story_of[min(linked_posts(block, src))] for block in blocks]


def test_each_night_of_developing_stories_keeps_every_numbered_page_listing_the_same_stories(stories_site):
    """The evaluation set night by night, three stories a page: a numbered page keeps its
    stories and their order; it is rewritten only when the page after it is made (its
    "Newer" link, at most one page a listing) or when one of its stories got a report
    tonight (only stories of the last two weeks can: STORY_DAYS)."""
    posts = stories_site / "docs" / "posts"
    waiting = stories_site / "waiting"
    shutil.move(posts / "2026" / "11", waiting)
    configure(stories_site, timezone="UTC", locale="en_GB", page_size=3)
    before: dict[str, str] = {}
    numbered_seen = 0
    for day in sorted(path.name for path in waiting.iterdir()):
        shutil.copytree(waiting / day, posts / "2026" / "11" / day)
        build_pages(stories_site)
        story_of = story_of_posts(stories_site)
        tonight = {story_of[f"posts/2026/11/{day}/{path.name}"] for path in (waiting / day).glob("*.md")}
        docs = stories_site / "docs"
        after = {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
                 for folder in ("categories", "sources") for path in (docs / folder).rglob("*.md")}
        nav_moves: dict[str, int] = {}
        for src, text in after.items():
            if "/page-" not in src or src not in before:
                continue
            numbered_seen += 1
            listed = stories_listed(text, src, story_of)
            assert stories_listed(before[src], src, story_of) == listed, (day, src)
            if text != before[src]:
                grew = set(listed) & tonight
                if not grew:        # only its links to other pages moved
                    listing = src.split("/page-")[0]
                    nav_moves[listing] = nav_moves.get(listing, 0) + 1
                    assert nav_moves[listing] == 1, (day, src)
        before = after
    assert numbered_seen > 20                       # the set made numbered pages to check
    assert build_pages(stories_site).written == 0
