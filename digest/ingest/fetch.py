"""Stage 2: ``FeedSource`` -> ``FetchResult``. Never raises for one feed.

The network stays here: later stages get bytes and headers. feedparser's own HTTP has no
usable timeouts, which is why we fetch ourselves and hand it the response headers (the
charset in Content-Type is how a feed in windows-1251 or GB2312 comes out as the right text).

A nightly run points this at hundreds of other people's servers, so every fetch is bounded:
a connect timeout, a read timeout and a total deadline per attempt (checked on every piece
of the body, so a server trickling bytes is cut off); a body cap counted on the wire *and*
after decompression (we inflate ourselves, a bounded amount at a time, so a gzip bomb is cut
off rather than inflated); at most a few redirects, each redirect's body unread; a few feeds
at once per host. Retries (5xx, timeouts) back off, and ``Retry-After`` (429, 503)
is honoured only while the run's deadline allows. A 304 answers without a body.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import Enum
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import httpx

from digest import __version__
from digest.ingest.feedlist import FeedSource
from digest.ingest.response_body import (DeadlinePassed, TooLarge, Undecodable, headers_for_parser,
                                         read_capped)

MAX_BYTES = 15 * 1024 * 1024
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
PERMANENT_REDIRECTS = frozenset({301, 308})
GONE = "HTTP 410 Gone: skipped from now on, until feeds.txt is edited"
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json;q=0.8, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")


class Outcome(Enum):
    """What fetching one feed came to (and, in the run report, reading it)."""

    FETCHED = "fetched"               # a body to parse
    NOT_MODIFIED = "not_modified"     # 304: nothing new since the last fetch
    FAILED = "failed"                 # the reason is in ``error``
    GONE = "gone"                     # not asked: it answered 410 and feeds.txt is unchanged since

    @property
    def gave_nothing(self) -> bool:
        """Failed now, or skipped as gone: the feeds a report lists as failing."""
        return self in (Outcome.FAILED, Outcome.GONE)


@dataclass(frozen=True)
class Validators:
    """What the last successful fetch told us, for a conditional GET next time."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    source: FeedSource
    outcome: Outcome
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)   # lower-case names, as feedparser wants
    error: str | None = None          # the reason, for the report, when failed or gone
    validators: Validators = Validators()
    status: int | None = None         # the last HTTP status seen
    moved_to: str | None = None       # where a 301/308 chain from the listed URL ends
    attempts: int = 1


@dataclass(frozen=True)
class FetchPolicy:
    """Every limit of a fetch run in one place; the defaults are the nightly job's."""

    user_agent: str
    timeout: float = 20.0             # one attempt at one feed, to its last byte; also the
                                      # read timeout (the longest silence)
    connect_timeout: float = 10.0
    max_bytes: int = MAX_BYTES        # on the wire and after decompression
    max_redirects: int = 5
    concurrency: int = 16
    per_host: int = 2                 # politeness: one server is not hit by the whole pool
    retries: int = 2                  # extra attempts after a 5xx, 429 or timeout
    backoff: float = 2.0              # seconds before the first retry; doubles each time
    deadline: float = 900.0           # the whole fetch stage: no wait or retry ends after it,
                                      # and a feed not started by then is not tried


def user_agent(site_url: str, configured: str = "") -> str:
    if configured:
        return configured
    contact = f"; +{site_url}" if site_url else ""
    return f"digest/{__version__} (news digest feed reader{contact})"


def make_client(policy: FetchPolicy) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": policy.user_agent, "Accept": ACCEPT,
                 # Only what response_body.Inflater bounds: brotli and zstd need another library.
                 "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(policy.timeout, connect=min(policy.connect_timeout, policy.timeout)),
        # _Run's slots bound the requests in flight; a pool limit on top only made a new
        # host's request wait for an idle connection to another host to be closed.
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=policy.concurrency),
        follow_redirects=False,       # followed by hand, so a redirect's body is never read
    )


@dataclass(frozen=True)
class Clock:
    """The time a fetch run reads and waits by: the real one, or a test's that spends none."""

    monotonic: Callable[[], float] = time.monotonic          # the run's deadline
    wall: Callable[[], float] = time.time                    # a Retry-After given as a date
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # backoff and Retry-After waits


REAL_TIME = Clock()


def fetch_all(sources: Iterable[FeedSource], policy: FetchPolicy,
              known: dict[str, Validators] | None = None, gone: dict[str, str] | None = None,
              on_done: Callable[[FetchResult], None] = lambda result: None,
              clock: Clock = REAL_TIME) -> list[FetchResult]:
    """Fetch every source, many at once; results come back in the order of ``sources``.

    ``known`` holds each URL's validators from the last success; ``gone`` maps the URLs to
    skip (an earlier 410) to the reason reported for them.
    """

    with make_client(policy) as client:
        return asyncio.run(fetch_all_with(client, list(sources), policy, known or {}, gone or {},
                                          on_done, clock))


