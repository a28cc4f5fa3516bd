"""The conversation a visitor downloads (assistant/transcript.py), pinned by exact output."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from assistant import transcript

DATE = dt.date(2026, 11, 26)
SOURCE = ("Granville Physiotherapy, \u201cDo You Know How Massage Therapy Can Help Reduce The "
          "Symptoms Of Restless Leg Syndrome?\u201d \\(2025-03-27\\)")
BREAK = "  "  # a hard line break in Markdown
REFERRAL = ("For advice about your own symptoms, please contact the team at Granville "
            "Physiotherapy in Edmonton.")


def conversation(engine, *questions: str) -> list[dict]:
    history: list[str] = []
    records = []
    for question in questions:
        records.append(engine.ask(question, history).as_record())
        history.append(question)
    return records


def test_a_conversation_file_holds_questions_quotes_sources_referral_and_date(engine):
    records = conversation(engine, "What is Swedish massage?", "How much does a massage cost?")
    assert transcript.markdown(records, engine.knowledge.clinic, DATE) == f"""\
# Your questions to Granville Physiotherapy's website assistant

26 November 2026

Every answer below quotes Granville Physiotherapy's articles and names where it came from. \
General information, not medical advice. In an emergency, call 911.

---

**You asked:** What is Swedish massage?

**Swedish massage** · Effective Massage Techniques for Restless Leg Syndrome
> A gentler approach, Swedish massage focuses on long, flowing strokes that promote relaxation \
and enhance circulation. It is an excellent option for individuals who experience mild RLS \
symptoms or prefer a lighter touch. [1]

\\[1\\] Swedish massage · Effective Massage Techniques for Restless Leg Syndrome{BREAK}
Source: {SOURCE}

---

**You asked:** How much does a massage cost?

For prices or insurance, please contact Granville Physiotherapy in Edmonton directly.

---

## Contact Granville Physiotherapy

{REFERRAL}
"""


def test_an_urgent_turn_keeps_its_alert_word_for_word_and_nothing_else(engine):
    [record] = conversation(engine, "my calf is swollen and red")
    assert record["status"] == "urgent"
    text = transcript.markdown([record], engine.knowledge.clinic, DATE)
    turn = text.split("---\n\n")[1]
    assert turn == f"**You asked:** my calf is swollen and red\n\n{record['body']}\n\n"
    assert "911" in record["body"] and "massage" not in turn.casefold()


def test_a_support_line_comes_before_the_reply(engine):
    [record] = conversation(engine, "I feel hopeless about my legs")
    assert record["support"]
    turn = transcript.markdown([record], engine.knowledge.clinic, DATE).split("---\n\n")[1]
    support = turn.index(record["support"].split(".")[0])
    assert support < turn.index(record["body"])


def test_a_list_answer_keeps_every_item_and_names_each_source_once(engine):
    [record] = conversation(engine, "Which massage techniques help RLS?")
    items = [item["text"] for item in record["citations"][0]["items"]]
    text = transcript.markdown([record], engine.knowledge.clinic, DATE)
    assert len(items) >= 2 and all(text.count(item) == 1 for item in items)
    assert text.count(SOURCE) == 1


@pytest.mark.parametrize(("typed", "written"), [
    ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\</script\\>"),
    ("[click](javascript:alert(1))", "\\[click\\]\\(javascript:alert\\(1\\)\\)"),
    ("![x](https://e.example/p.png)", "\\!\\[x\\]\\(h\u200bttps://e.example/p.png\\)"),
    ("# big\n- item\n1. one", "\\# big  \n\\- item  \n1\\. one"),
    ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
    ("see www.example.org", "see w\u200bww.example.org"),
])
def test_visitor_words_never_become_markup_in_the_file(engine, typed, written):
    record = dict(conversation(engine, "What is Swedish massage?")[0], question=typed)
    text = transcript.markdown([record], engine.knowledge.clinic, DATE)
    assert f"**You asked:** {written}\n\n" in text


def test_the_referral_lists_the_clinics_contact_details_as_plain_text(engine):
    clinic = replace(engine.knowledge.clinic, booking_url="https://example.org/book",
                     phone="780 555-0100", address="1 Main St [x](https://e.example)")
    text = transcript.markdown([], clinic, DATE)
    contact = text.split("## Contact Granville Physiotherapy\n\n")[1]
    assert contact == (f"{REFERRAL} Book online: h\u200bttps://example.org/book. "
                       "Phone: 780 555-0100. Address: 1 Main St \\[x\\]"
                       "\\(h\u200bttps://e.example\\).\n")


def test_source_lines_number_each_quote_and_name_each_source_once(engine):
    [record] = conversation(engine, "What is Swedish massage?")
    two = dict(record, citations=record["citations"] * 2)
    assert transcript.source_lines(two) == [
        "\\[1\\] Swedish massage · Effective Massage Techniques for Restless Leg Syndrome",
        "\\[2\\] Swedish massage · Effective Massage Techniques for Restless Leg Syndrome",
        f"Source: {SOURCE}"]
    assert transcript.source_lines(conversation(engine, "hello")[0]) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("Granville Physiotherapy", "granville-physiotherapy-conversation-2026-11-26.md"),
    ("St. Albert's Clinic & Spa", "st-albert-s-clinic-spa-conversation-2026-11-26.md"),
    ("../..", "clinic-conversation-2026-11-26.md"),
])
def test_the_file_name_is_safe_and_dated(engine, name, expected):
    clinic = replace(engine.knowledge.clinic, name=name)
    assert transcript.file_name(clinic, DATE) == expected
    assert re.fullmatch(r"[a-z0-9-]+\.md", transcript.file_name(clinic, DATE))


def test_dates_are_written_the_same_in_every_locale():
    assert [transcript.long_date(dt.date(2027, m, 1)) for m in (1, 12)] == [
        "1 January 2027", "1 December 2027"]
