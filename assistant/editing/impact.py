"""Which visitors' answers an edit would change, before it is saved.

`impact(current, edited, questions) -> list[AnswerChange]` is pure: it asks both engines every
question and keeps those whose answer moves to another passage (or status) or falls to
`no_match`. `question_bank(...)` assembles the questions: every passage's alternate questions
(before and after the edit), the visitor questions in the store (the most asked unanswered
ones, and those with a vote), and the staff question file if present. `replay(...)` gathers
them and runs the check, noting what could not be read instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..compose import Answer
from ..engine import Engine
from ..errors import AssistantError, KnowledgeError, StoreError
from ..knowledge import Knowledge
from ..store import Store, normalized

STAFF_QUESTIONS = "staff-questions.yaml"
# The most asked unanswered groups replayed: enough to see what an edit answers, few enough
# that a large store does not make the check slow (each question is asked twice).
MOST_ASKED = 1000
LOST, MOVED, GAINED = "no longer answered", "answered differently", "now answered"
_ORDER = {LOST: 0, MOVED: 1, GAINED: 2}


@dataclass(frozen=True)
class Question:
    """A question to replay, and where it comes from (shown to staff)."""

    text: str
    origin: str


@dataclass(frozen=True)
class AnswerChange:
    """A question whose answer the edit changes. `before`/`after` are what `outcome` says:
    passage ids, clinic facts, or the status ("no_match", "urgent"...) when neither answers."""

    question: str
    origin: str
    before: str
    after: str
    kind: str


@dataclass(frozen=True)
class Impact:
    """What an edit changes: the answers that move, how many questions were replayed, and
    the question sources that were left out because they could not be read."""

    changes: tuple[AnswerChange, ...]
    replayed: int
    left_out: tuple[AssistantError, ...] = ()


FACT = "fact:"


def outcome(answer: Answer) -> str:
    """What a visitor gets, in one word: the first cited passage's id, "fact:" and the id of
    the clinic fact shown, or the status."""
    if answer.citations:
        return answer.citations[0].id
    return FACT + answer.fact["id"] if answer.fact else answer.status


def impact(current: Engine, edited: Engine, questions: Iterable[Question]) -> list[AnswerChange]:
    """The questions whose answer differs between the two engines: lost answers first."""
    changes = []
    for question in questions:
        before = outcome(current.ask(question.text))
        after = outcome(edited.ask(question.text))
        if before == after:
            continue
        kind = LOST if after == "no_match" else GAINED if before == "no_match" else MOVED
        changes.append(AnswerChange(question.text, question.origin, before, after, kind))
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


def staff_questions(directory: str | os.PathLike) -> list[str]:
    """The questions of knowledge/staff-questions.yaml ([] when there is none); a file that
    exists but is malformed raises KnowledgeError naming its line."""
    from ..evaluate import load_cases

    path = staff_questions_path(directory)
    return [case.q for case in load_cases(path)] if path.is_file() else []


def staff_questions_path(directory: str | os.PathLike) -> Path:
    """Where staff keep their own questions to replay: knowledge/staff-questions.yaml."""
    return Path(directory) / STAFF_QUESTIONS


def replay(directory: str | os.PathLike, current: Engine, edited: Engine) -> Impact:
    """The impact of going from `current` to `edited`, over every question worth replaying.

    A store that cannot be used or a malformed staff question file is left out and noted in
    `left_out`, so the check still runs on the rest.
    """
    left_out: list[AssistantError] = []
    staff: list[str] = []
    unanswered: list[str] = []
    rated: list[str] = []
    try:
        staff = staff_questions(directory)
    except KnowledgeError as problem:
        left_out.append(problem)
    try:
        store = Store()
        unanswered = [gap.question for gap in store.gaps(limit=MOST_ASKED)]
        rated = store.rated_questions()
    except StoreError as problem:
        left_out.append(problem)
    questions = question_bank([current.knowledge, edited.knowledge], unanswered, rated, staff)
    return Impact(tuple(impact(current, edited, questions)), len(questions), tuple(left_out))
