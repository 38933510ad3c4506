"""What the published site weighs, against the budget and the per-file limit.

GitHub Pages publishes at most 1 GB and ``deploy-pages`` rejects a bigger artifact; no file
a reader downloads should be over 5 MiB (a phone on a slow network gives up first).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MiB = 2**20
FILE_LIMIT = 5 * MiB


@dataclass(frozen=True)
class SiteSize:
    bytes: int
    files: int
    largest: tuple[str, int]             # (path relative to the site, bytes)
    too_big: tuple[tuple[str, int], ...]  # files over FILE_LIMIT


def measure(site_dir: Path) -> SiteSize:
    total = count = 0
    largest, too_big = ("", 0), []
    for folder, _, names in os.walk(site_dir):
        for name in names:
            path = os.path.join(folder, name)
            size = os.stat(path).st_size
            total, count = total + size, count + 1
            relative = os.path.relpath(path, site_dir)
            if size > largest[1]:
                largest = (relative, size)
            if size > FILE_LIMIT:
                too_big.append((relative, size))
    return SiteSize(total, count, largest, tuple(sorted(too_big)))


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"
