"""The unanswered questions a page at a time, each answer asked once per engine."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.store import Store
from assistant.unanswered import AnswersNow, gap_page


class CountingEngine:
    """Answers every question with no_match, counting what it was asked."""

    def __init__(self):
        self.asked: list[str] = []

    def ask(self, question: str):
        self.asked.append(question)
        return SimpleNamespace(status="no_match", citations=(), fact=None)


def test_each_question_is_asked_once_per_engine():
    answers, engine = AnswersNow(), CountingEngine()
    assert answers.outcomes(engine, ["a", "b"]) == ["no_match", "no_match"]
    assert answers.outcomes(engine, ["b", "a", "c"]) == ["no_match"] * 3
    assert engine.asked == ["a", "b", "c"]
    newer = CountingEngine()  # a save made a new engine: every answer may have changed
    answers.outcomes(newer, ["a"])
    assert newer.asked == ["a"]


def test_what_is_remembered_is_bounded():
    answers, engine = AnswersNow(limit=3), CountingEngine()
    answers.outcomes(engine, ["a", "b", "c", "d"])
    answers.outcomes(engine, ["a"])
    assert engine.asked == ["a", "b", "c", "d", "a"]


@pytest.mark.parametrize(("page", "shown", "rows"), [(1, 1, 2), (2, 2, 1), (9, 2, 1), (0, 1, 2)])
def test_a_page_of_gaps(db_path, page, shown, rows):
    store = Store()
    for question in ("foam roller?", "sauna?", "sauna?", "hot tub?"):
        store.log_unanswered(question)
    report = gap_page(store, CountingEngine(), page, per_page=2)
    assert (report.page, report.pages, report.total, len(report.rows)) == (shown, 2, 3, rows)
    assert report.rows[0].now == "no_match"


def test_without_an_engine_nothing_is_asked(db_path):
    Store().log_unanswered("sauna?")
    assert gap_page(Store(), None).rows[0].now == ""


def test_a_page_holds_at_least_one_group(db_path):
    with pytest.raises(ValueError, match="per_page must be at least 1, got 0"):
        gap_page(Store(), None, per_page=0)
