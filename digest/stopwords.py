"""Stop words, for every module that compares text: the `stop-words` package's lists.

One owner, so dedupe (are two titles the same story?) and related articles (what is a post
about?) drop the same words. At the top of the package because both ingest and the site use
it, and neither side may import the other.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from stop_words import get_stop_words

# The Latin-script languages of the feeds we read, whose stop words any title may contain.
LATIN_LANGUAGES = ("english", "german", "hungarian", "french", "spanish", "italian", "dutch",
                   "portuguese")


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """One language's stop words, NFKC-normalised and case-folded like the words compared."""
    return frozenset(unicodedata.normalize("NFKC", word).casefold()
                     for word in get_stop_words(language))


@lru_cache(maxsize=None)
def any_latin_language() -> frozenset[str]:
    """The stop words of every language in ``LATIN_LANGUAGES``: for text of unknown language."""
    return frozenset().union(*(stop_words(language) for language in LATIN_LANGUAGES))
