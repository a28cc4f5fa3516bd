"""The visitor chat: header, suggested questions, the conversation, feedback, the chat input.

Rendering only: answers come from the cached engine (ui.resources), turn bookkeeping from
ui.conversation, storage from ui.visitor_log. Session state holds plain data only.
"""

import streamlit as st

from assistant.engine import MAX_QUESTION_CHARS
from ui import render
from ui.conversation import (
    Conversation,
    cited_ids,
    is_blank,
    should_log_unanswered,
    suggestions,
    takes_feedback,
    vote_from_thumbs,
)
from ui.resources import current_serving
from ui.visitor_log import log_unanswered, log_vote

CLINIC = "Granville Physiotherapy"
UNAVAILABLE = (f"Sorry, the assistant is not available right now. Please try again later, or "
               f"contact {CLINIC} in Edmonton directly. In an emergency, call 911.")

conversation = Conversation(st.session_state)
engine = current_serving().engine

render.header(engine.knowledge.clinic.name if engine else CLINIC)
if engine is None:
    st.info(UNAVAILABLE, icon=":material/info:")
    st.stop()


def on_vote(turn_id: int) -> None:
    """Keep the first thumbs up or down on a reply for staff."""
    key = f"vote-{turn_id}"
    thumbs = st.session_state.get(key)
    turn = conversation.vote(turn_id, vote_from_thumbs(thumbs))
    if turn is not None:
        # Written back because Streamlit drops the incoming value of a widget that is disabled
        # in the same run; without this the chosen thumb would vanish once it is disabled.
        st.session_state[key] = thumbs
        log_vote(turn["record"]["question"], cited_ids(turn["record"]), turn["vote"])


def show(turn: dict) -> None:
    """One exchange: the visitor's words as plain text, then the reply and its thumbs."""
    record = turn["record"]
    with st.chat_message("user"):
        render.visitor_text(record["question"])
    with st.chat_message("assistant"):
        render.render_answer(record, key=f"reply-{turn['id']}")
        if not takes_feedback(record):
            return
        st.feedback("thumbs", key=f"vote-{turn['id']}", on_change=on_vote, args=(turn["id"],),
                    disabled=turn["vote"] is not None)
        if turn["vote"] is not None:
            st.caption("Thanks for your feedback.")


question = st.chat_input("Ask about restless legs or massage therapy",
                         max_chars=MAX_QUESTION_CHARS, key="question")
if is_blank(question):
    question = conversation.take_pending()

for turn in conversation.turns:
    show(turn)

if not is_blank(question):
    record = engine.ask(question, conversation.history()).as_record()
    if should_log_unanswered(record):
        log_unanswered(record["question"])
    show(conversation.add(record))
elif not conversation.turns:
    st.caption("Try one of these questions:")
    with st.container(horizontal=True, gap="small", key="suggestions"):
        for number, suggestion in enumerate(suggestions(engine)):
            st.button(suggestion, key=f"chip-{number}", on_click=conversation.ask_later,
                      args=(suggestion,))

if conversation.turns:
    st.button("New conversation", key="new-conversation", icon=":material/restart_alt:",
              on_click=conversation.clear)
