"""Serve the newest valid knowledge base, keeping the last good one when an edit breaks it.

Entry point: `LastGood().serve(directory, build) -> Serving`. `build(directory, fingerprint)`
makes an Engine; the chat page passes a `st.cache_resource` function, so each version of the
knowledge files is indexed once per process and a staff save is picked up on the next question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .engine import Engine
from .errors import KnowledgeChanged, KnowledgeError, KnowledgeInvalid
from .knowledge import fingerprint
from .safety_check import checked_knowledge

Builder = Callable[[str, str], Engine]


def build_engine(directory: str, version: str) -> Engine:
    """A new Engine for the knowledge files in `directory`, as they are at `version`.

    Raises KnowledgeChanged when a save lands during the load, so a cache keyed by `version`
    never holds an engine built from other content.
    """
    engine = Engine(checked_knowledge(directory))
    if fingerprint(directory) != version:
        raise KnowledgeChanged(directory)
    return engine


@dataclass(frozen=True)
class Serving:
    """The engine to answer with (None when no version ever loaded) and the current problem."""

    engine: Engine | None
    problem: KnowledgeInvalid | None
    version: str


class LastGood:
    """Remembers, per folder, the last engine that loaded cleanly. Safe across threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._engines: dict[str, Engine] = {}

    def serve(self, directory: str, build: Builder = build_engine, attempts: int = 3) -> Serving:
        """The engine for the files on disk now, or the last good one with the problem."""
        for _ in range(attempts):
            version = fingerprint(directory)
            try:
                engine = build(directory, version)
            except KnowledgeChanged:
                continue
            except KnowledgeInvalid as problem:
                return self._fallback(directory, problem, version)
            except Exception as exc:  # a bug must not take the chat down: keep serving
                problem = KnowledgeInvalid([KnowledgeError(
                    f"the knowledge base could not be loaded ({type(exc).__name__}: {exc})",
                    file=str(directory))])
                return self._fallback(directory, problem, version)
            with self._lock:
                self._engines[directory] = engine
            return Serving(engine, None, version)
        problem = KnowledgeInvalid([KnowledgeError(
            "the files kept changing while they were loaded; try again", file=str(directory))])
        return self._fallback(directory, problem, version)

    def _fallback(self, directory: str, problem: KnowledgeInvalid, version: str) -> Serving:
        with self._lock:
            return Serving(self._engines.get(directory), problem, version)
