"""Staff tools, reached only at /staff: sign in, then keep the knowledge base right.

Rendering only. The sections come from the knowledge files' schema (one editor per file; the
articles also have their import) plus the unanswered questions and the history; each is drawn
by a module of ui.staff, and what they decide, plan and write is in assistant (editing,
articles, signin, unanswered, store). Every action is a button callback that runs before the
page is drawn, so the page shows the files as they are after it, and leaves its outcome in
session state (plain data). Every change is reviewed before it is published.
"""

import streamlit as st

from assistant import settings
from ui.resources import current_serving
from ui.staff import articles, editor, forms, history, session, signin, unanswered
from ui.staff.show import alert

state = st.session_state
DIRECTORY = settings.knowledge_dir()

st.title("Staff tools", anchor=False)


def read_secret():
    return st.secrets[settings.STAFF_PASSWORD_SECRET]


password = settings.staff_password(read_secret)
if password is None:
    st.warning(signin.password_help(), icon=":material/lock:")
    st.stop()
if not signin.gate(state, password):
    st.stop()

with st.container(horizontal=True, vertical_alignment="center"):
    history.undo_button(DIRECTORY)
    st.space("stretch")
    st.button("Log out", key="logout", on_click=signin.log_out, args=(state,),
              icon=":material/logout:")

serving = current_serving(DIRECTORY)
if serving.problem is not None:
    alert("error", "Some of the knowledge base has problems, so visitors still get the last "
                   "version that worked. Fix them below, or put back a saved version under "
                   "History.\n\n" + session.worded(serving.problem), icon=":material/error:")

for kind, text in state.pop(session.MESSAGES, []):
    alert(kind, text)
history.undo_review()
editor.leaving_notice(DIRECTORY)

section = st.radio("Section", forms.sections(), horizontal=True, key="section",
                   label_visibility="collapsed", on_change=editor.on_section_change,
                   args=(DIRECTORY,))
state.setdefault("section-shown", section)
if section == forms.UNANSWERED:
    state[editor.OPEN] = None
    unanswered.unanswered(DIRECTORY)
elif section == forms.HISTORY:
    state[editor.OPEN] = None
    history.history(DIRECTORY)
elif section == forms.ARTICLES:
    articles.articles(DIRECTORY)
else:
    editor.edit_file(DIRECTORY, forms.file_of(section))
