"""The Streamlit side of the assistant: rendering answers and the visitor chat's plain logic.

    render.py       how one Answer record looks (shared by the chat page and staff previews)
    conversation.py the chat's turns as plain data in session state, chips, what to log
    resources.py    the cached engine (st.cache_resource), keeping the last good version
    visitor_log.py  unanswered questions and votes into the store, never breaking the chat
"""
