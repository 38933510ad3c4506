"""Stop words have one owner: the stop-words package's lists, as dedupe and related see them."""

from __future__ import annotations

from stop_words import get_stop_words

from digest.ingest.dedupe import fingerprint
from digest.stopwords import LATIN_LANGUAGES, any_latin_language, stop_words


def test_each_language_is_the_packages_list_normalised():
    assert stop_words("german") == {word.casefold() for word in get_stop_words("german")}
    assert {"der", "und", "eine"} <= stop_words("german")


def test_any_latin_language_is_the_union_of_the_lists():
    assert any_latin_language() == frozenset().union(*map(stop_words, LATIN_LANGUAGES))
    assert {"the", "és", "les", "und"} <= any_latin_language()


class _Titled:
    def __init__(self, title: str):
        self.title, self.text, self.summary = title, "", ""


def test_dedupe_drops_those_words_from_titles():
    words = fingerprint(_Titled("Die Regierung und das Parlament: the vote és a vita")).title_words
    assert words == {"regierung", "parlament", "vote", "vita"}
