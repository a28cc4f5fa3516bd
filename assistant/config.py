"""Settings read from the environment, with the embedded defaults the app runs on."""

from __future__ import annotations

import os

DEFAULT_KNOWLEDGE_DIR = "knowledge"


def knowledge_dir() -> str:
    """The knowledge folder: $ASSISTANT_KNOWLEDGE_DIR, or knowledge/ next to the app."""
    return os.environ.get("ASSISTANT_KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR
