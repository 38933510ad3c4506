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
  it is not a page of its own.

The file is a build output like the listing pages (git-ignored, rewritten on every run).
A ``draft_docs`` or ``exclude_docs`` in ``mkdocs.yml`` itself would replace these (``digest
check`` says so).
"""

from __future__ import annotations

import re

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


def build_config(drafts: list[Post], notes_dir: str) -> str:
    lines = [
        "# Written by `digest pages` (mkdocs.yml inherits it): what the build leaves out.",
        "# Edit the posts (draft: true) or extra.digest.notes_dir, not this file.",
        "exclude_docs: |",
        f"  {gitignore_path(notes_dir.strip('/') + '/')}",
    ]
    # A path with a line break cannot be a pattern line; such a post stays out of the
    # listings, and digest check reports its name.
    paths = sorted(post.src for post in drafts if "\n" not in post.src and "\r" not in post.src)
    if paths:
        lines.append("draft_docs: |")
        lines += [f"  {gitignore_path(src)}" for src in paths]
    return "\n".join(lines) + "\n"
