"""Settings read from the environment, with the embedded defaults the app runs on."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"


def knowledge_dir() -> str:
    """The knowledge folder: $ASSISTANT_KNOWLEDGE_DIR, or knowledge/ next to app.py (so the app
    and the command line find it whatever the working directory)."""
    return os.environ.get("ASSISTANT_KNOWLEDGE_DIR") or str(DEFAULT_KNOWLEDGE_DIR)
