"""The visitor chat: header, suggested questions, the conversation, feedback, related questions,
the chat input, and the conversation to download.

Rendering only: answers come from the cached engine (ui.resources), turn bookkeeping from
ui.conversation, storage from ui.visitor_log. Session state holds plain data only.
"""

import datetime as dt

import streamlit as st

from assistant import transcript
from assistant.engine import MAX_QUESTION_CHARS, clean_question
from ui import render
from ui.busy import busy_notice
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
BUTTONS_KEY, END_KEY = "chat-buttons", "chat-end"
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
    with st.chat_message("user"):
        render.visitor_text(turn["record"]["question"])
    show_reply(turn)


def show_reply(turn: dict, where=st) -> None:
    """The reply of one exchange, with thumbs where a vote may be kept; in `where`, a slot
    on the page (by default, the next place)."""
    record = turn["record"]
    with where.chat_message("assistant"):
        render.render_answer(record, key=f"reply-{turn['id']}")
        if takes_feedback(record):
            st.feedback("thumbs", key=f"vote-{turn['id']}", on_change=on_vote,
                        args=(turn["id"],), disabled=turn["vote"] is not None)
            if turn["vote"] is not None:
                st.caption("Thanks for your feedback.")


def ask_in_place(question: str) -> None:
    """A typed question or a clicked chip waits to be asked once by the next run: the run of
    the next turn's place and of what follows the turns when the page has that place, else
    of the whole page (which draws the turns flat and new places under them)."""
    conversation.ask_later(question)
    place = conversation.place_for_next()
    if place is not None:
        # The buttons come with the first answer and stay.
        st.rerun([place_key(place), *([BUTTONS_KEY] if place == 0 else []), END_KEY])
    st.rerun()


def on_question() -> None:
    ask_in_place(st.session_state["question"])


def start_over() -> None:
    """"New conversation": the whole page again, without the turns."""
    conversation.clear()
    st.rerun()


def place_key(index: int) -> str:
    return f"turn-{index}"


def turn_place(index: int) -> None:
    """The place of turn `index` (an `st.fragment` keyed `place_key(index)`): the turn once
    it is asked, nothing before.

    A question reruns only its turn's place and what follows (`ask_in_place`): the
    turns above stay on the page untouched, so a question costs the same at the 10th turn as
    at the first. The places are siblings, not nested, so Streamlit's copy of the container
    stack, made for every fragment that runs, stays short.
    """
    turns = conversation.turns
    if index < len(turns):  # a vote on this turn reruns its place
        show(turns[index])
        return
    if index > len(turns):
        return
    question = conversation.take_pending()
    if is_blank(question):
        return
    engine = current_serving().engine  # the knowledge version of now, not of the page load
    if engine is None:  # no version loads any more: the full run says so
        st.rerun()
    with st.chat_message("user"):  # at once, before the answer is worked out
        render.visitor_text(clean_question(question)[0])
    with busy_notice() as busy:
        record = engine.ask(question, conversation.history()).as_record()
        if should_log_unanswered(record):
            log_unanswered(record["question"])
    show_reply(conversation.add(record), where=busy.slot)


@st.fragment(key=END_KEY)
def page_end() -> None:
    """The end of the page, one place so that a question reruns one fragment for it: the
    questions to ask, then the chat input."""
    questions_to_ask()
    st.chat_input("Ask about restless legs or massage therapy", max_chars=MAX_QUESTION_CHARS,
                  key="question", on_submit=on_question)


def questions_to_ask() -> None:
    """Under the turns: the suggested questions on an empty chat, else the related questions
    of the newest reply (read from the reply: only the suggestions need the engine)."""
    turns = conversation.turns
    if not turns:
        engine = current_serving().engine
        if engine is None:  # no version loads any more: the full run says so
            st.rerun()
        st.caption("Try one of these questions:")
        render.chips(suggested_questions(engine), key="suggestions",
                     button_key="chip", on_click=ask_in_place)
    elif offers_related(turns[-1]["record"]):
        latest = turns[-1]
        st.caption("You could also ask:")
        render.chips(latest["record"]["related"], key=f"related-{latest['id']}",
                     button_key=f"related-{latest['id']}", on_click=ask_in_place)


@st.fragment(key=BUTTONS_KEY)
def conversation_buttons() -> None:
    """"Download this conversation" and "New conversation", once there is a conversation.
    Drawn by the full run and by the first question only (`ask_in_place`): the download reads
    the turns when it is clicked."""
    engine = current_serving().engine
    turns = conversation.turns
    if engine is None or not turns:
        return
    with st.container(horizontal=True, gap="small"):
        download(turns, engine.knowledge.clinic)
        st.button("New conversation", key="new-conversation", icon=":material/restart_alt:",
                  on_click=start_over)


def download(turns: list[dict], clinic) -> None:
    """The conversation as a Markdown file, made in the visitor's session when the button is
    clicked (and never written to disk) from the turns and the clinic's details as they are
    then; the download does not rerun the page."""
    def made() -> str:
        engine = current_serving().engine
        return transcript.markdown([turn["record"] for turn in turns],
                                   engine.knowledge.clinic if engine else clinic,
                                   dt.date.today())

    st.download_button("Download this conversation", made,
                       file_name=transcript.file_name(clinic, dt.date.today()),
                       mime="text/markdown", key="download", icon=":material/download:",
                       on_click="ignore")


for turn in conversation.turns:
    show(turn)
for index in conversation.make_places():
    st.fragment(turn_place, key=place_key(index))(index)
conversation_buttons()
page_end()
