"""Fixtures shared by the tests: a private copy of the knowledge base, a private store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A copy of the repository's knowledge folder (without its history) that a test may edit."""
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
