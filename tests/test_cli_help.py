"""`python -m assistant COMMAND --help`: every argument explained, every exit code named, and
the question file's format for eval, readable in an 80-column terminal."""

from __future__ import annotations

import argparse
import re
import textwrap

import pytest

from assistant.cli import main, parser
from assistant.evaluate import KINDS, QUESTION_FILE_FORMAT, load_cases

EXIT_CODES = {"ask": {0, 2}, "eval": {0, 1, 2}, "validate": {0, 2}, "history": {0, 2},
              "restore": {0, 2}, "import-article": {0, 2}, "gaps": {0, 2}}


def commands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def help_text(capsys, monkeypatch, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_checked():
    assert set(commands()) == set(EXIT_CODES)


@pytest.mark.parametrize("command", sorted(EXIT_CODES))
def test_every_argument_of_every_command_has_help(command):
    sub = commands()[command]
    for action in sub._actions:
        name = "/".join(action.option_strings) or action.dest
        assert action.help and action.help != argparse.SUPPRESS, f"{command} {name}: no help"
        assert len(action.help.split()) >= 3, f"{command} {name}: '{action.help}' says too little"


@pytest.mark.parametrize("command", sorted(EXIT_CODES))
def test_each_command_help_names_its_exit_codes(capsys, monkeypatch, command):
    text = help_text(capsys, monkeypatch, command)
    assert "\nexit codes:\n" in text
    codes = text.split("\nexit codes:\n", 1)[1]
    assert {int(code) for code in re.findall(r"^  (\d)  \S", codes, re.M)} == EXIT_CODES[command]


def test_the_top_level_help_names_the_exit_codes_and_every_command(capsys, monkeypatch):
    text = help_text(capsys, monkeypatch)
    codes = text.split("\nexit codes:\n", 1)[1]
    assert {int(code) for code in re.findall(r"^  (\d)  \S", codes, re.M)} == {0, 1, 2}
    for command in EXIT_CODES:
        assert re.search(rf"^    {command}\s+\S", text, re.M), command


@pytest.mark.parametrize("command", ["", *sorted(EXIT_CODES)])
def test_help_fits_an_80_column_terminal(capsys, monkeypatch, command):
    text = help_text(capsys, monkeypatch, *([command] if command else []))
    assert [line for line in text.splitlines() if len(line) > 79] == []


def test_eval_help_describes_every_kind_and_field_of_the_question_file(capsys, monkeypatch):
    text = help_text(capsys, monkeypatch, "eval")
    assert QUESTION_FILE_FORMAT in text
    kinds = set(re.findall(r"^    ([a-z_]+)  +\S", QUESTION_FILE_FORMAT, re.M))
    assert kinds == set(KINDS)
    fields = set(re.findall(r"^  ([a-z]+)  +\S", QUESTION_FILE_FORMAT, re.M))
    assert fields == {"q", "kind", "expect", "history", "rule", "src", "split"}


def test_the_question_file_example_in_the_help_is_a_valid_question_file(tmp_path):
    example = textwrap.dedent(QUESTION_FILE_FORMAT.split("\nexample:\n", 1)[1])
    path = tmp_path / "example.yaml"
    path.write_text(example)
    cases = load_cases(path)
    assert [c.kind for c in cases] == ["answer", "answer", "out_of_scope", "urgent"]
    assert cases[1].history == ("What is Swedish massage?",)
