"""Stage 8: ``Article`` -> a Markdown post under ``docs/``, never touching an editor's work.

The rules, in the order ``write_articles`` applies them to each article:
- a post we wrote and nobody edited is rewritten in place when the story changed;
- a post whose file differs from the hash we recorded was edited: left alone, reported;
- a post we wrote whose file is gone was deleted by an editor: never brought back;
- an id already seen (deleted, retired) or present in a hand-written post: skipped;
- anything else is new and gets a fresh path from our own slug, never from feed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from slugify import slugify

from digest.files import text_hash, write_atomic
from digest.normalise import Article
from digest.state import PostRecord, State

SLUG_MAX = 80


@dataclass
class WriteReport:
    new: list[str] = field(default_factory=list)          # paths relative to docs_dir
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped_edited: list[str] = field(default_factory=list)
    skipped_deleted: int = 0


def front_matter(article: Article) -> dict:
    meta = {
        "title": article.title,
        "date": article.date.isoformat(),
        "source": article.source,
        "link": article.link or None,
        "author": article.author or None,
        "categories": list(article.categories) or None,
        "summary": article.summary or None,
        "language": article.language or None,
        "id": article.id,
        "feed": article.feed_url,
    }
    return {key: value for key, value in meta.items() if value is not None}


def render_post(article: Article) -> str:
    meta = yaml.safe_dump(front_matter(article), sort_keys=False, allow_unicode=True,
                          width=10_000, default_flow_style=False)
    return f"---\n{meta}---\n\n{article.body}"


def new_post_path(article: Article, docs_dir: Path, posts_dir: str, zone: ZoneInfo,
                  taken: set[str]) -> str:
    day = article.date.astimezone(zone)
    slug = slugify(article.title, max_length=SLUG_MAX, word_boundary=True) or "article"
    folder = f"{posts_dir}/{day:%Y/%m/%d}"
    candidate, number = f"{folder}/{slug}.md", 2
    while candidate in taken or (docs_dir / candidate).exists():
        candidate, number = f"{folder}/{slug}-{number}.md", number + 1
    taken.add(candidate)
    return candidate


def write_articles(articles: list[Article], state: State, docs_dir: Path, posts_dir: str,
                   zone: ZoneInfo, ids_on_disk: dict[str, str]) -> WriteReport:
    """Write what is new or changed. ``ids_on_disk`` maps each post id found on disk to its path."""
    report, taken = WriteReport(), set()
    for article in articles:
        text = render_post(article)
        record = state.posts.get(article.id)
        if record is not None:
            _update_existing(article, text, record, state, docs_dir, ids_on_disk, report)
            continue
        if article.id in state.seen or article.id in ids_on_disk:
            report.skipped_deleted += article.id in state.seen and article.id not in ids_on_disk
            continue
        path = new_post_path(article, docs_dir, posts_dir, zone, taken)
        write_atomic(docs_dir / path, text)
        state.posts[article.id] = PostRecord(path=path, hash=text_hash(text))
        state.seen.add(article.id)
        report.new.append(path)
    return report


def _update_existing(article: Article, text: str, record: PostRecord, state: State,
                     docs_dir: Path, ids_on_disk: dict[str, str], report: WriteReport) -> None:
    moved_to = ids_on_disk.get(article.id)
    if moved_to and moved_to != record.path:
        record.path = moved_to            # an editor moved or renamed it: follow, never duplicate
    target = docs_dir / record.path
    if not target.exists():
        report.skipped_deleted += 1       # deleted by an editor: stays deleted
        return
    current = target.read_text(encoding="utf-8", errors="replace")
    if text_hash(current) != record.hash:
        if text_hash(text) != record.hash:   # the publisher changed it too: say we kept the edit
            report.skipped_edited.append(record.path)
        return
    if current == text:
        report.unchanged += 1
        return
    write_atomic(target, text)
    record.hash = text_hash(text)
    report.updated.append(record.path)
