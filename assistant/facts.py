"""Which clinic fact answers a visitor's question: `FactFinder(facts, tokenizer).find(question)`.

Pure: no engine, no state. Each fact is read as phrases (its title, each of its questions, its
answer) with the engine's own tokeniser, the one passages and questions share, so synonyms and
typo tolerance work the same. A question's words weigh by how specific each is in everyday
English (retrieval.query: "parking" a lot, "time" little); a fact's score is the share of that
weight its best phrase holds. The best fact at or above the threshold is found, else None.

The engine asks with the normal threshold when it already knows the question is for the clinic
(a not-covered topic marked `clinic: yes`), and with the strict one for a question nothing
answers, so that only a fact worded much like it (a visitor's own question that staff answered
as a clinic fact) is used there.
"""

from __future__ import annotations

from collections.abc import Sequence

from .knowledge import Fact
from .retrieval import query
from .text import Tokenizer

THRESHOLD = 0.5
STRICT_THRESHOLD = 0.8


class FactFinder:
    """The clinic facts of one knowledge base, ready to be matched; never changed once built."""

    def __init__(self, facts: Sequence[Fact], tokenizer: Tokenizer,
                 threshold: float = THRESHOLD, strict_threshold: float = STRICT_THRESHOLD):
        for name, value in (("threshold", threshold), ("strict_threshold", strict_threshold)):
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be above 0 and at most 1, got {value}")
        self.tokenizer = tokenizer
        self.threshold = threshold
        self.strict_threshold = strict_threshold
        self._phrases = tuple(
            (fact, tuple(frozenset(tokenizer.tokens(phrase))
                         for phrase in (fact.title, *fact.questions, fact.answer)))
            for fact in facts)

    def score(self, question: str) -> list[tuple[Fact, float]]:
        """Each fact with the share of the question's weight its best phrase holds (0..1)."""
        weights = query(self.tokenizer.terms(question), self.tokenizer.vocabulary)
        total = sum(weights.values())
        if not total:
            return [(fact, 0.0) for fact, _ in self._phrases]
        return [(fact, max(sum(w for stem, w in weights.items() if stem in phrase)
                           for phrase in phrases) / total)
                for fact, phrases in self._phrases]

    def find(self, question: str, strict: bool = False) -> Fact | None:
        """The fact that answers `question` best, if it reaches the threshold (the strict one
        with `strict`); the first in file order on a tie."""
        limit = self.strict_threshold if strict else self.threshold
        best, best_score = None, 0.0
        for fact, score in self.score(question):
            if score >= limit and score > best_score:
                best, best_score = fact, score
        return best
