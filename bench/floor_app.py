"""The floor for the load bench: a bare Streamlit chat of the chat page's shape, nothing else.

    streamlit run bench/floor_app.py

Each run replays the whole conversation (the visitor's words as plain text, then a ~650-character
markdown reply and a thumbs widget per turn) and takes questions from `st.chat_input(key=
"question")`, like pages/chat.py. No engine, no knowledge files, no store: what a question costs
here is Streamlit's own work for a page of that shape, so `bench/load.py --compare-floor` can say
how much the real page adds on top.
"""

import streamlit as st

REPLY = (
    "Here is what the clinic's article says:\n\n"
    "> Massage therapy can ease the discomfort of restless legs by relaxing tight muscles, "
    "improving blood circulation and calming the nervous system. Many people find that a "
    "session before bedtime helps them fall asleep more easily.\n\n"
    "**[1] How massage helps** · How Massage Therapy Can Help Relieve Restless Leg Syndrome\n\n"
    "Techniques such as Swedish massage use long, flowing strokes, while deep tissue massage "
    "applies firmer pressure to reach deeper layers of muscle.\n\n"
    "For advice about your own symptoms, please contact the clinic's team.\n\n"
    "*General information, not medical advice.*"
)

turns = st.session_state.setdefault("turns", [])

question = st.chat_input("Ask about restless legs or massage therapy", key="question")

for number, asked in enumerate(turns):
    with st.chat_message("user"):
        st.text(asked)
    with st.chat_message("assistant"):
        st.markdown(REPLY)
        st.feedback("thumbs", key=f"vote-{number}")

if question:
    turns.append(question)
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        st.markdown(REPLY)
        st.feedback("thumbs", key=f"vote-{len(turns) - 1}")
