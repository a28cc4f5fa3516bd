"""The staff page's Streamlit side, one module per section or concern (pages/staff.py draws
the page from them). What is decided, planned or written lives in assistant/ (editing, signin,
unanswered); these modules turn it into widgets and keep plain data in session state.

    signin.py      the sign-in form (the limit on wrong passwords is assistant.signin's)
    session.py     what a session keeps: drafts of the files it opened, messages, results;
                   saving a planned edit
    forms.py       the knowledge files as forms, from the schema: sections, labels, widgets
    editor.py      one file's editor: pick an entry, edit, preview, check impact, save, delete
    unanswered.py  the paged unanswered questions and the votes
    history.py     saved versions: what restoring one changes, restore
    show.py        text shown as typed in alerts (never as markdown)
"""

from .signin import password_help

__all__ = ["password_help"]
