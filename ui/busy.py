"""Say the assistant is busy when an answer is slow, so the page never looks frozen.

`with busy_notice() as busy:` around the work of one answer: if it takes longer than
`BUSY_AFTER_SECONDS` (many visitors at once), a notice appears in `busy.slot`; the answer is
then drawn into the same slot (e.g. `busy.slot.chat_message(...)`), which replaces the
notice. A timer thread attached to the session shows the notice, as `st.spinner` shows its
own; it never writes once the work is done.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx

BUSY_AFTER_SECONDS = 10.0
BUSY = ("Many people are asking questions right now, so your answer is taking longer than "
        "usual. It is on its way: there is no need to ask again.")


@dataclass
class Busy:
    """The slot the notice (and then the answer) goes in; `shown` is set once it showed."""

    slot: object
    shown: threading.Event = field(default_factory=threading.Event)


@contextmanager
def busy_notice(after: float = BUSY_AFTER_SECONDS) -> Iterator[Busy]:
    """A slot on the page that shows `BUSY` if the body takes longer than `after` seconds."""
    busy = Busy(st.empty())
    lock = threading.Lock()
    done = False

    def show() -> None:
        with lock:
            if not done:
                busy.slot.info(BUSY, icon=":material/hourglass_top:")
                busy.shown.set()

    timer = threading.Timer(after, show)
    add_script_run_ctx(timer)
    timer.start()
    try:
        yield busy
    finally:
        timer.cancel()
        with lock:
            done = True
