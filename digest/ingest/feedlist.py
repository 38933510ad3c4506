"""Stage 1: ``feeds.txt`` -> a list of ``FeedSource``.

One feed per line: the URL (or a local file path) first, then optionally a display name.
Blank lines and ``#`` comments are ignored. Every bad line is reported with ``FILE:LINE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from digest.errors import FeedListError


@dataclass(frozen=True)
class FeedSource:
    url: str            # an http(s) URL, or an absolute local path for bundled feeds
    name: str | None    # the display name from feeds.txt; None: use the feed's own title
    where: str          # "feeds.txt:12", for messages

    @property
    def is_local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


def read_feed_list(path: Path) -> list[FeedSource]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FeedListError(f"{path.name}: not found at {path}")
    except UnicodeDecodeError as exc:
        raise FeedListError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    sources, errors, first_seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        try:
            source = parse_line(line, where, path.parent)
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if source.url in first_seen:
            errors.append(f"{where}: duplicate feed, already listed at {first_seen[source.url]}")
            continue
        first_seen[source.url] = where
        sources.append(source)
    if errors:
        raise FeedListError("\n".join(errors))
    return sources


def parse_line(line: str, where: str, base_dir: Path) -> FeedSource:
    target, _, name = line.partition(" ")
    name = " ".join(name.split()) or None
    if "://" in target:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"unsupported URL scheme {parts.scheme!r} in {target!r} "
                             "(use http, https or a local file path)")
        if not parts.netloc:
            raise ValueError(f"URL has no host: {target!r}")
        return FeedSource(target, name, where)
    local = (base_dir / target).resolve()
    if not local.is_file():
        raise ValueError(f"not a URL and no such file: {target!r}")
    return FeedSource(str(local), name, where)
