"""Paths and small helpers shared by the test folders (fixtures live in the conftest files).

Code tests run on the small knowledge base in tests/fixtures/knowledge, so a staff edit to the
shipped knowledge base never breaks them; tests/content/ checks the shipped one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KNOWLEDGE = FIXTURES / "knowledge"
BROKEN = FIXTURES / "broken"
SHIPPED_KNOWLEDGE = ROOT / "knowledge"
OWN_QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
REAL_QUESTIONS = ROOT / "tests" / "data" / "real-questions.yaml"
CONVERSATIONS = ROOT / "tests" / "data" / "conversations.yaml"
BLIND_QUESTIONS = ROOT / "bench" / "blind-questions.yaml"
SHARED_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.yaml"
SHARED_REAL_QUESTIONS = ROOT.parent / "shared" / "eval" / "real-questions-dev.yaml"


def copy_knowledge(target: Path, source: Path = KNOWLEDGE) -> Path:
    """A writable copy of a knowledge folder (its history left out); returns `target`."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("history"))
    return target


def missing(what: str, enable: str) -> None:
    """Skip a test that needs something this machine lacks; under CI=true, fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing and CI=true: {enable}", pytrace=False)
    pytest.skip(f"{what} is missing: {enable}")
