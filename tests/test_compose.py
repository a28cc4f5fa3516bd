"""compose() is pure: fixed inputs give exactly this markdown and these fields."""

from __future__ import annotations

import pytest

from assistant.compose import DISCLAIMER, NO_MATCH, Quote, compose, quote_block, referral
from assistant.knowledge import Clinic, Passage, Source

CLINIC = Clinic(name="Granville Physiotherapy", city="Edmonton",
                referral="Please contact Granville Physiotherapy in Edmonton.")
SOURCE = Source(id="article", title="Massage and RLS", publisher="Granville Physiotherapy",
                published="2025-03-27", file="sources/a.txt")
PASSAGE = Passage(id="swedish-massage", section="Techniques", title="Swedish massage",
                  text="A gentler approach.", questions=("a?", "b?"), keywords=(),
                  source="article")


def test_answered_reply_quotes_with_markers_sources_referral_and_note():
    answer = compose("what is swedish massage?", "answered", clinic=CLINIC,
                     sources={"article": SOURCE},
                     quotes=[Quote(PASSAGE, "A gentler approach.", 3.25)])
    assert answer.answer == (
        "Here is what Granville Physiotherapy's article says:\n\n"
        "> A gentler approach. [1]\n\n"
        "**Sources**\n\n"
        "1. Swedish massage (Techniques). Granville Physiotherapy, \u201cMassage and RLS\u201d "
        "(2025-03-27)\n\n"
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
    }


def test_urgent_is_the_alert_alone():
    answer = compose("chest pain", "urgent", clinic=CLINIC, sources={}, message="Call 911.",
                     notice="Cut to 2,000.", support="Call 988.")
    assert (answer.answer, answer.body, answer.referral) == ("Call 911.", "Call 911.", "")
    assert answer.to_dict()["support"] is None


def test_a_support_line_comes_first():
    answer = compose("x", "no_match", clinic=CLINIC, sources={}, notice="Cut to 2,000.",
                     support="You can call 988.")
    assert answer.answer.startswith("You can call 988.\n\n_Cut to 2,000._\n\n")
    assert answer.to_dict()["support"] == "You can call 988."


def test_no_match_says_so_and_still_refers():
    answer = compose("how much?", "no_match", clinic=CLINIC, sources={})
    assert answer.body == NO_MATCH
    assert answer.citations == ()
    assert answer.answer.endswith(f"Please contact Granville Physiotherapy in Edmonton.\n\n"
                                  f"_{DISCLAIMER}_")


def test_notice_comes_first():
    answer = compose("x", "no_match", clinic=CLINIC, sources={}, notice="Cut to 2,000.")
    assert answer.answer.startswith("_Cut to 2,000._\n\n")


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


def test_list_snippet_is_quoted_line_by_line():
    assert quote_block("Consider:\n- One.\n- Two.", 2) == "> Consider:\n> - One.\n> - Two. [2]"


@pytest.mark.parametrize("status, quotes", [("answered", []), ("no_match", ["q"]),
                                            ("maybe", [])])
def test_inconsistent_status_is_refused(status, quotes):
    quoted = [Quote(PASSAGE, "A gentler approach.", 1.0) for _ in quotes]
    with pytest.raises(ValueError):
        compose("q", status, clinic=CLINIC, sources={"article": SOURCE}, quotes=quoted)
