"""Text on the staff page is shown as typed: never as markdown, so it makes no link or image.

Streamlit's alerts (st.error, st.success...) render their text as markdown. Visitor questions
and staff text reach them inside messages ("Added “...” as an alternate question", a
validation problem quoting a value), so every message goes through `plain()`, which escapes
each ASCII punctuation character (CommonMark renders an escaped character as itself). Tables
(st.dataframe), code blocks and st.text show text as it is without help.
"""

from __future__ import annotations

import re
import string

import streamlit as st

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: str) -> str:
    """Markdown that shows `text` character for character: punctuation escaped (no links,
    images, HTML, emphasis, math or :icons:), each line break kept."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return "  \n".join(line.strip() for line in escaped.splitlines())


def alert(kind: str, text: str, **options) -> None:
    """An st.error/st.warning/st.info/st.success box showing `text` as plain text."""
    {"error": st.error, "warning": st.warning, "info": st.info,
     "success": st.success}[kind](plain(text), **options)
