"""The engine for the knowledge files on disk now: `current_serving()`, for every page.

The engine comes from the process's one engine cache (assistant.serving), shared by every
session and never changed: a staff save is picked up on the next question without a restart,
and a broken save keeps serving the last version that loaded. A broken version is logged once.
The suggested questions are worked out once per engine (`suggested_questions`).

Once an engine is served, everything alive in the process (the engine, wordfreq's word lists,
Streamlit's modules) is moved out of the garbage collector's reach (`gc.freeze`): it lives as
long as the process, and a full collection would otherwise walk its millions of objects again
each time (Streamlit's collection after every run took 62% of the server's CPU).
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import weakref

from assistant import serving, settings
from assistant.errors import describe

from .conversation import Asks, suggestions

logger = logging.getLogger(__name__)
_frozen: weakref.WeakSet = weakref.WeakSet()
_suggested: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_suggested_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _report(directory: str, version: str, message: str) -> None:
    """Log a broken knowledge base once per version, not on every rerun."""
    logger.error("knowledge base %s (version %s) cannot be loaded; visitors are served the "
                 "last good version if there is one.\n%s", directory, version, message)


def current_serving(directory: str | None = None) -> serving.Serving:
    """The engine to answer with now, and the problem with the files on disk, if any."""
    folder = directory or settings.knowledge_dir()
    now = serving.current(folder)
    if now.problem is not None:
        _report(folder, now.version, describe(now.problem))
    if now.engine is not None and now.engine not in _frozen:
        _frozen.add(now.engine)
        gc.freeze()
    return now


def suggested_questions(engine: Asks) -> list[str]:
    """The suggested questions `engine` answers, asked once per engine (a knowledge version)
    rather than on every page load; forgotten with the engine."""
    with _suggested_lock:
        found = _suggested.get(engine)
        if found is None:
            found = _suggested[engine] = tuple(suggestions(engine))
    return list(found)
