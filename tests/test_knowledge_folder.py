"""A missing or empty knowledge folder is one message naming the folder and what chose it
($ASSISTANT_KNOWLEDGE_DIR, --knowledge or the default), not one "file not found" per file."""

from __future__ import annotations

import io

import pytest

from assistant import settings
from assistant.cli import main
from assistant.errors import KnowledgeFolderMissing, KnowledgeInvalid, describe
from assistant.knowledge import FILES, load_knowledge

ORIGIN_WORDS = {"ASSISTANT_KNOWLEDGE_DIR": "chosen by the environment variable "
                                           "ASSISTANT_KNOWLEDGE_DIR",
                "--knowledge": "given on the command line",
                "default": "the default, the knowledge/ folder next to app.py"}


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(request, tmp_path):
    """A knowledge folder that does not exist, or one that holds only unrelated things."""
    path = tmp_path / "knowledge"
    if request.param == "empty":
        (path / "history").mkdir(parents=True)
        (path / "notes.txt").write_text("not a knowledge file")
    return path


def choose(origin, path, monkeypatch) -> list[str]:
    """Make `origin` choose `path`; the command-line arguments that takes."""
    monkeypatch.delenv("ASSISTANT_KNOWLEDGE_DIR", raising=False)
    if origin == "ASSISTANT_KNOWLEDGE_DIR":
        monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(path))
    elif origin == "default":
        monkeypatch.setattr(settings, "DEFAULT_KNOWLEDGE_DIR", path)
    return ["--knowledge", str(path)] if origin == "--knowledge" else []


@pytest.mark.parametrize("folder", ["missing", "empty"], indirect=True)
@pytest.mark.parametrize("origin", list(ORIGIN_WORDS))
def test_one_message_names_the_folder_what_is_wrong_and_what_chose_it(folder, origin,
                                                                      monkeypatch):
    code, out, err = run(["ask", *choose(origin, folder, monkeypatch), "hello"])
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "file not found" not in err
    assert err.startswith(f"The knowledge folder {folder} ")
    if folder.exists():
        assert "holds none of the knowledge files (sources.yaml, passages.yaml" in err
    else:
        assert f"{folder} does not exist." in err
    assert ORIGIN_WORDS[origin] in err


@pytest.mark.parametrize("folder", ["missing", "empty"], indirect=True)
@pytest.mark.parametrize("argv", [["validate"], ["eval", "--knowledge"], ["history", "--knowledge"],
                                  ["restore", "v1", "--knowledge"]],
                         ids=["validate", "eval", "history", "restore"])
def test_every_command_reading_the_knowledge_folder_says_the_same(folder, argv, tmp_path):
    questions = tmp_path / "questions.yaml"
    questions.write_text('cases:\n  - {q: "hello", kind: smalltalk}\n')
    argv = [*argv, str(folder)] + ([str(questions)] if argv[0] == "eval" else [])
    code, out, err = run(argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"The knowledge folder {folder} ")
    assert ORIGIN_WORDS["--knowledge"] in err


def test_a_folder_missing_some_files_still_lists_each_missing_file(kb_copy):
    for spec in FILES[1:]:
        (kb_copy / spec.name).unlink()
    with pytest.raises(KnowledgeInvalid) as problem:
        load_knowledge(kb_copy)
    assert not isinstance(problem.value, KnowledgeFolderMissing)
    missing = [e for e in problem.value.errors if "file not found" in describe(e)]
    assert len(missing) == len(FILES) - 1


@pytest.mark.parametrize("folder", ["missing", "empty"], indirect=True)
def test_loading_says_so_even_when_the_caller_does_not_say_what_chose_the_folder(folder):
    with pytest.raises(KnowledgeFolderMissing) as problem:
        load_knowledge(folder)
    assert problem.value.origin is None and problem.value.empty == folder.exists()
    assert describe(problem.value).startswith(f"The knowledge folder {folder} ")
    assert len(problem.value.errors) == 1  # pages that list errors show one line, too


def test_the_folder_comes_from_the_command_line_then_the_environment_then_the_default(
        monkeypatch, tmp_path):
    monkeypatch.delenv("ASSISTANT_KNOWLEDGE_DIR", raising=False)
    assert settings.knowledge_source() == (str(settings.DEFAULT_KNOWLEDGE_DIR), "default")
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", "")
    assert settings.knowledge_source()[1] == "default"
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(tmp_path))
    assert settings.knowledge_source() == (str(tmp_path), "ASSISTANT_KNOWLEDGE_DIR")
    assert settings.knowledge_source("elsewhere") == ("elsewhere", "--knowledge")
    assert settings.knowledge_dir() == str(tmp_path)
