"""Progress: plain lines when the output is a log (not a TTY), a bar and no lines on a terminal."""

from __future__ import annotations

import io

from digest.ingest.feedlist import FeedSource
from digest.ingest.fetch import FetchResult, Outcome
from digest.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def results() -> list[FetchResult]:
    return [FetchResult(FeedSource("https://a.example/feed", None, "feeds.txt:1"), Outcome.FETCHED),
            FetchResult(FeedSource("https://b.example/feed", None, "feeds.txt:2"), Outcome.FAILED,
                        error="HTTP 404"),
            FetchResult(FeedSource("https://c.example/feed", None, "feeds.txt:3"), Outcome.NOT_MODIFIED)]


def test_a_log_gets_one_plain_line_per_feed():
    log = io.StringIO()
    with Progress("feeds", stream=log) as progress:
        progress.start(3)
        for result in results():
            progress.advance(result)
    assert log.getvalue().splitlines() == [
        "[1/3] https://a.example/feed: fetched",
        "[2/3] https://b.example/feed: failed: HTTP 404",
        "[3/3] https://c.example/feed: not_modified",
    ]


def test_a_terminal_gets_a_bar_and_no_lines():
    terminal = Terminal()
    with Progress("feeds", stream=terminal) as progress:
        progress.start(3)
        for result in results():
            progress.advance(result)
    shown = terminal.getvalue()
    assert "\r" in shown and "3/3" in shown and "1 failed" in shown
    assert "[1/3]" not in shown and "https://" not in shown
