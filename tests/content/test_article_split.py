"""The clinic's own article through the import's splitter: its page clutter is found, and every
draft it would make quotes it word for word (a check that the splitter copes with a real page)."""

from __future__ import annotations

from assistant import articles
from assistant.articles import Junk
from assistant.knowledge import fold
from tests.helpers import SHIPPED_KNOWLEDGE

ARTICLE = SHIPPED_KNOWLEDGE / "sources" / "rls-massage-article.txt"


def test_the_shipped_articles_clutter_and_teaser_titles_are_found_and_nothing_else():
    text = ARTICLE.read_text()
    found = articles.junk(text)
    assert [j.line for j in found] == [1, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 104]
    assert found[3] == Junk(9, "5 Tips For Your Commercial Building\u2019s Roof Maintenance "
                               "Schedule", "the title of a teaser of another page")


def test_every_draft_of_the_shipped_article_quotes_it_and_has_2_to_4_questions():
    raw = ARTICLE.read_text()
    text = articles.cleaned(raw, {j.line for j in articles.junk(raw)})
    found = articles.drafts(text, "Do You Know How Massage Therapy Can Help Reduce The "
                                  "Symptoms Of Restless Leg Syndrome?")
    source = fold(text)
    assert len(found) == 18
    for draft in found:
        assert all(fold(line) in source for line in draft.text.splitlines()), draft
        assert 2 <= len(draft.questions) <= 4, draft
    by_title = {d.title: d for d in found}
    assert by_title["Helps Reduce Leg Cramps"].section == \
        "How Massage Therapy Can Help Relieve Restless Leg Syndrome"
    assert by_title["Helps Reduce Leg Cramps"].questions[0] == \
        "How does it help reduce leg cramps?"
    symptoms = by_title["How Restless Leg Syndrome Affects the Body"]
    assert symptoms.text.splitlines()[0].endswith("common symptoms include:")
    assert len(symptoms.text.splitlines()) == 6  # the introduction and its 5 items
    assert symptoms.questions[:2] == ("How restless leg syndrome affects the body?",
                                      "What is RLS?")
