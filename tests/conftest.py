"""Shared fixtures: the shipped knowledge base, an engine over it, broken and writable copies of it,
and a store of one's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.yaml"
OWN_QUESTIONS = Path(__file__).resolve().parent / "data" / "questions.yaml"


@pytest.fixture(scope="session")
def knowledge():
    """The shipped knowledge base, loaded once."""
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(knowledge):
    """One engine over the shipped knowledge base (engines are never changed once built)."""
    return Engine(knowledge)


@pytest.fixture
def kb_copy(tmp_path):
    """A writable copy of the shipped knowledge base; returns its folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("history"))
    return target


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$ASSISTANT_DB pointed at a file of this test's own (not yet created)."""
    path = tmp_path / "data" / "assistant.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    monkeypatch.delenv("ASSISTANT_RETENTION_DAYS", raising=False)
    return path
