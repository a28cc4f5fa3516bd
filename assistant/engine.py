"""From a visitor's message to an Answer: `Engine(knowledge).ask(question, history)`.

Order matters: clean the input; red flags before anything else (an urgent rule replaces the
reply, a support rule adds a line above it); read the message (reading.py: its asks, its story,
small talk); then for each ask: a topic the article does not cover, a question for the clinic,
or retrieval with abstention, read in the conversation's context; then plan the reply and
compose it. Bad input never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .compose import EMPTY, NOTHING_MORE, TRUNCATED, Answer, Plan, Quote, compose
from .knowledge import Knowledge, Topic
from .reading import Ask, Reader, Reading
from .retrieval import Hit, Retriever, Settings, Unit, combine, tokenizer_for
from .safety import RedFlags
from .text import strip_controls, words

MAX_QUESTION_CHARS = 2000
MAX_ASKS = 3
HISTORY_TURNS = 4
# Openings that mark a question as continuing the previous one ("and at night?").
_FOLLOW_UP = re.compile(
    r"^(and|also|but|so|what about|how about|what if|then|or|plus|same|ok and|okay and|"
    r"tell me more|more about|more on|go on)\b", re.IGNORECASE)
_POINTER = re.compile(r"\b(it|that|this|those|them|these|they|one|ones)\b", re.IGNORECASE)


def clean_question(text: object) -> tuple[str, str]:
    """(question, notice): control characters stripped, spaces folded, cut at 2,000 chars."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = " ".join(strip_controls(text).split())
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS].rstrip(), TRUNCATED.format(limit=MAX_QUESTION_CHARS)
    return text, ""


def questions_of(history: Iterable[object]) -> list[str]:
    """Earlier visitor questions, oldest first, from strings or {"question": ...} records."""
    out = []
    for turn in history or ():
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, dict) and isinstance(turn.get("question"), str):
            out.append(turn["question"])
    return out


@dataclass(frozen=True)
class Context:
    """What the conversation is about: the passages of the last answered turn, the words that
    led there, what was quoted, and the topic's name."""

    passages: tuple[str, ...]
    query: dict[str, float]
    quoted: frozenset[tuple[str, int]]
    topic: str


@dataclass(frozen=True)
class Part:
    """The engine's reading of one ask: quotes, a topic not covered, or a clinic question."""

    quotes: tuple[Quote, ...] = ()
    not_covered: tuple[str, ...] = ()
    clinic: tuple[str, ...] = ()
    message: str = ""
    query: dict[str, float] = field(default_factory=dict)


