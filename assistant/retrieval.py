"""Rank passages for a question with BM25, judge whether the best one answers it, and pick the
sentences to quote. Entry point: `Retriever(knowledge).search(tokens) -> list[Hit]`.

The index is built once per Knowledge and never changed afterwards; a new knowledge base gets
a new Retriever. Scoring follows rank-bm25; the extra work here is abstention: a passage answers
only when it covers most of the question's informative words (`coverage`), because BM25 alone
ranks *some* passage first for any question that shares the word "massage" with the article.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from .knowledge import Knowledge, Passage
from .text import Term, Tokenizer, specificity, words

VARIANTS = {"okapi": BM25Okapi, "l": BM25L, "plus": BM25Plus}
Query = Mapping[str, float]


def query(terms: Iterable[Term]) -> dict[str, float]:
    """A question's stems weighted by how specific each word is (summed over repeats)."""
    weights: dict[str, float] = {}
    for term in terms:
        weights[term.stem] = weights.get(term.stem, 0.0) + specificity(term.word)
    return weights


def combine(current: Query, previous: Query, factor: float = 0.5) -> dict[str, float]:
    """A follow-up's query: its own stems plus the earlier question's, weighted down."""
    merged = dict(current)
    for stem, weight in previous.items():
        merged[stem] = merged.get(stem, 0.0) + factor * weight
    return merged


@dataclass(frozen=True)
class Settings:
    """Ranking and abstention parameters, chosen by measurement (see bench/tune.py)."""

    variant: str = "plus"
    k1: float = 1.2
    b: float = 0.5
    title_weight: int = 2
    section_weight: int = 1
    question_weight: int = 1
    keyword_weight: int = 1
    min_coverage: float = 0.4
    unknown_weight: float = 2.0
    second_ratio: float = 0.8
    neighbour_ratio: float = 0.4
    distinctive_idf: float = 1.0
    neutral_factor: float = 0.3
    max_citations: int = 3

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {sorted(VARIANTS)}, got {self.variant!r}")
        if not 0 <= self.min_coverage <= 1:
            raise ValueError(f"min_coverage must be between 0 and 1, got {self.min_coverage}")
        if self.max_citations < 1:
            raise ValueError(f"max_citations must be at least 1, got {self.max_citations}")


@dataclass(frozen=True)
class Hit:
    """One ranked passage: its BM25 score and how much of the question it covers (0..1)."""

    passage_id: str
    score: float
    coverage: float


@dataclass(frozen=True)
class _Unit:
    """A quotable piece of a passage: a sentence, or one list item."""

    text: str
    tokens: frozenset[str]
    line: int
    item: bool


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d+\.)\s+")


def units(text: str) -> list[tuple[str, int, bool]]:
    """(sentence, line number, is list item) for each sentence or list item of a passage."""
    out = []
    for number, line in enumerate(text.splitlines()):
        item = bool(_ITEM.match(line))
        body = _ITEM.sub("", line).strip()
        if not body:
            continue
        pieces = [body] if item else _SENTENCE_END.split(body)
        out.extend((piece.strip(), number, item) for piece in pieces if piece.strip())
    return out


def tokenizer_for(knowledge: Knowledge) -> Tokenizer:
    """The tokeniser for this knowledge base: its synonyms, and its words as the vocabulary."""
    synonyms = {word: entry.means for entry in knowledge.synonyms for word in entry.words}
    vocabulary: set[str] = set()
    for passage in knowledge.passages:
        for field in (passage.text, passage.title, passage.section, *passage.questions,
                      *passage.keywords):
            vocabulary.update(words(field))
    for rule in knowledge.safety:
        for trigger in rule.triggers:
            vocabulary.update(words(trigger.replace("|", " ").replace("+", " ")))
    for intent in knowledge.smalltalk:
        for phrase in intent.phrases:
            vocabulary.update(words(phrase))
    for topic in knowledge.not_covered:
        for word in topic.words:
            vocabulary.update(words(word))
    return Tokenizer(synonyms, vocabulary)


