"""History in words: what a save changed, what the save was (a restore), and errors worded for
staff (by section, entry and field; no folders, files or lines)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import editing
from assistant.editing import AddItem, SetFields
from assistant.editing.changes import what_changed
from assistant.editing.history import saved_text, text_after
from assistant.errors import (
    EditConflict,
    HistoryError,
    KnowledgeError,
    KnowledgeFolderMissing,
    KnowledgeInvalid,
    StoreError,
    describe,
)
from tests.helpers import saved


def names(file: str, key: str | None) -> str:
    """How a page might name files and fields."""
    if key is None:
        return {"passages.yaml": "Passages", "clinic.yaml": "Clinic details"}.get(file, file)
    return {"questions": "Alternate questions", "phone": "Phone"}.get(key, key)


PASSAGES = """passages:
  - id: swedish-massage
    title: Swedish massage
    text: A gentler approach.
    questions: [How does it feel?, Is it gentle?]
    draft: yes
  - id: reflexology
    title: Reflexology
    text: It stimulates specific pressure points.
    questions: [What is reflexology?, Does it help?]
"""


@pytest.mark.parametrize("new, expected", [
    (PASSAGES.replace("[How does it feel?, Is it gentle?]",
                      "[How does it feel?, Is it gentle?, Is stroking good?]"),
     ["Changed the passage \u201cSwedish massage\u201d: Alternate questions (added "
      "\u201cIs stroking good?\u201d)."]),
    (PASSAGES.replace("    draft: yes\n", ""),
     ["Changed the passage \u201cSwedish massage\u201d: published."]),
    (PASSAGES.replace("title: Reflexology", "title: Foot reflexology"),
     ["Changed the passage \u201cFoot reflexology\u201d: title (was \u201cReflexology\u201d, "
      "now \u201cFoot reflexology\u201d)."]),
    (PASSAGES.replace("It stimulates specific pressure points.", "x " * 40),
     ["Changed the passage \u201cReflexology\u201d: text (reworded)."]),
    (PASSAGES.split("  - id: reflexology")[0],
     ["Removed the passage \u201cReflexology\u201d."]),
    (PASSAGES + "  - id: new-one\n    title: New one\n",
     ["Added the passage \u201cNew one\u201d."]),
    ("# a note\n" + PASSAGES,
     ["Changed comments or layout in Passages, not what visitors get."]),
    (PASSAGES, []),
    ("passages: [unclosed",
     ["Replaced Passages as a whole (one of the versions cannot be read as a knowledge "
      "file)."]),
])
def test_what_a_save_changed_in_words(new, expected):
    assert what_changed("passages.yaml", PASSAGES, new, names) == expected


def test_a_one_entry_file_is_named_as_itself():
    old = 'clinic:\n  name: Granville\n  phone: ""\n'
    assert what_changed("clinic.yaml", old, old.replace('""', "780-555-0100"), names) == \
        ["Changed Clinic details: Phone (was \u201c\u201d, now \u201c780-555-0100\u201d)."]


def test_a_restore_is_recorded_with_the_version_it_put_back_and_what_it_replaced(kb_copy):
    first = saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780-555-0100"}))
    restore = editing.apply(editing.plan_restore(kb_copy, first.backup))
    newest, older = editing.history(kb_copy)
    assert (newest.id, newest.about) == (restore.backup, {"kind": "Restore",
                                                          "restored": first.backup})
    assert older.about == {"kind": "SetFields"}
    assert "780-555-0100" in saved_text(kb_copy, newest.id)
    # What each save left: the save of the phone left the phone; the restore left the file
    # as it was before it.
    assert "780-555-0100" in text_after(kb_copy, older)
    assert text_after(kb_copy, newest) == (kb_copy / "clinic.yaml").read_text()


def test_a_version_without_a_record_says_nothing(kb_copy):
    folder = kb_copy / "history" / "20250101T000000.000000Z"
    folder.mkdir(parents=True)
    (folder / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text())
    (folder / "about.json").write_text("not json")
    [version] = editing.history(kb_copy)
    assert version.about == {} and version.saved_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_an_alternate_question_save_is_recorded_as_what_it_was(kb_copy):
    saved(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions", "Is it soft?"))
    [version] = editing.history(kb_copy)
    assert version.about == {"kind": "AddItem"}


# --- errors for staff ---------------------------------------------------------------------------

@pytest.mark.parametrize("error, expected", [
    (KnowledgeError("has 7, and at most 6 are allowed", file="passages.yaml", folder="/srv/k",
                    line=12, noun="passage", entry_id="swedish-massage", key="questions"),
     "Passages \u203a passage 'swedish-massage' \u203a Alternate questions: has 7, and at most 6 "
     "are allowed"),
    (KnowledgeError("expected text", file="clinic.yaml", folder="/srv/k", line=5,
                    noun="clinic settings", key="phone"),
     "Clinic details \u203a Phone: expected text"),
    (KnowledgeError("this is not valid YAML", file="passages.yaml", folder="/srv/k", line=3),
     "Passages: this is not valid YAML"),
    (EditConflict("/srv/k/passages.yaml"),
     "Someone else saved Passages after you opened it. Your change was not saved and theirs "
     "is kept: press \u201cLoad the latest version\u201d, then make your change again."),
    (KnowledgeFolderMissing("/srv/k", empty=False),
     "The knowledge files cannot be found, so nothing can be edited. Please ask whoever looks "
     "after the app to check where it keeps them."),
    (StoreError("the database cannot be used: disk I/O error", path="/srv/data/a.db"),
     "The visitors' questions cannot be read right now (the database cannot be used: disk I/O "
     "error). The rest of the staff page works; please try again in a minute."),
    (HistoryError("There is no saved version 'x' in /srv/k/history.", version="x"),
     "That saved version cannot be used any more (x): pick another one from the list."),
])
def test_errors_worded_for_staff_name_no_folder_file_or_line(error, expected):
    assert describe(error, names) == expected
    assert "/srv" not in describe(error, names)


def test_every_problem_of_an_invalid_knowledge_base_is_a_line_for_staff():
    invalid = KnowledgeInvalid([KnowledgeError("a", file="passages.yaml", key="questions"),
                                KnowledgeError("b", file="clinic.yaml")])
    assert describe(invalid, names) == ("- Passages \u203a Alternate questions: a\n"
                                        "- Clinic details: b")
