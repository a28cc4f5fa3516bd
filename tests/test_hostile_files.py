"""Files that attacked the loader: each is a clear KnowledgeError naming the file, never a crash,
a hang or a file read from outside the knowledge folder, in the command line and the app alike.

Tests that could crash or hang the test process run the loader in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant import editing, safety
from assistant.cli import main
from assistant.editing import SetFields
from assistant.errors import (
    AssistantError,
    KnowledgeError,
    KnowledgeFolderMissing,
    KnowledgeInvalid,
    describe,
)
from assistant.knowledge import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, load_knowledge
from assistant.knowledge import loader as loader_module
from assistant.knowledge import reader as reader_module
from assistant.safety_check import checked_knowledge
from assistant.serving import EngineCache
from tests.helpers import ROOT

SUBPROCESS_TIMEOUT = 60


def problems(directory) -> list[str]:
    """Every problem load_knowledge reports, worded, without the folder prefix."""
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(directory)
    return [describe(e).removeprefix(f"{directory}/") for e in caught.value.errors]


def validate_in_subprocess(directory) -> subprocess.CompletedProcess:
    """`python -m assistant validate DIR` in its own process, so a crash or a hang fails the
    test instead of taking pytest down."""
    return subprocess.run([sys.executable, "-m", "assistant", "validate", str(directory)],
                          cwd=ROOT, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)


DEPTH_PROBLEM = (f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; a "
                 "knowledge file needs only a few")


@pytest.mark.parametrize(("text", "where"), [
    ("[" * 40_000, f"line 1, column {MAX_DEPTH + 1}"),
    ("- " * 20_000 + "x\n", f"line 1, column {2 * MAX_DEPTH + 1}"),
], ids=["flow", "block"])
def test_deeply_nested_yaml_is_refused_without_crashing(kb_copy, text, where):
    # PyYAML's C composer recurses per level and overflowed the stack here (a segfault that
    # took the Streamlit server down); the reader stops at the first level too deep.
    (kb_copy / "passages.yaml").write_text(text)
    result = validate_in_subprocess(kb_copy)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("The knowledge base has 1 problem:\n"
                             f"- {kb_copy}/passages.yaml, {where}: {DEPTH_PROBLEM}\n")


def test_depth_500_is_a_knowledge_error(kb_copy):
    deep = "passages:\n" + "  " + "[" * 500 + "]" * 500 + "\n"
    (kb_copy / "passages.yaml").write_text(deep)
    assert problems(kb_copy) == [f"passages.yaml, line 2, column {MAX_DEPTH + 2}: "
                                 f"{DEPTH_PROBLEM}"]
    with pytest.raises(KnowledgeError, match="nested more than"):
        editing.open_file(kb_copy, "passages.yaml")
    # A save elsewhere validates it all.
    plan = editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
    with pytest.raises(KnowledgeInvalid, match="nested more than"):
        editing.apply(plan)


def test_too_many_values_are_refused(kb_copy):
    (kb_copy / "synonyms.yaml").write_text("synonyms: [" + "a, " * MAX_NODES + "]\n")
    [problem] = problems(kb_copy)
    assert problem.startswith("synonyms.yaml, line 1, column ")
    assert problem.endswith(f"the file holds more than {MAX_NODES:,} values, more than any "
                            "knowledge file needs; it was not loaded")


def test_a_block_of_too_many_lines_is_refused_like_too_many_values(kb_copy):
    # A list written one item a line: a file under the size limit could otherwise hold
    # hundreds of thousands of safety samples, each replayed on every save.
    path = kb_copy / "safety.yaml"
    text = path.read_text(encoding="utf-8")
    listed = "    must_not_trigger:\n      - my calves cramp at night\n"
    assert listed in text
    path.write_text(text.replace(listed, "    must_not_trigger: |\n" + "      a\n" * MAX_NODES),
                    encoding="utf-8")
    [problem] = problems(kb_copy)
    assert problem.startswith("safety.yaml, line ")
    assert problem.endswith(f"the file holds more than {MAX_NODES:,} values, more than any "
                            "knowledge file needs; it was not loaded")


# Values in order: the mapping, a, the block and its 3 lines (8 blank lines and a note after
# it: the block spans 13 lines of the file), b, c.
BLOCK_THEN_MORE = "a: |\n" + "  x\n" * 3 + "\n" * 8 + "# a note\n\n" + "b: c\n"


@pytest.mark.parametrize(("limit", "refused_at"), [(8, None), (7, (15, 4)), (5, (1, 4))],
                         ids=["at-the-limit", "one-over-at-c", "over-at-the-block"])
def test_a_block_counts_its_lines_not_the_lines_it_spans(monkeypatch, limit, refused_at):
    monkeypatch.setattr(reader_module, "MAX_NODES", limit)
    if refused_at is None:
        assert reader_module.parse(BLOCK_THEN_MORE, "f.yaml").value[1][1].value == "c"
        return
    with pytest.raises(KnowledgeError) as caught:
        reader_module.parse(BLOCK_THEN_MORE, "f.yaml")
    assert (caught.value.line, caught.value.column) == refused_at
    assert caught.value.problem.startswith(f"the file holds more than {limit:,} values")


def test_an_oversized_edit_is_refused_before_it_is_parsed(kb_copy):
    plan = editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0,
                                                {"address": "x" * MAX_FILE_BYTES}))
    [error] = plan.errors
    assert (error.file, error.line) == ("clinic.yaml", None)
    assert error.problem.endswith(f"over the {MAX_FILE_BYTES:,}-byte limit for knowledge files; "
                                  "it was not loaded")


def test_symlinked_knowledge_file_is_refused(kb_copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((kb_copy / "clinic.yaml").read_text().replace("Granville", "Elsewhere"))
    (kb_copy / "clinic.yaml").unlink()
    (kb_copy / "clinic.yaml").symlink_to(outside)
    assert problems(kb_copy) == [
        "clinic.yaml: this is a symbolic link, which is not followed; put the file itself here, "
        "inside the knowledge folder"]
    with pytest.raises(KnowledgeError, match="symbolic link"):
        editing.open_file(kb_copy, "clinic.yaml")


def test_a_symlinked_source_text_is_refused(kb_copy, tmp_path):
    text = kb_copy / "sources" / "rls-massage-article.txt"
    outside = tmp_path / "article.txt"
    outside.write_bytes(text.read_bytes())
    text.unlink()
    text.symlink_to(outside)
    assert problems(kb_copy) == [
        "sources/rls-massage-article.txt: source 'rls-massage-article': this is a symbolic link, "
        "which is not followed; put the file itself here, inside the knowledge folder"]


@pytest.mark.parametrize("relative", ["../article.txt", "/tmp/article.txt",
                                      "sources/../../article.txt"])
def test_a_source_text_outside_the_folder_is_refused(kb_copy, relative):
    sources = kb_copy / "sources.yaml"
    sources.write_text(sources.read_text().replace("sources/rls-massage-article.txt", relative))
    assert problems(kb_copy) == [
        f"sources.yaml, line 9: source 'rls-massage-article': key 'file': the file '{relative}' "
        "must be inside the knowledge folder"]


def test_a_symlinked_sources_folder_is_refused(kb_copy, tmp_path):
    (kb_copy / "sources").rename(tmp_path / "sources")
    (kb_copy / "sources").symlink_to(tmp_path / "sources")
    assert problems(kb_copy) == [
        "sources.yaml, line 9: source 'rls-massage-article': key 'file': the file "
        "'sources/rls-massage-article.txt' must be inside the knowledge folder"]


def test_restore_never_copies_a_file_from_outside_the_folder(kb_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("clinic:\n  name: not ours\n")
    # A save over a symlinked file backs up nothing and writes nothing.
    (kb_copy / "scope.yaml").rename(tmp_path / "scope.yaml")
    (kb_copy / "scope.yaml").symlink_to(secret)
    plan = editing.plan_edit(kb_copy, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
    with pytest.raises(KnowledgeInvalid, match="symbolic link"):
        editing.apply(plan)
    with pytest.raises(KnowledgeError, match="symbolic link"):
        editing.current_version(kb_copy, "scope.yaml")
    # A symlink planted in the history is neither listed nor restored.
    version = kb_copy / "history" / "20250101T000000.000000Z"
    version.mkdir(parents=True)
    (version / "clinic.yaml").symlink_to(secret)
    assert editing.history(kb_copy) == []
    with pytest.raises(AssistantError, match="no saved version"):
        editing.plan_restore(kb_copy, version.name)
    assert secret.read_text() not in (kb_copy / "clinic.yaml").read_text()


def test_fifo_is_refused_without_hanging(kb_copy):
    (kb_copy / "passages.yaml").unlink()
    os.mkfifo(kb_copy / "passages.yaml")
    result = validate_in_subprocess(kb_copy)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("The knowledge base has 1 problem:\n"
                             f"- {kb_copy}/passages.yaml: this is a pipe (FIFO), not a regular "
                             "file, so it was not read\n")
    # The version check the chat runs on every question does not wait on it either.
    serve = ("from assistant.serving import current; import sys; "
             "print(current(sys.argv[1]).problem.errors[0].problem)")
    served = subprocess.run([sys.executable, "-c", serve, str(kb_copy)], cwd=ROOT,
                            capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    assert served.stdout == "this is a pipe (FIFO), not a regular file, so it was not read\n"


@pytest.mark.parametrize(("folder", "expected"), [
    ("passages.yaml", "passages.yaml: this is a folder, not a file; put the file itself here"),
    ("sources/rls-massage-article.txt",
     "sources/rls-massage-article.txt: source 'rls-massage-article': this is a folder, not a "
     "file; put the file itself here"),
])
def test_directory_in_place_of_a_file_is_an_error(kb_copy, folder, expected):
    (kb_copy / folder).unlink()
    (kb_copy / folder).mkdir()
    assert problems(kb_copy) == [expected]


def test_a_file_in_place_of_the_knowledge_folder_is_an_error(tmp_path):
    folder = tmp_path / "knowledge"
    folder.write_text("not a folder")
    with pytest.raises(KnowledgeFolderMissing) as caught:
        load_knowledge(folder)
    assert describe(caught.value) == f"The knowledge folder {folder} is a file, not a folder."


def test_unexpected_loader_exception_is_a_knowledge_error(kb_copy, monkeypatch, capsys):
    cache = EngineCache()
    good = cache.serve(str(kb_copy)).engine

    def bug(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(loader_module, "check_file", bug)
    monkeypatch.setattr(loader_module, "_PARSED", {})  # every file checked again
    unexpected = ("this file could not be loaded because of an unexpected problem "
                  "(RuntimeError: boom); please report it")
    assert problems(kb_copy)[0] == f"sources.yaml: {unexpected}"
    # The command line exits 2 with the message, no traceback.
    assert main(["validate", str(kb_copy)]) == 2
    assert f"- {kb_copy}/passages.yaml: {unexpected}\n" in capsys.readouterr().err
    # The chat keeps serving the last good version.
    (kb_copy / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text() + "\n")
    serving = cache.serve(str(kb_copy))
    assert serving.engine is good
    assert describe(serving.problem.errors[0]).endswith(unexpected)


def test_unexpected_exception_while_parsing_or_replaying_is_a_knowledge_error(kb_copy,
                                                                             monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("boom")

    real_build = reader_module._build
    monkeypatch.setattr(reader_module, "_build", bug)
    with pytest.raises(KnowledgeError) as caught:
        editing.open_file(kb_copy, "clinic.yaml")  # the staff page opens files this way
    assert describe(caught.value) == (
        f"{kb_copy}/clinic.yaml: this file could not be loaded because of an unexpected problem "
        "(RuntimeError: boom); please report it")
    monkeypatch.setattr(reader_module, "_build", real_build)
    monkeypatch.setattr(safety, "sample_errors", bug)
    with pytest.raises(KnowledgeInvalid) as invalid:
        checked_knowledge(kb_copy)
    assert describe(invalid.value.errors[0]) == (
        f"{kb_copy}/safety.yaml: the safety samples could not be checked because of an "
        "unexpected problem (RuntimeError: boom); please report it")
