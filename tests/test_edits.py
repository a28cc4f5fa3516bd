"""Edits as data and the file data each gives (pure): values compared as the schema reads them,
keys in the schema's order, optional fields left at their default not written."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.editing import AddEntry, AddItem, EntryRef, RemoveEntry, SetFields
from assistant.editing.edits import defaults, edited, entries, same
from assistant.errors import KnowledgeError
from assistant.knowledge import SPECS

PASSAGES = {"passages": [
    {"id": "a", "title": "A", "text": "One.\n", "questions": ["Why?", "How?"], "source": "s"},
    {"id": "b", "title": "B", "text": "Two.\n", "questions": ["What?", "When?"], "source": "s"},
]}
CLINIC = {"clinic": {"name": "G", "city": "E", "referral": "Call us.", "phone": ""}}
RULES = {"rules": [{"id": "r", "title": "R", "triggers": ["x"], "message": "M",
                    "must_trigger": ["x"], "must_not_trigger": ["y"]}]}


@pytest.mark.parametrize(("a", "b", "equal"), [
    ("One.\n", "One.", True), ("  a  \nb ", "a\nb", True), (None, "", True),
    (["a ", "b"], ("a", "b"), True), (dt.date(2025, 3, 27), "2025-03-27", True),
    ("a", "b", False), (["a"], ["a", "b"], False),
])
def test_values_are_compared_as_the_schema_reads_them(a, b, equal):
    assert same(a, b) is equal


def test_setting_fields_keeps_what_reads_the_same():
    result = edited(PASSAGES, SetFields("passages.yaml", 1, {
        "title": "B", "text": "Two.", "questions": ["What?", "When?", "Where?"]}, "b"))
    assert result.data["passages"][1] == {**PASSAGES["passages"][1],
                                          "questions": ["What?", "When?", "Where?"]}
    assert result.data["passages"][1]["text"] == "Two.\n"  # unchanged, so not rewritten
    assert result.target == EntryRef("passages.yaml", "passage", "b", 2)
    assert PASSAGES["passages"][1]["questions"] == ["What?", "When?"]  # a copy was edited


def test_a_new_key_takes_its_place_in_the_schema_order():
    result = edited(PASSAGES, SetFields("passages.yaml", 0, {"keywords": ["k"]}, "a"))
    assert list(result.data["passages"][0]) == ["id", "title", "text", "questions", "keywords",
                                                "source"]


@pytest.mark.parametrize(("values", "written"), [
    ({"tier": "urgent", "reach": "sentence", "unless": []}, {}),  # the defaults: not written
    ({"tier": "support"}, {"tier": "support"}),
    ({"unless": ["warm bath"]}, {"unless": ["warm bath"]}),
])
def test_an_optional_field_at_its_default_is_not_written(values, written):
    rule = edited(RULES, SetFields("safety.yaml", 0, values, "r")).data["rules"][0]
    assert {k: v for k, v in rule.items() if k not in RULES["rules"][0]} == written
    assert defaults(SPECS["safety.yaml"]) == {"tier": "urgent", "unless": (),
                                               "reach": "sentence"}


def test_a_file_of_one_entry():
    result = edited(CLINIC, SetFields("clinic.yaml", 0, {"phone": "780", "address": ""}))
    assert result.data == {"clinic": {**CLINIC["clinic"], "phone": "780"}}
    assert result.target == EntryRef("clinic.yaml", "clinic settings")


def test_an_entry_is_added_without_empty_optional_fields_and_removed():
    added = edited(PASSAGES, AddEntry("passages.yaml", {
        "id": "c", "title": "C", "text": "Three.", "questions": ["Q?", "R?"], "keywords": [],
        "source": "s"}))
    assert added.data["passages"][-1] == {"id": "c", "title": "C", "text": "Three.",
                                          "questions": ["Q?", "R?"], "source": "s"}
    assert added.target == EntryRef("passages.yaml", "passage", "c", 3)
    removed = edited(PASSAGES, RemoveEntry("passages.yaml", 0, "a"))
    assert [p["id"] for p in removed.data["passages"]] == ["b"] and removed.target is None


def test_a_removed_passage_leaves_the_lists_it_was_in():
    data = {"passages": [{"id": "list", "items": ["a", "b"]}, {"id": "a"}, {"id": "b"}]}
    removed = edited(data, RemoveEntry("passages.yaml", 1, "a"))
    assert removed.data == {"passages": [{"id": "list", "items": ["b"]}, {"id": "b"}]}
    assert data["passages"][0]["items"] == ["a", "b"]


def test_an_item_is_added_to_a_list_of_an_entry_found_by_id():
    result = edited(PASSAGES, AddItem("passages.yaml", "b", "questions", "Who?"))
    assert result.data["passages"][1]["questions"] == ["What?", "When?", "Who?"]


@pytest.mark.parametrize("edit", [
    SetFields("passages.yaml", 0, {"title": "x"}, "b"),  # the entry moved
    SetFields("passages.yaml", 5, {"title": "x"}),
    RemoveEntry("passages.yaml", 1, "gone"),
    AddItem("passages.yaml", "gone", "questions", "Q?"),
])
def test_an_edit_never_lands_on_another_entry(edit):
    with pytest.raises(KnowledgeError, match="here any more: someone changed the file"):
        edited(PASSAGES, edit)


def test_entries_keep_their_positions_in_a_file_being_mended():
    spec = SPECS["passages.yaml"]
    assert entries(spec, {"passages": [{"id": "a"}, "oops", {"id": "c"}]}) == [
        {"id": "a"}, {}, {"id": "c"}]
    assert entries(spec, {"passages": None}) == [] and entries(spec, None) == []
    assert entries(SPECS["clinic.yaml"], CLINIC) == [CLINIC["clinic"]]
