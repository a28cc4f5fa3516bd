"""The staff commands of `python -m assistant`: ask --log, gaps, history, restore."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import editing
from assistant.cli import main
from assistant.store import Store

REPO = Path(__file__).resolve().parent.parent


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def at(text: str):
    return lambda: dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_ask_without_log_writes_nothing(kb_copy, db_path):
    code, out, _ = run("ask", "is hot stone massage good", "--knowledge", str(kb_copy))
    assert (code, out.splitlines()[0]) == (0, "[no_match]")
    assert not db_path.exists()


def test_ask_with_log_keeps_only_the_questions_it_cannot_answer(kb_copy, db_path):
    questions = ("Does massage help restless legs?\nis hot stone massage good\n"
                 "my calf is swollen and red\nhello\n\nfoam roller, call me 780-555-1234\n")
    code, out, _ = run("ask", "-", "--log", "--json", "--knowledge", str(kb_copy),
                       stdin=questions)
    assert code == 0
    assert [line.split('"status": ')[1].split('"')[1] for line in out.splitlines()] == [
        "answered", "no_match", "urgent", "smalltalk", "no_match"]  # the blank line is skipped
    assert [gap.question for gap in Store().gaps()] == [
        "foam roller, call me [phone]", "is hot stone massage good"]


def test_gaps_prints_the_grouped_report(db_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", "100000")
    now = [dt.datetime(2025, 4, 1, tzinfo=dt.UTC)]
    store = Store(clock=lambda: now[0])
    for question in ("Foam roller?", "is hot stone massage good", "foam ROLLER"):
        now[0] += dt.timedelta(days=1)
        store.log_unanswered(question)
    assert run("gaps") == (0, "COUNT  LAST SEEN   QUESTION\n"
                              "    2  2025-04-04  foam ROLLER\n"
                              "    1  2025-04-03  is hot stone massage good\n", "")
    assert run("gaps", "--csv") == (0, "question,count,last_seen\r\n"
                                       "foam ROLLER,2,2025-04-04\r\n"
                                       "is hot stone massage good,1,2025-04-03\r\n", "")


def test_gaps_says_when_there_are_none(db_path):
    assert run("gaps") == (0, f"{db_path}: no unanswered questions in the last 90 days\n", "")


def test_history_lists_saved_versions_newest_first(kb_copy):
    assert run("history", "--knowledge", str(kb_copy)) == (
        0, f"{kb_copy / 'history'}: no saved versions yet (every staff save keeps the "
           "version it replaces there)\n", "")
    for name, when in (("clinic.yaml", "2025-04-01T10:20:30.5"),
                       ("passages.yaml", "2025-04-02T08:00:00")):
        doc = editing.open_file(kb_copy, name)
        editing.save(kb_copy, name, doc.data, doc.version, clock=at(when))
    assert run("history", "--knowledge", str(kb_copy)) == (0, (
        "VERSION                  FILE            SAVED (UTC)\n"
        "20250402T080000.000000Z  passages.yaml   2025-04-02 08:00:00\n"
        "20250401T102030.500000Z  clinic.yaml     2025-04-01 10:20:30\n"), "")


def test_restore_puts_a_version_back(kb_copy):
    path = kb_copy / "clinic.yaml"
    original = path.read_bytes()
    doc = editing.open_file(kb_copy, "clinic.yaml")
    doc.data["clinic"]["phone"] = "780-555-0100"
    saved = editing.save(kb_copy, "clinic.yaml", doc.data, doc.version,
                         clock=at("2025-04-01T10:00:00"))

    code, out, err = run("restore", saved.backup, "--knowledge", str(kb_copy))

    assert (code, err) == (0, "")
    newest = editing.history(kb_copy)[0].id
    assert out == (f"Restored clinic.yaml from version 20250401T100000.000000Z. The version it "
                   f"replaced is kept as {newest}.\n")
    assert path.read_bytes() == original


@pytest.mark.parametrize(("version", "content", "message"), [
    ("20240101T000000.000000Z", None,
     "There is no saved version '20240101T000000.000000Z' in {history}. There are no saved "
     "versions yet.\n"),
    ("20250101T000000.000000Z", "clinic:\n  name: Granville\n",
     "The knowledge base has 2 problems:\n"
     "- {knowledge}/clinic.yaml, line 2: clinic settings: key 'city': missing; every clinic "
     "settings needs 'city'\n"
     "- {knowledge}/clinic.yaml, line 2: clinic settings: key 'referral': missing; every clinic "
     "settings needs 'referral' (the sentence that sends visitors to the clinic)\n"),
])
def test_restore_refuses_with_exit_2(kb_copy, version, content, message):
    if content is not None:
        (kb_copy / "history" / version).mkdir(parents=True)
        (kb_copy / "history" / version / "clinic.yaml").write_text(content)
    before = (kb_copy / "clinic.yaml").read_bytes()
    assert run("restore", version, "--knowledge", str(kb_copy)) == (
        2, "", message.format(history=kb_copy / "history", knowledge=kb_copy))
    assert (kb_copy / "clinic.yaml").read_bytes() == before


def test_the_commands_run_as_a_module(kb_copy):
    result = subprocess.run([sys.executable, "-m", "assistant", "history", "--knowledge",
                             str(kb_copy)], cwd=REPO, capture_output=True, text=True,
                            check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("no saved versions yet (every staff save keeps the version it "
                                  "replaces there)\n")
