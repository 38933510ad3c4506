"""Writing the site step's outputs, and removing the ones it no longer produces.

Every output is a file derived from the posts (a listing page, a feed, a fragment), written
atomically and only when its text changed, so a rerun with nothing new touches no file.
Inside the folders the site step owns, a file it did not produce this time is stale (a day
whose last post was deleted) and is removed; anything else in docs/ belongs to editors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import DigestError
from digest.store.files import write_if_changed


class OutputClash(DigestError):
    """Two outputs of one build would be written to the same file."""

    def __init__(self, path: str, by: str):
        super().__init__(f"{path}: written twice by digest pages ({by}); two pages, feeds or "
                         "fragments have the same file name")


def add_pages(pages: dict[str, str], more: dict[str, str], by: str) -> None:
    """Add ``more`` to ``pages`` (both by path), refusing a path already taken.

    Two pages at one path (two names whose slugs meet, a listing named like an index) would
    otherwise silently keep the last one written.
    """
    for path, text in more.items():
        if path in pages:
            raise OutputClash(path, by)
        pages[path] = text


@dataclass(frozen=True)
class Outputs:
    """Everything the site step writes: file -> text, and the folders it owns."""

    files: dict[Path, str] = field(default_factory=dict)
    owned_dirs: tuple[Path, ...] = ()
    root: Path | None = None        # errors name files relative to it (the site's root)

    def add(self, path: Path, text: str, by: str) -> None:
        """Add one output; ``by`` names what produced it, for the error if the path is taken."""
        if path in self.files:
            shown = path.relative_to(self.root) if self.root and self.root in path.parents else path
            raise OutputClash(shown.as_posix(), by)
        self.files[path] = text

    def add_all(self, folder: Path, texts: dict[str, str], by: str) -> None:
        for path, text in texts.items():
            self.add(folder / path, text, by)


@dataclass
class PagesReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    budget: list[str] = field(default_factory=list)     # the size budget's lines (budget.py)


def write_outputs(outputs: Outputs) -> PagesReport:
    """Write every output that changed; remove stale files from the folders the step owns."""
    report = PagesReport()
    for path, text in outputs.files.items():
        if write_if_changed(path, text):
            report.written += 1
        else:
            report.unchanged += 1
    for folder in outputs.owned_dirs:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path not in outputs.files:
                path.unlink()
                report.removed += 1
    return report
