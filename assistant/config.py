"""Settings read from the environment, with the embedded defaults the app runs on."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"


def knowledge_source(given: str | None = None) -> tuple[str, str]:
    """The knowledge folder and what chose it: `given` on the command line ("--knowledge"),
    else $ASSISTANT_KNOWLEDGE_DIR ("ASSISTANT_KNOWLEDGE_DIR"), else knowledge/ next to app.py
    ("default"), so the app and the command line find it whatever the working directory and an
    error can say which setting to fix."""
    if given:
        return given, "--knowledge"
    from_environment = os.environ.get("ASSISTANT_KNOWLEDGE_DIR")
    if from_environment:
        return from_environment, "ASSISTANT_KNOWLEDGE_DIR"
    return str(DEFAULT_KNOWLEDGE_DIR), "default"


def knowledge_dir() -> str:
    """The knowledge folder: $ASSISTANT_KNOWLEDGE_DIR, or knowledge/ next to app.py."""
    return knowledge_source()[0]
