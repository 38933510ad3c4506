"""Reading the posts on disk, generated and hand-written alike, into ``Post`` records.

MkDocs silently ignores front matter it cannot parse, so every problem is collected here
with the file and line, for the run report and for ``digest check``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date as date_type, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.store import frontmatter
from digest.store.post_cache import PostCache, content_key

# The hash of what digest wrote, kept in each generated post's own front matter so that an
# editor's change is recognised even when the state file is lost (see ``content_hash``).
HASH_KEY = "digest_hash"
HASH_LINE = re.compile(rf"^{HASH_KEY}:[^\n]*\n", re.MULTILINE)
# A story's slug, as story pages are named: lower-case letters, digits and single hyphens.
STORY_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Post:
    src: str                        # path relative to docs_dir, posix: "posts/2026/11/23/x.md"
    id: str
    title: str
    date: datetime                  # aware
    source: str
    link: str
    author: str
    categories: tuple[str, ...]
    summary: str
    text: str                       # the Markdown body
    see_also: tuple[str, ...] | None   # pinned by an editor; None: compute
    support: bool
    generated: bool                 # written by digest fetch (has a ``feed`` key)
    feed: str = ""                  # the feed it came from, for generated posts
    digest_hash: str = ""           # what the front matter says digest wrote ("" if none)
    hash: str = ""                  # ``content_hash`` of the file as it is now
    reading_time: int = 0           # minutes for the whole story, as measured at ingest; 0: unknown
    draft: bool = False             # ``draft: true``: unpublished, on no page, feed or search
    # An editor's choice of story: a story's slug, False to keep it out of any, None: computed.
    story: str | bool | None = None
    # An editor's pick (``featured: true``, or ``rank: N``) leads its day's top stories,
    # ranked picks first (1 before 2), whatever the ranking says.
    featured: bool = False
    rank: int | None = None
    updated: datetime | None = None     # ``updated:``: when the post was corrected or updated
    correction: str = ""                # ``correction:``: the notice shown on the article page
    language: str = ""              # the article's language ("ur", "de-AT"); "": the site's
    date_guessed: bool = False      # the feed gave no date: ``date`` is when it was found
    image: str = ""                 # the lead image's address, for listing thumbnails
    links_to: str = ""              # link blogs: the third-party page the entry comments on
    # Other sources of the same story: (source, link) pairs, as dedupe recorded them.
    also_reported_by: tuple[tuple[str, str], ...] = ()

    @property
    def edited(self) -> bool:
        """Changed since digest wrote it, as far as the file itself can tell."""
        return self.digest_hash != self.hash


@dataclass(frozen=True)
class PostProblem:
    where: str                      # "docs/posts/x.md:3"
    message: str
    fatal: bool = True              # False: a warning; the post is still used

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def content_hash(text: str) -> str:
    """The hash of a post's text without its own ``digest_hash`` line.

    digest writes this value into the post's front matter and into the state file; any
    change by an editor, to the body or the front matter, makes the two differ.
    """
    where = frontmatter.span(text)
    if where:
        line = HASH_LINE.search(text, *where)
        if line:
            text = text[:line.start()] + text[line.end():]
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value, zone: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date_type):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return None


def _shown_value(value) -> str:
    """A value as an editor typed it: text in double quotes, anything else as YAML read it."""
    return f'"{value}"' if isinstance(value, str) else str(value)


def _minutes(value) -> int:
    """A reading time from front matter; anything but a positive whole number is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
def story_choice(value) -> str | bool | None:
    """An editor's ``story:`` value: a slug, False, or None when absent or not valid (``digest
    check`` reports an invalid one as an error; the site then places the post itself)."""
    if value is False or (isinstance(value, str) and STORY_SLUG.fullmatch(value)):
        return value
    return None


def story_problem(value) -> str | None:
    """What is wrong with a ``story:`` value, if anything."""
    if value is None or story_choice(value) is not None:
        return None
    return (f"story: expected a story's slug (lower-case letters, digits and hyphens, as in its "
            f"page's address stories/SLUG/) or false, got {_shown_value(value)}")


def _text_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if item is not None)
    return (str(value),)


