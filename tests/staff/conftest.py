"""Fixtures for the staff page tests: a private knowledge copy and store, a password, AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import signin
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


class Clock:
    """A monotonic clock a test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    """A fresh process-wide sign-in limiter per test, on a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(signin, "LIMITER", signin.Limiter(clock=clock))
    return clock
