"""Every setting the program reads from the environment (`ASSISTANT_*`), in one place.

    ASSISTANT_KNOWLEDGE_DIR   the knowledge folder            default: <project>/knowledge
    ASSISTANT_DB              the SQLite store                default: <project>/data/assistant.db
    ASSISTANT_RETENTION_DAYS  days visitor questions are kept default: 90
    ASSISTANT_STAFF_PASSWORD  the staff password              default: st.secrets, else none

Defaults are anchored to the project root, so the app and the command line find the same files
and the same database whatever the working directory. Values are read when asked for, so a
change to the environment (or a test's monkeypatch) is seen at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_DB = PROJECT_ROOT / "data" / "assistant.db"
DEFAULT_RETENTION_DAYS = 90

KNOWLEDGE_DIR_ENV = "ASSISTANT_KNOWLEDGE_DIR"
DB_ENV = "ASSISTANT_DB"
RETENTION_DAYS_ENV = "ASSISTANT_RETENTION_DAYS"
STAFF_PASSWORD_ENV = "ASSISTANT_STAFF_PASSWORD"
STAFF_PASSWORD_SECRET = "staff_password"


def knowledge_source(given: str | None = None) -> tuple[str, str]:
    """The knowledge folder and what chose it: `given` on the command line ("--knowledge"),
    else $ASSISTANT_KNOWLEDGE_DIR ("ASSISTANT_KNOWLEDGE_DIR"), else knowledge/ in the project
    ("default"), so an error can say which setting to fix."""
    if given:
        return given, "--knowledge"
    from_environment = os.environ.get(KNOWLEDGE_DIR_ENV)
    if from_environment:
        return from_environment, KNOWLEDGE_DIR_ENV
    return str(DEFAULT_KNOWLEDGE_DIR), "default"


def knowledge_dir() -> str:
    """The knowledge folder: $ASSISTANT_KNOWLEDGE_DIR, or knowledge/ in the project."""
    return knowledge_source()[0]


def db_path() -> str:
    """The SQLite store: $ASSISTANT_DB, or data/assistant.db in the project."""
    return os.environ.get(DB_ENV) or str(DEFAULT_DB)


def retention_days() -> int:
    """Days visitor questions and votes are kept: $ASSISTANT_RETENTION_DAYS, or 90.

    Raises ValueError naming the variable when it is not a whole number.
    """
    raw = os.environ.get(RETENTION_DAYS_ENV, str(DEFAULT_RETENTION_DAYS))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{RETENTION_DAYS_ENV} must be a whole number of days, got "
                         f"{raw!r}") from None


def staff_password(secret: Callable[[], object],
                   environ: Mapping[str, str] = os.environ) -> str | None:
    """$ASSISTANT_STAFF_PASSWORD, else the `staff_password` secret; None when neither is set.

    `secret()` reads st.secrets; it may raise when there is no secrets file at all.
    """
    value = environ.get(STAFF_PASSWORD_ENV)
    if not value:
        try:
            value = secret()
        except (FileNotFoundError, KeyError):  # no secrets.toml, or no such key in it
            value = None
    return value if isinstance(value, str) and value else None
