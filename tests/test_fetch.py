"""The fetch stage against a real HTTP server on 127.0.0.1, one case per misbehaving server.

Every case runs ``fetch_all`` with short limits (timeouts under a second, a 1 MiB body cap)
so the module stays fast; the defaults are checked separately. The feeds served are the
files in tests/data/fetch/, each opening with a comment saying what it tests.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from pathlib import Path

import pytest

from digest import pipeline
from digest.config import load_settings
from digest.ingest.feedlist import FeedSource
from digest.ingest.fetch import (MAX_BYTES, REAL_TIME, Clock, FetchPolicy, Outcome, Validators, fetch_all,
                                 user_agent)
from digest.ingest.parse import NotAFeed, parse_feed
from digest.store.state import load_state
from tests.conftest import CORPUS, DATA, needs_corpus

FETCH = DATA / "fetch"
MiB = 1024 * 1024
FAST = FetchPolicy(user_agent="digest-tests/1 (+https://news.example.org/)", timeout=1.0,
                   connect_timeout=1.0, max_bytes=MiB, retries=2, backoff=0.05, deadline=10.0)


def fetch(url: str, policy: FetchPolicy = FAST, known: Validators | None = None,
          clock: Clock = REAL_TIME):
    source = FeedSource(url, None, "feeds.txt:1")
    [result] = fetch_all([source], policy, {url: known} if known else {}, clock=clock)
    return result


class TestClock:
    """A fetch clock whose waits take no time: it records them and moves its time on."""

    __test__ = False                  # not a test class, whatever its name
    WALL = 1_800_000_000.0            # 2027-01-15, the wall time it starts at

    def __init__(self):
        self.waits: list[float] = []
        self.skipped = 0.0

    def clock(self) -> Clock:
        async def sleep(seconds: float) -> None:
            self.waits.append(seconds)
            self.skipped += seconds
            await asyncio.sleep(0)

        return Clock(monotonic=lambda: time.monotonic() + self.skipped,
                     wall=lambda: self.WALL + self.skipped, sleep=sleep)


def paths_requested(server) -> list[str]:
    return [path for path, _ in server.requests]


# --- Handlers for servers that misbehave in ways a route's fixed answer cannot ------------

def answer(handler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def trickle_forever(handler, length: int = 100_000) -> None:
    """Headers, then one byte every 50 ms: each read is quick, the answer never ends."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(length))
    handler.end_headers()
    for _ in range(400):                       # 20 s at most, should the client not hang up
        try:
            handler.wfile.write(b" ")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.05)


