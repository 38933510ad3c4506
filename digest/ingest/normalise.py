"""Stage 4: a feedparser entry -> ``Article``, the one model every later stage sees.

Every fallback for a missing title, date, id or link lives here, each recorded with its
reason in ``Article.notes`` so the run report can say what was guessed; what an editor
should look at (a date clamped, a link dropped) goes to ``Article.warnings``. The fields an
entry spells in many ways (its HTML parts, authors, categories, language) are settled one
by one in ``entry_fields``.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from digest.ingest.boilerplate import DEFAULT_RULES, Rules, make_rules
from digest.ingest.clean import clean, one_line, plain_text
from digest.ingest.dates import date_in_link, lenient_date
from digest.ingest.entry_fields import (CategoryPolicy, entry_authors, entry_categories, entry_html,
                                        entry_language)
from digest.ingest.images import holds_image, lead_image, lead_image_html
from digest.ingest.summary import summarise
from digest.ingest.feedlist import FeedSource
from digest.ingest.links import (is_absolute_uri, is_dead_redirector, legacy_canonical_link,
                                 published_link)
from digest.ingest.parse import ParsedFeed
from digest.article import Article
from digest.reading_time import minutes

FUTURE_TOLERANCE = timedelta(days=1)
SUMMARY_WORDS = 120        # summary-only feeds: at most this much of the text, whole paragraphs


@dataclass(frozen=True)
class FeedOptions:
    """What a publication decided for one feed (``extra.digest.feed_options``)."""

    full_text: bool = False
    rules: Rules = DEFAULT_RULES
    categories: CategoryPolicy = CategoryPolicy()


def feed_options(source: FeedSource, settings) -> FeedOptions:
    """The options for one feed: its entry under its URL or display name, else the defaults."""
    raw = (settings.feed_options.get(source.url)
           or (source.name and settings.feed_options.get(source.name)) or {})
    policy = CategoryPolicy(
        tuple((key.casefold(), value) for key, value in settings.category_map.items()),
        tuple(settings.categories))
    return FeedOptions(
        full_text=raw.get("full_text", settings.full_text),
        rules=make_rules(tuple(raw.get("remove", ())), tuple(raw.get("remove_text", ()))),
        categories=policy,
    )


def entry_link(entry, feed: ParsedFeed, source: FeedSource) -> tuple[str, str, list[str], list[str]]:
    """The entry's own address, the third-party page it links to (link blogs), notes, warnings.

    In order: feedburner's ``origLink`` (the real address behind a feedproxy link); the
    entry's link, unwrapped and without tracking parameters (``links.published_link``); a
    permalink GUID when that link goes through a redirector that no longer answers. On a
    link blog the entry's link is the page it comments on and its ``rel="related"`` link on
    the feed's own site is its permalink: "Read the original" is the latter.
    """
    notes, warnings = [], []
    raw = _absolute(entry.get("link", ""), feed, source)
    link = published_link(raw)
    if raw and not link:
        warnings.append(f"link {raw[:80]!r} is not http(s): kept no link")
    origin = published_link(entry.get("feedburner_origlink"))
    if origin and origin != link:
        notes.append("link: feedburner's origLink (the entry's link is feedburner's redirector)")
        link = origin
    if is_dead_redirector(link):
        guid = published_link(entry.get("id") or entry.get("guid"))
        if guid and not is_dead_redirector(guid):
            notes.append("link: the permalink GUID (the entry's link is a redirector that no "
                         "longer answers)")
            link = guid
        else:
            warnings.append(f"link {link[:80]!r} goes through a redirector that no longer answers")
    own = _own_permalink(entry, feed, link)
    if own:
        notes.append("link: the entry's own permalink (its link points to the page it comments on)")
        return own, link, notes, warnings
    return link, "", notes, warnings


def _absolute(url: str, feed: ParsedFeed, source: FeedSource) -> str:
    """A link feedparser left relative (an RSS permalink GUID standing in for the link)."""
    url = (url or "").strip()
    if url and not is_absolute_uri(url) and not url.startswith(("javascript:", "data:")):
        return urljoin(feed.base or source.url, url)
    return url


def _own_permalink(entry, feed: ParsedFeed, link: str) -> str:
    """On a link blog (Daring Fireball's Atom feed), the entry's permalink on the feed's site
    when its link goes elsewhere; else ""."""
    site = (urlsplit(feed.link).hostname or "").lower()
    if not site or not link or (urlsplit(link).hostname or "").lower() == site:
        return ""
    for other in entry.get("links") or []:
        href = published_link(other.get("href"))
        if other.get("rel") == "related" and href and (urlsplit(href).hostname or "").lower() == site:
            return href
    return ""


def _to_datetime(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _stored(entry, key: str):
    """The value feedparser stored, without its deprecated updated -> published aliasing
    (which warns on every entry that has only one of the two)."""
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def entry_date(entry, feed: ParsedFeed, fetched_at: datetime
               ) -> tuple[datetime, bool, list[str], list[str]]:
    """The entry's date, whether it was guessed, the fallbacks taken, and a warning when it
    had to be clamped. A guessed date (the feed's, the fetch time) is not the story's."""
    notes, warnings, guessed = [], [], False
    latest = fetched_at + FUTURE_TOLERANCE
    date = _to_datetime(_stored(entry, "published_parsed"))
    if date is None:
        date = _to_datetime(_stored(entry, "updated_parsed"))
        if date is not None:
            notes.append("no published date: used the updated date")
    if date is None:
        raw = _stored(entry, "published") or _stored(entry, "updated")
        date = lenient_date(raw, latest)
        if date is not None:
            notes.append(f"date {raw!r} read leniently")
    if date is None:
        date = date_in_link(entry.get("link", ""), latest)
        if date is not None:
            notes.append("date taken from the link")
    if date is None:
        guessed = True
        date = _to_datetime(feed.updated)
        if date is not None:
            notes.append("no entry date: used the feed's date")
    if date is None:
        date = fetched_at
        notes.append("no date at all: used the fetch time")
    if date > latest:
        warnings.append(f"date {date.isoformat()} is in the future: clamped to the fetch time")
        notes.append("no entry date we can use (it is in the future): used the fetch time")
        date, guessed = fetched_at, True
    return date.replace(microsecond=0), guessed, notes, warnings


def entry_id(entry, link: str, title: str, feed_url: str, text: str,
             scope: str = "") -> tuple[str, list[str]]:
    """The GUID, else the entry's link, else a hash that is the same every night.

    A GUID that is not an absolute URI (``1``, ``post-17``, reddit's ``t3_157kx9b``) is
    unique only within its feed, so it is scoped by ``scope``, the feed's site
    (``feed_scope``): another feed's ``1`` is another story.

    The hash takes the feed, the title and the entry's *own* date: a date we guessed (the
    feed's, the fetch time) changes from run to run and would make a new post each night;
    without a date of its own, the start of the text stands in. The feed is part of it so
    two feeds' untitled, undated entries are not taken for one story.
    """
    guid = plain_text(entry.get("id") or entry.get("guid"), 500)
    if guid:
        if is_absolute_uri(guid) or not scope:
            return guid, []
        return f"{scope}#{guid}", []
    if link:
        return link, ["no GUID: id from the link"]
    own_date = _to_datetime(_stored(entry, "published_parsed") or _stored(entry, "updated_parsed"))
    stamp = own_date.isoformat() if own_date else text[:200]
    digest = hashlib.sha256(f"{feed_url}\n{title}\n{stamp}".encode()).hexdigest()[:16]
    return f"urn:digest:{digest}", ["no GUID and no link: id from a hash of feed, title and date"]


def feed_scope(feed: ParsedFeed, source: FeedSource) -> str:
    """What scopes a feed's GUIDs: its site's address (host and path), which stays when the
    feed's own URL moves; the feed's URL when it names no site."""
    for candidate in (feed.link, source.url):
        parts = urlsplit(candidate or "")
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            return parts.hostname.lower() + parts.path.rstrip("/")
    return source.url


def legacy_ids(entry, raw_link: str, feed: ParsedFeed, source: FeedSource) -> tuple[str, ...]:
    """The ids state versions up to 2 gave this entry: its GUID unscoped (as feedparser
    resolved it against the feed's URL), or the link under the old link rule. Posts
    written then keep those ids (``state.keep_legacy_ids``)."""
    guid = plain_text(entry.get("id") or entry.get("guid"), 500)
    if guid:
        if is_absolute_uri(guid):
            return ()
        resolved = urljoin(feed.base or source.url, guid)
        return tuple(dict.fromkeys((guid, resolved)))
    old = legacy_canonical_link(raw_link)
    return (old,) if old else ()


def first_paragraphs(markdown: str, words: int = SUMMARY_WORDS) -> str:
    """Whole paragraphs from the start, up to about ``words`` words (at least one)."""
    kept, count = [], 0
    for paragraph in markdown.split("\n\n"):
        if kept and count + len(paragraph.split()) > words:
            break
        kept.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(kept).strip() + "\n" if kept else ""


def normalise_entry(entry, feed: ParsedFeed, source: FeedSource, fetched_at: datetime,
                    options: FeedOptions | bool = FeedOptions()) -> Article:
    if isinstance(options, bool):
        options = FeedOptions(full_text=options)
    link, links_to, notes, warnings = entry_link(entry, feed, source)
    title = plain_text(entry.get("title"), 200)
    full_html, summary_html = entry_html(entry)
    base_url = link or published_link(feed.link)
    image = lead_image(entry, title)
    if image and not holds_image(full_html, image.url):
        # Shown at the top of the story (see images.py); cleaned like the entry's own images.
        full_html = lead_image_html(image) + full_html
        summary_html = lead_image_html(image) + summary_html
    full = clean(full_html, base_url, options.rules)
    short = full if summary_html == full_html else clean(summary_html, base_url, options.rules)
    if not title:
        title = one_line(short.text or full.text, 80) or "Untitled"
        notes.append("no title: used the start of the text")
    date, date_guessed, date_notes, date_warnings = entry_date(entry, feed, fetched_at)
    article_id, id_notes = entry_id(entry, link, title, source.url, full.text,
                                    feed_scope(feed, source))
    if options.full_text:
        body = full.markdown
    else:
        body = first_paragraphs(short.markdown)
    return Article(
        id=article_id,
        title=title,
        link=link,
        links_to=links_to,
        date=date,
        date_guessed=date_guessed,
        source=plain_text(source.name or feed.title, 120) or urlsplit(source.url).netloc or "Unknown source",
        feed_url=source.url,
        author=entry_authors(entry),
        categories=entry_categories(entry, options.categories),
        language=entry_language(entry, feed, title, full.prose or full.text),
        summary=one_line(summarise(_summary_source(short, full))),
        body=body,
        image=_image_shown(image, body),
        reading_time=minutes(full.words) if full.words else 0,
        full_text=options.full_text,
        text=full.text,
        legacy_ids=legacy_ids(entry, entry.get("link", ""), feed, source),
        notes=tuple(notes + date_notes + id_notes),
        warnings=tuple(warnings + date_warnings),
    )


def _summary_source(short, full) -> str:
    """The text to summarise: the summary's paragraphs, unless the summary is the start of
    the full text run together with its headings (an automatic excerpt: "Introduction When
    loading..."), in which case the full text's paragraphs say it without them."""
    start = short.text[:60]
    if (short is not full and full.prose and len(start) >= 40 and full.text.startswith(start)
            and start not in full.prose):
        return full.prose
    return short.prose or short.text


def _image_shown(image, body: str) -> str:
    """The lead image's URL as the post shows it (after the https upgrade), if it does."""
    if image is None:
        return ""
    name = urlsplit(image.url).path.rsplit("/", 1)[-1]
    for src in re.findall(r'<img src="([^"]+)"', body):
        if name and name in src:
            return src
    return ""
