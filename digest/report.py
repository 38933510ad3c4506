"""The run report: what a fetch did, per feed, for the terminal, CI logs and job summaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FeedOutcome:
    url: str
    name: str
    outcome: str            # "fetched", "not_modified", "failed"
    entries: int = 0
    new: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


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

    def count(self, outcome: str) -> int:
        return sum(1 for feed in self.feeds if feed.outcome == outcome)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [feed for feed in self.feeds if feed.outcome == "failed"]

    @property
    def nothing_fetched(self) -> bool:
        return bool(self.feeds) and len(self.failed) == len(self.feeds)

    def summary_line(self) -> str:
        return (f"{len(self.feeds)} feeds: {self.count('fetched')} fetched, "
                f"{self.count('not_modified')} not modified, {len(self.failed)} failed; "
                f"{len(self.new_posts)} new articles, {len(self.updated_posts)} updated, "
                f"{len(self.skipped_edited)} edited posts kept, {self.duplicates} duplicates dropped")

    def lines(self) -> list[str]:
        out = [self.summary_line()]
        out += [f"warning: {note}" for note in self.notes]
        for feed in self.failed:
            out.append(f"failed: {feed.url} ({feed.name}): {feed.error}")
        for path in self.skipped_edited:
            out.append(f"kept: {path}: the publisher updated the story, but an editor changed "
                       "this post, so the update was skipped")
        for feed in self.feeds:
            out += [f"warning: {feed.url}: {warning}" for warning in feed.warnings]
        return out

    def markdown(self) -> str:
        lines = ["## digest fetch", "", self.summary_line(), ""]
        if self.failed:
            lines += ["| feed | reason |", "| --- | --- |"]
            lines += [f"| {feed.url} | {feed.error} |" for feed in self.failed]
            lines.append("")
        if self.skipped_edited:
            lines += ["Edited posts kept (publisher updates skipped):", ""]
            lines += [f"- `{path}`" for path in self.skipped_edited]
            lines.append("")
        return "\n".join(lines)
