"""Which posts keep their full page, so that the published site stays under ``site_budget``.

Every article page costs about 11 KB once minified; at a year of news that is far over what
GitHub Pages publishes (1 GB). So the newest days keep full pages and, once the estimated
site would pass the budget, older *automatic* posts are published in a compact form: a line
on their month's archive page (``compact.py``) and a small page at their old address
(``digest publish`` writes it). Their Markdown stays in the repo as it is.

Always full, whatever their age: hand-written posts, posts an editor changed (``edited``:
that covers picks, corrections and a chosen story, all front matter edits), and a generated
post an editor moved out of the dated folders (the build config leaves posts out by folder).

The estimate (``SizeModel``) is a sum per article, measured on a real build
(``bench/budget_model.py``, figures in bench/README.md), with a share of the budget kept
spare for what it does not see (a theme update, an unusually long night):

- every article, full or compact: its lines on the listing pages (day, categories, source,
  story), its search record and its sitemap entry, plus the bytes of its title and summary;
- a full article: the page shell plus its text (the Markdown's bytes, times a factor for the
  markup) and, within ``search_full_days`` of the newest, its text in the search index;
- a compact article: the small page plus its line on the month's archive page, less its
  lines on category and source pages (``unlisted``): a numbered page of compact articles
  only is not published (``listings.paged``), the month's page lists them;
- a story's page (a story of two or more articles): the page shell plus a block per report;
  once the story's newest report is older than the full days, a small page of its own
  (``compact.py``): at about 4 KB a report, story pages weigh as much as the compact
  articles, so a year of news only fits with old stories compact too;
- the site itself: the theme's assets, the search runtime and the fixed pages.

A pure function of the settings and the posts: the same posts give the same plan, so a rerun
changes no file.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as date_type, timedelta
from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.store.posts import Post

MB = 1_000_000
GROWTH_DAYS = 7      # the trend is the average of this many latest days with posts


@dataclass(frozen=True)
class SizeModel:
    """Bytes the published (minified) site spends, measured by bench/budget_model.py."""

    site: int = 3_170_000            # theme assets, search runtime, fixed pages
    listed: int = 1_660              # per article: listing lines, search record, sitemap entry
    listed_per_byte: float = 4.0     # ... per byte of its title and summary (listed ~4 times)
    full_page: int = 13_400          # a full article page's shell
    full_per_byte: float = 1.01      # ... per byte of its Markdown text
    searched_per_byte: float = 0.59  # its text in the search index (within search_full_days)
    compact: int = 1_770             # the small page and the month page's line
    compact_per_byte: float = 3.27   # ... per byte of its title and summary
    unlisted: int = 1_249            # ... less its lines on category and source pages, whose
                                     # numbered pages of compact items only are not published
    moved_share: int = 430           # ... plus its share of the page left at such a page's address
                                     # (10.7 KB published, one per 50 items, on two listings)
    story_page: int = 11_900         # a story's page
    story_per_report: int = 800      # ... per report on it
    small_story: int = 960           # a compact story's small page
    small_story_per_report: int = 300
    spare: float = 0.10              # the share of the budget kept free

    def story_bytes(self, reports: int, full: bool) -> int:
        if full:
            return self.story_page + self.story_per_report * reports
        return self.small_story + self.small_story_per_report * reports

    def listed_bytes(self, post: Post) -> int:
        return int(self.listed + self.listed_per_byte * _heading_bytes(post))

    def full_bytes(self, post: Post, searched: bool) -> int:
        text = len(post.text.encode("utf-8"))
        return int(self.full_page + self.full_per_byte * text
                   + (self.searched_per_byte * text if searched else 0))

    def compact_bytes(self, post: Post) -> int:
        return int(self.compact - self.unlisted + self.moved_share
                   + self.compact_per_byte * _heading_bytes(post))


MODEL = SizeModel()


def _heading_bytes(post: Post) -> int:
    return len(post.title.encode("utf-8")) + len(post.summary.encode("utf-8"))


@dataclass(frozen=True)
class Plan:
    """The posts published compact, and the figures the nightly report shows."""

    compact: frozenset[str]          # srcs of posts published compact
    budget: int                      # bytes (site_budget)
    allowance: int                   # bytes the plan fills at most (the budget less spare)
    estimate: int                    # bytes the site is estimated to weigh with this plan
    days: int                        # days with posts
    full_days: int                   # the newest days, whose automatic posts keep full pages
    full_since: date_type | None     # the oldest of those days
    growth: int                      # bytes a night adds, as full pages (latest days' mean)
    compact_growth: int              # bytes a night adds once compact
    correction: float = 1.0          # measured / estimated bytes of the last published site
    model_estimate: int = 0          # the model's own estimate, before that correction
    compact_stories: frozenset[str] = frozenset()   # story pages (srcs) made small pages

    @property
    def by_address(self) -> frozenset[str]:
        """Every page the engine does not build, whose address publish answers instead."""
        return self.compact | self.compact_stories

    @property
    def nights_left(self) -> int | None:
        """Nights until older articles start becoming compact (None: they already do)."""
        if self.compact or not self.growth:
            return None
        return max(0, (self.allowance - self.estimate) // self.growth)

    @property
    def nights_per_day_lost(self) -> int | None:
        """Once compacting, each night adds a full day and turns the oldest full day compact:
        the site grows by a compact day, and the window of full days loses a day every so
        many nights."""
        if not self.compact or not self.compact_growth:
            return None
        return max(1, round(self.growth / self.compact_growth))

    def lines(self) -> list[str]:
        """The nightly report's budget lines (``digest fetch``, ``digest pages``)."""
        share = 100 * self.estimate / self.budget if self.budget else 0
        head = (f"budget: an estimated {_mb(self.estimate)} of the {_mb(self.budget)} "
                f"site_budget ({share:.0f}%; {_mb(self.budget - self.allowance)} kept spare)")
        if self.correction != 1.0:
            head += f"; the model's figures times {self.correction:.2f}, as the last published site measured"
        if not self.compact:
            trend = f"; about {_mb(self.growth)} a night"
            if self.nights_left:
                trend += f": older articles become compact in about {self.nights_left} nights"
            lines = [head, f"full pages: all {self.days} days{trend}"]
        else:
            since = f" (since {self.full_since.isoformat()})" if self.full_since else ""
            lines = [head, f"full pages: the newest {self.full_days} of {self.days} days{since}; "
                           f"{len(self.compact):,} older articles compact; about "
                           f"{_mb(self.growth)} a night, and the full days shrink by one about "
                           f"every {self.nights_per_day_lost} nights"]
        if self.estimate > self.allowance:
            lines.append("warning: the site does not fit its budget even with every older article "
                         "compact: raise site_budget (GitHub Pages publishes at most 1 GB)")
        return lines


