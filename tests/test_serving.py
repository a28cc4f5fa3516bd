"""LastGood: the newest valid knowledge base, else the last good one, never an exception."""

from __future__ import annotations

import pytest

from assistant.errors import KnowledgeChanged
from assistant.serving import LastGood, build_engine


def test_serves_the_current_files(kb_copy):
    serving = LastGood().serve(str(kb_copy))
    assert serving.problem is None
    assert serving.engine.ask("What is reflexology?").status == "answered"


def test_a_broken_edit_keeps_the_last_good_engine(kb_copy):
    holder = LastGood()
    good = holder.serve(str(kb_copy)).engine
    (kb_copy / "passages.yaml").write_text("passages: [")
    serving = holder.serve(str(kb_copy))
    assert serving.engine is good
    assert serving.problem.errors[0].line == 2


def test_an_unexpected_error_while_building_is_reported_not_raised(kb_copy):
    holder = LastGood()
    good = holder.serve(str(kb_copy)).engine

    def broken(directory, version):
        raise TypeError("boom")

    serving = holder.serve(str(kb_copy), broken)
    assert serving.engine is good
    assert str(serving.problem.errors[0]).endswith(
        "the knowledge base could not be loaded (TypeError: boom)")


def test_files_changing_during_a_load_are_loaded_again(kb_copy):
    calls = []

    def racing(directory, version):
        calls.append(version)
        if len(calls) == 1:  # a staff save lands while the first load runs
            clinic = kb_copy / "clinic.yaml"
            clinic.write_text(clinic.read_text().replace('phone: ""', 'phone: "780-555-0100"'))
        return build_engine(directory, version)

    serving = LastGood().serve(str(kb_copy), racing)
    assert len(calls) == 2 and calls[0] != calls[1]
    assert serving.problem is None
    assert serving.engine.knowledge.clinic.phone == "780-555-0100"


def test_build_engine_refuses_content_other_than_its_version(kb_copy):
    with pytest.raises(KnowledgeChanged) as caught:
        build_engine(str(kb_copy), "not-this-version")
    assert str(caught.value) == \
        f"{kb_copy}: the knowledge files changed while they were being loaded"
