"""Reading a message: which sentences ask, which tell a story, and what is only filler."""

from __future__ import annotations

import pytest


def asks(engine, text):
    return [a.text for a in engine.reader.read(text).asks]


def test_a_story_before_the_question_is_kept_apart(engine):
    reading = engine.reader.read("I farm and my legs ache every night. Can massage help?")
    assert [a.text for a in reading.asks] == ["Can massage help?"]
    assert reading.story == "I farm and my legs ache every night."


def test_two_questions_in_one_sentence_are_two_asks(engine):
    assert asks(engine, "what is reflexology, and how much is a session?") == [
        "what is reflexology", "how much is a session?"]


@pytest.mark.parametrize("text", [
    "Two questions: what is reflexology",
    "quick q - what is reflexology",
    "I have a question. what is reflexology",
])
def test_a_preamble_that_only_announces_questions_is_not_read(engine, text):
    assert asks(engine, text) == ["what is reflexology"]


def test_a_hedge_is_not_a_topic(engine):
    [ask] = engine.reader.read("should I try massage at this point?").asks
    assert "point" not in ask.text


def test_a_message_with_nothing_asked_is_read_as_the_ask(engine):
    reading = engine.reader.read("jittery legs when trying to sleep")
    assert [a.text for a in reading.asks] == ["jittery legs when trying to sleep"]
    assert reading.story == ""


@pytest.mark.parametrize("text", [
    "I have mild symptoms and I really don't like hard pressure. Which kind is best?",
    "i hate hard pressure, which kind is best",
    "I can't stand firm pressure so which kind is best?",
])
def test_what_the_visitor_does_not_want_is_not_what_they_ask_about(engine, text):
    reading = engine.reader.read(text)
    read = " ".join([reading.story] + [a.text for a in reading.asks]).lower()
    assert "pressure" not in read
    assert "which kind is best" in read


def test_not_wanting_medicines_still_asks_for_another_way(engine):
    reading = engine.reader.read("I don't want more pills, can massage help?")
    assert "pills" in " ".join([reading.story] + [a.text for a in reading.asks])


@pytest.mark.parametrize("text, kept", [
    ("I don't want to wear shorts. Do I have to?", "wear shorts"),
    ("I don't like wearing shorts. Do I have to?", "wearing shorts"),
    ("I hate taking off my socks. Must I?", "taking off my socks"),
    ("I don't like the music they play. Can it be changed?", "the music they play"),
])
def test_not_wanting_to_wear_something_is_what_the_visitor_asks_about(engine, text, kept):
    assert kept in engine.reader.read(text).story


def test_an_ask_that_only_points_back_takes_the_topics_of_the_sentence_before_it(engine):
    [ask] = engine.reader.read("I always feel sore after a massage. Is this normal?").asks
    assert [t.topic for t in ask.not_covered] == ["Soreness after massage"]
    answer = engine.ask("I always feel sore after a massage. Is this normal?")
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_an_ask_with_words_of_its_own_keeps_its_own_topics(engine):
    [ask] = engine.reader.read("I always feel sore after a massage. Can it help my cramps?").asks
    assert ask.not_covered == ()


def test_a_question_word_stays_with_the_question_it_starts(engine):
    assert asks(engine, "My legs ache every night. what can massage do about it") == [
        "what can massage do about it"]


def test_a_bare_why_after_a_story_is_the_strict_kind_of_question_about_it(engine):
    reading = engine.reader.read("My feet get numb at night, why?")
    assert [a.text for a in reading.asks] == ["why?"]
    assert [k.id for k in reading.asks[0].kinds] == ["explain"]
    # The same word alone, with nothing told before it, is not.
    assert engine.reader.read("why?").asks[0].kinds == ()


def test_an_ask_with_words_of_its_own_is_not_read_with_the_story(engine):
    reading = engine.reader.read("My feet get numb at night, why does swedish massage help?")
    assert "explain" not in [k.id for k in reading.asks[-1].kinds]


