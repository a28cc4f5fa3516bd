"""Answer quality on question files, held to the issue's thresholds through `eval`.

The repository's own file always runs; the shared development set runs where it exists.
"""

from __future__ import annotations

import io

import pytest

from assistant.cli import main
from assistant.evaluate import evaluate, load_cases
from tests.conftest import OWN_QUESTIONS, SHARED_QUESTIONS

THRESHOLDS = ["--min-answer", "0.90", "--min-answer3", "0.97", "--min-out-of-scope",
              str(11 / 12)]
FILES = [OWN_QUESTIONS, pytest.param(SHARED_QUESTIONS, marks=pytest.mark.skipif(
    not SHARED_QUESTIONS.exists(), reason="../shared/eval/dev-questions.yaml is not here"))]


@pytest.mark.parametrize("path", FILES)
def test_eval_meets_the_thresholds(path):
    out = io.StringIO()
    code = main(["eval", str(path), *THRESHOLDS], out=out, err=io.StringIO())
    assert code == 0, out.getvalue()


@pytest.mark.parametrize("path", FILES)
def test_every_urgent_and_smalltalk_case_is_right(path, engine):
    report = evaluate(load_cases(path), engine)
    wrong = [r.case.q for r in report.results
             if r.case.kind in ("urgent", "smalltalk") and not r.right]
    assert wrong == []


@pytest.mark.parametrize("path", FILES)
def test_engine_beats_the_naive_baseline(path, engine):
    report = evaluate(load_cases(path), engine)
    assert report.score("answer") > report.score("answer", results=report.baseline) + 0.3


def test_own_question_file_has_every_kind_and_enough_cases():
    cases = load_cases(OWN_QUESTIONS)
    kinds = {c.kind for c in cases}
    assert len(cases) >= 60
    assert kinds == {"answer", "out_of_scope", "urgent", "smalltalk"}
