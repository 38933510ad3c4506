"""Parsed posts kept between runs, keyed by each file's content, so a big archive is read fast.

At a year's size (150,000 posts) reading every post's YAML costs about a minute of CPU, and a
night reads them several times (``digest fetch`` twice, ``digest pages``); only the night's
new posts are new. So each parsed result (the ``Post`` and its problems) is kept in one file,
``.digest-cache/posts.pickle`` in the site's root (git-ignored; the nightly workflow restores
and saves it with actions/cache), and used again for a file whose bytes are the same.

Why the content and not the modification time: ``git checkout`` gives every file a new mtime,
so in CI nothing would ever match; and an equal size and mtime does not prove an equal file.
The file is still read each run (to hash it); only the parsing is saved.

What keeps a cache from ever giving a wrong post:
- an entry is used only for the same path (``src`` and the ``shown`` path of its messages)
  whose bytes have the same BLAKE2b hash;
- the file carries a stamp of the code that parsed it (the source of ``posts.py`` and
  ``frontmatter.py``, PyYAML's version and loader, Python's version) and of the time zone
  that dated it: any difference is a cold run, silently, as after an upgrade;
- a checksum over the rest: a truncated, altered or foreign file is a cold run with one
  warning line, never an exception;
- it is unpickled with a list of the few classes a parsed post holds, so a planted file
  cannot run code;
- it is written atomically (``files.write_atomic``), only when something changed.

Problems are cached with their post, so a bad front matter is reported on every run, with
its file and line, whether the file was parsed this time or not.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from digest.store.files import write_atomic

FOLDER = ".digest-cache"
FILE = "posts.pickle"
# Bump when the file's layout changes; changes to parsing change the stamp by themselves.
FORMAT = 1
MAGIC = b"digest post cache\n"
_CHECKSUM = 32
# What a pickled parse result may contain besides plain values (str, int, tuple, dict...).
_ALLOWED = {
    ("digest.store.posts", "Post"), ("digest.store.posts", "PostProblem"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timezone"),
    ("datetime", "timedelta"), ("digest.store.post_cache", "_zone"),
}
# The modules whose code decides what a post parses to.
_PARSERS = ("posts.py", "frontmatter.py")


def cache_file(root: Path) -> Path:
    """Where the site rooted at ``root`` keeps its cache of parsed posts."""
    return root / FOLDER / FILE


def content_key(data: bytes) -> bytes:
    """What a file's bytes are known by in the cache."""
    return hashlib.blake2b(data, digest_size=16).digest()


def code_stamp(zone: str) -> bytes:
    """Changes whenever the same bytes could parse to something else."""
    stamp = hashlib.blake2b(digest_size=16)
    for part in (str(FORMAT), sys.version.split()[0], yaml.__version__,
                 str(hasattr(yaml, "CSafeLoader")), zone):
        stamp.update(part.encode() + b"\0")
    here = Path(__file__).parent
    for name in _PARSERS:
        stamp.update((here / name).read_bytes())
    return stamp.hexdigest().encode()


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def _dumps(value: object) -> bytes:
    """Pickled, with time zones by name: ZoneInfo's own pickling goes through
    ``builtins.getattr``, which no list of allowed classes should let in."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, ZoneInfo: lambda zone: (_zone, (zone.key,))}
    pickler.dump(value)
    return out.getvalue()


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed post")
        return super().find_class(module, name)


class PostCache:
    """The parse results of one run: what the last run kept, and what this run will keep.

    ``get`` answers from the last run's file; ``put`` records a fresh parse; ``save`` writes
    the results of every file seen this run (so deleted posts drop out), if anything changed.
    ``path`` None: a cache that keeps nothing (a library call without a site root)."""

    def __init__(self, path: Path | None, zone: str):
        self.path = path
        self.stamp = code_stamp(zone) if path else b""
        self.warning = ""
        self.kept: dict[str, tuple] = self._read() if path else {}
        self.seen: dict[str, tuple] = {}
        self.misses = 0

    def get(self, src: str, shown: str, key: bytes) -> tuple | None:
        """The ``(post, problems)`` parsed from these bytes at this path, if kept."""
        entry = self.kept.get(src)
        if entry is None or entry[0] != key or entry[1] != shown:
            return None
        self.seen[src] = entry
        return entry[2]

    def put(self, src: str, shown: str, key: bytes, result: tuple) -> None:
        self.seen[src] = (key, shown, result)
        self.misses += 1

    def save(self) -> None:
        """Write what this run saw, unless it is exactly what the file already holds."""
        if self.path is None or (not self.misses and len(self.seen) == len(self.kept)
                                 and not self.warning):
            return
        payload = _dumps(self.seen)
        checksum = hashlib.blake2b(payload, digest_size=_CHECKSUM).digest()
        try:
            write_atomic(self.path, MAGIC + self.stamp + b"\n" + checksum + payload)
        except OSError as exc:      # a read-only checkout: the run itself is fine
            print(f"warning: {self.path}: could not save the post cache ({exc.strerror})",
                  file=sys.stderr)

    def _read(self) -> dict[str, tuple]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            return self._cold(f"unreadable ({exc.strerror})")
        if not data.startswith(MAGIC):
            return self._cold("not a post cache")
        stamp, newline, rest = data[len(MAGIC):].partition(b"\n")
        if not newline or len(stamp) != len(self.stamp) or len(rest) < _CHECKSUM:
            return self._cold("damaged (cut short or overwritten)")
        if stamp != self.stamp:
            return {}               # another version of digest or another time zone: stale
        checksum, payload = rest[:_CHECKSUM], rest[_CHECKSUM:]
        if hashlib.blake2b(payload, digest_size=_CHECKSUM).digest() != checksum:
            return self._cold("damaged (its checksum does not match)")
        try:
            kept = _DataOnly(io.BytesIO(payload)).load()
        except Exception as exc:    # noqa: BLE001 - whatever a bad file raises, it is a cold run
            return self._cold(f"unreadable ({type(exc).__name__})")
        if not isinstance(kept, dict):
            return self._cold("not a post cache")
        return kept

    def _cold(self, why: str) -> dict:
        self.warning = f"{self.path}: {why}: reading every post again"
        print(f"warning: {self.warning}", file=sys.stderr)
        return {}
