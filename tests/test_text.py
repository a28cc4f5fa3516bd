"""The one tokeniser: normalisation, stop words, stemming, synonyms and typo tolerance."""

from __future__ import annotations

import pytest

from assistant.retrieval import tokenizer_for
from assistant.text import (
    Remembered,
    Tokenizer,
    other_language,
    specificity,
    stem,
    strip_controls,
    words,
)


@pytest.fixture(scope="module")
def tok(knowledge):
    return tokenizer_for(knowledge)


@pytest.mark.parametrize("text, expected", [
    ("Café MASSAGE", ["cafe", "massage"]),
    ("can't sleep", ["cant", "sleep"]),
    ("non-invasive", ["non", "invasive"]),
    ("It\u2019s “creepy”", ["its", "creepy"]),
    ("ｆｕｌｌ－ｗｉｄｔｈ", ["full", "width"]),
    ("🦵😩❓", []),
])
def test_words(text, expected):
    assert words(text) == expected


def test_words_of_a_remembered_text_are_a_fresh_list_each_time():
    first = words("Massage for restless legs")
    first.append("changed")
    assert words("Massage for restless legs") == ["massage", "for", "restless", "legs"]


def test_a_tokenisers_remembered_spellings_and_terms_are_fresh_lists_each_time(tok):
    text = "resltess legs and sweedish massge"
    spelled, terms = tok.spelled(text), tok.terms(text)
    spelled.clear()
    terms.clear()
    assert tok.spelled(text) == ["restless", "legs", "and", "swedish", "massage"]
    assert [t.word for t in tok.terms(text)] == ["restless", "legs", "swedish", "massage"]


def test_remembered_values_are_bounded_and_the_oldest_unused_goes_first():
    remembered = Remembered(2)
    remembered.put("a", 1)
    remembered.put("b", 2)
    assert remembered.get("a") == 1
    remembered.put("c", 3)
    assert (remembered.get("a"), remembered.get("b"), remembered.get("c")) == (1, None, 3)


def test_a_remembered_value_is_made_once():
    made = []
    remembered = Remembered(2)
    for _ in range(3):
        assert remembered.get_or_make("a", lambda key: made.append(key) or key.upper()) == "A"
    assert made == ["a"]


def test_strip_controls_removes_invisible_characters():
    assert strip_controls("a\x00b\u200bc\td\ne") == "abc d e"


@pytest.mark.parametrize("typo, meant", [
    ("massge", "massage"), ("sweedish", "swedish"), ("resltess", "restless"),
    ("syndrme", "syndrome"), ("relexology", "reflexology"), ("relexology", "reflexology"),
])
def test_typos_are_read_as_the_knowledge_base_word(tok, typo, meant):
    assert tok.correct(typo) == meant


@pytest.mark.parametrize("word", ["house", "mess", "magnesium", "parking", "dog"])
def test_real_english_words_are_never_corrected(tok, word):
    assert tok.correct(word) in (None, word)


def test_typo_question_gets_the_same_tokens_as_the_correct_one(tok):
    assert tok.tokens("resltess leg syndrom and sweedish massge") == \
        tok.tokens("restless leg syndrome and swedish massage")


@pytest.mark.parametrize("lay, article", [
    ("creepy crawly legs", "crawling legs"),
    ("charley horse", "cramps"),
    ("a rubdown", "a massage"),
    ("Willis-Ekbom disease", "restless leg syndrome"),
])
def test_lay_words_mean_the_article_words(tok, lay, article):
    assert tok.tokens(lay) == tok.tokens(article)


def test_synonyms_apply_to_passages_too(tok):
    # One tokeniser: the passage's "reduction" and the visitor's "reduce" meet.
    assert sorted(tok.tokens("stress reduction")) == sorted(tok.tokens("reduce stress"))


def test_stop_words_and_filler_are_dropped(tok):
    assert tok.tokens("Can you tell me what exactly is the thing") == []


def test_longest_synonym_phrase_wins():
    t = Tokenizer({"blood flow": "circulation", "flow": "stream"})
    assert t.expand(["blood", "flow", "flow"]) == ["circulation", "stream"]


def test_passage_words_are_never_changed_by_typo_correction(knowledge, tok):
    for passage in knowledge.passages:
        for word in words(passage.text):
            assert tok.correct(word) == word


@pytest.mark.parametrize("common, rare", [("time", "cramps"), ("problem", "reflexology"),
                                          ("see", "magnesium")])
def test_common_words_say_less_than_rare_ones(common, rare):
    assert specificity(common) < specificity(rare)


@pytest.mark.parametrize("text", [
    "je veux mourir",
    "quiero morir, ya no puedo más",
    "ayaw ko nang mabuhay",
    "mon père a la bouche de travers",
    "我想死",
    "Я хочу умереть",
])
def test_a_message_in_another_language_is_told(text):
    assert other_language(text)


@pytest.mark.parametrize("text", [
    "can massage help my restless legs",
    "wat is rls lol",
    "my legs r killin me tbh",
    "Willis-Ekbom disease massage?",
    "does effleurage help rls",
    "reflexology?",
    "",
])
def test_english_with_typos_slang_or_unknown_words_is_english(text):
    assert not other_language(text)


def test_a_device_named_after_what_it_does_keeps_its_own_stem():
    assert stem("massager") == stem("massagers") != stem("massage") == stem("massages")
    assert stem("consider") == stem("considering")


def test_words_that_only_join_or_count_are_no_topic(tok):
    # "several" shares its stem with "severity"; "despite" says nothing of what is asked.
    assert tok.tokens("sleep despite pain for several months") == \
        tok.tokens("sleep pain for months")
    assert tok.tokens("the severity varies") == [stem("severity"), stem("varies")]


def test_everyday_words_for_feelings_read_as_stress(tok):
    assert tok.tokens("how does massage help emotionally") == \
        tok.tokens("how does massage help stress")
    assert tok.tokens("my mood") == tok.tokens("my stress")


def test_runs_are_the_content_words_standing_side_by_side(tok):
    assert tok.runs("a leg massage for better sleep") == [["leg", "massag"], ["sleep"]]
    assert tok.runs("a rubdown of the legs") == [["massag"], ["leg"]]  # synonyms read first
