"""The retriever's own rules: coverage decides abstention, and its settings are checked."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.engine import Engine
from assistant.retrieval import Retriever, Settings, query


def test_coverage_not_score_decides_abstention(knowledge):
    # "massage" alone matches many passages; the question's own topic ("cost") is not covered.
    no_topics = dataclasses.replace(knowledge, not_covered=())
    engine = Engine(no_topics)
    q = query(engine.tokenizer.terms("How much does a massage cost?"))
    hits = engine.retriever.search(q)
    assert hits and hits[0].score > 0
    assert hits[0].coverage < engine.retriever.settings.min_coverage
    assert engine.retriever.answering(q) == []


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
        Retriever(knowledge).search({"massag": 1.0}, top_k=0)
