"""The impact check: which answers an edit changes, over which questions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant import Engine, editing
from assistant.errors import KnowledgeError, describe
from assistant.impact import (
    GAINED,
    LOST,
    MOVED,
    Change,
    Question,
    gather_questions,
    impact,
    outcome,
    question_bank,
    staff_questions_path,
)
from assistant.knowledge import load_knowledge
from assistant.store import Store


class FakeEngine:
    """Answers from a table: question -> passage id or status."""

    def __init__(self, table: dict[str, str]):
        self.table = table

    def ask(self, question: str):
        result = self.table[question]
        if result in ("no_match", "urgent", "smalltalk"):
            return SimpleNamespace(status=result, citations=())
        return SimpleNamespace(status="answered", citations=(SimpleNamespace(id=result),))


def fake_knowledge(**passages: list[str]):
    return SimpleNamespace(passages=[SimpleNamespace(id=pid.replace("_", "-"), questions=qs)
                                     for pid, qs in passages.items()])


@pytest.mark.parametrize(("status", "ids", "expected"), [
    ("answered", ["swedish-massage", "reflexology"], "swedish-massage"),
    ("no_match", [], "no_match"),
    ("urgent", [], "urgent"),
    ("smalltalk", [], "smalltalk"),
])
def test_outcome_is_the_first_cited_passage_or_the_status(status, ids, expected):
    answer = SimpleNamespace(status=status, citations=[SimpleNamespace(id=i) for i in ids])
    assert outcome(answer) == expected


def test_impact_lists_changed_answers_lost_ones_first():
    questions = [Question(q, f"origin {n}") for n, q in enumerate("abcdef")]
    current = FakeEngine({"a": "p1", "b": "p1", "c": "no_match", "d": "p2", "e": "urgent",
                          "f": "p3"})
    edited = FakeEngine({"a": "p1", "b": "p2", "c": "p1", "d": "no_match", "e": "p2",
                         "f": "p3"})
    assert impact(current, edited, questions) == [
        Change("d", "origin 3", "p2", "no_match", LOST),
        Change("b", "origin 1", "p1", "p2", MOVED),
        Change("e", "origin 4", "urgent", "p2", MOVED),
        Change("c", "origin 2", "no_match", "p1", GAINED),
    ]


def test_the_bank_holds_each_wording_once_with_where_it_comes_from():
    current = fake_knowledge(swedish_massage=["Is it gentle?", "How does it feel?"])
    edited = fake_knowledge(swedish_massage=["is it GENTLE", "Is hot stone good?"])
    bank = question_bank([current, edited], unanswered=["is hot stone good", "Foam roller?"],
                         rated=["Does massage help?", "foam roller"], staff=["How does it feel"])
    assert bank == [
        Question("Is it gentle?", "alternate question of passage 'swedish-massage'"),
        Question("How does it feel?", "alternate question of passage 'swedish-massage'"),
        Question("Is hot stone good?", "alternate question of passage 'swedish-massage'"),
        Question("Foam roller?", "unanswered visitor question"),
        Question("Does massage help?", "visitor question with feedback"),
    ]


def test_an_edit_to_the_real_knowledge_base_shows_what_moves(kb_copy, db_path):
    store = Store()
    store.log_unanswered("does effleurage help")
    current = load_knowledge(kb_copy)
    doc = editing.open_file(kb_copy, "passages.yaml")
    removed = next(p for p in doc.data["passages"] if p["id"] == "reflexology")
    doc.data["passages"].remove(removed)
    listing = next(p for p in doc.data["passages"] if "reflexology" in p.get("items", []))
    listing["items"].remove("reflexology")  # a passage goes from the lists it is in too
    swedish = next(p for p in doc.data["passages"] if p["id"] == "swedish-massage")
    swedish["questions"].append("Is effleurage good for restless legs?")
    edited = editing.check(kb_copy, "passages.yaml", doc.data)

    changes = impact(Engine(current), Engine(edited),
                     gather_questions([current, edited], store))

    assert Change("does effleurage help", "unanswered visitor question", "no_match",
                  "swedish-massage", GAINED) in changes
    lost = {c.question: c for c in changes if c.before == "reflexology"}
    assert sorted(lost) == sorted(removed["questions"])
    assert all(c.after != "reflexology" for c in lost.values())
    unchanged = Engine(current)
    assert impact(unchanged, unchanged, gather_questions([current], store)) == []


def test_the_staff_question_file_joins_the_bank(kb_copy, db_path):
    staff_questions_path(kb_copy).write_text(
        "cases:\n  - {q: 'Does a foam roller help?', kind: out_of_scope}\n")
    bank = gather_questions([load_knowledge(kb_copy)], Store(),
                            staff_questions_path(kb_copy))
    assert bank[-1] == Question("Does a foam roller help?", "staff question file")


def test_a_malformed_staff_question_file_is_named(kb_copy):
    path = staff_questions_path(kb_copy)
    path.write_text("cases:\n  - {q: 'Does a foam roller help?', kind: maybe}\n")
    with pytest.raises(KnowledgeError) as caught:
        gather_questions([load_knowledge(kb_copy)], None, path)
    assert describe(caught.value) == (
        f"{path}, line 2: each case needs a text 'q' and a 'kind' among answer, out_of_scope, "
        "clinic, urgent, support, harmless, smalltalk")
