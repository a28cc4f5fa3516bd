"""The staff page in a real Chromium: sign in, edit one passage, review and publish it, and a
visitor gets the edit."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser.server import STAFF_PASSWORD

pytestmark = pytest.mark.browser

EFFLEURAGE = "Is effleurage good for restless legs?"
SWEDISH = ("A gentler approach, Swedish massage focuses on long, flowing strokes that promote "
           "relaxation and enhance circulation.")


def log_in(page: Page, url: str, password: str) -> None:
    page.goto(f"{url}/staff")
    box = page.get_by_role("textbox", name="Staff password")
    expect(box).to_be_editable()
    box.fill(password)
    page.get_by_role("button", name="Log in").click()


def test_staff_log_in_and_edit_a_passage_that_visitors_then_get(page, staff_server, artifacts):
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, staff_server.url, "not the password")
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no links to other pages
    expect(page.get_by_text("Wrong password. 4 more tries before a wait.")).to_be_visible()
    log_in(page, staff_server.url, STAFF_PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    search = page.get_by_role("textbox", name="Search passages")
    search.fill("swedish gentler")
    search.press("Enter")
    expect(page.get_by_text("1 of 10 passages match. Choose one:")).to_be_visible()
    page.get_by_test_id("stRadio").last.get_by_text(re.compile("^Swedish massage")).click()
    questions = page.get_by_role("textbox", name="Alternate questions (one per line, 2 to 6)")
    expect(questions).to_have_value(re.compile(re.escape("How does a Swedish massage feel?")))
    questions.fill(questions.input_value() + "\n" + EFFLEURAGE)
    questions.press("Control+Enter")  # a text area sends its value on Ctrl+Enter or on blur
    page.get_by_role("button", name="Review changes").click()
    expect(page.get_by_text("Review before publishing")).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published the change to the passage \u201cSwedish massage\u201d. "
                            "Visitors get it from their next question.")).to_be_visible()
    page.screenshot(path=artifacts / "staff-saved.png", animations="disabled")

    saved = yaml.safe_load((staff_server.knowledge / "passages.yaml").read_text())
    swedish = next(p for p in saved["passages"] if p["id"] == "swedish-massage")
    assert swedish["questions"][-1] == EFFLEURAGE

    page.goto(staff_server.url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_editable()
    box.fill("is effleurage good for restless legs")
    box.press("Enter")
    expect(page.locator(".st-key-reply-0").get_by_text(SWEDISH).first).to_be_visible()
