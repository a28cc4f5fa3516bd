"""The loader's handling of optional fields (the rest of the schema is tested elsewhere)."""

from __future__ import annotations

from assistant.knowledge import load_knowledge


def test_a_passage_without_keywords_loads_with_none(kb_copy):
    path = kb_copy / "passages.yaml"
    lines = path.read_text().splitlines(keepends=True)
    first = lines.index("  - id: massage-overview\n")
    keywords = next(n for n in range(first, len(lines)) if lines[n].startswith("    keywords:"))
    del lines[keywords]
    path.write_text("".join(lines))
    assert load_knowledge(kb_copy).passage("massage-overview").keywords == ()
