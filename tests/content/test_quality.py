"""Answer quality of the shipped knowledge base on question files, held to the issue's
thresholds as `eval --min-answer --min-out-of-scope` holds them (the same `problems`), on the
session's engine: building one takes seconds, evaluating a file a fraction of one.

The repository's own file always runs; the shared development set runs where it exists (and
must exist under CI=true).
"""

from __future__ import annotations

from assistant.evaluate import evaluate, format_report, load_cases, problems
from tests.helpers import OWN_QUESTIONS


def test_eval_meets_the_floors(question_file, engine):
    path, answer, out_of_scope = question_file
    report = evaluate(load_cases(path), engine, path=path)
    assert problems(report, answer - 1e-9, out_of_scope - 1e-9) == [], format_report(report)


def test_every_urgent_clinic_and_smalltalk_case_is_right(question_file, engine):
    report = evaluate(load_cases(question_file[0]), engine)
    wrong = [r.case.q for r in report.results
             if r.case.kind in ("urgent", "clinic", "smalltalk", "support") and not r.right]
    assert wrong == []


def test_engine_beats_the_naive_baseline(question_file, engine):
    report = evaluate(load_cases(question_file[0]), engine)
    assert report.score("answer") > report.score("answer", results=report.baseline) + 0.3


def test_own_question_file_has_every_kind_and_enough_cases():
    cases = load_cases(OWN_QUESTIONS)
    kinds = {c.kind for c in cases}
    assert len(cases) >= 60
    assert kinds == {"answer", "out_of_scope", "clinic", "urgent", "smalltalk"}
