"""Plan an edit before anything is written: `plan_edit(directory, edit) -> EditPlan`.

A plan holds the file's new text (only the changed values rewritten, assistant.editing.
yamltext), the validation of the whole knowledge base with that text (errors as data, each
placed on the field it is about), and on request the answer a visitor would get to a question
(`preview=`) and which logged and alternate questions would change answer (`compare_with=`,
the engine visitors get now). Nothing is written: `apply(plan)` does that (assistant.editing.
apply), and a restore is planned the same way (assistant.editing.history.plan_restore).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from ..compose import Answer
from ..engine import Engine
from ..errors import KnowledgeError, KnowledgeInvalid
from ..knowledge import Knowledge, fingerprint
from ..safety_check import checked_knowledge
from .documents import Document, open_file, path_of
from .edits import Edit, EntryRef, Restore, edited
from .impact import Impact, replay
from .yamltext import patch


@dataclass(frozen=True)
class EditPlan:
    """An edit of one knowledge file, worked out but not written.

    `base_version` is the version of the file the edit was made on (a save over any other is
    refused); `errors` are every validation problem with the new text (empty: it may be
    saved); `knowledge` is the knowledge base with the edit (None when it is invalid);
    `target` is the entry the edit is about; `checked_at` is the knowledge folder's
    fingerprint when it was validated (a save revalidates only if the folder changed since).
    """

    directory: str
    file: str
    edit: Edit | Restore
    base_version: str
    old_text: str
    new_text: str
    errors: tuple[KnowledgeError, ...] = ()
    knowledge: Knowledge | None = None
    target: EntryRef | None = None
    checked_at: str = ""
    preview: Answer | None = None
    impact: Impact | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def unchanged(self) -> bool:
        """True when the edit changes nothing in the file (a save writes nothing)."""
        return self.new_text == self.old_text

    def diff(self) -> str:
        """The change to the file as a unified diff ("" when there is none)."""
        return text_diff(self.old_text, self.new_text, f"{self.file} now",
                         f"{self.file} after saving")

    def field_errors(self, fields: Sequence[str]) -> dict[str, list[str]]:
        """The problems of the edited entry's `fields`, by field (as they are shown there)."""
        by_field: dict[str, list[str]] = {}
        for error in self.errors:
            if self._placed(error, fields):
                by_field.setdefault(error.key, []).append(error.problem)
        return by_field

    def other_errors(self, fields: Sequence[str]) -> list[KnowledgeError]:
        """The problems not shown next to one of `fields`."""
        return [error for error in self.errors if not self._placed(error, fields)]

    def _placed(self, error: KnowledgeError, fields: Sequence[str]) -> bool:
        return self.target is not None and self.target.owns(error) and error.key in fields


def text_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """How `new` differs from `old`, as a unified diff ("" when they are the same)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True), old_name, new_name))


def plan_edit(directory: str | os.PathLike, edit: Edit, *, base: Document | None = None,
              preview: str | None = None, compare_with: Engine | None = None) -> EditPlan:
    """The plan of `edit`, made on `base` (the file as the editor opened it; default: the file
    on disk now). Raises KnowledgeError when the file on disk cannot be opened."""
    base = base or open_file(directory, edit.file)
    try:
        result = edited(base.data, edit)
    except KnowledgeError as problem:
        return EditPlan(str(directory), edit.file, edit, base.version, base.text, base.text,
                        errors=(problem.within(folder=str(directory)),))
    return checked_plan(directory, edit.file, edit, base.version, base.text,
                        patch(base.text, result.data, edit.file), target=result.target,
                        preview=preview, compare_with=compare_with)


def checked_plan(directory: str | os.PathLike, file: str, edit: Edit | Restore, base_version: str,
                 old_text: str, new_text: str, *, target: EntryRef | None = None,
                 preview: str | None = None, compare_with: Engine | None = None) -> EditPlan:
    """A plan to replace `old_text` (at `base_version`) by `new_text`, validated with the rest
    of the knowledge folder, with the preview and impact asked for."""
    path_of(directory, file)
    folder = str(directory)
    checked_at = fingerprint(folder)
    try:
        knowledge = checked_knowledge(folder, overrides={file: new_text})
    except KnowledgeInvalid as invalid:
        return EditPlan(folder, file, edit, base_version, old_text, new_text,
                        errors=tuple(invalid.errors), target=target, checked_at=checked_at)
    engine = Engine(knowledge) if preview or compare_with is not None else None
    return EditPlan(
        folder, file, edit, base_version, old_text, new_text, knowledge=knowledge,
        target=target, checked_at=checked_at,
        preview=engine.ask(preview) if engine is not None and preview else None,
        impact=replay(folder, compare_with, engine)
        if engine is not None and compare_with is not None else None)
