"""Checks of the shipped knowledge base (knowledge/), kept apart from the code tests.

Here `knowledge` and `engine` are the shipped ones. These tests hold the content staff edit to
its promises (quality thresholds, safety samples, rankings, verbatim quotes), so a staff edit
that breaks one fails here, not in the code tests. The shared development set runs where
../shared exists; under CI=true a missing ../shared fails the run.
"""

from __future__ import annotations

import pytest

from assistant.engine import Engine
from assistant.safety_check import checked_knowledge
from tests.helpers import OWN_QUESTIONS, SHARED_QUESTIONS, SHIPPED_KNOWLEDGE, missing


@pytest.fixture(scope="session")
def knowledge():
    """The shipped knowledge base."""
    return checked_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(knowledge):
    """One engine over the shipped knowledge base."""
    return Engine(knowledge)


@pytest.fixture(params=["own", "shared"])
def question_file(request):
    """Each question file the shipped knowledge base is held to."""
    if request.param == "own":
        return OWN_QUESTIONS
    if not SHARED_QUESTIONS.exists():
        missing(str(SHARED_QUESTIONS), "put the shared eval sets next to the project (../shared)")
    return SHARED_QUESTIONS
