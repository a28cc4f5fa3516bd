"""The shipped red-flag rules: every rule's own samples, more wordings, and what an urgent reply
contains."""

from __future__ import annotations

import pytest

from assistant.safety_check import checked_knowledge
from tests.helpers import SHIPPED_KNOWLEDGE

RULES = checked_knowledge(SHIPPED_KNOWLEDGE).safety
MUST = [(rule.id, sample) for rule in RULES for sample in rule.must_trigger]
MUST_NOT = [(rule.id, sample) for rule in RULES for sample in rule.must_not_trigger]

MORE_URGENT = [
    ("blood-clot", "my right calf is red and swollen, can I get it massaged?"),
    ("blood-clot", "could this be a DVT"),
    ("blood-clot", "one leg is bigger than the other and hurts"),
    ("stroke", "my face is drooping on one side"),
    ("stroke", "suddenly my arm went weak and I can't talk properly"),
    ("chest-pain", "chest pains when I lie down with restless legs"),
    ("chest-pain", "shortness of breath and leg cramps"),
    ("self-harm", "i want to end my life, the rls never stops"),
    ("self-harm", "sometimes I think about sucide"),
]
NOT_URGENT = [
    "Can massage help with leg cramps at night?",
    "What are long flowing strokes?",
    "tingling and numbness in my feet at bedtime",
    "my legs feel heavy and tired",
    "this restless legs thing is killing me",
]


@pytest.mark.parametrize("rule_id, sample", MUST)
def test_rule_samples_trigger_their_rule(engine, rule_id, sample):
    answer = engine.ask(sample)
    assert (answer.status, answer.reason) == ("urgent", rule_id)


@pytest.mark.parametrize("rule_id, sample", MUST_NOT)
def test_rule_counter_samples_are_not_urgent(engine, rule_id, sample):
    assert engine.ask(sample).status != "urgent"


@pytest.mark.parametrize("rule_id, message", MORE_URGENT)
def test_more_wordings_are_urgent(engine, rule_id, message):
    answer = engine.ask(message)
    assert (answer.status, answer.reason) == ("urgent", rule_id)


@pytest.mark.parametrize("message", NOT_URGENT)
def test_ordinary_questions_are_not_urgent(engine, message):
    assert engine.ask(message).status != "urgent"


@pytest.mark.parametrize("rule_id, message", MORE_URGENT)
def test_urgent_reply_gives_numbers_first_and_never_suggests_massage(engine, rule_id, message):
    answer = engine.ask(message)
    assert answer.citations == ()
    assert "massage" not in answer.answer.lower()
    first_line = answer.body.splitlines()[0]
    assert "911" in first_line or "988" in first_line or "doctor" in first_line
    assert answer.referral in answer.answer


def test_self_harm_reply_gives_988_and_911(engine):
    body = engine.ask("I'm thinking about killing myself").body
    assert "988" in body and "911" in body
