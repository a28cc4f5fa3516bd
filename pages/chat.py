"""The visitor chat: header, suggested questions, the conversation, feedback, related questions,
the chat input, and the conversation to download.

Rendering only: answers come from the cached engine (ui.resources), turn bookkeeping from
ui.conversation, storage from ui.visitor_log. Session state holds plain data only.
"""

import datetime as dt

import streamlit as st

from assistant import transcript
from assistant.engine import MAX_QUESTION_CHARS
from ui import render
from ui.conversation import (
    Conversation,
    cited_ids,
    is_blank,
    offers_related,
    should_log_unanswered,
    takes_feedback,
    vote_from_thumbs,
)
from ui.resources import current_serving, suggested_questions
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


def show(turn: dict, *, latest: bool = False) -> None:
    """One exchange: the visitor's words as plain text, then the reply and its thumbs, and
    under the latest reply the related questions it offers."""
    record = turn["record"]
    with st.chat_message("user"):
        render.visitor_text(record["question"])
    with st.chat_message("assistant"):
        render.render_answer(record, key=f"reply-{turn['id']}")
        if takes_feedback(record):
            st.feedback("thumbs", key=f"vote-{turn['id']}", on_change=on_vote,
                        args=(turn["id"],), disabled=turn["vote"] is not None)
            if turn["vote"] is not None:
                st.caption("Thanks for your feedback.")
        if latest and offers_related(record):
            st.caption("You could also ask:")
            render.chips(record["related"], key=f"related-{turn['id']}",
                         button_key=f"related-{turn['id']}", on_click=conversation.ask_later)


def download(records: list[dict], clinic) -> None:
    """The conversation as a Markdown file, made in the visitor's session when the button is
    clicked (and never written to disk); the download does not rerun the page."""
    today = dt.date.today()
    st.download_button("Download this conversation",
                       lambda: transcript.markdown(records, clinic, today),
                       file_name=transcript.file_name(clinic, today), mime="text/markdown",
                       key="download", icon=":material/download:", on_click="ignore")


question = st.chat_input("Ask about restless legs or massage therapy",
                         max_chars=MAX_QUESTION_CHARS, key="question")
if is_blank(question):
    question = conversation.take_pending()
asking = not is_blank(question)

for turn in conversation.turns:
    show(turn, latest=not asking and turn is conversation.turns[-1])

if asking:
    record = engine.ask(question, conversation.history()).as_record()
    if should_log_unanswered(record):
        log_unanswered(record["question"])
    show(conversation.add(record), latest=True)
elif not conversation.turns:
    st.caption("Try one of these questions:")
    render.chips(suggested_questions(engine), key="suggestions", button_key="chip",
                 on_click=conversation.ask_later)

if conversation.turns:
    with st.container(horizontal=True, gap="small"):
        download([turn["record"] for turn in conversation.turns], engine.knowledge.clinic)
        st.button("New conversation", key="new-conversation", icon=":material/restart_alt:",
                  on_click=conversation.clear)