def test_what_is_told_before_but_and_a_question_is_story(engine):
    message = "Massages help my legs relax but can I have one while taking iron supplements?"
    reading = engine.reader.read(message)
    assert [a.text for a in reading.asks] == ["can I have one while taking iron supplements?"]
    assert reading.story == "Massages help my legs relax"
    answer = engine.ask(message)
    assert answer.status == "no_match"
    assert answer.citations == ()


def test_an_ask_for_it_after_a_story_with_restless_legs_is_answered(engine):
    """"It" may be the restless legs the story names beside a supplement tried; not covered
    only because the story also names what the article does not cover would be wrong."""
    answer = engine.ask("I've had restless legs for years and magnesium did nothing. "
                        "Can massage help with it?")
    assert answer.status == "answered"


def test_an_ask_about_the_appointment_itself_keeps_its_other_words(engine):
    ask, = engine.reader.read("How should I prepare for a massage if my legs ache?").asks
    assert ask.session == "how should i if my legs ache"
    ask, = engine.reader.read("How long does massage take to work?").asks
    assert ask.session is None


@pytest.mark.parametrize("text", ["What should I do after my massage?",
                                  "what do I avoid after a session?"])
def test_what_to_do_after_a_session_is_about_the_appointment(engine, text):
    ask, = engine.reader.read(text).asks
    assert ask.session is not None
    # Unless it names a health matter the article speaks of.
    assert engine.ask("what can I do after a massage to help my RLS at night?").status == \
        "answered"


def test_a_request_for_help_after_a_story_asks_what_helps_with_it(engine):
    message = "I have terrible restless legs. Can you help me?"
    reading = engine.reader.read(message)
    assert [a.text for a in reading.asks] == ["Can you help me?"]
    assert reading.story == "I have terrible restless legs."
    assert engine.ask(message).status == "answered"
    # Alone, it is small talk.
    assert engine.ask("Can you help?").status == "smalltalk"


def test_what_happens_if_i_do_points_back_at_the_sentence_before(engine):
    ask, = engine.reader.read("I worry I'll feel sore after a massage. What happens if I "
                              "do?").asks
    assert [t.topic for t in ask.not_covered] == ["Soreness after massage"]


def test_where_one_will_be_massaged_is_about_the_appointment(engine):
    assert engine.ask("Where will I be massaged?").status == "clinic"
    # A health matter named is read as usual.
    assert engine.ask("where do you massage for restless legs?").status == "answered"


def test_an_ask_about_paying_or_the_therapists_says_which(engine):
    ask, = engine.reader.read("Do you accept credit cards for a massage?").asks
    assert (ask.session, ask.about) == ("do you accept for a", "payment")
    ask, = engine.reader.read("Is my RMT registered?").asks
    assert (ask.session, ask.about) == ("", "therapists")
    ask, = engine.reader.read("Is reflexology different from deep tissue massage?").asks
    assert ask.session is None


def test_an_ask_with_nothing_of_its_own_follows_sentences_pointing_back_to_a_topic(engine):
    reading = engine.reader.read("I put magnesium under my pillow. I read that the effect wears "
                                 "off. Since it is not eaten, why would it wear off?")
    assert [t.topic for t in reading.asks[-1].not_covered] == ["Medication and supplements"]
    # A sentence that does not point back ends the chain: "this" is the aching legs.
    reading = engine.reader.read("I take iron pills. My legs ache at night. Is this normal?")
    assert reading.asks[-1].not_covered == ()


def test_asking_how_to_reach_something_asks_what_helps(engine):
    kinds = [k.id for k in engine.reader.kinds("How can I get a good night's sleep?")]
    assert kinds == ["treatment"]
    assert engine.reader.kinds("How do I get there?") == ()


def test_and_which_telling_more_of_the_problem_is_not_a_second_question(engine):
    reading = engine.reader.read("Could you help me with a problem that keeps me up at night, "
                                 "and which lately even comes back in the day?")
    assert len(reading.asks) == 1
    reading = engine.reader.read("Is reflexology good, and which is gentler?")
    assert len(reading.asks) == 2
