"""Every alternate question of the shipped knowledge gets a whole answer: each quote complete
(no introduction without its list, no "This technique..." without the technique named, no
quote twice), the quotes most of the body, and the reply under a length a phone can show."""

from __future__ import annotations

import re

import pytest

from assistant.compose import plain
from assistant.knowledge import load_knowledge
from tests.helpers import SHIPPED_KNOWLEDGE

# The longest reply today is the six ways massage helps, about 1,260 characters.
MAX_REPLY_CHARS = 1_500
PRONOUN_START = re.compile(r"^(This|These|That|Those|It|Its|They|Their)\b")
QUESTIONS = [(p.id, q) for p in load_knowledge(SHIPPED_KNOWLEDGE).passages
             for q in p.questions]


@pytest.mark.parametrize("passage_id, question", QUESTIONS)
def test_every_alternate_question_gets_a_whole_answer(engine, passage_id, question):
    answer = engine.ask(question)
    assert answer.status == "answered"
    snippets = [c.snippet for c in answer.citations]
    assert len(set(snippets)) == len(snippets)
    for citation in answer.citations:
        assert not citation.snippet.rstrip().endswith(":")
        if PRONOUN_START.match(citation.snippet):
            named = answer.answer.index(plain(citation.title))
            assert named < answer.answer.index(plain(citation.snippet.splitlines()[0]))
    assert len(answer.answer) <= MAX_REPLY_CHARS
    # The body is the quotes under their bold titles and sections; a one-line quote under a
    # long section name is the tightest case (48%).
    assert sum(len(s) for s in snippets) >= 0.45 * len(answer.body)
