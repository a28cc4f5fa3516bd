"""The store shared by several app processes (scripts/serve.sh --replicas N): SQLite in WAL mode
with a busy timeout, each process writing and reading one database file at the same time."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from assistant.store import Store

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("alpha", "bravo", "charlie", "delta")
QUESTIONS_EACH = 60

# One process: open the store (creating it if nobody has yet) once every process is ready, then
# log questions and votes, or, as the staff page does, read the groups and votes.
CHILD = """
import sys
from assistant.store import Store

path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()  # the go line: every process starts at once
store = Store(path, keep_open=name != "reader")  # writers as the chat does
for i in range(count):
    if name == "reader":
        store.gaps()
        store.votes()
        continue
    store.log_unanswered(f"does {name} question {i} have an answer")
    if i % 3 == 0:
        store.log_feedback(f"{name} liked answer {i}", [f"{name}-passage"], 1 if i % 2 else -1)
print("done", flush=True)
"""


def run_together(path: Path, names: list[str], count: int) -> list[tuple[int, str, str]]:
    """Start one process per name, release them together; (exit code, stdout, stderr) each."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    processes = [subprocess.Popen([sys.executable, "-c", CHILD, str(path), name, str(count)],
                                  cwd=ROOT, env=env, text=True, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for name in names]
    try:
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                pytest.fail(f"a store process did not start:\n{process.communicate()[1]}")
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            results.append((process.returncode, "ready\n" + out, err))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared" / "assistant.db"
    results = run_together(path, [*WRITERS, "reader"], QUESTIONS_EACH)

    for code, out, err in results:
        assert (code, out.split()) == (0, ["ready", "done"]), err

    store = Store(path)
    expected = {f"does {name} question {i} have an answer"
                for name in WRITERS for i in range(QUESTIONS_EACH)}
    gaps = store.gaps()
    assert store.count("unanswered") == len(expected)
    assert {gap.question for gap in gaps} == expected
    assert all(gap.count == 1 for gap in gaps)

    votes_each = len(range(0, QUESTIONS_EACH, 3))
    up_each = sum(1 for i in range(0, QUESTIONS_EACH, 3) if i % 2)
    assert store.count("feedback") == votes_each * len(WRITERS)
    assert {(v.passage_id, v.up, v.down) for v in store.votes()} == {
        (f"{name}-passage", up_each, votes_each - up_each) for name in WRITERS}


def test_the_database_is_in_wal_mode_for_every_process(tmp_path):
    path = tmp_path / "assistant.db"
    results = run_together(path, ["alpha", "bravo"], 5)
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT question FROM unanswered").fetchall()
    assert Counter(question.split()[1] for (question,) in rows) == {"alpha": 5, "bravo": 5}
