"""Text on the staff page is shown as typed: never as markdown, so it makes no link or image.

Streamlit's alerts (st.error, st.success...) render their text as markdown. Visitor questions
and staff text reach them inside messages ("Added “...” as an alternate question", a
validation problem quoting a value), so every message goes through `plain()`: each line
escaped as the replies escape staff text (assistant.compose.plain), line breaks kept. Tables
(st.dataframe), code blocks and st.text show text as it is without help.
"""

from __future__ import annotations

import streamlit as st

from assistant import compose


def plain(text: str) -> str:
    """Markdown that shows `text` as typed (no links, images, HTML or emphasis), line by line."""
    return "  \n".join(compose.plain(line.strip()) for line in text.splitlines())


def alert(kind: str, text: str, **options) -> None:
    """An st.error/st.warning/st.info/st.success box showing `text` as plain text."""
    {"error": st.error, "warning": st.warning, "info": st.info,
     "success": st.success}[kind](plain(text), **options)
