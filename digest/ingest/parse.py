"""Stage 3: bytes + HTTP headers -> a feedparser result. The only module that sees feedparser.

feedparser's own sanitiser is switched off: ours (``clean``) runs on every field we publish,
last, so nothing can undo it, and skipping feedparser's pass halves the parse time. Titles,
names and categories go through ``clean.plain_text``; content through ``clean.clean``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import feedparser
from feedparser.mixin import _FeedParserMixin

# An entry's id is kept as the feed wrote it: resolved against the feed's URL, reddit's
# ``t3_157kx9b`` would change whenever the feed moves (normalise scopes such ids by the
# feed's site instead).
_FeedParserMixin.can_be_relative_uri = frozenset(_FeedParserMixin.can_be_relative_uri - {"id"})

# feedparser expands the entities a feed declares in its own DTD when their text holds no
# other reference (nested ones, the "billion laughs", it refuses), so one long entity used
# many times blew a 30 kB feed up to 80 MB of entry text in 4 s (a "quadratic blowup",
# tests/data/hostile/quadratic-blowup.xml). Real feeds declare entities for a character or
# a short word (``<!ENTITY nbsp "&#160;">``); longer declarations are dropped before parsing,
# which leaves their references as undefined entities. Matched on the raw bytes, so a feed
# in UTF-16 or UTF-32 is first made UTF-8 (``as_utf8``): otherwise its declarations, one
# null byte between letters, would slip past.
MAX_ENTITY_TEXT = 40
_LONG_ENTITY = re.compile(rb'<!ENTITY\s+[^\s>]+\s+(?:"[^"]{%d,}"|\'[^\']{%d,}\')\s*>'
                          % (MAX_ENTITY_TEXT + 1, MAX_ENTITY_TEXT + 1))
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z]")


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
    base: str = ""             # the URL relative links in the feed are resolved against


# A broken tail is at most this much of the feed: a feed cut off mid-character (or mid-CDATA
# section) is still the encoding it says it is.
BROKEN_TAIL = 0.05
_XML_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)


def parse_feed(body: bytes, headers: dict[str, str], url: str) -> ParsedFeed:
    headers_lower = {key.lower(): value for key, value in headers.items()}
    body, headers_lower = as_utf8(body, headers_lower)
    body, repaired = repair_broken_tail(body, headers_lower)
    result = feedparser.parse(
        without_long_entities(body),
        response_headers=headers_lower,
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
        warning="; ".join(part for part in (
            repaired, _describe(problem) if result.get("bozo") and problem else None) if part) or None,
        base=headers_lower.get("content-location", url),
    )


def without_long_entities(body: bytes) -> bytes:
    """``body`` without the entity declarations of its DTD longer than ``MAX_ENTITY_TEXT``."""
    first = _FIRST_ELEMENT.search(body)
    head = body[:first.start()] if first else body
    if b"<!ENTITY" not in head:
        return body
    return _LONG_ENTITY.sub(b"", head) + body[len(head):]


# XML's own rule (Appendix F of the XML spec) for telling the wide encodings apart: a byte
# order mark, else how "<?" (or "<") is spelled in the first four bytes. UTF-32's marks first:
# UTF-32-LE's begins with UTF-16-LE's.
_WIDE_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
               (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
               (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9._-]+)""", re.IGNORECASE)


def as_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A UTF-16 or UTF-32 feed as the same feed in UTF-8 (its declaration and the HTTP
    charset saying so), so every byte-level rule here sees its markup; others unchanged."""
    encoding = next((name for mark, name in _WIDE_MARKS if body.startswith(mark)), None)
    if encoding is None:
        return body, headers
    text = body.decode(encoding, errors="replace").lstrip("\ufeff")
    text = _DECLARED.sub(lambda match: f"{match.group(1)}{match.group(2)}utf-8{match.group(2)}", text, count=1)
    headers = dict(headers)
    if "content-type" in headers:
        headers["content-type"] = _HTTP_CHARSET.sub("charset=utf-8", headers["content-type"])
    return text.encode("utf-8"), headers


def repair_broken_tail(body: bytes, headers: dict[str, str]) -> tuple[bytes, str | None]:
    """A UTF-8 feed (declared, or XML's default) whose bytes are UTF-8 but for a broken tail
    keeps its encoding, the broken bytes replaced; and says so. feedparser would instead
    read the whole feed as the next encoding it tries (ISO-8859-2), every non-ASCII title
    garbled."""
    if _declared_encoding(body, headers) != "utf-8":
        return body, None
    try:
        body.decode("utf-8")
        return body, None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if len(body) - first_bad > max(4, len(body) * BROKEN_TAIL):
        return body, None           # not a broken tail: left to feedparser's own detection
    text = body.decode("utf-8", errors="replace")
    return (text.encode("utf-8"),
            f"the last {len(body) - first_bad} bytes are not UTF-8 (a cut-off feed?): replaced")


def _declared_encoding(body: bytes, headers: dict[str, str]) -> str | None:
    """The encoding the HTTP charset, else the XML declaration, names (UTF-8 when neither
    does, as XML has it); None when it names one Python does not know."""
    charset = _CHARSET.search(headers.get("content-type", ""))
    declared = _XML_ENCODING.match(body)
    name = (charset.group(1) if charset else declared.group(1).decode("ascii") if declared else "utf-8")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _describe(problem: Exception) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text.splitlines()[0][:200]
