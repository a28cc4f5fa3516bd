"""Staff edits planned, then applied: validation, preview and impact as data; conflict check,
backup, atomic write, stray temporary files, pruned history and restore."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import yaml

from assistant import Engine, editing
from assistant.editing import AddEntry, AddItem, RemoveEntry, SetFields
from assistant.editing.apply import remove_temporary_files
from assistant.editing.history import Limits, prune
from assistant.errors import (
    EditConflict,
    HistoryError,
    KnowledgeError,
    KnowledgeInvalid,
    describe,
    entry_name,
)
from assistant.knowledge import SPECS, fingerprint, load_knowledge
from tests.helpers import saved

NEW_QUESTION = "Is effleurage good for restless legs?"


def fixed_clock(*times: str):
    """A clock returning these UTC times in turn (ISO format)."""
    values = iter(dt.datetime.fromisoformat(t).replace(tzinfo=dt.UTC) for t in times)
    return lambda: next(values)


def history_files(directory: Path) -> list[str]:
    root = directory / "history"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml")) if root.exists() else []


def position(folder: Path, passage_id: str) -> int:
    doc = editing.open_file(folder, "passages.yaml")
    return [p["id"] for p in doc.data["passages"]].index(passage_id)


# --- Planning: nothing written ----------------------------------------------------------------


def test_a_plan_holds_the_new_text_its_validation_and_writes_nothing(kb_copy):
    before = fingerprint(kb_copy)
    plan = editing.plan_edit(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                                              NEW_QUESTION))
    assert plan.valid and not plan.unchanged
    added = [line for line in plan.diff().splitlines() if line.startswith("+")]
    assert added == ["+++ passages.yaml after saving", f"+      - {NEW_QUESTION}"]
    assert NEW_QUESTION in plan.knowledge.passage("swedish-massage").questions
    assert plan.preview is None and plan.impact is None
    assert fingerprint(kb_copy) == before
    assert not (kb_copy / "history").exists()


def test_a_plan_previews_the_answer_to_a_question(kb_copy):
    plan = editing.plan_edit(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                                              NEW_QUESTION),
                             preview="is effleurage good for restless legs")
    assert [c.id for c in plan.preview.citations] == ["swedish-massage"]


def test_a_plan_lists_the_answers_it_would_change(kb_copy, db_path):
    current = Engine(load_knowledge(kb_copy))
    plan = editing.plan_edit(kb_copy, RemoveEntry("passages.yaml",
                                                  position(kb_copy, "reflexology"),
                                                  "reflexology"), compare_with=current)
    lost = [c for c in plan.impact.changes if c.before == "reflexology"]
    assert lost and all(c.kind == "no longer answered" or c.after != "reflexology"
                        for c in lost)
    assert plan.impact.replayed > len(lost) and plan.impact.left_out == ()


def test_an_invalid_plan_keeps_every_problem_on_its_field(kb_copy):
    index = position(kb_copy, "swedish-massage")
    plan = editing.plan_edit(kb_copy, SetFields("passages.yaml", index, {
        "title": " ", "questions": ["Only one?"], "section": "Types"}, "swedish-massage"))
    assert not plan.valid and plan.knowledge is None
    fields = ["title", "questions"]
    assert plan.field_errors(fields) == {"title": ["is empty; write the title"],
                                         "questions": ["has 1, and needs at least 2: add 1 "
                                                       "more (one a line)"]}
    assert plan.other_errors(fields) == []
    assert plan.field_errors(["title"]) == {"title": ["is empty; write the title"]}
    assert [e.key for e in plan.other_errors(["title"])] == ["questions"]
    line = plan.new_text.splitlines().index("      - Only one?") + 1
    assert {e.key: e.line for e in plan.errors}["questions"] == line  # in the new text


def test_an_edit_of_an_entry_that_is_gone_is_a_problem_not_a_write(kb_copy):
    plan = editing.plan_edit(kb_copy, SetFields("passages.yaml", 0, {"title": "x"},
                                                "no-such-passage"))
    [problem] = plan.errors
    assert describe(problem) == (
        f"{kb_copy}/passages.yaml: passage 'no-such-passage': there is no passage "
        "'no-such-passage' here any more: someone changed the file. Load the latest version "
        "and make the change again")
    with pytest.raises(KnowledgeInvalid):
        editing.apply(plan)


@pytest.mark.parametrize(("edit", "entry", "key", "message"), [
    (SetFields("passages.yaml", 1, {"questions": ["only one"]}, "what-is-rls"),
     "passage 'what-is-rls'", "questions",
     "has 1, and needs at least 2: add 1 more (one a line)"),
    (SetFields("clinic.yaml", 0, {"booking_url": "granville.ca"}),
     "clinic settings", "booking_url", "'granville.ca' is not a web address; it must start "
     "with https://"),
    (AddItem("safety.yaml", "blood-clot", "must_trigger", "my knees ache when it rains"),
     "safety rule 'blood-clot'", "must_trigger", "the sample \"my knees ache when it rains\" must "
     "trigger this rule but does not; change the triggers or the sample"),
    (SetFields("smalltalk.yaml", 0, {"reply": "  "}, "greeting"),
     "smalltalk reply 'greeting'", "reply", "is empty; write the reply"),
    (AddEntry("synonyms.yaml", {"means": "leg", "words": []}),
     "synonym 'leg'", "words",
     "has 0, and needs at least 1: add 1 more (one a line)"),
])
def test_invalid_edits_name_the_entry_and_key(kb_copy, edit, entry, key, message):
    plan = editing.plan_edit(kb_copy, edit)
    assert [(entry_name(e.noun, e.entry_id, e.index), e.key, e.problem)
            for e in plan.errors] == [(entry, key, message)]
    assert plan.target.owns(plan.errors[0])


def test_a_safety_rules_triggers_are_edited_and_a_broken_sample_refused(kb_copy):
    rule = editing.open_file(kb_copy, "safety.yaml").data["rules"][0]
    narrower = [t for t in rule["triggers"] if "clot" not in t]
    plan = editing.plan_edit(kb_copy, SetFields("safety.yaml", 0, {"triggers": narrower},
                                                "blood-clot"))
    assert {e.problem for e in plan.errors} >= {
        "the sample \"I think I have a blood clot in my leg\" must trigger this rule but does "
        "not; change the triggers or the sample"}
    plan = editing.plan_edit(kb_copy, SetFields("safety.yaml", 0, {
        "unless": ["warm bath"], "triggers": [*rule["triggers"], "throbbing + calf"]},
        "blood-clot"))
    assert plan.valid
    editing.apply(plan)
    saved_rule = load_knowledge(kb_copy).safety[0]
    assert saved_rule.unless == ("warm bath",) and saved_rule.triggers[-1] == "throbbing + calf"


# --- Applying --------------------------------------------------------------------------------


def test_apply_writes_the_file_backs_up_the_old_one_and_the_new_answer_is_served(kb_copy):
    path = kb_copy / "passages.yaml"
    before = path.read_bytes()
    assert Engine(load_knowledge(kb_copy)).ask("is effleurage good for restless legs").status == \
        "no_match"
    plan = editing.plan_edit(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                                              NEW_QUESTION))
    result = editing.apply(plan, clock=fixed_clock("2025-04-01T10:20:30.000123"))

    assert result == editing.Saved("passages.yaml", editing.version_of(path.read_bytes()),
                                   "20250401T102030.000123Z",
                                   backups=("20250401T102030.000123Z",))
    assert path.read_text() == plan.new_text
    assert (kb_copy / "history" / result.backup / "passages.yaml").read_bytes() == before
    answer = Engine(load_knowledge(kb_copy)).ask("is effleurage good for restless legs")
    assert [c.id for c in answer.citations] == ["swedish-massage"]
    assert [p.name for p in kb_copy.iterdir() if p.name.endswith(".tmp")] == []


def test_noop_save_is_byte_identical(kb_copy):
    for name in ("passages.yaml", "clinic.yaml", "safety.yaml"):
        before = (kb_copy / name).read_bytes()
        doc = editing.open_file(kb_copy, name)
        entry = editing.entries(SPECS[name], doc.data)[0]
        values = {key: (value.strip() if isinstance(value, str) else value)
                  for key, value in entry.items()}  # as the form sends them back
        plan = editing.plan_edit(kb_copy, SetFields(name, 0, values), base=doc)
        assert plan.unchanged and plan.diff() == ""
        assert editing.apply(plan).backup is None
        assert (kb_copy / name).read_bytes() == before
    assert not (kb_copy / "history").exists() or history_files(kb_copy) == []


def test_comments_inside_a_file_survive_a_save(kb_copy):
    path = kb_copy / "passages.yaml"
    text = path.read_text().replace(
        "  - id: swedish-massage\n",
        "  # Checked against the article on 2025-04-01.\n  - id: swedish-massage\n").replace(
        "    source: rls-massage-article\n", "    source: rls-massage-article  # the only one\n",
        1) + "# End of the passages.\n"
    path.write_text(text)
    plan = editing.plan_edit(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                                              NEW_QUESTION))
    editing.apply(plan)
    after = path.read_text()
    assert after.replace(f"      - {NEW_QUESTION}\n", "") == text
    assert "# Checked against the article" in after and "# the only one" in after


def test_a_save_based_on_an_outdated_version_is_refused_and_keeps_the_other_change(kb_copy):
    mine = editing.plan_edit(kb_copy, AddItem("passages.yaml", "reflexology", "questions",
                                              "Is a foot rub good?"))
    saved(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions", NEW_QUESTION))
    after_theirs = (kb_copy / "passages.yaml").read_bytes()

    with pytest.raises(EditConflict) as caught:
        editing.apply(mine)

    assert describe(caught.value) == (
        f"{kb_copy / 'passages.yaml'} was changed by someone else after you opened it. "
        "Your edit was not saved and their change is kept: load the latest version, then make "
        "your edit again.")
    assert (kb_copy / "passages.yaml").read_bytes() == after_theirs
    assert len(history_files(kb_copy)) == 1


def test_concurrent_saves_from_one_version_let_exactly_one_through(kb_copy):
    doc = editing.open_file(kb_copy, "clinic.yaml")
    plans = [editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0,
                                                  {"phone": f"780-555-01{n:02d}"}), base=doc)
             for n in range(8)]
    outcomes: list[object] = []
    start = threading.Barrier(8)

    def staff_member(plan) -> None:
        start.wait()
        try:
            outcomes.append(editing.apply(plan))
        except EditConflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=staff_member, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    done = [o for o in outcomes if isinstance(o, editing.Saved)]
    assert len(done) == 1
    assert sum(isinstance(o, EditConflict) for o in outcomes) == 7
    assert editing.current_version(kb_copy, "clinic.yaml") == done[0].version
    assert history_files(kb_copy) == [f"{done[0].backup}/clinic.yaml"]


def test_a_save_revalidates_when_another_file_changed_since_it_was_planned(kb_copy):
    plan = editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
    sources = kb_copy / "sources.yaml"
    sources.write_text(sources.read_text().replace("published: 2025-03-27",
                                                   "published: someday"))
    before = (kb_copy / "clinic.yaml").read_bytes()
    with pytest.raises(KnowledgeInvalid, match="expected a date"):
        editing.apply(plan)
    assert (kb_copy / "clinic.yaml").read_bytes() == before


def test_backups_made_within_the_same_instant_get_their_own_versions(kb_copy):
    clock = fixed_clock(*["2025-04-01T10:20:30.000001"] * 3)
    for phone in ("780-555-0101", "780-555-0102", "780-555-0103"):
        saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": phone}), clock=clock)
    assert [v.id for v in editing.history(kb_copy)] == [
        "20250401T102030.000001Z-3", "20250401T102030.000001Z-2", "20250401T102030.000001Z"]


def test_a_failed_write_leaves_the_file_whole_and_no_temporary_file(kb_copy, monkeypatch):
    path = kb_copy / "clinic.yaml"
    before = path.read_bytes()
    plan = editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780-555-0100"}))

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        editing.apply(plan)
    assert path.read_bytes() == before
    assert [p.name for p in kb_copy.iterdir() if p.name.startswith(".")] == []


def test_stray_tmp_files_are_removed(kb_copy):
    # What a save killed between writing its temporary file and renaming it leaves behind.
    stray = [kb_copy / ".passages.yaml.k3j9x_2a.tmp",
             kb_copy / "history" / "20250101T000000.000000Z" / ".clinic.yaml.abc123.tmp"]
    stray[1].parent.mkdir(parents=True)
    (stray[1].parent / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text())
    for path in stray:
        path.write_text("passages: [half writ")
    kept = [kb_copy / ".notes.tmp", kb_copy / "passages.yaml.tmp"]  # not a save's
    for path in kept:
        path.write_text("mine")

    saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))

    assert [p for p in stray if p.exists()] == []
    assert all(p.exists() for p in kept)
    assert remove_temporary_files(kb_copy) == []


def test_a_file_name_outside_the_schema_is_refused(kb_copy):
    with pytest.raises(ValueError, match=r"got '\.\./secrets\.yaml'"):
        editing.open_file(kb_copy, "../secrets.yaml")


# --- History: pruned, listed, restored --------------------------------------------------------


def test_history_is_pruned(kb_copy, monkeypatch):
    monkeypatch.setenv("ASSISTANT_HISTORY_VERSIONS", "3")
    monkeypatch.setenv("ASSISTANT_HISTORY_DAYS", "30")
    days = ["2025-01-01", "2025-03-01", "2025-03-10", "2025-03-20", "2025-03-30", "2025-04-01"]
    for number, day in enumerate(days):
        saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": f"780-555-010{number}"}),
              clock=fixed_clock(f"{day}T12:00:00"))
        assert len(editing.history(kb_copy)) <= 3
    assert [v.saved_at.date().isoformat() for v in editing.history(kb_copy)] == [
        "2025-04-01", "2025-03-30", "2025-03-20"]


@pytest.mark.parametrize(("keep", "kept"), [
    (Limits(versions=10, days=365), ["2025-04-01", "2025-03-01", "2024-05-01"]),
    (Limits(versions=2, days=365), ["2025-04-01", "2025-03-01"]),
    (Limits(versions=10, days=45), ["2025-04-01", "2025-03-01"]),
    (Limits(versions=1, days=1), ["2025-04-01"]),
])
def test_pruning_keeps_the_newest_versions_within_the_days(kb_copy, keep, kept):
    for day in ("2024-05-01", "2025-03-01", "2025-04-01"):
        folder = kb_copy / "history" / f"{day.replace('-', '')}T000000.000000Z"
        folder.mkdir(parents=True)
        (folder / "clinic.yaml").write_text("clinic: {}\n")
    (kb_copy / "history" / "20250402T000000.000000Z").mkdir()  # a killed save's, empty
    now = dt.datetime(2025, 4, 2, tzinfo=dt.UTC)
    prune(kb_copy, keep, now)
    assert [v.saved_at.date().isoformat() for v in editing.history(kb_copy)] == kept
    assert not (kb_copy / "history" / "20250402T000000.000000Z").exists()


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("ASSISTANT_HISTORY_VERSIONS", "many", "ASSISTANT_HISTORY_VERSIONS must be a whole number "
                                           "of versions, got 'many'"),
    ("ASSISTANT_HISTORY_DAYS", "0", "ASSISTANT_HISTORY_DAYS must be at least 1, got 0"),
])
def test_a_bad_history_setting_refuses_the_save(kb_copy, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    before = (kb_copy / "clinic.yaml").read_bytes()
    with pytest.raises(HistoryError) as caught:
        saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
    assert describe(caught.value) == f"Nothing was saved: {message}."
    assert (kb_copy / "clinic.yaml").read_bytes() == before


def test_restore_puts_a_version_back_exactly_and_backs_up_what_it_replaces(kb_copy):
    path = kb_copy / "passages.yaml"
    original = path.read_bytes()
    before = fingerprint(kb_copy)
    first = saved(kb_copy, AddItem("passages.yaml", "swedish-massage", "questions",
                                   NEW_QUESTION), clock=fixed_clock("2025-04-01T10:00:00"))
    edited = path.read_bytes()

    plan = editing.plan_restore(kb_copy, first.backup)
    assert plan.valid and plan.diff().startswith("--- passages.yaml now\n")
    restored = editing.apply(plan, clock=fixed_clock("2025-04-02T09:00:00"))

    assert path.read_bytes() == original
    assert fingerprint(kb_copy) == before
    assert restored == editing.Saved("passages.yaml", editing.version_of(original),
                                     "20250402T090000.000000Z",
                                     backups=("20250402T090000.000000Z",))
    assert (kb_copy / "history" / restored.backup / "passages.yaml").read_bytes() == edited
    assert [(v.id, v.name, v.saved_at.isoformat()) for v in editing.history(kb_copy)] == [
        ("20250402T090000.000000Z", "passages.yaml", "2025-04-02T09:00:00+00:00"),
        ("20250401T100000.000000Z", "passages.yaml", "2025-04-01T10:00:00+00:00"),
    ]


def test_restoring_an_unknown_version_names_the_newest_ones(kb_copy):
    with pytest.raises(HistoryError) as caught:
        editing.plan_restore(kb_copy, "20240101T000000.000000Z")
    assert describe(caught.value) == (
        f"There is no saved version '20240101T000000.000000Z' in {kb_copy / 'history'}. "
        "There are no saved versions yet.")
    saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780"}),
          clock=fixed_clock("2025-04-01T10:00:00"))
    with pytest.raises(HistoryError, match=r"The newest are: 20250401T100000\.000000Z\.$"):
        editing.plan_restore(kb_copy, "nope")


def test_restoring_over_a_newer_save_is_refused(kb_copy):
    first = saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780-555-0100"}))
    diff, seen = editing.restore_diff(kb_copy, first.backup)
    assert '-  phone: 780-555-0100\n+  phone: ""\n' in diff
    saved(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780-555-0199"}))
    with pytest.raises(EditConflict):
        editing.apply(editing.plan_restore(kb_copy, first.backup, base_version=seen))
    assert "780-555-0199" in (kb_copy / "clinic.yaml").read_text()


def test_a_version_that_no_longer_fits_the_knowledge_base_is_not_restored(kb_copy):
    version = kb_copy / "history" / "20250101T000000.000000Z"
    version.mkdir(parents=True)
    (version / "passages.yaml").write_text("passages:\n  - id: x\n")
    before = (kb_copy / "passages.yaml").read_bytes()
    plan = editing.plan_restore(kb_copy, "20250101T000000.000000Z")
    assert any("every passage needs 'section'" in e.problem for e in plan.errors)
    with pytest.raises(KnowledgeInvalid):
        editing.apply(plan)
    assert (kb_copy / "passages.yaml").read_bytes() == before


def test_restore_mends_a_file_broken_on_disk(kb_copy):
    path = kb_copy / "smalltalk.yaml"
    doc = editing.open_file(kb_copy, "smalltalk.yaml")
    first = saved(kb_copy, SetFields("smalltalk.yaml", 0, {"reply": "Hello there!"}))
    path.write_text("smalltalk: [unclosed\n")
    with pytest.raises(KnowledgeInvalid):
        load_knowledge(kb_copy)
    with pytest.raises(KnowledgeError):
        editing.open_file(kb_copy, "smalltalk.yaml")
    editing.apply(editing.plan_restore(kb_copy, first.backup))
    assert yaml.safe_load(path.read_text()) == doc.data
    assert editing.history(kb_copy)[0].path.read_text() == "smalltalk: [unclosed\n"
