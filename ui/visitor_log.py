"""Keep what staff need from the chat (unanswered questions, votes) without ever breaking it.

The store scrubs identifying details itself; nothing else about the visitor is passed to it.
When the database cannot be used, the problem goes to the server log and the visitor sees nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from assistant.errors import StoreError, describe
from assistant.store import Store

logger = logging.getLogger(__name__)


def log_unanswered(question: str) -> bool:
    """Store a question the article does not cover; False when the store failed."""
    try:
        Store().log_unanswered(question)
    except StoreError as problem:
        logger.warning("unanswered question not stored: %s", describe(problem))
        return False
    return True


def log_vote(question: str, passage_ids: Iterable[str], vote: int) -> bool:
    """Store a thumbs up (1) or down (-1) on an answer; False when the store failed."""
    try:
        Store().log_feedback(question, list(passage_ids), vote)
    except StoreError as problem:
        logger.warning("feedback not stored: %s", describe(problem))
        return False
    return True
