"""The knowledge files as staff forms, driven by the schema (assistant.knowledge.FILES).

Every file of the schema is a section and every field of its entries a form field, so a new
file or field appears on the staff page without a change here. What this module adds is
presentation only: section titles and field labels in staff words (a field without one gets
its name), which text fields take several lines, and which fields name an entry of another
file (picked from a list). The widget follows the field's kind: a list is written one item a
line, a choice is picked, a slug id is fixed once the entry exists (other files and the logs
refer to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assistant import articles
from assistant.editing import entries, entry_id
from assistant.editing.edits import defaults
from assistant.editing.impact import FACT
from assistant.knowledge import FILES, LIST_KINDS, SPECS, Field, FileSpec, Knowledge

NEW = "__new__"
UNANSWERED, HISTORY, ARTICLES = "Unanswered questions", "History", "Articles"

_TITLES = {"passages.yaml": "Passages", "synonyms.yaml": "Synonyms",
           "safety.yaml": "Safety messages", "smalltalk.yaml": "Small talk",
           "scope.yaml": "Topics not covered", "kinds.yaml": "Kinds of question",
           "clinic.yaml": "Clinic details", "facts.yaml": "Clinic facts",
           "sources.yaml": "Articles"}
_ORDER = ("passages.yaml", "sources.yaml", "facts.yaml", "synonyms.yaml", "safety.yaml",
          "smalltalk.yaml", "scope.yaml", "kinds.yaml", "clinic.yaml")
_LABELS = {
    "id": "Id", "title": "Title", "section": "Section of the article",
    "text": "Text (copied word for word from the article)", "questions": "Alternate questions",
    "keywords": "Keywords", "source": "Source", "means": "The article's word(s)",
    "words": "Words", "message": "Message shown to the visitor",
    "must_trigger": "Sample messages that must trigger this rule",
    "must_not_trigger": "Sample messages that must not trigger any rule",
    "triggers": "Triggers", "unless": "Unless (masks: text that never counts as a trigger)",
    "tier": "Tier", "reach": "Reach", "phrases": "Phrases", "reply": "Reply",
    "referral": "Referral sentence (shown under every answer)",
    "booking_url": "Booking web address (https://...)", "phone": "Phone", "address": "Address",
    "topic": "Topic (how a reply names it)", "publisher": "Publisher",
    "published": "Published (YYYY-MM-DD)", "file": "Text file (in the knowledge folder)",
    "url": "Web address", "items": "Passages listed (their ids)",
    "name": "Name (how a reply names it)", "passages": "Passages that answer it (ids, best first)",
    "answer": "Answer (about the clinic only)", "checked": "Last checked (YYYY-MM-DD)",
    "draft": "Draft (not shown to visitors yet)",
}
_FILE_LABELS = {
    ("synonyms.yaml", "words"): "Visitors' words that mean the same",
    ("scope.yaml", "topic"): "Topic", ("scope.yaml", "words"): "Words that mark the topic",
    ("scope.yaml", "unless"): "Unless (text that does not mark the topic)",
    ("scope.yaml", "clinic"): "A question for the clinic (answered with its details)",
    ("scope.yaml", "anywhere"): "Marked by these words anywhere in a question",
    ("kinds.yaml", "words"): "Words that mark this kind of question",
    ("kinds.yaml", "strict"): "Answered only by these passages, when they fit what is described",
    ("facts.yaml", "title"): "What it is about", ("facts.yaml", "questions"):
        "Ways a visitor might ask",
    ("sources.yaml", "title"): "Title of the article",
}
# Text written over several lines.
_LONG_TEXT = frozenset({"text", "message", "reply", "referral", "answer"})
# Fields whose value is the id of an entry of another file.
_REFERENCES = {("passages.yaml", "source"): "sources.yaml"}
# Fields set by the page itself, neither shown nor edited: an article's text file (the import
# makes it).
_HIDDEN = frozenset({("sources.yaml", "file")})


def sections() -> list[str]:
    """The page's sections: one per knowledge file, then the unanswered questions and history."""
    files = [*_ORDER, *(spec.name for spec in FILES if spec.name not in _ORDER)]
    return [*(section_title(SPECS[name]) for name in files if name in SPECS), UNANSWERED,
            HISTORY]


def section_title(spec: FileSpec) -> str:
    return _TITLES.get(spec.name, f"{spec.noun.capitalize()}s")


def file_of(section: str) -> str | None:
    """The knowledge file a section edits (None for the other sections)."""
    return next((spec.name for spec in FILES if section_title(spec) == section), None)


def staff_names(file: str, key: str | None) -> str:
    """How the page names a knowledge file (its section, `key` None) or one of its fields: for
    errors worded for staff (assistant.errors.describe)."""
    name = file if file in SPECS else "sources.yaml" if file.startswith("sources/") else file
    if name not in SPECS:
        return "the knowledge files"
    spec = SPECS[name]
    if key is None:
        return section_title(spec)
    field = next((f for f in spec.fields if f.name == key), None)
    return short_label(spec, field) if field is not None else key


def short_label(spec: FileSpec, field: Field) -> str:
    """A field's label without the note on how to write it: "Alternate questions"."""
    return _FILE_LABELS.get((spec.name, field.name)) or _LABELS.get(field.name) or \
        field.name.replace("_", " ").capitalize()


def label(spec: FileSpec, field: Field) -> str:
    """A field's label: its name in staff words, and for a list how to write it."""
    text = short_label(spec, field)
    if new_id(spec, field):
        return f"{text} (made from the title if left empty)"
    if field.kind not in LIST_KINDS:
        return text
    if field.max_items:
        count = f", {field.min_items} to {field.max_items}"
    elif field.min_items > 1:
        count = f", at least {field.min_items}"
    else:
        count = "" if field.required else ", optional"
    return f"{text} (one per line{count})"


