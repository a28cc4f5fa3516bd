"""The retriever's own rules: coverage decides abstention, and its settings are checked."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.engine import Engine
from assistant.retrieval import Retriever, Settings, query, tokenizer_for


def test_coverage_not_score_decides_abstention(knowledge):
    # "massage" alone matches many passages; the question's own topic ("cost") is not covered.
    no_topics = dataclasses.replace(knowledge, not_covered=())
    engine = Engine(no_topics)
    q = engine.retriever.query("How much does a massage cost?")
    hits = engine.retriever.search(q)
    assert hits and hits[0].score > 0
    assert hits[0].coverage < engine.retriever.settings.min_coverage
    assert engine.ask("How much does a massage cost?").status == "no_match"


def test_a_word_neither_the_article_nor_english_knows_is_left_out(knowledge):
    tokenizer = tokenizer_for(knowledge)
    terms = tokenizer.terms("xqzvt cramps")
    assert [t.word for t in terms] == ["xqzvt", "cramps"]
    assert list(query(terms, tokenizer.vocabulary)) == ["cramp"]
    assert "lead" in query(tokenizer.terms("heavy like lead"), tokenizer.vocabulary)


@pytest.mark.parametrize("bad, message", [
    ({"variant": "bm99"}, "variant must be one of ['l', 'okapi', 'plus'], got 'bm99'"),
    ({"min_coverage": 1.5}, "min_coverage must be between 0 and 1, got 1.5"),
    ({"max_citations": 0}, "max_citations must be at least 1, got 0"),
])
def test_settings_are_checked(bad, message):
    with pytest.raises(ValueError) as caught:
        Settings(**bad)
    assert str(caught.value) == message


def test_top_k_is_checked(knowledge):
    with pytest.raises(ValueError, match="top_k must be at least 1, got 0"):
        Retriever(knowledge, tokenizer_for(knowledge)).search({"massag": 1.0}, top_k=0)


def test_an_introduction_reached_as_a_neighbour_still_brings_its_list(knowledge):
    when = dataclasses.replace(knowledge.passages[0], id="when", items=(), text=(
        "If symptoms persist despite lifestyle changes, massage may offer relief. Consider "
        "scheduling a leg massage if experiencing:\n- Frequent leg discomfort.\n"
        "- Difficulty sleeping.\n"))
    kb = dataclasses.replace(knowledge, passages=(*knowledge.passages, when))
    retriever = Retriever(kb, tokenizer_for(kb))
    asked = retriever.query("symptoms persist, when to schedule a leg massage")
    unit = retriever.unit("when", asked)
    assert unit.text.endswith("if experiencing:\n- Frequent leg discomfort.\n"
                              "- Difficulty sleeping.")


def test_a_phrase_names_the_few_passages_using_its_words_side_by_side(engine):
    retriever = engine.retriever
    assert retriever.phrased("do you use long flowing strokes?") == {"swedish-massage"}
    # Apart, or split by punctuation, they are two words, not the passage's phrase.
    assert retriever.phrased("strokes that are flowing") == frozenset()
    assert retriever.phrased("is it flowing, with strokes?") == frozenset()
    # Words side by side in many passages ("massage therapy") name none.
    assert retriever.phrased("massage therapy") == frozenset()
