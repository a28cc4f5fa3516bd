"""Staff tools, reached only at /staff: sign in, edit the knowledge base, see what visitors asked.

Rendering only. Sign-in, drafts and form values are in ui.staff; saves, history and restore in
assistant.editing; the impact check in assistant.impact; visitor questions in assistant.store.
Every action is a button callback that runs before the page is drawn, so the page always shows
the files as they are after the action, and leaves its outcome in session state (plain data).
"""

import difflib
import time
from pathlib import Path

import streamlit as st

from assistant import editing, settings
from assistant.engine import Engine
from assistant.errors import (
    AssistantError,
    EditConflict,
    KnowledgeError,
    KnowledgeInvalid,
    StoreError,
    describe,
)
from assistant.impact import gather_questions, impact, outcome, staff_questions_path
from assistant.store import Store
from ui import render, staff
from ui.resources import current_serving

state = st.session_state
DIRECTORY = settings.knowledge_dir()
FLASH, ERRORS, RESULT, CONFIRM = "staff_flash", "staff_errors", "staff_result", "staff_confirm"

st.title("Staff tools", anchor=False)


def read_secret():
    return st.secrets[settings.STAFF_PASSWORD_SECRET]


password = settings.staff_password(read_secret)
if password is None:
    st.warning(staff.password_help(), icon=":material/lock:")
    st.stop()


# --- Sign-in ---------------------------------------------------------------------------------


def log_in() -> None:
    message = staff.attempt_login(state, state.pop("password", "") or "", password, time.time())
    if message:
        state["login_message"] = message
    else:
        state.pop("login_message", None)


if not staff.signed_in(state):
    with st.form("login"):
        st.text_input("Staff password", type="password", key="password")
        st.form_submit_button("Log in", key="login", on_click=log_in, type="primary")
    if state.get("login_message"):
        st.error(state["login_message"], icon=":material/block:")
    st.stop()


# --- Shared pieces ---------------------------------------------------------------------------


def flash(kind: str, text: str) -> None:
    """A message shown once, at the top of the next drawing of the page."""
    state.setdefault(FLASH, []).append([kind, text])


def open_store() -> Store | None:
    try:
        return Store()
    except StoreError as problem:
        st.error(describe(problem), icon=":material/database:")
        return None


def current_engine() -> Engine | None:
    return current_serving(DIRECTORY).engine


def outdated_notice(file: str) -> None:
    """Say so when someone saved `file` after this session opened it, with a way to catch up."""
    if staff.is_outdated(state, DIRECTORY, file):
        st.warning(f"Someone saved {file} after you opened it. Load the latest version before "
                   "you edit it (your unsaved changes to it are dropped).",
                   icon=":material/sync_problem:")
        st.button("Load the latest version", key=f"reload:{file}", on_click=reload,
                  args=(file,))


def reload(file: str) -> None:
    try:
        staff.reload(state, DIRECTORY, file)
    except KnowledgeError as problem:
        flash("error", describe(problem))
    state.pop(ERRORS, None)
    state.pop(RESULT, None)


col_title, col_logout = st.columns([4, 1], vertical_alignment="center")
col_title.caption(f"Knowledge folder: {DIRECTORY}")
col_logout.button("Log out", key="logout", on_click=staff.log_out, args=(state,),
                  icon=":material/logout:")

serving = current_serving(DIRECTORY)
if serving.problem is not None:
    st.error("The knowledge files on disk have problems, so visitors are served the last "
             "version that worked. Fix them below, or restore a saved version under History.\n\n"
             + describe(serving.problem), icon=":material/error:")

for kind, text in state.pop(FLASH, []):
    getattr(st, kind)(text)

section = st.radio("Section", staff.SECTIONS, horizontal=True, key="section",
                   label_visibility="collapsed")


# --- Editing one knowledge file --------------------------------------------------------------


def widget_key(editor: staff.Editor, version: str, target: str, field: str) -> str:
    return f"{editor.file}:{version}:{target}:{field}"


