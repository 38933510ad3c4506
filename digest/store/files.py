"""Atomic, idempotent file writes: the only way digest puts a file on disk.

A temp file is renamed over the target, so a reader (or a run killed half-way) sees the old
file or the new one, never half of one; an unchanged file is not touched at all, so a rerun
with nothing new leaves git with nothing to commit.

Where the temp file lives: a run holding the site lock (``digest.store.lock``) creates a scratch
folder ``.digest-tmp/`` in the site's root, and every write below the root puts its temp file
there, so a run killed by SIGKILL mid-write leaves no stray file in ``docs/`` (only in the
git-ignored scratch folder, which the next run empties). Without a scratch folder (a library
call outside a run) the temp file sits beside the target, which is just as atomic.

``durable=True`` also flushes the file to the disk before the rename (fsync). The state file
asks for it; posts do not, each: a kill needs no fsync (the kernel keeps what was written)
and an fsync per post cost about 4 ms here, so the pipeline syncs once after writing posts
and before saving the state, which keeps a power cut from leaving the state ahead of them.
The derived pages, rebuilt from the posts on every run, are never synced.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".digest-tmp-"
SCRATCH = ".digest-tmp"
_UMASK = os.umask(0o022)    # read once at import (umask can only be read by setting it)
os.umask(_UMASK)


def scratch_folder_for(path: Path) -> Path | None:
    """The run's scratch folder in the nearest ancestor of ``path`` that has one, if any."""
    for folder in path.parents:
        candidate = folder / SCRATCH
        if candidate.is_dir():
            return candidate
    return None


def write_atomic(path: Path, text: str | bytes, durable: bool = False) -> None:
    """Put ``text`` (or bytes, written as they are) at ``path`` through a temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_folder_for(path)
    try:
        _write_via(scratch or path.parent, path, text, durable)
    except OSError as exc:
        if scratch is None or exc.errno != errno.EXDEV:
            raise
        _write_via(path.parent, path, text, durable)   # the scratch folder is on another disk


def _write_via(folder: Path, path: Path, text: str | bytes, durable: bool) -> None:
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        binary = isinstance(text, bytes)
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_UMASK)     # mkstemp makes 0600; posts are ordinary files
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str, durable: bool = False) -> bool:
    """Write ``text`` unless the file already holds exactly that; return whether it wrote."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomic(path, text, durable)
    return True


def remove_stray_temp_files(folder: Path) -> int:
    """Temp files left by a killed run; safe to delete, nobody else names files like this."""
    count = 0
    if folder.is_dir():
        for stray in folder.rglob(TEMP_PREFIX + "*"):
            stray.unlink(missing_ok=True)
            count += 1
    return count
