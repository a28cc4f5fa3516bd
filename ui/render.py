"""How one Answer record looks on a page, independent of chat state.

The chat page and the staff page's preview both call `render_answer(record, key=...)`, so staff
see exactly what visitors see. Each reply is shown once: its body already holds the quotes, so
the sources under it are one compact list, not the snippets again. Knowledge text (quotes,
staff-written messages, button labels) goes through markdown with HTML off and escaped
(`compose.plain`), so nothing in it becomes a link, an image or markup; visitor text only ever
through `visitor_text`, which shows the characters as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from assistant.compose import DISCLAIMER, plain, plain_message
from assistant.transcript import source_lines

from .conversation import emergency_lines, phone_href

URGENT_ICON = ":material/emergency:"


def visitor_text(text: str) -> None:
    """Visitor text as plain characters: st.text parses neither markdown nor HTML."""
    st.text(text)


def header(clinic_name: str) -> None:
    """What the assistant answers, from where, and that it is not medical advice."""
    st.subheader("Questions about restless legs and massage?", anchor=False)
    st.caption(f"I answer questions about restless legs syndrome (RLS) and massage therapy by "
               f"quoting {clinic_name}'s articles, and I show where each answer comes from. "
               f"{DISCLAIMER} In an emergency, call 911.")


def render_answer(record: Mapping, *, key: str) -> None:
    """One reply: a support line first, the body (the quotes), its sources in one compact
    list, then the referral with booking and call buttons, and the disclaimer.

    `key` must be unique on the page; the reply's container gets the CSS class `st-key-{key}`.
    Urgent replies are only the alert: no sources, no booking, nothing about massage. A reply
    for the clinic itself (prices, booking) is its own referral: only the contact details
    follow it.
    """
    status = record["status"]
    with st.container(key=key):
        if status == "urgent":
            urgent_alert(record["body"])  # emergency numbers first, before any notice
            return
        if record.get("support"):
            st.info(plain_message(record["support"]), icon=":material/favorite:")
        if record.get("notice"):
            st.caption(plain(record["notice"]))
        st.markdown(record["body"])
        if status == "smalltalk":
            return
        if record["citations"]:
            sources(record)
        if status != "clinic":
            st.markdown(plain(record.get("referral_sentence") or record["referral"]))
        contact_buttons(record.get("contacts") or {}, key=key)
        if record.get("disclaimer"):
            st.caption(record["disclaimer"])


def urgent_alert(message: str) -> None:
    """A red alert whose title lists the emergency lines the message names, in its order."""
    lines = emergency_lines(message)
    st.error(message, icon=URGENT_ICON, title=" · ".join(lines) if lines else None)


def sources(record: Mapping) -> None:
    """The quotes' sources in one caption: "[n] title · section" each, the article once."""
    st.caption("  \n".join(source_lines(record)))


def chips(questions: Sequence[str], *, key: str, button_key: str,
          on_click: Callable[[str], None]) -> None:
    """Questions as a row of buttons; clicking one calls `on_click(question)` before the next
    run. The container's key is `key`, each button's `{button_key}-{n}`."""
    with st.container(horizontal=True, gap="small", key=key):
        for number, question in enumerate(questions):
            st.button(plain(question), key=f"{button_key}-{number}", on_click=on_click,
                      args=(question,))


def contact_buttons(contacts: Mapping[str, str], *, key: str) -> None:
    """The clinic's address, and booking and call buttons, for whichever are filled in."""
    if contacts.get("address"):
        st.caption(plain(contacts["address"]))
    booking_url, phone = contacts.get("booking_url"), contacts.get("phone")
    if not (booking_url or phone):
        return
    with st.container(horizontal=True, gap="small"):
        if booking_url:
            st.link_button("Book an appointment", booking_url, type="primary",
                           icon=":material/calendar_month:", key=f"{key}-book")
        if phone:
            st.link_button(f"Call {plain(phone)}", phone_href(phone), icon=":material/call:",
                           key=f"{key}-call")
