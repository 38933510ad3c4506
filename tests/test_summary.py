"""summary: whole sentences, in the article's script, within the limit."""

from __future__ import annotations

import pytest

from digest.ingest.summary import CJK_LIMIT, LIMIT, summarise

LONG_EN = ("The council voted on Tuesday to run a ferry to the islands. Dr. Ellis, who chairs the "
           "transport committee, said the U.S. operator would start in April. Tickets will cost the "
           "same as the bus fare into town, and children under five travel free. A second boat "
           "is planned for the summer, when visitor numbers double.")


def test_a_short_text_is_kept_whole():
    assert summarise("One sentence only.") == "One sentence only."


def test_a_long_text_is_cut_after_the_last_whole_sentence_that_fits():
    summary = summarise(LONG_EN)
    assert len(summary) <= LIMIT and summary.endswith("travel free.")
    assert "Dr. Ellis" in summary and "U.S. operator" in summary     # abbreviations: no cut


@pytest.mark.parametrize("text, ending", [
    ("Am 3. Oktober ist Feiertag in ganz Deutschland, und die Fähre fährt nach dem Sonntagsfahrplan. " * 4,
     "Sonntagsfahrplan."),
    ("A komp április 15-től naponta kétszer indul a szigetekre, közölte a közlekedési bizottság. " * 4,
     "bizottság."),
    ("Le conseil a voté mardi pour un ferry vers les îles ! Les billets coûteront le même prix que le bus. " * 4,
     "!"),
])
def test_sentences_end_in_the_article_language(text, ending):
    summary = summarise(text)
    assert summary.endswith(ending) and len(summary) <= LIMIT


def test_cjk_is_capped_by_characters_at_its_own_full_stops():
    text = "市议会周二投票决定开通前往岛屿的渡轮。票价与进城的公交车相同。五岁以下儿童免费乘坐。" * 6
    summary = summarise(text)
    assert len(summary) <= CJK_LIMIT and summary.endswith("。")


def test_japanese_without_full_stops_is_cut_by_characters_with_an_ellipsis():
    summary = summarise("島へのフェリー" * 60)
    assert len(summary) == CJK_LIMIT and summary.endswith("…")


def test_one_overlong_sentence_is_cut_at_a_word():
    summary = summarise("word " * 100)
    assert summary.endswith("word…") and len(summary) <= LIMIT


def test_text_the_publisher_cut_goes_back_to_its_last_sentence():
    assert summarise("The road reopened. Engineers said the wall would hold, but the […]") == "The road reopened."
    assert summarise("No sentence end at all in this one and it goes on and…") == \
        "No sentence end at all in this one and it goes on and…"


def test_urdu_full_stop_ends_a_sentence():
    text = "کونسل نے منگل کو جزیروں کے لیے فیری چلانے کے حق میں ووٹ دیا۔ " * 8
    summary = summarise(text)
    assert summary.endswith("۔") and len(summary) <= LIMIT


def test_a_long_first_sentence_is_kept_whole_up_to_half_as_much_again():
    sentence = "市议会周二投票决定开通前往岛屿的渡轮，票价与进城的公交车相同，五岁以下儿童免费乘坐，" * 4 + "第二艘船计划在夏天投入使用。"
    assert CJK_LIMIT < len(sentence) <= CJK_LIMIT * 3 // 2
    assert summarise(sentence + "游客人数将翻倍。" * 5) == sentence
