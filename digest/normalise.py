"""Stage 4: a feedparser entry -> ``Article``, the one model every later stage sees.

Every fallback for a missing title, date, id, link or author lives here, each recorded
with its reason in ``Article.notes`` so the run report can say what was guessed.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.clean import clean_html, plain_text, summary_text
from digest.feedlist import FeedSource
from digest.parse import ParsedFeed

TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid",
                   "yclid", "_hsenc", "_hsmi", "ref_src", "cmpid"}
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    link: str                      # canonical http(s) URL of the original, or ""
    date: datetime                 # always time-zone aware
    source: str                    # the feed's display name
    feed_url: str
    author: str = ""
    categories: tuple[str, ...] = ()
    language: str = ""
    summary: str = ""              # plain text, for lists and previews
    body: str = ""                 # safe Markdown
    notes: tuple[str, ...] = field(default=(), compare=False)   # fallbacks taken, for the report


def canonical_link(url: str | None) -> str:
    """Drop tracking parameters and the fragment; anything but http(s) is no link at all."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def _to_datetime(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def entry_date(entry, feed: ParsedFeed, fetched_at: datetime) -> tuple[datetime, list[str]]:
    notes = []
    date = _to_datetime(entry.get("published_parsed"))
    if date is None:
        date = _to_datetime(entry.get("updated_parsed"))
        if date is not None:
            notes.append("no published date: used the updated date")
    if date is None:
        date = _to_datetime(feed.updated)
        if date is not None:
            notes.append("no entry date: used the feed's date")
    if date is None:
        date = fetched_at
        notes.append("no date at all: used the fetch time")
    if date > fetched_at + FUTURE_TOLERANCE:
        notes.append(f"date {date.isoformat()} is in the future: clamped to the fetch time")
        date = fetched_at
    return date.replace(microsecond=0), notes


def entry_id(entry, link: str, title: str, date: datetime) -> tuple[str, list[str]]:
    guid = plain_text(entry.get("id") or entry.get("guid"), 500)
    if guid:
        return guid, []
    if link:
        return link, ["no GUID: id from the link"]
    digest = hashlib.sha256(f"{title}\n{date.isoformat()}".encode()).hexdigest()[:16]
    return f"urn:digest:{digest}", ["no GUID and no link: id from a hash of title and date"]


def entry_html(entry) -> tuple[str, str]:
    """The entry's full HTML and its summary HTML (either may be empty)."""
    content = ""
    for part in entry.get("content") or []:
        if part.get("value"):
            content = part["value"]
            break
    summary = entry.get("summary", "") or ""
    return content or summary, summary or content


def entry_categories(entry) -> tuple[str, ...]:
    seen, result = set(), []
    for tag in entry.get("tags") or []:
        name = plain_text(tag.get("term") or tag.get("label"), 60)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name[:1].upper() + name[1:])
    return tuple(result)


def normalise_entry(entry, feed: ParsedFeed, source: FeedSource, fetched_at: datetime,
                    full_text: bool = False) -> Article:
    notes = []
    raw_link = entry.get("link", "")
    link = canonical_link(raw_link)
    if raw_link and not link:
        notes.append(f"link {raw_link[:80]!r} is not http(s): kept no link")
    title = plain_text(entry.get("title"), 200)
    full_html, summary_html = entry_html(entry)
    if not title:
        title = summary_text(summary_html, 80) or "Untitled"
        notes.append("no title: used the start of the text")
    date, date_notes = entry_date(entry, feed, fetched_at)
    article_id, id_notes = entry_id(entry, link, title, date)
    body_html = full_html if full_text else summary_html
    return Article(
        id=article_id,
        title=title,
        link=link,
        date=date,
        source=plain_text(source.name or feed.title, 120) or urlsplit(source.url).netloc or "Unknown source",
        feed_url=source.url,
        author=plain_text(entry.get("author"), 120),
        categories=entry_categories(entry),
        language=plain_text(entry.get("language") or feed.language, 20),
        summary=summary_text(summary_html),
        body=clean_html(body_html, base_url=link or feed.link),
        notes=tuple(notes + date_notes + id_notes),
    )
