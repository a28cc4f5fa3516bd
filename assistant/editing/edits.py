"""What a staff member asks of one knowledge file, as data, and the file data it gives.

    SetFields(file, index, values, entry_id)   change fields of one entry
    AddEntry(file, values)                       add an entry at the end of the file
    RemoveEntry(file, index, entry_id)           remove one entry
    AddItem(file, entry_id, field, item)         add one item to a list of an entry (an
                                                 unanswered question as an alternate question)
    Publish(entry_ids)                           make draft passages live
    ImportArticle(source, text, passages)        a new article: its text file, its source
                                                 entry and its passages, in one plan (several
                                                 files: assistant.editing.plan)
    Restore(file, version)                       put back a saved version (planned from its
                                                 text: assistant.editing.history.plan_restore)

Entry point: `edited(data, edit) -> Edited` (pure): the file's new data, and the entry the
edit is about (`EntryRef`, which validation errors are matched against). Values are compared
as the schema reads them (spaces at line ends, a missing key and its default, a date and its
text are the same), so a form sent back unchanged changes nothing, and an optional field left
at its default is not written into the file. Entries are found by position and checked by id,
so an edit made on an outdated view of a file never lands on another entry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import KnowledgeError
from ..knowledge import SPECS, FileSpec
from ..knowledge.blocks import block_texts
from ..knowledge.schema import EMPTY, LIST_KINDS, clean


@dataclass(frozen=True)
class SetFields:
    """Change `values` ({field: value}) of the entry at 0-based `index` (0 in a file of one
    entry), which must still be named `entry_id` when that is given."""

    file: str
    index: int
    values: Mapping[str, Any]
    entry_id: str | None = None


@dataclass(frozen=True)
class AddEntry:
    """Add an entry with these field values at the end of the file."""

    file: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class RemoveEntry:
    """Remove the entry at 0-based `index`, which must still be named `entry_id`."""

    file: str
    index: int
    entry_id: str | None = None


@dataclass(frozen=True)
class AddItem:
    """Add `item` at the end of the list `field` of the entry named `entry_id`."""

    file: str
    entry_id: str
    field: str
    item: str


@dataclass(frozen=True)
class Publish:
    """Make the draft passages named `entry_ids` live: visitors get them from then on."""

    entry_ids: tuple[str, ...]
    file: str = "passages.yaml"


@dataclass(frozen=True)
class ImportArticle:
    """Keep a new article: its `text` as the new file the source names (`source["file"]`,
    in sources/), its entry in sources.yaml, and its `passages` in passages.yaml (drafts
    unless one says `draft: False`)."""

    source: Mapping[str, Any]
    text: str
    passages: tuple[Mapping[str, Any], ...]
    file: str = "passages.yaml"

    @property
    def text_file(self) -> str:
        return str(self.source.get("file", ""))

    def steps(self) -> tuple[AddEntry, ...]:
        """The edits of the knowledge files it makes, in order."""
        return (AddEntry("sources.yaml", self.source),
                *(AddEntry(self.file, passage) for passage in self.passages))


@dataclass(frozen=True)
class Restore:
    """Put `file` back as it was in the saved `version`."""

    file: str
    version: str


Edit = SetFields | AddEntry | RemoveEntry | AddItem | Publish

# Fields that list ids of entries of the same file: a passage's `items`, the passages of the
# list it introduces.
_LISTS_OF_IDS = {"passages.yaml": ("items",)}


@dataclass(frozen=True)
class EntryRef:
    """An entry as validation errors name it: its file, noun, id and 1-based position."""

    file: str
    noun: str
    entry_id: str | None = None
    index: int | None = None

    def owns(self, error: KnowledgeError) -> bool:
        """True when the error is about this entry."""
        if error.file != self.file or error.noun != self.noun:
            return False
        if self.entry_id is None and self.index is None:  # a file of one entry (clinic)
            return True
        return (error.entry_id is not None and error.entry_id == self.entry_id) or \
            (error.index is not None and error.index == self.index)


@dataclass(frozen=True)
class Edited:
    """A file's data after an edit, and the entry the edit is about (None: a removal)."""

    data: Any
    target: EntryRef | None


# ---------------------------------------------------------------------------------------------
# Reading entries.


def entries(spec: FileSpec, data: Any) -> list[dict]:
    """The file's entries in file order (one for a file of one entry); an item that is not a
    mapping is an empty entry, so positions stay those of the file. [] when the file is not
    the expected shape. Lists written as a `|` block are lists here."""
    body = data.get(spec.top_key) if isinstance(data, dict) else None
    if not spec.many:
        return [_listed(spec, body)] if isinstance(body, dict) else []
    if not isinstance(body, list):
        return []
    return [_listed(spec, entry) if isinstance(entry, dict) else {} for entry in body]


def _listed(spec: FileSpec, entry: dict) -> dict:
    """The entry with each list of texts written as a `|` block (one item a line) as a list,
    as forms and edits see it."""
    blocks = [f.name for f in spec.fields
              if f.kind in LIST_KINDS and isinstance(entry.get(f.name), str)]
    if not blocks:
        return entry
    return {**entry, **{name: list(block_texts(entry[name]))
                        for name in blocks}}


def entry_id(spec: FileSpec, entry: Mapping) -> str:
    """The value that names an entry (its id, or `means` for a synonym); "" when it has none."""
    value = entry.get(spec.id_field or "")
    return clean(str(value)) if value is not None else ""


def defaults(spec: FileSpec) -> dict[str, Any]:
    """What each optional field holds when it is left out of an entry."""
    model = {f.name: f.default for f in dataclasses.fields(spec.cls)
             if f.default is not dataclasses.MISSING}
    return {f.name: model.get(f.name, EMPTY.get(f.kind)) for f in spec.fields if not f.required}


