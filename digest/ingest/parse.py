"""Stage 3: bytes + HTTP headers -> a feedparser result. The only module that sees feedparser.

feedparser's own sanitiser is switched off: ours (``clean``) runs on every field we publish,
last, so nothing can undo it, and skipping feedparser's pass halves the parse time. Titles,
names and categories go through ``clean.plain_text``; content through ``clean.clean``.
"""

from __future__ import annotations

from dataclasses import dataclass

import feedparser


class NotAFeed(Exception):
    """The bytes are not a feed we can read; the message says why, for the report."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    language: str
    updated: tuple | None      # time.struct_time in UTC, or None
    entries: list              # feedparser entries; only ``normalise`` reads them
    warning: str | None        # set when feedparser recovered from ill-formed XML


def parse_feed(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    result = feedparser.parse(
        body,
        response_headers={key.lower(): value for key, value in headers.items()},
        sanitize_html=False,
        # Relative URLs in content are resolved by our sanitiser against the entry's link
        # (feedparser's pass re-parses every content field and costs as much as the rest).
        resolve_relative_uris=False,
    )
    problem = result.get("bozo_exception")
    if not result.entries and not result.get("version"):
        reason = _describe(problem) if problem else "no entries"
        raise NotAFeed(f"not a feed ({reason})")
    feed = result.feed
    return ParsedFeed(
        title=feed.get("title", ""),
        link=feed.get("link", url),
        language=feed.get("language", "") or "",
        # dict.get: feedparser's own get() aliases the two keys and warns each time.
        updated=dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed"),
        entries=list(result.entries),
        warning=_describe(problem) if result.get("bozo") and problem else None,
    )


def _describe(problem: Exception) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text.splitlines()[0][:200]
