"""The run report: what a fetch did, per feed, for the terminal, CI logs and job summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from digest.ingest.fetch import Outcome


@dataclass
class FeedOutcome:
    url: str
    name: str
    outcome: Outcome        # the fetch's, or FAILED when the body is not a feed
    entries: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    moved_to: str | None = None         # a permanent redirect: feeds.txt should say this
    failing_since: str | None = None    # ISO 8601, start of the failing streak
    failures: int = 0                   # runs in a row that failed

    def failing_days(self, now: datetime) -> int:
        if not self.failing_since:
            return 0
        return (now - datetime.fromisoformat(self.failing_since)).days


@dataclass
class RunReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    new_posts: list[str] = field(default_factory=list)
    updated_posts: list[str] = field(default_factory=list)
    skipped_edited: list[str] = field(default_factory=list)
    skipped_deleted: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)     # run-wide warnings (state rebuilt, ...)
    pages_written: int = 0
    budget: list[str] = field(default_factory=list)     # the size budget's lines, last
    now: datetime | None = None
    failing_days: int = 3                  # feeds failing longer than this are called out

    def count(self, outcome: Outcome) -> int:
        return sum(1 for feed in self.feeds if feed.outcome == outcome)

    @property
    def failed(self) -> list[FeedOutcome]:
        """Every feed that gave nothing this run: failed now, or skipped as gone."""
        return [feed for feed in self.feeds if feed.outcome.gave_nothing]

    @property
    def moved(self) -> list[FeedOutcome]:
        return [feed for feed in self.feeds if feed.moved_to]

    @property
    def long_failing(self) -> list[FeedOutcome]:
        if self.now is None:
            return []
        return [feed for feed in self.failed if feed.failing_days(self.now) > self.failing_days]

    @property
    def nothing_fetched(self) -> bool:
        return bool(self.feeds) and len(self.failed) == len(self.feeds)

    def summary_line(self) -> str:
        return (f"{len(self.feeds)} feeds: {self.count(Outcome.FETCHED)} fetched, "
                f"{self.count(Outcome.NOT_MODIFIED)} not modified, {len(self.failed)} failed; "
                f"{len(self.new_posts)} new articles, {len(self.updated_posts)} updated, "
                f"{len(self.skipped_edited)} edited posts kept, {self.duplicates} duplicates dropped")

    def lines(self) -> list[str]:
        out = [self.summary_line()]
        out += [f"warning: {note}" for note in self.notes]
        for feed in self.failed:
            out.append(f"failed: {feed.url}{self._named(feed)}: {feed.error}")
        for feed in self.long_failing:
            out.append(f"failing for more than {self.failing_days} days: {feed.url}"
                       f"{self._named(feed)}: {self._streak(feed)}")
        for feed in self.moved:
            out.append(f"moved: {feed.url}{self._named(feed)}: {self._move(feed)}")
        for path in self.skipped_edited:
            out.append(f"kept: {path}: the publisher updated the story, but an editor changed "
                       "this post, so the update was skipped")
        for feed in self.feeds:
            out += [f"warning: {feed.url}: {warning}" for warning in feed.warnings]
        return out + self.budget

    def markdown(self) -> str:
        lines = ["## digest fetch", "", self.summary_line(), ""]
        if self.failed:
            lines += ["| feed | reason |", "| --- | --- |"]
            lines += [f"| {_cell(feed.url)} | {_cell(feed.error)} |" for feed in self.failed]
            lines.append("")
        if self.long_failing:
            lines += [f"Failing for more than {self.failing_days} days:", ""]
            lines += [f"- {feed.url}: {self._streak(feed)}" for feed in self.long_failing]
            lines.append("")
        if self.moved:
            lines += ["Moved permanently:", ""]
            lines += [f"- {feed.url}: {self._move(feed)}" for feed in self.moved]
            lines.append("")
        if self.skipped_edited:
            lines += ["Edited posts kept (publisher updates skipped):", ""]
            lines += [f"- `{path}`" for path in self.skipped_edited]
            lines.append("")
        if self.budget:
            lines += ["Size budget:", ""] + [f"- {line}" for line in self.budget] + [""]
        return "\n".join(lines)

    @staticmethod
    def _named(feed: FeedOutcome) -> str:
        """The feed's name after its URL, unless there is none but the URL itself."""
        return f" ({feed.name})" if feed.name and feed.name != feed.url else ""

    @staticmethod
    def _streak(feed: FeedOutcome) -> str:
        return (f"since {feed.failing_since[:10]}, {feed.failures} runs in a row; "
                f"last: {feed.error}")

    @staticmethod
    def _move(feed: FeedOutcome) -> str:
        return f"permanently redirected to {feed.moved_to}; update feeds.txt to the new address"


def _cell(text: str | None) -> str:
    """Text for a Markdown table cell: a ``|`` in an error message would end the cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")
