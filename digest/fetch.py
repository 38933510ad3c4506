"""Stage 2: ``FeedSource`` -> ``FetchResult``. Never raises for one feed.

The network stays here: later stages get bytes and headers. feedparser's own HTTP has no
usable timeouts, which is why we fetch ourselves and hand it the response headers (the
charset in Content-Type matters for decoding).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import httpx

from digest import __version__
from digest.feedlist import FeedSource

MAX_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Validators:
    """What the last successful fetch told us, for a conditional GET next time."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    source: FeedSource
    outcome: str                      # "fetched", "not_modified" or "failed"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None          # the reason, for the report, when failed
    validators: Validators = Validators()


def user_agent(site_url: str, configured: str = "") -> str:
    if configured:
        return configured
    contact = f"; +{site_url}" if site_url else ""
    return f"digest/{__version__} (news digest feed reader{contact})"


def make_client(agent: str, timeout: float) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": agent, "Accept": "application/rss+xml, application/atom+xml, "
                 "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"},
        timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
        follow_redirects=True,
        max_redirects=5,
    )


def fetch_one(source: FeedSource, client: httpx.Client, known: Validators) -> FetchResult:
    if source.is_local:
        return _read_local(source)
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    try:
        with client.stream("GET", source.url, headers=headers) as response:
            if response.status_code == 304:
                return FetchResult(source, "not_modified", validators=known)
            if response.status_code >= 400:
                return FetchResult(source, "failed", error=f"HTTP {response.status_code}")
            body = _read_capped(response)
            return FetchResult(
                source, "fetched", body=body, headers=dict(response.headers),
                validators=Validators(response.headers.get("etag"),
                                      response.headers.get("last-modified")))
    except httpx.TimeoutException:
        return FetchResult(source, "failed", error="timeout")
    except httpx.TooManyRedirects:
        return FetchResult(source, "failed", error="too many redirects")
    except _TooLarge:
        return FetchResult(source, "failed", error=f"too large (over {MAX_BYTES} bytes)")
    except httpx.HTTPError as exc:
        return FetchResult(source, "failed", error=f"network error: {exc}")


class _TooLarge(Exception):
    pass


def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():   # decompressed bytes: a gzip bomb hits the cap too
        size += len(chunk)
        if size > MAX_BYTES:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _read_local(source: FeedSource) -> FetchResult:
    try:
        body = Path(source.url).read_bytes()
    except OSError as exc:
        return FetchResult(source, "failed", error=f"cannot read file: {exc.strerror}")
    return FetchResult(source, "fetched", body=body)


def fetch_all(sources: Iterable[FeedSource], client: httpx.Client,
              known: dict[str, Validators], concurrency: int = 16,
              on_done: Callable[[FetchResult], None] = lambda result: None) -> list[FetchResult]:
    """Fetch every source, many at once; results come back in the order of ``sources``."""
    sources = list(sources)

    def one(source: FeedSource) -> FetchResult:
        result = fetch_one(source, client, known.get(source.url, Validators()))
        on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(one, sources))
