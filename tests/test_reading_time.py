"""digest.reading_time: one rate and one word count for ingest and the site."""

from __future__ import annotations

from digest.reading_time import WORDS_PER_MINUTE, count_words, minutes


def test_reading_time_is_whole_minutes_and_at_least_one():
    assert WORDS_PER_MINUTE == 200
    assert minutes(0) == minutes(1) == minutes(200) == 1
    assert minutes(201) == 2


def test_words_not_markup():
    assert count_words("One two. Three") == 3
    assert count_words("- one\n- two\n\n— three —") == 3            # list markers and dashes are not words
    assert count_words("[x](" + "https://a.example/" * 500 + ") <img src='y'>") == 1
    assert count_words("l'été 2026, ") == 2
