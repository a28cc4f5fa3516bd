"""The cached engine (last good version kept) and the fail-safe visitor log."""

from __future__ import annotations

import logging

from assistant.store import Store
from ui import resources, visitor_log


def test_one_engine_per_knowledge_version_and_a_new_one_after_an_edit(knowledge_copy):
    first = resources.current_serving(str(knowledge_copy))
    assert first.problem is None
    assert resources.current_serving(str(knowledge_copy)).engine is first.engine
    clinic = knowledge_copy / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("the team", "our team"),
                      encoding="utf-8")
    edited = resources.current_serving(str(knowledge_copy))
    assert edited.version != first.version and edited.engine is not first.engine
    assert "our team" in edited.engine.ask("What is RLS?").referral
    assert "the team" in first.engine.ask("What is RLS?").referral  # the old index is untouched


def test_a_broken_edit_serves_the_last_good_engine_and_logs_the_problem_once(
        knowledge_copy, caplog):
    good = resources.current_serving(str(knowledge_copy))
    (knowledge_copy / "passages.yaml").write_text("passages: [\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="ui.resources"):
        broken = resources.current_serving(str(knowledge_copy))
        again = resources.current_serving(str(knowledge_copy))
    assert broken.engine is good.engine and again.engine is good.engine
    assert broken.problem is not None
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 1 and "passages.yaml, line 2" in logged[0]


def test_a_folder_that_never_loaded_serves_no_engine(tmp_path):
    serving = resources.current_serving(str(tmp_path))
    assert serving.engine is None and serving.problem is not None


def test_the_visitor_log_stores_scrubbed_questions_and_votes(store):
    assert visitor_log.log_unanswered("Do you bill insurance? call me at 780-555-0100")
    assert visitor_log.log_vote("What is RLS?", ["what-is-rls"], -1)
    assert [g.question for g in store.gaps()] == ["Do you bill insurance? call me at [phone]"]
    assert [(v.passage_id, v.up, v.down) for v in store.votes()] == [("what-is-rls", 0, 1)]


def test_the_visitor_log_reports_store_failures_without_raising(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path))  # a folder, not a database file
    with caplog.at_level(logging.WARNING, logger="ui.visitor_log"):
        assert visitor_log.log_unanswered("How much does it cost?") is False
        assert visitor_log.log_vote("What is RLS?", [], 1) is False
    assert len(caplog.records) == 2
    assert Store(tmp_path / "other.db").count("unanswered") == 0


class CountingEngine:
    """Answers every question; counts the asks."""

    def __init__(self):
        self.asked: list[str] = []

    def ask(self, question, history=()):
        self.asked.append(question)
        return type("Reply", (), {"status": "answered"})()


def test_suggested_questions_are_asked_once_per_engine():
    first, second = CountingEngine(), CountingEngine()
    shown = resources.suggested_questions(first)
    assert resources.suggested_questions(first) == shown != []
    assert len(first.asked) == len(shown)  # not again for the second page load
    assert resources.suggested_questions(second) == shown and second.asked == first.asked
