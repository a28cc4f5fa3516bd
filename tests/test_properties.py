"""Property-based: ask() never raises on arbitrary text and always returns a well-formed reply."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.compose import STATUSES, plain
from assistant.knowledge import fold

WORDY = st.lists(st.sampled_from(["massage", "legs", "RLS", "cramps", "pain", "chest", "suicide",
                                  "hi", "cost", "<b>", "[x](javascript:1)", "é", "🦵", "\x00",
                                  "and", "what", "?", "\n"]), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=3000), WORDY),
       history=st.lists(st.one_of(st.text(max_size=200), WORDY), max_size=3))
def test_ask_never_raises_and_returns_a_well_formed_answer(engine, text, history):
    answer = engine.ask(text, history)
    assert answer.status in STATUSES
    assert len(answer.question) <= 2000
    if answer.status == "urgent":
        assert (answer.answer, answer.referral, answer.citations) == (answer.body, "", ())
        return
    if answer.status == "smalltalk":
        assert answer.referral == "" and answer.citations == ()
        return
    assert answer.referral and plain(answer.referral) in answer.answer
    # Nothing the visitor typed comes back in the reply.
    assert "[x](javascript" not in answer.answer and "<b>" not in answer.answer
    if answer.status == "answered":
        assert 1 <= len(answer.citations) <= 3
        article = fold("\n".join(engine.knowledge.source_texts.values()))
        for citation in answer.citations:
            # Every quoted line is the article's own words.
            for line in citation.snippet.splitlines():
                assert fold(line) in article
    else:
        assert answer.citations == ()
