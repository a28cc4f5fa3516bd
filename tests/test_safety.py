"""Red flags: tiers, unless-masks, sample checks, and what urgent and support replies contain."""

from __future__ import annotations

import pytest

from assistant.knowledge import SafetyRule, load_knowledge
from assistant.safety import RedFlags
from tests.conftest import KNOWLEDGE


def rule(id: str, triggers, *, tier="urgent", unless=(), must=("x",), must_not=("y",),
         reach="sentence"):
    return SafetyRule(id=id, title=id, triggers=tuple(triggers), message=f"{id} message",
                      must_trigger=tuple(must), must_not_trigger=tuple(must_not), tier=tier,
                      unless=tuple(unless), reach=reach)


FLAGS = RedFlags([
    rule("harm", ["kill myself | end it all"], unless=["killing me"]),
    rule("chest", ["chest + pain"]),
    rule("distress", ["cant take this"], tier="support"),
])


@pytest.mark.parametrize("text, urgent, support", [
    ("I want to end it all", "harm", None),
    ("my legs are killing me", None, None),
    ("my legs are killing me and I want to end it all", "harm", None),
    ("I can't take this anymore", None, "distress"),
    ("I can't take this, I want to kill myself", "harm", "distress"),
    ("chest pain. Also I want to kill myself", "harm", None),   # first urgent rule in file order
    ("massage for my calves?", None, None),
])
def test_check_gives_the_urgent_and_the_support_rule(text, urgent, support):
    flags = FLAGS.check(text)
    assert (getattr(flags.urgent, "id", None), getattr(flags.support, "id", None)) == \
        (urgent, support)


def test_a_rule_that_reaches_the_whole_message_joins_its_sentences():
    flags = RedFlags([rule("wide", ["sorted my things + wont need them"], reach="message"),
                      rule("narrow", ["chest + pain"])])
    assert flags.check("I sorted my things. I wont need them after Friday.").matched == ("wide",)
    assert flags.check("My chest is fine. The pain is in my calf.").matched == ()


def test_an_unless_mask_only_hides_words_from_its_own_rule():
    flags = RedFlags([rule("a", ["killing me"], unless=["killing me"]), rule("b", ["killing me"])])
    assert flags.check("this is killing me").matched == ("b",)


# --- the shipped rules (content) -------------------------------------------------------------

RULES = load_knowledge(KNOWLEDGE).safety
MUST = [(r.id, s) for r in RULES for s in r.must_trigger]
MUST_NOT = [s for r in RULES for s in r.must_not_trigger]
URGENT_SAMPLES = [(r.id, s) for r in RULES if r.tier == "urgent" for s in r.must_trigger]


@pytest.mark.parametrize("rule_id, sample", MUST)
def test_rule_samples_trigger_their_rule(engine, rule_id, sample):
    assert rule_id in engine.triage.red_flags.check(sample).matched


@pytest.mark.parametrize("sample", MUST_NOT)
def test_counter_samples_trigger_nothing(engine, sample):
    answer = engine.ask(sample)
    assert answer.status != "urgent" and not answer.support


@pytest.mark.parametrize("rule_id, sample", URGENT_SAMPLES[::3])
def test_urgent_reply_is_the_alert_and_nothing_else(engine, rule_id, sample):
    answer = engine.ask(sample)
    assert answer.status == "urgent"
    assert answer.citations == () and answer.referral == "" and answer.disclaimer == ""
    assert answer.answer == answer.body
    assert "massage" not in answer.answer.lower()
    first_line = answer.body.splitlines()[0]
    assert "911" in first_line or "988" in first_line or "doctor" in first_line
    assert answer.to_dict()["support"] is None


def test_self_harm_reply_gives_988_and_911(engine):
    body = engine.ask("I'm thinking about killing myself").body
    assert "988" in body and "911" in body


def test_support_line_comes_above_a_normal_reply(engine):
    answer = engine.ask("I can't take this anymore. What is Swedish massage?")
    assert answer.status == "answered" and "988" in answer.support
    assert answer.answer.startswith(answer.support)
    assert answer.to_dict()["support"] == answer.support
