"""One run at a time per site: ``digest fetch`` and ``digest pages`` hold the site lock.

The lock is an ``flock`` on the site's root folder itself, so there is no lock file to
commit, ignore or leave behind, and the kernel drops it when the process ends in any way
(SIGKILL included): a killed run never blocks the next one. A second run does not wait;
it stops at once with a clear message and changes nothing.

While the lock is held, the scratch folder ``.digest-tmp/`` exists in the site's root and
``files.write_atomic`` puts its temp files there instead of beside the posts.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from digest.errors import DigestError
from digest.store.files import SCRATCH, remove_stray_temp_files


class SiteBusy(DigestError):
    """Another digest run holds the site lock."""


BUSY_MESSAGE = ("another digest run is already working on the site in {root}; "
                "this run stopped without changing anything (try again when that one has finished)")


@contextmanager
def site_lock(root: Path, docs_dir: Path | None = None) -> Iterator[Path]:
    """Hold the site lock; yield the scratch folder. Leftovers of a killed run are cleared first."""
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SiteBusy(BUSY_MESSAGE.format(root=root)) from None
        scratch = root / SCRATCH
        # Whatever is in the scratch folder or named like our temp files is from a run that
        # was killed mid-write: we hold the lock, so no live run owns it.
        shutil.rmtree(scratch, ignore_errors=True)
        if scratch.is_file() or scratch.is_symlink():
            scratch.unlink()
        if docs_dir is not None:
            remove_stray_temp_files(docs_dir)
        scratch.mkdir()
        try:
            yield scratch
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        os.close(fd)    # closing the descriptor releases the lock
