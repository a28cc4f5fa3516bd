"""compose() is pure: a plan in, exactly this markdown and these fields out."""

from __future__ import annotations

import pytest

from assistant.compose import (
    DISCLAIMER,
    NO_MATCH,
    Plan,
    Quote,
    compose,
    item_line,
    plain,
    plain_message,
    referral,
)
from assistant.knowledge import Clinic, Passage, Source
from assistant.retrieval import Item, Unit

CLINIC = Clinic(name="Granville Physiotherapy", city="Edmonton",
                referral="Please contact Granville Physiotherapy in Edmonton.")
SOURCE = Source(id="article", title="Massage and RLS", publisher="Granville Physiotherapy",
                published="2025-03-27", file="sources/a.txt")
SOURCES = {"article": SOURCE}
PASSAGE = Passage(id="swedish-massage", section="Techniques", title="Swedish massage",
                  text="A gentler approach.", questions=("a?", "b?"), keywords=(),
                  source="article")
LIST = Passage(id="techniques", section="Techniques", title="Techniques", text="",
               questions=("a?", "b?"), keywords=(), source="article",
               items=("deep", "swedish-massage"))
QUOTE = Quote(PASSAGE, Unit("swedish-massage", "A gentler approach."), 3.25)
SOURCE_LINE = "Source: Granville Physiotherapy, \u201cMassage and RLS\u201d \\(2025-03-27\\)"


def test_answered_reply_is_the_titled_quote_one_source_line_referral_and_note():
    answer = compose("what is swedish massage?", Plan("answered", quotes=(QUOTE,)),
                     clinic=CLINIC, sources=SOURCES)
    assert answer.answer == (
        "**Swedish massage** \u00b7 Techniques\n"
        "> A gentler approach. [1]\n\n"
        f"{SOURCE_LINE}\n\n"
        "Please contact Granville Physiotherapy in Edmonton.\n\n"
        f"_{DISCLAIMER}_")
    assert answer.to_dict() == {
        "question": "what is swedish massage?",
        "status": "answered",
        "answer": answer.answer,
        "citations": [{"id": "swedish-massage", "title": "Swedish massage",
                       "source":
                           "Granville Physiotherapy, \u201cMassage and RLS\u201d (2025-03-27)",
                       "snippet": "A gentler approach.", "score": 3.25}],
        "referral": "Please contact Granville Physiotherapy in Edmonton.",
        "support": None,
        "related": [],
        "fact": None,
    }


def test_the_source_is_named_once_for_several_quotes():
    other = Quote(PASSAGE.__class__(**{**PASSAGE.__dict__, "id": "other", "title": "Other"}),
                  Unit("other", "Another sentence."), 1.0)
    answer = compose("q", Plan("answered", quotes=(QUOTE, other)), clinic=CLINIC,
                     sources=SOURCES)
    assert answer.answer.count("Source:") == 1
    assert "[1]" in answer.answer and "[2]" in answer.answer


def test_a_list_shows_its_items_titled_unless_the_sentence_names_itself():
    unit = Unit("techniques", "", items=(
        Item("deep", "Deep tissue massage", "This technique applies firm pressure."),
        Item("swedish-massage", "Swedish massage", "A gentler approach, Swedish massage.")))
    answer = compose("which techniques?", Plan("answered", quotes=(Quote(LIST, unit, 1.0),)),
                     clinic=CLINIC, sources=SOURCES)
    assert answer.body == (
        "**Techniques** \u00b7 Techniques\n"
        "> - **Deep tissue massage**: This technique applies firm pressure.\n"
        "> - A gentler approach, Swedish massage. [1]")
    assert answer.citations[0].snippet == (
        "- This technique applies firm pressure.\n- A gentler approach, Swedish massage.")


def test_not_covered_and_clinic_topics_are_named_after_the_answer():
    plan = Plan("answered", quotes=(QUOTE,), not_covered=("what causes it",),
                clinic=("prices or insurance",))
    body = compose("q", plan, clinic=CLINIC, sources=SOURCES).body
    assert body.endswith("The article doesn't cover what causes it.\n\n"
                         "The article doesn't cover prices or insurance; please ask the clinic.")


def test_a_clinic_reply_names_the_topics_and_the_clinic():
    answer = compose("how much?", Plan("clinic", clinic=("booking", "prices or insurance")),
                     clinic=CLINIC, sources={})
    assert answer.body == ("For booking or prices or insurance, please contact Granville "
                           "Physiotherapy in Edmonton directly.")
    assert answer.referral and not answer.disclaimer and answer.citations == ()


