"""The embedded store of unanswered questions and feedback votes (SQLite, standard library).

Entry point: `Store(path)`. It keeps only what staff need: the question text (scrubbed of emails,
phone numbers, postal codes and long digit runs), the cited passage ids, the vote and the time.
No IP address, session id or name. Rows older than the retention period are purged.
Each call opens its own connection (WAL mode, busy timeout), so concurrent sessions never lose
an entry; a long-lived process keeps one instead (`Store(keep_open=True)`, shared by its
threads, one transaction at a time), so a logged question does not pay for a new connection.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import settings
from .errors import StoreError
from .text import words

MAX_STORED_CHARS = 500

# Between the digit groups of a phone or card number: up to three of anything but letters and
# digits (spaces, dots, dashes of any length, underscores, commas, slashes, brackets).
_SEP = r"(?:[^\w\n]|_){0,3}"
_SEP_ONE_OR_MORE = r"(?:[^\w\n]|_){1,3}"
_STREET_TYPES = ("street|st|avenue|ave|av|road|rd|drive|dr|boulevard|blvd|way|crescent|cres|"
                 "court|ct|lane|ln|place|pl|trail|trl|close|terrace|gate|circle|cir|parkway|"
                 "pkwy|highway|hwy|square|sq|row|link|landing|bay|green|grove|heights|manor|"
                 "mews|ridge|wynd")
# Words that cannot sit between a house number and its street type: "2 km on the trail" and
# "30 minutes along the way" are no addresses.
_NOT_IN_AN_ADDRESS = ("on|the|in|to|a|an|for|at|my|of|and|or|with|from|by|km|kms|miles?|"
                      "hours?|min|minutes?|times?|days?|weeks?|months?|years?|is|was|every|per|"
                      "each|near|along|down|up|about|around|after|before")

_SCRUBS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(rf"(?<!\w)(?:\+?1{_SEP})?\(?\d{{3}}\)?{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\w)"),
     "[phone]"),
    (re.compile(r"\b[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d\b"), "[postal code]"),
    (re.compile(r"\bp\.?\s?o\.?\s+box\s+\d+", re.IGNORECASE), "[address]"),
    # A house number (maybe with a unit: "#204 10050", "204-10050"), up to three words, a
    # street type and maybe a direction: "10050 112 St NW", "123 Main Street".
    (re.compile(rf"(?<![\w#])(?:#\s?\d+[\s,-]+)?\d{{1,6}}[a-z]?(?:\s*-\s*\d{{1,6}})?\s+"
                rf"(?:(?!(?:{_NOT_IN_AN_ADDRESS})\b)[\w'’.-]+\s+){{0,3}}?"
                rf"(?:{_STREET_TYPES})\b\.?(?:\s+(?:nw|ne|sw|se|n|s|e|w)\b\.?)?",
                re.IGNORECASE), "[address]"),
    # Five or more digits, alone or split by single spaces, dots, dashes or slashes.
    (re.compile(r"(?<!\d)\d(?:[ ./-]?\d){4,}"), "[number]"),
)
# Groups of 2+ digits split by any separator, 7+ digits in all: phone and card numbers written
# with underscores, commas or en dashes ("4111,1111,1111,1111", "555–1234").
_DIGIT_GROUPS = re.compile(rf"(?<!\w)\d{{2,}}(?:{_SEP_ONE_OR_MORE}\d{{2,}})+")
# "my name is Jane Doe", "I'm called Jane": the name is the next one to three words that are
# not one of _NOT_A_NAME ("my name is jane and I ..." keeps "and I ...").
_NAME_INTRO = re.compile(r"\b(?:my\s+name\s+is|my\s+name['’]?s|i['’]?m\s+called|i\s+am\s+"
                         r"called|they\s+call\s+me)\s+", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]* *")
_NOT_A_NAME = frozenset(
    "a an and are am at because but by did do does for from had has have here how i i'm i’m "
    "if im in is it just me my no not of on or please so thank thanks the to too was were what "
    "when where who why with years year old aged age".split())
_SURROGATES = re.compile("[\ud800-\udfff]")
# A CSV cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...)).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    normalized TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    dismissed_at TEXT
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
    """`text` with what could identify a visitor replaced: emails, phone numbers, postal
    codes, street addresses and PO boxes, runs of 5+ digits, 7+ digits in groups split by any
    separator, and a name given after "my name is" or "I'm called". Lone surrogates (bytes
    that were not UTF-8) become U+FFFD. Cut to 500 characters."""
    text = _SURROGATES.sub("\ufffd", text)
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    text = _DIGIT_GROUPS.sub(_long_number, text)
    return _without_names(text)[:MAX_STORED_CHARS]


def _long_number(match: re.Match) -> str:
    return "[number]" if sum(c.isdigit() for c in match.group()) >= 7 else match.group()


def _without_names(text: str) -> str:
    """`text` with the one to three words after each name introduction replaced by [name]."""
    out, cursor = [], 0
    for intro in _NAME_INTRO.finditer(text):
        if intro.start() < cursor:
            continue
        end = intro.end()
        for _ in range(3):
            word = _NAME_WORD.match(text, end)
            if word is None or word.group().strip(" .").casefold() in _NOT_A_NAME:
                break
            end = word.end()
        end = intro.end() + len(text[intro.end():end].rstrip(" "))
        if end > intro.end():
            out.append(text[cursor:intro.end()] + "[name]")
            cursor = end
    return "".join(out) + text[cursor:]


def csv_cell(value: object) -> object:
    """A value safe in a spreadsheet: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