def same(a: Any, b: Any) -> bool:
    """True when two values read the same to the schema."""
    return _comparable(a) == _comparable(b)


def _comparable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(item) for item in value)
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    return clean(str(value))


# ---------------------------------------------------------------------------------------------
# Applying an edit to a file's data.


def edited(data: Any, edit: Edit) -> Edited:
    """The file's data with `edit` made (a new object; `data` is left as it is).

    Raises KnowledgeError when the entry it names is not there any more.
    """
    spec = SPECS[edit.file]
    items = entries(spec, data)
    if isinstance(edit, AddEntry):
        entry = _ordered(spec, {name: value for name, value in edit.values.items()
                                if not _left_out(spec, name, value)})
        new = _with_body(spec, data, [*_body(spec, data), entry])
        return Edited(new, _ref(spec, len(items), entry))
    if isinstance(edit, Publish):
        return _published(spec, data, items, edit)
    index = _find(spec, items, edit)
    if isinstance(edit, RemoveEntry):
        gone = entry_id(spec, items[index])
        body = [_without_id(spec, entry, gone) for n, entry in enumerate(_body(spec, data))
                if n != index]
        return Edited(_with_body(spec, data, body), None)
    old = items[index]
    if isinstance(edit, AddItem):
        values = {edit.field: [*(old.get(edit.field) or []), edit.item]}
    else:
        values = dict(edit.values)
    entry = _merged(spec, old, values)
    if not spec.many:
        return Edited({**data, spec.top_key: entry}, _ref(spec, 0, entry))
    body = _body(spec, data)
    return Edited(_with_body(spec, data, [*body[:index], entry, *body[index + 1:]]),
                  _ref(spec, index, entry))


def _published(spec: FileSpec, data: Any, items: list[dict], edit: Publish) -> Edited:
    """The passages of `edit` without their draft mark (a live passage needs none)."""
    positions = {entry_id(spec, entry): n for n, entry in enumerate(items)}
    body = _body(spec, data)
    for ident in edit.entry_ids:
        if ident not in positions:
            raise _gone(spec, ident)
        n = positions[ident]
        body[n] = {key: value for key, value in body[n].items() if key != "draft"}
    first = positions[edit.entry_ids[0]] if edit.entry_ids else 0
    target = _ref(spec, first, items[first]) if items else None
    return Edited(_with_body(spec, data, body), target)


def _gone(spec: FileSpec, wanted: str | None, index: int | None = None) -> KnowledgeError:
    return KnowledgeError(
        f"there is no {spec.noun} {repr(wanted) if wanted else (index or 0) + 1} here any "
        "more: someone changed the file. Load the latest version and make the change again",
        file=spec.name, noun=spec.noun, entry_id=wanted)


def _find(spec: FileSpec, items: list[dict], edit: Edit) -> int:
    """The position of the entry an edit names; KnowledgeError when it is gone."""
    if isinstance(edit, AddItem):
        for index, entry in enumerate(items):
            if entry_id(spec, entry) == edit.entry_id:
                return index
        wanted, index = edit.entry_id, None
    else:
        wanted, index = edit.entry_id, edit.index
        if 0 <= index < len(items) and (wanted is None or
                                         entry_id(spec, items[index]) == wanted):
            return index
    raise _gone(spec, wanted, index)


def _without_id(spec: FileSpec, entry: Any, ident: str) -> Any:
    """`entry` with `ident` taken out of its lists of ids of the same file (a passage goes
    from the lists it is in when it is removed)."""
    fields = _LISTS_OF_IDS.get(spec.name, ())
    if not ident or not isinstance(entry, dict) or \
            not any(ident in (entry.get(name) or ()) for name in fields):
        return entry
    return {key: [item for item in value if item != ident]
            if key in fields and isinstance(value, list) else value
            for key, value in entry.items()}


# Marks whose absence is their meaning: a passage set to `draft: no` is written without it.
_MARKS = {("passages.yaml", "draft")}


def _merged(spec: FileSpec, old: dict, values: Mapping[str, Any]) -> dict:
    """`old` with `values` set, keeping old values that read the same, in the schema's order."""
    entry = dict(old)
    for name, value in values.items():
        if name in old and same(old[name], value):
            continue
        if (spec.name, name) in _MARKS and _left_out(spec, name, value):
            entry.pop(name, None)
            continue
        if name not in old and _left_out(spec, name, value):
            continue
        entry[name] = value
    return _ordered(spec, entry)


def _left_out(spec: FileSpec, name: str, value: Any) -> bool:
    """True when an optional field not written in the entry may stay unwritten: its value is
    its default (a new entry leaves out optional fields left empty or at their default)."""
    optional = defaults(spec)
    return name in optional and (same(value, optional[name]) or same(value, ""))


def _ordered(spec: FileSpec, entry: dict) -> dict:
    """The entry's keys in the schema's order; keys the schema does not know keep their place
    at the end (validation reports them)."""
    names = [f.name for f in spec.fields]
    return {**{name: entry[name] for name in names if name in entry},
            **{key: value for key, value in entry.items() if key not in names}}


def _body(spec: FileSpec, data: Any) -> list:
    body = data.get(spec.top_key) if isinstance(data, dict) else None
    return list(body) if isinstance(body, list) else []


def _with_body(spec: FileSpec, data: Any, body: list) -> dict:
    return {**(data if isinstance(data, dict) else {}), spec.top_key: body}


def _ref(spec: FileSpec, position: int, entry: Mapping) -> EntryRef:
    """The entry at 0-based `position`, as errors name it."""
    if not spec.many:
        return EntryRef(spec.name, spec.noun)
    return EntryRef(spec.name, spec.noun, entry_id(spec, entry) or None, position + 1)