def endless_body(handler) -> None:
    """No Content-Length and no end: data as fast as the client takes it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<item><title>again</title></item>\n" * 2000
    for _ in range(10_000):                    # 680 MB at most
        try:
            handler.wfile.write(chunk)
        except OSError:
            return
    handler.close_connection = True


def cut_short(handler) -> None:
    """Promises the whole feed, sends half of it, hangs up."""
    body = (FETCH / "plain.xml").read_bytes()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.close_connection = True


def failing_first(times: int, status: int, **headers: str):
    """``status`` (with ``headers``) for the first ``times`` requests, then the plain feed."""
    seen = []

    def handle(handler):
        seen.append(time.monotonic())
        if len(seen) <= times:
            answer(handler, status, b"busy", **headers)
        else:
            answer(handler, 200, (FETCH / "plain.xml").read_bytes(),
                   Content_Type="application/rss+xml")
    handle.seen = seen
    return handle


# --- 200 ----------------------------------------------------------------------------------

def test_a_feed_is_fetched_with_our_user_agent_and_its_headers_kept(feed_server):
    url = feed_server.add_file("/plain.xml", FETCH / "plain.xml",
                               headers={"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 06:00:00 GMT"})
    result = fetch(url)
    assert (result.outcome, result.error, result.status) == (Outcome.FETCHED, None, 200)
    assert result.body == (FETCH / "plain.xml").read_bytes()
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert result.headers["content-location"] == url   # feedparser's base for relative links
    assert result.validators == Validators('"v1"', "Mon, 23 Nov 2026 06:00:00 GMT")
    [(_, sent)] = feed_server.requests
    assert sent["User-Agent"] == "digest-tests/1 (+https://news.example.org/)"
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent
    assert sent["Accept-Encoding"] == "gzip, deflate"


def test_the_user_agent_names_the_project_and_the_site_unless_configured():
    assert user_agent("https://news.example.org/") == \
        "digest/0.1.0 (news digest feed reader; +https://news.example.org/)"
    assert user_agent("") == "digest/0.1.0 (news digest feed reader)"
    assert user_agent("https://news.example.org/", "Harbour Bot/2") == "Harbour Bot/2"


def test_the_defaults_are_the_nightly_limits():
    policy = FetchPolicy(user_agent="x")
    assert (policy.max_bytes, MAX_BYTES, policy.max_redirects) == (15 * MiB, 15 * MiB, 5)
    assert (policy.concurrency, policy.per_host, policy.retries) == (16, 2, 2)


def test_a_gzipped_feed_is_inflated(feed_server):
    body = (FETCH / "plain.xml").read_bytes()
    url = feed_server.add("/gz.xml", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    result = fetch(url)
    assert result.outcome == Outcome.FETCHED and result.body == body
    assert "content-encoding" not in result.headers   # the body we hand on is not encoded


@pytest.mark.parametrize("wrapper", ["zlib", "raw"])
def test_a_deflated_feed_is_inflated_with_or_without_the_zlib_wrapper(feed_server, wrapper):
    body = (FETCH / "plain.xml").read_bytes()
    packer = zlib.compressobj(wbits=zlib.MAX_WBITS if wrapper == "zlib" else -zlib.MAX_WBITS)
    url = feed_server.add("/deflate.xml", packer.compress(body) + packer.flush(),
                          headers={"Content-Encoding": "deflate"})
    result = fetch(url)
    assert result.outcome == Outcome.FETCHED and result.body == body


# --- 304 ----------------------------------------------------------------------------------

def conditional(handler) -> None:
    """A server that honours validators: 304 only when both match what it sent."""
    matches = (handler.headers.get("If-None-Match") == '"v7"' and
               handler.headers.get("If-Modified-Since") == "Mon, 23 Nov 2026 06:00:00 GMT")
    if matches:
        answer(handler, 304, ETag='"v7"')
    else:
        answer(handler, 200, (FETCH / "plain.xml").read_bytes(), Content_Type="application/rss+xml",
               ETag='"v7"', Last_Modified="Mon, 23 Nov 2026 06:00:00 GMT")


def test_the_validators_of_the_last_fetch_make_a_conditional_get_answered_304(feed_server):
    url = feed_server.add("/cond.xml", handler=conditional)
    first = fetch(url)
    assert first.outcome == Outcome.FETCHED
    second = fetch(url, known=first.validators)
    assert (second.outcome, second.status, second.body) == (Outcome.NOT_MODIFIED, 304, b"")
    assert second.validators == first.validators
    sent = feed_server.requests[1][1]
    assert sent["If-None-Match"] == '"v7"'
    assert sent["If-Modified-Since"] == "Mon, 23 Nov 2026 06:00:00 GMT"


# --- Redirects ----------------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_is_followed_and_its_target_reported(feed_server, status):
    new = feed_server.add_file("/new.xml", FETCH / "plain.xml")
    old = feed_server.add("/old.xml", status=status, headers={"Location": "/new.xml"})
    result = fetch(old)
    assert (result.outcome, result.moved_to) == (Outcome.FETCHED, new)
    assert result.headers["content-location"] == new


def test_a_temporary_redirect_is_followed_without_a_move(feed_server):
    feed_server.add_file("/today.xml", FETCH / "plain.xml")
    url = feed_server.add("/feed.xml", status=302, headers={"Location": "/today.xml"})
    result = fetch(url)
    assert (result.outcome, result.moved_to) == (Outcome.FETCHED, None)


def test_a_move_ends_where_the_permanent_hops_end(feed_server):
    feed_server.add_file("/cdn.xml", FETCH / "plain.xml")
    feed_server.add("/moved.xml", status=302, headers={"Location": "/cdn.xml"})
    url = feed_server.add("/feed.xml", status=301, headers={"Location": "/moved.xml"})
    assert fetch(url).moved_to == feed_server.url("/moved.xml")


def test_a_redirect_loop_is_named(feed_server):
    a = feed_server.add("/a.xml", status=301, headers={"Location": "/b.xml"})
    feed_server.add("/b.xml", status=302, headers={"Location": "/a.xml"})
    result = fetch(a)
    assert (result.outcome, result.error) == (Outcome.FAILED, f"redirect loop (2 redirects back to {a})")


def test_five_redirects_are_followed_and_a_sixth_is_too_many(feed_server):
    feed_server.add_file("/r5.xml", FETCH / "plain.xml")
    for hop in range(5):
        feed_server.add(f"/r{hop}.xml", status=302, headers={"Location": f"/r{hop + 1}.xml"})
    assert fetch(feed_server.url("/r0.xml")).outcome == Outcome.FETCHED
    feed_server.add("/r5.xml", status=302, headers={"Location": "/r6.xml"})
    feed_server.add_file("/r6.xml", FETCH / "plain.xml")
    result = fetch(feed_server.url("/r0.xml"))
    assert (result.outcome, result.error) == (Outcome.FAILED, "too many redirects (more than 5)")


def test_a_redirect_to_another_scheme_is_an_invalid_url(feed_server):
    url = feed_server.add("/ftp.xml", status=301, headers={"Location": "ftp://files.example/feed.xml"})
    result = fetch(url)
    assert result.outcome == Outcome.FAILED and result.error.startswith("invalid URL (")


def test_a_host_httpx_cannot_encode_fails_that_feed_only(feed_server):
    good = feed_server.add_file("/plain.xml", FETCH / "plain.xml")
    results = fetch_all([FeedSource("http://xn--a.example/feed", None, "feeds.txt:1"),
                         FeedSource(good, None, "feeds.txt:2")], FAST)
    assert results[0].error.startswith("invalid URL (")
    assert results[1].outcome == Outcome.FETCHED


# --- 4xx ----------------------------------------------------------------------------------

def test_a_404_fails_at_once_without_retrying(feed_server):
    result = fetch(feed_server.url("/missing.xml"))
    assert (result.outcome, result.error, result.status, result.attempts) == \
        (Outcome.FAILED, "HTTP 404", 404, 1)
    assert paths_requested(feed_server) == ["/missing.xml"]


def test_a_410_is_reported_as_gone(feed_server):
    url = feed_server.add("/old.xml", status=410)
    result = fetch(url)
    assert (result.outcome, result.status, result.attempts) == (Outcome.FAILED, 410, 1)
    assert result.error == "HTTP 410 Gone: skipped from now on, until feeds.txt is edited"


def test_a_feed_known_to_be_gone_is_not_requested(feed_server):
    url = feed_server.add_file("/old.xml", FETCH / "plain.xml")
    source = FeedSource(url, None, "feeds.txt:1")
    [result] = fetch_all([source], FAST, gone={url: "gone (HTTP 410 since 2026-11-20)"})
    assert (result.outcome, result.error) == (Outcome.GONE, "gone (HTTP 410 since 2026-11-20)")
    assert feed_server.requests == []


# --- Retries: 429, 5xx, Retry-After and the run's deadline ---------------------------------

def test_a_429_waits_as_long_as_retry_after_says_then_succeeds(feed_server):
    handler = failing_first(1, 429, Retry_After="30")
    url = feed_server.add("/busy.xml", handler=handler)
    time_ = TestClock()
    result = fetch(url, replace(FAST, deadline=60.0), clock=time_.clock())
    assert (result.outcome, result.attempts) == (Outcome.FETCHED, 2)
    # The wait is the server's 30 seconds, not our 50 ms backoff (and took none here).
    assert time_.waits == [30.0]


def test_a_retry_after_past_the_runs_deadline_is_not_waited_for(feed_server):
    handler = failing_first(1, 503, Retry_After="3600")
    url = feed_server.add("/down.xml", handler=handler)
    time_ = TestClock()
    result = fetch(url, clock=time_.clock())
    assert result.outcome == Outcome.FAILED
    assert result.error == "HTTP 503 (retry in 3600 s would end after this run's deadline)"
    assert len(handler.seen) == 1 and time_.waits == []


def test_a_retry_after_date_is_waited_for_until_that_time(feed_server):
    handler = failing_first(1, 429, Retry_After=formatdate(TestClock.WALL + 40, usegmt=True))
    url = feed_server.add("/busy.xml", handler=handler)
    time_ = TestClock()
    result = fetch(url, replace(FAST, deadline=120.0), clock=time_.clock())
    assert (result.outcome, result.attempts) == (Outcome.FETCHED, 2)
    assert time_.waits == [40.0]


def test_a_retry_after_date_past_the_deadline_is_not_waited_for(feed_server):
    handler = failing_first(1, 429, Retry_After=formatdate(TestClock.WALL + 3600, usegmt=True))
    url = feed_server.add("/busy.xml", handler=handler)
    result = fetch(url, clock=TestClock().clock())
    assert result.error == "HTTP 429 (retry in 3600 s would end after this run's deadline)"
    assert len(handler.seen) == 1


def test_an_unreadable_retry_after_falls_back_to_our_backoff(feed_server):
    handler = failing_first(1, 503, Retry_After="soon")
    url = feed_server.add("/busy.xml", handler=handler)
    time_ = TestClock()
    assert fetch(url, clock=time_.clock()).outcome == Outcome.FETCHED
    assert time_.waits == [FAST.backoff]


def test_a_500_is_retried_with_backoff_and_the_next_answer_used(feed_server):
    handler = failing_first(1, 500)
    url = feed_server.add("/flaky.xml", handler=handler)
    time_ = TestClock()
    result = fetch(url, clock=time_.clock())
    assert (result.outcome, result.error, result.attempts) == (Outcome.FETCHED, None, 2)
    assert time_.waits == [FAST.backoff]


def test_retries_are_bounded_and_back_off_twice_as_long_each_time(feed_server):
    handler = failing_first(100, 502)
    url = feed_server.add("/broken.xml", handler=handler)
    time_ = TestClock()
    result = fetch(url, clock=time_.clock())
    assert (result.outcome, result.error, result.attempts) == (Outcome.FAILED, "HTTP 502 (3 attempts)", 3)
    assert len(handler.seen) == 3 and time_.waits == [FAST.backoff, 2 * FAST.backoff]


# --- Timeouts and size limits -------------------------------------------------------------

def test_a_server_that_trickles_forever_hits_the_total_deadline(feed_server):
    url = feed_server.add("/slow.xml", handler=trickle_forever)
    result = fetch(url, replace(FAST, timeout=0.5, retries=0))
    assert (result.outcome, result.error) == (Outcome.FAILED, "timeout (no complete answer in 0.5 s)")


def test_a_timeout_is_retried(feed_server):
    url = feed_server.add("/slow.xml", handler=trickle_forever)
    result = fetch(url, replace(FAST, timeout=0.3, retries=1))
    assert result.error == "timeout (no complete answer in 0.3 s) (2 attempts)"
    assert paths_requested(feed_server) == ["/slow.xml", "/slow.xml"]


def test_feeds_not_started_by_the_fetch_deadline_are_not_tried(feed_server):
    urls = [feed_server.add(f"/slow{n}.xml", handler=trickle_forever) for n in range(3)]
    policy = replace(FAST, timeout=0.4, retries=0, per_host=1, deadline=0.2)
    results = fetch_all([FeedSource(url, None, "feeds.txt:1") for url in urls], policy)
    assert [result.error for result in results] == [
        "timeout (no complete answer in 0.4 s)",
        "not tried: the fetch deadline (0.2 s) had passed",
        "not tried: the fetch deadline (0.2 s) had passed"]
    assert paths_requested(feed_server) == ["/slow0.xml"]


def test_an_endless_body_is_cut_off_at_the_cap(feed_server):
    url = feed_server.add("/endless.xml", handler=endless_body)
    result = fetch(url)
    assert (result.outcome, result.error) == (Outcome.FAILED, "too large (over 1 MiB)")


def test_a_declared_length_over_the_cap_is_refused_before_reading(feed_server):
    url = feed_server.add("/big.xml", handler=lambda handler: trickle_forever(handler, 10 * MiB))
    result = fetch(url, replace(FAST, timeout=5.0, retries=0))
    # Refused at once, not after 5 s of trickling.
    assert (result.outcome, result.error) == (Outcome.FAILED, "too large (over 1 MiB)")


def test_a_gzip_bomb_is_cut_off_without_being_inflated(feed_server):
    bomb = gzip.compress(b"\0" * (64 * MiB), compresslevel=9)      # about 64 KiB on the wire
    url = feed_server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        result = fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.outcome, result.error) == (Outcome.FAILED, "too large (over 1 MiB)")
    # Inflating one 64 KiB network read of this bomb whole would make a 64 MiB chunk.
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB: the bomb was inflated"


def test_a_connection_cut_short_is_a_broken_connection(feed_server):
    url = feed_server.add("/cut.xml", handler=cut_short)
    result = fetch(url, replace(FAST, retries=0))
    assert result.outcome == Outcome.FAILED and result.error.startswith("connection broken (")


def test_nobody_listening_is_reported_without_retrying():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/feed.xml")
    assert (result.outcome, result.error, result.attempts) == (Outcome.FAILED, "connection refused", 1)


# --- What the parser gets: content types, truncation, encodings ---------------------------

def fetch_and_parse(url: str):
    result = fetch(url)
    assert result.outcome == Outcome.FETCHED, result.error
    return parse_feed(result.body, result.headers, url)


def test_a_feed_served_with_a_wrong_content_type_still_reads(feed_server):
    url = feed_server.add_file("/feed", FETCH / "plain.xml", content_type="text/html; charset=utf-8")
    feed = fetch_and_parse(url)
    assert [entry.title for entry in feed.entries] == [
        "Ferry timetable changes from Monday", "Lighthouse reopens after repairs"]


def test_an_html_page_at_a_feed_url_is_not_a_feed(feed_server):
    url = feed_server.add_file("/feed", FETCH / "page.html", content_type="text/html; charset=utf-8")
    with pytest.raises(NotAFeed, match=r"^not a feed"):
        fetch_and_parse(url)


def test_truncated_xml_keeps_the_items_before_the_cut(feed_server):
    url = feed_server.add_file("/cut.xml", FETCH / "truncated.xml")
    feed = fetch_and_parse(url)
    assert [entry.title for entry in feed.entries][:2] == [
        "Ferry timetable changes from Monday", "Lighthouse reopens after repairs"]
    assert feed.warning                  # reported as ill-formed, not silently accepted


def test_the_http_charset_wins_over_a_wrong_xml_prolog(feed_server):
    body = (FETCH / "cyrillic-1251.xml").read_bytes()
    url = feed_server.add("/ru.xml", body, content_type="application/rss+xml; charset=windows-1251")
    feed = fetch_and_parse(url)
    assert feed.title == "Городские новости"
    assert feed.entries[0].title == "Мост через реку откроют в пятницу"
    # The case is real: without the HTTP headers the prolog's utf-8 garbles it.
    assert parse_feed(body, {}, url).title != "Городские новости"


def test_a_server_default_charset_on_a_web_page_type_yields_to_the_feeds_own(feed_server):
    # Served as a web page with the server's default charset; the feed says utf-8 itself.
    url = feed_server.add_file("/fr.xml", FETCH / "utf8-accents.xml",
                               content_type="text/html; charset=windows-1252")
    assert fetch_and_parse(url).entries[0].title == "Été chaud à Nîmes"
    assert fetch(url).headers["content-type"] == "text/html"


def test_a_web_page_types_charset_stands_when_the_feed_names_no_encoding(feed_server):
    url = feed_server.add_file("/ru.xml", FETCH / "cyrillic-1251-undeclared.xml",
                               content_type="text/html; charset=windows-1251")
    assert fetch_and_parse(url).entries[0].title == "Мост через реку откроют в пятницу"
    assert fetch(url).headers["content-type"] == "text/html; charset=windows-1251"


@pytest.mark.parametrize("name, content_type, title", [
    ("latin1.xml", "application/rss+xml; charset=ISO-8859-1", "Été chaud à Nîmes"),
    ("gb2312.xml", "text/xml", "新渡轮下周开始运营"),
])
def test_legacy_encodings_come_out_as_text(feed_server, name, content_type, title):
    url = feed_server.add_file(f"/{name}", FETCH / name, content_type=content_type)
    assert fetch_and_parse(url).entries[0].title == title


def test_a_local_file_is_read_from_disk():
    result = fetch(str(FETCH / "plain.xml"))
    assert (result.outcome, result.body) == (Outcome.FETCHED, (FETCH / "plain.xml").read_bytes())
    missing = fetch(str(FETCH / "nowhere.xml"))
    assert (missing.outcome, missing.error) == (Outcome.FAILED, "cannot read file: No such file or directory")


# --- Many feeds at once ------------------------------------------------------------------

def test_results_come_back_in_feeds_txt_order_with_one_callback_each(feed_server):
    urls = [feed_server.add_file(f"/f{n}.xml", FETCH / "plain.xml") for n in range(20)]
    urls.insert(7, feed_server.url("/missing.xml"))
    done = []
    results = fetch_all([FeedSource(url, None, f"feeds.txt:{n}") for n, url in enumerate(urls)],
                        FAST, on_done=done.append)
    assert [result.source.url for result in results] == urls
    assert sorted(result.source.url for result in done) == sorted(urls)
    assert [result.outcome for result in results].count(Outcome.FETCHED) == 20


@pytest.mark.parametrize("per_host, concurrency, most", [(3, 16, 3), (100, 5, 5)])
def test_requests_in_flight_are_bounded_per_host_and_per_run(feed_server, per_host, concurrency,
                                                             most):
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def counted(handler):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.15)           # long enough to overlap on a busy machine
        with lock:
            state["now"] -= 1
        answer(handler, 200, (FETCH / "plain.xml").read_bytes(), Content_Type="application/rss+xml")

    urls = [feed_server.add(f"/h{n}.xml", handler=counted) for n in range(12)]
    policy = replace(FAST, per_host=per_host, concurrency=concurrency)
    results = fetch_all([FeedSource(url, None, "feeds.txt:1") for url in urls], policy)
    assert all(result.outcome == Outcome.FETCHED for result in results)
    assert state["most"] == most


# --- The real-world corpus, served -------------------------------------------------------

CONTENT_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml",
                 ".rdf": "application/rdf+xml"}


@pytest.mark.slow            # feedparser takes about 20 s over the 20 MB of real feeds
@needs_corpus()
def test_a_batch_of_real_feeds_fetches_and_parses(feed_server):
    # http.server listens with a backlog of 5; sixteen clients at once would see SYNs dropped.
    feed_server.httpd.socket.listen(64)
    expected = {}
    for line in (CORPUS / "STATS.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, _, _, _, entries, _ = line.split("\t")
        if path.startswith("real/"):
            expected[path] = int(entries)
    files = sorted(path for path in (CORPUS / "real").rglob("*") if path.is_file())
    assert len(files) > 250
    urls = {}
    for number, file in enumerate(files):
        content_type = CONTENT_TYPES.get(file.suffix, "application/xml")
        urls[feed_server.add_file(f"/real/{number}{file.suffix}", file,
                                  content_type=content_type)] = file
    policy = replace(FAST, max_bytes=MAX_BYTES, timeout=10.0, connect_timeout=5.0, per_host=16,
                     deadline=120.0)
    results = fetch_all([FeedSource(url, None, "feeds.txt:1") for url in urls], policy)
    problems = []
    for result in results:
        file = urls[result.source.url]
        name = file.relative_to(CORPUS).as_posix()
        if result.outcome != Outcome.FETCHED or result.body != file.read_bytes():
            problems.append(f"{name}: {result.outcome} {result.error}")
            continue
        try:
            entries = len(parse_feed(result.body, result.headers, result.source.url).entries)
        except NotAFeed as exc:
            entries = f"not a feed: {exc}"
        if entries != expected.get(name, entries):
            problems.append(f"{name}: {entries} entries, feedparser alone finds {expected[name]}")
    assert problems == []


# --- In a whole run: the state file, feed health and the report ---------------------------

DAY1 = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def run_site(site: Path, feeds: list[str], now: datetime, **settings):
    (site / "feeds.txt").write_text("".join(line + "\n" for line in feeds), encoding="utf-8")
    return run_again(site, now, **settings)


def run_again(site: Path, now: datetime, **settings):
    loaded = load_settings(site / "mkdocs.yml")
    return pipeline.run(replace(loaded, **{"timeout": 2.0, "retries": 0, **settings}), now=now)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file()}


def feed_health(site: Path, url: str):
    return load_state(site / "digest-state.json").feeds[url]


def test_a_rerun_answered_304_parses_nothing_and_writes_no_file(site, feed_server, monkeypatch):
    url = feed_server.add("/cond.xml", handler=conditional)
    first = run_site(site, [f"{url} Harbour Gazette"], DAY1)
    assert (first.count(Outcome.FETCHED), len(first.new_posts)) == (1, 2)
    assert feed_health(site, url).etag == '"v7"'        # kept in the committed state file
    before = snapshot(site)

    def no_parsing(*args):
        raise AssertionError("a 304 must not be parsed")
    monkeypatch.setattr(pipeline, "parse_feed", no_parsing)
    again = run_again(site, DAY1 + timedelta(days=1))
    assert (again.count(Outcome.NOT_MODIFIED), again.failed, again.new_posts) == (1, [], [])
    assert snapshot(site) == before, "not one file may change, the state file included"
    # The second run read the validators back from the state file on disk.
    assert feed_server.requests[-1][1]["If-None-Match"] == '"v7"'


def test_a_healthy_streak_is_stamped_once_so_reruns_do_not_touch_the_state(site, feed_server):
    url = feed_server.add_file("/plain.xml", FETCH / "plain.xml")    # no validators at all
    run_site(site, [url], DAY1)
    state_file = site / "digest-state.json"
    text = state_file.read_text(encoding="utf-8")
    run_again(site, DAY1 + timedelta(days=1))
    assert state_file.read_text(encoding="utf-8") == text
    assert feed_health(site, url).last_success == DAY1.isoformat()


def test_failures_are_counted_and_a_long_streak_is_called_out(site, feed_server):
    url = feed_server.url("/plain.xml")                                  # a 404 for now
    run_site(site, [f"{url} Harbour Gazette"], DAY1)
    health = feed_health(site, url)
    assert (health.failures, health.first_failure, health.last_error) == (1, DAY1.isoformat(), "HTTP 404")

    report = run_again(site, DAY1 + timedelta(days=3))
    assert report.long_failing == []                        # 3 days is not more than 3
    report = run_again(site, DAY1 + timedelta(days=4))
    assert feed_health(site, url).failures == 3
    assert f"failing for more than 3 days: {url} (Harbour Gazette): since 2026-11-23, " \
           "3 runs in a row; last: HTTP 404" in report.lines()
    assert f"- {url}: since 2026-11-23, 3 runs in a row; last: HTTP 404" in report.markdown()

    feed_server.add_file("/plain.xml", FETCH / "plain.xml")             # fixed
    report = run_again(site, DAY1 + timedelta(days=5))
    health = feed_health(site, url)
    assert (health.failures, health.first_failure, health.last_error) == (0, None, None)
    assert health.last_success == (DAY1 + timedelta(days=5)).isoformat()
    assert report.failed == [] and report.long_failing == []


def test_failing_days_is_configurable(site, feed_server):
    url = feed_server.url("/plain.xml")
    run_site(site, [url], DAY1)
    report = run_again(site, DAY1 + timedelta(days=2), failing_days=1)
    assert [feed.url for feed in report.long_failing] == [url]


def test_a_410_feed_is_skipped_until_feeds_txt_is_edited(site, feed_server):
    url = feed_server.add("/old.xml", status=410)
    first = run_site(site, [f"{url} Old Times"], DAY1)
    assert f"failed: {url} (Old Times): HTTP 410 Gone: skipped from now on, until feeds.txt " \
           "is edited" in first.lines()
    state_text = (site / "digest-state.json").read_text(encoding="utf-8")

    second = run_again(site, DAY1 + timedelta(days=1))
    assert len(feed_server.requests) == 1, "a gone feed is not requested again"
    assert f"failed: {url} (Old Times): gone (HTTP 410 since 2026-11-23): skipped until " \
           "feeds.txt is edited" in second.lines()
    assert (site / "digest-state.json").read_text(encoding="utf-8") == state_text
    assert second.nothing_fetched

    feed_server.add_file("/old.xml", FETCH / "plain.xml")                # back after all
    third = run_site(site, [f"{url} Old Times", "# asked again"], DAY1 + timedelta(days=2))
    assert len(feed_server.requests) == 2 and third.count(Outcome.FETCHED) == 1
    assert feed_health(site, url).gone is None


def test_a_moved_feed_is_reported_with_advice(site, feed_server):
    new = feed_server.add_file("/new.xml", FETCH / "plain.xml")
    old = feed_server.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    report = run_site(site, [f"{old} Harbour Gazette"], DAY1)
    assert report.count(Outcome.FETCHED) == 1
    assert f"moved: {old} (Harbour Gazette): permanently redirected to {new}; update feeds.txt " \
           "to the new address" in report.lines()


def test_the_configured_user_agent_is_sent(site, feed_server):
    url = feed_server.add_file("/plain.xml", FETCH / "plain.xml")
    run_site(site, [url], DAY1, user_agent="Harbour Gazette digest (+https://news.example.org/)")
    assert feed_server.requests[0][1]["User-Agent"] == \
        "Harbour Gazette digest (+https://news.example.org/)"