class Dismissed:
    """A group of unanswered questions staff dismissed at `dismissed_at` (UTC, ISO format)."""

    question: str
    normalized: str
    count: int
    dismissed_at: str


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
                 clock: Callable[[], dt.datetime] = _now, keep_open: bool = False):
        self.path = str(path or settings.db_path())
        # With keep_open: one connection for every thread, used under the lock, and opened
        # again when the file it was opened on is no longer the one at `path` (moved away).
        self._kept: tuple[sqlite3.Connection, tuple[int, int]] | None = None
        self._kept_lock = threading.Lock() if keep_open else None
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
            columns = {row[1] for row in db.execute("PRAGMA table_info(unanswered)")}
            if "dismissed_at" not in columns:  # a store made before dismissing could be undone
                db.execute("ALTER TABLE unanswered ADD COLUMN dismissed_at TEXT")

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
        """One transaction, on a new connection or, with keep_open, on the kept one."""
        try:
            if self._kept_lock is None:
                with closing(self._open()) as db, db:
                    yield db
                return
            with self._kept_lock:
                db = self._kept_connection()
                try:
                    with db:
                        yield db
                except sqlite3.Error:
                    self._drop_kept()  # the next call starts from a fresh connection
                    raise
        except sqlite3.Error as exc:
            raise StoreError(f"the database cannot be used: {exc}", path=self.path) from exc
        except OSError as exc:
            raise StoreError(f"the database folder cannot be created: {exc}",
                             path=self.path) from exc

    def _open(self) -> sqlite3.Connection:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, waiting up to the
        # busy timeout, so concurrent writers queue instead of failing mid-transaction.
        db = sqlite3.connect(self.path, timeout=10, isolation_level="IMMEDIATE",
                             check_same_thread=self._kept_lock is None)
        db.execute("PRAGMA busy_timeout = 10000")
        if self._kept_lock is not None:
            # The chat's many small writes: in WAL mode NORMAL skips the flush to disk on each
            # commit; the database never corrupts, and a power cut loses at most the last few
            # logged questions, never a staff edit (those are files).
            db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _kept_connection(self) -> sqlite3.Connection:
        """The kept connection, opened (again) when there is none or the file at `path` is not
        the one it was opened on; the schema is made again with a new file."""
        try:
            info = os.stat(self.path)
            here = (info.st_dev, info.st_ino)
        except FileNotFoundError:
            here = None
        if self._kept is not None and self._kept[1] == here:
            return self._kept[0]
        self._drop_kept()
        db = self._open()
        if here is None:  # a new file: WAL and the tables, as the constructor made them
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
        info = os.stat(self.path)
        self._kept = (db, (info.st_dev, info.st_ino))
        return db

    def _drop_kept(self) -> None:
        if self._kept is not None:
            self._kept[0].close()
            self._kept = None

    def close(self) -> None:
        """Close the kept connection, if any (a new one opens on the next call)."""
        if self._kept_lock is not None:
            with self._kept_lock:
                self._drop_kept()

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

    def gaps(self, limit: int | None = None, offset: int = 0) -> list[Gap]:
        """Unanswered questions grouped by normalised wording, most frequent first: all of
        them, or `limit` groups from the `offset`-th on (a page of the list)."""
        with self._connect() as db:
            self._purge(db)
            rows = db.execute(
                "SELECT normalized, COUNT(*), MAX(asked_at), "
                "(SELECT question FROM unanswered u2 WHERE u2.normalized = u.normalized "
                " AND u2.dismissed_at IS NULL ORDER BY asked_at DESC, id DESC LIMIT 1) "
                "FROM unanswered u WHERE dismissed_at IS NULL GROUP BY normalized "
                "ORDER BY COUNT(*) DESC, MAX(asked_at) DESC, normalized LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset)).fetchall()
        return [Gap(question=q, normalized=n, count=c, last_seen=last[:10])
                for n, c, last, q in rows]

    def gap_count(self) -> int:
        """How many groups of unanswered questions there are."""
        with self._connect() as db:
            self._purge(db)
            return db.execute("SELECT COUNT(DISTINCT normalized) FROM unanswered "
                              "WHERE dismissed_at IS NULL").fetchone()[0]

    def dismiss(self, normalized_question: str) -> str | None:
        """Take a group of unanswered questions off the list (kept until the retention period
        ends, so the dismissal can be undone); when it was dismissed, None if there was
        nothing to dismiss. The same question asked again later makes a new group."""
        now = self._clock().isoformat()
        with self._connect() as db:
            done = db.execute("UPDATE unanswered SET dismissed_at = ? WHERE normalized = ? AND "
                              "dismissed_at IS NULL", (now, normalized_question)).rowcount
        return now if done else None

    def undismiss(self, normalized_question: str, dismissed_at: str) -> int:
        """Put a dismissed group back on the list; the number of questions brought back."""
        with self._connect() as db:
            return db.execute("UPDATE unanswered SET dismissed_at = NULL WHERE normalized = ? "
                              "AND dismissed_at = ?",
                              (normalized_question, dismissed_at)).rowcount

    def dismissed(self, limit: int = 50) -> list[Dismissed]:
        """The groups staff dismissed, most recently dismissed first."""
        with self._connect() as db:
            self._purge(db)
            rows = db.execute(
                "SELECT MAX(question), normalized, COUNT(*), dismissed_at FROM unanswered "
                "WHERE dismissed_at IS NOT NULL GROUP BY normalized, dismissed_at "
                "ORDER BY dismissed_at DESC, normalized LIMIT ?", (limit,)).fetchall()
        return [Dismissed(q, n, c, at) for q, n, c, at in rows]

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
        """The grouped unanswered questions as CSV text (question, count, last seen); a
        question that a spreadsheet would read as a formula starts with a quote."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["question", "count", "last_seen"])
        for gap in self.gaps():
            writer.writerow([csv_cell(gap.question), gap.count, gap.last_seen])
        return out.getvalue()