class Engine:
    """Everything needed to answer questions from one knowledge base; never changed once built."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None):
        self.knowledge = knowledge
        self.settings = settings or Settings()
        self.tokenizer = tokenizer_for(knowledge)
        self.retriever = Retriever(knowledge, self.tokenizer, self.settings)
        self.reader = Reader(knowledge, self.tokenizer)
        self.red_flags = RedFlags(knowledge.safety, self.tokenizer.vocabulary)
        self._sources = dict(knowledge.sources)
        self._kind_stems = {kind.id: frozenset(self.tokenizer.tokens(
            " ".join(w.replace("|", " ").replace("+", " ").replace("*", "") for w in kind.words)))
            for kind in knowledge.kinds}

    def ask(self, question: object, history: Sequence[object] = ()) -> Answer:
        """Answer one message; `history` holds the visitor's earlier questions (oldest first)."""
        text, notice = clean_question(question)
        if not words(text):
            plan = Plan("no_match", message=EMPTY if not text else "", notice=notice,
                        reason="empty" if not text else "no words")
            return self._compose(text, plan)
        flags = self.red_flags.check(text)
        if flags.urgent is not None:
            return self._compose(text, Plan("urgent", message=flags.urgent.message,
                                            reason=flags.urgent.id))
        plan = self.plan(self.reader.read(text), self.context(history))
        support = flags.support.message if flags.support is not None else ""
        return self._compose(text, Plan(**{**plan.__dict__, "support": support,
                                           "notice": notice}))

    def _compose(self, text: str, plan: Plan) -> Answer:
        return compose(text, plan, clinic=self.knowledge.clinic, sources=self._sources)

    # --- the conversation ------------------------------------------------------------------

    def context(self, history: Sequence[object]) -> Context | None:
        """The topic of the last answered turn, replaying the visitor's earlier questions."""
        context = None
        for earlier in questions_of(history)[-HISTORY_TURNS:]:
            text, _ = clean_question(earlier)
            if not words(text) or self.red_flags.check(text).urgent is not None:
                continue
            plan = self.plan(self.reader.read(text), context)
            if plan.status == "answered":
                ids = tuple(q.passage.id for q in plan.quotes)
                quoted = frozenset(part for q in plan.quotes for part in q.unit.parts)
                topic = self._topic(ids[0])
                query = combine(*(self.retriever.query(a.text) for a in
                                  self.reader.read(text).asks))
                context = Context(ids, query, quoted, topic)
        return context

    def _topic(self, passage_id: str) -> str:
        passage = self.retriever.passages[passage_id]
        source = self._sources.get(passage.source)
        return passage.topic or (source.topic if source else "") or passage.title

    # --- one message -------------------------------------------------------------------------

    def plan(self, reading: Reading, context: Context | None = None) -> Plan:
        """What to reply to a message, given the conversation so far."""
        if reading.smalltalk is not None:
            return Plan("smalltalk", message=reading.smalltalk.reply,
                        reason=f"smalltalk: {reading.smalltalk.id}")
        if not reading.asks:
            return Plan("no_match", reason="nothing asked")
        asks = reading.asks[:MAX_ASKS]
        if reading.anywhere and not all(a.not_covered and all(t.clinic for t in a.not_covered)
                                        for a in asks):
            return Plan("no_match", not_covered=tuple(
                self._name(t, context) for t in reading.anywhere),
                reason="not covered: " + ", ".join(t.topic for t in reading.anywhere))
        parts = [self._part(ask, reading, context) for ask in asks]
        quotes: list[Quote] = []
        for part in parts:
            for quote in part.quotes:
                if all(q.passage.id != quote.passage.id for q in quotes):
                    quotes.append(quote)
        not_covered = tuple(n for p in parts for n in p.not_covered)
        clinic = tuple(n for p in parts for n in p.clinic)
        quotes = quotes[:self.settings.max_citations]
        if quotes:
            return Plan("answered", quotes=tuple(quotes), not_covered=not_covered, clinic=clinic,
                        reason="answered")
        if clinic:
            return Plan("clinic", clinic=clinic, not_covered=not_covered, reason="clinic")
        message = next((p.message for p in parts if p.message), "")
        reason = "not covered: " + ", ".join(not_covered) if not_covered else \
            "not covered by any passage"
        return Plan("no_match", not_covered=not_covered, message=message, reason=reason)

    def _name(self, topic: Topic, context: Context | None) -> str:
        default = next((s.topic for s in self._sources.values() if s.topic), "this")
        return topic.name.replace("{topic}", context.topic if context else default)

    def _part(self, ask: Ask, reading: Reading, context: Context | None) -> Part:
        text = self.reader.smalltalk.strip(ask.text)
        own = self.retriever.query(text)
        kind_stems = frozenset().union(*(self._kind_stems[k.id] for k in ask.kinds))
        topical_q = {t: w for t, w in own.items() if t not in kind_stems}
        topical = self.retriever.topical(topical_q)
        follow = context is not None and self._follows(ask.text, topical)
        if ask.not_covered:
            topic_context = context if follow else None
            clinic = tuple(self._name(t, topic_context) for t in ask.not_covered if t.clinic)
            other = tuple(self._name(t, topic_context) for t in ask.not_covered if not t.clinic)
            return Part(not_covered=other, clinic=clinic)
        prefer: dict[str, float] = {}
        for kind in ask.kinds:
            for n, pid in enumerate(kind.passages):
                prefer[pid] = max(prefer.get(pid, 0.0),
                                  self.settings.kind_boost * (1 - 0.05 * n))
        q = dict(own)
        if follow:
            q = combine(own, {t: w * self.settings.context_weight
                              for t, w in context.query.items()})
            for pid in context.passages:
                prefer[pid] = prefer.get(pid, 0.0) + 1.0
        elif not topical and ask.kinds:
            return Part(quotes=self._kind_quotes(ask, own), query=own)
        elif not topical and reading.story:
            story = self.retriever.query(reading.story)
            if self.retriever.topical(story):
                q = combine(own, story)
                topical_q = combine(topical_q, story)
        elif reading.story:
            q = combine(own, self.retriever.query(reading.story, self.settings.story_weight))
        hits = self.retriever.search(q, prefer, coverage_of=topical_q,
                                     top_k=self.settings.max_citations)
        if not hits or hits[0].coverage < self.settings.min_coverage:
            return Part(query=q)
        avoid = context.quoted if follow else frozenset()
        chosen = self._complementary(hits, topical_q)
        quotes = []
        for hit in chosen:
            unit = self.retriever.unit(hit.passage_id, q, avoid)
            if unit is not None:
                quotes.append(Quote(self.retriever.passages[hit.passage_id], unit, hit.score))
        if not quotes and follow:
            return Part(message=NOTHING_MORE.format(topic=context.topic), query=q)
        return Part(quotes=tuple(quotes), query=q)

    def _follows(self, text: str, topical: set[str]) -> bool:
        """True for an ask that goes on from the last answer rather than starting a topic:
        one without a topic of its own, one that opens like a continuation ("and at night?"),
        or a short one pointing back ("does it hurt?")."""
        if not topical or _FOLLOW_UP.search(text):
            return True
        return len(topical) <= 1 and len(words(text)) <= 6 and bool(_POINTER.search(text))

    def _kind_quotes(self, ask: Ask, q: dict[str, float]) -> tuple[Quote, ...]:
        """One quote per kind of question (at most two) for an ask with no topic of its own:
        "what is RLS and how is it treated?"."""
        quotes = []
        for kind in ask.kinds[:2]:
            pid = next((p for p in kind.passages if p in self.retriever.passages), None)
            if pid is None or any(quote.passage.id == pid for quote in quotes):
                continue
            unit = self.retriever.unit(pid, combine(q, self.retriever.query(kind.title)))
            if unit is not None:
                quotes.append(Quote(self.retriever.passages[pid], unit, 0.0))
        return tuple(quotes)

    def _complementary(self, hits: list[Hit], topical_q: dict[str, float]) -> list[Hit]:
        """The best hit, and further hits only where they cover a topical word of the question
        that the ones before do not ("the difference between Swedish and deep tissue")."""
        chosen = [hits[0]]
        topical = self.retriever.topical(topical_q)
        covered = {t for t in topical if self.retriever.coverage({t: 1.0}, hits[0].passage_id) == 1}
        for hit in hits[1:]:
            new = {t for t in topical - covered
                   if self.retriever.coverage({t: 1.0}, hit.passage_id) == 1}
            if new and hit.score >= 0.3 * hits[0].score:
                chosen.append(hit)
                covered |= new
        return chosen


def questions_answered(engine: Engine, questions: Iterable[str]) -> list[str]:
    """The questions the engine answers (a quote), in order."""
    return [q for q in questions if engine.ask(q).status == "answered"]


def units_of(answer: Answer) -> list[Unit]:
    """Placeholder-free helper for tests: the quoted snippets of an answer."""
    return [Unit(c.id, c.snippet) for c in answer.citations]
