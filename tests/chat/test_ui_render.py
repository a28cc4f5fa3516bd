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
    assert at.caption[0].value.startswith("\\[1\\] Reflexology · ")
    assert not at.expander
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


def test_a_support_line_comes_first_as_a_notice_with_its_text_escaped(engine):
    record = dict(engine.ask("Can I take iron pills?").as_record(),
                  support="It sounds hard. [Talk to us](https://evil.example) <b>now</b>\n"
                          "- call 988 any time")
    at = preview(record)
    [info] = at.info
    assert info.value == ("It sounds hard. \\[Talk to us\\]\\(h\u200bttps://evil.example\\) "
                          "\\<b\\>now\\</b\\>\n- call **988** any time")
    [first, *_] = at.get_by_key("preview").children.values()
    assert first.type == "info"


def test_staff_text_in_the_referral_and_contacts_stays_plain(engine):
    record = dict(engine.ask("What is reflexology?").as_record(),
                  referral_sentence="Call us ![x](https://e.example/p.png)",
                  contacts={"address": "<i>1 Main St</i>", "phone": "[780](https://e.example)"})
    at = preview(record)
    assert "Call us \\!\\[x\\]\\(h\u200bttps://e.example/p.png\\)" in [m.value for m in at.markdown]
    assert "\\<i\\>1 Main St\\</i\\>" in [c.value for c in at.caption]
    [call] = at.get("link_button")
    assert call.proto.label == "Call \\[780\\]\\(h\u200bttps://e.example\\)"


def test_a_clinic_reply_shows_its_contacts_but_not_the_referral_again(engine):
    record = dict(engine.ask("How much does a massage cost?").as_record(),
                  contacts={"phone": "780 555-0100"})
    assert record["status"] == "clinic" and record["referral"]
    at = preview(record)
    assert [m.value for m in at.markdown] == [record["body"]]
    assert [b.proto.label for b in at.get("link_button")] == ["Call 780 555-0100"]
    assert not at.caption
