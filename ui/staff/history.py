"""History: every saved version in local time and in words, putting one back, undoing.

Each save is listed with what it changed ("Changed the passage “Swedish massage”: Alternate
questions (added ...)", assistant.editing.changes), newest first. Putting a version back is a
restore, planned and reviewed like any other change (assistant.editing.plan_restore); a restore
is itself listed, and "Undo this restore" puts back what it replaced. Dismissed unanswered
questions are listed too, each with "Bring back". The last save or dismissal can also be undone
from the message it leaves at the top of the page (`undo_button`).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import streamlit as st

from assistant import editing
from assistant.editing.changes import what_changed
from assistant.editing.history import saved_text, text_after
from assistant.errors import AssistantError, KnowledgeInvalid, StoreError
from assistant.knowledge import SPECS
from assistant.store import Store
from ui.resources import current_serving

from . import forms, review, session
from .show import alert, plain

state = st.session_state
PER_PAGE = 10


# --- time and words ---------------------------------------------------------------------------


def _zone() -> dt.tzinfo | None:
    """The browser's time zone when it says, else the server's."""
    try:
        name = st.context.timezone
    except (AttributeError, RuntimeError):
        name = None
    if isinstance(name, str):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return None


def local_time(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """A moment as staff read it, in their time zone: "Tue Nov 25, 2025 at 14:02"."""
    moment = moment.astimezone(zone)
    return f"{moment:%a %b} {moment.day}, {moment.year} at {moment:%H:%M}"


@functools.lru_cache(maxsize=256)
def _described(name: str, before: str, after: str) -> tuple[str, ...]:
    return tuple(what_changed(name, before, after, forms.staff_names))


def _restored_when(directory: str, version: str, zone) -> str:
    try:
        return local_time(editing.find_version(directory, version).saved_at, zone)
    except AssistantError:
        return "a version no longer kept"


# --- actions ----------------------------------------------------------------------------------


def on_restore(directory: str, version: str, undoing: bool) -> None:
    """Review putting `version` back (shown under its entry in History)."""
    try:
        found = editing.find_version(directory, version)
    except AssistantError as problem:
        session.say(state, "error", f"Nothing was put back: {session.worded(problem)}")
        return
    section = forms.staff_names(found.name, None)
    done = f"Undid the restore of {section}" if undoing else \
        f"Put back {section} as it was before the save of {local_time(found.saved_at, _zone())}"
    _review_restore(directory, version, f"restore:{version}", done)


def _review_restore(directory: str, version: str, where: str, done: str) -> None:
    current = current_serving(directory).engine
    try:
        plan = editing.plan_restore(directory, version, compare_with=current)
    except (AssistantError, OSError) as problem:
        session.say(state, "error", f"Nothing was put back: {session.worded(problem)}")
        return
    if not plan.valid:
        session.say(state, "error", "This version cannot be put back: the knowledge base "
                                    "would not be valid with it.\n" +
                    session.worded(KnowledgeInvalid(list(plan.errors))))
        return
    review.start(where, plan, current=current.knowledge if current else None, done=done)


def on_undo(directory: str) -> None:
    """Undo the last publish (reviewed at the top of the page) or dismissal."""
    undo = state.get(session.UNDO) or {}
    if "dismissed" in undo:
        on_bring_back(undo["dismissed"], undo["at"])
    elif "version" in undo:
        _review_restore(directory, undo["version"], "undo", f"Undid: {undo['done']}")


def on_bring_back(normalized: str, when: str) -> None:
    state.pop(session.UNDO, None)
    try:
        count = Store().undismiss(normalized, when)
    except StoreError as problem:
        session.say(state, "error", session.worded(problem))
        return
    session.say(state, "success", "The question is back on the list of unanswered questions."
                if count else "That question is no longer kept (questions are kept for a "
                              "limited time).")


def undo_button(directory: str) -> None:
    """Undo the last save or dismissal (named), at the top of the page."""
    undo = state.get(session.UNDO)
    if undo and not review.active("undo"):
        what = "the dismissal" if "dismissed" in undo else f"\u201c{undo['done']}\u201d"
        st.button(f"Undo {what}", key="undo", on_click=on_undo, args=(directory,),
                  icon=":material/undo:")


def undo_review() -> None:
    """The review of an undo, under the top of the page."""
    review.panel("undo")


# --- the section ------------------------------------------------------------------------------


def history(directory: str) -> None:
    """The section: saved versions in words, newest first, and the dismissed questions."""
    try:
        keep = editing.limits()
    except AssistantError as problem:
        alert("error", session.worded(problem))
        return
    st.caption(f"Every change you publish keeps the version it replaced: the newest "
               f"{keep.versions} are kept, for {keep.days} days. Putting one back is itself a "
               "change you review and publish, and it can be undone here too.")
    versions = editing.history(directory)
    if not versions:
        st.info("No saved versions yet.")
    else:
        _versions(directory, versions)
    _dismissed()


def _versions(directory: str, versions: list[editing.Version]) -> None:
    zone = _zone()
    pages = (len(versions) + PER_PAGE - 1) // PER_PAGE
    page = min(state.get("history-page", 1), pages)
    if pages > 1:
        st.number_input("Page", min_value=1, max_value=pages, step=1, key="history-page")
    for n, version in enumerate(versions[(page - 1) * PER_PAGE:page * PER_PAGE]):
        with st.container(border=True, key=f"version-{n}"):
            section = forms.section_title(SPECS[version.name])
            st.markdown(f"**{plain(local_time(version.saved_at, zone))}** \u00b7 "
                        f"{plain(section)}")
            restored = version.about.get("restored")
            if version.about.get("kind") == "Restore" and restored:
                st.markdown(plain(f"Put back {section} as it was before the save of "
                                  f"{_restored_when(directory, restored, zone)}."))
            else:
                for line in _what_it_changed(directory, version):
                    st.markdown("- " + plain(line))
            undoing = version.about.get("kind") == "Restore"
            st.button("Undo this restore\u2026" if undoing else
                      "Put back the version from before this save\u2026",
                      key=f"restore-{version.id}", on_click=on_restore,
                      args=(directory, version.id, undoing), icon=":material/history:")
            review.panel(f"restore:{version.id}")


def _what_it_changed(directory: str, version: editing.Version) -> tuple[str, ...]:
    try:
        before = saved_text(directory, version.id)
    except AssistantError:
        return ("This version cannot be read any more.",)
    after = text_after(directory, version)
    if after is None:
        return ("The file after this save cannot be read.",)
    return _described(version.name, before, after) or ("Nothing visitors get changed.",)


def _dismissed() -> None:
    st.subheader("Questions taken off the unanswered list", anchor=False)
    try:
        dismissed = Store().dismissed()
    except StoreError as problem:
        alert("error", session.worded(problem))
        return
    if not dismissed:
        st.caption("None yet.")
        return
    st.caption("Dismissed, or answered by a change you published. Bring one back to see it on "
               "the list again.")
    zone = _zone()
    for n, group in enumerate(dismissed):
        with st.container(horizontal=True, key=f"dismissed-{n}", vertical_alignment="center"):
            when = dt.datetime.fromisoformat(group.dismissed_at)
            st.text(f"{group.question} ({group.count}\u00d7), taken off "
                    f"{local_time(when, zone)}")
            st.button("Bring back", key=f"bring-back-{n}", on_click=on_bring_back,
                      args=(group.normalized, group.dismissed_at), icon=":material/undo:")
