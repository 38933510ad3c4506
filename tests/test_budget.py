"""Planning which posts keep their full page under site_budget (digest/site/budget.py), and
the build config patterns that leave the compact ones out (digest/site/buildconfig.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pathspec
import pytest

from digest.config import load_settings
from digest.site.budget import MB, MODEL, plan_pages
from digest.site.buildconfig import build_config, compact_patterns
from tests.helpers import budget_for, make_post

NEWEST = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def day_of_posts(days_ago: int, count: int = 3, text_bytes: int = 2000, **extra):
    day = NEWEST - timedelta(days=days_ago)
    return [make_post(f"{day:%Y/%m/%d}/story-{days_ago}-{number}", f"Story {days_ago}-{number}",
                      "x" * text_bytes, day - timedelta(minutes=number), summary="A summary.", **extra)
            for number in range(count)]


@pytest.fixture
def settings(site):
    return load_settings(site / "mkdocs.yml")


def test_everything_stays_full_while_it_fits(settings):
    posts = [post for days in range(5) for post in day_of_posts(days)]
    plan = plan_pages(settings, posts)
    assert plan.compact == frozenset() and plan.full_days == 5
    assert plan.estimate < plan.allowance < plan.budget == 900 * MB
    assert plan.nights_left and plan.nights_left > 100


def test_the_newest_days_keep_full_pages_and_older_automatic_ones_go_compact(settings):
    posts = [post for days in range(10) for post in day_of_posts(days)]
    small = replace(settings, site_budget=budget_for(settings, posts, 4))
    plan = plan_pages(small, posts)
    assert plan.full_days == 4 and plan.full_since == (NEWEST - timedelta(days=3)).date()
    old = {post.src for post in posts if post.date < NEWEST - timedelta(days=3, hours=12)}
    assert plan.compact == old
    assert plan.estimate <= plan.allowance
    # One byte less and a day more would not fit; the plan is the same on a rerun.
    assert plan_pages(small, list(reversed(posts))) == plan


def test_a_model_the_last_site_proved_low_keeps_fewer_full_days(settings):
    """The 50,000-article run measured 949 MB where the model said 703: the next plan
    scales the model by what the published site weighed (store/size_record.py)."""
    # Days of articles big enough for the site's fixed part not to dominate.
    posts = [post for days in range(10) for post in day_of_posts(days, count=60, text_bytes=6000)]
    small = replace(settings, site_budget=budget_for(settings, posts, 6))
    plain, corrected = plan_pages(small, posts), plan_pages(small, posts, correction=1.2)
    assert plain.full_days == 6 and 1 < corrected.full_days < 6
    assert corrected.estimate <= corrected.allowance
    assert corrected.estimate == round(corrected.model_estimate * 1.2)
    assert any("times 1.20" in line for line in corrected.lines())
    assert not any("times" in line for line in plain.lines())


def test_hand_written_and_edited_posts_keep_full_pages_at_any_age(settings):
    posts = [post for days in range(6) for post in day_of_posts(days)]
    old = NEWEST - timedelta(days=5)
    hand = make_post("editors/our-podcast", "Our podcast", "Text.", old, generated=False)
    edited = make_post(f"{old:%Y/%m/%d}/edited", "Edited", "Text.", old, digest_hash="sha256:a",
                       hash="sha256:b")
    pick = make_post(f"{old:%Y/%m/%d}/pick", "Pick", "Text.", old, featured=True)
    moved = make_post("elsewhere/moved", "Moved by an editor", "Text.", old)
    extra = [hand, edited, pick, moved]
    plan = plan_pages(replace(settings, site_budget=0.001), posts + extra)
    assert plan.full_days == 1
    assert not plan.compact & {post.src for post in extra}
    assert {post.src for post in day_of_posts(5)} <= plan.compact


def test_the_newest_day_stays_full_even_over_the_budget_and_the_report_says_so(settings):
    posts = [post for days in range(3) for post in day_of_posts(days)]
    plan = plan_pages(replace(settings, site_budget=0.001), posts)
    assert plan.full_days == 1 and plan.estimate > plan.budget
    assert plan.compact == {post.src for post in posts[3:]}
    head, full, warning = plan.lines()
    assert warning.startswith("warning: the site does not fit its budget even with every older")
    assert head.startswith("budget: an estimated ") and "of the 1 KB site_budget" in head
    assert "the newest 1 of 3 days (since 2026-11-23); 6 older articles compact" in full
    assert "shrink by one about every" in full


def test_the_trend_counts_a_night_of_full_pages_and_the_nights_left(settings):
    posts = [post for days in range(8) for post in day_of_posts(days, count=4)]
    plan = plan_pages(settings, posts)
    night = sum(MODEL.listed_bytes(p) + MODEL.full_bytes(p, False) for p in day_of_posts(0, count=4))
    assert plan.growth == night
    assert plan.nights_left == (plan.allowance - plan.estimate) // night
    assert f"about {plan.nights_left} nights" in plan.lines()[1]


def test_a_longer_text_costs_more_and_a_compact_page_less(settings):
    short, long_ = make_post("a", "T", "x" * 100, NEWEST), make_post("b", "T", "x" * 10_000, NEWEST)
    assert MODEL.full_bytes(long_, False) > MODEL.full_bytes(short, False)
    assert MODEL.full_bytes(short, True) > MODEL.full_bytes(short, False)
    assert MODEL.compact_bytes(short) < MODEL.full_bytes(short, False) / 4


def test_a_story_page_goes_compact_with_the_day_of_its_newest_report(settings):
    posts = [post for days in range(6) for post in day_of_posts(days)]
    by_day = {days: day_of_posts(days) for days in range(6)}
    stories = {"stories/old.md": by_day[5][:2] + by_day[4][:1],      # newest report 4 days ago
               "stories/running.md": by_day[5][2:] + by_day[0][:1]}  # a report today
    plan = plan_pages(replace(settings, site_budget=0.001), posts, stories)
    assert plan.full_days == 1
    assert plan.compact_stories == {"stories/old.md"}
    assert len(plan.compact) == 15 and plan.by_address == plan.compact | {"stories/old.md"}
    # A story page is counted in the estimate: the same posts without it weigh less.
    assert plan.estimate > plan_pages(replace(settings, site_budget=0.001), posts).estimate
    assert MODEL.story_bytes(3, full=False) < MODEL.story_bytes(3, full=True) / 4


# --- the patterns ------------------------------------------------------------------------------

def excluded(lines: list[str], srcs: list[str]) -> set[str]:
    """What MkDocs leaves out with these exclude_docs lines (it matches with pathspec's
    gitignore rules, as here)."""
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return {src for src in srcs if spec.match_file(src)}


def test_a_whole_month_is_one_pattern_and_kept_posts_are_named_back_in():
    srcs = [f"posts/2025/01/{day:02}/story-{n}.md" for day in range(1, 29) for n in range(5)]
    kept = {"posts/2025/01/07/story-2.md", "posts/2025/01/20/story-0.md"}
    compact = frozenset(srcs) - kept
    lines = compact_patterns(compact, srcs + ["posts/2025/02/01/new.md", "posts/editors/x.md"])
    assert lines == ["/posts/2025/01/**/*.md", "!/posts/2025/01/07/story-2.md",
                     "!/posts/2025/01/20/story-0.md"]
    assert excluded(lines, srcs + ["posts/2025/02/01/new.md"]) == compact


def test_a_month_half_full_is_left_out_day_by_day():
    srcs = [f"posts/2025/02/{day:02}/story-{n}.md" for day in range(1, 5) for n in range(5)]
    compact = frozenset(src for src in srcs if "/02/01/" in src or "/02/02/" in src)
    lines = compact_patterns(compact, srcs)
    assert lines == ["/posts/2025/02/01/*.md", "/posts/2025/02/02/*.md"]
    assert excluded(lines, srcs) == compact


def test_patterns_stay_few_at_a_year_of_news():
    srcs = [f"posts/2025/{month:02}/{day:02}/story-{n}.md"
            for month in range(1, 13) for day in range(1, 29) for n in range(400)]
    compact = frozenset(src for src in srcs if src < "posts/2025/10/15/")
    lines = compact_patterns(compact, srcs)
    assert len(lines) < 30
    assert excluded(lines, srcs[::97]) == compact & set(srcs[::97])


def test_a_draft_in_a_compact_folder_stays_a_draft_not_excluded():
    old = NEWEST - timedelta(days=40)
    posts = [make_post(f"{old:%Y/%m/%d}/story-{n}", "T", "x", old) for n in range(3)]
    draft = make_post(f"{old:%Y/%m/%d}/draft", "T", "x", old, draft=True)
    config = build_config([draft], "notes", frozenset(post.src for post in posts),
                          [post.src for post in posts] + [draft.src])
    assert f"  !/{draft.src}\n" in config and f"draft_docs: |\n  /{draft.src}\n" in config
