"""The engine cache: the newest valid knowledge base, else the last good one, never an exception;
built once per version."""

from __future__ import annotations

import shutil

import pytest

from assistant.errors import KnowledgeChanged, KnowledgeInvalid
from assistant.serving import EngineCache, build_engine, build_version, current
from tests.helpers import BROKEN, copy_knowledge


def test_serves_the_current_files(kb_copy):
    serving = EngineCache().serve(str(kb_copy))
    assert serving.problem is None
    assert serving.engine.ask("What is reflexology?").status == "answered"


def test_a_broken_edit_keeps_the_last_good_engine(kb_copy):
    holder = EngineCache()
    good = holder.serve(str(kb_copy)).engine
    (kb_copy / "passages.yaml").write_text("passages: [")
    serving = holder.serve(str(kb_copy))
    assert serving.engine is good
    assert serving.problem.errors[0].line == 2


def counting(fail_after: int | None = None):
    """A builder that counts its calls and raises TypeError after `fail_after` of them."""
    calls: list[str] = []

    def build(directory, version):
        calls.append(version)
        if fail_after is not None and len(calls) > fail_after:
            raise TypeError("boom")
        return build_version(directory, version)

    return build, calls


def test_an_unexpected_error_while_building_is_reported_not_raised(kb_copy):
    build, _ = counting(fail_after=1)
    holder = EngineCache(build)
    good = holder.serve(str(kb_copy)).engine
    (kb_copy / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text() + "\n")
    serving = holder.serve(str(kb_copy))
    assert serving.engine is good
    assert str(serving.problem.errors[0]).endswith(
        "the knowledge base could not be loaded (TypeError: boom)")


def test_each_version_is_built_once_good_or_broken(kb_copy):
    build, calls = counting()
    holder = EngineCache(build)
    first = holder.serve(str(kb_copy))
    assert holder.serve(str(kb_copy)).engine is first.engine
    (kb_copy / "passages.yaml").write_text("passages: [")
    broken = [holder.serve(str(kb_copy)) for _ in range(3)]
    assert [s.engine for s in broken] == [first.engine] * 3
    assert len(calls) == 2 and calls[0] == first.version and calls[1] == broken[0].version


def test_the_process_has_one_cache_for_every_caller(kb_copy):
    assert current(kb_copy).engine is current(str(kb_copy)).engine


def test_the_cache_keeps_a_bounded_number_of_folders(tmp_path):
    holder = EngineCache(max_folders=2)
    folders = [copy_knowledge(tmp_path / name) for name in "abc"]
    engines = [holder.serve(str(folder)).engine for folder in folders]
    assert holder.serve(str(folders[2])).engine is engines[2]
    assert holder.serve(str(folders[0])).engine is not engines[0]  # forgotten, built again


def test_files_changing_during_a_load_are_loaded_again(kb_copy):
    calls = []

    def racing(directory, version):
        calls.append(version)
        if len(calls) == 1:  # a staff save lands while the first load runs
            clinic = kb_copy / "clinic.yaml"
            clinic.write_text(clinic.read_text().replace('phone: ""', 'phone: "780-555-0100"'))
        return build_version(directory, version)

    serving = EngineCache(racing).serve(str(kb_copy))
    assert len(calls) == 2 and calls[0] != calls[1]
    assert serving.problem is None
    assert serving.engine.knowledge.clinic.phone == "780-555-0100"


def test_build_version_refuses_content_other_than_its_version(kb_copy):
    with pytest.raises(KnowledgeChanged) as caught:
        build_version(str(kb_copy), "not-this-version")
    assert str(caught.value) == \
        f"{kb_copy}: the knowledge files changed while they were being loaded"


def test_a_wrong_safety_sample_is_refused_by_the_engine_build(kb_copy):
    holder = EngineCache()
    good = holder.serve(str(kb_copy)).engine
    shutil.copy(BROKEN / "safety-sample-not-triggered.yaml", kb_copy / "safety.yaml")
    serving = holder.serve(str(kb_copy))
    assert serving.engine is good
    assert [(e.entry_id, e.key) for e in serving.problem.errors] == [("chest-pain",
                                                                      "must_trigger")]
    with pytest.raises(KnowledgeInvalid):
        build_engine(kb_copy)
