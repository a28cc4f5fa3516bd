"""The staff page's logic as plain functions over plain data, so it is tested without Streamlit.

    sign-in      a constant-time password check, a growing wait after 5 failures
    editors      which fields of which knowledge file staff edit, as data (`EDITORS`)
    drafts       each file as the editor opened it (data and version), kept in session state
    form values  knowledge values <-> widget text, entries replaced or removed in a copy
    errors       a failed save's KnowledgeErrors sorted to the field they belong to

Session state (`state`, a mutable mapping) holds only dicts, lists, strings and numbers.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import editing, settings
from assistant.errors import KnowledgeError, describe
from assistant.impact import Change
from assistant.knowledge import SPECS, Field, Knowledge

# ---------------------------------------------------------------------------------------------
# Sign-in.

SIGNED_IN, FAILURES, LOCKED_UNTIL = "staff_signed_in", "staff_failures", "staff_locked_until"
FREE_ATTEMPTS = 5
FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 30, 15 * 60


def wait_after(failures: int) -> int:
    """Seconds to wait after this many failed attempts: none for the first 5, then 30 s,
    doubling with each further failure, at most 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT_SECONDS)


def seconds_locked(state: Mapping, now: float) -> int:
    """How long this session must still wait before it may try a password (0: not locked)."""
    return max(0, math.ceil(state.get(LOCKED_UNTIL, 0) - now))