def typed(editor: staff.Editor, version: str, target: str, index: int | None) -> dict:
    """The file's data with the entry as the staff member has typed it."""
    names = editor.new_fields if target == staff.NEW else editor.fields
    entry = {name: staff.knowledge_value(editor.field(name),
                                         state[widget_key(editor, version, target, name)])
             for name in names}
    return staff.with_entry(editor, state[staff.draft_key(editor.file)]["data"], index, entry)


def validated(editor: staff.Editor, target: str, index: int | None, data):
    """The knowledge base with this edit, or None after keeping its errors for the fields."""
    try:
        knowledge = editing.check(DIRECTORY, editor.file, data)
    except KnowledgeInvalid as problem:
        keep_errors(editor.file, target, ref_for(editor, index, data), problem)
        return None
    state.pop(ERRORS, None)
    return knowledge


def ref_for(editor: staff.Editor, index: int | None, data) -> dict:
    """The entry being edited, as validation errors name it (a new entry comes last)."""
    items = staff.entries(editor, data)
    position = len(items) - 1 if index is None else index
    return staff.entry_ref(editor, position, items[position])


def keep_errors(file: str, target: str, ref: dict | None, problem: KnowledgeInvalid) -> None:
    """Keep a failed edit's errors for the page to show next to the fields of `target`."""
    state[ERRORS] = {"file": file, "target": target, "ref": ref,
                     "items": [staff.error_record(e) for e in problem.errors]}


def preview(editor, version, target, index) -> None:
    state.pop(RESULT, None)
    knowledge = validated(editor, target, index, typed(editor, version, target, index))
    question = state.get(f"preview-question:{editor.file}", "")
    if knowledge is None:
        return
    if not question.strip():
        flash("info", "Type a question to preview, then press “Preview the answer”.")
        return
    record = Engine(knowledge).ask(question).as_record()
    state[RESULT] = {"file": editor.file, "target": target, "kind": "preview", "record": record}


def check_impact(editor, version, target, index) -> None:
    state.pop(RESULT, None)
    knowledge = validated(editor, target, index, typed(editor, version, target, index))
    current = current_engine()
    if knowledge is None:
        return
    if current is None:
        flash("warning", "The knowledge files on disk cannot be loaded, so there is nothing to "
                         "compare your edit with. Restore a saved version under History.")
        return
    notes = []
    try:
        store = Store()
    except StoreError as problem:
        store = None
        notes.append(f"Visitor questions were left out: {describe(problem)}")
    try:
        questions = gather_questions([current.knowledge, knowledge], store,
                                     staff_questions_path(DIRECTORY))
    except KnowledgeError as problem:
        notes.append(f"The staff question file was left out: {describe(problem)}")
        questions = gather_questions([current.knowledge, knowledge], store)
    changes = impact(current, Engine(knowledge), questions)
    state[RESULT] = {"file": editor.file, "target": target, "kind": "impact",
                     "rows": staff.change_rows(changes, current.knowledge, knowledge),
                     "replayed": len(questions), "notes": notes}


def save(editor, version, target, index) -> None:
    state.pop(RESULT, None)
    data = typed(editor, version, target, index)
    ref = ref_for(editor, index, data)
    write(editor.file, data, version, "Saved",
          lambda problem: keep_errors(editor.file, target, ref, problem))


def write(file: str, data, version: str, done: str, on_invalid) -> editing.Saved | None:
    """Save `data` through the validated atomic save and say what happened; None if not saved.

    `on_invalid(KnowledgeInvalid)` keeps the validation errors where the page will show them.
    """
    try:
        saved = editing.save(DIRECTORY, file, data, version)
    except KnowledgeInvalid as problem:
        on_invalid(problem)
        return None
    except EditConflict as conflict:
        flash("error", describe(conflict))
        return None
    except (AssistantError, OSError) as problem:
        flash("error", f"Nothing was saved: {describe(problem)}")
        return None
    state.pop(ERRORS, None)
    staff.reload(state, DIRECTORY, file)
    flash("success", f"{done}. Visitors get the new version with their next question. The "
                     f"version it replaced is kept under History ({saved.backup}).")
    return saved


