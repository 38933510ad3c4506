"""How long a story takes to read: one rate and one way of counting words, for the whole
project. Ingest measures a feed entry's whole text (a summary-only post keeps that figure in
its front matter, since its body is only the summary); the site measures a full post's body.
"""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 200
WORD = re.compile(r"\w")
MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)")   # tags and Markdown link targets are not read


def count_words(text: str) -> int:
    """Words a reader reads in plain text or Markdown: runs between spaces with a letter or
    digit in them (a list's "-" or a lone "—" is not a word)."""
    return sum(1 for token in MARKUP.sub(" ", text).split() if WORD.search(token))


def minutes(words: int) -> int:
    """Whole minutes, at least one: "1 min read" for a short piece, never "0 min"."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
