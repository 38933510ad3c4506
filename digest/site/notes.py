"""An editor's note on a listing page: its heading and Markdown, leading the day's digest.

The note is written relative to its own file (``notes/2026-12-01.md``), but its text is
shown on ``days/2026-12-01.md`` and on ``index.md``: a relative link in it is rebased to
the page it is shown on, so MkDocs finds (and ``--strict`` checks) the same target.
"""

from __future__ import annotations

import posixpath
import re

from digest.site.locale import Site
from digest.site.markup import md_link, md_text
from digest.store.notes import Note

INLINE_TARGET = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
REFERENCE_TARGET = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*<?)([^\s>]+)", re.MULTILINE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def rebased(markdown: str, note_src: str, page_src: str) -> str:
    """``markdown``'s relative link targets, made relative to ``page_src`` instead."""

    def target(match: re.Match) -> str:
        link = match.group(2)
        path, hash_, anchor = link.partition("#")
        if not path or SCHEME.match(link) or link.startswith("/"):
            return match.group(0)
        under_docs = posixpath.normpath(posixpath.join(posixpath.dirname(note_src), path))
        return match.group(1) + md_link(page_src, under_docs) + hash_ + anchor

    return REFERENCE_TARGET.sub(target, INLINE_TARGET.sub(target, markdown))


def relative_targets(markdown: str, src: str) -> list[tuple[str, str]]:
    """The files under docs/ that ``markdown`` (the text of ``src``) links to by relative
    path, each with the link as written."""
    targets = []
    for pattern in (INLINE_TARGET, REFERENCE_TARGET):
        for match in pattern.finditer(markdown):
            link = match.group(2)
            path = link.partition("#")[0]
            if path and not SCHEME.match(link) and not link.startswith("/"):
                targets.append((posixpath.normpath(posixpath.join(posixpath.dirname(src), path)), link))
    return targets


def note_block(site: Site, note: Note, page_src: str, level: str = "##") -> list[str]:
    """The note as Markdown lines: a heading, then the editor's text, in a marked block."""
    heading = note.title or site.t("editors_note")
    return ["", '<div class="digest-note" markdown>', "", f"{level} {md_text(heading)}", "",
            rebased(note.text, note.src, page_src), "", "</div>"]