def _mb(size: int) -> str:
    """3.3 MB; a small site's (or a test's) figures in KB, not 0.0 MB."""
    return f"{size / MB:,.1f} MB" if abs(size) >= MB else f"{size / 1000:,.0f} KB"


def dated_pattern(posts_dir: str) -> re.Pattern:
    """A post in the folders ``digest fetch`` files by day: ``posts/YYYY/MM/DD/slug.md``."""
    return re.compile(rf"{re.escape(posts_dir.strip('/'))}/\d{{4}}/\d{{2}}/\d{{2}}/[^/]+\.md")


def may_be_compact(post: Post, dated: re.Pattern) -> bool:
    """An automatic post nobody changed, in a day's folder: the only kind that may go compact."""
    return (post.generated and not post.edited and not post.featured and not post.correction
            and post.updated is None and bool(dated.fullmatch(post.src)))


def plan_pages(settings: Settings, posts: list[Post], story_pages: dict[str, list[Post]] | None = None,
               model: SizeModel = MODEL, correction: float = 1.0) -> Plan:
    """Keep the newest days full while the estimate fits; older automatic posts go compact,
    and so do the pages of stories (``story_pages``: page src -> its reports) whose newest
    report is on a compact day.

    The newest day always keeps its full pages (the front page leads with it), even when the
    rest already overfills the budget: the report then shows the estimate over it.

    ``correction`` (``store.size_record``: what the last published site weighed over what
    the model estimated for it) scales every estimate, so a model that underestimated keeps
    fewer full days the next night.
    """
    zone = ZoneInfo(settings.timezone)
    dated = dated_pattern(settings.posts_dir)
    days: dict[date_type, list[Post]] = defaultdict(list)
    for post in posts:
        days[post.date.astimezone(zone).date()].append(post)
    order = sorted(days, reverse=True)
    searched_since = order[0] - timedelta(days=settings.search_full_days) if order else None
    budget = int(settings.site_budget * MB)
    allowance = int(budget * (1 - model.spare))

    def searched(day: date_type) -> bool:
        return searched_since is not None and day >= searched_since

    estimate = model.site
    upgrade: dict[date_type, int] = {}
    candidates: dict[date_type, list[str]] = {}
    for day in order:
        upgrade[day], candidates[day] = 0, []
        for post in days[day]:
            estimate += model.listed_bytes(post)
            full = model.full_bytes(post, searched(day))
            if may_be_compact(post, dated):
                small = model.compact_bytes(post)
                estimate += small
                upgrade[day] += full - small
                candidates[day].append(post.src)
            else:
                estimate += full
    stories_on: dict[date_type, list[tuple[int, int]]] = defaultdict(list)
    for src, members in (story_pages or {}).items():
        day = max(post.date for post in members).astimezone(zone).date()
        small = model.story_bytes(len(members), full=False)
        full = model.story_bytes(len(members), full=True)
        estimate += small
        upgrade[day] += full - small
        candidates[day].append(src)
        stories_on[day].append((full, small))
    full_days = 0
    for day in order:
        if full_days and (estimate + upgrade[day]) * correction > allowance:
            break
        estimate += upgrade[day]
        full_days += 1
    small = frozenset(src for day in order[full_days:] for src in candidates[day])
    stories = frozenset(story_pages or ()) & small
    growth, compact_growth = _trend(model, [(days[day], stories_on[day]) for day in order[:GROWTH_DAYS]])
    return Plan(compact=small - stories, compact_stories=stories, budget=budget, allowance=allowance,
                estimate=round(estimate * correction), days=len(order), full_days=full_days,
                full_since=order[full_days - 1] if full_days else None,
                growth=round(growth * correction), compact_growth=round(compact_growth * correction),
                correction=correction, model_estimate=estimate)


def _trend(model: SizeModel, latest: list[tuple[list[Post], list[tuple[int, int]]]]) -> tuple[int, int]:
    """The mean bytes of one of the latest days (its posts, and the story pages whose newest
    report it has): as full pages (outside the searched window, where a night's pages spend
    most of their life), and as compact ones."""
    if not latest:
        return 0, 0
    full = sum(sum(model.listed_bytes(p) + model.full_bytes(p, False) for p in posts)
               + sum(size for size, _ in stories) for posts, stories in latest)
    small = sum(sum(model.listed_bytes(p) + model.compact_bytes(p) for p in posts)
                + sum(size for _, size in stories) for posts, stories in latest)
    return math.ceil(full / len(latest)), math.ceil(small / len(latest))
