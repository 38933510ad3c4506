"""digest.site.compact and the links to compact posts (``Site.link``); the built site is in
tests/test_compact_site.py."""

from __future__ import annotations

from datetime import datetime, timezone

from digest.config import load_settings
from digest.site.compact import compact_by_month, month_links
from digest.site.locale import Site
from tests.helpers import make_post, render

OLD = "posts/2025/01/03/harbour-wall.md"


def test_a_compact_post_is_linked_by_its_address_in_html_which_the_engine_does_not_check(site):
    settings = load_settings(site / "mkdocs.yml")
    compact = Site(settings, frozenset({OLD}))
    link = compact.link("Harbour wall \\*repaired\\*", "days/2025-01-03.md", OLD)
    assert link == '<a href="../../posts/2025/01/03/harbour-wall/">Harbour wall \\*repaired\\*</a>'
    # Rendered as MkDocs renders the day page: the title's Markdown escapes still hold.
    assert render(f"- {link}") == ('<ul>\n<li><a href="../../posts/2025/01/03/harbour-wall/">'
                                   "Harbour wall *repaired*</a></li>\n</ul>")
    # A post with its full page keeps its Markdown link, which MkDocs checks and rewrites.
    assert Site(settings).link("T", "days/2025-01-03.md", OLD) == "[T](../posts/2025/01/03/harbour-wall.md)"


def test_compact_posts_are_grouped_by_month_newest_first(site):
    settings = load_settings(site / "mkdocs.yml")
    posts = [make_post(f"2025/{month:02}/0{day}/p{day}", f"P{month}{day}", "x",
                       datetime(2025, month, day, 9, tzinfo=timezone.utc))
             for month in (3, 2, 1) for day in (2, 1)]
    kept = posts[0]                               # the newest: full
    site_ = Site(settings, frozenset(post.src for post in posts[1:]))
    months = compact_by_month(site_, posts)
    assert [month.isoformat() for month in months] == ["2025-03-01", "2025-02-01", "2025-01-01"]
    assert kept not in months[kept.date.date().replace(day=1)]
    assert month_links(site_, months) == [("March 2025", "archive/2025-03.md", 1),
                                          ("February 2025", "archive/2025-02.md", 2),
                                          ("January 2025", "archive/2025-01.md", 2)]


def test_a_compact_post_gets_no_fragment_but_full_ones_still_link_to_its_address(site):
    from digest.site.fragments import fragment_outputs
    from digest.site.related import Links

    settings = load_settings(site / "mkdocs.yml")
    old = make_post("2025/01/03/harbour-wall", "Harbour wall repaired", "x",
                    datetime(2025, 1, 3, 9, tzinfo=timezone.utc))
    new = make_post("2025/02/03/harbour-wall-opens", "Harbour wall opens", "x",
                    datetime(2025, 2, 3, 9, tzinfo=timezone.utc))
    links = Links(see_also={new.src: (old.src,)}, follow_ups={})
    outputs = fragment_outputs(Site(settings, frozenset({old.src})), [new, old], links)
    assert list(outputs) == ["article/posts/2025/02/03/_.html"]
    assert "../../../01/03/harbour-wall/" in outputs["article/posts/2025/02/03/_.html"]
