"""Real-browser fixtures: Debian's chromium driven by Playwright, and one streamlit server.

Without chromium the browser tests skip with a message saying how to enable them, except under
CI=true, where a missing browser fails the run. The server is started once per session as
`python -m streamlit run app.py` on a free local port with a private store; the staff tests get
a second one with a staff password and a knowledge folder of their own to edit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ENABLE = "install Debian's chromium (apt-get install chromium) to run the browser tests"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 60.0

# Streamlit's first render on a cold 2-core machine can take a few seconds.
expect.set_options(timeout=15_000)


def find_chromium() -> str | None:
    """Debian's chromium, when installed."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """The chromium executable; skip (or fail under CI=true) when there is none."""
    path = find_chromium()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"chromium is missing and CI=true: {ENABLE}", pytrace=False)
        pytest.skip(ENABLE)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium: str) -> dict:
    """pytest-playwright launches Debian's chromium instead of Playwright's own download."""
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path,
                       timeout: float = START_TIMEOUT) -> None:
    """Poll /_stcore/health until it answers "ok"; fail early if streamlit exits."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        try:
            with no_proxy.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s:\n"
                               f"{log.read_text(errors='replace')}")
        try:
            process.wait(timeout=0.1)  # the poll interval, ending early if streamlit exits
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with code {process.returncode}:\n"
                           f"{log.read_text(errors='replace')}")


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    knowledge: Path = ROOT / "knowledge"


@contextlib.contextmanager
def streamlit_app(folder: Path, **env: str) -> Iterator[str]:
    """`streamlit run app.py` on a free port with these environment settings; yields its URL."""
    port, log = free_port(), folder / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, **env), stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server(chromium, tmp_path_factory) -> Iterator[Server]:
    """`streamlit run app.py` on a free port, with the shipped knowledge and a private store."""
    folder = tmp_path_factory.mktemp("streamlit")
    with streamlit_app(folder, ASSISTANT_DB=str(folder / "assistant.db"),
                       ASSISTANT_KNOWLEDGE_DIR=str(ROOT / "knowledge")) as url:
        yield Server(url, folder / "assistant.db")


STAFF_PASSWORD = "browser test password"


@pytest.fixture(scope="session")
def staff_server(chromium, tmp_path_factory) -> Iterator[Server]:
    """The app with a staff password and a knowledge copy of its own, for tests that edit."""
    folder = tmp_path_factory.mktemp("streamlit-staff")
    knowledge = folder / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("history"))
    with streamlit_app(folder, ASSISTANT_DB=str(folder / "assistant.db"),
                       ASSISTANT_KNOWLEDGE_DIR=str(knowledge),
                       ASSISTANT_STAFF_PASSWORD=STAFF_PASSWORD) as url:
        yield Server(url, folder / "assistant.db", knowledge)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
