"""search: the Pagefind index digest publish writes, over built article pages."""

from __future__ import annotations

from datetime import date, timedelta

from pagefind.service import PagefindService

from digest.publish.search import _service_class, build_search_index
from tests.helpers import pagefind_records

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta property="og:title" content="{title}"><meta name="description" content="{summary}">
<title>{title}</title></head><body><nav>Menu Home Archive</nav>
<article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></body></html>"""


def test_every_page_is_indexed_full_text_when_recent_and_by_title_and_summary_when_older(tmp_path):
    """Hundreds of pages, as a night has: every one answered (pagefind 1.5.2's own loop took
    a tenth of a second for each; see search._service_class)."""
    site = tmp_path / "site"
    newest = date(2026, 11, 23)
    for number in range(360):
        day = newest - timedelta(days=number // 40)
        page = site / "posts" / f"{day:%Y/%m/%d}" / f"story-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(title=f"Harbour story {number}", summary=f"Summary {number} of the tide",
                                    text=f"Body text {number} about ferries and the quay."), encoding="utf-8")

    report = build_search_index(site, "posts", 3, "en")

    records = pagefind_records(site)
    assert report.full_pages + report.summaries == len(records) == 360
    assert report.full_pages == 160          # 23, 22, 21 and 20 November: within 3 days
    recent = records["/posts/2026/11/23/story-0/"]
    assert "Body text 0 about ferries" in recent and "Menu" not in recent
    older = records["/posts/2026/11/15/story-359/"]
    assert "Harbour story 359" in older and "Summary 359 of the tide" in older
    assert "Body text" not in older


def test_the_faster_answer_loop_replaces_pagefinds_own():
    # If an upgrade renames the method, ours would never run and indexing would quietly go
    # back to ten pages a second: this fails first.
    assert "_wait_for_responses" in vars(PagefindService)
    assert "_wait_for_responses" in vars(_service_class())
