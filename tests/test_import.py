"""Importing an article: one plan writes its text, its source and its draft passages; drafts
are not served until published; `import-article` keeps its command-line contract."""

from __future__ import annotations

import io
import json

import pytest
import yaml

from assistant import articles, editing
from assistant.cli import main
from assistant.editing import EditPlan, ImportArticle
from assistant.editing.importing import article_edit, publish_drafts
from assistant.engine import Engine
from assistant.errors import EditConflict, KnowledgeInvalid
from assistant.knowledge import load_knowledge
from tests.helpers import FIXTURES

ARTICLE = FIXTURES / "articles" / "first-visit.txt"
TITLE = "What To Expect At Your First Massage Therapy Visit"
SOURCE_ID = "expect-first-massage-therapy-visit"
DRAFT_IDS = ["first-massage-therapy-visit-feel-unfamiliar", "before-your-session",
             "what-to-wear", "during-the-massage", "session-comfortable", "after-your-session"]
WEAR = "what should I wear for a massage"


def cleaned() -> str:
    raw = ARTICLE.read_text()
    return articles.cleaned(raw, {j.line for j in articles.junk(raw)})


def import_edit(folder, **options) -> ImportArticle:
    return article_edit(folder, title=TITLE, publisher="Granville Physiotherapy",
                        published="2025-11-12", text=cleaned(), **options)


def test_one_plan_writes_the_text_the_source_and_the_drafts(kb_copy):
    plan = editing.plan_edit(kb_copy, import_edit(kb_copy))
    assert plan.valid, plan.errors
    assert [c.name for c in plan.changes] == [f"sources/{SOURCE_ID}.txt", "sources.yaml",
                                              "passages.yaml"]
    saved = editing.apply(plan)

    assert (kb_copy / "sources" / f"{SOURCE_ID}.txt").read_text() == cleaned()
    knowledge = load_knowledge(kb_copy)
    assert knowledge.sources[SOURCE_ID].title == TITLE
    assert [p.id for p in knowledge.drafts] == DRAFT_IDS
    assert all(p.draft and p.source == SOURCE_ID for p in knowledge.drafts)
    assert not set(DRAFT_IDS) & {p.id for p in knowledge.passages}
    assert sorted(v.name for v in editing.history(kb_copy)) == ["passages.yaml", "sources.yaml"]
    assert len(saved.backups) == 2


def test_drafts_are_not_served_until_published(kb_copy):
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy)))
    assert Engine(load_knowledge(kb_copy)).ask(WEAR).status == "no_match"

    result = publish_drafts(kb_copy, ["what-to-wear"])

    assert (result.published, result.problems, len(result.saves)) == (("what-to-wear",), (), 1)
    answer = Engine(load_knowledge(kb_copy)).ask(WEAR)
    assert [c.id for c in answer.citations] == ["what-to-wear"]
    saved = yaml.safe_load((kb_copy / "passages.yaml").read_text())["passages"]
    assert "draft" not in next(p for p in saved if p["id"] == "what-to-wear")


def test_an_import_can_go_live_at_once(kb_copy):
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy, live=True)))
    knowledge = load_knowledge(kb_copy)
    assert knowledge.drafts == () and knowledge.passage("what-to-wear").source == SOURCE_ID


def test_ids_stay_free_when_the_same_article_is_imported_twice(kb_copy):
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy)))
    again = import_edit(kb_copy)
    assert again.source["id"] == f"{SOURCE_ID}-2"
    assert [p["id"] for p in again.passages] == [f"{i}-2" for i in DRAFT_IDS]


def test_an_article_with_nothing_to_quote_is_refused(kb_copy):
    plan = editing.plan_edit(kb_copy, article_edit(
        kb_copy, title="Empty", publisher="Granville Physiotherapy", published="2025-11-12",
        text="\n"))
    [error] = plan.errors
    assert error.problem == "the article has no paragraphs to quote: paste or upload its text"
    with pytest.raises(KnowledgeInvalid):
        editing.apply(plan)


def test_a_source_with_a_bad_date_and_no_title_is_refused_with_every_problem(kb_copy):
    plan = editing.plan_edit(kb_copy, article_edit(
        kb_copy, title=" ", publisher="", published="2025-13-12", text=cleaned()))
    assert [(e.file, e.key, e.problem) for e in plan.errors] == [
        ("sources.yaml", "title", "is empty; write the title"),
        ("sources.yaml", "publisher", "is empty; write the publisher"),
        ("sources.yaml", "published",
         "'2025-13-12' is not a real date (month must be in 1..12)")]


def test_a_text_file_that_appears_after_planning_is_a_conflict(kb_copy):
    plan = editing.plan_edit(kb_copy, import_edit(kb_copy))
    (kb_copy / "sources" / f"{SOURCE_ID}.txt").write_text("someone else's")
    before = (kb_copy / "passages.yaml").read_bytes()
    with pytest.raises(EditConflict):
        editing.apply(plan)
    assert (kb_copy / "passages.yaml").read_bytes() == before
    assert (kb_copy / "sources" / f"{SOURCE_ID}.txt").read_text() == "someone else's"


def test_a_text_file_already_there_is_refused_when_planning(kb_copy):
    edit = import_edit(kb_copy)
    (kb_copy / "sources" / f"{SOURCE_ID}.txt").write_text("someone else's")
    [error] = editing.plan_edit(kb_copy, edit).errors
    assert error.problem == (f"an article is already kept as 'sources/{SOURCE_ID}.txt'; give "
                             "the new one another id")


