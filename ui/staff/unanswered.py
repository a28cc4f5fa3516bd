"""What visitors could not get answered, a page at a time, and thumbs up and down per passage.

A group of unanswered questions can become an alternate question of a passage (an edit
planned and saved like any other, after which the group leaves the list) or be dismissed.
Visitor text is shown in tables and select boxes, as typed, never as markdown.
"""

from __future__ import annotations

import streamlit as st

from assistant import editing
from assistant.editing import AddItem, entries, entry_id
from assistant.errors import KnowledgeError, StoreError, describe
from assistant.knowledge import SPECS
from assistant.store import Store
from assistant.unanswered import gap_page
from ui.resources import current_serving

from . import forms, session
from .editor import outdated_notice
from .show import alert

state = st.session_state
PASSAGES = "passages.yaml"
PAGE = "gap-page"


def _store() -> Store | None:
    try:
        return Store()
    except StoreError as problem:
        alert("error", describe(problem), icon=":material/database:")
        return None


def on_add_alternate(directory: str, normalized: str) -> None:
    passage_id = state.get("gap-passage") or ""
    wording = (state.get(f"gap-wording:{normalized}") or "").strip()
    state.pop("gap-errors", None)
    doc = session.draft(state, directory, PASSAGES)
    plan = editing.plan_edit(directory, AddItem(PASSAGES, passage_id, "questions", wording),
                             base=doc)

    def refused(plan: editing.EditPlan) -> None:
        state["gap-errors"] = [describe(e) for e in plan.errors]

    done = f"Added “{wording}” as an alternate question of passage '{passage_id}'"
    if session.save(state, plan, done, refused) is not None:
        on_dismiss(normalized, quietly=True)


def on_dismiss(normalized: str, quietly: bool = False) -> None:
    """Forget a group of unanswered questions."""
    try:
        Store().dismiss(normalized)
    except StoreError as problem:
        session.say(state, "error", describe(problem))
        return
    if not quietly:
        session.say(state, "info", "Dismissed.")


def unanswered(directory: str) -> None:
    """The section: the paged list of unanswered groups, what to do with one, the votes."""
    store = _store()
    if store is None:
        return
    engine = current_serving(directory).engine
    knowledge = engine.knowledge if engine else None
    st.subheader("Questions the article could not answer", anchor=False)
    st.caption(f"Grouped by wording, most asked first, kept for {store.retention_days} days. "
               "Emails, phone numbers, postal codes, street addresses, long numbers and names "
               "given after “my name is” were removed before they were stored.")
    report = gap_page(store, engine, state.get(PAGE, 1))
    if not report.rows:
        st.info("No unanswered questions.")
    else:
        state[PAGE] = report.page
        st.download_button("Download as CSV", store.gaps_csv, key="gaps-csv",
                           file_name="unanswered-questions.csv", mime="text/csv",
                           icon=":material/download:")
        st.caption(f"{report.total} groups of questions, page {report.page} of {report.pages}, "
                   "50 per page.")
        if report.pages > 1:
            st.number_input("Page", min_value=1, max_value=report.pages, step=1, key=PAGE)
        with st.container(key="gaps-table"):
            st.dataframe([{"Question": row.gap.question, "Times asked": row.gap.count,
                           "Last seen": row.gap.last_seen,
                           "Answer now": forms.outcome_label(row.now, knowledge)
                           if row.now else ""} for row in report.rows], hide_index=True)
        _act_on_gap(directory, {row.gap.normalized: row.gap for row in report.rows})
    _votes(store, knowledge)


def _act_on_gap(directory: str, gaps: dict) -> None:
    spec = SPECS[PASSAGES]
    try:
        doc = session.draft(state, directory, PASSAGES)
    except KnowledgeError as problem:
        alert("error", describe(problem))
        return
    outdated_notice(directory, PASSAGES)
    chosen = st.selectbox("Unanswered question (this page)", list(gaps), key="gap-pick",
                          format_func=lambda n: f"{gaps[n].question} ({gaps[n].count}×)")
    if chosen is None:
        return
    st.text_input("Wording to add", gaps[chosen].question, key=f"gap-wording:{chosen}")
    passages = entries(spec, doc.data)
    labels = {entry_id(spec, p): forms.entry_label(spec, p) for p in passages}
    st.selectbox("as an alternate question of the passage", list(labels), key="gap-passage",
                 format_func=labels.get)
    for text in state.get("gap-errors", []):
        alert("error", text)
    with st.container(horizontal=True, gap="small"):
        st.button("Add as alternate question", key="gap-add", on_click=on_add_alternate,
                  args=(directory, chosen), type="primary", icon=":material/add:")
        st.button("Dismiss", key="gap-dismiss", on_click=on_dismiss, args=(chosen,),
                  icon=":material/close:")


def _votes(store: Store, knowledge) -> None:
    st.subheader("Thumbs up and down per passage", anchor=False)
    try:
        votes = store.votes()
    except StoreError as problem:
        alert("error", describe(problem))
        return
    if not votes:
        st.info("No votes yet.")
        return
    with st.container(key="votes-table"):
        st.dataframe([{"Passage": forms.outcome_label(v.passage_id, knowledge), "👍": v.up,
                       "👎": v.down} for v in votes], hide_index=True)
