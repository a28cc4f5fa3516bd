"""From a visitor's question to an Answer: `Engine(knowledge).ask(question, history)`.

Order matters: clean the input, then red flags (before anything else), small talk and
not-covered topics, then retrieval with abstention, then compose. Bad input never raises.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from .compose import EMPTY, TRUNCATED, Answer, Quote, compose
from .knowledge import Knowledge
from .retrieval import Retriever, Settings, combine, query, tokenizer_for
from .text import strip_controls, words
from .triage import Triage

MAX_QUESTION_CHARS = 2000
# Openings that mark a question as continuing the previous one ("and at night?").
_FOLLOW_UP = re.compile(
    r"^(and|also|but|so|what about|how about|what if|then|or|plus|same|ok and|okay and)\b",
    re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|that|this|those|them|these|they)\b", re.IGNORECASE)


def clean_question(text: object) -> tuple[str, str]:
    """(question, notice): control characters stripped, spaces folded, cut at 2,000 chars."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = " ".join(strip_controls(text).split())
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS].rstrip(), TRUNCATED.format(limit=MAX_QUESTION_CHARS)
    return text, ""


def _questions(history: Iterable[object]) -> list[str]:
    """Earlier visitor questions, oldest first, from strings or {"question": ...} records."""
    out = []
    for turn in history or ():
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, dict) and isinstance(turn.get("question"), str):
            out.append(turn["question"])
    return out


class Engine:
    """Everything needed to answer questions from one knowledge base; never changed once built."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None):
        self.knowledge = knowledge
        self.tokenizer = tokenizer_for(knowledge)
        self.retriever = Retriever(knowledge, self.tokenizer, settings or Settings())
        self.triage = Triage(knowledge, self.tokenizer)
        self.red_flags = self.triage.red_flags

    def ask(self, question: object, history: Sequence[object] = ()) -> Answer:
        """Answer one question; `history` holds the visitor's earlier questions (oldest first)."""
        text, notice = clean_question(question)
        k = self.knowledge

        def reply(status: str, **kwargs) -> Answer:
            return compose(text, status, clinic=k.clinic, sources=dict(k.sources),
                           notice=notice, **kwargs)

        if not words(text):
            message = EMPTY if not text else ""
            return reply("no_match", message=message, reason="empty" if not text else "no words")
        flags = self.red_flags.check(text)
        if flags.urgent is not None:
            return reply("urgent", message=flags.urgent.message, reason=flags.urgent.id)
        if flags.support is not None:
            reply = functools.partial(reply, support=flags.support.message)
        verdict = self.triage.check(text)
        if verdict is not None:
            return reply(verdict.status, message=verdict.message, reason=verdict.rule)
        q = self._query(text)
        hits = self.retriever.answering(q)
        if self._is_follow_up(text, q, hits):
            previous = self._previous_topic(history)
            if previous:
                combined = combine(q, previous)
                follow_hits = self.retriever.answering(combined)
                if follow_hits:
                    hits, q = follow_hits, combined
        if not hits:
            return reply("no_match", reason="not covered by any passage")
        quotes = [Quote(self.retriever.passages[h.passage_id],
                        self.retriever.snippet(h.passage_id, q), h.score) for h in hits]
        return reply("answered", quotes=quotes)

    def _query(self, text: str) -> dict[str, float]:
        """The weighted query for a question, a leading greeting left out."""
        return query(self.tokenizer.terms(self.triage.smalltalk.strip(text)))

    def _is_follow_up(self, text: str, q: dict[str, float], hits) -> bool:
        """A question that opens like a continuation ("and at night?"), that cannot be
        answered alone, or that is a short one pointing back ("does it hurt?") is read
        together with the earlier question."""
        short_pointer = len(q) <= 2 and bool(_PRONOUN.search(text))
        return not hits or short_pointer or bool(_FOLLOW_UP.search(text))

    def _previous_topic(self, history: Sequence[object]) -> dict[str, float]:
        """The query of the most recent earlier question that the knowledge base answers."""
        for earlier in reversed(_questions(history)[-3:]):
            cleaned, _ = clean_question(earlier)
            if self.red_flags.check(cleaned).urgent or self.triage.check(cleaned):
                continue
            q = self._query(cleaned)
            if self.retriever.answering(q):
                return q
        return {}

