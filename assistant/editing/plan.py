"""Plan an edit before anything is written: `plan_edit(directory, edit) -> EditPlan`.

A plan holds the file's new text (only the changed values rewritten, assistant.editing.
yamltext), the validation of the whole knowledge base with that text (errors as data, each
placed on the field it is about), and on request what a visitor would get for a question
before and after the edit (`preview=`, `compare_with=` the engine visitors get now) and which
logged and alternate questions would change answer (`compare_with=`). Nothing is written:
`apply(plan)` does that (assistant.editing.apply), and a restore is planned the same way
(assistant.editing.history.plan_restore).

Most edits change one file. An article import changes several (its new text file, sources.yaml
and passages.yaml): the plan is about passages.yaml and lists the others in `also`, validated
together and written together.

A plan can be kept as plain data (`stored()`, e.g. in a staff session while the change is
reviewed) and applied later (`EditPlan.from_stored`): what is written is exactly what was
reviewed, at the versions it was planned on, or nothing.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..compose import Answer
from ..engine import Engine
from ..errors import KnowledgeError, KnowledgeInvalid
from ..knowledge import SPECS, Knowledge, fingerprint
from ..safety_check import checked_knowledge
from . import edits as _edits
from .documents import Document, exists, open_file, path_of
from .edits import Edit, EntryRef, ImportArticle, Restore, edited
from .impact import Impact, replay
from .yamltext import patch


@dataclass(frozen=True)
class FileChange:
    """One more file a plan writes: its text now ("" for a new file), its new text, and the
    version it was planned on (None: it must not exist yet)."""

    name: str
    base_version: str | None
    old_text: str
    new_text: str


@dataclass(frozen=True)
class EditPlan:
    """An edit of one knowledge file (and the files in `also`), worked out but not written.

    `base_version` is the version of the file the edit was made on (a save over any other is
    refused); `errors` are every validation problem with the new text (empty: it may be
    saved); `knowledge` is the knowledge base with the edit (None when it is invalid);
    `target` is the entry the edit is about; `checked_at` is the knowledge folder's
    fingerprint when it was validated (a save revalidates only if the folder changed since).
    `before` and `preview` are the answers to the preview question now and after the edit.
    """

    directory: str
    file: str
    edit: Edit | ImportArticle | Restore
    base_version: str
    old_text: str
    new_text: str
    errors: tuple[KnowledgeError, ...] = ()
    knowledge: Knowledge | None = None
    target: EntryRef | None = None
    checked_at: str = ""
    preview: Answer | None = None
    impact: Impact | None = None
    also: tuple[FileChange, ...] = ()
    before: Answer | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> tuple[FileChange, ...]:
        """Every file the plan writes, in the order it writes them (the plan's file last)."""
        return (*self.also, FileChange(self.file, self.base_version, self.old_text,
                                       self.new_text))

    @property
    def unchanged(self) -> bool:
        """True when the edit changes nothing in any file (a save writes nothing)."""
        return all(c.new_text == c.old_text and c.base_version is not None
                   for c in self.changes)

    def diff(self) -> str:
        """The change to the files as a unified diff ("" when there is none)."""
        return "".join(text_diff(c.old_text, c.new_text, f"{c.name} now",
                                 f"{c.name} after saving") for c in self.changes)

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

    def stored(self) -> dict:
        """What applying the plan needs, as plain data (JSON-safe): the edit, the texts and
        versions of every file, and when it was validated. Only a valid plan is stored."""
        if not self.valid:
            raise ValueError("only a valid plan can be stored, this one has "
                             f"{len(self.errors)} problem(s)")
        return {"directory": self.directory, "file": self.file,
                "edit": {"kind": type(self.edit).__name__, **_plain(asdict(self.edit))},
                "base_version": self.base_version, "old_text": self.old_text,
                "new_text": self.new_text, "checked_at": self.checked_at,
                "also": [asdict(change) for change in self.also]}

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> EditPlan:
        """The plan `stored()` gave, ready for `apply` (which checks the versions again)."""
        fields = dict(data["edit"])
        kind = getattr(_edits, fields.pop("kind"))
        if kind is ImportArticle:
            fields["passages"] = tuple(fields["passages"])
        elif "entry_ids" in fields:
            fields["entry_ids"] = tuple(fields["entry_ids"])
        return cls(directory=data["directory"], file=data["file"], edit=kind(**fields),
                   base_version=data["base_version"], old_text=data["old_text"],
                   new_text=data["new_text"], checked_at=data["checked_at"],
                   also=tuple(FileChange(**change) for change in data["also"]))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def text_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """How `new` differs from `old`, as a unified diff ("" when they are the same)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True), old_name, new_name))


def plan_edit(directory: str | os.PathLike, edit: Edit | ImportArticle, *,
              base: Document | None = None, preview: str | None = None,
              compare_with: Engine | None = None) -> EditPlan:
    """The plan of `edit`, made on `base` (the file as the editor opened it; default: the file
    on disk now). Raises KnowledgeError when the file on disk cannot be opened."""
    if isinstance(edit, ImportArticle):
        return _plan_import(directory, edit, base, preview, compare_with)
    base = base or open_file(directory, edit.file)
    try:
        result = edited(base.data, edit)
    except KnowledgeError as problem:
        return EditPlan(str(directory), edit.file, edit, base.version, base.text, base.text,
                        errors=(problem.within(folder=str(directory)),))
    return checked_plan(directory, edit.file, edit, base.version, base.text,
                        patch(base.text, result.data, edit.file), target=result.target,
                        preview=preview, compare_with=compare_with)


def _plan_import(directory: str | os.PathLike, edit: ImportArticle, base: Document | None,
                 preview: str | None, compare_with: Engine | None) -> EditPlan:
    """An article import: the new text file, then sources.yaml, then passages.yaml."""
    text_file = edit.text_file
    problem = None if edit.passages else ("the article has no paragraphs to quote: paste or "
                                          "upload its text")
    try:
        path_of(directory, text_file)
    except ValueError:
        problem = f"the article's text file must be sources/<id>.txt, got '{text_file}'"
    else:
        if problem is None and exists(directory, text_file):
            problem = (f"an article is already kept as '{text_file}'; give the new one another "
                       "id")
    documents = {name: (base if base is not None and base.name == name else
                        open_file(directory, name)) for name in ("sources.yaml", edit.file)}
    texts = {name: doc.data for name, doc in documents.items()}
    target = None
    for step in edit.steps():  # adding entries: nothing to look up, nothing to fail
        result = edited(texts[step.file], step)
        texts[step.file] = result.data
        target = result.target if step.file == edit.file else target
    passages = documents[edit.file]
    if problem is not None:
        return EditPlan(str(directory), edit.file, edit, passages.version, passages.text,
                        passages.text, errors=(KnowledgeError(
                            problem, file="sources.yaml", folder=str(directory),
                            noun="source", entry_id=str(edit.source.get("id") or "") or None),))
    sources = documents["sources.yaml"]
    also = (FileChange(text_file, None, "", edit.text),
            FileChange("sources.yaml", sources.version, sources.text,
                       patch(sources.text, texts["sources.yaml"], "sources.yaml")))
    return checked_plan(directory, edit.file, edit, passages.version, passages.text,
                        patch(passages.text, texts[edit.file], edit.file), also=also,
                        target=target, preview=preview, compare_with=compare_with)


def checked_plan(directory: str | os.PathLike, file: str, edit: Edit | ImportArticle | Restore,
                 base_version: str, old_text: str, new_text: str, *,
                 also: tuple[FileChange, ...] = (), target: EntryRef | None = None,
                 preview: str | None = None, compare_with: Engine | None = None) -> EditPlan:
    """A plan to replace `old_text` (at `base_version`) by `new_text` (and the files of
    `also`), validated with the rest of the knowledge folder, with the preview and impact
    asked for."""
    if file not in SPECS:
        path_of(directory, file)  # a ValueError naming the files a plan may be about
    folder = str(directory)
    checked_at = fingerprint(folder)
    overrides = {change.name: change.new_text for change in also}
    overrides[file] = new_text
    try:
        knowledge = checked_knowledge(folder, overrides=overrides)
    except KnowledgeInvalid as invalid:
        return EditPlan(folder, file, edit, base_version, old_text, new_text,
                        errors=tuple(invalid.errors), target=target, checked_at=checked_at,
                        also=also)
    engine = Engine(knowledge) if preview or compare_with is not None else None
    return EditPlan(
        folder, file, edit, base_version, old_text, new_text, knowledge=knowledge,
        target=target, checked_at=checked_at, also=also,
        preview=engine.ask(preview) if engine is not None and preview else None,
        before=compare_with.ask(preview) if compare_with is not None and preview else None,
        impact=replay(folder, compare_with, engine)
        if engine is not None and compare_with is not None else None)
