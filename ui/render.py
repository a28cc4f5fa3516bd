"""How one Answer record looks on a page, independent of chat state.

The chat page and the staff page's preview both call `render_answer(record, key=...)`, so staff
see exactly what visitors see. Knowledge text (quotes, staff-written messages) goes through
`st.markdown` with HTML off; visitor text only ever through `visitor_text`, which shows the
characters as typed and makes nothing live (no HTML, no markdown links, no images).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from assistant.compose import DISCLAIMER

from .conversation import emergency_lines, phone_href

URGENT_ICON = ":material/emergency:"


def visitor_text(text: str) -> None:
    """Visitor text as plain characters: st.text parses neither markdown nor HTML."""
    st.text(text)


def header(clinic_name: str) -> None:
    """What the assistant answers, from where, and that it is not medical advice."""
    st.subheader("Questions about restless legs and massage?", anchor=False)
    st.caption(f"I answer questions about restless legs syndrome (RLS) and massage therapy by "
               f"quoting {clinic_name}'s article, and I show where each answer comes from. "
               f"{DISCLAIMER} In an emergency, call 911.")


def render_answer(record: Mapping, *, key: str) -> None:
    """One reply: the body, then sources, referral and booking, and the disclaimer.

    `key` must be unique on the page; the reply's container gets the CSS class `st-key-{key}`.
    Urgent replies are only the alert: no sources, no booking, nothing about massage.
    """
    status = record["status"]
    with st.container(key=key):
        if status == "urgent":
            urgent_alert(record["body"])  # emergency numbers first, before any notice
            return
        if record.get("support"):
            st.info(record["support"], icon=":material/favorite:")
        if record.get("notice"):
            st.caption(record["notice"])
        st.markdown(record["body"])
        if status == "smalltalk":
            return
        if record["citations"]:
            sources(record["citations"])
        referral(record.get("referral_sentence") or record["referral"],
                 record.get("contacts") or {}, key=key)
        if record.get("disclaimer"):
            st.caption(record["disclaimer"])


def urgent_alert(message: str) -> None:
    """A red alert whose title lists the emergency lines the message names, in its order."""
    lines = emergency_lines(message)
    st.error(message, icon=URGENT_ICON, title=" · ".join(lines) if lines else None)


def sources(citations: Sequence[Mapping]) -> None:
    """For each marker: the passage title, its section, the exact quoted snippet, the source."""
    with st.expander(f"Sources ({len(citations)})", icon=":material/menu_book:"):
        for number, citation in enumerate(citations, start=1):
            st.markdown(f"**[{number}] {citation['title']}** · {citation['section']}")
            st.markdown("\n".join(f"> {line}" for line in citation["snippet"].splitlines()))
            st.caption(citation["source"])


def referral(text: str, contacts: Mapping[str, str], *, key: str) -> None:
    """The clinic referral sentence and address, with booking and call buttons when filled in."""
    st.markdown(text)
    if contacts.get("address"):
        st.caption(contacts["address"])
    booking_url, phone = contacts.get("booking_url"), contacts.get("phone")
    if not (booking_url or phone):
        return
    with st.container(horizontal=True, gap="small"):
        if booking_url:
            st.link_button("Book an appointment", booking_url, type="primary",
                           icon=":material/calendar_month:", key=f"{key}-book")
        if phone:
            st.link_button(f"Call {phone}", phone_href(phone), icon=":material/call:",
                           key=f"{key}-call")
