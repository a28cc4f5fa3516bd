"""The shipped synonyms and vocabulary: visitors' words reach the article's words."""

from __future__ import annotations

import pytest

from assistant.retrieval import tokenizer_for
from assistant.text import words


@pytest.fixture(scope="module")
def tok(knowledge):
    return tokenizer_for(knowledge)


@pytest.mark.parametrize("typo, meant", [
    ("massge", "massage"), ("sweedish", "swedish"), ("resltess", "restless"),
    ("syndrme", "syndrome"), ("myofacial", "myofascial"), ("relexology", "reflexology"),
])
def test_typos_are_read_as_the_knowledge_base_word(tok, typo, meant):
    assert tok.correct(typo) == meant


@pytest.mark.parametrize("lay, article", [
    ("creepy crawly legs", "crawling legs"),
    ("pins and needles", "tingling"),
    ("charley horse", "cramps"),
    ("a rubdown", "a massage"),
    ("Willis-Ekbom disease", "restless leg syndrome"),
    ("jumpy legs", "restless legs"),
    ("twitchy legs", "restless legs"),
])
def test_lay_words_mean_the_article_words(tok, lay, article):
    assert tok.tokens(lay) == tok.tokens(article)


def test_passage_words_are_never_changed_by_typo_correction(knowledge, tok):
    for passage in knowledge.passages:
        for word in words(passage.text):
            assert tok.correct(word) == word
