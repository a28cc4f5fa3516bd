"""Related questions: two or three questions the knowledge base answers well, offered after a
reply so a visitor can read on without guessing what to type.

Entry point: `Related.build(knowledge, first_cited) -> Related`, once per engine; then
`related.after(cited, asked)` for an answered reply and `related.closest(ranked, asked)` after
a no_match. Each passage is offered through one of its own alternate questions, the first that
the engine answers with that very passage (`first_cited(question) -> passage id | None`), so a
chip never leads to "not covered" or to another passage. Pure: no files, no settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .knowledge import Knowledge

LIMIT = 3


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True)
class Related:
    """Each passage's offered question, and its neighbours nearest first."""

    question: dict[str, str]
    neighbours: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, knowledge: Knowledge,
              first_cited: Callable[[str], str | None]) -> Related:
        question = {}
        for passage in knowledge.passages:
            found = next((q for q in passage.questions if first_cited(q) == passage.id), None)
            if found is not None:
                question[passage.id] = found
        return cls(question, {p.id: tuple(_neighbours(knowledge, p.id))
                              for p in knowledge.passages})

    def after(self, cited: Sequence[str], asked: str = "", limit: int = LIMIT
              ) -> tuple[str, ...]:
        """Questions about the passages next to the ones a reply quoted: the list an item
        belongs to and its other items, then the same section, then what the article says
        next. Never a passage the reply quoted, nor the question just asked."""
        return self._offer((n for pid in cited for n in self.neighbours.get(pid, ())),
                           set(cited), asked, limit)

    def closest(self, ranked: Iterable[str], asked: str = "", limit: int = LIMIT
                ) -> tuple[str, ...]:
        """Questions about the passages nearest to an unanswered message, best first."""
        return self._offer(ranked, set(), asked, limit)

    def _offer(self, ids: Iterable[str], skip: set[str], asked: str,
               limit: int) -> tuple[str, ...]:
        offered: list[str] = []
        for pid in ids:
            q = self.question.get(pid)
            if pid in skip or q is None or q in offered or _same(q, asked):
                continue
            offered.append(q)
            if len(offered) == limit:
                break
        return tuple(offered)


def _neighbours(knowledge: Knowledge, pid: str) -> list[str]:
    """The passages next to `pid`, nearest first (see Related.after). A list's own items come
    last: its reply already named each of them."""
    passages = list(knowledge.passages)
    order = {p.id: i for i, p in enumerate(passages)}
    me = passages[order[pid]]
    near: list[str] = []
    for owner in (p for p in passages if pid in p.items):
        i = owner.items.index(pid)  # an item: its list, the items after it, those before
        near += [owner.id, *owner.items[i + 1:], *owner.items[:i]]
    section = sorted((p.id for p in passages if p.section == me.section),
                     key=lambda other: (abs(order[other] - order[pid]), order[other]))
    near += [other for other in section if other not in me.items]
    near += [p.id for p in passages[order[pid] + 1:] if p.id not in me.items]
    near += [p.id for p in passages[:order[pid]]] + list(me.items)
    return [n for n in dict.fromkeys(near) if n != pid]
