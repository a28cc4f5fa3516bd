"""The visitor chat page driven through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assistant.compose import DISCLAIMER, NO_MATCH_NAMED, plain
from tests.chat.helpers import ask, last_reply, open_app, texts
from ui.conversation import PLACES, suggestions
from ui.staff import password_help

REFERRAL = ("For advice about your own symptoms, please contact the team at Granville "
            "Physiotherapy in Edmonton.")
# A short passage is quoted whole.
SWEDISH = ("A gentler approach, Swedish massage focuses on long, flowing strokes that promote "
           "relaxation and enhance circulation. It is an excellent option for individuals who "
           "experience mild RLS symptoms or prefer a lighter touch.")


def records(at: AppTest) -> list[dict]:
    return [turn["record"] for turn in at.session_state["turns"]]


def test_page_opens_with_header_and_suggested_questions(app, engine):
    header = " ".join(texts(app))
    assert "restless legs syndrome (RLS) and massage therapy" in header
    assert DISCLAIMER in header
    chips = [b for b in app.button if (b.key or "").startswith("chip-")]
    assert [c.label for c in chips] == [plain(q) for q in suggestions(engine)] != []
    assert not app.chat_message


SOURCE = ("Granville Physiotherapy, \u201cDo You Know How Massage Therapy Can Help Reduce The "
          "Symptoms Of Restless Leg Syndrome?\u201d \\(2025-03-27\\)")


def test_question_round_trip_shows_the_quote_once_its_source_and_the_referral(app):
    ask(app, "What is Swedish massage?")
    user, reply = app.chat_message
    assert user.name == "user" and [t.value for t in user.text] == ["What is Swedish massage?"]
    body = reply.markdown[0].value
    assert f"> {SWEDISH} [1]" in body
    assert sum(SWEDISH in text for text in texts(reply)) == 1  # the quote is shown once
    assert not reply.expander
    assert reply.caption[0].value == (
        "\\[1\\] Swedish massage · Effective Massage Techniques for Restless Leg Syndrome  \n"
        f"Source: {SOURCE}")
    assert REFERRAL in [m.value for m in reply.markdown]
    assert DISCLAIMER in [c.value for c in reply.caption]
    assert not reply.get("link_button")  # the shipped clinic settings have no booking details


def test_a_list_question_gets_the_whole_list_once(app):
    ask(app, "Which massage techniques help RLS?")
    reply = last_reply(app)
    [record] = records(app)
    items = [item["text"] for item in record["citations"][0]["items"]]
    assert len(items) >= 2
    body = reply.markdown[0].value
    assert all(body.count(item) == 1 for item in items)
    assert not any(item in text for item in items for text in texts(reply)[1:])


def test_a_clinic_question_is_its_own_referral(app):
    ask(app, "How much does a massage cost?")
    reply = last_reply(app)
    [record] = records(app)
    assert record["status"] == "clinic"
    assert [m.value for m in reply.markdown] == [record["body"]]
    assert "Granville Physiotherapy" in record["body"] and REFERRAL not in texts(reply)


def test_a_suggested_chip_asks_its_question(app):
    chip = app.button(key="chip-3")
    chip.click().run()
    assert not app.exception
    assert [r["question"] for r in records(app)] == [chip.label]
    assert records(app)[0]["status"] == "answered"
    assert not [b for b in app.button if (b.key or "").startswith("chip-")]


def with_related(at: AppTest, question: str, related: list[str]) -> AppTest:
    """Ask `question`, then give its reply these related questions (as the engine may)."""
    ask(at, question)
    at.session_state["turns"][-1]["record"]["related"] = related
    return at.run()


def related_chips(at: AppTest) -> list:
    return [b for b in at.button if (b.key or "").startswith("related-")]


def test_a_related_question_chip_under_the_latest_reply_asks_it(app):
    with_related(app, "What is Swedish massage?", ["What is reflexology?", "What is RLS (WED)?"])
    chips = related_chips(app)
    assert [(c.key, c.label) for c in chips] == [
        ("related-0-0", "What is reflexology?"), ("related-0-1", "What is RLS \\(WED\\)?")]
    chips[0].click().run()
    assert not app.exception
    assert [r["question"] for r in records(app)] == ["What is Swedish massage?",
                                                     "What is reflexology?"]
    assert records(app)[-1]["citations"][0]["id"] == "reflexology"
    # Chips follow the newest reply only: the first reply's are gone.
    assert not [c for c in related_chips(app) if c.key.startswith("related-0-")]


@pytest.mark.parametrize("question", ["What is Swedish massage?", "Can yoga help restless legs?"])
def test_answers_and_not_covered_replies_offer_the_engines_related_questions(app, question):
    ask(app, question)
    [record] = records(app)
    assert record["status"] in ("answered", "no_match") and len(record["related"]) >= 2
    assert [c.label for c in related_chips(app)] == [plain(q) for q in record["related"]]
    related_chips(app)[-1].click().run()
    assert [r["question"] for r in records(app)] == [question, record["related"][-1]]
    assert records(app)[-1]["status"] == "answered"


def test_no_related_chips_after_an_urgent_reply(app):
    with_related(app, "my calf is swollen and red", ["What is Swedish massage?"])
    assert records(app)[0]["status"] == "urgent"
    assert not related_chips(app)


def test_the_conversation_can_be_downloaded_once_there_is_one(app):
    assert not app.get("download_button")
    ask(app, "What is Swedish massage?")
    [button] = app.get("download_button")
    assert button.proto.label == "Download this conversation"
    assert button.proto.ignore_rerun  # downloading does not run the page again
    app.button(key="new-conversation").click().run()
    assert not app.get("download_button")


def test_a_follow_up_question_uses_the_earlier_question(app):
    ask(app, "Can restless legs cause cramps?")
    ask(app, "and what about at night?")
    follow_up = records(app)[-1]
    assert follow_up["status"] == "answered"
    cramps = {"symptom-leg-cramps", "reducing-leg-cramps"}
    assert follow_up["citations"][0]["id"] in cramps
    alone = records(ask(open_app(), "and what about at night?"))[-1]
    assert alone["status"] == "no_match" or alone["citations"][0]["id"] not in cramps


def test_questions_beyond_the_places_drawn_for_them_are_answered_in_order(app):
    questions = [f"What is Swedish massage? ({number})" for number in range(PLACES + 2)]
    for question in questions:
        ask(app, question)
        assert [t.value for t in app.chat_message[-2].text] == [question]
        assert SWEDISH in last_reply(app).markdown[0].value
    assert [r["question"] for r in records(app)] == questions
    app.run()  # the whole page: every turn, once, in order
    assert [m.text[0].value for m in app.chat_message if m.name == "user"] == questions


def test_feedback_is_kept_for_staff_once_per_reply(app, store):
    ask(app, "What is Swedish massage?")
    app.feedback(key="vote-0").set_value(1).run()
    assert not app.exception
    assert "Thanks for your feedback." in [c.value for c in last_reply(app).caption]
    assert app.feedback(key="vote-0").proto.disabled  # one vote per reply
    assert app.feedback(key="vote-0").value == 1
    assert [(v.passage_id, v.up, v.down) for v in store.votes()] == [("swedish-massage", 1, 0)]
    assert app.session_state["turns"][0]["vote"] == 1


def test_thumbs_down_is_stored_as_minus_one(app, store):
    ask(app, "How much does a massage cost?")
    app.feedback(key="vote-0").set_value(0).run()
    assert [(v.passage_id, v.up, v.down) for v in store.votes()] == [("(no passage)", 0, 1)]


def test_new_conversation_clears_the_history(app):
    ask(app, "What is Swedish massage?")
    app.button(key="new-conversation").click().run()
    assert not app.exception
    assert not app.chat_message
    assert app.session_state["turns"] == []
    assert app.button(key="chip-0")
    ask(app, "how often?")
    assert records(app)[-1]["status"] == "no_match"  # the earlier topic is forgotten


def test_an_urgent_reply_is_an_alert_with_emergency_numbers_and_nothing_else(app, store):
    ask(app, "my left calf is swollen, red and warm to touch")
    reply = last_reply(app)
    [alert] = reply.error
    assert alert.proto.title == "Emergency: 911 · Health Link: 811"
    assert "blood clot" in alert.value
    assert not reply.markdown and not reply.expander and not reply.get("link_button")
    assert not any("massage" in text.lower() for text in texts(reply))
    assert store.count("unanswered") == 0


def test_a_self_harm_reply_puts_988_first(app):
    ask(app, "this RLS makes me want to kill myself")
    [alert] = last_reply(app).error
    assert alert.proto.title.startswith("Suicide Crisis Helpline: 988")


def test_a_no_match_reply_says_so_gives_the_referral_and_is_logged(app, store):
    ask(app, "Can I take iron pills for my legs?")
    reply = last_reply(app)
    assert [m.value for m in reply.markdown] == [
        NO_MATCH_NAMED.format(names="medication or supplements"), REFERRAL]
    assert not reply.expander
    assert [g.question for g in store.gaps()] == ["Can I take iron pills for my legs?"]


def test_smalltalk_is_short_and_not_logged(app, store):
    ask(app, "hello")
    reply = last_reply(app)
    assert len(reply.markdown) == 1 and reply.markdown[0].value.startswith("Hello\\!")
    assert not reply.expander and not reply.caption
    assert store.count("unanswered") == 0


@pytest.mark.parametrize("payload", [
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "<script>alert(1)</script> **bold** _it_ ![img](http://x/y.png) :material/home: $x^2$",
])
def test_visitor_html_and_markdown_are_shown_as_typed(app, payload):
    ask(app, payload)
    user = app.chat_message[0]
    assert [t.value for t in user.text] == [payload]
    assert not user.markdown
    rendered_as_markdown = [m.value for m in app.markdown] + [c.value for c in app.caption]
    assert not any(payload in text or "javascript:" in text or "<img" in text
                   for text in rendered_as_markdown)


def test_a_broken_knowledge_base_keeps_serving_the_last_good_version(app, knowledge_copy):
    at = open_app()
    ask(at, "What is Swedish massage?")
    (knowledge_copy / "passages.yaml").write_text("passages: [\n", encoding="utf-8")
    ask(at, "What is reflexology?")
    assert not at.exception and not at.error
    reply = records(at)[-1]
    assert reply["status"] == "answered"
    assert [c["id"] for c in reply["citations"]] == ["reflexology"]


@pytest.mark.parametrize("broken", ["[" * 40_000, "passages: " + "[" * 500 + "]" * 500])
def test_a_hostile_file_keeps_the_chat_serving(app, knowledge_copy, broken):
    at = open_app()
    ask(at, "What is Swedish massage?")
    (knowledge_copy / "passages.yaml").write_text(broken, encoding="utf-8")
    ask(at, "What is reflexology?")
    assert not at.exception and not at.error
    assert [c["id"] for c in records(at)[-1]["citations"]] == ["reflexology"]


def test_a_staff_edit_is_picked_up_on_the_next_question(app, knowledge_copy):
    at = open_app()
    ask(at, "What is Swedish massage?")
    clinic = knowledge_copy / "clinic.yaml"
    data = yaml.safe_load(clinic.read_text(encoding="utf-8"))
    data["clinic"].update(referral="Please call us.", booking_url="https://example.org/book",
                          phone="780 555-0100")
    clinic.write_text(yaml.safe_dump(data), encoding="utf-8")
    ask(at, "What is reflexology?")
    reply = last_reply(at)
    assert "Please call us." in reply.markdown[-1].value
    buttons = {b.proto.label: b.proto.url for b in reply.get("link_button")}
    assert buttons == {"Book an appointment": "https://example.org/book",
                       "Call 780 555-0100": "tel:7805550100"}


@pytest.mark.parametrize("exists", [False, True], ids=["missing folder", "empty folder"])
def test_without_any_valid_knowledge_base_the_page_is_friendly(tmp_path, monkeypatch, exists):
    folder = tmp_path / "knowledge"
    if exists:
        folder.mkdir()
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(folder))
    at = open_app()
    assert "not available right now" in at.info[0].value
    assert not at.chat_input


def test_a_store_failure_never_reaches_the_visitor(app, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path))  # a folder: SQLite cannot open it
    ask(app, "How much does a massage cost?")
    app.feedback(key="vote-0").set_value(1).run()
    assert not app.exception and not app.error
    assert "Thanks for your feedback." in [c.value for c in last_reply(app).caption]


def test_session_state_holds_plain_data_only(app):
    for question in ("What is Swedish massage?", "hello", "my chest feels tight", "cost?"):
        ask(app, question)

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))

    assert plain(app.session_state.to_dict())


def test_replies_match_the_engine_exactly(app, engine):
    questions = ["What is RLS?", "and at night?", "Does deep tissue massage help?"]
    for question in questions:
        ask(app, question)
    history: list[str] = []
    for question, record in zip(questions, records(app), strict=True):
        assert record == engine.ask(question, history).as_record()
        history.append(question)


def test_the_staff_page_is_reached_by_url(app, monkeypatch):
    monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD", raising=False)
    app.switch_page("pages/staff.py").run()
    assert not app.exception
    assert app.title[0].value == "Staff tools"
    assert app.warning[0].value == password_help()
