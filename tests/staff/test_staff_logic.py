"""ui.staff on plain data: sections and fields from the schema, form values, drafts, wording."""

from __future__ import annotations

import re

import pytest

from assistant import signin as limit
from assistant.editing import SetFields
from assistant.knowledge import FILES, SPECS, Field, FileSpec
from tests.helpers import saved
from tests.staff.helpers import as_read
from ui.staff import forms, session, signin
from ui.staff.show import plain

PASSAGES, SAFETY, CLINIC = SPECS["passages.yaml"], SPECS["safety.yaml"], SPECS["clinic.yaml"]


def field(spec, name):
    return next(f for f in spec.fields if f.name == name)


# --- Sections and fields come from the schema ------------------------------------------------


def test_every_knowledge_file_is_a_section_then_unanswered_questions_and_history():
    assert forms.sections() == ["Passages", "Articles", "Clinic facts", "Synonyms",
                                "Safety messages", "Small talk", "Topics not covered",
                                "Kinds of question", "Clinic details", "Unanswered questions",
                                "History"]
    assert {forms.file_of(s) for s in forms.sections()[:-2]} == {spec.name for spec in FILES}
    assert forms.file_of("History") is None


def test_a_file_the_page_does_not_know_gets_a_section_of_its_own(monkeypatch):
    tips = FileSpec("tips.yaml", "tips", "tip", (Field("id", "slug"),), "id", object, "tips")
    monkeypatch.setattr(forms, "FILES", (*FILES, tips))
    monkeypatch.setitem(forms.SPECS, "tips.yaml", tips)
    assert forms.sections()[-3:] == ["Tips", "Unanswered questions", "History"]
    assert forms.file_of("Tips") == "tips.yaml"


def test_safety_rules_edit_triggers_unless_tier_and_reach():
    names = forms.names(forms.fields(SAFETY, new=False))
    assert names == ["title", "tier", "triggers", "unless", "reach", "message", "must_trigger",
                     "must_not_trigger"]
    assert forms.names(forms.fixed(SAFETY, new=False)) == ["id"]
    assert forms.names(forms.fields(SAFETY, new=True))[0] == "id"


def test_a_value_a_form_cannot_write_back_is_shown_not_edited():
    entry = {"id": "a", "title": "A", "keywords": [{"nested": "value"}]}
    assert "keywords" not in forms.names(forms.fields(PASSAGES, new=False, entry=entry))
    assert forms.names(forms.fixed(PASSAGES, new=False, entry=entry)) == ["id", "keywords"]


@pytest.mark.parametrize(("spec", "name", "label"), [
    (PASSAGES, "questions", "Alternate questions (one per line, 2 to 6)"),
    (PASSAGES, "keywords", "Keywords (one per line, optional)"),
    (SPECS["synonyms.yaml"], "words", "Visitors' words that mean the same (one per line)"),
    (SAFETY, "must_trigger", "Sample messages that must trigger this rule (one per line)"),
    (CLINIC, "booking_url", "Booking web address (https://...)"),
])
def test_labels_say_how_to_write_a_field(spec, name, label):
    assert forms.label(spec, field(spec, name)) == label


def test_a_field_without_a_label_is_named_after_its_key():
    assert forms.label(PASSAGES, Field("items_shown", "text")) == "Items shown"


@pytest.mark.parametrize(("spec", "name", "value", "widget"), [
    (PASSAGES, "source", "rls-massage-article", "pick"),
    (SAFETY, "tier", None, "pick"),
    (PASSAGES, "questions", ["a", "b"], "lines"),
    (PASSAGES, "text", "One line.", "lines"),
    (PASSAGES, "title", "A title", "line"),
    (CLINIC, "address", "1 Main St\nEdmonton", "lines"),
])
def test_the_widget_follows_the_field_kind(spec, name, value, widget):
    assert forms.widget(spec, field(spec, name), value) == widget


def test_a_reference_is_picked_from_the_other_files_ids():
    drafts = {"sources.yaml": {"sources": [{"id": "article"}, {"id": "leaflet"}, "broken"]}}
    assert forms.choices(PASSAGES, field(PASSAGES, "source"), drafts) == ["article", "leaflet"]
    assert forms.choices(PASSAGES, field(PASSAGES, "source"), {}) == []
    assert forms.choices(SAFETY, field(SAFETY, "reach"), {}) == ["sentence", "message"]


@pytest.mark.parametrize(("spec", "name", "value", "text", "back"), [
    (PASSAGES, "questions", ["a", "b c"], "a\nb c", ["a", "b c"]),
    (PASSAGES, "keywords", None, "", []),
    (PASSAGES, "text", "Line one.\nLine two.\n", "Line one.\nLine two.", "Line one.\nLine two."),
    (CLINIC, "phone", "", "", ""),
    (CLINIC, "booking_url", None, "", ""),
    (SAFETY, "tier", None, "urgent", "urgent"),  # an optional field shows its default
])
def test_values_round_trip_through_the_form(spec, name, value, text, back):
    assert forms.to_text(spec, field(spec, name), value) == text
    assert forms.from_text(field(spec, name), text) == back


