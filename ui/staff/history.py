"""The saved versions of the knowledge files: pick one, see what restoring it changes, restore.

A restore is planned and saved like any other edit (assistant.editing.plan_restore): it is
validated, the file it replaces is kept in the history too, and it is refused when someone
saved the file after the page showed what restoring would change.
"""

from __future__ import annotations

import streamlit as st

from assistant import editing
from assistant.errors import AssistantError, KnowledgeInvalid, describe

from . import session
from .show import alert

state = st.session_state


def version_label(version: editing.Version) -> str:
    return f"{version.saved_at:%Y-%m-%d %H:%M:%S} UTC · {version.name} · {version.id}"


def on_restore(directory: str, version: editing.Version, seen: str | None) -> None:
    try:
        plan = editing.plan_restore(directory, version.id, base_version=seen)
    except (AssistantError, OSError) as problem:
        session.say(state, "error", f"Nothing was restored: {describe(problem)}")
        return

    def refused(plan: editing.EditPlan) -> None:
        problem = describe(KnowledgeInvalid(list(plan.errors)))
        session.say(state, "error", f"Nothing was restored: {problem}")

    done = (f"Restored {version.name} as it was before the save of "
            f"{version.saved_at:%Y-%m-%d %H:%M:%S} UTC")
    session.save(state, plan, done, refused)


def history(directory: str) -> None:
    """The section: every saved version, newest first, and restoring one."""
    versions = editing.history(directory)
    try:
        keep = editing.limits()
    except AssistantError as problem:
        alert("error", describe(problem))
        return
    st.caption(f"Every save keeps the version it replaces: the newest {keep.versions} versions "
               f"are kept, for {keep.days} days. Restoring a version is itself a save: what it "
               "replaces is kept too.")
    if not versions:
        st.info("No saved versions yet.")
        return
    by_id = {v.id: v for v in versions}
    chosen = by_id[st.selectbox("Version", list(by_id), key="history-pick",
                                format_func=lambda i: version_label(by_id[i]))]
    try:
        diff, seen = editing.restore_diff(directory, chosen.id)
    except AssistantError as problem:
        alert("error", describe(problem))
        return
    st.caption("What restoring this version would change:")
    st.code(diff or "(the same as the file now)", language="diff")
    st.button("Restore this version", key="restore", on_click=on_restore,
              args=(directory, chosen, seen), type="primary", icon=":material/history:")