def delete(editor, version, target, index) -> None:
    state.pop(CONFIRM, None)
    data = staff.without_entry(editor, state[staff.draft_key(editor.file)]["data"], index)
    # The entry is gone from `data`: any error is shown above the form, not next to a field.
    write(editor.file, data, version, f"Deleted the {editor.spec.noun} '{target}'",
          lambda problem: keep_errors(editor.file, target, None, problem))


def ask_to_delete(file: str, target: str) -> None:
    state[CONFIRM] = {"file": file, "target": target}


def cancel_delete() -> None:
    state.pop(CONFIRM, None)


def field_widget(editor, field_name: str, key: str, value, sources: list[str]) -> None:
    field = editor.field(field_name)
    label = staff.FIELD_LABELS.get(field_name, field_name)
    help_text = field.help or None
    text = staff.widget_text(field, value)
    if field_name == "source":
        st.selectbox(label, sources, key=key, help=help_text)
    elif field.kind == "text list" or field_name in staff.LONG_TEXT:
        lines = min(12, max(3, text.count("\n") + 2, len(text) // 80 + 2))
        st.text_area(label, text, key=key, help=help_text, height=28 * lines + 20)
    else:
        st.text_input(label, text, key=key, help=help_text)


def source_ids() -> list[str]:
    """The ids in sources.yaml, for a new passage's source (empty when it cannot be read)."""
    try:
        return staff.source_ids(staff.draft(state, DIRECTORY, "sources.yaml")["data"])
    except KnowledgeError:
        return []


def pick_entry(editor, items: list[dict]) -> tuple[str, int | None, dict]:
    """The entry to edit: (target, index, entry); target is its id or staff.NEW."""
    if not editor.spec.many:
        return editor.spec.noun, 0, items[0]
    ids = [staff.entry_id(editor, e) for e in items]
    shown = ids
    if editor.file == "passages.yaml":
        query = st.text_input("Search passages", key="passage-search",
                              placeholder="words from the title, text or questions")
        shown = [i for i, entry in zip(ids, items, strict=True) if staff.matches(entry, query)]
        st.caption(f"{len(shown)} of {len(ids)} passages")
    options = shown + ([staff.NEW] if editor.can_add else [])
    labels = dict(zip(ids, (staff.entry_label(editor, e) for e in items), strict=True))
    labels[staff.NEW] = f"➕ Add a new {editor.spec.noun}"
    target = st.selectbox(f"Choose a {editor.spec.noun}", options, key=f"pick:{editor.file}",
                          format_func=labels.get)
    if target is None or target == staff.NEW:
        return staff.NEW, None, {}
    index = ids.index(target)
    return target, index, items[index]


def edit_file(editor: staff.Editor) -> None:
    try:
        doc = staff.draft(state, DIRECTORY, editor.file)
    except KnowledgeError as problem:
        st.error(f"{describe(problem)}\n\nThis file cannot be opened for editing. Restore a saved "
                 "version under History.", icon=":material/error:")
        return
    outdated_notice(editor.file)
    items = staff.entries(editor, doc["data"])
    if not items and not editor.can_add:
        st.error(f"{editor.file} has no entries to edit.")
        return
    target, index, entry = pick_entry(editor, items)
    version = doc["version"]
    args = (editor, version, target, index)

    errors = state.get(ERRORS)
    by_field, other_errors = {}, []
    if errors and errors["file"] == editor.file and errors["target"] == target:
        names = editor.new_fields if target == staff.NEW else editor.fields
        by_field, other_errors = staff.sort_errors(errors["items"], errors["ref"], names)
        st.error("Not saved: please correct what is marked below.", icon=":material/error:")
        for text in other_errors:
            st.error(text)

    sources = source_ids() if target == staff.NEW and "source" in (editor.new_fields or ()) \
        else []
    for name in editor.shown:
        values = entry.get(name) or []
        st.markdown(f"**{staff.FIELD_LABELS.get(name, name)}** (not editable here): "
                    + " · ".join(f"`{v}`" for v in values))
    for name in editor.new_fields if target == staff.NEW else editor.fields:
        with st.container(key=f"field-{name}"):
            field_widget(editor, name, widget_key(editor, version, target, name),
                         entry.get(name), sources)
            for message in by_field.get(name, []):
                st.error(message, icon=":material/arrow_upward:")

    st.text_input("Try a question against your edit", key=f"preview-question:{editor.file}",
                  placeholder="e.g. Is Swedish massage gentle?")
    with st.container(horizontal=True, gap="small"):
        st.button("Preview the answer", key="preview", on_click=preview, args=args,
                  icon=":material/visibility:")
        st.button("Check impact", key="impact", on_click=check_impact, args=args,
                  icon=":material/compare_arrows:")
        st.button("Save", key="save", on_click=save, args=args, type="primary",
                  icon=":material/save:")
        if editor.can_add and target != staff.NEW:
            st.button(f"Delete this {editor.spec.noun}…", key="delete", on_click=ask_to_delete,
                      args=(editor.file, target), icon=":material/delete:")

    confirm = state.get(CONFIRM)
    if confirm == {"file": editor.file, "target": target}:
        st.warning(f"Delete the {editor.spec.noun} '{target}'? Visitors will no longer get it. "
                   "You can undo this by restoring the saved version under History.")
        with st.container(horizontal=True, gap="small"):
            st.button("Yes, delete it", key="confirm-delete", on_click=delete, args=args,
                      type="primary")
            st.button("Cancel", key="cancel-delete", on_click=cancel_delete)

    result = state.get(RESULT)
    if result and result["file"] == editor.file and result["target"] == target:
        show_result(result)


def show_result(result: dict) -> None:
    if result["kind"] == "preview":
        st.caption("What a visitor would see with your edit (not saved yet):")
        with st.container(border=True):
            render.render_answer(result["record"], key="preview-answer")
        return
    for note in result["notes"]:
        st.warning(note)
    rows = result["rows"]
    if not rows:
        st.success(f"No answer changes: {result['replayed']} questions replayed.")
        return
    st.warning(f"{len(rows)} of {result['replayed']} questions would get a different answer:")
    with st.container(key="impact-table"):
        st.dataframe(rows, hide_index=True)


# --- Unanswered questions and votes ----------------------------------------------------------


def add_alternate(normalized: str, version: str) -> None:
    passage_id = state.get("gap-passage")
    wording = state.get(f"gap-wording:{normalized}", "").strip()
    editor = staff.EDITOR_BY_SECTION["Passages"]
    data = state[staff.draft_key(editor.file)]["data"]
    items = staff.entries(editor, data)
    found = [i for i, e in enumerate(items) if staff.entry_id(editor, e) == passage_id]
    if not found:
        flash("error", f"There is no passage '{passage_id}' any more: someone changed the "
                       "passages. Load the latest version and try again.")
        return
    index = found[0]
    questions = [*(items[index].get("questions") or []), wording]
    changed = staff.with_entry(editor, data, index, {"questions": questions})
    state.pop("gap-errors", None)

    def keep_gap_errors(problem: KnowledgeInvalid) -> None:
        state["gap-errors"] = [describe(e) for e in problem.errors]

    done = f"Added “{wording}” as an alternate question of passage '{passage_id}'"
    if write(editor.file, changed, version, done, keep_gap_errors) is not None:
        dismiss(normalized, quietly=True)


def dismiss(normalized: str, quietly: bool = False) -> None:
    """Forget a group of unanswered questions."""
    try:
        Store().dismiss(normalized)
    except StoreError as problem:
        flash("error", describe(problem))
        return
    if not quietly:
        flash("info", "Dismissed.")


def unanswered() -> None:
    store = open_store()
    if store is None:
        return
    gaps, votes = store.gaps(), store.votes()
    engine = current_engine()
    st.subheader("Questions the article could not answer", anchor=False)
    st.caption(f"Grouped by wording, kept for {store.retention_days} days. Emails, phone "
               "numbers, postal codes and long numbers were removed before they were stored.")
    if not gaps:
        st.info("No unanswered questions.")
    else:
        st.download_button("Download as CSV", store.gaps_csv(), key="gaps-csv",
                           file_name="unanswered-questions.csv", mime="text/csv",
                           icon=":material/download:")
        knowledge = engine.knowledge if engine else None
        with st.container(key="gaps-table"):
            st.dataframe([{"Question": g.question, "Times asked": g.count,
                           "Last seen": g.last_seen,
                           "Answer now": staff.outcome_label(outcome(engine.ask(g.question)),
                                                             knowledge) if engine else ""}
                          for g in gaps], hide_index=True)
        act_on_gap({g.normalized: g for g in gaps})

    st.subheader("Thumbs up and down per passage", anchor=False)
    if not votes:
        st.info("No votes yet.")
        return
    knowledge = engine.knowledge if engine else None
    with st.container(key="votes-table"):
        st.dataframe([{"Passage": staff.outcome_label(v.passage_id, knowledge), "👍": v.up,
                       "👎": v.down} for v in votes], hide_index=True)


def act_on_gap(gaps: dict) -> None:
    editor = staff.EDITOR_BY_SECTION["Passages"]
    try:
        doc = staff.draft(state, DIRECTORY, editor.file)
    except KnowledgeError as problem:
        st.error(describe(problem))
        return
    outdated_notice(editor.file)
    chosen = st.selectbox("Unanswered question", list(gaps), key="gap-pick",
                          format_func=lambda n: f"{gaps[n].question} ({gaps[n].count}×)")
    if chosen is None:
        return
    st.text_input("Wording to add", gaps[chosen].question, key=f"gap-wording:{chosen}")
    passages = staff.entries(editor, doc["data"])
    labels = {staff.entry_id(editor, p): staff.entry_label(editor, p) for p in passages}
    st.selectbox("as an alternate question of the passage", list(labels), key="gap-passage",
                 format_func=labels.get)
    for text in state.get("gap-errors", []):
        st.error(text)
    with st.container(horizontal=True, gap="small"):
        st.button("Add as alternate question", key="gap-add", on_click=add_alternate,
                  args=(chosen, doc["version"]), type="primary", icon=":material/add:")
        st.button("Dismiss", key="gap-dismiss", on_click=dismiss, args=(chosen,),
                  icon=":material/close:")


# --- History ---------------------------------------------------------------------------------


def restore(version: editing.Version, base_version: str | None) -> None:
    try:
        saved = editing.restore(DIRECTORY, version.id, base_version)
    except (AssistantError, OSError) as problem:
        flash("error", f"Nothing was restored: {describe(problem)}")
        return
    if staff.draft_key(saved.name) in state:
        reload(saved.name)
    flash("success", f"Restored {saved.name} as it was before the save of "
                     f"{version.saved_at:%Y-%m-%d %H:%M:%S} UTC. What it replaced is kept under "
                     f"History ({saved.backup}).")


def history() -> None:
    versions = editing.history(DIRECTORY)
    st.caption("Every save keeps the version it replaces. Restoring a version is itself a save: "
               "what it replaces is kept too.")
    if not versions:
        st.info("No saved versions yet.")
        return
    by_id = {v.id: v for v in versions}
    chosen = by_id[st.selectbox("Version", list(by_id), key="history-pick",
                                format_func=lambda i: staff.version_label(by_id[i]))]
    current_path = Path(DIRECTORY) / chosen.name
    try:
        current_text = current_path.read_text(encoding="utf-8")
        base = editing.current_version(DIRECTORY, chosen.name)
    except (OSError, UnicodeDecodeError, KnowledgeError):
        current_text, base = "", None
    old_text = chosen.path.read_text(encoding="utf-8", errors="replace")
    diff = "".join(difflib.unified_diff(current_text.splitlines(keepends=True),
                                        old_text.splitlines(keepends=True),
                                        f"{chosen.name} now", f"{chosen.name} in this version"))
    st.caption("What restoring this version would change:")
    st.code(diff or "(the same as the file now)", language="diff")
    st.button("Restore this version", key="restore", on_click=restore, args=(chosen, base),
              type="primary", icon=":material/history:")


if section in staff.EDITOR_BY_SECTION:
    edit_file(staff.EDITOR_BY_SECTION[section])
elif section == "Unanswered questions":
    unanswered()
else:
    history()
