"""Driving the staff page through Streamlit's AppTest."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT

PASSWORD = "correct horse battery staple"


def open_staff() -> AppTest:
    """A new browser session on the app, at /staff."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page("pages/staff.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="password").input(password)
    return click(at, "login")


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def go_to(at: AppTest, section: str) -> AppTest:
    at.radio(key="section").set_value(section)
    return run(at)


def pick(at: AppTest, file: str, target: str) -> AppTest:
    """Open an entry in the editor of `file` (NEW: the "Add a new ..." button)."""
    if target == "__new__":
        return click(at, f"add:{file}")
    at.selectbox(key=f"pick:{file}").set_value(target)
    return run(at)


def review(at: AppTest) -> dict:
    """Press "Review changes"; the review kept (ui.staff.review), None if it was refused."""
    click(at, "review")
    try:
        return at.session_state["staff_review"]
    except KeyError:
        return None


def publish(at: AppTest) -> AppTest:
    """Review the form's change, then publish it (fails when the review was refused)."""
    assert review(at) is not None, messages(at, "error")
    return click(at, "publish")


def field(at: AppTest, name: str):
    """The text input or text area of a field in the open editor."""
    block = at.get_by_key(f"field-{name}")
    widgets = list(block.text_area) + list(block.text_input) + list(block.selectbox)
    assert len(widgets) == 1, widgets
    return widgets[0]


def field_errors(at: AppTest, name: str) -> list[str]:
    return [as_read(e.value) for e in at.get_by_key(f"field-{name}").error]


def messages(at: AppTest, kind: str) -> list[str]:
    """The text of the page's alerts of one kind, as staff read it (see ui.staff.show.plain)."""
    return [as_read(element.value) for element in getattr(at, kind)]


def as_read(markdown: str) -> str:
    """Markdown made by ui.staff.show.plain as the characters it shows (escapes and the
    zero-width spaces that break web addresses taken out)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1",
                  markdown.replace("  \n", "\n").replace("\u200b", ""))


def has(at: AppTest, key: str) -> bool:
    """True when the page holds an element with this key."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True