async def fetch_all_with(client: httpx.Client, sources: list[FeedSource],
                         policy: FetchPolicy, known: dict[str, Validators], gone: dict[str, str],
                         on_done: Callable[[FetchResult], None],
                         clock: Clock = REAL_TIME) -> list[FetchResult]:
    """The scheduling is asyncio's (slots, per-host slots, waits that hold no thread); each
    attempt runs in a worker thread with httpx's blocking client, which measured about 40%
    less CPU per request than its asyncio client (bench/README.md)."""
    with ThreadPoolExecutor(max_workers=policy.concurrency, thread_name_prefix="fetch") as pool:
        run = _Run(policy, clock, pool)
        return await _fetch_each(run, client, sources, known, gone, on_done)


async def _fetch_each(run: "_Run", client: httpx.Client, sources: list[FeedSource],
                      known: dict[str, Validators], gone: dict[str, str],
                      on_done: Callable[[FetchResult], None]) -> list[FetchResult]:

    async def one(source: FeedSource) -> FetchResult:
        try:
            if source.url in gone:
                result = FetchResult(source, Outcome.GONE, error=gone[source.url])
            elif source.is_local:
                result = _read_local(source, run.policy.max_bytes)
            else:
                result = await run.fetch(client, source, known.get(source.url, Validators()))
        except Exception as exc:  # noqa: BLE001 - one feed's surprise must not cost the others
            reason = f"unexpected error ({type(exc).__name__}: {_first_line(exc)})"
            result = FetchResult(source, Outcome.FAILED, error=reason)
        on_done(result)
        return result

    return list(await asyncio.gather(*(one(source) for source in sources)))


class _Run:
    """The shared limits of one run: the pool of slots, each host's slots, the deadline."""

    def __init__(self, policy: FetchPolicy, clock: Clock, pool: ThreadPoolExecutor):
        self.policy, self.clock, self.pool = policy, clock, pool
        self.deadline = clock.monotonic() + policy.deadline
        self.slots = asyncio.Semaphore(policy.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def host_slots(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).hostname or ""    # never raises, unlike httpx.URL on a bad host
        return self.hosts.setdefault(host, asyncio.Semaphore(self.policy.per_host))

    async def fetch(self, client: httpx.Client, source: FeedSource,
                    known: Validators) -> FetchResult:
        # The host's slot is taken first and kept through a Retry-After wait, so a server
        # that asked us to slow down is not hit by the feed's neighbours meanwhile; the
        # pool's slot is only held while a request is in flight.
        async with self.host_slots(source.url):
            attempt = 1
            while True:
                async with self.slots:
                    if attempt == 1 and self.clock.monotonic() > self.deadline:
                        # A bound the nightly job can rely on, however many feeds hang.
                        reason = (f"not tried: the fetch deadline ({self.policy.deadline:g} s) "
                                  "had passed")
                        return FetchResult(source, Outcome.FAILED, attempts=0, error=reason)
                    result, retry = await asyncio.get_running_loop().run_in_executor(
                        self.pool, _attempt, client, source, known, self.policy)
                result = replace(result, attempts=attempt)
                if retry is None:
                    return result
                wait = self.wait_before_retry(retry, attempt)
                if attempt > self.policy.retries:
                    tries = f" ({attempt} attempts)" if attempt > 1 else ""
                    return replace(result, error=result.error + tries)
                if self.clock.monotonic() + wait + self.policy.timeout > self.deadline:
                    return replace(result, error=f"{result.error} (retry in {wait:.0f} s would "
                                                 "end after this run's deadline)")
                await self.clock.sleep(wait)
                attempt += 1

    def wait_before_retry(self, retry: "_Retry", attempt: int) -> float:
        """The server's Retry-After if it gave one, else our backoff, in seconds."""
        if retry.after is not None:
            return retry.after
        if retry.at is not None:
            return max(0.0, retry.at - self.clock.wall())
        return self.policy.backoff * 2 ** (attempt - 1)


@dataclass(frozen=True)
class _Retry:
    """How long to wait before the next attempt: neither set means our own backoff."""

    after: float | None = None        # Retry-After in seconds
    at: float | None = None           # Retry-After as an HTTP date, in seconds since the epoch


class _TooManyRedirects(Exception):
    pass


def _attempt(client: httpx.Client, source: FeedSource, known: Validators,
             policy: FetchPolicy) -> tuple[FetchResult, _Retry | None]:
    """One try at one feed, in a worker thread; a retryable failure comes back with how to
    retry it.

    The connect and read timeouts bound each wait for the network; the attempt's total
    deadline is checked on every piece of the body, which is what a server trickling a byte
    at a time would otherwise stretch without end.
    """
    def failed(reason: str) -> FetchResult:
        return FetchResult(source, Outcome.FAILED, error=reason)

    try:
        return _get(client, source, known, policy, time.monotonic() + policy.timeout)
    except DeadlinePassed:
        return failed(f"timeout (no complete answer in {policy.timeout:g} s)"), _Retry()
    except httpx.ConnectTimeout:
        return failed("timeout (connecting)"), _Retry()
    except httpx.TimeoutException:
        return failed("timeout (server went silent)"), _Retry()
    except _TooManyRedirects as exc:
        return failed(str(exc)), None
    except TooLarge:
        return failed(f"too large (over {_mib(policy.max_bytes)})"), None
    except Undecodable as exc:
        return failed(str(exc)), None
    except httpx.ConnectError as exc:
        return failed(_connect_error(exc)), None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError) as exc:
        # The listed URL, or a redirect's Location, that httpx cannot request.
        return failed(f"invalid URL ({_first_line(exc)})"), None
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        return failed(f"connection broken ({_first_line(exc)})"), _Retry()
    except httpx.HTTPError as exc:
        return failed(f"network error ({type(exc).__name__}: {_first_line(exc)})"), None