def test_a_stored_plan_is_applied_later_exactly_as_reviewed(kb_copy):
    plan = editing.plan_edit(kb_copy, import_edit(kb_copy))
    kept = json.loads(json.dumps(plan.stored()))
    again = EditPlan.from_stored(kept)
    assert again.edit == plan.edit and again.changes == plan.changes
    editing.apply(again)
    assert (kb_copy / "passages.yaml").read_text() == plan.new_text


def test_a_stored_plan_over_a_newer_file_is_refused(kb_copy):
    kept = editing.plan_edit(kb_copy, import_edit(kb_copy)).stored()
    editing.apply(editing.plan_edit(kb_copy, editing.SetFields(
        "sources.yaml", 0, {"title": "A new title"}, entry_id="rls-massage-article")))
    with pytest.raises(EditConflict):
        editing.apply(EditPlan.from_stored(kept))


def test_an_invalid_plan_cannot_be_stored(kb_copy):
    plan = editing.plan_edit(kb_copy, editing.SetFields(
        "clinic.yaml", 0, {"booking_url": "http://x"}))
    with pytest.raises(ValueError, match="only a valid plan can be stored"):
        plan.stored()


def test_a_kind_of_question_or_a_live_list_cannot_name_a_draft(kb_copy):
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy)))
    kinds = (kb_copy / "kinds.yaml").read_text()
    (kb_copy / "kinds.yaml").write_text(kinds.replace("passages: [", "passages: [what-to-wear, ",
                                                      1))
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    assert [e.problem for e in caught.value.errors] == [
        "the passage 'what-to-wear' is still a draft: publish it first, or take it out of "
        "this list"]
    (kb_copy / "kinds.yaml").write_text(kinds)
    passages = (kb_copy / "passages.yaml").read_text()
    (kb_copy / "passages.yaml").write_text(passages.replace(
        "items: [symptom-leg-cramps]", "items: [symptom-leg-cramps, what-to-wear]"))
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(kb_copy)
    assert [(e.entry_id, e.problem) for e in caught.value.errors] == [
        ("rls-symptoms", "the item 'what-to-wear' is still a draft: publish it first, or take "
                         "it out of the list")]


def test_publishing_keeps_what_validates_and_reports_the_rest(kb_copy):
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy)))
    result = publish_drafts(kb_copy, ["what-to-wear", "no-such-draft"])
    assert result.published == ("what-to-wear",)
    [problem] = result.problems
    assert problem.entry_id == "no-such-draft"


def test_stray_temporary_files_in_sources_are_removed(kb_copy):
    stray = kb_copy / "sources" / ".first-visit.txt.k3j9x_2a.tmp"
    stray.write_text("half")
    editing.apply(editing.plan_edit(kb_copy, import_edit(kb_copy)))
    assert not stray.exists()


# --- the command line --------------------------------------------------------------------------

def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_cli_imports_drafts_and_says_what_it_left_out(kb_copy):
    code, out, err = run("import-article", str(ARTICLE), "--title", TITLE, "--date",
                         "2025-11-12", "--knowledge", str(kb_copy))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("Left out 11 line(s) that look like web-page clutter, not the "
                        "article:")
    assert lines[1] == "  line 1: Home | Services | Blog | Contact  (a menu (links side by side))"
    assert lines[12] == (f"Saved the article \u201c{TITLE}\u201d as the source '{SOURCE_ID}' "
                         f"(sources/{SOURCE_ID}.txt) with 6 passage(s):")
    assert lines[-1].startswith("They are drafts: visitors do not get them until they are "
                                "published.")
    knowledge = load_knowledge(kb_copy)
    assert knowledge.sources[SOURCE_ID].publisher == "Granville Physiotherapy"  # the clinic's
    assert [p.id for p in knowledge.drafts] == DRAFT_IDS


def test_cli_publish_makes_them_live(kb_copy):
    code, out, _ = run("import-article", str(ARTICLE), "--title", TITLE, "--date",
                       "2025-11-12", "--publisher", "Someone Else", "--knowledge", str(kb_copy),
                       "--publish")
    assert code == 0
    assert out.splitlines()[-1] == "They are live: visitors get them from their next question."
    knowledge = load_knowledge(kb_copy)
    assert knowledge.drafts == () and knowledge.sources[SOURCE_ID].publisher == "Someone Else"
    assert Engine(knowledge).ask(WEAR).citations[0].id == "what-to-wear"


def test_cli_refuses_an_invalid_article_with_every_problem_and_writes_nothing(kb_copy):
    before = sorted(p.name for p in kb_copy.rglob("*"))
    code, out, err = run("import-article", str(ARTICLE), "--title", "", "--date", "12/11/2025",
                         "--publisher", "", "--knowledge", str(kb_copy), "--publish")
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == "The knowledge base has 3 problems:"
    assert err.splitlines()[3].endswith("key 'published': expected a date as YYYY-MM-DD, "
                                        "got text")
    assert sorted(p.name for p in kb_copy.rglob("*")) == before


@pytest.mark.parametrize("content, problem", [
    (None, "the article cannot be read (No such file or directory)"),
    (b"caf\xe9\n", "line 1: the file is not UTF-8 text (byte 0xe9); save it with UTF-8 encoding"),
])
def test_cli_says_why_the_file_cannot_be_read(kb_copy, tmp_path, content, problem):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run("import-article", str(path), "--title", "T", "--date", "2025-01-01",
                         "--knowledge", str(kb_copy))
    assert (code, out, err) == (2, "", f"{path}{', ' if problem[0] == 'l' else ': '}{problem}\n")
