"""Round-trip writing: only changed values rewritten, comments and layout kept."""

from __future__ import annotations

import copy

import pytest
import yaml

from assistant.editing.yamltext import dump, header_of, patch
from assistant.knowledge import FILES, parse, plain
from tests.helpers import KNOWLEDGE, SHIPPED_KNOWLEDGE

COMMENTED = """\
# Passages, with staff notes.
passages:
  # Checked against the article on 2025-04-01 (Dana).
  - id: a
    title: First  # the article's heading
    questions:
      - Why?  # a visitor asked this in March
      - How?
    keywords: [one, two]

  # TODO: ask the author about this one
  - id: b
    title: Second
    text: |
      Line one.
      Line two.
    questions:
      - What?
      - When?
# End of passages.
"""


def edit(text: str, change) -> str:
    data = plain(parse(text, "f"))
    change(data)
    return patch(text, data)


@pytest.mark.parametrize("folder", [KNOWLEDGE, SHIPPED_KNOWLEDGE], ids=["fixture", "shipped"])
@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.name)
def test_writing_the_same_data_gives_the_same_bytes(folder, spec):
    text = (folder / spec.name).read_text(encoding="utf-8")
    assert patch(text, plain(parse(text, spec.name))) == text


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["passages"][0].update(title="Premier"),
     COMMENTED.replace("title: First  #", "title: Premier  #")),
    (lambda d: d["passages"][0]["questions"].append("Where?"),
     COMMENTED.replace("      - How?\n", "      - How?\n      - Where?\n")),
    (lambda d: d["passages"][0]["questions"].remove("Why?"),
     COMMENTED.replace("      - Why?  # a visitor asked this in March\n", "")),
    (lambda d: d["passages"][0].update(keywords=["one", "two", "three"]),
     COMMENTED.replace("[one, two]", "[one, two, three]")),
    (lambda d: d["passages"][1].update(text="Line one.\nLine 2.\n"),
     COMMENTED.replace("      Line two.", "      Line 2.")),
    (lambda d: d["passages"][1].update(title="Second: the sequel"),
     COMMENTED.replace("title: Second\n", 'title: "Second: the sequel"\n')),
    (lambda d: d["passages"][1].update(keywords=["x"]),
     COMMENTED.replace("      - When?\n", "      - When?\n    keywords: [x]\n")),
    (lambda d: d["passages"][0].pop("keywords"),
     COMMENTED.replace("    keywords: [one, two]\n", "")),
    (lambda d: d["passages"].pop(1),
     COMMENTED.split("\n  # TODO")[0] + "# End of passages.\n"),
    (lambda d: d["passages"].pop(0),
     COMMENTED.replace(COMMENTED[COMMENTED.index("  # Checked"):COMMENTED.index("  # TODO")],
                       "")),
    (lambda d: d["passages"].append({"id": "c", "title": "Third", "text": "Only.\n",
                                     "questions": ["Who?", "Which?"], "keywords": ["z"]}),
     COMMENTED.replace("# End of passages.\n",
                       "\n  - id: c\n    title: Third\n    text: |\n      Only.\n    questions:\n"
                       "      - Who?\n      - Which?\n    keywords: [z]\n# End of passages.\n")),
], ids=["scalar", "list item added", "list item removed", "inline list", "block text",
        "quoted when needed", "key added like its neighbours", "key removed", "last entry removed",
        "first entry removed", "entry added like its neighbours"])
def test_only_what_changed_is_rewritten(change, expected):
    assert edit(COMMENTED, change) == expected


def test_comments_inside_a_file_survive_a_save_of_another_entry():
    text = edit(COMMENTED, lambda d: d["passages"][1]["questions"].append("How long?"))
    for comment in ("# Passages, with staff notes.", "# Checked against the article",
                    "# the article's heading", "# a visitor asked this in March",
                    "# TODO: ask the author", "# End of passages."):
        assert comment in text


@pytest.mark.parametrize(("text", "data", "expected"), [
    ('clinic:\n  name: G  # ours\n  phone: ""\n  address:\n',
     {"clinic": {"name": "G", "phone": "780 555-0100", "address": "1 Main St"}},
     "clinic:\n  name: G  # ours\n  phone: 780 555-0100\n  address: 1 Main St\n"),
    ("l:\n  - a\n  - b\n", {"l": []}, "l: []\n"),
    ("l: []\n", {"l": ["a"]}, "l: [a]\n"),
    ("x: 1\n", {"x": "1"}, 'x: "1"\n'),
    ("# only a comment\n", {"a": ["b"]}, "# only a comment\na:\n  - b\n"),
    ("a: x\nb: y", {"a": "x", "b": "y", "c": "z"}, "a: x\nb: y\nc: z\n"),
], ids=["empty values filled", "list emptied", "empty list filled", "type kept apart",
        "no document yet", "no final line break"])
def test_edge_cases(text, data, expected):
    assert patch(text, data) == expected
    assert yaml.safe_load(expected) == data


def test_an_entry_losing_its_first_key_is_written_again_whole():
    text = "x:\n  - id: a\n    t: 1  # note\n  - id: b\n"
    assert patch(text, {"x": [{"t": 1}, {"id": "b"}]}) == "x:\n  - t: 1  # note\n  - id: b\n"


def test_every_value_survives_any_edit_of_the_fixture_files():
    for spec in FILES:
        text = (KNOWLEDGE / spec.name).read_text(encoding="utf-8")
        data = plain(parse(text, spec.name))
        body = data[spec.top_key]
        changed = copy.deepcopy(data)
        if isinstance(body, list):
            changed[spec.top_key] = list(reversed(changed[spec.top_key]))
        else:
            changed[spec.top_key]["phone"] = "780 555-0100"
        assert yaml.safe_load(patch(text, changed)) == changed, spec.name


@pytest.mark.parametrize(("text", "header"), [
    ("# one\n# two\nclinic:\n  name: x\n", "# one\n# two\n"),
    ("# one\n\n# two\n\nclinic: {}\n", "# one\n\n# two\n"),
    ("clinic:\n  name: x  # not a header\n", ""),
    ("", ""),
])
def test_header_is_the_leading_comment_block(text, header):
    assert header_of(text) == header


def test_dump_writes_each_kind_of_value_as_people_write_it():
    assert dump({"rules": [{"id": "a", "message": "**Call 911.**\n- first"}],
                 "words": ["can't sit still"], "reply": "Héllo – “you”"}) == (
        "rules:\n  - id: a\n    message: |\n      **Call 911.**\n      - first\nwords:\n"
        "  - can't sit still\nreply: Héllo – “you”\n")