def _get(client: httpx.Client, source: FeedSource, known: Validators, policy: FetchPolicy,
         deadline: float) -> tuple[FetchResult, _Retry | None]:
    response, hops = _send_following_redirects(client, source.url, known, policy)
    try:
        moved = _permanent_target(hops, str(response.url))
        status = response.status_code
        if status == 304:
            return FetchResult(source, Outcome.NOT_MODIFIED, validators=known, status=304,
                               moved_to=moved), None
        if status in RETRIED_STATUSES:
            result = FetchResult(source, Outcome.FAILED, error=f"HTTP {status}", status=status,
                                 moved_to=moved)
            # Retry-After is defined for 429 and 503; other 5xx wait our own backoff.
            header = response.headers.get("retry-after") if status in (429, 503) else None
            return result, _retry_after(header)
        if status >= 300:
            reason = GONE if status == 410 else f"HTTP {status}"
            return FetchResult(source, Outcome.FAILED, error=reason, status=status, moved_to=moved), None
        body = read_capped(response, policy.max_bytes, deadline)
        validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
        headers = headers_for_parser(response, body)
        return FetchResult(source, Outcome.FETCHED, body=body, headers=headers, status=status,
                           validators=validators, moved_to=moved), None
    finally:
        response.close()


def _send_following_redirects(
        client: httpx.Client, url: str, known: Validators,
        policy: FetchPolicy) -> tuple[httpx.Response, list[tuple[int, str]]]:
    """Follow redirects by hand: each hop's body is dropped unread, loops are named as such."""
    request = client.build_request("GET", url, headers=_conditional_headers(known))
    hops: list[tuple[int, str]] = []
    while True:
        response = client.send(request, stream=True)
        if response.next_request is None:
            return response, hops
        response.close()
        hops.append((response.status_code, str(response.url)))
        request = response.next_request
        if str(request.url) in {hop_url for _, hop_url in hops}:
            raise _TooManyRedirects(f"redirect loop ({len(hops)} redirects back to {request.url})")
        if len(hops) > policy.max_redirects:
            raise _TooManyRedirects(f"too many redirects (more than {policy.max_redirects})")


def _conditional_headers(known: Validators) -> dict[str, str]:
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def _permanent_target(hops: list[tuple[int, str]], final_url: str) -> str | None:
    """Where the listed URL now lives: the end of the unbroken run of 301/308 from it.

    A temporary redirect after a permanent one means the new address is the permanent
    hop's target, not the temporary one's.
    """
    urls = [url for _, url in hops[1:]] + [final_url]
    target = None
    for (status, _), next_url in zip(hops, urls):
        if status not in PERMANENT_REDIRECTS:
            break
        target = next_url
    return target


def _retry_after(value: str | None) -> _Retry:
    """A Retry-After header (a number of seconds or an HTTP date); absent or unreadable: backoff."""
    if not value:
        return _Retry()
    value = value.strip()
    if value.isdigit():
        return _Retry(after=float(value))
    try:
        return _Retry(at=parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError):
        return _Retry()



def _read_local(source: FeedSource, max_bytes: int) -> FetchResult:
    path = Path(source.url)
    try:
        if path.stat().st_size > max_bytes:
            return FetchResult(source, Outcome.FAILED, error=f"too large (over {_mib(max_bytes)})")
        body = path.read_bytes()
    except OSError as exc:
        return FetchResult(source, Outcome.FAILED, error=f"cannot read file: {exc.strerror}")
    return FetchResult(source, Outcome.FETCHED, body=body)


def _connect_error(exc: httpx.ConnectError) -> str:
    """The cause a reader can act on, from under httpx's and anyio's wrappers."""
    cause = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"host not found ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error ({cause.reason or cause})"
        cause = cause.__cause__ or cause.__context__
    return f"cannot connect ({_first_line(exc)})"


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:g} MiB"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
