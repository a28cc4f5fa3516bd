"""Driving the staff page through Streamlit's AppTest."""

from __future__ import annotations

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
    at.selectbox(key=f"pick:{file}").set_value(target)
    return run(at)


def field(at: AppTest, name: str):
    """The text input or text area of a field in the open editor."""
    block = at.get_by_key(f"field-{name}")
    widgets = list(block.text_area) + list(block.text_input) + list(block.selectbox)
    assert len(widgets) == 1, widgets
    return widgets[0]


def field_errors(at: AppTest, name: str) -> list[str]:
    return [e.value for e in at.get_by_key(f"field-{name}").error]


def messages(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]
