"""Editor's notes: one hand-written Markdown file a day, ``docs/<notes_dir>/YYYY-MM-DD.md``.

A note is not a post: it has no page of its own (``digest-build.yml`` leaves the folder out
of the build) and is on no list of articles; its text leads that day's digest page, and the
front page while that day is the latest edition. Front matter is optional and holds the
heading (``title:``); the body is the editor's Markdown. The nightly job never writes here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path

from digest.store import frontmatter
from digest.store.frontmatter import FrontMatterError, line_of
from digest.store.posts import PostProblem

NOTE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.md$")
NOTE_KEYS = {"title"}


@dataclass(frozen=True)
class Note:
    src: str            # path relative to docs_dir: "notes/2026-12-01.md"
    day: date_type
    title: str          # the heading; "" for none
    text: str           # the Markdown body


def parse_note(text: str, src: str, shown: str) -> tuple[Note | None, list[PostProblem]]:
    match = NOTE_NAME.match(Path(src).name)
    if not match:
        return None, [PostProblem(f"{shown}:1", "not a note's file name: a note is named by its "
                                                "day, like 2026-12-01.md")]
    try:
        day = date_type(*(int(part) for part in match.groups()))
    except ValueError:
        return None, [PostProblem(f"{shown}:1", f"not a day: {Path(src).stem}")]
    front, body = frontmatter.split(text)
    meta = {}
    if front.strip():
        try:
            meta = frontmatter.load(front)
        except FrontMatterError as exc:
            mark = getattr(exc, "problem_mark", None)
            return None, [PostProblem(f"{shown}:{mark.line + 2 if mark else 1}",
                                      f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")]
        if not isinstance(meta, dict):
            return None, [PostProblem(f"{shown}:2", "front matter must be key: value lines")]
    problems = []
    title = meta.get("title", "")
    if not isinstance(title, str):
        problems.append(PostProblem(f"{shown}:{line_of(front, 'title')}",
                                    f"title: expected text, got {title!r}"))
        title = ""
    for key in sorted(set(meta) - NOTE_KEYS, key=str):
        problems.append(PostProblem(f"{shown}:{line_of(front, str(key))}",
                                    f"{key}: not a note's key (a note has only title:)", False))
    if not body.strip() and not title.strip():
        problems.append(PostProblem(f"{shown}:1", "the note is empty: it is not shown", False))
        return None, problems
    return Note(src=src, day=day, title=title.strip(), text=body.strip("\n")), problems


def load_notes(docs_dir: Path, notes_dir: str) -> tuple[dict[date_type, Note], list[PostProblem]]:
    """Every readable note by its day, and every problem with the file and line."""
    root = docs_dir / notes_dir
    notes, problems = {}, []
    for path in sorted(root.glob("*.md")) if root.is_dir() else ():
        src = path.relative_to(docs_dir).as_posix()
        shown = path.relative_to(docs_dir.parent).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(PostProblem(f"{shown}:1", f"not UTF-8 text ({exc.reason})"))
            continue
        note, found = parse_note(text, src, shown)
        problems += found
        if note is not None:
            notes[note.day] = note
    return notes, problems
