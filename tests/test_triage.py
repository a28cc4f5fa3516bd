"""Red flags on the fixture rules: samples, the trigger syntax, typos, and the urgent reply."""

from __future__ import annotations

import pytest

from assistant.triage import RedFlags, parse_trigger


def test_trigger_syntax():
    assert parse_trigger("chest + pain|short of breath") == (
        (("chest",),), (("pain",), ("short", "of", "breath")))


@pytest.mark.parametrize("message", ["my right calf is red and swollen", "could this be a DVT",
                                     "I think I have a blood clot", "my calf is hot and tender"])
def test_red_flag_wordings_are_urgent_before_anything_else(engine, message):
    answer = engine.ask(message)
    assert (answer.status, answer.reason) == ("urgent", "blood-clot")


def test_one_typo_in_a_long_trigger_word_still_matches(engine):
    assert engine.ask("my calf is swolen and red").reason == "blood-clot"


def test_known_words_are_not_read_as_typos_of_trigger_words(knowledge):
    # "halves" is one letter from the trigger word "calves"; as a known word it stays itself.
    flags = RedFlags(knowledge.safety, known=frozenset({"halves"}))
    assert flags.match("both halves are swollen") is None
    assert flags.match("both calvse are swollen").id == "blood-clot"


@pytest.mark.parametrize("message", ["Can massage help with leg cramps at night?",
                                     "my legs are killing me at night"])
def test_ordinary_questions_are_not_urgent(engine, message):
    assert engine.ask(message).status != "urgent"


def test_urgent_reply_gives_numbers_first_and_never_suggests_massage(engine):
    answer = engine.ask("my left leg is swollen, can I get it massaged?")
    assert (answer.status, answer.citations) == ("urgent", ())
    assert "massage" not in answer.answer.lower()
    assert "doctor" in answer.body.splitlines()[0]
    assert answer.referral in answer.answer


def test_self_harm_reply_gives_988_and_911(engine):
    body = engine.ask("I'm thinking about killing myself").body
    assert "988" in body and "911" in body
