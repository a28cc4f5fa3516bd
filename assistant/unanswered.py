"""The unanswered questions for staff, a page at a time, with what each would get now.

Entry point: `gap_page(store, engine, page) -> GapPage`. Only the groups of the page shown are
read and asked, and what a question gets is asked once per engine (one engine per knowledge
version) and remembered, so the staff page's reruns ask nothing again: with 50,000 logged
questions a rerun reads one page from the store and looks up 50 remembered answers.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from .editing.impact import outcome
from .engine import Engine
from .store import Gap, Store

PER_PAGE = 50


@dataclass(frozen=True)
class GapRow:
    """A group of unanswered questions and what it would get now (a passage id or a status;
    "" when no knowledge base could be loaded)."""

    gap: Gap
    now: str


@dataclass(frozen=True)
class GapPage:
    """One page of the grouped unanswered questions, most asked first; `page` is 1-based."""

    rows: tuple[GapRow, ...]
    total: int
    page: int
    pages: int


class AnswersNow:
    """What questions get from one engine, remembered until the engine changes. Shared by
    every session; thread-safe."""

    def __init__(self, limit: int = 20_000):
        self._limit = limit
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._outcomes: dict[str, str] = {}

    def outcomes(self, engine: Engine, questions: Sequence[str]) -> list[str]:
        """The outcome of each question with `engine`, asking only those not asked before."""
        with self._lock:
            if engine is not self._engine or len(self._outcomes) > self._limit:
                self._engine, self._outcomes = engine, {}
            known = self._outcomes
            for question in questions:
                if question not in known:
                    known[question] = outcome(engine.ask(question))
            return [known[question] for question in questions]


ANSWERS_NOW = AnswersNow()


def gap_page(store: Store, engine: Engine | None, page: int = 1,
             per_page: int = PER_PAGE) -> GapPage:
    """Page `page` of the unanswered groups (clamped to the pages there are)."""
    if per_page < 1:
        raise ValueError(f"per_page must be at least 1, got {per_page}")
    total = store.gap_count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    gaps = store.gaps(limit=per_page, offset=(page - 1) * per_page)
    now = ANSWERS_NOW.outcomes(engine, [g.question for g in gaps]) if engine else [""] * len(gaps)
    return GapPage(tuple(GapRow(g, o) for g, o in zip(gaps, now, strict=True)), total, page,
                   pages)
