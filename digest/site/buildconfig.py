"""``digest-build.yml``: the MkDocs settings ``digest pages`` writes, for what the build leaves out.

An editor unpublishes a post with ``draft: true`` in its front matter, but MkDocs (and
Zensical) only leave files out by path patterns in the config: ``exclude_docs`` (never built,
not even by ``mkdocs serve``) and ``draft_docs`` (left out of ``mkdocs build``, previewed by
``mkdocs serve`` with a DRAFT mark). So the pages step writes those patterns into this file,
next to ``mkdocs.yml``, and ``mkdocs.yml`` starts with ``INHERIT: digest-build.yml``; both
MkDocs 1.6 and Zensical read ``INHERIT`` and both patterns. No hook is involved, so the same
``docs/`` builds the same way with either.

- ``draft_docs``: every post with ``draft: true``; ``digest serve`` still shows them.
- ``exclude_docs``: the editor's notes folder: a note's text leads its day's digest page,
  it is not a page of its own; and the posts published compact (``budget.py``), by folder so
  the patterns stay few at any archive size: ``/posts/2025/01/**/*.md`` for a month (or
  ``/posts/2025/02/03/*.md`` for a day), then ``!/posts/2025/01/05/x.md`` for each post in
  there that keeps its page (an edited one, a draft). gitignore re-includes a file whose
  folder is not itself excluded, which is why the patterns name ``*.md`` files, not folders.
  A file there that is no readable post (broken front matter) is left out too; ``digest
  check`` reports it.

The file is a build output like the listing pages (git-ignored, rewritten on every run).
A ``draft_docs`` or ``exclude_docs`` in ``mkdocs.yml`` itself would replace these (``digest
check`` says so).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from digest.store.posts import Post

BUILD_CONFIG = "digest-build.yml"
_SPECIAL = re.compile(r"([\\*?\[\]!#])")


def gitignore_path(src: str) -> str:
    """A pattern matching exactly the file ``src`` (relative to docs_dir), anchored at the root.

    Pattern characters in a hand-written file's name are escaped, and so is a trailing space,
    which gitignore would otherwise drop.
    """
    pattern = "/" + _SPECIAL.sub(r"\\\1", src)
    return pattern[:-1] + "\\ " if pattern.endswith(" ") else pattern


def _usable(src: str) -> bool:
    return "\n" not in src and "\r" not in src


def compact_patterns(compact: frozenset[str], srcs: list[str]) -> list[str]:
    """Patterns leaving out every post in ``compact`` and none of the other ``srcs`` (every
    post on disk, drafts too): per month, or per day where that makes fewer lines."""
    if not compact:
        return []
    by_folder: dict[str, list[str]] = defaultdict(list)
    for src in srcs:
        if _usable(src):
            by_folder[posixpath.dirname(src)].append(src)
    months: dict[str, list[str]] = defaultdict(list)
    for folder in {posixpath.dirname(src) for src in compact}:
        months[posixpath.dirname(folder)].append(folder)
    lines = []
    for month in sorted(months):
        folders = sorted(months[month])
        kept_in = {folder: sorted(src for src in by_folder[folder] if src not in compact)
                   for folder in folders}
        under_month = sorted(src for folder, members in by_folder.items()
                             if folder == month or folder.startswith(month + "/")
                             for src in members if src not in compact)
        by_day = sum(1 + len(kept) for kept in kept_in.values())
        if 1 + len(under_month) < by_day:
            lines.append(gitignore_path(month + "/") + "**/*.md")
            lines += ["!" + gitignore_path(src) for src in under_month]
        else:
            for folder in folders:
                lines.append(gitignore_path(folder + "/") + "*.md")
                lines += ["!" + gitignore_path(src) for src in kept_in[folder]]
    return lines


def build_config(drafts: list[Post], notes_dir: str, compact: frozenset[str] = frozenset(),
                 srcs: list[str] = ()) -> str:
    """The build config: drafts and notes left out, and the compact posts (``srcs`` are all
    posts on disk, so that the ones kept in a compact folder are named back in)."""
    lines = [
        "# Written by `digest pages` (mkdocs.yml inherits it): what the build leaves out.",
        "# Edit the posts (draft: true) or extra.digest.notes_dir, not this file.",
        "exclude_docs: |",
        f"  {gitignore_path(notes_dir.strip('/') + '/')}",
    ]
    lines += [f"  {line}" for line in compact_patterns(compact, list(srcs))]
    # A path with a line break cannot be a pattern line; such a post stays out of the
    # listings, and digest check reports its name.
    paths = sorted(post.src for post in drafts if _usable(post.src))
    if paths:
        lines.append("draft_docs: |")
        lines += [f"  {gitignore_path(src)}" for src in paths]
    return "\n".join(lines) + "\n"
