"""Answer quality of the shipped knowledge base on question files, held to the issue's
thresholds through `eval`.

The repository's own file always runs; the shared development set runs where it exists (and
must exist under CI=true).
"""

from __future__ import annotations

import io

from assistant.cli import main
from assistant.evaluate import evaluate, load_cases
from tests.helpers import OWN_QUESTIONS, SHIPPED_KNOWLEDGE


def test_eval_meets_the_floors(question_file):
    path, answer, out_of_scope = question_file
    out = io.StringIO()
    code = main(["eval", str(path), "--knowledge", str(SHIPPED_KNOWLEDGE), "--min-answer",
                 str(answer - 1e-9), "--min-out-of-scope", str(out_of_scope - 1e-9)],
                out=out, err=io.StringIO())
    assert code == 0, out.getvalue()


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
    assert kinds == {"answer", "out_of_scope", "urgent", "smalltalk"}