def fields(spec: FileSpec, new: bool, entry: Mapping | None = None) -> list[Field]:
    """The fields staff edit: all of them on a new entry; on an existing one all but a slug
    id, which other files and the logs refer to, and any whose value in `entry` is more than
    text or a list of texts (a form cannot write it back as it was)."""
    entry = entry or {}
    return [f for f in spec.fields if (spec.name, f.name) not in _HIDDEN and
            (new or not (f.name == spec.id_field and f.kind == "slug")
             and _as_text(entry.get(f.name)))]


def fixed(spec: FileSpec, new: bool, entry: Mapping | None = None) -> list[Field]:
    """The fields shown but not editable (an existing entry's slug id, a nested value)."""
    editable = {f.name for f in fields(spec, new, entry)}
    return [f for f in spec.fields if f.name not in editable and
            (spec.name, f.name) not in _HIDDEN]


def _as_text(value: Any) -> bool:
    """True when a form can show the value as text and write it back the same."""
    if isinstance(value, (list, tuple)):
        return all(not isinstance(item, (dict, list, tuple)) for item in value)
    return not isinstance(value, dict)


def widget(spec: FileSpec, field: Field, value: Any) -> str:
    """Which widget edits the field: "pick" (from `choices()`), "lines" or "line"."""
    if field.kind in ("choice", "yes/no") or (spec.name, field.name) in _REFERENCES:
        return "pick"
    if field.kind in LIST_KINDS or field.name in _LONG_TEXT or isinstance(value, list) or \
            "\n" in str(value or "").strip():
        return "lines"
    return "line"


def choices(spec: FileSpec, field: Field, drafts: Mapping[str, Any]) -> list[str]:
    """What a picked field may be: its choices, or the ids of the file it refers to (from
    `drafts`, the data of the files by name)."""
    if field.kind == "choice":
        return list(field.choices)
    if field.kind == "yes/no":
        return ["no", "yes"]
    other = SPECS[_REFERENCES[(spec.name, field.name)]]
    return [entry_id(other, e) for e in entries(other, drafts.get(other.name))
            if entry_id(other, e)]


def referred_file(spec: FileSpec, field: Field) -> str | None:
    return _REFERENCES.get((spec.name, field.name))


def new_id(spec: FileSpec, field: Field) -> bool:
    """True for the id of a new entry, which the page makes from its title when left empty."""
    return field.name == spec.id_field and field.kind == "slug" and \
        any(f.name == "title" for f in spec.fields)


def with_id(spec: FileSpec, values: dict[str, Any], data: Any) -> dict[str, Any]:
    """A new entry's values with an id made from its title when none was typed, free among
    the entries of `data` (the file as the page opened it)."""
    if spec.id_field is None or values.get(spec.id_field) or not values.get("title"):
        return values
    taken = {entry_id(spec, entry) for entry in entries(spec, data)}
    return {**values, spec.id_field: articles.unique(articles.slug(str(values["title"])),
                                                     taken)}


def initial(spec: FileSpec, field: Field, today: dt.date | None = None) -> Any:
    """What a field of a new entry starts with: today for a date (when a fact was last
    checked, when an article was published), else nothing."""
    return (today or dt.date.today()).isoformat() if field.kind == "date" else None


def to_text(spec: FileSpec, field: Field, value: Any) -> str:
    """A knowledge value as the text a staff member edits (an optional field left out shows
    its default)."""
    if value is None:
        value = defaults(spec).get(field.name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    return str(value).strip("\n")


def from_text(field: Field, text: str | None) -> Any:
    """What a staff member typed as the knowledge value (lists: one item per line)."""
    text = text or ""  # a select box with nothing to choose from gives None
    if field.kind == "yes/no":
        return text == "yes"
    if field.kind in LIST_KINDS:
        return [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def entry_label(spec: FileSpec, entry: Mapping) -> str:
    """How an entry is listed for staff to pick: its title and id, or its id; a draft says
    so."""
    ident = entry_id(spec, entry)
    title = str(entry.get("title") or "") if "title" in {f.name for f in spec.fields} else ""
    shown = f"{title} ({ident})" if title and title != ident else ident or "(no id)"
    return f"{shown} \u2013 draft, not shown to visitors" if entry.get("draft") is True else shown


def matches(entry: Mapping, query: str) -> bool:
    """True when every word of `query` appears somewhere in the entry (any case)."""
    haystack = " ".join(str(v) if not isinstance(v, list) else " ".join(map(str, v))
                        for v in entry.values()).casefold()
    return all(word in haystack for word in query.casefold().split())


def outcome_label(outcome: str, knowledge: Knowledge | None) -> str:
    """A passage id as its title, a clinic fact by what it is about, a status in words."""
    words = {"no_match": "no answer", "urgent": "urgent reply", "smalltalk": "small talk reply",
             "clinic": "the clinic's contact details"}
    if outcome in words:
        return words[outcome]
    if outcome.startswith(FACT):
        ident = outcome.removeprefix(FACT)
        facts = {f.id: f.title for f in knowledge.facts} if knowledge is not None else {}
        return f"clinic fact: {facts[ident]} ({ident})" if ident in facts else \
            f"clinic fact {ident}"
    if knowledge is not None:
        try:
            return f"{knowledge.passage(outcome).title} ({outcome})"
        except KeyError:
            pass
    return outcome


def names(fields_: Sequence[Field]) -> list[str]:
    return [f.name for f in fields_]
