"""Paths and small helpers shared by the test folders (fixtures live in the conftest files).

Code tests run on the small knowledge base in tests/fixtures/knowledge, so a staff edit to the
shipped knowledge base never breaks them; tests/content/ checks the shipped one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant import editing

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KNOWLEDGE = FIXTURES / "knowledge"
BROKEN = FIXTURES / "broken"
SHIPPED_KNOWLEDGE = ROOT / "knowledge"
OWN_QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
REAL_QUESTIONS = ROOT / "tests" / "data" / "real-questions.yaml"
CONVERSATIONS = ROOT / "tests" / "data" / "conversations.yaml"
BLIND_QUESTIONS = ROOT / "bench" / "blind-questions.yaml"
SHARED_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.yaml"
SHARED_REAL_QUESTIONS = ROOT.parent / "shared" / "eval" / "real-questions-dev.yaml"


def copy_knowledge(target: Path, source: Path = KNOWLEDGE) -> Path:
    """A writable copy of a knowledge folder (its history left out); returns `target`."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("history"))
    return target


def missing(what: str, enable: str) -> None:
    """Skip a test that needs something this machine lacks; under CI=true, fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing and CI=true: {enable}", pytrace=False)
    pytest.skip(f"{what} is missing: {enable}")


def saved(folder: Path, edit: editing.Edit, **options) -> editing.Saved:
    """Plan `edit` on the file as it is on disk and save it (as another staff member would)."""
    return editing.apply(editing.plan_edit(folder, edit), **options)


# The fixture's self-harm samples, written as a YAML list; tests rewrite them as a `|` block.
SELF_HARM_LISTED = """\
    must_trigger:
      - I'm having thoughts of suicide
      - this RLS makes me want to kill myself
"""


def safety_with_block(folder: Path, block: str, *, crlf: bool = False, bom: bool = False) -> bytes:
    """Write in `folder` the fixture's safety.yaml with the self-harm samples as `block`, with
    CRLF line ends or a BOM when asked; returns its bytes, BOM left out."""
    text = (KNOWLEDGE / "safety.yaml").read_text(encoding="utf-8")
    assert SELF_HARM_LISTED in text
    data = text.replace(SELF_HARM_LISTED, block).replace("\n", "\r\n" if crlf else "\n")
    raw = data.encode("utf-8")
    (folder / "safety.yaml").write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    return raw


def rule(knowledge, rule_id: str):
    """The safety rule with this id."""
    return next(rule for rule in knowledge.safety if rule.id == rule_id)
