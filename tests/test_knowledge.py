"""The loader's optional fields, the schema against the model, and where entries are written
(broken files are in test_validation.py, hostile ones in test_hostile_files.py)."""

from __future__ import annotations

import ast
import dataclasses

import pytest

from assistant.knowledge import FILES, Knowledge, load_knowledge
from assistant.knowledge.reader import parse as reader_parse
from assistant.knowledge.schema import KINDS
from tests.helpers import ROOT


def test_a_passage_without_keywords_loads_with_none(kb_copy):
    path = kb_copy / "passages.yaml"
    lines = path.read_text().splitlines(keepends=True)
    first = lines.index("  - id: massage-overview\n")
    keywords = next(n for n in range(first, len(lines)) if lines[n].startswith("    keywords:"))
    del lines[keywords]
    path.write_text("".join(lines))
    assert load_knowledge(kb_copy).passage("massage-overview").keywords == ()


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.name)
def test_every_schema_field_is_a_field_of_its_model_class(spec):
    # Adding a field is one Field(...) line in the schema and the attribute on the model class.
    assert {f.name for f in spec.fields} == {f.name for f in dataclasses.fields(spec.cls)}
    assert {f.kind for f in spec.fields} <= set(KINDS)
    assert spec.attribute in {f.name for f in dataclasses.fields(Knowledge)}


def test_lines_point_at_entries_keys_and_list_items(kb_copy):
    knowledge = load_knowledge(kb_copy)
    lines = (kb_copy / "safety.yaml").read_text().splitlines()
    sample = knowledge.safety[0].must_trigger[0]
    assert lines[knowledge.line("safety.yaml", knowledge.safety[0].id, "must_trigger",
                                sample) - 1].strip() == f"- {sample}"
    assert lines[knowledge.line("safety.yaml", knowledge.safety[0].id) - 1].strip() == \
        f"- id: {knowledge.safety[0].id}"
    # An unknown list item falls back to its key's line.
    assert knowledge.line("safety.yaml", knowledge.safety[0].id, "must_trigger", "nope") == \
        knowledge.line("safety.yaml", knowledge.safety[0].id, "must_trigger")


def test_the_line_of_a_list_item_is_its_first_one_in_block_and_flow_lists(kb_copy):
    path = kb_copy / "safety.yaml"
    text = path.read_text()
    listed = ("    must_not_trigger:\n      - my calves cramp at night\n"
              "      - is a warm bath good before bed\n")
    assert listed in text
    path.write_text(text.replace(listed, "    must_not_trigger:\n      - my calves cramp at night\n"
                                         "      -   is a warm bath good before bed  \n"
                                         "      - my calves cramp at night\n"
                                         "    unless: [warm bath,\n      'cold  ']\n"))
    knowledge = load_knowledge(kb_copy)
    lines = path.read_text().splitlines()

    def line(key: str, item: str) -> int:
        return knowledge.line("safety.yaml", "blood-clot", key, item)

    assert lines[line("must_not_trigger", "my calves cramp at night") - 1] == \
        "      - my calves cramp at night"  # the first of the two
    assert lines[line("must_not_trigger", "is a warm bath good before bed") - 1].strip() == \
        "-   is a warm bath good before bed"
    assert lines[line("unless", "cold") - 1] == "      'cold  ']"
    assert line("unless", "warm bath") == line("unless", "cold") - 1


def test_the_knowledge_package_imports_nothing_of_the_engine():
    # Lower layers never import upper ones: the safety replay lives on the engine side.
    below = {"errors", "settings", "patterns"}
    for path in sorted((ROOT / "assistant" / "knowledge").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                imported = {node.module} if node.module else {a.name for a in node.names}
                assert imported <= below, (path.name, imported)
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                    [a.name for a in node.names]
                assert not any(n.startswith("assistant") for n in names), (path.name, names)


def test_a_file_whose_text_is_unchanged_is_not_parsed_again(kb_copy, monkeypatch):
    from assistant.knowledge import loader

    load_knowledge(kb_copy)
    parsed = []
    monkeypatch.setattr(loader, "parse", lambda text, name: parsed.append(name) or
                        reader_parse(text, name))
    (kb_copy / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text() + "\n# edited\n")
    again = load_knowledge(kb_copy)
    assert parsed == ["clinic.yaml"]
    assert again.passages == load_knowledge(kb_copy).passages
