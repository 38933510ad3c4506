"""The run report: the summary line, one line per failing feed, moves and long failures, the
Markdown job summary, and the exit codes the CLI derives from it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from digest.cli import main
from digest.ingest.fetch import Outcome
from digest.report import FeedOutcome, RunReport
from tests.conftest import DATA

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
PLAIN = DATA / "fetch" / "plain.xml"


def a_report() -> RunReport:
    return RunReport(
        feeds=[
            FeedOutcome("https://a.example/feed", "Harbour Gazette", Outcome.FETCHED, entries=2,
                        moved_to="https://a.example/rss"),
            FeedOutcome("https://b.example/feed", "Coastal Ledger", Outcome.NOT_MODIFIED),
            FeedOutcome("https://c.example/feed", "Quay Times", Outcome.FAILED, error="timeout (connecting)",
                        failing_since="2026-11-29T03:00:00+00:00", failures=2),
            FeedOutcome("https://d.example/feed", "Old Times", Outcome.GONE,
                        error="gone (HTTP 410 since 2026-11-20): skipped until feeds.txt is edited",
                        failing_since="2026-11-20T03:00:00+00:00", failures=1),
            FeedOutcome("https://e.example/feed", "Dock Daily", Outcome.FAILED, error="HTTP 404",
                        failing_since="2026-11-25T03:00:00+00:00", failures=6),
        ],
        new_posts=["posts/a.md", "posts/b.md"], now=NOW, failing_days=3)


def test_the_summary_counts_gone_feeds_as_failed():
    assert a_report().summary_line() == (
        "5 feeds: 1 fetched, 1 not modified, 3 failed; 2 new articles, 0 updated, "
        "0 edited posts kept, 0 duplicates dropped")


def test_the_lines_name_each_failing_feed_its_reason_moves_and_long_streaks():
    assert a_report().lines() == [
        "5 feeds: 1 fetched, 1 not modified, 3 failed; 2 new articles, 0 updated, "
        "0 edited posts kept, 0 duplicates dropped",
        "failed: https://c.example/feed (Quay Times): timeout (connecting)",
        "failed: https://d.example/feed (Old Times): gone (HTTP 410 since 2026-11-20): skipped "
        "until feeds.txt is edited",
        "failed: https://e.example/feed (Dock Daily): HTTP 404",
        "failing for more than 3 days: https://d.example/feed (Old Times): since 2026-11-20, "
        "1 runs in a row; last: gone (HTTP 410 since 2026-11-20): skipped until feeds.txt is edited",
        "failing for more than 3 days: https://e.example/feed (Dock Daily): since 2026-11-25, "
        "6 runs in a row; last: HTTP 404",
        "moved: https://a.example/feed (Harbour Gazette): permanently redirected to "
        "https://a.example/rss; update feeds.txt to the new address",
    ]


def test_the_markdown_summary_has_a_table_of_failures_and_the_other_sections():
    text = a_report().markdown()
    assert "| https://e.example/feed | HTTP 404 |" in text
    assert "Failing for more than 3 days:\n\n- https://d.example/feed: since 2026-11-20" in text
    assert ("Moved permanently:\n\n- https://a.example/feed: permanently redirected to "
            "https://a.example/rss; update feeds.txt to the new address") in text


def test_a_feed_without_a_name_is_not_named_twice():
    report = RunReport(feeds=[FeedOutcome("https://f.example/feed", "https://f.example/feed",
                                          Outcome.FAILED, error="HTTP 500 (3 attempts)")])
    assert report.lines()[1] == "failed: https://f.example/feed: HTTP 500 (3 attempts)"


def test_a_pipe_in_a_reason_does_not_break_the_summary_table():
    report = RunReport(feeds=[FeedOutcome("https://g.example/feed", "G", Outcome.FAILED,
                                          error="not a feed (junk | more junk)")])
    assert "| https://g.example/feed | not a feed (junk \\| more junk) |" in report.markdown()


def test_nothing_fetched_means_every_feed_failed_or_was_gone():
    report = a_report()
    assert not report.nothing_fetched
    report.feeds = [feed for feed in report.feeds if feed.outcome.gave_nothing]
    assert report.nothing_fetched
    assert not RunReport().nothing_fetched        # no feeds at all is not a fetch failure


# --- Exit codes ---------------------------------------------------------------------------

@pytest.fixture
def one_good_one_missing(site, feed_server):
    good = feed_server.add_file("/plain.xml", PLAIN)
    (site / "feeds.txt").write_text(f"{good}\n{feed_server.url('/missing.xml')} Missing\n",
                                    encoding="utf-8")
    return site


def test_a_failing_feed_still_exits_0(one_good_one_missing, capsys):
    assert main(["--config", str(one_good_one_missing / "mkdocs.yml"), "fetch"]) == 0
    out = capsys.readouterr().out
    assert "2 feeds: 1 fetched, 0 not modified, 1 failed; 2 new articles" in out
    assert "failed: http://127.0.0.1:" in out and "/missing.xml (Missing): HTTP 404" in out


def test_strict_exits_1_when_any_feed_failed(one_good_one_missing):
    assert main(["--config", str(one_good_one_missing / "mkdocs.yml"), "fetch", "--strict"]) == 1


def test_strict_exits_0_when_every_feed_was_fetched(site, feed_server):
    (site / "feeds.txt").write_text(feed_server.add_file("/plain.xml", PLAIN) + "\n", encoding="utf-8")
    assert main(["--config", str(site / "mkdocs.yml"), "fetch", "--strict"]) == 0


def test_the_summary_file_gets_the_markdown_report(one_good_one_missing, tmp_path):
    summary = tmp_path / "summary.md"
    main(["--config", str(one_good_one_missing / "mkdocs.yml"), "fetch", "--summary", str(summary)])
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## digest fetch\n\n2 feeds: 1 fetched") and "| HTTP 404 |" in text
