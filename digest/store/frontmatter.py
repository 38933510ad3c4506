"""Every front matter the project reads or writes: posts, listing pages, anything new.

Built on python-frontmatter's handler API with our own YAML loader and dumper: libyaml
(``CSafeLoader``/``CSafeDumper``, 10-12x faster than the pure-Python classes, seconds on a
big site) with the pure-Python parser as the second reader of a file libyaml rejects, so
``digest check``'s error messages are the same on every machine.

What python-frontmatter cannot serve, and why this module does it itself:
- ``frontmatter.loads``/``parse`` strip the whole text and the body (``text.strip()``,
  ``content.strip()``). A post's hash (``digest_hash``) is over its exact text and an
  editor's problems are reported by line, so reading goes through the handler's ``split``
  and ``load`` directly, never through ``loads``.
- ``loads`` also turns the metadata into keyword arguments (``Post(content, **metadata)``):
  a front matter whose keys are not text (``2026: x``) raises ``TypeError`` there, and one
  that is not a mapping at all is silently dropped; ``digest check`` must name both.
- The stock ``YAMLHandler`` splits on any ``---`` line anywhere in the file (its boundary is
  ``^-{3,}\\s*$`` with MULTILINE, and ``\\s*`` eats blank lines), and its ``format`` strips
  the result, so a body's leading blank line and final newline are lost. Our handler splits
  only on a front matter that opens the file (what MkDocs itself reads) and writes the bytes
  unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter as python_frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

# The front matter block as MkDocs reads it: a --- line first, up to the next --- line.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.DOTALL)
# What a caller catches for a front matter that is not valid YAML.
FrontMatterError = yaml.YAMLError

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml's dumper writes the same bytes as the pure-Python one, ten times faster.
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_DUMP_OPTIONS = dict(sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


class DigestYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler with exact splitting, libyaml and our dump style."""

    FM_BOUNDARY = FRONT_MATTER

    def split(self, text: str) -> tuple[str, str]:
        match = FRONT_MATTER.match(text)
        if not match:
            raise ValueError("no front matter")
        return match.group(1) or "", text[match.end():]

    def load(self, fm: str, **kwargs: object) -> Any:
        try:
            return yaml.load(fm, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            return yaml.load(fm, Loader=yaml.SafeLoader)

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return yaml.dump(metadata, Dumper=_FAST_DUMPER, **_DUMP_OPTIONS) if metadata else ""

    def format(self, post: python_frontmatter.Post, **kwargs: object) -> str:
        return f"---\n{self.export(post.metadata)}---\n{post.content}"


HANDLER = DigestYAMLHandler()


def split(text: str) -> tuple[str, str]:
    """``(front matter, body)`` exactly as in the file; ``("", text)`` when it has none.

    The front matter keeps its final newline; the body starts right after the closing ---
    line, so ``len`` and line counts add up to the file's.
    """
    try:
        return HANDLER.split(text)
    except ValueError:
        return "", text


def span(text: str) -> tuple[int, int] | None:
    """Where the front matter's YAML lies in ``text`` (between the --- lines), if it has one."""
    match = FRONT_MATTER.match(text)
    if not match or match.group(1) is None:
        return None
    return match.start(1), match.end(1)


def load(front: str) -> Any:
    """The YAML of a front matter -> Python (any YAML value: callers check it is a mapping).

    Raises ``FrontMatterError`` with the problem and its mark for a front matter that is not
    valid YAML; the mark's line counts from the first line after the opening ---.
    """
    return HANDLER.load(front)


def dump(meta: dict[str, object], body: str) -> str:
    """A Markdown file: ``meta`` as front matter (in the given key order), then ``body``.

    ``body`` is written as it is: a blank line after the front matter is the caller's.
    """
    return python_frontmatter.dumps(python_frontmatter.Post(body, HANDLER, **meta))


def append_key(text: str, key: str, value: object) -> str:
    """``text`` with ``key: value`` as the last line of its front matter (which it must have)."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise ValueError("no front matter to add to")
    # An empty front matter (``---`` twice) has no YAML span: add after the opening line.
    at = match.end(1) if match.group(1) is not None else text.index("\n") + 1
    return text[:at] + HANDLER.export({key: value}) + text[at:]


def line_of(front: str, key: str) -> int:
    """The file line of ``key:`` in the front matter (line 1 is the opening ---)."""
    for number, line in enumerate(front.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 1
