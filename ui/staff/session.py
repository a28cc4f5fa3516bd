"""What one staff session keeps between reruns, as plain data, and saving a planned edit.

    drafts    each knowledge file as this session opened it (a Document as a dict)
    messages  shown once, at the top of the next drawing of the page
    errors    a refused edit's problems, by field, for the form that made it
    review    a planned change being reviewed before it is published (ui.staff.review)
    undo      what the last save replaced, so it can be put back in one click
    leaving   where staff asked to go while a form held unsaved changes

`state` is st.session_state or any mutable mapping (the tests pass a dict).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, MutableMapping, Sequence

from assistant import editing
from assistant.errors import AssistantError, EditConflict, KnowledgeError, describe
from assistant.knowledge import SPECS

from .forms import staff_names

MESSAGES, ERRORS, REVIEW, UNDO, LEAVING = "staff_messages", "staff_errors", "staff_review", \
    "staff_undo", "staff_leaving"


def draft_key(file: str) -> str:
    return f"draft:{file}"


def draft(state: MutableMapping, directory: str | os.PathLike, file: str) -> editing.Document:
    """The file as this session opened it (opened now if it was not); KnowledgeError when it
    cannot be read or parsed."""
    if draft_key(file) not in state:
        return reload(state, directory, file)
    return editing.Document(**state[draft_key(file)])


def reload(state: MutableMapping, directory: str | os.PathLike, file: str) -> editing.Document:
    """Open `file` again from disk, dropping this session's view of the older version."""
    document = editing.open_file(directory, file)
    state[draft_key(file)] = document.as_dict()
    return document


def is_outdated(state: Mapping, directory: str | os.PathLike, file: str) -> bool:
    """True when someone saved `file` after this session opened it."""
    opened = state.get(draft_key(file))
    if opened is None:
        return False
    try:
        return editing.current_version(directory, file) != opened["version"]
    except KnowledgeError:
        return True


def say(state: MutableMapping, kind: str, text: str) -> None:
    """Keep a message ("error", "warning", "info", "success") for the next drawing."""
    state.setdefault(MESSAGES, []).append([kind, text])


def keep_errors(state: MutableMapping, plan: editing.EditPlan, form: str,
                fields: Sequence[str]) -> None:
    """Keep a refused plan's problems for the form `form` of its file: those of its entry's
    `fields` by field, the rest worded."""
    state[ERRORS] = {"file": plan.file, "form": form, "fields": plan.field_errors(fields),
                     "other": [worded(error) for error in plan.other_errors(fields)]}


def worded(error: BaseException) -> str:
    """An error as staff read it: by section, entry and field, saying what to do."""
    return describe(error, staff_names)


def errors_for(state: Mapping, file: str, form: str) -> dict | None:
    """The kept problems of this form, if they are its own."""
    errors = state.get(ERRORS)
    return errors if errors and (errors["file"], errors["form"]) == (file, form) else None


def save(state: MutableMapping, plan: editing.EditPlan, done: str,
         on_invalid: Callable[[editing.EditPlan], None]) -> editing.Saved | None:
    """Apply a plan and say what happened; None when nothing was saved.

    `on_invalid(plan)` keeps the plan's validation problems where the page will show them.
    The files are opened again after a save, so the forms show them as they are. A save that
    replaced one file can be undone from the message it leaves (`UNDO`).
    """
    state.pop(ERRORS, None)
    state.pop(UNDO, None)
    if not plan.valid:
        on_invalid(plan)
        return None
    if plan.unchanged:
        say(state, "info", "Nothing to publish: this is what visitors get already.")
        return None
    try:
        saved = editing.apply(plan)
    except EditConflict as conflict:
        say(state, "error", worded(conflict))
        return None
    except (AssistantError, OSError) as problem:
        say(state, "error", f"Nothing was published: {worded(problem)}")
        return None
    for change in plan.changes:
        if change.name in SPECS:
            try:
                reload(state, plan.directory, change.name)
            except KnowledgeError:
                state.pop(draft_key(change.name), None)
    say(state, "success", f"{done}. Visitors get it from their next question.")
    if len(saved.backups) == 1:
        state[UNDO] = {"version": saved.backups[0], "done": done}
    return saved
