"""Atomic, idempotent file writes: the only way digest puts a file on disk.

A temp file in the same folder is renamed over the target, so a reader (or a run killed
half-way) sees the old file or the new one, never half of one; an unchanged file is not
touched at all, so a rerun with nothing new leaves git with nothing to commit.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".digest-tmp-"


def text_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds exactly that; return whether it wrote."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True


def remove_stray_temp_files(folder: Path) -> int:
    """Temp files left by a killed run; safe to delete, nobody else names files like this."""
    count = 0
    if folder.is_dir():
        for stray in folder.rglob(TEMP_PREFIX + "*"):
            stray.unlink(missing_ok=True)
            count += 1
    return count