class Retriever:
    """A BM25 index over the passages' text, title, alternate questions and keywords."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer | None = None,
                 settings: Settings = Settings()):
        self.settings = settings
        self.tokenizer = tokenizer or tokenizer_for(knowledge)
        self.passages: dict[str, Passage] = {p.id: p for p in knowledge.passages}
        self._ids = [p.id for p in knowledge.passages]
        self.neutral = frozenset(self.tokenizer.tokens(
            f"{knowledge.clinic.name} {knowledge.clinic.city}"))
        self._index = {pid: i for i, pid in enumerate(self._ids)}
        tokenize = self.tokenizer.tokens
        corpus = []
        for passage in knowledge.passages:
            doc = tokenize(passage.text)
            doc += tokenize(passage.title) * settings.title_weight
            doc += tokenize(passage.section) * settings.section_weight
            for question in passage.questions:
                doc += tokenize(question) * settings.question_weight
            for keyword in passage.keywords:
                doc += tokenize(keyword) * settings.keyword_weight
            corpus.append(doc or ["<empty>"])
        self._vocab = [frozenset(doc) for doc in corpus]
        self._bm25 = VARIANTS[settings.variant](corpus, k1=settings.k1, b=settings.b)
        n = len(corpus)
        df: dict[str, int] = {}
        for doc in self._vocab:
            for token in doc:
                df[token] = df.get(token, 0) + 1
        self._weight = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._units = {
            p.id: tuple(_Unit(text, frozenset(tokenize(text)), line, item)
                        for text, line, item in units(p.text))
            for p in knowledge.passages
        }

    def weight(self, token: str) -> float:
        """How informative a stem is in this collection: its IDF, or `unknown_weight` if unseen."""
        return self._weight.get(token, self.settings.unknown_weight)

    def coverage(self, q: Query, passage_id: str) -> float:
        """Share of the question's informative weight that the passage contains.

        The clinic's name and city count for less (`neutral_factor`): "Edmonton" in "what's
        the weather in Edmonton" says where, not what, is asked.
        """
        vocab = self._vocab[self._index[passage_id]]
        factor = self.settings.neutral_factor
        q = {t: w * factor if t in self.neutral else w for t, w in q.items()}
        total = sum(self.weight(t) * w for t, w in q.items())
        if not total:
            return 0.0
        return sum(self.weight(t) * w for t, w in q.items() if t in vocab) / total

    def search(self, q: Query, top_k: int = 3) -> list[Hit]:
        """The `top_k` best passages for a weighted query, best first (score > 0 only).

        Each stem's BM25 contribution is scaled by its query weight, so common words such as
        "time" count for less than "cramps".
        """
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        scores = [0.0] * len(self._ids)
        for token, w in q.items():
            if w <= 0 or token not in self._weight:
                continue
            for i, s in enumerate(self._bm25.get_scores([token])):
                scores[i] += w * s
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top_k]
        return [Hit(self._ids[i], float(scores[i]), self.coverage(q, self._ids[i]))
                for i in order if scores[i] > 0]

    def answering(self, q: Query) -> list[Hit]:
        """The hits that answer the question (empty: abstain), best first, at most max_citations.

        The best hit must cover at least `min_coverage` of the question. Further hits are cited
        when they score within `second_ratio` of the best and share one of the question's
        distinctive words (rare in the collection), so a question made only of words every
        passage has ("what is RLS") cites one passage, not three loosely related ones.
        """
        settings = self.settings
        hits = self.search(q, top_k=settings.max_citations)
        if not hits or hits[0].coverage < settings.min_coverage:
            return []
        best = hits[0]
        chosen = [best]
        distinctive = {t for t in q if self._weight.get(t, 0.0) >= settings.distinctive_idf}
        for hit in hits[1:]:
            if hit.score >= settings.second_ratio * best.score and \
                    distinctive & self._vocab[self._index[hit.passage_id]]:
                chosen.append(hit)
        return chosen

    def snippet(self, passage_id: str, q: Query, limit: int = 3) -> str:
        """The 1-3 sentences of the passage that best answer the question, as quoted text.

        The best-matching sentence is quoted with the neighbours that also match it well, the
        sentence it leans on ("This technique..."), or the sentence introducing its list. A short
        list with nothing else is quoted whole. Wording is kept exactly; list items are written
        as "- item" lines.
        """
        parts = self._units[passage_id]
        if all(unit.item for unit in parts) and sum(len(u.text) for u in parts) <= 200:
            return _join(parts)
        scores = [sum(self.weight(t) * q[t] for t in unit.tokens if t in q) for unit in parts]
        best = max(range(len(parts)), key=lambda i: (scores[i], -i))
        chosen = [best]
        if parts[best].item:
            lead = next((i for i in range(best - 1, -1, -1) if not parts[i].item), None)
            if lead is not None and parts[lead].text.endswith(":"):
                chosen.insert(0, lead)
        elif best > 0 and _leans_back(parts[best].text):
            chosen.insert(0, best - 1)
        floor = max(scores[best] * self.settings.neighbour_ratio, 1e-9)
        while len(chosen) < limit:
            before, after = min(chosen) - 1, max(chosen) + 1
            options = [i for i in (before, after) if 0 <= i < len(parts) and scores[i] >= floor
                       and parts[i].item == parts[best].item]
            if not options:
                break
            chosen.append(max(options, key=lambda i: scores[i]))
            chosen.sort()
        # A sentence announcing a list ("...include:") reads oddly without its items.
        while len(chosen) > 1 and parts[chosen[-1]].text.endswith(":"):
            chosen.pop()
        return _join([parts[i] for i in chosen])


def _leans_back(sentence: str) -> bool:
    """True for a sentence that needs the one before it ("This technique...", "It ...")."""
    return bool(re.match(r"^(This|These|That|Those|It|They|Since|By applying)\b", sentence))


def _join(parts: Sequence[_Unit]) -> str:
    lines: list[str] = []
    previous = None
    for unit in parts:
        if unit.item:
            lines.append(f"- {unit.text}")
        elif previous is not None and not previous.item and previous.line == unit.line:
            lines[-1] += " " + unit.text
        else:
            lines.append(unit.text)
        previous = unit
    return "\n".join(lines)