def attempt_login(state: MutableMapping, given: str, expected: str, now: float) -> str | None:
    """Check a password attempt; None when it is right, else what to tell the person."""
    wait = seconds_locked(state, now)
    if wait:
        return f"Too many wrong passwords. Please wait {_seconds(wait)} before trying again."
    # Digests of equal length, compared in constant time: neither the content nor the length
    # of the password shows in how long the check takes.
    if hmac.compare_digest(_digest(given), _digest(expected)):
        state[SIGNED_IN] = True
        state[FAILURES] = 0
        state.pop(LOCKED_UNTIL, None)
        return None
    failures = state.get(FAILURES, 0) + 1
    state[FAILURES] = failures
    wait = wait_after(failures)
    if wait:
        state[LOCKED_UNTIL] = now + wait
        return f"Wrong password. Too many wrong passwords: please wait {_seconds(wait)} " \
               "before trying again."
    left = FREE_ATTEMPTS - failures
    return f"Wrong password. {left} more {'try' if left == 1 else 'tries'} before a wait."


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _seconds(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


def signed_in(state: Mapping) -> bool:
    return state.get(SIGNED_IN) is True


def log_out(state: MutableMapping) -> None:
    """Forget everything this session held: sign-in, drafts, messages."""
    state.clear()


# ---------------------------------------------------------------------------------------------
# The editors, as data.


@dataclass(frozen=True)
class Editor:
    """What staff may change in one knowledge file.

    `fields` are edited on existing entries; `new_fields` when adding one (None: no adding or
    deleting). `shown` are displayed read-only for context.
    """

    section: str
    file: str
    fields: tuple[str, ...]
    new_fields: tuple[str, ...] | None = None
    shown: tuple[str, ...] = ()
    label: str = "id"

    @property
    def spec(self):
        return SPECS[self.file]

    @property
    def can_add(self) -> bool:
        return self.new_fields is not None

    def field(self, name: str) -> Field:
        return next(f for f in self.spec.fields if f.name == name)


EDITORS = (
    Editor("Passages", "passages.yaml", ("section", "title", "text", "questions", "keywords"),
           new_fields=("id", "section", "title", "text", "questions", "keywords", "source"),
           label="title"),
    Editor("Synonyms", "synonyms.yaml", ("means", "words"), new_fields=("means", "words"),
           label="means"),
    Editor("Safety messages", "safety.yaml", ("message", "must_trigger", "must_not_trigger"),
           shown=("triggers",), label="title"),
    Editor("Small talk", "smalltalk.yaml", ("reply",), shown=("phrases",)),
    Editor("Clinic details", "clinic.yaml", ("referral", "booking_url", "phone", "address")),
)
EDITOR_BY_SECTION = {editor.section: editor for editor in EDITORS}
SECTIONS = (*EDITOR_BY_SECTION, "Unanswered questions", "History")
# Fields written over several lines (the others are one line).
LONG_TEXT = frozenset({"text", "message", "reply", "referral"})
NEW = "__new__"

FIELD_LABELS = {
    "id": "Id", "title": "Title", "section": "Section of the article",
    "text": "Text (copied word for word from the article)",
    "questions": "Alternate questions (one per line, 2 to 6)",
    "keywords": "Keywords (one per line, optional)", "source": "Source",
    "means": "The article's word(s)", "words": "Visitors' words that mean the same (one per line)",
    "message": "Message shown to the visitor",
    "must_trigger": "Sample messages that must trigger this rule (one per line)",
    "must_not_trigger": "Sample messages that must not trigger any rule (one per line)",
    "triggers": "Triggers", "phrases": "Phrases", "reply": "Reply",
    "referral": "Referral sentence (shown under every answer)",
    "booking_url": "Booking web address (https://...)", "phone": "Phone", "address": "Address",
}


def entries(editor: Editor, data: Any) -> list[dict]:
    """The file's entries (one for clinic.yaml); [] when the data is not the expected shape."""
    body = data.get(editor.spec.top_key) if isinstance(data, dict) else None
    if not editor.spec.many:
        return [body] if isinstance(body, dict) else []
    return [entry for entry in body if isinstance(entry, dict)] if isinstance(body, list) else []


def source_ids(data: Any) -> list[str]:
    """The source ids listed in sources.yaml's data (a new passage names one of them)."""
    body = data.get(SPECS["sources.yaml"].top_key) if isinstance(data, dict) else None
    return [str(s.get("id")) for s in body or [] if isinstance(s, dict) and s.get("id")]


def entry_id(editor: Editor, entry: Mapping) -> str:
    """The value that names an entry (its id, or `means` for a synonym)."""
    return str(entry.get(editor.spec.id_field or "", ""))


def entry_label(editor: Editor, entry: Mapping) -> str:
    """How an entry is listed for staff to pick."""
    ident, label = entry_id(editor, entry), str(entry.get(editor.label, ""))
    return label if not label or label == ident else f"{label} ({ident})"


def matches(entry: Mapping, query: str) -> bool:
    """True when every word of `query` appears somewhere in the entry (any case)."""
    haystack = " ".join(str(v) if not isinstance(v, list) else " ".join(map(str, v))
                        for v in entry.values()).casefold()
    return all(word in haystack for word in query.casefold().split())


def widget_text(field: Field, value: Any) -> str:
    """A knowledge value as the text a staff member edits."""
    if value is None:
        return ""
    if field.kind == "text list":
        return "\n".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return str(value).strip("\n")


def knowledge_value(field: Field, text: str | None) -> Any:
    """What a staff member typed as the knowledge value (lists: one item per line)."""
    text = text or ""  # a select box with nothing to choose from gives None
    if field.kind == "text list":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def with_entry(editor: Editor, data: Any, index: int | None, entry: Mapping) -> dict:
    """A copy of the file's data with entry `index` replaced (None: `entry` added at the end)."""
    new = copy.deepcopy(data)
    top = editor.spec.top_key
    if not editor.spec.many:
        new[top] = {**new[top], **entry}
    elif index is None:
        new[top].append(dict(entry))
    else:
        new[top][index] = {**new[top][index], **entry}
    return new


def without_entry(editor: Editor, data: Any, index: int) -> dict:
    """A copy of the file's data without entry `index`, taken out of the lists (`items`) of
    the other entries too."""
    new = copy.deepcopy(data)
    gone = new[editor.spec.top_key].pop(index)
    ident = gone.get(editor.spec.id_field) if isinstance(gone, dict) else None
    for entry in new[editor.spec.top_key]:
        if isinstance(entry, dict) and isinstance(entry.get("items"), list) and \
                ident in entry["items"]:
            entry["items"] = [item for item in entry["items"] if item != ident]
    return new


def entry_ref(editor: Editor, position: int, entry: Mapping) -> dict:
    """Which entry validation errors must name to be `entry`, at 0-based `position` in the
    edited file: its file, noun, id and 1-based index. Plain data, for session state."""
    ref = {"file": editor.file, "noun": editor.spec.noun, "entry_id": None, "index": None}
    if editor.spec.many:
        ref["index"] = position + 1
        ref["entry_id"] = entry_id(editor, entry).strip() or None
    return ref


def belongs_to(error: Mapping, ref: Mapping | None) -> bool:
    """True when a validation error (as plain data) is about the entry `ref` names."""
    if ref is None or error["file"] != ref["file"] or error["noun"] != ref["noun"]:
        return False
    if ref["entry_id"] is None and ref["index"] is None:  # a file of one entry (clinic)
        return True
    return (error["entry_id"] is not None and error["entry_id"] == ref["entry_id"]) or \
        (error["index"] is not None and error["index"] == ref["index"])


def error_record(error: KnowledgeError) -> dict:
    """A KnowledgeError as plain data for session state, with its wording for people."""
    return {**error.as_dict(), "text": describe(error)}


def sort_errors(errors: Sequence[Mapping], ref: Mapping | None,
                fields: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Errors next to the field they belong to ({field: [problem]}), and the rest, worded."""
    by_field: dict[str, list[str]] = {}
    rest = []
    for error in errors:
        if belongs_to(error, ref) and error["key"] in fields:
            by_field.setdefault(error["key"], []).append(error["problem"])
        else:
            rest.append(error["text"])
    return by_field, rest


# ---------------------------------------------------------------------------------------------
# Drafts: each knowledge file as this session's editor opened it.


def draft_key(file: str) -> str:
    return f"draft:{file}"


def draft(state: MutableMapping, directory: str, file: str) -> dict:
    """{"version", "data"} of `file` as this session opened it (opened now if it was not).

    Raises KnowledgeError when the file cannot be read or parsed.
    """
    key = draft_key(file)
    if key not in state:
        reload(state, directory, file)
    return state[key]


def reload(state: MutableMapping, directory: str, file: str) -> dict:
    """Open `file` again from disk, dropping this session's view of the older version."""
    document = editing.open_file(directory, file)
    state[draft_key(file)] = {"version": document.version, "data": document.data}
    return state[draft_key(file)]


def is_outdated(state: Mapping, directory: str, file: str) -> bool:
    """True when someone saved `file` after this session opened it."""
    opened = state.get(draft_key(file))
    if opened is None:
        return False
    try:
        return editing.current_version(directory, file) != opened["version"]
    except KnowledgeError:
        return True


# ---------------------------------------------------------------------------------------------
# Showing impact and history.


def outcome_label(outcome: str, knowledge: Knowledge | None) -> str:
    """A passage id as its title, a status in words."""
    words = {"no_match": "no answer", "urgent": "urgent reply", "smalltalk": "small talk reply"}
    if outcome in words:
        return words[outcome]
    if knowledge is not None:
        try:
            return f"{knowledge.passage(outcome).title} ({outcome})"
        except KeyError:
            pass
    return outcome


def change_rows(changes: Sequence[Change], current: Knowledge | None,
                edited: Knowledge | None) -> list[dict]:
    """The impact check as table rows."""
    return [{"Question": c.question, "Change": c.kind, "Now": outcome_label(c.before, current),
             "After saving": outcome_label(c.after, edited), "From": c.origin} for c in changes]


def version_label(version: editing.Version) -> str:
    return f"{version.saved_at:%Y-%m-%d %H:%M:%S} UTC · {version.name} · {version.id}"


def password_help() -> str:
    """What the page says when no staff password is set."""
    return (f"The staff tools are switched off because no staff password is set. To switch them "
            f"on, set the environment variable `{settings.STAFF_PASSWORD_ENV}` before starting "
            f"the app, or add `{settings.STAFF_PASSWORD_SECRET} = \"...\"` to "
            "`.streamlit/secrets.toml`, then restart the app.")

