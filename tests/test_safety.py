"""Red flags: tiers, unless-masks, typos, and what urgent and support replies contain (on rules
written here and the fixture knowledge base; the shipped rules are checked in tests/content)."""

from __future__ import annotations

import pytest

from assistant.compose import plain_message
from assistant.knowledge import SafetyRule
from assistant.safety import Flags, RedFlags
from assistant.text import words


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


def test_undenied_drops_the_signs_a_message_denies_and_keeps_the_rest():
    flags = RedFlags([rule("chest", ["chest + pain | tight", "not breathing"])])
    assert words(flags.undenied("No chest pain, he is not breathing")) == [
        "pain", "he", "is", "not", "breathing"]
    assert words(flags.undenied("no cough or chest pain. My calves ache")) == [
        "pain", "my", "calves", "ache"]
    told = "My chest is tight, not my legs"
    assert flags.undenied(told) == told


def test_an_unless_mask_only_hides_words_from_its_own_rule():
    flags = RedFlags([rule("a", ["killing me"], unless=["killing me"]), rule("b", ["killing me"])])
    assert flags.check("this is killing me").matched == ("b",)


@pytest.mark.parametrize("message", ["my right calf is red and swollen", "could this be a DVT",
                                     "I think I have a blood clot", "my calf is hot and tender"])
def test_red_flag_wordings_are_urgent_before_anything_else(engine, message):
    answer = engine.ask(message)
    assert (answer.status, answer.reason) == ("urgent", "blood-clot")


def test_one_typo_in_a_long_trigger_word_still_matches(engine):
    assert engine.ask("my calf is swolen and red").reason == "blood-clot"


@pytest.mark.parametrize("message", ["Can massage help with leg cramps at night?",
                                     "my legs are killing me at night"])
def test_ordinary_questions_are_not_urgent(engine, message):
    answer = engine.ask(message)
    assert answer.status != "urgent" and not answer.support


def test_urgent_reply_is_the_alert_and_nothing_else(engine):
    answer = engine.ask("my left leg is swollen, can I get it massaged?")
    assert (answer.status, answer.citations, answer.referral) == ("urgent", (), "")
    assert answer.answer == answer.body
    assert "massage" not in answer.answer.lower()
    assert "doctor" in answer.body.splitlines()[0]


def test_an_urgent_reply_is_its_rules_message(engine, knowledge):
    rule = next(r for r in knowledge.safety if r.id == "self-harm")
    body = engine.ask("I'm thinking about killing myself").body
    assert body == plain_message(rule.message, headline=True)


def test_support_line_comes_above_a_normal_reply(engine):
    answer = engine.ask("I feel hopeless. Is Swedish massage gentle?")
    assert answer.status == "answered" and "988" in answer.support
    assert answer.answer.startswith(plain_message(answer.support) + "\n\n")


def test_an_urgent_rules_sample_that_gets_only_a_support_line_is_wrong(knowledge):
    """A sample the net doubts (shown as a line above an answer) fails its urgent rule."""
    from assistant import safety

    class Doubting:
        def check(self, text):
            rule = next((r for r in knowledge.safety if text in r.must_trigger), None)
            if rule is None:
                return Flags()
            if rule.tier == "urgent":
                return Flags(None, rule, (rule.id, f"doubted:{rule.id}"))
            return Flags(None, rule, (rule.id,))

    wrong = safety.sample_errors(knowledge, Doubting())
    urgent = [r for r in knowledge.safety if r.tier == "urgent"]
    assert urgent and {(r.id, key) for r, key, _ in wrong} >= {
        (r.id, "must_trigger") for r in urgent if r.must_trigger}
    assert all(r.tier == "urgent" for r, key, _ in wrong if key == "must_trigger")
