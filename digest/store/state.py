"""The committed state file: what digest wrote, what it has seen, and each feed's health.

JSON with sorted keys and exactly one entry per line, so a nightly diff shows one line per
new post and a merge conflict can be salvaged line by line:

    {
     "feeds": {
      "https://example.org/feed.xml": {"etag": "\"abc\"", "last_success": "2026-11-23T01:00:00+00:00"}
     },
     "posts": {
      "tag:example.org,2026:1": {"hash": "sha256:0123456789abcdef", "path": "posts/2026/11/23/a.md"}
     },
     "seen": [
      "tag:example.org,2026:0"
     ],
     "version": 3
    }

``posts`` holds each generated post's id, path and the hash of what we wrote (the same value
the post carries as ``digest_hash``), also after an editor deleted the file; ``seen`` holds
the other ids seen (retired by ``keep_days``, taken as seen in a rebuild), so they are never
written again. In memory,
``State.seen`` is every id ever seen, posts included.

If the file is missing or unreadable, ``reconcile`` rebuilds what it can from the posts'
front matter (generated posts carry ``feed``, ``id`` and ``digest_hash``). A file that
cannot be opened at all (a folder, no permission) or says it is from a newer digest stops
the run with one ``Error:`` line, before anything is fetched.

Versions: 3 scopes GUIDs that are not URIs by their feed's site (``normalise.entry_id``);
files of versions 1 and 2 are read as they are, and their posts keep the ids they were
written with (``keep_legacy_ids``), so nothing is written twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import dataclasses

from digest.article import Article
from digest.errors import DigestError
from digest.store.files import write_if_changed
from digest.store.posts import Post

VERSION = 3


class StateError(DigestError):
    """The state file cannot be opened, or is from a newer digest than this one."""


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None     # ISO 8601
    failures: int = 0                   # consecutive
    last_error: str | None = None
    first_failure: str | None = None    # ISO 8601, start of the current failing streak
    gone: str | None = None             # HTTP 410: the feed list's hash then; skipped until it changes


@dataclass
class PostRecord:
    path: str       # relative to docs_dir, posix
    hash: str       # content_hash of what we wrote: a different file means an editor's edit


@dataclass(frozen=True)
class StateProblem:
    """Why the state file could not be read as it is (it is rebuilt, so never fatal)."""

    file: str                            # the state file's name
    reason: str                          # what was wrong with it, e.g. the JSON error

    @property
    def unreadable(self) -> str:
        return f"unreadable ({self.reason})"

    def __str__(self) -> str:
        return (f"{self.file}: {self.unreadable}; rebuilt from what could be read "
                "and from the posts' front matter")


@dataclass
class State:
    feeds: dict[str, FeedState] = field(default_factory=dict)
    posts: dict[str, PostRecord] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    problem: StateProblem | None = None  # set when the file was unreadable and rebuilt
    missing: bool = False                # there was no state file


def load_state(path: Path) -> State:
    if not path.exists():
        return State(missing=True)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        text = path.read_bytes().decode("utf-8", errors="replace")
        salvaged = _salvage(text)
        salvaged.problem = StateProblem(path.name, str(exc))
        return salvaged
    except OSError as exc:
        raise StateError(f"{path}: cannot be read ({exc.strerror or exc}); fix or remove it "
                         "(a missing state file is rebuilt from the posts)") from None
    try:
        data = json.loads(text)
        _check_version(data, path)
        return _state_from_data(data)
    except (ValueError, TypeError, AttributeError) as exc:
        salvaged = _salvage(text)
        salvaged.problem = StateProblem(path.name, str(exc))
        return salvaged


def _check_version(data, path: Path) -> None:
    version = data.get("version", 1) if isinstance(data, dict) else 1
    if isinstance(version, int) and version > VERSION:
        raise StateError(f"{path}: state version {version} is newer than this digest's "
                         f"({VERSION}); upgrade digest to run on this site")


def _state_from_data(data: dict) -> State:
    if not isinstance(data, dict):
        raise TypeError("expected a JSON object")
    posts = {}
    for post_id, value in data.get("posts", {}).items():
        record = PostRecord(**value)
        if not isinstance(record.path, str) or not isinstance(record.hash, str):
            raise TypeError(f"post {post_id!r}: path and hash must be text")
        posts[post_id] = record
    seen = data.get("seen", [])
    if not isinstance(seen, list) or not all(isinstance(item, str) for item in seen):
        raise TypeError("seen: expected a list of ids")
    return State(
        feeds={url: FeedState(**value) for url, value in data.get("feeds", {}).items()},
        posts=posts,
        seen=set(seen) | set(posts),
    )


def _salvage(text: str) -> State:
    """Every entry line that still parses (one entry per line: a merge conflict keeps both sides)."""
    state, section = State(), None
    for line in text.splitlines():
        stripped = line.strip().rstrip(",")
        if line.startswith(' "'):       # a section: feeds, posts, seen, version
            section = stripped.split('"')[1]
            continue
        try:
            value = json.loads("{" + stripped + "}") if section != "seen" else json.loads(stripped)
        except ValueError:
            continue
        try:
            if section == "seen" and isinstance(value, str):
                state.seen.add(value)
            elif section == "posts" and isinstance(value, dict) and len(value) == 1:
                (post_id, record), = value.items()
                state.posts[post_id] = PostRecord(path=str(record["path"]), hash=str(record["hash"]))
            elif section == "feeds" and isinstance(value, dict) and len(value) == 1:
                (url, feed), = value.items()
                state.feeds[url] = FeedState(**feed)
        except (TypeError, KeyError, AttributeError):
            continue
    state.seen |= set(state.posts)
    return state


def state_to_text(state: State) -> str:
    feeds = {url: {key: value for key, value in vars(feed).items() if value not in (None, 0, False)}
             for url, feed in state.feeds.items()}
    posts = {post_id: {"hash": record.hash, "path": record.path}
             for post_id, record in state.posts.items()}
    gone = sorted(state.seen - set(state.posts))
    return ("{\n"
            f' "feeds": {_one_per_line(feeds)},\n'
            f' "posts": {_one_per_line(posts)},\n'
            f' "seen": {_list_one_per_line(gone)},\n'
            f' "version": {VERSION}\n'
            "}\n")


def _one_per_line(mapping: dict) -> str:
    if not mapping:
        return "{}"
    lines = [f"  {_json(key)}: {_json(value)}" for key, value in sorted(mapping.items())]
    return "{\n" + ",\n".join(lines) + "\n }"


def _list_one_per_line(items: list[str]) -> str:
    if not items:
        return "[]"
    return "[\n" + ",\n".join(f"  {_json(item)}" for item in items) + "\n ]"


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def save_state(state: State, path: Path) -> bool:
    return write_if_changed(path, state_to_text(state), durable=True)


def keep_legacy_ids(articles: list[Article], posts: list[Post], state: State) -> list[Article]:
    """Articles whose post was written under the id rules of state versions up to 2 keep
    that id, so the post is updated in place rather than written again.

    An entry's old id (``Article.legacy_ids``: its GUID unscoped, or its link under the old
    link rule) is taken when it is known (recorded, seen, or on disk) and not another
    feed's: a post on disk under that id from another feed is that feed's story.
    """
    known = state.seen | {post.id for post in posts}
    feed_of = {post.id: post.feed for post in posts if post.feed}
    kept = []
    for article in articles:
        if article.id not in known:
            for old in article.legacy_ids:
                if old in known and feed_of.get(old, article.feed_url) == article.feed_url:
                    article = dataclasses.replace(article, id=old)
                    break
        kept.append(article)
    return kept


def reconcile(state: State, posts: list[Post], articles: Iterable[Article] = ()) -> list[str]:
    """Bring the state in line with the posts on disk; return notes for the run report.

    - a recorded post found under another path (moved or renamed by an editor) is followed;
    - a recorded post found nowhere (deleted by an editor) keeps its record, so an editor's
      deletion alone changes nothing in the state file (and the nightly job commits nothing);
    - a recorded post that digest rewrote after the state was last saved (a run killed in
      between) gets the hash of that text, or it would be taken for an editor's edit;
    - a generated post with no record (state lost, or a run killed before saving it) is
      adopted with the hash its own front matter carries, so an edit made meanwhile is
      still recognised;
    - after a rebuild (the state file was lost), each feed's newest post on disk is a
      horizon: the feed's entries up to its date were written by an earlier run, so one
      of them missing from disk was deleted by an editor, and is marked seen.

    The pipeline saves the state right after this, before writing any post: a run killed
    while writing then finds a state file next time, so it adopts what was written instead
    of mistaking it for a rebuild.
    """
    notes = []
    paths_by_id: dict[str, list[str]] = {}
    for post in sorted(posts, key=lambda post: (not post.generated, post.src)):
        paths_by_id.setdefault(post.id, []).append(post.src)
    by_src = {post.src: post for post in posts}
    refreshed = 0
    for post_id, record in state.posts.items():
        found = paths_by_id.get(post_id, [])
        if found and record.path not in found:
            record.path = found[0]
        post = by_src.get(record.path)
        if (post is not None and post.id == post_id and post.generated and not post.edited
                and post.hash != record.hash):
            # The file is exactly what digest wrote (its own fingerprint says so) but not what
            # the state recorded: a run was killed after updating it and before saving.
            record.hash = post.hash
            refreshed += 1
    adopted = 0
    for post in sorted(posts, key=lambda post: post.src):
        if post.generated and post.id not in state.posts:
            state.posts[post.id] = PostRecord(path=post.src, hash=post.digest_hash)
            state.seen.add(post.id)
            adopted += 1
    rebuilding = state.problem is not None or (state.missing and adopted)
    if rebuilding:
        horizon = {}
        for post in posts:
            if post.generated and post.feed:
                newest = horizon.get(post.feed)
                horizon[post.feed] = post.date if newest is None else max(newest, post.date)
        state.seen.update(article.id for article in articles
                          if article.feed_url in horizon and article.date <= horizon[article.feed_url])
        if state.missing:
            notes.append(f"the state file was missing: rebuilt from {adopted} generated posts' "
                         "front matter; feed entries older than a feed's newest post are taken "
                         "as seen (a post deleted before cannot come back)")
        else:
            notes.append(f"{state.problem}; {adopted} posts adopted from their front matter")
    elif adopted:
        notes.append(f"{adopted} generated posts were not in the state file (a run was "
                     "interrupted?): adopted from their front matter")
    if refreshed:
        notes.append(f"{refreshed} posts had been updated after the state file was saved (a run "
                     "was interrupted?): their state records now match them")
    return notes
