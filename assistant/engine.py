"""From a visitor's message to an Answer: `Engine(knowledge).ask(question, history)`.

Order matters: clean the input; red flags before anything else (an urgent rule replaces the
reply, a support rule adds a line above it); read the message (reading.py: its asks, its story,
small talk); then for each ask: a topic the article does not cover, a question for the clinic,
or retrieval with abstention, read in the conversation's context; then plan the reply and
compose it. Bad input never raises.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import reading as read
from .compose import (
    EMPTY,
    NOTHING_MORE,
    OTHER_LANGUAGE,
    OTHER_LANGUAGE_HELP,
    PAYMENT,
    SESSION,
    THERAPISTS,
    TRUNCATED,
    Answer,
    Plan,
    Quote,
    compose,
)
from .facts import FactFinder
from .knowledge import Knowledge, Topic
from .reading import Ask, Reader, Reading
from .related import LIMIT as RELATED
from .related import Related
from .retrieval import Hit, Retriever, Settings, Unit, combine, tokenizer_for
from .safety import Flags
from .safety_model import Screen
from .text import Remembered, is_word, load_languages, other_language, strip_controls, words

MAX_QUESTION_CHARS = 2000
MAX_ASKS = 3
HISTORY_TURNS = 4
# How many messages' readings an engine remembers for replaying conversations.
REMEMBERED = 4096
# Openings that mark a question as continuing the previous one ("and at night?").
_FOLLOW_UP = re.compile(
    r"^(and|also|but|so|what about|how about|what if|then|or|plus|same|ok and|okay and|"
    r"tell me more|more about|more on|go on)\b", re.IGNORECASE)
_POINTER = re.compile(r"\b(it|that|this|those|them|these|they|one|ones)\b", re.IGNORECASE)
# Questions no passage answers unless they name something it speaks of: when or where
# something happens, who... ("when will RLS go away?"), what it comes from ("what can this be
# from?" after a story), and whether to be treated at all ("should you get treatment for
# restless legs?": a doctor's call, unlike "should I try massage?").
_FROM = re.compile(r"\bfrom\W*$", re.IGNORECASE)
_WHEN_WHERE_WHO = re.compile(r"^\W*(when|where|who|whom|whose)\b", re.IGNORECASE)
_WHETHER_TREATED = re.compile(
    r"^\W*(should|do|does|would|must|is it worth)\b(?: \w+){0,3}? (get|getting|seek|seeking|have|"
    r"need|needs|go for|start|be) (?:\w+ )?(treatment|treated|medical help|medical care|"
    r"medical attention|treating)\b", re.IGNORECASE)
# Whether it will pass by itself ("will it just go away?", "is there any hope it will stop?"):
# how it goes over time, which no passage says unless massage or a remedy it names is asked of.
_PASSES = re.compile(
    r"\b(?:will|would|might|could|can|does|do)\b(?: \w+){0,3}? (?:ever |just |eventually |"
    r"naturally |simply |someday )?(?:stop|go away|disappear|pass|clear up|subside|wear off)\b"
    r"|\b(?:it|they|this|rls|symptoms|the symptoms) (?:will|would|might|could) (?:ever |just |"
    r"eventually |naturally |simply |someday )?(?:stop|go away|disappear|pass|clear up|subside|"
    r"wear off)\b", re.IGNORECASE)
# How to massage ("how do you massage restless legs?"): the ways a massage is given. Their words
# only steer among passages that answer equally well; what the question names still decides.
_MANNER = re.compile(r"\bhow (?:do|does|should|can|could|would|to)(?: (?:you|i|we|one|people|"
                     r"someone|a therapist))? (?:best )?massag", re.IGNORECASE)
MANNER_WORDS, MANNER_WEIGHT = "gentle firm pressure kneading strokes", 0.2
KIND_WEIGHT = 0.25

# How the clinic's reply names what a question about the appointment or the clinic is about.
_CLINIC_NAMES = {read.SESSION: SESSION, read.PAYMENT: PAYMENT, read.THERAPISTS: THERAPISTS}


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
    quoted: tuple[frozenset[tuple[str, int]], ...]
    topic: str

    @functools.cached_property
    def key(self) -> tuple:
        """The topic as a value that can be looked up: equal topics, equal keys."""
        return self.passages, tuple(sorted(self.query.items())), self.quoted, self.topic

    def repeats(self, unit: Unit) -> bool:
        """True when `unit` is exactly a quote of the last answer."""
        return any(unit.parts == parts for parts in self.quoted)


@dataclass(frozen=True)
class Part:
    """The engine's reading of one ask: quotes, a topic not covered, or a clinic question."""

    quotes: tuple[Quote, ...] = ()
    not_covered: tuple[str, ...] = ()
    clinic: tuple[str, ...] = ()
    message: str = ""
    query: dict[str, float] = field(default_factory=dict)
    generic: bool = False


