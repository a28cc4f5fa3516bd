"""The store of unanswered questions and votes: scrubbing, grouping, retention, concurrency."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading

import pytest

from assistant.errors import StoreError, describe
from assistant.store import Dismissed, Gap, Store, Votes, csv_cell, scrub

START = dt.datetime(2025, 4, 1, 9, 30, tzinfo=dt.UTC)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: dt.datetime = START):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.mark.parametrize(("text", "expected"), [
    ("email me at jane.doe+rls@example.co.uk please", "email me at [email] please"),
    ("call 780-555-1234 after 5", "call [phone] after 5"),
    ("call (780) 555-1234", "call [phone]"),
    ("+1 780 555 1234", "[phone]"),
    ("7805551234", "[phone]"),
    ("ph: 555-1234", "ph: [number]"),
    ("I live near T5K 2J1", "I live near [postal code]"),
    ("t5k2j1", "[postal code]"),
    ("my card is 4111 1111 1111 1111", "my card is [number]"),
    ("health number 12345-6789", "health number [number]"),
    ("born 12/05/1980", "born [number]"),
    ("patient ID12345678", "patient ID[number]"),
    ("+44 20 7946 0958", "+[number]"),
    # Numbers split by any separator.
    ("call 780_555_1234", "call [phone]"),
    ("call 780–555–1234 or 780—555—1234", "call [phone] or [phone]"),
    ("780,555,1234", "[phone]"),
    ("card 4111,1111,1111,1111", "card [number]"),
    ("card 4111_1111_1111_1111", "card [number]"),
    ("ph 555–1234", "ph [number]"),
    # Street addresses, with Edmonton's numbered streets, and PO boxes.
    ("I live at 123 Main Street", "I live at [address]"),
    ("#204 10050 112 St NW, Edmonton", "[address], Edmonton"),
    ("11250 jasper ave", "[address]"),
    ("P.O. Box 1234", "[address]"),
    # Names given after "my name is" or "I'm called".
    ("my name is Jane Doe and I have RLS", "my name is [name] and I have RLS"),
    ("Hi, my name is jane, does massage help?", "Hi, my name is [name], does massage help?"),
    ("I'm called Bob.", "I'm called [name]."),
    ("MY NAME IS JOE. i have rls", "MY NAME IS [name]. i have rls"),
    ("bytes \udcff\udcfe that were not UTF-8", "bytes \ufffd\ufffd that were not UTF-8"),
    # What is not identifying stays, so that staff can read the question.
    ("I'm 45 - 50 years old", "I'm 45 - 50 years old"),
    ("born in 1975", "born in 1975"),
    ("massage 2 or 3 times a week for 60 minutes", "massage 2 or 3 times a week for 60 minutes"),
    ("3.5 hours, 24/7, 12 34", "3.5 hours, 24/7, 12 34"),
    ("I walk 2 km on the trail, 30 minutes along the way", "I walk 2 km on the trail, 30 "
     "minutes along the way"),
    ("$12,345 or 1,000 dollars", "$12,345 or 1,000 dollars"),
    ("my name is not important", "my name is not important"),
    ("x" * 600, "x" * 500),
])
def test_scrub(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("my name is Jane Doe, call 780_555_1234 at 123 Main Street",
     "my name is [name], call [phone] at [address]"),
    ("card 4111–1111–1111–1111 or 4111 1111 1111 1111", "card [number] or [number]"),
    ("I'm called Ana Lucia, 555,1234", "I'm called [name], [number]"),
])
def test_scrub_names_addresses_numbers_with_any_separator(text, expected):
    assert scrub(text) == expected


def test_csv_export_escapes_formulas(db_path):
    store = Store()
    for question in ('=HYPERLINK("https://evil.example","click")', "@SUM(A1:A9)", "+1 help",
                     "-2 legs", "\tcmd", "\rcmd", "is massage good?"):
        store.log_unanswered(question)
    rows = list(csv.reader(io.StringIO(store.gaps_csv())))
    assert sorted(row[0] for row in rows[1:]) == sorted([
        "'=HYPERLINK(\"https://evil.example\",\"click\")", "'@SUM(A1:A9)", "'+1 help",
        "'-2 legs", "cmd", "is massage good?"])  # a tab or return at the start was folded away
    assert csv_cell("\tcmd") == "'\tcmd" and csv_cell("\rcmd") == "'\rcmd"
    assert csv_cell(3) == 3


def test_gaps_come_a_page_at_a_time(db_path):
    clock = Clock()
    store = Store(clock=clock)
    for n in range(7):
        for _ in range(n + 1):
            store.log_unanswered(f"question {n}")
        clock.advance(seconds=1)
    assert store.gap_count() == 7
    assert [g.question for g in store.gaps(limit=3)] == ["question 6", "question 5",
                                                          "question 4"]
    assert [g.question for g in store.gaps(limit=3, offset=6)] == ["question 0"]
    assert len(store.gaps()) == 7


def test_the_database_is_created_on_first_use_in_wal_mode(db_path):
    assert not db_path.parent.exists()
    store = Store()
    assert store.path == str(db_path)
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_only_the_question_the_passages_the_vote_and_the_time_are_kept(db_path):
    Store()
    with sqlite3.connect(db_path) as db:
        columns = {table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                   for table in ("unanswered", "feedback")}
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master "
                                               "WHERE type = 'table' ORDER BY name")]
    assert tables == ["feedback", "unanswered"]
    assert columns == {"unanswered": ["id", "question", "normalized", "asked_at",
                                      "dismissed_at"],
                       "feedback": ["id", "question", "passages", "vote", "voted_at"]}


def test_logged_questions_are_scrubbed_before_they_are_written(db_path):
    store = Store()
    store.log_unanswered("Can you call me at 780-555-1234 about hot stone massage?")
    store.log_feedback("I'm jane@example.com, does massage help?", ["massage-overview"], 1)
    with sqlite3.connect(db_path) as db:
        stored = [row[0] for row in db.execute("SELECT question FROM unanswered "
                                               "UNION ALL SELECT question FROM feedback")]
    assert stored == ["Can you call me at [phone] about hot stone massage?",
                      "I'm [email], does massage help?"]


def test_gaps_group_the_same_wording_with_count_and_last_seen(db_path):
    clock = Clock()
    store = Store(clock=clock)
    store.log_unanswered("Is hot stone massage good?")
    clock.advance(days=1)
    store.log_unanswered("Does a foam roller help")
    clock.advance(days=1)
    store.log_unanswered("is HOT stone massage   good")
    store.log_unanswered("  ")
    store.log_unanswered("?!")
    assert store.gaps() == [
        Gap("is HOT stone massage good", "is hot stone massage good", 2, "2025-04-03"),
        Gap("Does a foam roller help", "does a foam roller help", 1, "2025-04-02"),
    ]
    assert store.gaps_csv() == ("question,count,last_seen\r\n"
                                "is HOT stone massage good,2,2025-04-03\r\n"
                                "Does a foam roller help,1,2025-04-02\r\n")


def test_dismiss_takes_a_whole_group_off_the_list_and_can_be_undone(db_path):
    clock = Clock()
    store = Store(clock=clock)
    for question in ("Is hot stone massage good?", "is hot stone massage good", "foam roller?"):
        store.log_unanswered(question)
    clock.advance(hours=1)
    when = store.dismiss("is hot stone massage good")
    assert when == "2025-04-01T10:30:00+00:00"
    assert store.dismiss("is hot stone massage good") is None  # nothing left to dismiss
    assert [gap.normalized for gap in store.gaps()] == ["foam roller"]
    assert store.gap_count() == 1
    assert store.dismissed() == [Dismissed("is hot stone massage good",
                                           "is hot stone massage good", 2, when)]

    assert store.undismiss("is hot stone massage good", when) == 2
    assert [(g.normalized, g.count) for g in store.gaps()] == [("is hot stone massage good", 2),
                                                                ("foam roller", 1)]
    assert store.dismissed() == []


def test_a_question_asked_again_after_its_dismissal_is_a_new_group(db_path):
    store = Store()
    store.log_unanswered("foam roller?")
    store.dismiss("foam roller")
    store.log_unanswered("Foam roller?")
    assert [(g.question, g.count) for g in store.gaps()] == [("Foam roller?", 1)]


def test_a_store_made_before_dismissals_could_be_undone_gets_the_column(db_path):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE unanswered (id INTEGER PRIMARY KEY, question TEXT NOT NULL, "
                   "normalized TEXT NOT NULL, asked_at TEXT NOT NULL)")
        db.execute("INSERT INTO unanswered (question, normalized, asked_at) VALUES "
                   "('foam roller?', 'foam roller', ?)", (dt.datetime.now(dt.UTC).isoformat(),))
    store = Store()
    assert [g.normalized for g in store.gaps()] == ["foam roller"]
    assert store.dismiss("foam roller") is not None and store.gaps() == []


def test_votes_are_counted_per_cited_passage(db_path):
    store = Store()
    store.log_feedback("does massage help", ["massage-overview", "swedish-massage"], 1)
    store.log_feedback("does massage help", ["massage-overview"], -1)
    store.log_feedback("hello", [], -1)
    store.log_feedback("swedish?", ["swedish-massage"], 1)
    assert store.votes() == [Votes("(no passage)", 0, 1), Votes("massage-overview", 1, 1),
                             Votes("swedish-massage", 2, 0)]
    assert store.rated_questions() == ["swedish?", "hello", "does massage help"]


def test_a_vote_must_be_up_or_down(db_path):
    with pytest.raises(ValueError, match="vote must be 1 or -1, got 0"):
        Store().log_feedback("q", [], 0)


@pytest.mark.parametrize(("days_later", "kept"), [(89, 2), (90, 2), (91, 0)])
def test_entries_older_than_the_retention_period_are_purged(db_path, days_later, kept):
    clock = Clock()
    store = Store(clock=clock, retention_days=90)
    store.log_unanswered("foam roller?")
    store.log_feedback("does massage help", ["massage-overview"], 1)
    clock.advance(days=days_later)
    store.purge()
    assert store.count("unanswered") + store.count("feedback") == kept


def test_a_write_purges_old_entries_even_when_nobody_reads(db_path):
    clock = Clock()
    store = Store(clock=clock, retention_days=1)
    store.log_unanswered("foam roller?")
    clock.advance(days=2)
    store.log_feedback("does massage help", ["massage-overview"], 1)
    assert (store.count("unanswered"), store.count("feedback")) == (0, 1)


def test_retention_days_come_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", "30")
    assert Store().retention_days == 30


@pytest.mark.parametrize(("value", "message"), [
    ("ninety", "ASSISTANT_RETENTION_DAYS must be a whole number of days, got 'ninety'"),
    ("0", "the retention period must be at least 1 day, got 0"),
])
def test_a_bad_retention_setting_is_refused(db_path, monkeypatch, value, message):
    monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", value)
    with pytest.raises(StoreError) as caught:
        Store()
    assert describe(caught.value) == f"{db_path}: {message}"


def test_a_database_that_cannot_be_opened_is_a_store_error(tmp_path):
    (tmp_path / "a-folder.db").mkdir()
    with pytest.raises(StoreError, match="the database cannot be used: unable to open"):
        Store(tmp_path / "a-folder.db")


def test_concurrent_writers_lose_no_rows(db_path):
    threads, each = 12, 40
    start = threading.Barrier(threads)
    failures: list[BaseException] = []

    def session(number: int) -> None:
        try:
            store = Store()  # every visitor session opens the store on its own
            start.wait(timeout=10)
            for n in range(each):
                store.log_unanswered(f"question {number} {n} about foam rollers")
                store.log_feedback(f"question {number} {n}", ["massage-overview"], 1)
        except BaseException as exc:  # reported below: a lost write must fail the test
            failures.append(exc)

    workers = [threading.Thread(target=session, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    store = Store()
    assert store.count("unanswered") == threads * each
    assert store.count("feedback") == threads * each
    assert len(store.gaps()) == threads * each
