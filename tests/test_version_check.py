"""The engine cache's version check: the files are hashed only when their stamps say they may
have changed, and every change still reaches visitors on their next question."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from assistant import serving
from assistant.serving import RECENT_NS, EngineCache, file_stamps
from tests.helpers import ROOT

HOUR_NS = 3600 * 10**9


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """The folders the cache hashes, one entry per hash."""
    calls: list[str] = []
    real = serving.knowledge_version

    def counted(directory):
        calls.append(str(directory))
        return real(directory)

    monkeypatch.setattr(serving, "knowledge_version", counted)
    return calls


def later(ns: int = HOUR_NS):
    """A clock `ns` ahead: files changed now look that old to the cache, so only their stamps
    can tell it they changed."""
    return lambda: time.time_ns() + ns


def test_unchanged_files_are_not_read_again(kb_copy, hashes):
    cache = EngineCache(clock=later())
    first = cache.serve(str(kb_copy))
    hashes.clear()  # the first call hashes, and the build checks the files again after it
    again = [cache.serve(str(kb_copy)) for _ in range(5)]
    assert [s.engine for s in again] == [first.engine] * 5
    assert hashes == []


def test_files_changed_lately_are_hashed_on_every_question(kb_copy, hashes):
    cache = EngineCache()  # the real clock: the copy was just written
    cache.serve(str(kb_copy))
    hashes.clear()
    for _ in range(3):
        cache.serve(str(kb_copy))
    assert len(hashes) == 3


def test_a_same_size_rewrite_in_the_same_tick_is_still_seen_while_it_is_recent(kb_copy):
    cache = EngineCache()
    clinic = kb_copy / "clinic.yaml"
    first = cache.serve(str(kb_copy))
    before = os.stat(clinic)
    clinic.write_text(clinic.read_text().replace("the team", "our team"))
    os.utime(clinic, ns=(before.st_atime_ns, before.st_mtime_ns))  # same times, same size
    assert os.stat(clinic).st_size == before.st_size
    edited = cache.serve(str(kb_copy))
    assert edited.engine is not first.engine
    assert "our team" in edited.engine.ask("What is RLS?").referral


@pytest.mark.parametrize("change", ["edit", "replace", "add source", "remove", "folder"])
def test_every_kind_of_change_shows_in_the_stamps_of_old_files(kb_copy, hashes, change):
    cache = EngineCache(clock=later())
    first = cache.serve(str(kb_copy))
    clinic = kb_copy / "clinic.yaml"
    if change == "edit":
        clinic.write_text(clinic.read_text().replace("the team", "our team"))
    elif change == "replace":  # how staff saves write: a new file renamed over the old one
        (kb_copy / "new.yaml").write_text(clinic.read_text().replace("the team", "our team"))
        os.replace(kb_copy / "new.yaml", clinic)
    elif change == "add source":
        (kb_copy / "sources" / "extra.txt").write_text("more")
    elif change == "remove":
        clinic.unlink()
    else:
        clinic.unlink()
        clinic.mkdir()
    hashes.clear()
    assert cache.serve(str(kb_copy)).version != first.version
    assert hashes


def test_stamps_name_every_file_and_say_why_one_cannot_be_looked_at(kb_copy):
    (kb_copy / "clinic.yaml").unlink()
    stamps = {stamp[0]: stamp for stamp in file_stamps(kb_copy)}
    assert "passages.yaml" in stamps and any(n.startswith("sources/") for n in stamps)
    assert stamps["clinic.yaml"][1:] == (2,)  # ENOENT


def test_a_file_is_recent_for_two_seconds(kb_copy, hashes):
    for ahead, hashed in ((RECENT_NS - 10**9 // 2, 1), (RECENT_NS + 10**9 // 2, 0)):
        cache = EngineCache(clock=later(ahead))
        cache.serve(str(kb_copy))
        hashes.clear()
        cache.serve(str(kb_copy))
        assert len(hashes) == hashed, ahead


CHILD = """
import sys
from assistant.serving import current

folder = sys.argv[1]
for line in sys.stdin:  # one line per question
    print(current(folder).engine.ask("What is RLS?").referral, flush=True)
"""


def test_another_process_serves_a_save_from_its_next_question(kb_copy):
    """Two app processes (scripts/serve.sh --replicas 2) share the folder: a save made by one
    (written as staff saves are, a new file renamed over the old) reaches the other."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(kb_copy)], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        def ask() -> str:
            child.stdin.write("?\n")
            child.stdin.flush()
            return child.stdout.readline()

        assert "the team" in ask()
        clinic = kb_copy / "clinic.yaml"
        (kb_copy / "new.yaml").write_text(clinic.read_text().replace("the team", "our team"))
        os.replace(kb_copy / "new.yaml", clinic)
        assert "our team" in ask()
    finally:
        child.stdin.close()
        child.wait(timeout=30)
