"""Fixtures for the visitor chat tests: a private store, the shipped knowledge, AppTest helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import Store

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Store:
    """Every test gets its own SQLite store and reads the shipped knowledge by default."""
    path = tmp_path / "assistant.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    return Store(path)


@pytest.fixture
def knowledge_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the knowledge folder that the app reads, for tests that edit it."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(folder))
    return folder


def open_app() -> AppTest:
    """A new visitor session on the app (default page: the chat), after its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    """The app as a visitor first sees it."""
    return open_app()


def ask(at: AppTest, question: str) -> AppTest:
    """Type a question into the chat input and press Enter."""
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def last_reply(at: AppTest):
    """The newest assistant message."""
    replies = [m for m in at.chat_message if m.name == "assistant"]
    assert replies, "no assistant reply on the page"
    return replies[-1]


def texts(block) -> list[str]:
    """Every piece of text a block shows: markdown, captions, plain text, alerts and labels."""
    found = [m.value for m in block.markdown] + [c.value for c in block.caption]
    found += [t.value for t in block.text] + [e.value for e in block.error]
    found += [e.proto.title for e in block.error] + [e.label for e in block.expander]
    found += [b.proto.label for b in block.get("link_button")]
    return found
