"""A store that keeps one connection (the chat's, one per process): shared by threads, opened
again when its file goes, never left broken by an error."""

from __future__ import annotations

import threading

import pytest

from assistant.errors import StoreError
from assistant.store import Store
from ui import visitor_log


def test_one_connection_serves_every_call(tmp_path):
    store = Store(tmp_path / "a.db", keep_open=True)
    store.log_unanswered("first question about prices")
    db = store._kept[0]
    store.log_feedback("What is RLS?", ["what-is-rls"], 1)
    store.log_unanswered("second question about parking")
    assert store._kept[0] is db
    assert store.count("unanswered") == 2 and store.count("feedback") == 1
    assert Store(tmp_path / "a.db").count("unanswered") == 2  # committed for other readers


def test_threads_share_the_connection_without_losing_a_row(tmp_path):
    store = Store(tmp_path / "a.db", keep_open=True)
    problems: list[Exception] = []

    def write(name: str) -> None:
        try:
            for i in range(40):
                store.log_unanswered(f"does {name} question {i} have an answer")
        except Exception as exc:  # collected: an assertion in a thread would be lost
            problems.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in "abcdefgh"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert store.count("unanswered") == 8 * 40


def test_a_database_moved_away_is_made_again_at_its_path(tmp_path):
    path = tmp_path / "a.db"
    store = Store(path, keep_open=True)
    store.log_unanswered("kept in the old file")
    path.rename(tmp_path / "moved.db")
    store.log_unanswered("kept in the new file")
    assert [g.question for g in Store(path).gaps()] == ["kept in the new file"]


def test_after_an_error_the_next_call_opens_a_new_connection(tmp_path):
    store = Store(tmp_path / "a.db", keep_open=True)
    store.log_unanswered("before the trouble")
    store._kept[0].close()  # the connection breaks under the store
    with pytest.raises(StoreError, match="the database cannot be used"):
        store.log_unanswered("lost with the broken connection")
    store.log_unanswered("after the trouble")
    assert store.count("unanswered") == 2


def test_the_chat_keeps_one_store_per_database_and_follows_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "a.db"))
    first = visitor_log.visitor_store()
    assert visitor_log.visitor_store() is first
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "b.db"))
    other = visitor_log.visitor_store()
    assert other is not first and other.path == str(tmp_path / "b.db")
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", "30")
    assert visitor_log.visitor_store().retention_days == 30
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", "soon")
    with pytest.raises(StoreError, match="ASSISTANT_RETENTION_DAYS"):
        visitor_log.visitor_store()
    assert len(visitor_log._stores) <= visitor_log.MAX_STORES
