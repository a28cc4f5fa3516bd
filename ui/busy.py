"""Say the assistant is busy when an answer is slow, so the page never looks frozen.

`with busy_notice() as busy:` around the work of one answer: if it takes longer than
`BUSY_AFTER_SECONDS` (many visitors at once), a notice appears in `busy.slot`; the answer is
then drawn into the same slot (e.g. `busy.slot.chat_message(...)`), which replaces the
notice. One watcher thread for the whole process keeps the due times; a slow answer's notice
is written by a thread attached to its session (as `st.spinner`'s timer is), started only when
the notice is due, and nothing is written once the work is done. A timer thread per answer
cost about 5% of the server's CPU with many visitors asking at once: started for every
answer, then woken only to be cancelled.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx

BUSY_AFTER_SECONDS = 10.0
TICK_SECONDS = 1.0
IDLE_AFTER_SECONDS = 60.0
BUSY = ("Many people are asking questions right now, so your answer is taking longer than "
        "usual. It is on its way: there is no need to ask again.")


@dataclass(eq=False)
class Busy:
    """The slot the notice (and then the answer) goes in; `shown` is set once it showed."""

    slot: object
    shown: threading.Event = field(default_factory=threading.Event)


class _Watcher:
    """The answers being worked out now, each with the time its notice is due."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._due: dict[Busy, tuple[float, threading.Thread]] = {}  # not yet due
        self._late: set[Busy] = set()  # due, and the work not done yet
        self._thread: threading.Thread | None = None
        self._wakes_at = -math.inf  # when the watcher wakes next (-inf while it is awake)
        self._last_watch = -math.inf  # when the newest answer started

    def watch(self, busy: Busy, after: float) -> None:
        due = time.monotonic() + after
        # The notice is written by a thread of its own that carries the session (Streamlit's
        # context); it is made now, in the session's thread, and only started when due.
        writer = add_script_run_ctx(threading.Thread(target=self._show, args=(busy,),
                                                     name="busy-notice", daemon=True))
        with self._lock:
            self._due[busy] = (due, writer)
            self._last_watch = due - after
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="busy-watcher",
                                                daemon=True)
                self._thread.start()
            elif due < self._wakes_at:  # else the watcher wakes in time by itself
                self._changed.notify()

    def done(self, busy: Busy) -> None:
        """The work is done: the notice is never written after this returns."""
        with self._lock:
            self._due.pop(busy, None)
            self._late.discard(busy)

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                due = [busy for busy, (when, _) in self._due.items() if when <= now]
                writers = [self._due.pop(busy)[1] for busy in due]
                self._late.update(due)
                if not writers:
                    # While answers come, wake every TICK even with none waiting, so that a
                    # new answer (due later than that) never has to wake the watcher: waking
                    # a thread for every answer is what this watcher saves.
                    idle = now - self._last_watch > IDLE_AFTER_SECONDS
                    self._wakes_at = min([when for when, _ in self._due.values()]
                                         + [math.inf if idle else now + TICK_SECONDS])
                    self._changed.wait(None if self._wakes_at == math.inf
                                       else self._wakes_at - now)
                    self._wakes_at = -math.inf  # awake
            for writer in writers:
                writer.start()

    def _show(self, busy: Busy) -> None:
        with self._lock:  # `done` waits for the notice being written
            if busy in self._late:
                self._late.discard(busy)
                busy.slot.info(BUSY, icon=":material/hourglass_top:")
                busy.shown.set()


_watcher = _Watcher()


@contextmanager
def busy_notice(after: float = BUSY_AFTER_SECONDS) -> Iterator[Busy]:
    """A slot on the page that shows `BUSY` if the body takes longer than `after` seconds."""
    busy = Busy(st.empty())
    _watcher.watch(busy, after)
    try:
        yield busy
    finally:
        _watcher.done(busy)
