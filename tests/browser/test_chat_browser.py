"""The visitor chat in a real Chromium: typing, Enter, the answer, phones, embedding, safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from assistant import transcript
from assistant.compose import plain
from assistant.store import Store

pytestmark = pytest.mark.browser

# A short passage is quoted whole.
SWEDISH = ("A gentler approach, Swedish massage focuses on long, flowing strokes that promote "
           "relaxation and enhance circulation. It is an excellent option for individuals who "
           "experience mild RLS symptoms or prefer a lighter touch.")
TECHNIQUES = "Which massage techniques help RLS?"
REFERRAL = ("For advice about your own symptoms, please contact the team at Granville "
            "Physiotherapy in Edmonton.")


def open_chat(page: Page, url: str) -> Locator:
    """Load the chat and wait until its input can be typed into."""
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_editable()
    return box


def first_line(record: dict) -> str:
    """The first words a reply quotes, as the page shows them."""
    citation = record["citations"][0]
    return (citation["text"] or citation["items"][0]["text"]).splitlines()[0].removeprefix("- ")


def ask(page: Page, box: Locator, question: str, turn: int = 0) -> Locator:
    """Type a question, press Enter, and wait for the reply of turn `turn` to be visible."""
    box.fill(question)
    box.press("Enter")
    reply = page.locator(f".st-key-reply-{turn}")
    expect(reply).to_be_visible()
    return reply


def test_a_question_is_answered_with_its_quote_once_and_the_referral(page, server, artifacts):
    page.set_viewport_size({"width": 1280, "height": 900})
    box = open_chat(page, server.url)
    expect(page).to_have_title("Ask Granville Physiotherapy")
    reply = ask(page, box, "What is Swedish massage?")
    expect(reply.get_by_text(SWEDISH + " [1]")).to_be_visible()
    expect(reply.get_by_text(SWEDISH)).to_have_count(1)  # the quote, and not again below it
    expect(reply.get_by_text("[1] Swedish massage · Effective Massage Techniques")).to_be_visible()
    expect(reply.get_by_text("Source: Granville Physiotherapy, “Do You Know How")).to_be_visible()
    expect(reply.get_by_text(REFERRAL)).to_be_visible()
    expect(reply.get_by_text("General information, not medical advice.")).to_be_visible()
    page.screenshot(path=artifacts / "chat-1280.png", full_page=True, animations="disabled")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_suggested_list_a_related_question_and_the_download(browser, server, engine,
                                                               artifacts, width):
    listed = engine.ask(TECHNIQUES).as_record()
    related = listed["related"][0]
    followed = engine.ask(related, [TECHNIQUES]).as_record()
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  is_mobile=width < 500, has_touch=width < 500,
                                  accept_downloads=True)
    try:
        page = context.new_page()
        open_chat(page, server.url)
        page.locator(".st-key-suggestions").get_by_role("button", name=TECHNIQUES).click()
        reply = page.locator(".st-key-reply-0")
        items = [item["text"] for item in listed["citations"][0]["items"]]
        assert len(items) >= 2
        for item in items:  # the whole list, each item once
            expect(reply.get_by_text(item)).to_have_count(1)
            expect(reply.get_by_text(item)).to_be_visible()
        chip = page.locator(".st-key-related-0").get_by_role("button", name=related)
        expect(chip).to_be_visible()
        chip.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"related-{width}.png", full_page=True,
                        animations="disabled")
        chip.click()
        answer = page.locator(".st-key-reply-1")
        expect(answer.get_by_text(first_line(followed))).to_be_visible()
        expect(page.locator(".st-key-related-0")).to_have_count(0)  # chips follow the newest
        expect(page.locator(".st-key-related-1")).to_be_visible()
        if width < 500:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        with page.expect_download() as download:
            page.locator(".st-key-download").get_by_role("button").click()
        assert download.value.suggested_filename.startswith("granville-physiotherapy-conversation")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert f"**You asked:** {TECHNIQUES}" in text
        assert f"**You asked:** {plain(related)}" in text
        assert all(item in text for item in items) and first_line(followed) in text
        assert "Source: Granville Physiotherapy" in text and REFERRAL in text
        assert transcript.long_date(dt.date.today()) in text
        page.screenshot(path=artifacts / f"download-{width}.png", full_page=True,
                        animations="disabled")
    finally:
        context.close()


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
