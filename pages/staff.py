"""Staff tools, reached only at /staff: sign in, then keep the knowledge base right.

Rendering only. The sections come from the knowledge files' schema (one editor per file) plus
the unanswered questions and the history; each is drawn by a module of ui.staff, and what they
decide, plan and write is in assistant (editing, signin, unanswered, store). Every action is a
button callback that runs before the page is drawn, so the page shows the files as they are
after it, and leaves its outcome in session state (plain data).
"""

import streamlit as st

from assistant import settings
from assistant.errors import describe
from ui.resources import current_serving
from ui.staff import editor, forms, history, session, signin, unanswered
from ui.staff.show import alert, plain

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

col_title, col_logout = st.columns([4, 1], vertical_alignment="center")
col_title.caption(plain(f"Knowledge folder: {DIRECTORY}"))
col_logout.button("Log out", key="logout", on_click=signin.log_out, args=(state,),
                  icon=":material/logout:")

serving = current_serving(DIRECTORY)
if serving.problem is not None:
    alert("error", "The knowledge files on disk have problems, so visitors are served the last "
                   "version that worked. Fix them below, or restore a saved version under "
                   "History.\n\n" + describe(serving.problem), icon=":material/error:")

for kind, text in state.pop(session.MESSAGES, []):
    alert(kind, text)

section = st.radio("Section", forms.sections(), horizontal=True, key="section",
                   label_visibility="collapsed")
if section == forms.UNANSWERED:
    unanswered.unanswered(DIRECTORY)
elif section == forms.HISTORY:
    history.history(DIRECTORY)
else:
    editor.edit_file(DIRECTORY, forms.file_of(section))
