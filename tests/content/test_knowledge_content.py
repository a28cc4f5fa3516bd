"""The shipped knowledge base itself: every statement of the article in exactly one passage,
none of the page's navigation junk, no invented contact details, and the chat's suggested
questions all answered."""

from __future__ import annotations

import re

import pytest

from assistant.knowledge import fold
from ui.conversation import SUGGESTIONS, suggestions

BODY_START = "Restless leg syndrome (RLS) can be"
BODY_END = "Latest stories"


def _body(article: str) -> str:
    return article[article.index(BODY_START): article.index(BODY_END)]


def _is_heading(line: str) -> bool:
    words = re.sub(r"^\d+\.\s*", "", line).rstrip(":").split()
    capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
    return not line.endswith(".") and capitalised >= 0.6 * len(words)


def statements(article: str) -> list[str]:
    """The article body's sentences, headings left out."""
    out = []
    for line in _body(article).splitlines():
        line = re.sub(r"^\s*[\u2022-]\s*", "", line).strip()
        if not line or _is_heading(line):
            continue
        out.extend(s for s in re.split(r"(?<=[.:])\s+(?=[A-Z])", line) if s.strip())
    return out


def test_statement_splitting_sees_the_whole_body(knowledge):
    found = statements(knowledge.source_texts["rls-massage-article"])
    assert len(found) > 50
    assert "Effective Massage Techniques for Restless Leg Syndrome" not in found


def test_every_statement_is_in_exactly_one_passage(knowledge):
    texts = {p.id: fold(p.text) for p in knowledge.passages}
    for statement in statements(knowledge.source_texts["rls-massage-article"]):
        holders = [pid for pid, text in texts.items() if fold(statement) in text]
        assert len(holders) == 1, (statement, holders)


@pytest.mark.parametrize("junk", ["roof", "SEO", "Quality Control", "Videos", "Related stories",
                                  "Latest stories", "pharmaceuticals"])
def test_navigation_junk_is_left_out(knowledge, junk):
    for passage in knowledge.passages:
        assert junk.lower() not in passage.text.lower(), passage.id


def test_contact_details_are_not_invented(knowledge):
    clinic = knowledge.clinic
    assert (clinic.name, clinic.city) == ("Granville Physiotherapy", "Edmonton")
    assert (clinic.booking_url, clinic.phone, clinic.address) == ("", "", "")


def test_every_passage_cites_the_dated_source(knowledge):
    source = knowledge.sources["rls-massage-article"]
    assert source.published == "2025-03-27"
    assert {p.source for p in knowledge.passages} == {"rls-massage-article"}


def test_every_suggested_question_is_answered_by_the_shipped_article(engine):
    assert 4 <= len(SUGGESTIONS) <= 6
    assert suggestions(engine) == list(SUGGESTIONS)
