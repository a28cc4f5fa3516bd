"""The website assistant's entry point: `streamlit run app.py`.

Page setup and navigation only. The visitor chat is the default page; the staff page is not in
any menu (navigation is hidden) and is reached by its URL, /staff.
"""

import streamlit as st

st.set_page_config(
    page_title="Ask Granville Physiotherapy",
    page_icon="💬",
    layout="centered",
    initial_sidebar_state="collapsed",
    menu_items={"Get help": None, "Report a bug": None,
                "About": "Granville Physiotherapy's website assistant: answers about restless "
                         "legs syndrome and massage therapy, quoted from the clinic's articles."},
)

chat = st.Page("pages/chat.py", title="Ask Granville Physiotherapy", icon="💬", default=True)
staff = st.Page("pages/staff.py", title="Staff tools", icon=":material/lock:", url_path="staff")
st.navigation([chat, staff], position="hidden").run()
