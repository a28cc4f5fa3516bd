"""The embedded store of unanswered questions and feedback votes (SQLite, standard library).

Entry point: `Store(path)`. It keeps only what staff need: the question text (scrubbed of emails,
phone numbers, postal codes and long digit runs), the cited passage ids, the vote and the time.
No IP address, session id or name. Rows older than the retention period are purged.
Each call opens its own connection (WAL mode, busy timeout), so concurrent sessions never lose
an entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import settings
from .errors import StoreError
from .text import words

MAX_STORED_CHARS = 500

_SCRUBS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"), "[phone]"),
    (re.compile(r"\b[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d\b"), "[postal code]"),
    # Five or more digits, alone or split by single spaces, dots, dashes or slashes.
    (re.compile(r"(?<!\d)\d(?:[ ./-]?\d){4,}"), "[number]"),
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    normalized TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_normalized ON unanswered (normalized);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    passages TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at TEXT NOT NULL
);
"""


def scrub(text: str) -> str:
    """`text` with emails, phone numbers, postal codes and runs of 5+ digits replaced."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text[:MAX_STORED_CHARS]


def normalized(text: str) -> str:
    """The grouping key for a question: its plain lower-case words."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Gap:
    """A group of unanswered questions with the same wording once normalised."""

    question: str
    normalized: str
    count: int
    last_seen: str


@dataclass(frozen=True)
class Votes:
    passage_id: str
    up: int
    down: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Store:
    """Unanswered questions and feedback votes in one SQLite file."""

    def __init__(self, path: str | os.PathLike | None = None, retention_days: int | None = None,
                 clock: Callable[[], dt.datetime] = _now):
        self.path = str(path or settings.db_path())
        if retention_days is None:
            try:
                retention_days = settings.retention_days()
            except ValueError as exc:
                raise StoreError(str(exc), path=self.path) from None
        if retention_days < 1:
            raise StoreError(f"the retention period must be at least 1 day, got {retention_days}",
                             path=self.path)
        self.retention_days = retention_days
        self._clock = clock
        self._use_wal()
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _use_wal(self) -> None:
        """Put the database in WAL mode (kept in the file), once. Switching modes needs the
        database to itself and SQLite answers "locked" at once, without waiting, when another
        connection is open, so the switch is retried for up to the busy timeout."""
        deadline = time.monotonic() + 10
        while True:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                with closing(sqlite3.connect(self.path, timeout=10)) as db:
                    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"the database cannot be used: {exc}",
                                     path=self.path) from exc
                time.sleep(0.02)
            except OSError as exc:
                raise StoreError(f"the database folder cannot be created: {exc}",
                                 path=self.path) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # IMMEDIATE: a write transaction takes the write lock at BEGIN, waiting up to the
            # busy timeout, so concurrent writers queue instead of failing mid-transaction.
            with closing(sqlite3.connect(self.path, timeout=10,
                                         isolation_level="IMMEDIATE")) as db:
                db.execute("PRAGMA busy_timeout = 10000")
                with db:
                    yield db
        except sqlite3.Error as exc:
            raise StoreError(f"the database cannot be used: {exc}", path=self.path) from exc
        except OSError as exc:
            raise StoreError(f"the database folder cannot be created: {exc}",
                             path=self.path) from exc

    def _cutoff(self) -> str:
        return (self._clock() - dt.timedelta(days=self.retention_days)).isoformat()

    def log_unanswered(self, question: str) -> None:
        """Keep a question the knowledge base could not answer (scrubbed)."""
        text = scrub(" ".join(question.split()))
        key = normalized(text)
        if not key:
            return
        with self._connect() as db:
            db.execute("INSERT INTO unanswered (question, normalized, asked_at) VALUES (?, ?, ?)",
                       (text, key, self._clock().isoformat()))
            self._purge(db)

    def log_feedback(self, question: str, passage_ids: Iterable[str], vote: int) -> None:
        """Keep a thumbs up (1) or down (-1) with the question and the cited passages."""
        if vote not in (-1, 1):
            raise ValueError(f"vote must be 1 or -1, got {vote!r}")
        text = scrub(" ".join(question.split()))
        with self._connect() as db:
            db.execute("INSERT INTO feedback (question, passages, vote, voted_at) "
                       "VALUES (?, ?, ?, ?)",
                       (text, json.dumps(list(passage_ids)), vote, self._clock().isoformat()))
            self._purge(db)

    def purge(self) -> int:
        """Delete entries older than the retention period; the number deleted."""
        with self._connect() as db:
            return self._purge(db)

    def _purge(self, db: sqlite3.Connection) -> int:
        # Run with every write too, so old entries go even when nobody opens the staff page.
        cutoff = self._cutoff()
        gone = db.execute("DELETE FROM unanswered WHERE asked_at < ?", (cutoff,)).rowcount
        return gone + db.execute("DELETE FROM feedback WHERE voted_at < ?", (cutoff,)).rowcount

    def gaps(self) -> list[Gap]:
        """Unanswered questions grouped by normalised wording, most frequent first."""
        with self._connect() as db:
            self._purge(db)
            rows = db.execute(
                "SELECT normalized, COUNT(*), MAX(asked_at), "
                "(SELECT question FROM unanswered u2 WHERE u2.normalized = u.normalized "
                " ORDER BY asked_at DESC, id DESC LIMIT 1) "
                "FROM unanswered u GROUP BY normalized ORDER BY COUNT(*) DESC, MAX(asked_at) DESC"
            ).fetchall()
        return [Gap(question=q, normalized=n, count=c, last_seen=last[:10])
                for n, c, last, q in rows]

    def dismiss(self, normalized_question: str) -> int:
        """Forget every unanswered question in a group; the number of rows removed."""
        with self._connect() as db:
            return db.execute("DELETE FROM unanswered WHERE normalized = ?",
                              (normalized_question,)).rowcount

    def votes(self) -> list[Votes]:
        """Thumbs up and down per cited passage."""
        counts: dict[str, list[int]] = {}
        with self._connect() as db:
            self._purge(db)
            for passages, vote in db.execute("SELECT passages, vote FROM feedback"):
                for passage_id in json.loads(passages) or ["(no passage)"]:
                    up_down = counts.setdefault(passage_id, [0, 0])
                    up_down[0 if vote > 0 else 1] += 1
        return [Votes(pid, up, down) for pid, (up, down) in sorted(counts.items())]

    def rated_questions(self, limit: int = 1000) -> list[str]:
        """The distinct questions visitors voted on, most recent first."""
        with self._connect() as db:
            self._purge(db)
            rows = db.execute("SELECT question FROM feedback GROUP BY question "
                              "ORDER BY MAX(voted_at) DESC, MAX(id) DESC LIMIT ?", (limit,))
            return [question for (question,) in rows]

    def count(self, table: str) -> int:
        """Rows in `table` ("unanswered" or "feedback")."""
        if table not in ("unanswered", "feedback"):
            raise ValueError(f"table must be 'unanswered' or 'feedback', got {table!r}")
        with self._connect() as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def gaps_csv(self) -> str:
        """The grouped unanswered questions as CSV text (question, count, last seen)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["question", "count", "last_seen"])
        for gap in self.gaps():
            writer.writerow([gap.question, gap.count, gap.last_seen])
        return out.getvalue()