class Engine:
    """Everything needed to answer questions from one knowledge base; never changed once built
    (it only remembers how it read recent messages, and the topics they led to, to replay
    conversations without working them out again)."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None):
        self.knowledge = knowledge
        self.settings = settings or Settings()
        # wordfreq reads its word lists on first use (about 0.1 s): here, not on a visitor's
        # first question.
        is_word("the")
        load_languages()
        self.tokenizer = tokenizer_for(knowledge)
        self.retriever = Retriever(knowledge, self.tokenizer, self.settings)
        self.reader = Reader(knowledge, self.tokenizer)
        self.screen = Screen.for_knowledge(knowledge, self.tokenizer.vocabulary)
        self.facts = FactFinder(knowledge.facts, self.tokenizer)
        self._sources = dict(knowledge.sources)
        # The passages kinds of question default to: general ones, not a topic to follow up.
        self._general = frozenset(k.passages[0] for k in knowledge.kinds if k.passages)
        self._kind_stems = {kind.id: frozenset(self.tokenizer.tokens(
            " ".join(w.replace("|", " ").replace("+", " ").replace("*", "") for w in kind.words)))
            for kind in knowledge.kinds}
        self.related = Related.build(knowledge, self._first_cited)
        # message -> its Reading, kept from when it was asked, for replaying conversations;
        # never a message that got the urgent reply or a support line.
        self._read = Remembered(REMEMBERED)
        # (question, topic before it) -> (topic after it,), for replaying conversations; never
        # a step whose question, or an earlier one of its window, is about a crisis.
        self._steps = Remembered(REMEMBERED)
        # The build leaves tens of thousands of young objects behind (the safety net's training
        # most): collected here, the full collection they bring on does not land (~40 ms) in a
        # visitor's question.
        gc.collect()

    def ask(self, question: object, history: Sequence[object] = ()) -> Answer:
        """Answer one message; `history` holds the visitor's earlier questions (oldest first)."""
        text, notice = clean_question(question)
        if not words(text):
            plan = Plan("no_match", message=EMPTY if not text else "", notice=notice,
                        reason="empty" if not text else "no words")
            return self._compose(text, plan)
        flags = self.screen.check(text)
        if flags.urgent is not None:
            return self._compose(text, Plan("urgent", message=flags.urgent.message,
                                            reason=flags.urgent.id))
        if other_language(text):
            # Not read, so it may be a crisis the screen cannot see: the emergency numbers
            # first; never logged (a support line keeps it out of the unanswered list).
            return self._compose(text, Plan("no_match", message=OTHER_LANGUAGE,
                                            support=OTHER_LANGUAGE_HELP, notice=notice,
                                            reason="another language"))
        plan = self.plan(self._read_and_remember(text, flags), self.context(history))
        # A question for the clinic, or one nothing answers, may have a clinic fact that does
        # (for the latter, only one worded much like it).
        unanswered = plan.status == "no_match" and not plan.not_covered and not plan.message
        fact = self.facts.find(text, strict=unanswered) \
            if plan.status == "clinic" or unanswered else None
        if fact is not None:
            plan = dataclasses.replace(plan, status="clinic", fact=fact, reason="clinic fact")
        support = flags.support.message if flags.support is not None else ""
        return self._compose(text, Plan(**{**plan.__dict__, "support": support,
                                           "notice": notice,
                                           "related": self._related(plan, text)}))

    def _related(self, plan: Plan, text: str) -> tuple[str, ...]:
        """Questions to read on with: next to what was quoted, or nearest to an unanswered
        message (none after small talk or a question for the clinic)."""
        if plan.status == "answered":
            return self.related.after([q.passage.id for q in plan.quotes], text)
        if plan.status == "no_match":
            hits = self.retriever.search(self.retriever.query(text), top_k=2 * RELATED)
            return self.related.closest((h.passage_id for h in hits), text)
        return ()

    def _first_cited(self, question: str) -> str | None:
        """The passage a question's reply quotes first, if it is answered."""
        if self.screen.check(question).urgent is not None:
            return None
        plan = self.plan(self.reader.read(question))
        return plan.quotes[0].passage.id if plan.status == "answered" else None

    def _compose(self, text: str, plan: Plan) -> Answer:
        return compose(text, plan, clinic=self.knowledge.clinic, sources=self._sources)

    # --- the conversation ------------------------------------------------------------------

    def context(self, history: Sequence[object]) -> Context | None:
        """The topic of the last answered turn, replaying the visitor's earlier questions.

        Each step (a question read in the topic before it) is remembered: the next turn
        replays the same questions, mostly in the same topics, so only the first of its
        window and the newest are worked out again. A step is kept only when its question
        and every question before it in the window were kept (`_read_earlier`): nothing
        about a crisis, nor a topic it led to, is remembered."""
        context, kept = None, True
        for earlier in questions_of(history)[-HISTORY_TURNS:]:
            text, _ = clean_question(earlier)
            if not words(text):
                continue
            key = (text, context.key if context is not None else None)
            remembered = self._steps.get(key) if kept else None
            if remembered is not None:
                context = remembered[0]
                continue
            reading, kept_this = self._read_earlier(text)
            kept = kept and kept_this
            if reading is None:
                continue
            context = self._step(reading, context)
            if kept:
                self._steps.put(key, (context,))
        return context

    def _step(self, reading: Reading, context: Context | None) -> Context | None:
        """The topic after one earlier question: its answer's, or the one before if it was
        not answered."""
        plan = self.plan(reading, context)
        if plan.status != "answered":
            return context
        return self._context_after(plan.quotes,
                                   combine(*(self._asked(a)[1] for a in reading.asks)))

    def _context_after(self, quotes: Sequence[Quote], query: dict[str, float]) -> Context:
        """The topic an answer with these quotes leaves, `query` the words that led there."""
        return Context(tuple(q.passage.id for q in quotes), query,
                       tuple(q.unit.parts for q in quotes), self._topic(quotes[0].passage.id))

    def _read_earlier(self, text: str) -> tuple[Reading | None, bool]:
        """(reading, kept): how an earlier question reads, as remembered from when it was
        asked (else read again), None when it got the urgent reply; kept when it is
        remembered, so not about a crisis."""
        reading = self._read.get(text)
        if reading is not None:
            return reading, True
        flags = self.screen.check(text)
        if flags.urgent is not None:
            return None, False
        return self._read_and_remember(text, flags), flags.support is None

    def _read_and_remember(self, text: str, flags: Flags) -> Reading:
        """How a message reads, remembered for the conversation's later turns unless it is
        about a crisis (a support line): that is not kept, even in memory."""
        reading = self.reader.read(text)
        if flags.support is None:
            self._read.put(text, reading)
        return reading

    def _asked(self, ask: Ask) -> tuple[dict[str, float], dict[str, float], frozenset[str]]:
        """(query, topic query, kind stems) of an ask: all its words; the words that say what
        it is about, without those that only say what kind of question it is ("how can I
        treat...", "what causes..."); and those kind words."""
        own = self.retriever.query(self.reader.smalltalk.strip(ask.text))
        kind_stems = frozenset().union(*(self._kind_stems[k.id] for k in ask.kinds))
        return own, {t: w for t, w in own.items() if t not in kind_stems}, kind_stems

    def _topic(self, passage_id: str) -> str:
        passage = self.retriever.passages[passage_id]
        source = self._sources.get(passage.source)
        return passage.topic or (source.topic if source else "") or passage.title

    # --- one message -------------------------------------------------------------------------

    def plan(self, reading: Reading, context: Context | None = None) -> Plan:
        """What to reply to a message, given the conversation so far."""
        if reading.smalltalk is not None:
            return Plan("smalltalk", message=reading.smalltalk.reply,
                        reason=reading.smalltalk.id)
        if not reading.asks:
            return Plan("no_match", reason="nothing asked")
        asks = reading.asks[:MAX_ASKS]
        if reading.anywhere and not all(a.not_covered and all(t.clinic for t in a.not_covered)
                                        for a in asks):
            return Plan("no_match", not_covered=tuple(
                self._name(t, context) for t in reading.anywhere),
                reason="not covered: " + ", ".join(t.topic for t in reading.anywhere))
        parts: list[Part] = []
        for ask in asks:
            parts.append(self._part(ask, reading, self._pointed_at(ask, parts) or context))
        if any(p.not_covered or p.clinic for p in parts):
            # Beside a question the article does not cover, a general quote answering only the
            # form of another sentence ("which seems to control my symptoms") is noise.
            parts = [p for p in parts if not p.generic]
        quotes: list[Quote] = []
        for part in parts:
            for quote in part.quotes:
                same = next((i for i, q in enumerate(quotes)
                             if q.passage.id == quote.passage.id), None)
                if same is None:
                    quotes.append(quote)
                else:
                    # Two asks, one passage: each ask's sentences are quoted.
                    quotes[same] = dataclasses.replace(quotes[same], unit=self.retriever.joined(
                        quotes[same].unit, quote.unit))
        # Each named once, though two asks name it ("Do you provide draping? Is it optional?").
        not_covered = tuple(dict.fromkeys(n for p in parts for n in p.not_covered))
        clinic = tuple(dict.fromkeys(n for p in parts for n in p.clinic))
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

    def _pointed_at(self, ask: Ask, parts: list[Part]) -> Context | None:
        """The answer to the ask before, as the topic of one that has none of its own and
        points back at it ("Does anyone get charley horses at night? What can I do to prevent
        them?"): read as a follow-up to it. None otherwise."""
        if not parts or not parts[-1].quotes or not _POINTER.search(ask.text) or \
                self.retriever.topical(self._asked(ask)[1]):
            return None
        return self._context_after(parts[-1].quotes, parts[-1].query)

    def _name(self, topic: Topic, context: Context | None) -> str:
        default = next((s.topic for s in self._sources.values() if s.topic), "this")
        return topic.name.replace("{topic}", context.topic if context else default)

    def _part(self, ask: Ask, reading: Reading, context: Context | None) -> Part:
        text = self.reader.smalltalk.strip(ask.text)
        own, topical_q, kind_stems = self._asked(ask)
        topical = self.retriever.topical(topical_q)
        if ask.session is not None and not any(
                self.retriever.known(t) and t not in self.retriever.neutral
                and w >= self.settings.topical_weight
                for t, w in self.retriever.query(ask.session).items()) and not any(
                not t.clinic for t in self.reader.topics(ask.session)):
            # About the appointment itself, and none of its other words is one the article
            # uses, everyday words aside, or names a topic it does not cover ("where will the
            # therapist be when I disrobe?", not "how should I prepare for a massage if my
            # legs are sore?" nor "should I skip my pills before a massage?"): the clinic's
            # to answer, under its own topic's name if one is named.
            clinic = tuple(self._name(t, None) for t in ask.not_covered if t.clinic)
            return Part(clinic=clinic or (_CLINIC_NAMES[ask.about],))
        if not topical and not ask.not_covered and self.retriever.unknown(text):
            # Nothing the article knows is asked about but a word it does not know: that word
            # is the topic ("is effleurage good for RLS?"), and the article does not cover it.
            # A topic it names that the article does not cover says more ("is it covered by
            # OHIP?" is about insurance, whatever OHIP is).
            return Part(query=own)
        follow = context is not None and self._follows(ask.text, topical)
        asked = topical_q
        if ask.not_covered:
            topic_context = context if follow else None
            clinic = tuple(self._name(t, topic_context) for t in ask.not_covered if t.clinic)
            other = tuple(self._name(t, topic_context) for t in ask.not_covered if not t.clinic)
            return Part(not_covered=other, clinic=clinic)
        if not follow and not topical and "massag" not in own and (
                not ask.kinds and (not own and _FROM.search(text)
                                   or _WHEN_WHERE_WHO.search(text))
                or _WHETHER_TREATED.search(text) or not ask.kinds and _PASSES.search(text)):
            # Nothing the article speaks of is named, and the question is of no kind it
            # answers (when, where, who, what it comes from), whether to be treated at all,
            # or whether it will pass: a loosely related passage would not answer it.
            return Part(query=own)
        strict = [k for k in ask.kinds if k.strict]
        if strict:
            described = None if follow else self._described(strict, own, topical_q,
                                                            reading.story)
            if described is not None:
                return described
            # Otherwise it is read like any other question, as if it were not of those kinds;
            # asking of nothing particular ("or is it restless legs?"), its answer is general.
            part = self._part(dataclasses.replace(ask, kinds=tuple(
                k for k in ask.kinds if not k.strict)), reading, context)
            return part if self.retriever.particular(topical_q) else \
                dataclasses.replace(part, generic=True)
        # A kind of question prefers its passages; their order counts only when nothing else
        # says which (`_kind_quotes`).
        prefer = {pid: self.settings.kind_boost for kind in ask.kinds for pid in kind.passages}
        q = dict(own)
        told = False  # the story chose the passages; the ask's own words choose the sentence
        general = False  # found for the kind of question, not for all the ask says
        # "How can I treat RLS?", "What is RLS?": the kind's own passages (see `_kind_part`).
        kind_part = self._kind_part(ask, own, topical_q, text) \
            if not follow and not topical and ask.kinds else None
        if follow and ask.kinds and not topical:
            # A kind of question about the last answer ("which kind?", "how does that help?"):
            # from the earlier passages if they have more to say of it, else the kind's own.
            quotes = self._more_of(ask, kind_stems, context)
            return Part(quotes=quotes or self._kind_quotes(ask, own, context), query=own,
                        generic=not quotes)
        if follow:
            # The earlier topic steers: with nothing of the ask's own ("tell me more"), its
            # passages come first; with a topic of its own ("and for sleep?"), only its words.
            weight = self.settings.context_weight if topical else 1.0
            earlier = {t: w * weight for t, w in context.query.items()}
            q = combine(own, earlier)
            topical_q = combine(topical_q, earlier)  # what is asked, read with the earlier turn
            if not topical:
                for pid in context.passages:
                    prefer[pid] = prefer.get(pid, 0.0) + 1.0
        elif kind_part is not None and not kind_part.generic:
            # "What can you tell me about RLS? I'm 58 and my legs tingle at night": the ask
            # names the passage its kind answers with, by its whole title; a story is what the
            # visitor lives with, which that passage explains, not another question.
            return kind_part
        elif (not topical or _POINTER.search(text) and len(topical) <= 1) and reading.story \
                and (with_story := self._with_story(own, asked, reading.story)) is not None:
            # "I hate hard pressure, what would you suggest?", "I'm worn out and stressed, can
            # restless legs cause that?": the story says what is asked.
            q, topical_q = with_story
            told = True
        elif not topical and ask.kinds:
            # "How can I treat RLS?": the kind's own passage, if one covers what else is asked;
            # failing that, the passages the words find.
            if kind_part is not None:
                return kind_part
        elif reading.story:
            q = combine(own, self.retriever.query(reading.story, self.settings.story_weight))
        if _MANNER.search(text):
            q = combine(q, self.retriever.query(MANNER_WORDS, MANNER_WEIGHT))
        if topical and not follow and not told and self._list_misses(ask, topical_q):
            # Asking for one of a list that never names the topic ("what kind of massage helps
            # with insomnia?": the techniques never name sleep), the kind's words only say what
            # is asked of the topic: the topic picks the passage.
            hits = self._hits({t: w * KIND_WEIGHT if t in kind_stems and t not in topical
                               else w for t, w in q.items()}, prefer, topical_q)
        else:
            hits = self._hits(q, prefer, topical_q)
        if not topical:
            # Naming nothing particular ("should you massage restless legs?"), a question is not
            # answered with a list its kind does not ask for: the list's items name "massage"
            # over and over, but it says nothing of massage in general.
            hits = [h for h in hits if not self.retriever.passages[h.passage_id].items
                    or h.passage_id in prefer] or hits
        if not hits and q != own and topical and not follow:
            # The story led away from what the ask names itself ("...and what kind would be
            # gentle enough for her?"): the ask's own words still can.
            q, topical_q = own, asked
            hits = self._hits(q, prefer, topical_q)
        if not hits and told:
            # The whole story points nowhere, its sentences' words diluting each other, nor do
            # the ask's own words ("I have leg cramps at night... I do 15 bends,
            # squats... and sit-ups every night. What can I do to stop them?"): the first of
            # its sentences that points somewhere says what is asked.
            q, topical_q, hits = self._story_sentence(reading, own, asked, prefer) or \
                (q, topical_q, hits)
        if not hits and ask.kinds and not follow:
            # The story pointed nowhere the article covers ("I've cut out coffee... should I
            # try massage?"): the kind of question still can.
            quotes = self._kind_quotes(ask, own, covering=asked)
            if not quotes and topical:
                # Or the ask's topic words alone, its other words the visitor's own ("what
                # to do about leg cramps which attack me when deeply asleep"): the passage
                # they find, the kind's first among equals ("what is it about a massage that
                # primes you for sleep?" is not answered by the symptom of poor sleep).
                named = {t: w for t, w in asked.items() if t in topical}
                if self._kind_quotes(ask, own, covering=named):
                    hits, general = self._hits(own, prefer, named), True
            if not hits:
                return Part(quotes=quotes, query=q, generic=True)
        if not hits:
            return Part(query=q)
        # The kind of question picks the sentence too: "any suggestions?" about cramps wants
        # "...focus on reducing muscle spasms and preventing cramps".
        scoring = combine(own if told and ask.kinds else q,
                          *(self.retriever.query(k.title, 0.5) for k in ask.kinds))
        fresh = []
        for hit in hits:
            unit = self._fresh_unit(hit.passage_id, scoring, context if follow else None)
            if unit is not None:
                fresh.append((hit, unit))
        if not fresh:
            return Part(message=NOTHING_MORE.format(topic=context.topic) if follow else "",
                        query=q)
        units = dict((hit.passage_id, unit) for hit, unit in fresh)
        chosen = self._complementary([hit for hit, _ in fresh], topical_q)
        return Part(quotes=tuple(Quote(self.retriever.passages[h.passage_id],
                                       units[h.passage_id], h.score) for h in chosen),
                    query=q, generic=general)

    def _kind_part(self, ask: Ask, own: dict[str, float], topical_q: dict[str, float],
                   text: str) -> Part | None:
        """An ask with no topic of its own answered by its kind's passages (see `_kind_quotes`:
        one that covers what else is asked, so "what is the capital of France?" is not answered
        with what RLS is); None when none does. The answer is general unless the ask names each
        quoted passage by its whole title ("what is RLS?": "What RLS is"): then it answers the
        ask, not only its form, and stays beside a question the article does not cover ("...and
        what causes it?")."""
        quotes = self._kind_quotes(ask, own, covering=topical_q,
                                   named=self.retriever.phrased(text))
        if not quotes:
            return None
        named = all(self.retriever.named(quote.passage.id, own) for quote in quotes)
        return Part(quotes=quotes, query=own, generic=not named)

    def _list_misses(self, ask: Ask, topical_q: dict[str, float]) -> bool:
        """True when the ask's first kind answers with a list ("which kind?") and none of the
        kind's passages covers what the ask names."""
        if not ask.kinds:
            return False
        passages = [self.retriever.passages[pid] for pid in ask.kinds[0].passages
                    if pid in self.retriever.passages]
        return bool(passages) and bool(passages[0].items) and not any(
            self.retriever.coverage(topical_q, p.id) >= self.settings.min_coverage
            for p in passages)

    def _story_sentence(self, reading: Reading, own: dict[str, float],
                        asked: dict[str, float], prefer: dict[str, float]
                        ) -> tuple[dict[str, float], dict[str, float], list[Hit]] | None:
        """(query, topic query, hits) of an ask read with one sentence of its story, the
        first (of several) whose words find a passage; None when none does."""
        told = [s.text for s in reading.sentences if s.role == read.STORY]
        for sentence in told if len(told) > 1 else ():
            with_story = self._with_story(own, asked, sentence)
            if with_story is None:
                continue
            q, topical_q = with_story
            hits = self._hits(q, prefer, topical_q)
            if hits:
                return q, topical_q, hits
        return None

    def _with_story(self, own: dict[str, float], asked: dict[str, float], story: str
                    ) -> tuple[dict[str, float], dict[str, float]] | None:
        """(query, topic query) of an ask read with the visitor's story: all the story's words
        join the query, only its topical ones what is asked (the words the article never uses,
        or uses everywhere, are the visitor's life, not the topic); None when the story has no
        topical word."""
        story_q = self.retriever.query(story)
        topical = self.retriever.topical(story_q)
        if not topical:
            return None
        return combine(own, story_q), combine(asked, {t: w for t, w in story_q.items()
                                                      if t in topical})

    def _described(self, kinds: list, own: dict[str, float], topical_q: dict[str, float],
                   story: str) -> Part | None:
        """An ask a strict kind of question marks ("why do my legs feel like this?", "what
        could it be?"): only the kind's passages, and the passages they list, answer it, and
        only one that speaks of everything particular the visitor describes, in the ask and
        the story before it; else the article does not cover it (a symptom list does not
        explain a symptom it does not list). None when nothing particular is described ("RLS:
        what is it?") or all of it names a passage's topic ("trigger point therapy, what's
        that?"): then it is read like any other question."""
        allowed = {pid for kind in kinds for pid in kind.passages if pid in self.retriever.passages}
        allowed |= {item for pid in allowed for item in self.retriever.passages[pid].items}
        told = self.retriever.query(story) if story else {}
        q = combine(own, told)
        # What is described: the ask's own words, and the story's that say something
        # particular (words the article uses everywhere are not; words it never uses are).
        described = combine(topical_q, {t: w for t, w in told.items()
                                        if w >= self.settings.topical_weight
                                        and not 0 < self.retriever.weight(t)
                                        < self.settings.distinctive_idf})
        particular = self.retriever.particular(described)
        if not particular or self.retriever.titled(particular, set(own)):
            return None
        topical = self.retriever.topical(described)
        hits = [h for h in self.retriever.search(q, coverage_of=described,
                                                 top_k=len(self.retriever.passages))
                if h.passage_id in allowed and h.coverage >= self.settings.min_coverage
                and self.retriever.coverage({t: 1.0 for t in topical}, h.passage_id) == 1]
        for hit in hits:
            unit = self.retriever.unit(hit.passage_id, q)
            if unit is not None:
                return Part(quotes=(Quote(self.retriever.passages[hit.passage_id], unit,
                                          hit.score),), query=q)
        return Part(query=q)

    def _hits(self, q: dict[str, float], prefer: dict[str, float],
              topical_q: dict[str, float]) -> list[Hit]:
        # More candidates than will be cited: a preferred passage may rank high without
        # covering the question, and must not hide one that does.
        return [h for h in self.retriever.search(q, prefer, coverage_of=topical_q, top_k=8)
                if h.coverage >= self.settings.min_coverage][:self.settings.max_citations]

    def _fresh_unit(self, passage_id: str, q: dict[str, float],
                    context: Context | None) -> Unit | None:
        """What to quote from a passage; in a follow-up, never the same quote again as if it
        were new (then only what was not quoted yet)."""
        unit = self.retriever.unit(passage_id, q)
        if context is not None and unit is not None and context.repeats(unit):
            # The one sentence that answers best is not the same quote; failing that, only
            # what was not quoted yet.
            unit = self.retriever.unit(passage_id, q, limit=1)
            if unit is not None and context.repeats(unit):
                unit = self.retriever.unit(passage_id, q, frozenset().union(*context.quoted))
        return unit

    def _more_of(self, ask: Ask, kind_stems: frozenset[str], context: Context) -> tuple:
        """A quote from the last answer's passages for a kind of question about it ("what does
        it help with?" after myofascial release), unless they are the general passages kinds
        default to. When the kind asks for one of a list ("which kind?"), the sentence must
        speak of it ("Certain massage techniques, like deep tissue and Swedish...")."""
        listing = any(self.retriever.passages[k.passages[0]].items for k in ask.kinds
                      if k.passages[0] in self.retriever.passages)
        kind_words = {t for t in kind_stems if self.retriever.known(t)
                      and self.retriever.weight(t) >= self.settings.kind_word_idf}
        # The passages are the last answer's; which sentence is the kind's to say.
        earlier = {t: w * self.settings.context_weight for t, w in context.query.items()}
        q = combine(earlier, {t: 1.0 for t in kind_words},
                    *(self.retriever.query(k.title) for k in ask.kinds))
        for pid in context.passages:
            if pid in self._general:
                continue
            unit = self._fresh_unit(pid, q, context)
            if unit is not None and (not listing or
                                     self.retriever.mentions(unit, kind_words, strict=True)):
                return (Quote(self.retriever.passages[pid], unit, 0.0),)
        return ()

    def _follows(self, text: str, topical: set[str]) -> bool:
        """True for an ask that goes on from the last answer rather than starting a topic:
        one without a topic of its own, one that opens like a continuation ("and at night?"),
        or a short one pointing back ("does it hurt?")."""
        if not topical or _FOLLOW_UP.search(text):
            return True
        return len(topical) <= 1 and len(words(text)) <= 6 and bool(_POINTER.search(text))

    def _kind_quotes(self, ask: Ask, q: dict[str, float], context: Context | None = None,
                     covering: dict[str, float] | None = None,
                     named: frozenset[str] = frozenset()) -> tuple[Quote, ...]:
        """One quote per kind of question (at most two) for an ask with no topic of its own:
        "what is RLS and how is it treated?": the first of the kind's passages that covers
        the rest of the ask (`covering`), never a quote the last answer gave. The items of
        their lists that use a phrase of the ask (`named`) come first: "what are the benefits
        of a leg massage?" gets the benefit told of a leg massage."""
        quotes = []
        kinds = ask.kinds[:2] if re.search(r"\b(and|also|plus)\b|&", ask.text, re.I) else \
            ask.kinds[:1]
        scores = dict(zip((p.id for p in self.knowledge.passages), self.retriever.scores(q),
                          strict=True))
        # In the kind's order, unless the ask's other words prefer one of its passages ("does
        # massage reduce restlessness at night?": the one about the night); words every
        # passage has ("restless legs") prefer none.
        telling = any(self.retriever.weight(t) >= self.settings.kind_word_idf
                      for t in covering or {})
        for kind in kinds:
            order = sorted(kind.passages, key=lambda p: -scores.get(p, 0.0)) if telling \
                else kind.passages
            if named:
                listed = [item for pid in kind.passages if pid in self.retriever.passages
                          for item in self.retriever.passages[pid].items]
                order = [*(pid for pid in listed if pid in named), *order]
            for pid in order:
                if pid not in self.retriever.passages or \
                        any(quote.passage.id == pid for quote in quotes) or \
                        (covering and self.retriever.coverage(covering, pid)
                         < self.settings.min_coverage):
                    continue
                unit = self.retriever.unit(pid, combine(q, self.retriever.query(kind.title)))
                if unit is not None and not (context and context.repeats(unit)):
                    quotes.append(Quote(self.retriever.passages[pid], unit, 0.0))
                    break
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

