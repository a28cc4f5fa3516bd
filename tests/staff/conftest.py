"""Fixtures for the staff page tests: a private knowledge copy and store, a password, AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import Store
from tests.helpers import copy_knowledge
from tests.staff.helpers import PASSWORD, log_in, open_staff


@pytest.fixture(autouse=True)
def kb_dir(tmp_path, monkeypatch) -> Path:
    """Every test edits its own copy of the knowledge folder, with its own store and password."""
    folder = copy_knowledge(tmp_path / "knowledge")
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(folder))
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "data" / "assistant.db"))
    monkeypatch.setenv("ASSISTANT_STAFF_PASSWORD", PASSWORD)
    return folder


@pytest.fixture
def store(kb_dir) -> Store:
    return Store()


@pytest.fixture
def staff_page() -> AppTest:
    """The staff page, signed in."""
    return log_in(open_staff())