def _rank(value) -> int | None:
    """``rank: 1`` and up; anything else is no rank (``digest check`` reports it)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def is_draft(value) -> bool:
    """``draft: true`` unpublishes a post. A value that is not true or false (``draft: "no"``)
    is taken as a draft too: keeping a post off the site by mistake is the harmless error,
    and ``digest check`` reports the value."""
    return value is not None and value is not False


def read_post(path: Path, docs_dir: Path, zone: ZoneInfo) -> tuple[Post | None, list[PostProblem]]:
    src, shown = _names(path, docs_dir)
    return _parse_bytes(path.read_bytes(), src, shown, zone)


def _names(path: Path, docs_dir: Path) -> tuple[str, str]:
    """A post's path under docs, and the path its messages show (from the site's root)."""
    src = path.relative_to(docs_dir).as_posix()
    shown = path.relative_to(docs_dir.parent).as_posix() if docs_dir.parent in path.parents else src
    return src, shown


def _parse_bytes(data: bytes, src: str, shown: str, zone: ZoneInfo) -> tuple[Post | None, list[PostProblem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [PostProblem(f"{shown}:1", f"not UTF-8 text ({exc.reason})")]
    if "\r" in text:   # as Path.read_text reads it: universal newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_post(text, src, shown, zone)


def parse_post(text: str, src: str, shown: str, zone: ZoneInfo) -> tuple[Post | None, list[PostProblem]]:
    """A post's text -> ``Post``; ``src`` is its path under docs, ``shown`` the path for messages."""
    front, body = frontmatter.split(text)
    if not front.strip():
        return None, [PostProblem(f"{shown}:1", "no front matter (a post starts with --- and "
                                                "title: and date: lines)")]
    try:
        meta = frontmatter.load(front)
    except frontmatter.FrontMatterError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return None, [PostProblem(f"{shown}:{line}", f"front matter is not valid YAML: "
                                                     f"{getattr(exc, 'problem', exc)}")]
    if not isinstance(meta, dict):
        return None, [PostProblem(f"{shown}:2", "front matter must be key: value lines")]
    problems = []

    def problem(key: str, message: str, fatal: bool = True) -> None:
        problems.append(PostProblem(f"{shown}:{frontmatter.line_of(front, key)}", message, fatal))

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problem("title", "title: missing or empty")
    date = parse_date(meta.get("date"), zone)
    if "date" not in meta:
        problem("date", "date: missing")
    elif date is None:
        problem("date", f"date: not a date: {_shown_value(meta.get('date'))}")
    see_also = meta.get("see_also")
    if see_also is not None and not isinstance(see_also, list):
        problem("see_also", "see_also: expected a list of post paths")
        see_also = None
    support = meta.get("support", True)
    if not isinstance(support, bool):
        problem("support", f"support: expected true or false, got {support!r}")
        support = True
    if any(p.fatal for p in problems):
        return None, problems
    return Post(
        src=src,
        id=str(meta.get("id") or src),
        title=title.strip(),
        date=date,
        source=str(meta.get("source") or ""),
        link=str(meta.get("link") or ""),
        author=str(meta.get("author") or ""),
        categories=_text_list(meta.get("categories")),
        summary=str(meta.get("summary") or ""),
        text=body,
        see_also=None if see_also is None else _text_list(see_also),
        support=support,
        generated="feed" in meta,
        feed=str(meta.get("feed") or ""),
        digest_hash=str(meta.get(HASH_KEY) or ""),
        hash=content_hash(text),
        reading_time=_minutes(meta.get("reading_time")),
        draft=is_draft(meta.get("draft")),
        story=story_choice(meta.get("story")),
        featured=meta.get("featured") is True or _rank(meta.get("rank")) is not None,
        rank=_rank(meta.get("rank")),
        updated=parse_date(meta.get("updated"), zone) if "updated" in meta else None,
        correction=meta["correction"].strip() if isinstance(meta.get("correction"), str) else "",
        language=_language(meta.get("language")),
        date_guessed=meta.get("date_guessed") is True,
        image=str(meta.get("image") or "") if isinstance(meta.get("image"), str) else "",
        links_to=str(meta.get("links_to") or ""),
        also_reported_by=_also_reported_by(meta.get("also_reported_by")),
    ), problems


def _language(value) -> str:
    """A language tag as pages can put it in ``lang`` (letters, digits and hyphens), or ""."""
    text = str(value or "").strip().replace("_", "-")
    return text if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", text) else ""


def _also_reported_by(value) -> tuple[tuple[str, str], ...]:
    """The (source, link) pairs of ``also_reported_by``; anything malformed is left out."""
    if not isinstance(value, list):
        return ()
    return tuple((str(item.get("source")), str(item.get("link") or "")) for item in value
                 if isinstance(item, dict) and item.get("source"))


def post_files(docs_dir: Path, posts_dir: str) -> list[str]:
    """The path under docs of every ``*.md`` file below ``docs/<posts_dir>`` (symbolic links to
    folders not followed), in the order ``sorted(rglob("*.md"))`` gives, without the cost of
    150,000 ``Path`` objects."""
    found = []
    for folder, folders, files in os.walk(docs_dir / posts_dir):
        at = os.path.relpath(folder, docs_dir).replace(os.sep, "/")
        found += [f"{at}/{name}" for name in files if name.endswith(".md")]
    return sorted(found, key=lambda src: src.split("/"))


def load_posts(docs_dir: Path, posts_dir: str, zone: ZoneInfo,
               cache: Path | None = None) -> tuple[list[Post], list[PostProblem]]:
    """Every readable post under ``docs/<posts_dir>``, sorted newest first, and every problem.

    ``cache``: the file of parsed posts kept between runs (``post_cache.cache_file``); a file
    whose bytes are unchanged since it was parsed is not parsed again."""
    posts, problems = [], []
    if not (docs_dir / posts_dir).is_dir():
        return [], []
    kept = PostCache(cache, str(zone))
    shown_from = f"{docs_dir.name}/" if docs_dir.name else ""
    for src in post_files(docs_dir, posts_dir):
        shown = shown_from + src
        with open(docs_dir / src, "rb") as handle:
            data = handle.read()
        key = content_key(data)
        result = kept.get(src, shown, key)
        if result is None:
            result = _parse_bytes(data, src, shown, zone)
            kept.put(src, shown, key, result)
        post, found = result
        problems.extend(found)
        if post is not None:
            posts.append(post)
    kept.save()
    posts.sort(key=lambda post: (post.date, post.src), reverse=True)
    return posts, problems
