"""Which visitors' answers an edit would change, before it is saved.

`impact(current, edited, questions) -> list[Change]` is pure: it asks both engines every question
and keeps those whose answer moves to another passage (or status) or falls to `no_match`.
`question_bank(...)` assembles the questions: every passage's alternate questions (before and
after the edit), the visitor questions in the store, and the staff question file if present.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .compose import Answer
from .engine import Engine
from .knowledge import Knowledge
from .store import Store, normalized

STAFF_QUESTIONS = "staff-questions.yaml"
LOST, MOVED, GAINED = "no longer answered", "answered differently", "now answered"
_ORDER = {LOST: 0, MOVED: 1, GAINED: 2}


@dataclass(frozen=True)
class Question:
    """A question to replay, and where it comes from (shown to staff)."""

    text: str
    origin: str


@dataclass(frozen=True)
class Change:
    """A question whose answer the edit changes. `before`/`after` are passage ids, or the
    status ("no_match", "urgent", "smalltalk") when no passage answers."""

    question: str
    origin: str
    before: str
    after: str
    kind: str


def outcome(answer: Answer) -> str:
    """What a visitor gets, in one word: the first cited passage's id, or the status."""
    return answer.citations[0].id if answer.citations else answer.status


def impact(current: Engine, edited: Engine, questions: Iterable[Question]) -> list[Change]:
    """The questions whose answer differs between the two engines: lost answers first."""
    changes = []
    for question in questions:
        before = outcome(current.ask(question.text))
        after = outcome(edited.ask(question.text))
        if before == after:
            continue
        kind = LOST if after == "no_match" else GAINED if before == "no_match" else MOVED
        changes.append(Change(question.text, question.origin, before, after, kind))
    return sorted(changes, key=lambda change: _ORDER[change.kind])


def question_bank(knowledge_bases: Iterable[Knowledge], unanswered: Iterable[str] = (),
                  rated: Iterable[str] = (), staff: Iterable[str] = ()) -> list[Question]:
    """Every question worth replaying, once each (same wording after normalisation)."""
    seen: set[str] = set()
    bank: list[Question] = []

    def add(texts: Iterable[str], origin: str) -> None:
        for text in texts:
            key = normalized(text)
            if key and key not in seen:
                seen.add(key)
                bank.append(Question(text, origin))

    for knowledge in knowledge_bases:
        for passage in knowledge.passages:
            add(passage.questions, f"alternate question of passage '{passage.id}'")
    add(staff, "staff question file")
    add(unanswered, "unanswered visitor question")
    add(rated, "visitor question with feedback")
    return bank


def gather_questions(knowledge_bases: Sequence[Knowledge], store: Store | None = None,
                     staff_file: str | Path | None = None) -> list[Question]:
    """The question bank from the knowledge bases, the store and the staff question file.

    A staff question file that exists but is malformed raises KnowledgeError naming its line.
    """
    from .evaluate import load_cases

    staff = []
    if staff_file is not None and Path(staff_file).is_file():
        staff = [case.q for case in load_cases(staff_file)]
    unanswered = [gap.question for gap in store.gaps()] if store is not None else []
    rated = store.rated_questions() if store is not None else []
    return question_bank(knowledge_bases, unanswered, rated, staff)


def staff_questions_path(directory: str | Path) -> Path:
    """Where staff keep their own questions to replay: knowledge/staff-questions.yaml."""
    return Path(directory) / STAFF_QUESTIONS
