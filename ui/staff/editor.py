"""One knowledge file's editor: pick an entry, edit its fields, preview, check impact, save,
delete.

Each button is a callback that runs before the page is drawn: it makes the edit from the form,
plans it (assistant.editing.plan_edit: nothing written), then saves the plan or keeps what the
page shows next (problems by field, a preview, an impact table) in session state.
"""

from __future__ import annotations

import os

import streamlit as st

from assistant import editing
from assistant.editing import AddEntry, RemoveEntry, SetFields, entries, entry_id
from assistant.errors import KnowledgeError, StoreError, describe
from assistant.knowledge import SPECS, FileSpec
from ui import render
from ui.resources import current_serving

from . import forms, session
from .forms import NEW
from .show import alert

state = st.session_state


def widget_key(file: str, version: str, target: str, field: str) -> str:
    return f"{file}:{version}:{target}:{field}"


def _form_edit(directory: str, file: str, target: str, index: int | None):
    """The edit the form of `target` holds now, the draft it was made on, and the form's
    fields (a refused edit's problems are placed under them)."""
    spec = SPECS[file]
    doc = session.draft(state, directory, file)
    new = target == NEW
    shown = forms.fields(spec, new, {} if new else entries(spec, doc.data)[index])
    values = {f.name: forms.from_text(f, state.get(widget_key(file, doc.version, target, f.name)))
              for f in shown}
    if new:
        return AddEntry(file, values), doc, forms.names(shown)
    return SetFields(file, index, values, entry_id=_named(spec, target)), doc, forms.names(shown)


def _named(spec: FileSpec, target: str) -> str | None:
    """The id an edit checks its entry by (None: an entry picked by position, see _options)."""
    return target if spec.many and not target.startswith("#") else None


def on_preview(directory: str, file: str, target: str, index: int | None) -> None:
    state.pop(session.RESULT, None)
    question = state.get(f"preview-question:{file}", "") or ""
    edit, doc, names = _form_edit(directory, file, target, index)
    plan = editing.plan_edit(directory, edit, base=doc, preview=question.strip() or None)
    if not plan.valid:
        session.keep_errors(state, plan, target, names)
        return
    state.pop(session.ERRORS, None)
    if plan.preview is None:
        session.say(state, "info", "Type a question to preview, then press “Preview the answer”.")
        return
    state[session.RESULT] = {"file": file, "form": target, "kind": "preview",
                             "record": plan.preview.as_record()}


def on_impact(directory: str, file: str, target: str, index: int | None) -> None:
    state.pop(session.RESULT, None)
    current = current_serving(directory).engine
    edit, doc, names = _form_edit(directory, file, target, index)
    plan = editing.plan_edit(directory, edit, base=doc, compare_with=current)
    if not plan.valid:
        session.keep_errors(state, plan, target, names)
        return
    state.pop(session.ERRORS, None)
    if plan.impact is None:
        session.say(state, "warning", "The knowledge files on disk cannot be loaded, so there is "
                                      "nothing to compare your edit with. Restore a saved version "
                                      "under History.")
        return
    knowledge = current.knowledge
    rows = [{"Question": c.question, "Change": c.kind,
             "Now": forms.outcome_label(c.before, knowledge),
             "After saving": forms.outcome_label(c.after, plan.knowledge), "From": c.origin}
            for c in plan.impact.changes]
    notes = [("Visitor questions were left out: " if isinstance(p, StoreError) else
              "The staff question file was left out: ") + describe(p)
             for p in plan.impact.left_out]
    state[session.RESULT] = {"file": file, "form": target, "kind": "impact", "rows": rows,
                             "replayed": plan.impact.replayed, "notes": notes}


def on_save(directory: str, file: str, target: str, index: int | None) -> None:
    state.pop(session.RESULT, None)
    edit, doc, names = _form_edit(directory, file, target, index)
    plan = editing.plan_edit(directory, edit, base=doc)
    session.save(state, plan, "Saved", lambda refused: session.keep_errors(state, refused, target,
                                                                           names))


def on_delete(directory: str, file: str, target: str, index: int) -> None:
    state.pop(session.CONFIRM, None)
    spec = SPECS[file]
    doc = session.draft(state, directory, file)
    plan = editing.plan_edit(directory, RemoveEntry(file, index, _named(spec, target)),
                             base=doc)
    # The entry is gone from the file: every problem is shown above the form.
    session.save(state, plan, f"Deleted the {spec.noun} '{target}'",
                 lambda refused: session.keep_errors(state, refused, target, ()))


def on_reload(directory: str, file: str) -> None:
    try:
        session.reload(state, directory, file)
    except KnowledgeError as problem:
        session.say(state, "error", describe(problem))
    state.pop(session.ERRORS, None)
    state.pop(session.RESULT, None)


def outdated_notice(directory: str, file: str) -> None:
    """Say so when someone saved `file` after this session opened it, with a way to catch up."""
    if session.is_outdated(state, directory, file):
        st.warning(f"Someone saved {file} after you opened it. Load the latest version before "
                   "you edit it (your unsaved changes to it are dropped).",
                   icon=":material/sync_problem:")
        st.button("Load the latest version", key=f"reload:{file}", on_click=on_reload,
                  args=(directory, file))


