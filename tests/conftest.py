"""Shared fixtures: the fixture knowledge base, an engine over it, writable copies of it, and a
store of one's own. Every test starts with the settings pointing at the fixture knowledge base
and a private database, never at the shipped files or data/assistant.db."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import Engine
from assistant.safety_check import checked_knowledge
from tests.helpers import KNOWLEDGE, copy_knowledge

# Under pytest -n (pytest-xdist), tests that share a session fixture slow to build run on one
# worker, in file order: one staff server (its tests edit its knowledge folder in turn), one
# chat server, one shipped engine with its safety samples replayed. The longest work goes
# first, so that the workers end about together: the fresh install (its worker waits on pip),
# then these groups; every other test is one unit, handed to whichever worker is free.
GROUPS = {"tests/test_install.py::test_readme_app_command_installs_": "fresh install",
          "tests/browser/test_staff": "staff server",
          "tests/browser/test_chat": "chat server",
          "tests/content/": "shipped engine"}


def group(nodeid: str) -> str:
    """The unit of work a test belongs to: its group, or the test alone."""
    return next((name for start, name in GROUPS.items() if nodeid.startswith(start)), nodeid)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    order = list(GROUPS.values())
    items.sort(key=lambda item: order.index(group(item.nodeid))
               if group(item.nodeid) in order else len(order))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """xdist's scheduling by scope (a scope's tests on one worker, in order), our groups as the
    scopes; the queue kept in collection order (--no-loadscope-reorder)."""
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group(nodeid)

    return Grouped(config, log)


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
