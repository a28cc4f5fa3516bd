"""What visitors could not get answered, a page at a time, and thumbs up and down per passage.

A group of unanswered questions can become an alternate question of a passage, or, for a
question about the clinic itself (one that names no symptom, condition or treatment), a new
clinic fact: either is planned and reviewed like any other change, and the group leaves the
list once it is published. A group can also be dismissed, and brought back from History.
Visitor text is shown in tables and select boxes, as typed, never as markdown.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assistant import editing
from assistant.editing import AddEntry, AddItem, entries, entry_id
from assistant.errors import KnowledgeError, StoreError
from assistant.knowledge import SPECS
from assistant.knowledge.health import health_words
from assistant.store import Store
from assistant.unanswered import gap_page
from ui.resources import current_serving

from . import forms, review, session
from .editor import outdated_notice
from .show import alert

state = st.session_state
PASSAGES, FACTS = "passages.yaml", "facts.yaml"
PAGE = "gap-page"


def _store() -> Store | None:
    try:
        return Store()
    except StoreError as problem:
        alert("error", session.worded(problem), icon=":material/database:")
        return None


def _wording(normalized: str) -> str:
    return (state.get(f"gap-wording:{normalized}") or "").strip()


def _review(directory: str, normalized: str, edit, done: str) -> None:
    """Plan `edit`, made for the group `normalized`, and review it with the visitor's own
    question; once published, the group leaves the list."""
    state.pop("gap-errors", None)
    current = current_serving(directory).engine
    file = edit.file
    plan = editing.plan_edit(directory, edit, base=session.draft(state, directory, file),
                             preview=_wording(normalized) or None, compare_with=current)
    if not plan.valid:
        review.cancel()
        state["gap-errors"] = [session.worded(e) for e in plan.errors]
        return
    review.start(f"gap:{normalized}", plan, current=current.knowledge if current else None,
                 done=done, form=_form(normalized), then={"dismiss": normalized})


def _form(normalized: str) -> list:
    return [_wording(normalized), state.get("gap-passage"), state.get("gap-fact-title"),
            state.get("gap-fact-answer")]


def on_add_alternate(directory: str, normalized: str) -> None:
    passage_id = state.get("gap-passage")
    if not passage_id:
        state["gap-errors"] = ["Choose the passage that answers this question."]
        return
    wording = _wording(normalized)
    _review(directory, normalized, AddItem(PASSAGES, passage_id, "questions", wording),
            f"Added \u201c{wording}\u201d as an alternate question of the passage "
            f"'{passage_id}'")


def on_answer_as_fact(directory: str, normalized: str) -> None:
    spec = SPECS[FACTS]
    wording = _wording(normalized)
    title = (state.get("gap-fact-title") or "").strip() or wording
    values = {"title": title, "questions": [wording],
              "answer": (state.get("gap-fact-answer") or "").strip(),
              "checked": dt.date.today().isoformat()}
    data = session.draft(state, directory, FACTS).data
    _review(directory, normalized, AddEntry(FACTS, forms.with_id(spec, values, data)),
            f"Added the clinic fact \u201c{title}\u201d")


def on_dismiss(normalized: str) -> None:
    """Take a group of unanswered questions off the list (it can be brought back)."""
    try:
        when = Store().dismiss(normalized)
    except StoreError as problem:
        session.say(state, "error", session.worded(problem))
        return
    session.say(state, "info", "Dismissed. You can bring it back under History, or with "
                               "the Undo button above.")
    if when is not None:
        state[session.UNDO] = {"dismissed": normalized, "at": when}


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
        alert("error", session.worded(problem))
        return
    outdated_notice(directory, PASSAGES)
    chosen = st.selectbox("Unanswered question (this page)", list(gaps), key="gap-pick",
                          index=None, placeholder="Choose a question to answer or dismiss",
                          format_func=lambda n: f"{gaps[n].question} ({gaps[n].count}\u00d7)")
    if chosen is None:
        return
    st.text_input("Wording to add", gaps[chosen].question, key=f"gap-wording:{chosen}")
    for text in state.get("gap-errors", []):
        alert("error", text)
    logistics = not health_words(gaps[chosen].question)
    names = (["Answer it as a clinic fact"] if logistics else []) + \
        ["Add it to a passage", "Dismiss it"]
    tabs = dict(zip(names, st.tabs(names), strict=True))
    if logistics:
        with tabs["Answer it as a clinic fact"]:
            st.caption("For questions about the clinic itself (hours, parking, prices, "
                       "billing, access): never about health.")
            st.text_input("What it is about (for staff)", key="gap-fact-title",
                          placeholder=gaps[chosen].question)
            st.text_area("The answer visitors get", key="gap-fact-answer",
                         placeholder="e.g. Free parking behind the building, off 112 Street.")
            st.button("Review the new clinic fact", key="gap-fact", on_click=on_answer_as_fact,
                      args=(directory, chosen), type="primary", icon=":material/fact_check:")
    with tabs["Add it to a passage"]:
        passages = entries(spec, doc.data)
        labels = {entry_id(spec, p): forms.entry_label(spec, p) for p in passages
                  if not p.get("draft")}
        st.selectbox("as an alternate question of the passage", list(labels), key="gap-passage",
                     index=None, placeholder="Choose the passage that answers it",
                     format_func=labels.get)
        st.button("Review adding it", key="gap-add", on_click=on_add_alternate,
                  args=(directory, chosen), type="primary", icon=":material/fact_check:")
    with tabs["Dismiss it"]:
        st.caption("It leaves the list. You can bring it back under History.")
        st.button("Dismiss this question", key="gap-dismiss", on_click=on_dismiss,
                  args=(chosen,), icon=":material/close:")
    review.panel(f"gap:{chosen}", form=_form(chosen))


def _votes(store: Store, knowledge) -> None:
    st.subheader("Thumbs up and down per passage", anchor=False)
    try:
        votes = store.votes()
    except StoreError as problem:
        alert("error", session.worded(problem))
        return
    if not votes:
        st.info("No votes yet.")
        return
    with st.container(key="votes-table"):
        st.dataframe([{"Passage": forms.outcome_label(v.passage_id, knowledge), "👍": v.up,
                       "👎": v.down} for v in votes], hide_index=True)