def _options(ids: list[str]) -> list[str]:
    """The values the entry picker offers: each entry's id, or "#position" for an entry whose
    id is missing or used twice (a file being mended)."""
    return [ident if ident and ids.count(ident) == 1 else f"#{n}"
            for n, ident in enumerate(ids, start=1)]


def pick_entry(spec: FileSpec, items: list[dict]) -> tuple[str, int | None, dict]:
    """The entry to edit: (target, index, entry); target is its picker value or NEW."""
    if not spec.many:
        return spec.noun, 0, items[0]
    options = _options([entry_id(spec, e) for e in items])
    labels = dict(zip(options, (forms.entry_label(spec, e) for e in items), strict=True))
    shown = options
    if len(items) > 1:
        query = st.text_input(f"Search {spec.noun}s", key=f"search:{spec.name}",
                              placeholder="words from any of its fields")
        shown = [o for o, entry in zip(options, items, strict=True) if forms.matches(entry, query)]
        st.caption(f"{len(shown)} of {len(options)} {spec.noun}s")
    labels[NEW] = f"➕ Add a new {spec.noun}"
    target = st.selectbox(f"Choose a {spec.noun}", [*shown, NEW], key=f"pick:{spec.name}",
                          format_func=labels.get)
    if target is None or target == NEW:
        return NEW, None, {}
    index = options.index(target)
    return target, index, items[index]


def field_widget(spec: FileSpec, field, key: str, value, directory: str) -> None:
    label = forms.label(spec, field)
    help_text = field.help or None
    text = forms.to_text(spec, field, value)
    kind = forms.widget(spec, field, value)
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


def edit_file(directory: str | os.PathLike, file: str) -> None:
    """The editor of one knowledge file."""
    directory = str(directory)
    spec = SPECS[file]
    try:
        doc = session.draft(state, directory, file)
    except KnowledgeError as problem:
        alert("error", f"{describe(problem)}\n\nThis file cannot be opened for editing. Restore "
                       "a saved version under History.", icon=":material/error:")
        return
    outdated_notice(directory, file)
    items = entries(spec, doc.data)
    if not items and not spec.many:
        alert("error", f"{file} has no entries to edit.")
        return
    target, index, entry = pick_entry(spec, items)
    new = target == NEW
    args = (directory, file, target, index)

    errors = session.errors_for(state, file, target) or {"fields": {}, "other": []}
    if errors["fields"] or errors["other"]:
        st.error("Not saved: please correct what is marked below.", icon=":material/error:")
        for text in errors["other"]:
            alert("error", text)

    for field in forms.fixed(spec, new, entry):
        st.text_input(f"{forms.label(spec, field)} (not editable here)",
                      forms.to_text(spec, field, entry.get(field.name)), disabled=True,
                      key=widget_key(file, doc.version, target, f"fixed-{field.name}"))
    for field in forms.fields(spec, new, entry):
        with st.container(key=f"field-{field.name}"):
            field_widget(spec, field, widget_key(file, doc.version, target, field.name),
                         entry.get(field.name), directory)
            for message in errors["fields"].get(field.name, []):
                alert("error", message, icon=":material/arrow_upward:")

    st.text_input("Try a question against your edit", key=f"preview-question:{file}",
                  placeholder="e.g. Is Swedish massage gentle?")
    with st.container(horizontal=True, gap="small"):
        st.button("Preview the answer", key="preview", on_click=on_preview, args=args,
                  icon=":material/visibility:")
        st.button("Check impact", key="impact", on_click=on_impact, args=args,
                  icon=":material/compare_arrows:")
        st.button("Save", key="save", on_click=on_save, args=args, type="primary",
                  icon=":material/save:")
        if spec.many and not new:
            st.button(f"Delete this {spec.noun}…", key="delete", on_click=_ask_to_delete,
                      args=(file, target), icon=":material/delete:")

    if state.get(session.CONFIRM) == {"file": file, "target": target}:
        alert("warning", f"Delete the {spec.noun} '{target}'? Visitors will no longer get it. "
                         "You can undo this by restoring the saved version under History.")
        with st.container(horizontal=True, gap="small"):
            st.button("Yes, delete it", key="confirm-delete", on_click=on_delete, args=args,
                      type="primary")
            st.button("Cancel", key="cancel-delete", on_click=_cancel_delete)

    result = state.get(session.RESULT)
    if result and (result["file"], result["form"]) == (file, target):
        _show_result(result)


def _ask_to_delete(file: str, target: str) -> None:
    state[session.CONFIRM] = {"file": file, "target": target}


def _cancel_delete() -> None:
    state.pop(session.CONFIRM, None)


def _show_result(result: dict) -> None:
    if result["kind"] == "preview":
        st.caption("What a visitor would see with your edit (not saved yet):")
        with st.container(border=True):
            render.render_answer(result["record"], key="preview-answer")
        return
    for note in result["notes"]:
        alert("warning", note)
    rows = result["rows"]
    if not rows:
        st.success(f"No answer changes: {result['replayed']} questions replayed.")
        return
    st.warning(f"{len(rows)} of {result['replayed']} questions would get a different answer:")
    with st.container(key="impact-table"):
        st.dataframe(rows, hide_index=True)
