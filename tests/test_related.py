"""Related questions: offered after a reply, each one answered by the passage it stands for."""

from __future__ import annotations

import pytest

from assistant.knowledge import Knowledge
from assistant.related import LIMIT, Related


@pytest.mark.parametrize("question", [
    "What is reflexology?", "Can massage help me sleep?", "What are the symptoms of RLS?",
    "Are leg cramps part of restless legs?",
])
def test_each_related_question_is_answered_by_a_passage_the_reply_did_not_quote(engine,
                                                                                 question):
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert 2 <= len(answer.related) <= LIMIT
    quoted = {c.id for c in answer.citations}
    for related in answer.related:
        assert related != question
        follow = engine.ask(related)
        assert follow.status == "answered"
        assert follow.citations[0].id not in quoted


def test_an_item_offers_its_list_first_then_the_other_items(engine, knowledge):
    answer = engine.ask("How does reflexology work?")
    assert [c.id for c in answer.citations] == ["reflexology"]
    offered = [engine.ask(q).citations[0].id for q in answer.related]
    assert offered[:2] == ["massage-techniques", "swedish-massage"]


def test_an_unanswered_message_offers_the_closest_answerable_questions(engine):
    answer = engine.ask("What causes restless legs?")
    assert answer.status == "no_match"
    assert answer.related
    assert all(engine.ask(q).status == "answered" for q in answer.related)


@pytest.mark.parametrize("message", ["hello", "my calf is swollen and red", "", "???"])
def test_no_related_questions_after_small_talk_an_alert_or_nothing(engine, message):
    assert engine.ask(message).related == ()


def test_the_json_contract_carries_the_related_list(engine):
    answer = engine.ask("What is reflexology?")
    assert answer.to_dict()["related"] == list(answer.related)


def test_a_passage_is_offered_only_through_a_question_that_reaches_it(knowledge: Knowledge):
    related = Related.build(knowledge, lambda q: "reflexology" if "reflexology" in q.lower()
                            else None)
    assert set(related.question) == {"reflexology"}
    assert "reflexology" in related.question["reflexology"].lower()
    assert related.after(["swedish-massage"]) == (related.question["reflexology"],)
    assert related.closest(["what-is-rls", "reflexology"],
                           asked=related.question["reflexology"]) == ()
