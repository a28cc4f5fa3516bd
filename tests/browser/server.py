"""Start `streamlit run app.py` on a free local port and know when it answers.

Shared by the browser tests' fixtures and bench/ui_bench.py; no pytest here.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 60.0
STAFF_PASSWORD = "browser test password"


def find_chromium() -> str | None:
    """Debian's chromium, when installed."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


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
            process.wait(timeout=0.05)  # the poll interval, ending early if streamlit exits
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with code {process.returncode}:\n"
                           f"{log.read_text(errors='replace')}")



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
