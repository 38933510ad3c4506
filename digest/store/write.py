"""Stage 8: ``Article`` -> a Markdown post under ``docs/``, never touching an editor's work.

The rules, in the order ``write_articles`` applies them to each article:
- a post we wrote and nobody edited is rewritten in place when the story changed;
- a post whose file differs from the hash we recorded was edited: left alone, reported;
- a post we wrote whose file is gone was deleted by an editor: never brought back;
- an id already seen (deleted, retired) or present in a hand-written post: skipped;
- an entry older than ``keep_days``: not written (retention would remove it at once);
- anything else is new and gets a fresh path from our own slug, never from feed text.

Every post carries ``digest_hash``, the hash of what we wrote (see ``posts.content_hash``),
so an edit is recognised from the file alone when the state file is lost.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slugify import slugify

from digest.article import Article
from digest.store import frontmatter
from digest.store.files import write_atomic
from digest.store.posts import HASH_KEY, content_hash, parse_date
from digest.store.state import PostRecord, State

SLUG_MAX = 80


@dataclass
class WriteReport:
    new: list[str] = field(default_factory=list)          # paths relative to docs_dir
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped_edited: list[str] = field(default_factory=list)
    skipped_deleted: int = 0
    too_old: int = 0                                      # older than keep_days: not written


def front_matter(article: Article) -> dict:
    meta = {
        "title": article.title,
        "date": article.date.isoformat(),
        "source": article.source,
        "link": article.link or None,
        "links_to": article.links_to or None,
        "author": article.author or None,
        "categories": list(article.categories) or None,
        "summary": article.summary or None,
        "language": article.language or None,
        # The site lists such a post apart from the day's news (its date is only when we found it).
        "date_guessed": article.date_guessed or None,
        "image": article.image or None,
        "reading_time": article.reading_time or None,
        "also_reported_by": [{"source": source, "link": link}
                             for source, link in article.also_reported_by] or None,
        "id": article.id,
        "feed": article.feed_url,
    }
    return {key: value for key, value in meta.items() if value is not None}


def render_post(article: Article) -> str:
    text = frontmatter.dump(front_matter(article), f"\n{article.body}")
    # The hash line goes last in the front matter; content_hash leaves it out, so the value
    # is the hash of the post without it.
    return frontmatter.append_key(text, HASH_KEY, content_hash(text))


def post_slug(title: str) -> str:
    """A post's file name from its title: the one rule for fetched and ``digest new`` posts."""
    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True) or "article"
    # "index.md" would be its day folder's page, not an article's (a story titled "Index").
    return "index-article" if slug == "index" else slug


def new_post_path(article: Article, docs_dir: Path, posts_dir: str, zone: ZoneInfo,
                  taken: set[str]) -> str:
    day = article.date.astimezone(zone)
    slug = post_slug(article.title)
    folder = f"{posts_dir}/{day:%Y/%m/%d}"
    candidate, number = f"{folder}/{slug}.md", 2
    while candidate in taken or (docs_dir / candidate).exists():
        candidate, number = f"{folder}/{slug}-{number}.md", number + 1
    taken.add(candidate)
    return candidate


def write_articles(articles: list[Article], state: State, docs_dir: Path, posts_dir: str,
                   zone: ZoneInfo, ids_on_disk: dict[str, str],
                   keep_since: datetime | None = None) -> WriteReport:
    """Write what is new or changed. ``ids_on_disk`` maps each post id found on disk to its path.

    ``state`` must have been reconciled with the posts on disk first (``state.reconcile``).
    """
    report = WriteReport()
    # A recorded path stays taken even when its file is gone: a new post there would be
    # mistaken for the deleted one.
    taken = {record.path for record in state.posts.values()}
    for article in articles:
        record = state.posts.get(article.id)
        if record is not None:
            _update_existing(article, record, docs_dir, zone, report)
            continue
        if article.id in state.seen or article.id in ids_on_disk:
            report.skipped_deleted += article.id in state.seen and article.id not in ids_on_disk
            continue
        if keep_since is not None and article.date < keep_since:
            report.too_old += 1
            continue
        text = render_post(article)
        path = new_post_path(article, docs_dir, posts_dir, zone, taken)
        write_atomic(docs_dir / path, text)
        state.posts[article.id] = PostRecord(path=path, hash=content_hash(text))
        state.seen.add(article.id)
        report.new.append(path)
    return report


def _update_existing(article: Article, record: PostRecord, docs_dir: Path, zone: ZoneInfo,
                     report: WriteReport) -> None:
    target = docs_dir / record.path
    try:
        current = target.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        report.skipped_deleted += 1       # deleted by an editor: stays deleted
        return
    # A guessed date (the feed's, the fetch time) moves every night: the post keeps its first.
    if article.date_guessed:
        article = _with_first_date(article, current, zone)
    text = render_post(article)
    if content_hash(current) != record.hash:
        if content_hash(text) != record.hash:   # the publisher changed it too: say we kept the edit
            report.skipped_edited.append(record.path)
        return
    if current == text:
        report.unchanged += 1
        return
    write_atomic(target, text)
    record.hash = content_hash(text)
    report.updated.append(record.path)


def _with_first_date(article: Article, current: str, zone: ZoneInfo) -> Article:
    """The article with the date its post was first written with, if the post has one."""
    try:
        meta = frontmatter.load(frontmatter.split(current)[0]) or {}
    except frontmatter.FrontMatterError:
        return article
    first = parse_date(meta.get("date"), zone) if isinstance(meta, dict) else None
    return dataclasses.replace(article, date=first) if first else article
