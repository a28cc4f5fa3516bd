"""Fixtures for the staff page tests: a private knowledge copy and store, a password, AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import Store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def kb_dir(tmp_path, monkeypatch) -> Path:
    """Every test edits its own copy of the knowledge folder, with its own store and password."""
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("history"))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(folder))
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "data" / "assistant.db"))
    monkeypatch.setenv("ASSISTANT_STAFF_PASSWORD", PASSWORD)
    monkeypatch.delenv("ASSISTANT_RETENTION_DAYS", raising=False)
    return folder


@pytest.fixture
def store(kb_dir) -> Store:
    return Store()


def open_staff() -> AppTest:
    """A new browser session on the app, at /staff."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page("pages/staff.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="password").input(password)
    return click(at, "login")


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


@pytest.fixture
def staff_page() -> AppTest:
    """The staff page, signed in."""
    return log_in(open_staff())


def go_to(at: AppTest, section: str) -> AppTest:
    at.radio(key="section").set_value(section)
    return run(at)


def pick(at: AppTest, file: str, target: str) -> AppTest:
    at.selectbox(key=f"pick:{file}").set_value(target)
    return run(at)


def field(at: AppTest, name: str):
    """The text input or text area of a field in the open editor."""
    block = at.get_by_key(f"field-{name}")
    widgets = list(block.text_area) + list(block.text_input) + list(block.selectbox)
    assert len(widgets) == 1, widgets
    return widgets[0]


def field_errors(at: AppTest, name: str) -> list[str]:
    return [e.value for e in at.get_by_key(f"field-{name}").error]


def messages(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]
