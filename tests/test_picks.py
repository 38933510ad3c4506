"""digest.site.picks: editors' picks lead the day's top stories, ranked ones first."""

from __future__ import annotations

from datetime import datetime, timezone

from digest.site.picks import picked_stories, picks_lead, picks_of
from tests.helpers import build_pages, read_doc, make_post


def at(hour: int) -> datetime:
    return datetime(2021, 5, 13, hour, tzinfo=timezone.utc)


def test_ranked_picks_first_by_rank_then_featured_newest_first_then_no_others():
    posts = [make_post("a", "A", "", at(9), featured=True),
             make_post("b", "B", "", at(10), featured=True, rank=2),
             make_post("c", "C", "", at(11)),
             make_post("d", "D", "", at(8), featured=True, rank=1),
             make_post("e", "E", "", at(12), featured=True)]
    assert [post.title for post in picks_of(posts)] == ["D", "B", "E", "A"]


def test_a_pick_leads_its_day_page_and_the_front_page_once(pages_site):
    post = pages_site / "docs" / "posts" / "2021" / "05" / "13" / "late-night-vote.md"
    post.write_text(post.read_text(encoding="utf-8").replace("\ndate:", "\nfeatured: true\ndate:", 1),
                    encoding="utf-8")
    build_pages(pages_site)
    day = read_doc(pages_site, "days/2021-05-13.md")
    assert day.index("## Top stories") < day.index("late-night-vote.md)") < day.index("## [Business]")
    assert day.count("late-night-vote.md)") == 1
    # On the front page the picked story leads the top stories, once (its headline and its
    # source's name both lead to the article, inside the one story element).
    front = read_doc(pages_site, "index.md")
    blocks = front.split('<div class="digest-story digest-top-story" markdown>')
    assert "late-night-vote.md)" in blocks[1]
    assert not any("late-night-vote.md)" in block for block in blocks[2:])


def test_picked_stories_lead_the_ranking_and_are_never_cut():
    members = {"vote": [make_post("a", "A", "", at(9), featured=True)],
               "bridge": [make_post("b", "B", "", at(10)), make_post("c", "C", "", at(11), featured=True, rank=1)],
               "storm": [make_post("d", "D", "", at(12))],
               "tide": [make_post("e", "E", "", at(8))]}
    picked = picked_stories(list(members), members.__getitem__)
    assert picked == ["bridge", "vote"]
    assert picks_lead(picked, ["storm", "vote", "tide", "bridge"], 3) == ["bridge", "vote", "storm"]
    assert picks_lead(picked, ["storm", "tide"], 1) == ["bridge", "vote"]
