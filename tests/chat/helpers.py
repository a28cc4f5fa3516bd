"""Driving the chat page through Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT


def open_app() -> AppTest:
    """A new visitor session on the app (default page: the chat), after its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    """Type a question into the chat input and press Enter."""
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def last_reply(at: AppTest):
    """The newest assistant message."""
    replies = [m for m in at.chat_message if m.name == "assistant"]
    assert replies, "no assistant reply on the page"
    return replies[-1]


def texts(block) -> list[str]:
    """Every piece of text a block shows: markdown, captions, plain text, alerts and labels."""
    found = [m.value for m in block.markdown] + [c.value for c in block.caption]
    found += [t.value for t in block.text] + [e.value for e in block.error]
    found += [e.proto.title for e in block.error] + [e.label for e in block.expander]
    found += [b.proto.label for b in block.get("link_button")]
    return found
