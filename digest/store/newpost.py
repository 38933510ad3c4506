"""``digest new``: a hand-written post, or today's editor's note, with valid front matter.

Like ``hugo new``: the file lands where the nightly job would file a post of today (the
site's time zone), named by the same slug rule, and an existing file is never overwritten,
so an editor cannot lose a draft by running the command twice. A post is hand-written (no
``feed:`` key), so the nightly job never touches it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.errors import DigestError
from digest.store import frontmatter
from digest.store.state import load_state
from digest.store.write import post_slug


class NewFileError(DigestError):
    """The file ``digest new`` would write cannot be written (it exists, or its place is taken)."""


@dataclass(frozen=True)
class NewPost:
    title: str
    categories: tuple[str, ...] = ()
    author: str = ""
    draft: bool = False


def now_in(zone_name: str, now: datetime | None = None) -> datetime:
    """The current minute in the site's time zone: a post's date, and today's folder."""
    now = now or datetime.now(timezone.utc)
    return now.astimezone(ZoneInfo(zone_name)).replace(second=0, microsecond=0)


def post_text(post: NewPost, when: datetime) -> str:
    meta = {"title": post.title.strip(), "date": when.strftime("%Y-%m-%d %H:%M")}
    if post.categories:
        meta["categories"] = list(post.categories)
    if post.author:
        meta["author"] = post.author
    if post.draft:
        meta["draft"] = True
    return frontmatter.dump(meta, "\n")


def note_text(heading: str) -> str:
    return frontmatter.dump({"title": heading.strip()}, "\n")


def post_path(docs_dir: Path, posts_dir: str, title: str, when: datetime) -> Path:
    return docs_dir / posts_dir / f"{when:%Y/%m/%d}" / f"{post_slug(title)}.md"


def note_path(docs_dir: Path, notes_dir: str, when: datetime) -> Path:
    return docs_dir / notes_dir / f"{when:%Y-%m-%d}.md"


def write_new_post(settings, post: NewPost, now: datetime | None = None) -> Path:
    if not post.title.strip():
        raise NewFileError('digest new: a post needs a title, like: digest new "Our new podcast"')
    allowed = {name.casefold(): name for name in settings.categories}
    for category in post.categories:
        if allowed and category.casefold() not in allowed:
            raise NewFileError(f'--category: "{category}" is not an allowed category '
                               f"(extra.digest.categories: {', '.join(settings.categories)})")
    post = NewPost(post.title, tuple(allowed.get(c.casefold(), c) for c in post.categories),
                   post.author, post.draft)
    when = now_in(settings.timezone, now)
    path = post_path(settings.docs_dir, settings.posts_dir, post.title, when)
    src = path.relative_to(settings.docs_dir).as_posix()
    recorded = {record.path for record in load_state(settings.state).posts.values()}
    if src in recorded and not path.exists():
        # The state keeps a deleted fetched post's path taken: a new post there would be
        # taken for the deleted one (see store/write.py).
        raise NewFileError(f"{_shown(settings, path)}: the place of a fetched post an editor "
                           "deleted; give the new post another title")
    create_exclusively(path, post_text(post, when), settings)
    return path


def write_new_note(settings, heading: str, now: datetime | None = None) -> Path:
    when = now_in(settings.timezone, now)
    path = note_path(settings.docs_dir, settings.notes_dir, when)
    create_exclusively(path, note_text(heading), settings)
    return path


def create_exclusively(path: Path, text: str, settings) -> None:
    """Write ``text`` to a new file at ``path``, whole or not at all; never over a file.

    The text goes to a temp file first, then a hard link gives it its name: ``link`` fails
    if the name exists, so even two editors racing cannot overwrite each other.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".digest-new-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temp, 0o644)
        try:
            os.link(temp, path)
        except FileExistsError:
            raise NewFileError(f"{_shown(settings, path)} already exists; digest new never "
                               "overwrites a file (edit it, or choose another title)") from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _shown(settings, path: Path) -> str:
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return str(path)
