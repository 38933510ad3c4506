"""digest.site.terms: the index terms of a post, counted.

The fast paths (the title mapped once and weighed, the Russian stemmer only for Cyrillic
words) must give what the plain definitions give.
"""

from __future__ import annotations

from collections import Counter

import Stemmer
from hypothesis import given
from hypothesis import strategies as st

from digest.site.terms import (LANGUAGE_WORDS, TITLE_WEIGHT, TermCounter, document_language,
                               latin_language, terms_of, words)

# Stop words of several languages, so that votes are close and ties happen.
VOTERS = ["the", "and", "of", "und", "der", "nicht", "hogy", "és", "nem", "le", "et", "est",
          "el", "los", "il", "che", "het", "een", "que", "não", "news", "strike"]


@given(st.lists(st.sampled_from(VOTERS), max_size=12), st.lists(st.sampled_from(VOTERS), max_size=130))
def test_a_documents_language_counts_its_title_three_times(title, rest):
    assert document_language(title, rest) == latin_language(title * TITLE_WEIGHT
                                                            + rest[:LANGUAGE_WORDS])


def test_the_title_counts_three_times_as_if_written_out():
    documents = [("Putyin Moszkvában tárgyal", "A tárgyalás hétfőn kezdődik, mondta Putyin."),
                 ("Путин в Москве", "Переговоры начнутся в понедельник, сказал Путин."),
                 ("广州 车展 开幕", "广州车展今天开幕"),
                 ("Strike at the plant", "The strike at the plant goes on, the union said.")]
    counter = TermCounter()
    counts = counter.counts(documents).toarray()
    names = {term: column for term, column in counter.vocabulary.items()}
    for row, ((title, rest), language) in enumerate(zip(documents, counter.languages)):
        title_words, rest_words = words(title), words(rest)
        expected = Counter()
        for found, weight in ((title_words, TITLE_WEIGHT), (rest_words, 1)):
            for terms in terms_of(found, language):
                for term in terms:
                    expected[term] += weight
        assert {term: counts[row, names[term]] for term in expected} == dict(expected)
        assert counts[row].sum() == sum(expected.values())


def test_latin_words_are_stemmed_in_their_language_and_cyrillic_ones_in_russian_too():
    english, russian = Stemmer.Stemmer("english"), Stemmer.Stemmer("russian")
    found = ["strikes", "переговоры", "talks", "путина", "iphoneы"]
    assert terms_of(found, "english") == [(russian.stemWord(english.stemWord(word)),)
                                          for word in found]
