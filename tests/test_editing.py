"""Staff saves: conflict check, validation, backup, atomic write, history and restore."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import yaml

from assistant import Engine, editing
from assistant.errors import EditConflict, HistoryError, KnowledgeInvalid, describe, entry_name
from assistant.knowledge import FILES, fingerprint, load_knowledge

NEW_QUESTION = "Is effleurage good for restless legs?"


def fixed_clock(*times: str):
    """A clock returning these UTC times in turn (ISO format)."""
    values = iter(dt.datetime.fromisoformat(t).replace(tzinfo=dt.UTC) for t in times)
    return lambda: next(values)


def with_question(data: dict, passage_id: str, question: str) -> dict:
    for passage in data["passages"]:
        if passage["id"] == passage_id:
            passage["questions"].append(question)
    return data


def history_files(directory: Path) -> list[str]:
    root = directory / "history"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml")) if root.exists() else []


# --- Writing YAML the way the files are written ----------------------------------------------


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.name)
def test_dump_writes_an_unchanged_file_back_as_the_same_data(kb_copy, spec):
    doc = editing.open_file(kb_copy, spec.name)
    text = editing.dump(doc.data, doc.header)
    assert text.startswith(doc.header)
    assert yaml.safe_load(text) == yaml.safe_load((kb_copy / spec.name).read_text())


@pytest.mark.parametrize(("data", "expected"), [
    ({"clinic": {"name": "Granville", "phone": ""}},
     'clinic:\n  name: Granville\n  phone: ""\n'),
    ({"synonyms": [{"means": "leg", "words": ["calf", "can't sit still"]}]},
     "synonyms:\n  - means: leg\n    words: [calf, can't sit still]\n"),
    ({"passages": [{"id": "a", "text": "One line.", "questions": ["Why?", "How: now?"]}]},
     'passages:\n  - id: a\n    text: |\n      One line.\n    questions:\n      - Why?\n'
     '      - "How: now?"\n'),
    ({"rules": [{"id": "a", "message": "**Call 911.**\n- first\n- second"}]},
     "rules:\n  - id: a\n    message: |\n      **Call 911.**\n      - first\n      - second\n"),
    ({"smalltalk": [{"id": "hi", "reply": "Héllo – “you”"}]},
     "smalltalk:\n  - id: hi\n    reply: Héllo – “you”\n"),
])
def test_dump_writes_each_kind_of_value_as_people_write_it(data, expected):
    assert editing.dump(data) == expected


def test_dump_separates_long_entries_with_a_blank_line():
    entries = [{"id": f"p{n}", "questions": ["a", "b", "c", "d"]} for n in (1, 2)]
    assert editing.dump({"passages": entries}, "# about\n") == (
        "# about\npassages:\n  - id: p1\n    questions:\n      - a\n      - b\n      - c\n"
        "      - d\n\n  - id: p2\n    questions:\n      - a\n      - b\n      - c\n      - d\n")


@pytest.mark.parametrize(("text", "header"), [
    ("# one\n# two\nclinic:\n  name: x\n", "# one\n# two\n"),
    ("# one\n\n# two\n\nclinic: {}\n", "# one\n\n# two\n"),
    ("clinic:\n  name: x  # not a header\n", ""),
    ("", ""),
])
def test_header_is_the_leading_comment_block(text, header):
    assert editing.header_of(text) == header


# --- Saving ----------------------------------------------------------------------------------


def test_save_writes_the_file_backs_up_the_old_one_and_the_new_answer_is_served(kb_copy):
    path = kb_copy / "passages.yaml"
    before = path.read_bytes()
    doc = editing.open_file(kb_copy, "passages.yaml")
    assert Engine(load_knowledge(kb_copy)).ask("is effleurage good for restless legs").status == \
        "no_match"

    saved = editing.save(kb_copy, "passages.yaml",
                         with_question(doc.data, "swedish-massage", NEW_QUESTION), doc.version,
                         clock=fixed_clock("2025-04-01T10:20:30.000123"))

    assert saved == editing.Saved("passages.yaml", editing.version_of(path.read_bytes()),
                                  "20250401T102030.000123Z")
    assert NEW_QUESTION in path.read_text()
    assert path.read_text().startswith(doc.header)
    assert (kb_copy / "history" / saved.backup / "passages.yaml").read_bytes() == before
    answer = Engine(load_knowledge(kb_copy)).ask("is effleurage good for restless legs")
    assert [c.id for c in answer.citations] == ["swedish-massage"]
    assert [p.name for p in kb_copy.iterdir() if p.name.endswith(".tmp")] == []


def test_an_invalid_save_raises_the_validation_errors_and_writes_nothing(kb_copy):
    path = kb_copy / "passages.yaml"
    before = path.read_bytes()
    doc = editing.open_file(kb_copy, "passages.yaml")
    doc.data["passages"][0]["text"] = "Massage cures RLS."

    with pytest.raises(KnowledgeInvalid) as caught:
        editing.save(kb_copy, "passages.yaml", doc.data, doc.version)

    first = doc.data["passages"][0]["id"]
    lines = path.read_text().splitlines()
    text_line = lines.index("    text: |", lines.index(f"  - id: {first}")) + 1
    assert [e.as_dict() for e in caught.value.errors] == [{
        "file": "passages.yaml", "folder": str(kb_copy), "line": text_line, "column": None,
        "noun": "passage", "entry_id": first, "index": None, "key": "text",
        "problem": "the text must be a word-for-word quote of the source "
        "'rls-massage-article', but this line is not found in it: \"Massage cures RLS.\""}]
    assert path.read_bytes() == before
    assert history_files(kb_copy) == []


@pytest.mark.parametrize(("name", "edit", "entry", "key", "message"), [
    ("passages.yaml", lambda d: d["passages"][1].update(questions=["only one"]),
     "passage 'what-is-rls'", "questions", "needs at least 2 items, got 1"),
    ("clinic.yaml", lambda d: d["clinic"].update(booking_url="granville.ca"),
     "clinic settings", "booking_url",
     "'granville.ca' is not a web address; it must start with https://"),
    ("safety.yaml", lambda d: d["rules"][0]["must_trigger"].append("my calves cramp at night"),
     "safety rule 'blood-clot'", "must_trigger", "the sample \"my calves cramp at night\" must "
     "trigger this rule but does not; change the triggers or the sample"),
    ("smalltalk.yaml", lambda d: d["smalltalk"][0].update(reply="  "),
     "smalltalk reply 'greeting'", "reply", "is empty; write the reply"),
    ("synonyms.yaml", lambda d: d["synonyms"].append({"means": "leg", "words": []}),
     "synonym 'leg'", "words", "needs at least 1 item, got 0"),
])
def test_invalid_edits_name_the_entry_and_key(kb_copy, name, edit, entry, key, message):
    doc = editing.open_file(kb_copy, name)
    edit(doc.data)
    with pytest.raises(KnowledgeInvalid) as caught:
        editing.save(kb_copy, name, doc.data, doc.version)
    assert [(entry_name(e.noun, e.entry_id, e.index), e.key, e.problem)
            for e in caught.value.errors] == [(entry, key, message)]


def test_an_id_used_twice_names_the_line_of_the_first(kb_copy):
    doc = editing.open_file(kb_copy, "passages.yaml")
    first = doc.data["passages"][0]["id"]
    doc.data["passages"][1]["id"] = first
    with pytest.raises(KnowledgeInvalid) as caught:
        editing.save(kb_copy, "passages.yaml", doc.data, doc.version)
    line = (kb_copy / "passages.yaml").read_text().splitlines().index(f"  - id: {first}") + 1
    assert [(e.entry_id, e.key, e.problem) for e in caught.value.errors] == [
        (first, "id", f"the id '{first}' is used twice (first at line {line}); give each passage "
                      "its own id")]


def test_a_save_based_on_an_outdated_version_is_refused_and_keeps_the_other_change(
        kb_copy):
    mine = editing.open_file(kb_copy, "passages.yaml")
    theirs = editing.open_file(kb_copy, "passages.yaml")
    editing.save(kb_copy, "passages.yaml",
                 with_question(theirs.data, "swedish-massage", NEW_QUESTION), theirs.version)
    after_theirs = (kb_copy / "passages.yaml").read_bytes()

    with pytest.raises(EditConflict) as caught:
        editing.save(kb_copy, "passages.yaml",
                     with_question(mine.data, "reflexology", "Is a foot rub good?"), mine.version)

    assert describe(caught.value) == (
        f"{kb_copy / 'passages.yaml'} was changed by someone else after you opened it. "
        "Your edit was not saved and their change is kept: load the latest version, then make "
        "your edit again.")
    assert (kb_copy / "passages.yaml").read_bytes() == after_theirs
    assert len(history_files(kb_copy)) == 1


def test_concurrent_saves_from_one_version_let_exactly_one_through(kb_copy):
    doc = editing.open_file(kb_copy, "clinic.yaml")
    outcomes: list[object] = []
    start = threading.Barrier(8)

    def staff_member(number: int) -> None:
        data = {"clinic": {**doc.data["clinic"], "phone": f"780-555-01{number:02d}"}}
        start.wait()
        try:
            outcomes.append(editing.save(kb_copy, "clinic.yaml", data, doc.version))
        except EditConflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=staff_member, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = [o for o in outcomes if isinstance(o, editing.Saved)]
    assert len(saved) == 1
    assert sum(isinstance(o, EditConflict) for o in outcomes) == 7
    assert editing.current_version(kb_copy, "clinic.yaml") == saved[0].version
    assert history_files(kb_copy) == [f"{saved[0].backup}/clinic.yaml"]


def test_backups_made_within_the_same_instant_get_their_own_versions(kb_copy):
    clock = fixed_clock(*["2025-04-01T10:20:30.000001"] * 3)
    for phone in ("780-555-0101", "780-555-0102", "780-555-0103"):
        doc = editing.open_file(kb_copy, "clinic.yaml")
        doc.data["clinic"]["phone"] = phone
        editing.save(kb_copy, "clinic.yaml", doc.data, doc.version, clock=clock)
    assert [v.id for v in editing.history(kb_copy)] == [
        "20250401T102030.000001Z-3", "20250401T102030.000001Z-2", "20250401T102030.000001Z"]


def test_a_failed_write_leaves_the_file_whole_and_no_temporary_file(kb_copy, monkeypatch):
    path = kb_copy / "clinic.yaml"
    before = path.read_bytes()
    doc = editing.open_file(kb_copy, "clinic.yaml")
    doc.data["clinic"]["phone"] = "780-555-0100"

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        editing.save(kb_copy, "clinic.yaml", doc.data, doc.version)
    assert path.read_bytes() == before
    assert [p.name for p in kb_copy.iterdir() if p.name.startswith(".")] == []


def test_check_validates_an_edit_without_writing(kb_copy):
    before = fingerprint(kb_copy)
    doc = editing.open_file(kb_copy, "passages.yaml")
    edited = editing.check(kb_copy, "passages.yaml",
                           with_question(doc.data, "swedish-massage", NEW_QUESTION))
    assert NEW_QUESTION in edited.passage("swedish-massage").questions
    assert fingerprint(kb_copy) == before
    assert not (kb_copy / "history").exists()


def test_a_file_name_outside_the_schema_is_refused(kb_copy):
    with pytest.raises(ValueError, match=r"got '\.\./secrets\.yaml'"):
        editing.save(kb_copy, "../secrets.yaml", {}, "0")


# --- History and restore ---------------------------------------------------------------------


def test_restore_puts_a_version_back_exactly_and_backs_up_what_it_replaces(kb_copy):
    path = kb_copy / "passages.yaml"
    original = path.read_bytes()
    before = fingerprint(kb_copy)
    doc = editing.open_file(kb_copy, "passages.yaml")
    saved = editing.save(kb_copy, "passages.yaml",
                         with_question(doc.data, "swedish-massage", NEW_QUESTION), doc.version,
                         clock=fixed_clock("2025-04-01T10:00:00"))
    edited = path.read_bytes()

    restored = editing.restore(kb_copy, saved.backup, saved.version,
                               clock=fixed_clock("2025-04-02T09:00:00"))

    assert path.read_bytes() == original
    assert fingerprint(kb_copy) == before
    assert restored == editing.Saved("passages.yaml", doc.version, "20250402T090000.000000Z")
    assert (kb_copy / "history" / restored.backup / "passages.yaml").read_bytes() == edited
    assert [(v.id, v.name, v.saved_at.isoformat()) for v in editing.history(kb_copy)] == [
        ("20250402T090000.000000Z", "passages.yaml", "2025-04-02T09:00:00+00:00"),
        ("20250401T100000.000000Z", "passages.yaml", "2025-04-01T10:00:00+00:00"),
    ]


def test_restoring_an_unknown_version_names_the_newest_ones(kb_copy):
    with pytest.raises(HistoryError) as caught:
        editing.restore(kb_copy, "20240101T000000.000000Z")
    assert describe(caught.value) == (
        f"There is no saved version '20240101T000000.000000Z' in {kb_copy / 'history'}. "
        "There are no saved versions yet.")
    doc = editing.open_file(kb_copy, "clinic.yaml")
    editing.save(kb_copy, "clinic.yaml", doc.data, doc.version,
                 clock=fixed_clock("2025-04-01T10:00:00"))
    with pytest.raises(HistoryError, match=r"The newest are: 20250401T100000\.000000Z\.$"):
        editing.restore(kb_copy, "nope")


def test_restoring_over_a_newer_save_is_refused(kb_copy):
    doc = editing.open_file(kb_copy, "clinic.yaml")
    first = editing.save(kb_copy, "clinic.yaml", doc.data, doc.version)
    newer = editing.open_file(kb_copy, "clinic.yaml")
    newer.data["clinic"]["phone"] = "780-555-0100"
    editing.save(kb_copy, "clinic.yaml", newer.data, newer.version)
    with pytest.raises(EditConflict):
        editing.restore(kb_copy, first.backup, base_version=first.version)
    assert "780-555-0100" in (kb_copy / "clinic.yaml").read_text()


def test_a_version_that_no_longer_fits_the_knowledge_base_is_not_restored(kb_copy):
    version = kb_copy / "history" / "20250101T000000.000000Z"
    version.mkdir(parents=True)
    (version / "passages.yaml").write_text("passages:\n  - id: x\n")
    before = (kb_copy / "passages.yaml").read_bytes()
    with pytest.raises(KnowledgeInvalid, match="every passage needs 'section'"):
        editing.restore(kb_copy, "20250101T000000.000000Z")
    assert (kb_copy / "passages.yaml").read_bytes() == before


def test_restore_mends_a_file_broken_on_disk(kb_copy):
    path = kb_copy / "smalltalk.yaml"
    doc = editing.open_file(kb_copy, "smalltalk.yaml")
    saved = editing.save(kb_copy, "smalltalk.yaml", doc.data, doc.version)
    path.write_text("smalltalk: [unclosed\n")
    with pytest.raises(KnowledgeInvalid):
        load_knowledge(kb_copy)
    editing.restore(kb_copy, saved.backup)
    assert len(load_knowledge(kb_copy).smalltalk) == len(doc.data["smalltalk"])
    assert editing.history(kb_copy)[0].path.read_text() == "smalltalk: [unclosed\n"

