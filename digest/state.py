"""The committed state file: what digest wrote, what it has seen, and each feed's health.

JSON with sorted keys and one entry per line, so a nightly diff is small and readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from digest.files import write_if_changed

VERSION = 1


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None     # ISO 8601
    failures: int = 0                   # consecutive
    last_error: str | None = None
    first_failure: str | None = None    # ISO 8601, start of the current failing streak
    gone: bool = False                  # HTTP 410: skipped until feeds.txt changes


@dataclass
class PostRecord:
    path: str       # relative to docs_dir, posix
    hash: str       # of the exact text we wrote: a different file means an editor's edit


@dataclass
class State:
    feeds: dict[str, FeedState] = field(default_factory=dict)
    posts: dict[str, PostRecord] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    problem: str | None = None           # set when the file was unreadable and rebuilt


def load_state(path: Path) -> State:
    if not path.exists():
        return State()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return State(
            feeds={url: FeedState(**value) for url, value in data.get("feeds", {}).items()},
            posts={post_id: PostRecord(**value) for post_id, value in data.get("posts", {}).items()},
            seen=set(data.get("seen", [])),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        return State(problem=f"{path.name}: unreadable ({exc}); rebuilding from the posts")


def state_to_text(state: State) -> str:
    data = {
        "version": VERSION,
        "feeds": {url: {key: value for key, value in vars(feed).items() if value not in (None, 0, False)}
                  for url, feed in sorted(state.feeds.items())},
        "posts": {post_id: vars(record) for post_id, record in sorted(state.posts.items())},
        "seen": sorted(state.seen),
    }
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def save_state(state: State, path: Path) -> bool:
    return write_if_changed(path, state_to_text(state))
