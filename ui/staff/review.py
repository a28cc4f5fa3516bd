"""Review before publishing: what a planned change does, shown before anything is written.

Every change on the staff page goes through here: `start(...)` keeps the review of a valid
plan in session state (the plan as plain data, the answer to a question before and after the
change, and the visitors' questions whose answer changes); `panel(where)` shows it, side by
side, readable from 768 px wide, with "Publish" and "Back to editing"; publishing applies the
plan exactly as it was reviewed (assistant.editing.EditPlan.from_stored), or nothing if a file
changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from assistant import editing
from assistant.engine import Engine
from assistant.errors import KnowledgeInvalid, StoreError
from assistant.knowledge import Knowledge
from assistant.store import Store
from ui import render
from ui.resources import current_serving

from . import forms, session
from .show import alert, plain

state = st.session_state
SHOWN_CHANGES = 12


def start(where: str, plan: editing.EditPlan, *, current: Knowledge | None, done: str,
          form: Any = None, then: Mapping[str, str] | None = None) -> None:
    """Keep the review of a valid `plan`, shown by `panel(where)`. `form` is what the form
    held when it was reviewed (a later change to it asks for a new review); `done` says what
    publishing did; `then` is what to do once it is published ({"dismiss": group}: take the
    group of unanswered questions off the list; {"clear": key}: forget a session value)."""
    impact = plan.impact
    rows = [{"question": c.question, "kind": c.kind,
             "now": forms.outcome_label(c.before, current),
             "after": forms.outcome_label(c.after, plan.knowledge), "origin": c.origin}
            for c in impact.changes] if impact is not None else []
    notes = [("Visitor questions were left out: " if isinstance(p, StoreError) else
              "The staff question file was left out: ") + session.worded(p)
             for p in (impact.left_out if impact is not None else ())]
    question, before, after = _answers_of(plan)
    state[session.REVIEW] = {
        "where": where, "form": form, "done": done, "then": dict(then or {}),
        "plan": plan.stored(), "question": question, "before": before, "after": after,
        "rows": rows, "replayed": impact.replayed if impact is not None else 0,
        "notes": notes, "checked": impact is not None}
    state.pop(session.ERRORS, None)


def _answers_of(plan: editing.EditPlan) -> tuple[str, dict | None, dict | None]:
    """The question tried before and after, and both answers as records: the preview asked
    for, else the first question whose answer changes, else a passage's first question."""
    if plan.preview is not None:
        return (plan.preview.question, plan.before.as_record() if plan.before else None,
                plan.preview.as_record())
    if plan.knowledge is None:
        return "", None, None
    changes = plan.impact.changes if plan.impact is not None else ()
    # With no answer moving, a question every answer goes with still shows what changes in
    # the words around it (the clinic's referral, its phone...).
    question = changes[0].question if changes else next(
        (p.questions[0] for p in plan.knowledge.passages if p.questions), "")
    if not question:
        return "", None, None
    now = current_serving(plan.directory).engine
    return (question, now.ask(question).as_record() if now is not None else None,
            Engine(plan.knowledge).ask(question).as_record())


def active(where: str) -> dict | None:
    review = state.get(session.REVIEW)
    return review if review and review["where"] == where else None


def cancel() -> None:
    state.pop(session.REVIEW, None)


def on_publish() -> None:
    review = state.pop(session.REVIEW, None)
    if review is None:
        return
    plan = editing.EditPlan.from_stored(review["plan"])

    def refused(plan: editing.EditPlan) -> None:
        session.say(state, "error", "Nothing was published:\n" +
                    session.worded(KnowledgeInvalid(list(plan.errors))))

    if session.save(state, plan, review["done"], refused) is None:
        return
    if review["then"].get("clear"):
        state.pop(review["then"]["clear"], None)
    dismiss = review["then"].get("dismiss")
    if dismiss:
        try:
            Store().dismiss(dismiss)
        except StoreError as problem:
            session.say(state, "warning", session.worded(problem))


def panel(where: str, form: Any = None) -> bool:
    """The review kept for `where`, if any: the answers before and after, the questions whose
    answer changes, and the buttons. True when one is shown."""
    review = active(where)
    if review is None:
        return False
    with st.container(border=True, key=f"review-{_key(where)}"):
        st.subheader("Review before publishing", anchor=False)
        stale = form is not None and form != review["form"]
        if stale:
            st.warning("You changed something after this review. Review again to see what "
                       "the change does now.", icon=":material/edit_note:")
        _answers(review)
        _impact(review)
        with st.container(horizontal=True, gap="small"):
            if not stale:
                st.button("Publish", key="publish", type="primary", on_click=on_publish,
                          icon=":material/publish:")
            st.button("Back to editing", key="cancel-review", on_click=cancel,
                      icon=":material/undo:")
    return True


def _answers(review: Mapping) -> None:
    if not review["question"]:
        st.caption("No question was tried: the knowledge base has no passage to ask about.")
        return
    st.markdown(f"What a visitor asking \u201c{plain(review['question'])}\u201d gets:")
    now, after = st.columns(2)
    with now:
        st.caption("Now")
        with st.container(border=True):
            if review["before"]:
                render.render_answer(review["before"], key="review-before")
            else:
                st.caption("Nothing yet: the knowledge base cannot be loaded now.")
    with after:
        st.caption("After publishing")
        with st.container(border=True):
            render.render_answer(review["after"], key="review-after")


def _impact(review: Mapping) -> None:
    for note in review["notes"]:
        alert("warning", note)
    rows = review["rows"]
    if not review["checked"]:
        st.caption("What visitors' answers would change cannot be checked now: the knowledge "
                   "files on disk cannot be loaded.")
        return
    if not rows:
        st.success(f"No visitor's answer changes: {review['replayed']} questions tried.",
                   icon=":material/check_circle:")
        return
    st.warning(f"{len(rows)} of {review['replayed']} questions visitors asked or might ask "
               "get a different answer:", icon=":material/compare_arrows:")
    with st.container(key="impact-list"):
        for row in rows[:SHOWN_CHANGES]:
            _change(row)
        if len(rows) > SHOWN_CHANGES:
            with st.expander(f"The other {len(rows) - SHOWN_CHANGES}"):
                for row in rows[SHOWN_CHANGES:]:
                    _change(row)


def _change(row: Mapping) -> None:
    st.markdown(f"**\u201c{plain(row['question'])}\u201d**  \nNow: {plain(row['now'])}  \n"
                f"After publishing: {plain(row['after'])}")
    st.caption(f"{row['kind'].capitalize()} \u00b7 {row['origin']}")


def _key(where: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in where)
