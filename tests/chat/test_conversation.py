"""The chat's plain logic: turns in a mapping, chips, what is logged, votes, links."""

from __future__ import annotations

import pytest

from ui.conversation import (
    SUGGESTIONS,
    Conversation,
    cited_ids,
    emergency_lines,
    is_blank,
    offers_related,
    phone_href,
    should_log_unanswered,
    suggestions,
    vote_from_thumbs,
)


def record(question: str, status: str = "answered", ids=()) -> dict:
    return {"question": question, "status": status,
            "citations": [{"id": passage_id} for passage_id in ids]}


def test_a_conversation_keeps_turns_as_plain_data_in_the_mapping():
    state: dict = {}
    chat = Conversation(state)
    first = chat.add(record("What is RLS?"))
    chat.add(record("and at night?"))
    assert state["turns"][0] == {"id": 0, "record": record("What is RLS?"), "vote": None}
    assert first is state["turns"][0]
    assert chat.history() == ["What is RLS?", "and at night?"]


def test_the_next_question_has_a_place_only_among_those_the_page_drew():
    chat = Conversation({})
    assert chat.place_for_next() is None  # no page drawn yet
    chat.add(record("a"))
    assert list(chat.make_places(2)) == [1, 2]
    assert chat.place_for_next() == 1
    chat.add(record("b"))
    assert chat.place_for_next() == 2
    chat.add(record("c"))
    assert chat.place_for_next() is None  # the page is drawn again, with new places
    assert list(chat.make_places(2)) == [3, 4] and chat.place_for_next() == 3
    chat.clear()
    assert chat.place_for_next() is None


def test_clearing_forgets_turns_and_pending_questions_but_never_reuses_ids():
    chat = Conversation({})
    chat.add(record("a"))
    chat.ask_later("b")
    chat.clear()
    assert chat.turns == [] and chat.history() == [] and chat.take_pending() is None
    assert chat.add(record("c"))["id"] == 1


def test_a_pending_question_is_taken_once():
    chat = Conversation({})
    chat.ask_later("What is reflexology?")
    assert chat.take_pending() == "What is reflexology?"
    assert chat.take_pending() is None


def test_only_the_first_vote_on_a_turn_counts():
    chat = Conversation({})
    turn = chat.add(record("q"))
    assert chat.vote(turn["id"], None) is None
    assert chat.vote(turn["id"], 1) is turn and turn["vote"] == 1
    assert chat.vote(turn["id"], -1) is None and turn["vote"] == 1
    assert chat.vote(99, 1) is None


@pytest.mark.parametrize(("text", "blank"), [
    (None, True), ("", True), ("  \n\t", True), ("hi", False), (" ? ", False),
])
def test_is_blank(text, blank):
    assert is_blank(text) is blank


@pytest.mark.parametrize(("rec", "logged"), [
    (record("How much does a massage cost?", "no_match"), True),
    (record("", "no_match"), False),
    (record("???", "no_match"), False),
    (record("my chest hurts", "urgent"), False),
    (record("hello", "smalltalk"), False),
    (record("What is RLS?", "answered"), False),
])
def test_which_replies_are_logged_as_unanswered(rec, logged):
    assert should_log_unanswered(rec) is logged


def test_cited_ids_follow_the_markers():
    assert cited_ids(record("q", ids=["b", "a"])) == ["b", "a"]


@pytest.mark.parametrize(("thumbs", "vote"), [(1, 1), (0, -1), (None, None)])
def test_thumbs_become_store_votes(thumbs, vote):
    assert vote_from_thumbs(thumbs) == vote


@pytest.mark.parametrize(("phone", "href"), [
    ("780 555-0100", "tel:7805550100"),
    ("(780) 555.0100", "tel:7805550100"),
    ("+1 780 555 0100", "tel:+17805550100"),
])
def test_phone_links(phone, href):
    assert phone_href(phone) == href


def test_emergency_lines_follow_each_safety_message(engine):
    messages = {rule.id: rule.message for rule in engine.knowledge.safety}
    assert emergency_lines(messages["blood-clot"]) == ["Emergency: 911", "Health Link: 811"]
    assert emergency_lines(messages["self-harm"]) == [
        "Suicide Crisis Helpline: 988", "Emergency: 911", "Health Link: 811"]
    assert emergency_lines("no numbers; 9110 is not one") == []


def test_suggestions_leave_out_questions_the_article_does_not_answer(engine):
    candidates = ["What is Swedish massage?", "How much does a massage cost?", "hello"]
    assert suggestions(engine, candidates) == ["What is Swedish massage?"]
    assert suggestions(engine, SUGGESTIONS, limit=2) == list(SUGGESTIONS[:2])
    assert 1 <= len(suggestions(engine)) <= len(SUGGESTIONS)


@pytest.mark.parametrize(("status", "support", "related", "offered"), [
    ("answered", "", ["What is reflexology?"], True),
    ("no_match", "", ["What is reflexology?"], True),
    ("answered", "", [], False),
    ("clinic", "", ["What is reflexology?"], False),
    ("smalltalk", "", ["What is reflexology?"], False),
    ("urgent", "", ["What is reflexology?"], False),
    ("no_match", "It sounds like a lot right now.", ["What is reflexology?"], False),
])
def test_related_questions_follow_answers_and_not_covered_replies_only(
        status, support, related, offered):
    assert offers_related(dict(record("q", status), support=support, related=related)) is offered
