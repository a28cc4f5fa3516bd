"""Every ASSISTANT_* setting is read in assistant.settings; defaults anchored to the project."""

from __future__ import annotations

import pytest

from assistant import settings
from assistant.store import Store
from tests.helpers import ROOT


def no_secrets():
    raise FileNotFoundError("No secrets found")


def missing_key():
    raise KeyError("staff_password")


@pytest.mark.parametrize(("environ", "secret", "expected"), [
    ({"ASSISTANT_STAFF_PASSWORD": "from env"}, lambda: "from secrets", "from env"),
    ({}, lambda: "from secrets", "from secrets"),
    ({"ASSISTANT_STAFF_PASSWORD": ""}, lambda: "from secrets", "from secrets"),
    ({}, no_secrets, None),
    ({}, missing_key, None),
    ({}, lambda: "", None),
    ({}, lambda: 1234, None),
])
def test_the_password_setting(environ, secret, expected):
    assert settings.staff_password(secret, environ) == expected


def test_db_default_is_anchored_to_project_root(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSISTANT_DB", raising=False)
    monkeypatch.chdir(tmp_path)  # the command line started from another folder
    assert settings.db_path() == str(ROOT / "data" / "assistant.db")
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "elsewhere.db"))
    assert Store().path == str(tmp_path / "elsewhere.db")


def test_knowledge_dir_default_is_anchored_to_project_root(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSISTANT_KNOWLEDGE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.knowledge_dir() == str(ROOT / "knowledge")
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(tmp_path))
    assert settings.knowledge_dir() == str(tmp_path)


@pytest.mark.parametrize(("value", "days"), [(None, 90), ("30", 30), (" 7 ", 7)])
def test_retention_days(monkeypatch, value, days):
    if value is None:
        monkeypatch.delenv("ASSISTANT_RETENTION_DAYS", raising=False)
    else:
        monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", value)
    assert settings.retention_days() == days
