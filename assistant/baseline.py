"""The naive baseline the README compares against: rank-bm25 on the raw article's paragraphs,
lower-case whitespace split, no synonyms, no abstention. It always "answers"."""

from __future__ import annotations

from rank_bm25 import BM25Okapi


def paragraphs(article: str) -> list[str]:
    """The article's non-empty paragraphs, navigation junk included, as published."""
    return [p.strip() for p in article.split("\n\n") if p.strip()]


class Baseline:
    """`search(question)` returns the top paragraphs as snippets, best first."""

    def __init__(self, article: str):
        self.paragraphs = paragraphs(article)
        self._bm25 = BM25Okapi([p.lower().split() for p in self.paragraphs])

    def search(self, question: str, top_k: int = 3) -> list[str]:
        """The `top_k` best paragraphs for the question."""
        scores = self._bm25.get_scores(question.lower().split())
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [self.paragraphs[i] for i in order[:top_k]]