def test_no_match_says_so_and_still_refers():
    answer = compose("how much?", Plan("no_match"), clinic=CLINIC, sources={})
    assert answer.body == NO_MATCH
    assert answer.citations == ()
    assert answer.answer.endswith("Please contact Granville Physiotherapy in Edmonton.\n\n"
                                  f"_{DISCLAIMER}_")


def test_no_match_names_what_is_not_covered():
    answer = compose("q", Plan("no_match", not_covered=("what causes it",)), clinic=CLINIC,
                     sources={})
    assert answer.body == ("I'm sorry, the clinic's articles don't cover what causes it, so "
                           "I can't answer it here.")


def test_small_talk_has_no_referral():
    answer = compose("hi", Plan("smalltalk", message="Hello!"), clinic=CLINIC, sources={})
    assert (answer.body, answer.referral, answer.disclaimer) == ("Hello\\!", "", "")


def test_urgent_is_the_alert_alone():
    plan = Plan("urgent", message="Call 911 now.\n- Do not drive.", notice="Cut to 2,000.",
                support="Call 988.")
    answer = compose("chest pain", plan, clinic=CLINIC, sources={})
    assert answer.answer == answer.body == "**Call 911 now.**\n- Do not drive."
    assert (answer.referral, answer.support, answer.notice) == ("", "", "")
    assert answer.to_dict()["support"] is None


def test_a_support_line_comes_first_then_the_notice():
    plan = Plan("no_match", notice="Cut to 2,000.", support="You can call 988.")
    answer = compose("x", plan, clinic=CLINIC, sources={})
    assert answer.answer.startswith("You can call **988**.\n\n_Cut to 2,000._\n\n")
    assert answer.to_dict()["support"] == "You can call 988."


@pytest.mark.parametrize("text, shown", [
    ("[click](https://evil.example)", "\\[click\\]\\(h\u200bttps://evil.example\\)"),
    ("![x](http://t.example/p.png)", "\\!\\[x\\]\\(h\u200bttp://t.example/p.png\\)"),
    ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\</script\\>"),
    ("www.evil.example", "w\u200bww.evil.example"),
    ("- not a list\n1. not a list", "\\- not a list\n1\\. not a list"),
    ("**not bold** _not italic_", "\\*\\*not bold\\*\\* \\_not italic\\_"),
    ("mail me: a@b.example", "mail me: a\\@b.example"),
])
def test_staff_text_is_escaped_so_nothing_becomes_markup_or_a_link(text, shown):
    assert plain(text) == shown


def test_staff_text_in_a_title_is_escaped_in_the_reply():
    passage = Passage(**{**PASSAGE.__dict__, "title": "[Book](https://evil.example)"})
    answer = compose("q", Plan("answered", quotes=(Quote(passage, QUOTE.unit, 1.0),)),
                     clinic=CLINIC, sources=SOURCES)
    assert "](" not in answer.answer.replace("\\](", "")


def test_a_message_keeps_its_list_and_bolds_the_emergency_numbers():
    assert plain_message("Call now.\n- Call 911 or 811 (Alberta).", headline=True) == \
        "**Call now.**\n- Call **911** or **811** \\(Alberta\\)."
    assert plain_message("Thanks! Call 988.") == "Thanks\\! Call **988**."


def test_item_line_labels_an_item_that_does_not_name_itself():
    assert item_line({"title": "Reflexology", "text": "It stimulates points."}) == \
        "- **Reflexology**: It stimulates points."
    assert item_line({"title": "Swedish massage", "text": "Swedish massage is gentle."}) == \
        "- Swedish massage is gentle."


@pytest.mark.parametrize("fields, expected", [
    ({}, "Please contact Granville Physiotherapy in Edmonton."),
    ({"phone": "780-555-0100"}, "Please contact Granville Physiotherapy in Edmonton. "
                                "Phone: 780-555-0100."),
    ({"booking_url": "https://example.org/book", "address": "1 Main St"},
     "Please contact Granville Physiotherapy in Edmonton. Book online: "
     "https://example.org/book. Address: 1 Main St."),
])
def test_referral_shows_only_filled_in_contact_details(fields, expected):
    clinic = Clinic(**{**CLINIC.__dict__, **fields})
    assert referral(clinic) == expected


@pytest.mark.parametrize("plan", [Plan("answered"), Plan("no_match", quotes=(QUOTE,)),
                                  Plan("maybe")])
def test_inconsistent_plans_are_refused(plan):
    with pytest.raises(ValueError):
        compose("q", plan, clinic=CLINIC, sources=SOURCES)
