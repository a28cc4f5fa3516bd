"""`render_answer` on its own, as the staff preview will use it: no chat state needed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def preview(record: dict) -> AppTest:
    """Render one record the way the staff page's preview will."""
    def script(record):
        from ui.render import render_answer

        render_answer(record, key="preview")

    at = AppTest.from_function(script, args=(record,), default_timeout=30).run()
    assert not at.exception
    return at


def test_an_answer_renders_without_any_session_state(engine):
    record = engine.ask("What is reflexology?").as_record()
    at = preview(record)
    assert at.markdown[0].value == record["body"]
    assert at.expander[0].label == "Sources (1)"
    assert at.markdown[-1].value == record["referral"]
    assert at.get_by_key("preview")
    assert at.session_state.to_dict() == {}


def test_booking_and_call_buttons_appear_only_for_filled_in_contacts(engine):
    record = engine.ask("What is reflexology?").as_record()
    booking = dict(record, contacts={"booking_url": "https://example.org/book"})
    assert [(b.proto.label, b.proto.url) for b in preview(booking).get("link_button")] == [
        ("Book an appointment", "https://example.org/book")]
    phone = dict(record, contacts={"phone": "780 555-0100", "address": "1 Main St"})
    assert [(b.proto.label, b.proto.url) for b in preview(phone).get("link_button")] == [
        ("Call 780 555-0100", "tel:7805550100")]
    assert not preview(record).get("link_button")


def test_a_long_question_notice_is_shown_above_the_reply(engine):
    record = engine.ask("What is Swedish massage? " + "x" * 2100).as_record()
    at = preview(record)
    assert at.caption[0].value == record["notice"] != ""


def test_an_urgent_reply_is_only_the_alert_even_for_a_long_message(engine):
    record = engine.ask("my calf is swollen " + "x" * 2100).as_record()
    assert record["status"] == "urgent" and record["notice"] == ""  # the alert alone
    at = preview(record)
    [block] = at.get_by_key("preview").children.values()
    assert block.type == "error" and block.proto.title.startswith("Emergency: 911")
    assert not at.caption and not at.markdown and not at.expander
