"""Lists of texts written as a `|` block, one item a line (how the shipped safety samples are
written): read, checked with lines, edited and written back like YAML lists."""

from __future__ import annotations

import pytest

from assistant.editing.edits import AddItem, edited, entries
from assistant.editing.yamltext import patch
from assistant.errors import KnowledgeInvalid
from assistant.knowledge import SPECS, load_knowledge, parse, plain
from assistant.knowledge.blocks import block_items, block_texts
from assistant.safety_check import checked_knowledge
from tests.helpers import rule, safety_with_block

BLOCK = """\
    must_trigger: |
      # Written from a crisis line's warning signs (a staff note, not a sample).
      I'm having thoughts of suicide

      # Set B.
      this RLS makes me want to kill myself
"""


def _as_block(folder, block: str = BLOCK) -> None:
    safety_with_block(folder, block)


def test_a_block_holds_one_item_a_line_and_skips_notes_and_blank_lines(kb_copy):
    before = rule(load_knowledge(kb_copy), "self-harm")
    _as_block(kb_copy)
    knowledge = load_knowledge(kb_copy)
    assert rule(knowledge, "self-harm") == before
    text = (kb_copy / "safety.yaml").read_text(encoding="utf-8").splitlines()
    line = knowledge.lines[("safety.yaml", "self-harm", "must_trigger",
                            "this RLS makes me want to kill myself")]
    assert text[line - 1].strip() == "this RLS makes me want to kill myself"


def test_a_sample_in_a_block_that_fails_is_named_with_its_line(kb_copy):
    _as_block(kb_copy, BLOCK.replace("this RLS makes me want to kill myself",
                                     "my calves cramp after soccer"))
    with pytest.raises(KnowledgeInvalid) as caught:
        checked_knowledge(kb_copy)
    text = (kb_copy / "safety.yaml").read_text(encoding="utf-8").splitlines()
    [error] = caught.value.errors
    assert (error.file, error.entry_id, error.key) == ("safety.yaml", "self-harm", "must_trigger")
    assert text[error.line - 1].strip() == "my calves cramp after soccer"


def test_a_bad_pattern_in_a_block_is_named_with_its_line(kb_copy):
    path = kb_copy / "safety.yaml"
    text = path.read_text(encoding="utf-8")
    listed = "      - cant take this | cant cope | hopeless\n"
    assert listed in text
    block = "    triggers: |\n      cant take this\n      cope + | hopeless\n"
    path.write_text(text.replace("    triggers:\n" + listed, block), encoding="utf-8")
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    [error] = caught.value.errors
    assert (error.entry_id, error.key) == ("distress", "triggers")
    assert path.read_text(encoding="utf-8").splitlines()[error.line - 1].strip() == \
        "cope + | hopeless"


def test_a_block_with_notes_only_is_a_list_with_no_items(kb_copy):
    _as_block(kb_copy, "    must_trigger: |\n      # to be written\n")
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    [error] = caught.value.errors
    assert (error.entry_id, error.key) == ("self-harm", "must_trigger")
    assert "has 0, and needs at least 1" in error.problem


@pytest.mark.parametrize(("block", "expected"), [
    ("one\ntwo\n", ((1, "one"), (2, "two"))),
    ("  one  \n\n# a note\n\t two\n", ((1, "one"), (4, "two"))),
    # Written decomposed (e + a combining accent), read composed, on the lines that need it.
    ("cafe\u0301 au lait\nplain\nnai\u0308ve\n",
     ((1, "caf\u00e9 au lait"), (2, "plain"), (3, "na\u00efve"))),
    ("I can\u2019t breathe \U0001f629\nA\u030a\n", ((1, "I can\u2019t breathe \U0001f629"),
                                                    (2, "\u00c5"))),
    ("\u2000spaced\u2001\n \u0301alone\n", ((1, "spaced"), (2, "\u0301alone"))),
    ("# only a note \u00e9\n\n", ()),
], ids=["ascii", "notes-and-blanks", "decomposed", "emoji", "unicode-spaces", "notes-only"])
def test_a_block_is_read_line_by_line_in_nfc(block, expected):
    assert block_items(block) == expected
    assert block_texts(block) == tuple(item for _, item in expected)


RULES = """\
rules:
  - id: a
    must_trigger: |
      one
      # Set B.
      two

    tier: urgent
"""


def _written(items: list[str]) -> str:
    data = plain(parse(RULES, "safety.yaml"))
    data["rules"][0]["must_trigger"] = items
    return patch(RULES, data)


@pytest.mark.parametrize(("items", "expected"), [
    (["one", "two"], RULES),
    (["one", "two", "three"], RULES.replace("      two\n", "      two\n      three\n")),
    (["zero", "one", "two"], RULES.replace("      one\n", "      zero\n      one\n")),
    (["one", "one and a half", "two"],
     RULES.replace("      # Set B.\n", "      one and a half\n      # Set B.\n")),
    (["one", "2"], RULES.replace("      two\n", "      2\n")),
    (["two"], RULES.replace("      one\n", "")),
], ids=["unchanged", "added-last", "added-first", "added-above-a-note", "changed", "removed"])
def test_a_block_is_written_back_line_by_line_keeping_its_notes(items, expected):
    assert _written(items) == expected


def test_an_item_that_would_read_as_a_note_is_written_as_a_yaml_list():
    written = _written(["one", "#two"])
    assert plain(parse(written, "safety.yaml"))["rules"][0]["must_trigger"] == ["one", "#two"]


def test_edits_see_a_block_as_a_list_and_add_an_item_as_a_line(kb_copy):
    _as_block(kb_copy)
    text = (kb_copy / "safety.yaml").read_text(encoding="utf-8")
    data = plain(parse(text, "safety.yaml"))
    spec = SPECS["safety.yaml"]
    rule = next(e for e in entries(spec, data) if e["id"] == "self-harm")
    assert rule["must_trigger"] == ["I'm having thoughts of suicide",
                                    "this RLS makes me want to kill myself"]
    result = edited(data, AddItem("safety.yaml", "self-harm", "must_trigger", "i want to die"))
    new_text = patch(text, result.data, "safety.yaml")
    assert new_text == text.replace("      this RLS makes me want to kill myself\n",
                                    "      this RLS makes me want to kill myself\n"
                                    "      i want to die\n")
