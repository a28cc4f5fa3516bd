"""ui.staff on plain data: lockout, form values, entries, errors, drafts."""

from __future__ import annotations

import pytest

from assistant import editing
from assistant.errors import KnowledgeError
from assistant.knowledge import Field
from ui import staff

PASSAGES = staff.EDITOR_BY_SECTION["Passages"]
CLINIC = staff.EDITOR_BY_SECTION["Clinic details"]


@pytest.mark.parametrize(("failures", "seconds"), [
    (0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (50, 900),
])
def test_the_wait_grows_after_five_failures(failures, seconds):
    assert staff.wait_after(failures) == seconds


def test_attempts_lock_out_then_unlock_with_time():
    state: dict = {}
    answers = [staff.attempt_login(state, "nope", "secret", now=100.0) for _ in range(5)]
    assert answers == [
        "Wrong password. 4 more tries before a wait.",
        "Wrong password. 3 more tries before a wait.",
        "Wrong password. 2 more tries before a wait.",
        "Wrong password. 1 more try before a wait.",
        "Wrong password. Too many wrong passwords: please wait 30 seconds before trying again."]
    assert staff.attempt_login(state, "secret", "secret", now=110.0) == \
        "Too many wrong passwords. Please wait 20 seconds before trying again."
    assert not staff.signed_in(state)
    assert staff.attempt_login(state, "nope", "secret", now=130.0) == \
        "Wrong password. Too many wrong passwords: please wait 60 seconds before trying again."
    assert staff.seconds_locked(state, 130.0) == 60
    assert staff.attempt_login(state, "secret", "secret", now=190.0) is None
    assert staff.signed_in(state)
    assert state == {staff.SIGNED_IN: True, staff.FAILURES: 0}


def test_long_waits_are_said_in_minutes():
    state = {staff.FAILURES: 9}
    assert staff.attempt_login(state, "nope", "secret", now=0.0) == \
        "Wrong password. Too many wrong passwords: please wait 15 minutes before trying again."


def test_log_out_forgets_the_whole_session():
    state = {staff.SIGNED_IN: True, "draft:passages.yaml": {}, "turns": []}
    staff.log_out(state)
    assert state == {}


@pytest.mark.parametrize(("kind", "value", "text", "back"), [
    ("text list", ["a", "b c"], "a\nb c", ["a", "b c"]),
    ("text list", None, "", []),
    ("text", "Line one.\nLine two.\n", "Line one.\nLine two.", "Line one.\nLine two."),
    ("optional text", "", "", ""),
    ("url", None, "", ""),
])
def test_values_round_trip_through_the_form(kind, value, text, back):
    field = Field("x", kind)
    assert staff.widget_text(field, value) == text
    assert staff.knowledge_value(field, text) == back


@pytest.mark.parametrize(("kind", "typed", "expected"), [
    ("text list", "  first  \n\n second\n", ["first", "second"]),
    ("text", "  One.  \nTwo.   \n\n", "One.\nTwo."),
    ("slug", " swedish-massage ", "swedish-massage"),
    ("slug", None, ""),
    ("text list", None, []),
])
def test_typed_values_are_tidied(kind, typed, expected):
    assert staff.knowledge_value(Field("x", kind), typed) == expected


def test_entries_are_replaced_added_and_removed_in_a_copy():
    data = {"passages": [{"id": "a", "title": "A", "source": "s"}, {"id": "b", "title": "B"}]}
    assert staff.with_entry(PASSAGES, data, 0, {"title": "New A"}) == {
        "passages": [{"id": "a", "title": "New A", "source": "s"}, {"id": "b", "title": "B"}]}
    assert staff.with_entry(PASSAGES, data, None, {"id": "c"})["passages"][-1] == {"id": "c"}
    assert staff.without_entry(PASSAGES, data, 0) == {"passages": [{"id": "b", "title": "B"}]}
    assert data == {"passages": [{"id": "a", "title": "A", "source": "s"},
                                 {"id": "b", "title": "B"}]}
    clinic = {"clinic": {"name": "G", "phone": ""}}
    assert staff.with_entry(CLINIC, clinic, 0, {"phone": "780"}) == {
        "clinic": {"name": "G", "phone": "780"}}


@pytest.mark.parametrize(("editor", "position", "entry", "ref"), [
    (PASSAGES, 1, {"id": "b"}, {"entry_id": "b", "index": 2}),
    (PASSAGES, 2, {"id": "new-one"}, {"entry_id": "new-one", "index": 3}),
    (PASSAGES, 2, {"id": " "}, {"entry_id": None, "index": 3}),
    (CLINIC, 0, {}, {"entry_id": None, "index": None}),
])
def test_an_entry_is_referred_to_by_file_noun_id_and_position(editor, position, entry, ref):
    assert staff.entry_ref(editor, position, entry) == {
        "file": editor.file, "noun": editor.spec.noun, **ref}


def test_errors_are_sorted_to_their_field_or_shown_above_the_form():
    def error(file, entry_id, index, key, problem, noun="passage"):
        return staff.error_record(KnowledgeError(problem, file=file, folder="k", line=3,
                                                 noun=noun, entry_id=entry_id, index=index,
                                                 key=key))

    errors = [error("passages.yaml", "b", None, "text", "not a quote"),
              error("passages.yaml", None, 2, "questions", "needs at least 2 items"),
              error("passages.yaml", "a", None, "text", "other entry"),
              error("passages.yaml", "b", None, "source", "not editable here"),
              error("safety.yaml", "b", None, "text", "other file", noun="safety rule")]
    ref = staff.entry_ref(PASSAGES, 1, {"id": "b"})
    by_field, rest = staff.sort_errors(errors, ref, ["title", "text", "questions"])
    assert by_field == {"text": ["not a quote"], "questions": ["needs at least 2 items"]}
    assert rest == ["k/passages.yaml, line 3: passage 'a': key 'text': other entry",
                    "k/passages.yaml, line 3: passage 'b': key 'source': not editable here",
                    "k/safety.yaml, line 3: safety rule 'b': key 'text': other file"]
    assert staff.sort_errors(errors[:1], None, ["text"]) == ({}, [errors[0]["text"]])


def test_errors_about_a_file_of_one_entry_belong_to_it():
    error = staff.error_record(KnowledgeError("not a web address", file="clinic.yaml",
                                              noun="clinic settings", key="booking_url"))
    ref = staff.entry_ref(CLINIC, 0, {})
    assert staff.sort_errors([error], ref, ["booking_url"]) == (
        {"booking_url": ["not a web address"]}, [])


@pytest.mark.parametrize(("query", "found"), [
    ("", True), ("SWEDISH", True), ("gentle strokes", True), ("gentle roof", False),
])
def test_search_finds_every_word_anywhere_in_an_entry(query, found):
    entry = {"id": "swedish", "title": "Swedish massage", "questions": ["Is it gentle?"],
             "text": "long, flowing strokes"}
    assert staff.matches(entry, query) is found


def test_a_draft_is_opened_once_and_goes_out_of_date_when_someone_saves(kb_dir):
    state: dict = {}
    first = staff.draft(state, str(kb_dir), "clinic.yaml")
    assert staff.draft(state, str(kb_dir), "clinic.yaml") is first
    assert not staff.is_outdated(state, str(kb_dir), "clinic.yaml")
    data = {"clinic": {**first["data"]["clinic"], "phone": "780 555-0100"}}
    editing.save(kb_dir, "clinic.yaml", data, first["version"])
    assert staff.is_outdated(state, str(kb_dir), "clinic.yaml")
    assert staff.reload(state, str(kb_dir), "clinic.yaml")["data"] == data
    assert not staff.is_outdated(state, str(kb_dir), "clinic.yaml")
    assert not staff.is_outdated(state, str(kb_dir), "passages.yaml")  # never opened


@pytest.mark.parametrize(("outcome", "label"), [
    ("no_match", "no answer"), ("urgent", "urgent reply"), ("smalltalk", "small talk reply"),
    ("reflexology", "Reflexology (reflexology)"), ("gone", "gone"),
])
def test_outcomes_are_worded_for_staff(knowledge, outcome, label):
    assert staff.outcome_label(outcome, knowledge) == label


@pytest.mark.parametrize(("data", "ids"), [
    ({"sources": [{"id": "article"}, {"id": "leaflet", "title": "x"}]}, ["article", "leaflet"]),
    ({"sources": [{"title": "no id"}, "not an entry"]}, []),
    ({"sources": None}, []),
    (None, []),
])
def test_source_ids(data, ids):
    assert staff.source_ids(data) == ids
