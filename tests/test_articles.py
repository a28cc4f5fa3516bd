"""A new article: page clutter found, the text cleaned and split into draft passages, exactly."""

from __future__ import annotations

import pytest

from assistant import articles
from assistant.articles import Draft
from tests.helpers import FIXTURES

FIRST_VISIT = FIXTURES / "articles" / "first-visit.txt"
TITLE = "What To Expect At Your First Massage Therapy Visit"


def test_page_clutter_is_found_with_a_reason():
    assert [(j.line, j.reason) for j in articles.junk(FIRST_VISIT.read_text())] == [
        (1, "a menu (links side by side)"),
        (2, "a menu or navigation link"),
        (3, "a menu or navigation link"),
        (4, "an author or date line"),
        (8, "a share button"),
        (9, "a share button"),
        (35, "a menu or navigation link"),
        (36, "a teaser of another page (it ends with ...)"),
        (37, "a cookie or privacy notice"),
        (38, "a copyright line"),
        (39, "a cookie or privacy notice"),
    ]


@pytest.mark.parametrize("line", [
    "Massage therapy in Edmonton promotes relaxation.",
    "How Massage Therapy Can Help Relieve Restless Leg Syndrome",
    "  \u2022 Frequent leg discomfort or cramping.",
    "Ask for an extra pillow or blanket if you need one.",
])
def test_article_lines_are_not_clutter(line):
    assert articles.junk(line) == []


def test_cleaned_text_drops_the_confirmed_lines_and_extra_blank_lines():
    text = "Menu\r\n\r\n\r\nFirst paragraph.   \n\nShare\n\n\nSecond.\n\n"
    assert articles.cleaned(text, {1, 6}) == "First paragraph.\n\nSecond.\n"
    assert articles.cleaned(text) == "Menu\n\nFirst paragraph.\n\nShare\n\nSecond.\n"


def test_the_article_is_split_along_headings_paragraphs_and_lists():
    raw = FIRST_VISIT.read_text()
    text = articles.cleaned(raw, {j.line for j in articles.junk(raw)})
    assert articles.drafts(text, TITLE) == [
        Draft("Introduction", "A first massage therapy visit can feel unfamiliar",
              "A first massage therapy visit can feel unfamiliar. Knowing what happens before, "
              "during and after the session helps many people relax and get more from their "
              "time on the table.",
              ("What should I know about a first massage therapy visit?",
               "What does the article say about a first massage therapy visit can feel "
               "unfamiliar?")),
        Draft("Before Your Session", "Before Your Session",
              "Your therapist will ask about your health history and what brings you in. "
              "Arrive a few minutes early so there is time to talk without rushing.",
              ("What happens before your session?",
               "Can you tell me more about before your session?")),
        Draft("What To Wear", "What To Wear",
              "Wear loose, comfortable clothing. You undress only to your level of comfort, "
              "and a sheet or towel covers you at all times except for the area being worked "
              "on.",
              ("What to wear?", "Can you tell me more about what to wear?")),
        Draft("During The Massage", "During The Massage",
              "Tell your therapist at any time if the pressure is too firm or too light. You "
              "can ask to stop whenever you like.",
              ("What happens during the massage?",
               "Can you tell me more about during the massage?")),
        Draft("During The Massage", "A few things can make the session more comfortable",
              "A few things can make the session more comfortable:\n"
              "- Breathe slowly and let your shoulders drop.\n"
              "- Mention any area you would like the therapist to avoid.\n"
              "- Ask for an extra pillow or blanket if you need one.",
              ("What happens during the massage?", "What should I know about a few things?",
               "What does the article say about a few things can make the session more "
               "comfortable?")),
        Draft("After Your Session", "After Your Session",
              "Drink a glass of water and take a few minutes before you get up. Many people "
              "feel relaxed and a little sleepy afterwards, so plan a quiet evening if you "
              "can.",
              ("What happens after your session?",
               "Can you tell me more about after your session?")),
    ]


def test_a_wrapped_paragraph_is_one_line_and_a_markdown_heading_is_a_heading():
    text = "## Warm Up\n\nStart with a short\nwalk around the block.\n\n### Stretch\n\nHold " \
           "each stretch for thirty seconds without bouncing.\n"
    assert articles.drafts(text) == [
        Draft("Warm Up", "Warm Up", "Start with a short walk around the block.",
              ("What is warm up?", "Can you tell me more about warm up?")),
        Draft("Warm Up", "Stretch", "Hold each stretch for thirty seconds without bouncing.",
              ("What is stretch?", "Can you tell me more about stretch?")),
    ]


def test_a_short_paragraph_is_joined_to_the_next():
    text = "Heading\n\nShort one.\n\nA longer paragraph that says enough to stand on its own.\n"
    [draft] = articles.drafts(text)
    assert draft.text == "Short one.\nA longer paragraph that says enough to stand on its own."


@pytest.mark.parametrize("text, expected", [
    ("Before Your Session", "before-your-session"),
    ("What To Expect At Your First Massage Therapy Visit", "expect-first-massage-therapy-visit"),
    ("Caf\u00e9 & Spa: 10 Tips!", "cafe-spa-10-tips"),
    ("\u00bf?", "article"),
])
def test_slug(text, expected):
    assert articles.slug(text) == expected


def test_unique():
    assert articles.unique("wear", set()) == "wear"
    assert articles.unique("wear", {"wear", "wear-2"}) == "wear-3"
