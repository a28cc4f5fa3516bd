"""The impact check: which answers an edit changes, over which questions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant import Engine
from assistant.editing import AddItem, RemoveEntry
from assistant.editing import impact as impact_module
from assistant.editing.impact import (
    GAINED,
    LOST,
    MOVED,
    AnswerChange,
    Question,
    impact,
    outcome,
    question_bank,
    replay,
    staff_questions,
    staff_questions_path,
)
from assistant.errors import KnowledgeError, StoreError, describe
from assistant.knowledge import load_knowledge
from assistant.store import Store
from tests.helpers import saved


class FakeEngine:
    """Answers from a table: question -> passage id or status."""

    def __init__(self, table: dict[str, str]):
        self.table = table

    def ask(self, question: str):
        result = self.table[question]
        if result in ("no_match", "urgent", "smalltalk"):
            return SimpleNamespace(status=result, citations=(), fact=None)
        return SimpleNamespace(status="answered", citations=(SimpleNamespace(id=result),),
                               fact=None)


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
    answer = SimpleNamespace(status=status, citations=[SimpleNamespace(id=i) for i in ids],
                             fact=None)
    assert outcome(answer) == expected


def test_impact_lists_changed_answers_lost_ones_first():
    questions = [Question(q, f"origin {n}") for n, q in enumerate("abcdef")]
    current = FakeEngine({"a": "p1", "b": "p1", "c": "no_match", "d": "p2", "e": "urgent",
                          "f": "p3"})
    edited = FakeEngine({"a": "p1", "b": "p2", "c": "p1", "d": "no_match", "e": "p2",
                         "f": "p3"})
    assert impact(current, edited, questions) == [
        AnswerChange("d", "origin 3", "p2", "no_match", LOST),
        AnswerChange("b", "origin 1", "p1", "p2", MOVED),
        AnswerChange("e", "origin 4", "urgent", "p2", MOVED),
        AnswerChange("c", "origin 2", "no_match", "p1", GAINED),
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
    Store().log_unanswered("does effleurage help")
    current = Engine(load_knowledge(kb_copy))
    removed = current.knowledge.passage("reflexology")
    index = [p.id for p in current.knowledge.passages].index("reflexology")
    saved(kb_copy, RemoveEntry("passages.yaml", index, "reflexology"))
    saved(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                           "Is effleurage good for restless legs?"))
    edited = Engine(load_knowledge(kb_copy))

    result = replay(kb_copy, current, edited)

    assert AnswerChange("does effleurage help", "unanswered visitor question", "no_match",
                        "swedish-massage", GAINED) in result.changes
    lost = {c.question: c for c in result.changes if c.before == "reflexology"}
    assert sorted(lost) == sorted(removed.questions)
    assert all(c.after != "reflexology" for c in lost.values())
    assert replay(kb_copy, current, current).changes == ()


def test_the_staff_question_file_joins_the_bank(kb_copy, db_path):
    staff_questions_path(kb_copy).write_text(
        "cases:\n  - {q: 'Does a foam roller help?', kind: out_of_scope}\n")
    assert staff_questions(kb_copy) == ["Does a foam roller help?"]
    engine = Engine(load_knowledge(kb_copy))
    assert replay(kb_copy, engine, engine).replayed == len(question_bank(
        [engine.knowledge], staff=["Does a foam roller help?"]))


def test_a_malformed_staff_question_file_is_left_out_and_named(kb_copy, db_path):
    path = staff_questions_path(kb_copy)
    path.write_text("cases:\n  - {q: 'Does a foam roller help?', kind: maybe}\n")
    with pytest.raises(KnowledgeError) as caught:
        staff_questions(kb_copy)
    assert describe(caught.value) == (
        f"{path}, line 2: each case needs a text 'q' and a 'kind' among answer, out_of_scope, "
        "clinic, urgent, support, harmless, smalltalk")
    engine = Engine(load_knowledge(kb_copy))
    result = replay(kb_copy, engine, engine)
    assert [describe(p) for p in result.left_out] == [describe(caught.value)]
    assert result.replayed == len(question_bank([engine.knowledge]))


def test_a_store_that_cannot_be_used_is_left_out(kb_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path))  # a folder: SQLite cannot open it
    engine = Engine(load_knowledge(kb_copy))
    result = replay(kb_copy, engine, engine)
    assert [type(p) for p in result.left_out] == [StoreError]
    assert result.replayed == len(question_bank([engine.knowledge]))


def test_only_the_most_asked_unanswered_questions_are_replayed(kb_copy, db_path, monkeypatch):
    assert impact_module.MOST_ASKED == 1000
    monkeypatch.setattr(impact_module, "MOST_ASKED", 3)
    store = Store()
    for n in range(5):
        for _ in range(n + 1):
            store.log_unanswered(f"question number {n} about foam rollers")
    engine = Engine(load_knowledge(kb_copy))
    bank = question_bank([engine.knowledge])
    result = replay(kb_copy, engine, engine)
    assert result.replayed == len(bank) + 3
