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


# --- The round-trip writer -------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("ab :#-'\"[]{}|>&*!%@`,?\n\t é–“")), max_size=40)


def _stripped(value):
    """Data as the schema reads it: a block text's final line break does not count."""
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    return value.rstrip("\n") if isinstance(value, str) else value


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_round_trip_writer_writes_any_edit_of_a_file_as_its_data(data):
    import yaml

    from assistant.editing.yamltext import patch
    from assistant.knowledge import parse, plain
    from tests.helpers import KNOWLEDGE

    text = (KNOWLEDGE / "passages.yaml").read_text(encoding="utf-8")
    passages = plain(parse(text, "passages.yaml"))["passages"]
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(passages) - 1))
        action = data.draw(st.sampled_from(["scalar", "append", "remove", "delete", "add", "key"]))
        entry = passages[index]
        if action == "scalar":
            entry[data.draw(st.sampled_from(["title", "section", "text", "id"]))] = data.draw(TEXT)
        elif action == "append":
            entry["questions"].append(data.draw(TEXT))
        elif action == "remove" and len(entry["questions"]) > 1:
            entry["questions"].pop(data.draw(st.integers(0, len(entry["questions"]) - 1)))
        elif action == "delete" and len(passages) > 1:
            passages.pop(index)
        elif action == "add":
            passages.insert(index, {"id": data.draw(TEXT), "title": data.draw(TEXT),
                                    "questions": [data.draw(TEXT)]})
        elif action == "key":
            entry.pop("keywords", None) if data.draw(st.booleans()) else \
                entry.update(keywords=data.draw(st.lists(TEXT, max_size=3)))
    new = {"passages": passages}
    written = patch(text, new)
    read = yaml.load(written, Loader=yaml.CSafeLoader)
    assert _stripped(read) == _stripped(new)
    assert patch(written, read) == written
