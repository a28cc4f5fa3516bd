"""Clinic facts: which one answers a question, the reply that shows it, and the refusal of a
fact that says anything about health."""

from __future__ import annotations

import pytest

from assistant.compose import Plan, compose
from assistant.errors import KnowledgeInvalid, describe
from assistant.facts import FactFinder
from assistant.knowledge import Fact, load_knowledge
from assistant.knowledge.health import CONDITION, SYMPTOM, TREATMENT, HealthWord, health_words
from assistant.retrieval import tokenizer_for

PARKING = Fact("parking", "Parking", ("Where can I park?", "is there a place to leave my car"),
               "Free parking behind the building, off 112 Street.", "2025-11-20")
HOURS = Fact("hours", "Opening hours", ("When are you open?", "What are your hours?"),
             "Monday to Friday, 8 am to 6 pm.", "2025-10-01")


@pytest.fixture(scope="module")
def finder(knowledge) -> FactFinder:
    return FactFinder((PARKING, HOURS), tokenizer_for(knowledge))


@pytest.mark.parametrize("question, strict, expected", [
    ("is there parking?", False, "parking"),
    ("Is there parking?", True, "parking"),          # its one word is all in a fact
    ("where do I leave my car", True, "parking"),
    ("when are you open", False, "hours"),
    ("what time do you open", False, "hours"),      # "time" says little: "open" is most
    ("what time do you open", True, None),          # ... but not enough for a strict match
    ("are you open saturdays", False, None),        # "saturdays" is not in the fact
    ("what is the wifi password", False, None),
    ("does massage help my legs at night", False, None),
    ("", False, None),
])
def test_the_best_fact_or_none(finder, question, strict, expected):
    found = finder.find(question, strict=strict)
    assert (found.id if found else None) == expected


def test_a_tie_goes_to_the_first_fact(knowledge):
    twin = Fact("parking-2", "Parking", PARKING.questions, PARKING.answer, PARKING.checked)
    assert FactFinder((PARKING, twin), tokenizer_for(knowledge)).find("parking").id == "parking"


@pytest.mark.parametrize("name, value", [("threshold", 0), ("strict_threshold", 1.5)])
def test_thresholds_are_checked(knowledge, name, value):
    with pytest.raises(ValueError, match=f"{name} must be above 0 and at most 1, got {value}"):
        FactFinder((), tokenizer_for(knowledge), **{name: value})


# --- the engine: a clinic question, or one nothing answers, gets the fact ----------------------

def test_a_clinic_question_gets_the_fact_under_from_the_clinic_then_the_referral(engine):
    answer = engine.ask("Do you direct bill insurance?")
    assert answer.status == "clinic"
    assert answer.fact == {"id": "direct-billing", "checked": "2025-11-20",
                           "answer": "We bill most extended health benefit plans directly; "
                                     "bring your plan card to your first visit."}
    assert answer.body == (
        "**From the clinic**\n\n"
        "We bill most extended health benefit plans directly; bring your plan card to your "
        "first visit.\n\n"
        "_Last checked November 20, 2025._\n\n"
        "For prices or insurance, please contact Granville Physiotherapy in Edmonton directly.")
    assert answer.answer.endswith(answer.referral)


def test_an_unanswered_question_worded_like_a_fact_gets_it(engine):
    answer = engine.ask("can you bill my benefits plan directly")
    assert (answer.status, answer.reason, answer.fact["id"]) == \
        ("clinic", "clinic fact", "direct-billing")
    assert "please contact Granville Physiotherapy in Edmonton directly" not in answer.body


@pytest.mark.parametrize("question, status", [
    ("How much is a massage?", "clinic"),           # a clinic topic with no fact for it
    ("What is the wifi password?", "no_match"),     # nothing answers it, no fact is like it
    ("Should I take magnesium for my plan?", "no_match"),  # not covered: never a fact
])
def test_no_fact_without_a_close_one(engine, question, status):
    answer = engine.ask(question)
    assert (answer.status, answer.fact) == (status, None)


def test_an_urgent_message_never_gets_a_fact(engine):
    answer = engine.ask("my calf is swollen and red, do you direct bill insurance?")
    assert answer.status == "urgent" and answer.fact is None


def test_the_fact_text_is_escaped_in_the_reply():
    fact = Fact("x", "X", ("q?",), "See [our map](https://evil.example) *now*", "2025-01-02")
    answer = compose("q", Plan("clinic", fact=fact), clinic=_clinic(), sources={})
    assert "\\[our map\\]\\(h\u200bttps://evil.example\\) \\*now\\*" in answer.body
    assert "_Last checked January 2, 2025._" in answer.body


def _clinic():
    from assistant.knowledge import Clinic

    return Clinic("Granville Physiotherapy", "Edmonton", "Please contact us.")


# --- no health claims ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("Free parking behind the building.", []),
    ("We direct bill most insurance plans for massage therapy sessions.", []),
    ("Massage eases cramps", [HealthWord("cramps", SYMPTOM)]),
    ("Our therapists treat restless-leg syndrome",
     [HealthWord("treat", TREATMENT), HealthWord("restless-leg", CONDITION),
      HealthWord("syndrome", CONDITION)]),
    ("Good for pins and needles", [HealthWord("pins and needles", SYMPTOM)]),
    ("Relief from RLS", [HealthWord("Relief", TREATMENT), HealthWord("RLS", CONDITION)]),
])
def test_health_words(text, found):
    assert health_words(text) == found


ADVICE = ("A clinic fact is only about the clinic itself (hours, parking, prices, billing, "
          "access): everything about health must come from an article. Take \u201c{w}\u201d "
          "out, or add it as a passage of an article instead")


@pytest.mark.parametrize("fact, line, key, word, kind", [
    ("    questions: [Are you open in the evening?]\n"
     "    answer: Evening massage relieves night-time cramps.\n", 5, "answer", "relieves",
     "a treatment"),
    ("    questions:\n      - When are you open?\n      - Can I come in when my legs ache?\n"
     "    answer: Monday to Friday, 8 to 6.\n", 6, "questions", "legs", "a part of the body"),
])
def test_a_fact_about_health_is_refused_at_its_line_saying_what_to_do(kb_copy, fact, line, key,
                                                                      word, kind):
    (kb_copy / "facts.yaml").write_text("facts:\n  - id: evening\n    title: Evenings\n" + fact +
                                        "    checked: 2025-11-20\n")
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    [error] = caught.value.errors
    assert (error.file, error.line, error.entry_id, error.key) == \
        ("facts.yaml", line, "evening", key)
    assert describe(error).removeprefix(f"{kb_copy}/") == (
        f"facts.yaml, line {line}: clinic fact 'evening': key '{key}': mentions \u201c{word}"
        f"\u201d, {kind}. " + ADVICE.format(w=word))
