"""Keep what staff need from the chat (unanswered questions, votes) without ever breaking it.

The store scrubs identifying details itself; nothing else about the visitor is passed to it.
When the database cannot be used, the problem goes to the server log and the visitor sees nothing.
The process keeps one store, with one connection, per database file and retention setting
(`visitor_store`), shared by every session.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from assistant import settings
from assistant.errors import StoreError, describe
from assistant.store import Store

logger = logging.getLogger(__name__)
_stores: dict[tuple[str, int], Store] = {}
_stores_lock = threading.Lock()
MAX_STORES = 4


def visitor_store() -> Store:
    """The process's store for the database and retention period set now (read each call, so
    a changed setting takes effect); StoreError when it cannot be opened (tried again next
    time)."""
    try:
        key = (settings.db_path(), settings.retention_days())
    except ValueError as exc:
        raise StoreError(str(exc), path=settings.db_path()) from None
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = Store(key[0], key[1], keep_open=True)
            while len(_stores) >= MAX_STORES:  # settings changed: forget the oldest
                _stores.pop(next(iter(_stores))).close()
            _stores[key] = store
        return store


def log_unanswered(question: str) -> bool:
    """Store a question the article does not cover; False when the store failed."""
    try:
        visitor_store().log_unanswered(question)
    except StoreError as problem:
        logger.warning("unanswered question not stored: %s", describe(problem))
        return False
    return True


def log_vote(question: str, passage_ids: Iterable[str], vote: int) -> bool:
    """Store a thumbs up (1) or down (-1) on an answer; False when the store failed."""
    try:
        visitor_store().log_feedback(question, list(passage_ids), vote)
    except StoreError as problem:
        logger.warning("feedback not stored: %s", describe(problem))
        return False
    return True
