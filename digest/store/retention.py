"""Retention (``keep_days``): the fetch removes generated posts older than that.

Only posts digest wrote and nobody changed go: a hand-written post, an edited one (its file
no longer has the hash we recorded), or one an editor pinned in another post's ``see_also``
stays. A removed post's id stays seen, so the feed cannot bring it back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from digest.store.posts import Post, content_hash
from digest.store.state import State


def keep_since(now: datetime, keep_days: int) -> datetime | None:
    """The oldest date a generated post may have; None when everything is kept."""
    return now - timedelta(days=keep_days) if keep_days else None


def retire_old_posts(state: State, posts: list[Post], docs_dir: Path, posts_dir: str,
                     since: datetime) -> list[str]:
    """Remove what is too old; return the removed paths (relative to ``docs_dir``)."""
    pinned = {target for post in posts for target in post.see_also or ()}
    removed = []
    for post in posts:
        record = state.posts.get(post.id)
        if (not post.generated or record is None or record.path != post.src
                or post.date >= since or post.src in pinned):
            continue
        path = docs_dir / post.src
        try:
            # Read again: this run may have updated the post since ``posts`` was loaded.
            if content_hash(path.read_text(encoding="utf-8")) != record.hash:
                continue
        except (FileNotFoundError, UnicodeDecodeError):
            continue
        path.unlink()
        _remove_empty_folders(path.parent, docs_dir / posts_dir)
        del state.posts[post.id]
        state.seen.add(post.id)
        removed.append(post.src)
    return sorted(removed)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """The day, month and year folders a removal emptied (git does not keep empty folders)."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:      # not empty: an editor's file or another post is still there
            return
        folder = folder.parent
