"""The loader's handling of optional fields (the rest of the schema is tested elsewhere)."""

from __future__ import annotations

from assistant.knowledge import load_knowledge


def test_a_passage_without_keywords_loads_with_none(knowledge_dir):
    path = knowledge_dir / "passages.yaml"
    text = path.read_text()
    line = "    keywords: [tired, exhausted, fatigue, frustrated, alternative]\n"
    assert line in text
    path.write_text(text.replace(line, "", 1))
    assert load_knowledge(knowledge_dir).passage("rls-overview").keywords == ()
