"""Word-for-word quotes: a passage's text must be found in its source text."""

from __future__ import annotations

import re
import unicodedata

_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+\.)\s+")


def fold(text: str) -> str:
    """Text reduced for quote comparison: NFC, bullets dropped, whitespace folded."""
    text = unicodedata.normalize("NFC", text)
    lines = (_BULLET.sub("", line) for line in text.splitlines())
    return " ".join(" ".join(lines).split())


def missing_line(text: str, folded_source: str) -> str | None:
    """The first line of `text` not found word for word in the source (already `fold`ed)."""
    for line in text.splitlines():
        folded = fold(line)
        if folded and folded not in folded_source:
            return line.strip()
    return None