@pytest.mark.parametrize(("kind", "typed", "expected"), [
    ("text list", "  first  \n\n second\n", ["first", "second"]),
    ("pattern list", "a | b\n\n", ["a | b"]),
    ("text", "  One.  \nTwo.   \n\n", "One.\nTwo."),
    ("slug", " swedish-massage ", "swedish-massage"),
    ("slug", None, ""),
    ("text list", None, []),
])
def test_typed_values_are_tidied(kind, typed, expected):
    assert forms.from_text(Field("x", kind), typed) == expected


@pytest.mark.parametrize(("query", "found"), [
    ("", True), ("SWEDISH", True), ("gentle strokes", True), ("gentle roof", False),
])
def test_search_finds_every_word_anywhere_in_an_entry(query, found):
    entry = {"id": "swedish", "title": "Swedish massage", "questions": ["Is it gentle?"],
             "text": "long, flowing strokes"}
    assert forms.matches(entry, query) is found


@pytest.mark.parametrize(("spec", "entry", "label"), [
    (PASSAGES, {"id": "swedish", "title": "Swedish massage"}, "Swedish massage (swedish)"),
    (SPECS["synonyms.yaml"], {"means": "cramps", "words": []}, "cramps"),
    (PASSAGES, {"title": "No id"}, "No id ()"),
    (SPECS["smalltalk.yaml"], {}, "(no id)"),
])
def test_entries_are_listed_by_title_and_id(spec, entry, label):
    assert forms.entry_label(spec, entry) == label


@pytest.mark.parametrize(("outcome", "label"), [
    ("no_match", "no answer"), ("urgent", "urgent reply"), ("smalltalk", "small talk reply"),
    ("reflexology", "Reflexology (reflexology)"), ("gone", "gone"),
])
def test_outcomes_are_worded_for_staff(knowledge, outcome, label):
    assert forms.outcome_label(outcome, knowledge) == label


# --- Drafts: each file as this session opened it ---------------------------------------------


def test_a_draft_is_opened_once_and_goes_out_of_date_when_someone_saves(kb_dir):
    state: dict = {}
    first = session.draft(state, kb_dir, "clinic.yaml")
    assert session.draft(state, kb_dir, "clinic.yaml") == first
    assert not session.is_outdated(state, kb_dir, "clinic.yaml")
    saved(kb_dir, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
    assert session.is_outdated(state, kb_dir, "clinic.yaml")
    assert session.reload(state, kb_dir, "clinic.yaml").data["clinic"]["phone"] == \
        "780 555-0100"
    assert not session.is_outdated(state, kb_dir, "clinic.yaml")
    assert not session.is_outdated(state, kb_dir, "passages.yaml")  # never opened
    assert all(isinstance(v, (str, dict)) for v in state[session.draft_key("clinic.yaml")]
               .values())  # plain data only


def test_log_out_forgets_the_whole_session():
    state = {signin.SIGNED_IN: True, "draft:passages.yaml": {}, "turns": []}
    signin.log_out(state)
    assert state == {}


# --- Sign-in wording -------------------------------------------------------------------------


@pytest.mark.parametrize(("verdict", "text"), [
    (limit.Verdict(True), None),
    (limit.Verdict(False, tries_left=4), "Wrong password. 4 more tries before a wait."),
    (limit.Verdict(False, tries_left=1), "Wrong password. 1 more try before a wait."),
    (limit.Verdict(False, wait=30),
     "Wrong password. Too many wrong passwords: please wait 30 seconds before trying again."),
    (limit.Verdict(False, wait=900, refused=True),
     "Too many wrong passwords. Please wait 15 minutes before trying again."),
    (limit.Verdict(False, wait=42, everyone=True, refused=True),
     "Too many wrong passwords were typed on this server in the last minute. Please wait 42 "
     "seconds before trying again."),
])
def test_sign_in_verdicts_are_worded_for_staff(verdict, text):
    assert signin.message(verdict) == text


# --- Text shown as typed ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "[click here](https://evil.example)", "![pixel](https://evil.example/p.png)",
    "<img src=x onerror=alert(1)>", "https://evil.example/path", "www.evil.example",
    "jane@example.com", "**bold** _it_ `code`", "# heading", "1. list", "> quote", "- item",
    "a\\*b",
])
def test_plain_leaves_no_link_image_or_markup(text):
    shown = plain(text)
    assert as_read(shown) == text
    bare = re.sub(r"\\.", "", shown)  # what is left once every escaped character is taken out
    assert not re.search(r"[\[\]()<>!*_`#@]|https?:|www\.", bare)


def test_plain_keeps_line_breaks():
    assert plain("one\n- two") == "one  \n\\- two"
