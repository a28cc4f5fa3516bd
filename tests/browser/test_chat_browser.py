"""The visitor chat in a real Chromium: typing, Enter, the answer, phones, embedding, safety."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from assistant.store import Store

pytestmark = pytest.mark.browser

# A short passage is quoted whole.
SWEDISH = ("A gentler approach, Swedish massage focuses on long, flowing strokes that promote "
           "relaxation and enhance circulation. It is an excellent option for individuals who "
           "experience mild RLS symptoms or prefer a lighter touch.")
REFERRAL = ("For advice about your own symptoms, please contact the team at Granville "
            "Physiotherapy in Edmonton.")


def open_chat(page: Page, url: str) -> Locator:
    """Load the chat and wait until its input can be typed into."""
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_editable()
    return box


def ask(page: Page, box: Locator, question: str, turn: int = 0) -> Locator:
    """Type a question, press Enter, and wait for the reply of turn `turn` to be visible."""
    box.fill(question)
    box.press("Enter")
    reply = page.locator(f".st-key-reply-{turn}")
    expect(reply).to_be_visible()
    return reply


def test_a_question_is_answered_with_its_snippet_and_the_referral(page, server, artifacts):
    page.set_viewport_size({"width": 1280, "height": 900})
    box = open_chat(page, server.url)
    expect(page).to_have_title("Ask Granville Physiotherapy")
    reply = ask(page, box, "What is Swedish massage?")
    expect(reply.get_by_text(SWEDISH + " [1]")).to_be_visible()
    expect(reply.get_by_text(REFERRAL)).to_be_visible()
    expect(reply.get_by_text("General information, not medical advice.")).to_be_visible()
    reply.get_by_text("Sources (1)").click()
    expect(reply.get_by_test_id("stExpanderDetails").get_by_text(SWEDISH, exact=True)) \
        .to_be_visible()
    page.screenshot(path=artifacts / "chat-1280.png", full_page=True, animations="disabled")


def test_the_chat_reads_well_embedded_on_a_375px_phone(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        page = context.new_page()
        box = open_chat(page, f"{server.url}/?embed=true")
        expect(page.locator(".st-key-chip-0")).to_be_visible()
        page.screenshot(path=artifacts / "chat-375-start.png", animations="disabled")
        reply = ask(page, box, "Which massage techniques help RLS?")
        expect(reply.get_by_text(REFERRAL)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=artifacts / "chat-375.png", animations="disabled")
    finally:
        context.close()


def test_visitor_html_and_markdown_stay_plain_characters(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = ("<img src=x onerror=alert(1)> [link](javascript:alert(2)) **bold** "
               "<script>alert(3)</script>")
    box = open_chat(page, server.url)
    ask(page, box, payload)
    question = page.get_by_test_id("stChatMessage").first
    expect(question.get_by_text(payload, exact=True)).to_be_visible()
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert question.locator("strong, script, a").count() == 0
    assert dialogs == []


def test_chip_feedback_and_new_conversation(page, server):
    open_chat(page, server.url)
    page.locator(".st-key-chip-3").get_by_role("button").click()
    reply = page.locator(".st-key-reply-0")
    expect(reply.get_by_text(SWEDISH + " [1]")).to_be_visible()
    before = Store(server.db).votes()
    page.locator(".st-key-vote-0").get_by_role("radio", name="Thumbs up").click()
    expect(page.get_by_text("Thanks for your feedback.")).to_be_visible()
    expect(page.locator(".st-key-vote-0").get_by_role("radio", name="Thumbs up")) \
        .to_have_attribute("aria-checked", "true")
    ups = {v.passage_id: v.up for v in Store(server.db).votes()}
    assert ups["swedish-massage"] == 1 + {v.passage_id: v.up for v in before}.get(
        "swedish-massage", 0)
    page.locator(".st-key-new-conversation").get_by_role("button").click()
    expect(page.locator(".st-key-chip-0")).to_be_visible()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)


def test_an_urgent_message_gets_the_emergency_alert(page, server, artifacts):
    page.set_viewport_size({"width": 375, "height": 812})
    box = open_chat(page, server.url)
    reply = ask(page, box, "my left calf is swollen and red")
    alert = reply.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("Emergency: 911")
    expect(alert).to_contain_text("call 911 now")
    expect(reply.get_by_test_id("stExpander")).to_have_count(0)
    page.screenshot(path=artifacts / "urgent-375.png", animations="disabled")


def test_the_staff_page_is_reached_only_by_its_url(page, server):
    open_chat(page, server.url)
    assert page.locator("a[href*='staff']").count() == 0
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    page.goto(f"{server.url}/staff")
    expect(page.get_by_role("heading", name="Staff tools")).to_be_visible()
