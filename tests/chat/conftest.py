"""Fixtures for the visitor chat tests: a private store, knowledge copies, the opened app."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import Store
from tests.chat.helpers import open_app
from tests.helpers import copy_knowledge


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Store:
    """Every test gets its own SQLite store (the app reads the fixture knowledge base)."""
    path = tmp_path / "assistant.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    return Store(path)


@pytest.fixture
def knowledge_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the knowledge folder that the app reads, for tests that edit it."""
    folder = copy_knowledge(tmp_path / "knowledge")
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(folder))
    return folder


@pytest.fixture
def app() -> AppTest:
    """The app as a visitor first sees it."""
    return open_app()
