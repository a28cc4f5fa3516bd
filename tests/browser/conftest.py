"""Real-browser fixtures: Debian's chromium driven by Playwright, and one streamlit server.

Without chromium the browser tests skip with a message saying how to enable them, except under
CI=true, where a missing browser fails the run. The server is started once per session as
`python -m streamlit run app.py` on a free local port with the fixture knowledge base and a
private store; the staff tests get a second one with a staff password and a knowledge folder of
their own to edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.server import (
    CHROMIUM_FLAGS,
    ROOT,
    STAFF_PASSWORD,
    find_chromium,
    streamlit_app,
)
from tests.helpers import KNOWLEDGE, copy_knowledge, missing

ARTIFACTS = ROOT / "test-artifacts"
ENABLE = "install Debian's chromium (apt-get install chromium) to run the browser tests"

# Streamlit's first render on a cold 2-core machine can take a few seconds.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """The chromium executable; skip (or fail under CI=true) when there is none."""
    path = find_chromium()
    if path is None:
        missing("chromium", ENABLE)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium: str) -> dict:
    """pytest-playwright launches Debian's chromium instead of Playwright's own download."""
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    knowledge: Path = KNOWLEDGE


@pytest.fixture(scope="session")
def server(chromium, tmp_path_factory) -> Iterator[Server]:
    """`streamlit run app.py` on a free port, with the fixture knowledge and a private store."""
    folder = tmp_path_factory.mktemp("streamlit")
    with streamlit_app(folder, ASSISTANT_DB=str(folder / "assistant.db"),
                       ASSISTANT_KNOWLEDGE_DIR=str(KNOWLEDGE)) as url:
        yield Server(url, folder / "assistant.db")


@pytest.fixture(scope="session")
def staff_server(chromium, tmp_path_factory) -> Iterator[Server]:
    """The app with a staff password and a knowledge copy of its own, for tests that edit."""
    folder = tmp_path_factory.mktemp("streamlit-staff")
    knowledge = copy_knowledge(folder / "knowledge")
    with streamlit_app(folder, ASSISTANT_DB=str(folder / "assistant.db"),
                       ASSISTANT_KNOWLEDGE_DIR=str(knowledge),
                       ASSISTANT_STAFF_PASSWORD=STAFF_PASSWORD) as url:
        yield Server(url, folder / "assistant.db", knowledge)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
