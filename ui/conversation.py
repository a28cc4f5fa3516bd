"""The visitor chat's logic as plain functions over plain data, so it is tested without Streamlit.

A `Conversation` is a view over a mutable mapping (`st.session_state` in the app, a dict in
tests). The mapping only ever holds lists, dicts, strings and numbers: each turn is
`{"id": int, "record": Answer.as_record(), "vote": None | 1 | -1}`, and `places` is the range
of turn indexes the page has drawn places for, `[first, end]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Protocol

from assistant.compose import worth_logging

TURNS, NEXT_ID, PENDING, PLACES = "turns", "next_id", "pending_question", "places"

# Offered as chips on an empty chat; only those the current article answers are shown.
SUGGESTIONS = (
    "What is restless legs syndrome?",
    "How can massage help restless legs?",
    "Which massage techniques help RLS?",
    "What is Swedish massage?",
    "Can massage help me sleep better?",
    "When should I consider massage therapy for RLS?",
)
MAX_SUGGESTIONS = 6
# Places the chat page draws under the turns for the next questions; the question after them
# draws the whole page again.
PLACES = 10

# Emergency lines, labelled, as they are written in the safety messages.
EMERGENCY_LINES = {"911": "Emergency: 911", "811": "Health Link: 811",
                   "988": "Suicide Crisis Helpline: 988"}


class Asks(Protocol):
    def ask(self, question: object, history: Sequence[object] = ()): ...


class Conversation:
    """The visitor's turns, stored as plain data in `state`."""

    def __init__(self, state: MutableMapping):
        self.state = state
        if TURNS not in state:
            state[TURNS] = []
        if NEXT_ID not in state:
            state[NEXT_ID] = 0

    @property
    def turns(self) -> list[dict]:
        return self.state[TURNS]

    def history(self) -> list[str]:
        """The visitor's earlier questions, oldest first, as the engine takes them."""
        return [turn["record"]["question"] for turn in self.turns]

    def add(self, record: Mapping) -> dict:
        """Append one answered turn; ids never repeat within a session, even after `clear`."""
        turn = {"id": self.state[NEXT_ID], "record": dict(record), "vote": None}
        self.state[NEXT_ID] += 1
        self.turns.append(turn)
        return turn

    def clear(self) -> None:
        """Start a new conversation: no turns, no pending question."""
        self.state[TURNS] = []
        self.state.pop(PENDING, None)

    def ask_later(self, question: str) -> None:
        """Queue a question (a clicked chip) for the next run of the page."""
        self.state[PENDING] = question

    def make_places(self, count: int = PLACES) -> range:
        """The indexes of the next `count` turns, which the page now draws places for."""
        first = len(self.turns)
        self.state[PLACES] = [first, first + count]
        return range(first, first + count)

    def place_for_next(self) -> int | None:
        """The index of the next turn when the page has a place for it, else None."""
        first, end = self.state.get(PLACES, (0, 0))
        index = len(self.turns)
        return index if first <= index < end else None

    def take_pending(self) -> str | None:
        """The queued question, once."""
        return self.state.pop(PENDING, None)

    def turn(self, turn_id: int) -> dict | None:
        return next((turn for turn in self.turns if turn["id"] == turn_id), None)

    def vote(self, turn_id: int, vote: int | None) -> dict | None:
        """Record the first vote on a turn; the turn when this vote is new, else None."""
        turn = self.turn(turn_id)
        if turn is None or vote is None or turn["vote"] is not None or \
                not takes_feedback(turn["record"]):
            return None
        turn["vote"] = vote
        return turn


def is_blank(text: str | None) -> bool:
    """True for no input or only whitespace: nothing to ask."""
    return text is None or not text.strip()


def should_log_unanswered(record: Mapping) -> bool:
    """Only real questions the article does not cover (see compose.worth_logging)."""
    return worth_logging(record)


def takes_feedback(record: Mapping) -> bool:
    """Thumbs are offered on ordinary replies only: a vote would store the visitor's message,
    and nothing about a crisis is stored."""
    return record["status"] != "urgent" and not record.get("support")


def offers_related(record: Mapping) -> bool:
    """Related questions follow an answer or a "not covered" reply that has some; never an
    urgent reply or one with a support line, where a massage question would be out of place."""
    return record["status"] in ("answered", "no_match") and not record.get("support") and \
        bool(record.get("related"))


def cited_ids(record: Mapping) -> list[str]:
    """The ids of the passages an answer quoted, in marker order."""
    return [citation["id"] for citation in record["citations"]]


def vote_from_thumbs(value: int | None) -> int | None:
    """st.feedback("thumbs") gives 1 for up and 0 for down; the store wants 1 or -1."""
    if value is None:
        return None
    return 1 if value == 1 else -1


def phone_href(phone: str) -> str:
    """A tel: link for a phone number as staff wrote it ("780 555-0100" -> "tel:7805550100")."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}"


def emergency_lines(message: str) -> list[str]:
    """The emergency lines a safety message names, in the order it names them."""
    found = sorted((match.start(), number) for number in EMERGENCY_LINES
                   if (match := re.search(rf"\b{number}\b", message)))
    return [EMERGENCY_LINES[number] for _, number in found]


def suggestions(engine: Asks, candidates: Iterable[str] = SUGGESTIONS,
                limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The suggested questions the engine answers now, so a chip never leads to "not covered"."""
    answered = [q for q in candidates if engine.ask(q).status == "answered"]
    return answered[:limit]
