"""One knowledge file's editor: add or find an entry, edit its fields, review, publish.

"Add a new ..." is a button at the top; a search lists the matching entries to choose from and
never opens one by itself. Every change (a new entry, an edit, a deletion) is planned
(assistant.editing.plan_edit: nothing written) and reviewed (ui.staff.review: the answer before
and after, the visitors' answers that change) before it can be published. Leaving a form with
unsaved changes (another section, another entry) asks first.

Each button is a callback that runs before the page is drawn, and leaves what the page shows
next (problems by field, a review) in session state.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from assistant import editing
from assistant.editing import AddEntry, Publish, RemoveEntry, SetFields, entries, entry_id
from assistant.errors import KnowledgeError
from assistant.knowledge import SPECS, FileSpec
from ui.resources import current_serving

from . import forms, review, session
from .forms import NEW
from .show import alert

state = st.session_state
OPEN = "staff_open_file"  # the file whose form the page shows (for the unsaved-changes check)


def target_key(file: str) -> str:
    return f"target:{file}"


def widget_key(file: str, version: str, target: str, field: str) -> str:
    return f"{file}:{version}:{target}:{state.get(f'gen:{file}', 0)}:{field}"


# ---------------------------------------------------------------------------------------------
# The form's values, and whether they differ from the file.


def _opened(directory: str, file: str):
    """(spec, document, target, index, entry) of the form open on `file`; None when no entry
    is open or it is gone."""
    spec = SPECS[file]
    target = spec.noun if not spec.many else state.get(target_key(file))
    if target is None:
        return None
    doc = session.draft(state, directory, file)
    items = entries(spec, doc.data)
    if target == NEW:
        return spec, doc, target, None, {}
    if not spec.many:
        return (spec, doc, target, 0, items[0]) if items else None
    options = _options([entry_id(spec, e) for e in items])
    if target not in options:
        return None
    index = options.index(target)
    return spec, doc, target, index, items[index]


def _shown(spec: FileSpec, new: bool, entry: Mapping) -> list:
    return forms.fields(spec, new, entry)


def _start_text(spec: FileSpec, field, entry: Mapping, new: bool) -> str:
    value = forms.initial(spec, field) if new else entry.get(field.name)
    return forms.to_text(spec, field, value)


def _values(spec: FileSpec, doc: editing.Document, target: str, entry: Mapping) -> dict:
    new = target == NEW
    values = {}
    for field in _shown(spec, new, entry):
        typed = state.get(widget_key(spec.name, doc.version, target, field.name))
        text = _start_text(spec, field, entry, new) if typed is None else typed
        values[field.name] = forms.from_text(field, text)
    return forms.with_id(spec, values, doc.data) if new else values


def is_dirty(directory: str, file: str | None) -> bool:
    """True when the form open on `file` holds typing that is not published."""
    if file is None:
        return False
    try:
        opened = _opened(directory, file)
    except KnowledgeError:
        return False
    if opened is None:
        return False
    spec, doc, target, _, entry = opened
    new = target == NEW
    for field in _shown(spec, new, entry):
        typed = state.get(widget_key(file, doc.version, target, field.name))
        if typed is not None and forms.from_text(field, typed) != \
                forms.from_text(field, _start_text(spec, field, entry, new)):
            return True
    return False


def _form_edit(directory: str, file: str, target: str, index: int | None):
    """The edit the form of `target` holds now, the draft it was made on, and the form's
    fields (a refused edit's problems are placed under them)."""
    spec = SPECS[file]
    doc = session.draft(state, directory, file)
    new = target == NEW
    entry = {} if new else entries(spec, doc.data)[index]
    values = _values(spec, doc, target, entry)
    names = forms.names(_shown(spec, new, entry))
    if new:
        return AddEntry(file, values), doc, names
    return SetFields(file, index, values, entry_id=_named(spec, target)), doc, names


def _named(spec: FileSpec, target: str) -> str | None:
    """The id an edit checks its entry by (None: an entry picked by position, see _options)."""
    return target if spec.many and not target.startswith("#") else None


def _snapshot(edit: Any) -> dict:
    return {"kind": type(edit).__name__, **dataclasses.asdict(edit)}


def default_question(spec: FileSpec, entry: Mapping, values: Mapping) -> str:
    """The question a review tries when staff typed none: an alternate question just added to
    an entry, else its (or a new entry's) first one; "" when it has none."""
    asked = [str(q) for q in values.get("questions") or []]
    before = [str(q) for q in entry.get("questions") or []]
    added = [q for q in asked if q not in before] if entry else []
    return added[-1] if added else (asked or [""])[0]


# ---------------------------------------------------------------------------------------------
# Callbacks.


def on_review(directory: str, file: str, target: str, index: int | None,
              publish_draft: bool = False) -> None:
    edit, doc, names = _form_edit(directory, file, target, index)
    form = _snapshot(edit)  # what the form holds, to see whether it changes after the review
    if publish_draft:
        edit = dataclasses.replace(edit, values={**edit.values, "draft": False})
    _review(directory, file, target, edit, doc, names, form=form, publishing=publish_draft)


def _review(directory: str, file: str, target: str, edit, doc, names, form,
            publishing: bool = False) -> None:
    spec = SPECS[file]
    index = getattr(edit, "index", None)
    entry = entries(spec, doc.data)[index] if index is not None else {}
    typed = (state.get(f"preview-question:{file}") or "").strip()
    values = getattr(edit, "values", {})
    question = typed or ("" if isinstance(edit, RemoveEntry) else
                         default_question(spec, entry, values))
    current = current_serving(directory).engine
    plan = editing.plan_edit(directory, edit, base=doc, preview=question or None,
                             compare_with=current)
    if not plan.valid:
        review.cancel()
        session.keep_errors(state, plan, target, names)
        return
    review.start(f"edit:{file}:{target}", plan, current=current.knowledge if current else None,
                 done=_done(spec, edit, entry, publishing), form=form)


def _done(spec: FileSpec, edit, entry: Mapping, publishing: bool) -> str:
    """What publishing the edit did, in words: "Added the clinic fact “Parking”"."""
    what = forms.section_title(spec) if not spec.many else \
        f"the {spec.noun} \u201c{_title_of(spec, edit, entry)}\u201d"
    if isinstance(edit, RemoveEntry):
        return f"Deleted {what}"
    if isinstance(edit, AddEntry):
        return f"Added {what}"
    if publishing or isinstance(edit, Publish):
        return f"Published {what}"
    return f"Published the change to {what}"


def _title_of(spec: FileSpec, edit, entry: Mapping) -> str:
    values = getattr(edit, "values", {})
    for source in (values, entry):
        for name in ("title", spec.id_field or ""):
            if source.get(name):
                return str(source[name])
    return ""


def on_delete(directory: str, file: str, target: str, index: int) -> None:
    spec = SPECS[file]
    doc = session.draft(state, directory, file)
    edit = RemoveEntry(file, index, _named(spec, target))
    _review(directory, file, target, edit, doc, (), form=None)


def on_discard(file: str) -> None:
    """Forget what the form holds: the file as it is comes back."""
    state[f"gen:{file}"] = state.get(f"gen:{file}", 0) + 1
    state.pop(session.ERRORS, None)
    review.cancel()


def on_reload(directory: str, file: str) -> None:
    try:
        session.reload(state, directory, file)
    except KnowledgeError as problem:
        session.say(state, "error", session.worded(problem))
    state.pop(session.ERRORS, None)
    review.cancel()


def _choose(directory: str, file: str, target: str | None) -> None:
    """Open `target` in the form, unless the open form holds unsaved changes: then ask."""
    if target is None or target == state.get(target_key(file)):
        return
    if is_dirty(directory, file):
        state[session.LEAVING] = {"file": file, "target": target}
        return
    state[target_key(file)] = target
    state.pop(session.ERRORS, None)
    review.cancel()


def _chosen_from(directory: str, file: str, key: str) -> None:
    target = state.get(key)
    state[key] = None  # the list is a chooser: the form says which entry is open
    _choose(directory, file, target)


def on_section_change(directory: str) -> None:
    """The section radio changed: go, unless the form being left holds unsaved changes."""
    wanted, shown = state.get("section"), state.get("section-shown")
    if shown is not None and wanted != shown and is_dirty(directory, state.get(OPEN)):
        state["section"] = shown
        state[session.LEAVING] = {"section": wanted}
        return
    state["section-shown"] = wanted
    review.cancel()


def on_stay() -> None:
    state.pop(session.LEAVING, None)


def on_leave(directory: str) -> None:
    """Drop the unsaved changes and go where staff asked to go."""
    leaving = state.pop(session.LEAVING, None) or {}
    file = state.get(OPEN)
    if file is not None:
        on_discard(file)
    if "section" in leaving:
        state["section"] = state["section-shown"] = leaving["section"]
    elif "target" in leaving:
        state[target_key(leaving["file"])] = leaving["target"]


def leaving_notice(directory: str) -> None:
    """Ask before unsaved changes are dropped (shown at the top of the page)."""
    leaving = state.get(session.LEAVING)
    if not leaving:
        return
    file = state.get(OPEN)
    where = forms.section_title(SPECS[file]) if file in SPECS else "this section"
    st.warning(f"You have changes in {where} that are not published. Leave them, or stay and "
               "review and publish them?", icon=":material/edit_note:")
    with st.container(horizontal=True, gap="small"):
        st.button("Stay here", key="stay", on_click=on_stay, type="primary")
        st.button("Leave without publishing", key="leave", on_click=on_leave,
                  args=(directory,))


def outdated_notice(directory: str, file: str) -> None:
    """Say so when someone saved `file` after this session opened it, with a way to catch up."""
    if session.is_outdated(state, directory, file):
        st.warning(f"Someone saved {forms.section_title(SPECS[file])} after you opened it. Load "
                   "the latest version before you change anything (your unsaved changes here "
                   "are dropped).", icon=":material/sync_problem:")
        st.button("Load the latest version", key=f"reload:{file}", on_click=on_reload,
                  args=(directory, file))


# ---------------------------------------------------------------------------------------------
# Drawing.


def _options(ids: list[str]) -> list[str]:
    """The values the entry picker offers: each entry's id, or "#position" for an entry whose
    id is missing or used twice (a file being mended)."""
    return [ident if ident and ids.count(ident) == 1 else f"#{n}"
            for n, ident in enumerate(ids, start=1)]


def pick_entry(directory: str, spec: FileSpec, items: list[dict], can_add: bool = True) -> None:
    """"Add a new ..." first; then the search and its matches, or the whole list."""
    file = spec.name
    if can_add:
        st.button(f"Add a new {spec.noun}", key=f"add:{file}", icon=":material/add:",
                  on_click=_choose, args=(directory, file, NEW))
    options = _options([entry_id(spec, e) for e in items])
    labels = dict(zip(options, (forms.entry_label(spec, e) for e in items), strict=True))
    query = st.text_input(f"Search {spec.noun}s", key=f"search:{file}",
                          placeholder="words from any of its fields")
    if query.strip():
        shown = [o for o, entry in zip(options, items, strict=True) if forms.matches(entry, query)]
        if not shown:
            st.caption(f"No {spec.noun} has all of these words.")
            return
        st.caption(f"{len(shown)} of {len(options)} {spec.noun}s match. Choose one:")
        st.radio(f"Matching {spec.noun}s", shown, index=None, key=f"match:{file}",
                 format_func=labels.get, label_visibility="collapsed",
                 on_change=_chosen_from, args=(directory, file, f"match:{file}"))
        return
    st.selectbox(f"Choose a {spec.noun}", options, index=None, key=f"pick:{file}",
                 format_func=labels.get, placeholder=f"All {len(options)} {spec.noun}s",
                 on_change=_chosen_from, args=(directory, file, f"pick:{file}"))


def field_widget(spec: FileSpec, field, key: str, text: str, directory: str) -> None:
    label = forms.label(spec, field)
    help_text = field.help or None
    kind = forms.widget(spec, field, text)
    if kind == "pick":
        referred = forms.referred_file(spec, field)
        drafts = {}
        if referred is not None:
            try:
                drafts[referred] = session.draft(state, directory, referred).data
            except KnowledgeError:
                pass
        options = forms.choices(spec, field, drafts)
        if text and text not in options:
            options = [text, *options]
        st.selectbox(label, options, index=options.index(text) if text in options else 0,
                     key=key, help=help_text)
    elif kind == "lines":
        lines = min(12, max(3, text.count("\n") + 2, len(text) // 80 + 2))
        st.text_area(label, text, key=key, help=help_text, height=28 * lines + 20)
    else:
        st.text_input(label, text, key=key, help=help_text)


def edit_file(directory: str | os.PathLike, file: str, can_add: bool = True) -> None:
    """The editor of one knowledge file (`can_add`: with "Add a new ...")."""
    directory = str(directory)
    spec = SPECS[file]
    state[OPEN] = file
    try:
        doc = session.draft(state, directory, file)
    except KnowledgeError as problem:
        alert("error", f"{session.worded(problem)}\n\nThis cannot be opened for editing. Put "
                       "back a saved version under History.", icon=":material/error:")
        return
    outdated_notice(directory, file)
    items = entries(spec, doc.data)
    if not items and not spec.many:
        alert("error", f"{forms.section_title(spec)} holds nothing to edit.")
        return
    if spec.many:
        pick_entry(directory, spec, items, can_add)
    opened = _opened(directory, file)
    if opened is None:
        return
    _, doc, target, index, entry = opened
    new = target == NEW
    args = (directory, file, target, index)
    if spec.many:
        st.subheader(f"New {spec.noun}" if new else forms.entry_label(spec, entry),
                     anchor=False)

    errors = session.errors_for(state, file, target) or {"fields": {}, "other": []}
    if errors["fields"] or errors["other"]:
        st.error("Not published: please correct what is marked below.", icon=":material/error:")
        for text in errors["other"]:
            alert("error", text)

    for field in forms.fixed(spec, new, entry):
        st.text_input(f"{forms.short_label(spec, field)} (not editable here)",
                      forms.to_text(spec, field, entry.get(field.name)), disabled=True,
                      key=widget_key(file, doc.version, target, f"fixed-{field.name}"))
    for field in _shown(spec, new, entry):
        with st.container(key=f"field-{field.name}"):
            field_widget(spec, field, widget_key(file, doc.version, target, field.name),
                         _start_text(spec, field, entry, new), directory)
            for message in errors["fields"].get(field.name, []):
                alert("error", message, icon=":material/arrow_upward:")

    st.text_input("Question to try before and after your change (optional)",
                  key=f"preview-question:{file}",
                  placeholder="e.g. Is Swedish massage gentle?" if file == "passages.yaml"
                  else "a question a visitor might ask")
    edit, _, _ = _form_edit(directory, file, target, index)
    with st.container(horizontal=True, gap="small"):
        st.button("Review changes", key="review", on_click=on_review, args=args, type="primary",
                  icon=":material/fact_check:")
        if entry.get("draft") is True:
            st.button("Review and publish this draft", key="review-draft", on_click=on_review,
                      args=(*args, True), icon=":material/publish:")
        if is_dirty(directory, file):
            st.button("Discard my changes", key="discard", on_click=on_discard, args=(file,),
                      icon=":material/close:")
        if spec.many and not new:
            st.button(f"Delete this {spec.noun}\u2026", key="delete", on_click=on_delete,
                      args=args, icon=":material/delete:")
    where = f"edit:{file}:{target}"
    active = review.active(where)
    review.panel(where, form=_snapshot(edit) if active and active["form"] else None)
