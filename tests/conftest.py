"""Shared fixtures: the fixture knowledge base, an engine over it, writable copies of it, and a
store of one's own. Every test starts with the settings pointing at the fixture knowledge base
and a private database, never at the shipped files or data/assistant.db."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.safety_check import checked_knowledge
from tests.helpers import KNOWLEDGE, copy_knowledge


@pytest.fixture(scope="session")
def scratch_db(tmp_path_factory) -> Path:
    """A database for tests that do not look at what is stored."""
    return tmp_path_factory.mktemp("scratch") / "assistant.db"


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, scratch_db: Path) -> None:
    """The fixture knowledge base and a throwaway database unless a test says otherwise."""
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_DB", str(scratch_db))
    monkeypatch.delenv("ASSISTANT_RETENTION_DAYS", raising=False)
    monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD", raising=False)


@pytest.fixture(scope="session")
def knowledge():
    """The fixture knowledge base, loaded (and its safety samples replayed) once."""
    return checked_knowledge(KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(knowledge):
    """One engine over the fixture knowledge base (engines are never changed once built)."""
    return Engine(knowledge)


@pytest.fixture
def kb_copy(tmp_path):
    """A writable copy of the fixture knowledge base; returns its folder."""
    return copy_knowledge(tmp_path / "knowledge")


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$ASSISTANT_DB pointed at a file of this test's own (not yet created)."""
    path = tmp_path / "data" / "assistant.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    return path
