"""The staff page driven through Streamlit's AppTest: sign-in, edits, history, visitor questions."""

from __future__ import annotations

import re

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assistant import editing
from assistant.editing import AddItem, SetFields
from assistant.engine import Engine
from assistant.errors import EditConflict, describe
from assistant.store import Store
from tests.helpers import ROOT, saved
from tests.staff.helpers import (
    PASSWORD,
    as_read,
    click,
    field,
    field_errors,
    go_to,
    log_in,
    messages,
    open_staff,
    pick,
    run,
)
from ui.staff import forms, session, signin

EFFLEURAGE = "Is effleurage good for restless legs?"
ASKED = "is effleurage good for restless legs"  # how a visitor might type it
SAVED = ". Visitors get the new version with their next question. The version it replaced is " \
        "kept under History ({backup})."


def passages(folder) -> dict:
    return {p["id"]: p for p in yaml.safe_load((folder / "passages.yaml").read_text())["passages"]}


def newest_backup(folder) -> str:
    return editing.history(folder)[0].id


def visitor_asks(question: str) -> dict:
    """A new visitor session on the chat page asks one question; the reply's record."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception
    return at.session_state["turns"][-1]["record"]


# --- Access ----------------------------------------------------------------------------------


def test_without_a_password_the_page_explains_how_to_set_one_and_offers_nothing(monkeypatch):
    monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD")
    at = open_staff()
    assert messages(at, "warning") == [signin.password_help()]
    assert "ASSISTANT_STAFF_PASSWORD" in signin.password_help()
    assert not at.text_input and not at.button and not at.radio


def test_the_password_may_come_from_streamlit_secrets(monkeypatch):
    monkeypatch.delenv("ASSISTANT_STAFF_PASSWORD")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["staff_password"] = "from secrets"
    at.run()
    at.switch_page("pages/staff.py").run()
    log_in(at, "from secrets")
    assert at.radio(key="section").options == forms.sections()


GUESS = "hunter2-guess"


def test_a_wrong_password_is_refused_and_the_sixth_try_must_wait(clock, caplog):
    at = open_staff()
    for left in (4, 3, 2, 1):
        log_in(at, GUESS)
        assert messages(at, "error") == [
            f"Wrong password. {left} more {'try' if left == 1 else 'tries'} before a wait."]
    log_in(at, GUESS)
    assert messages(at, "error") == [
        "Wrong password. Too many wrong passwords: please wait 30 seconds before trying again."]
    log_in(at, PASSWORD)  # even the right password waits
    assert messages(at, "error") == [
        "Too many wrong passwords. Please wait 30 seconds before trying again."]
    assert not at.radio
    clock.now += 30  # the wait is over
    log_in(at, PASSWORD)
    assert at.radio(key="section").options == forms.sections()
    assert GUESS not in caplog.text and PASSWORD not in caplog.text
    assert caplog.text.count("staff sign-in: wrong password from local") == 5


def test_signin_limiter_survives_a_new_session(clock):
    for _ in range(5):
        log_in(open_staff(), "wrong")  # a script opening a new session for every guess
    fresh = open_staff()
    log_in(fresh, PASSWORD)
    assert messages(fresh, "error") == [
        "Too many wrong passwords. Please wait 30 seconds before trying again."]
    assert not fresh.radio
    clock.now += 30
    log_in(fresh, PASSWORD)
    assert fresh.radio(key="section").options == forms.sections()


def test_logging_in_shows_the_tools_and_logging_out_clears_the_session(staff_page):
    assert not messages(staff_page, "error")
    assert "password" not in staff_page.session_state  # the typed password is not kept
    go_to(staff_page, "Passages")
    assert staff_page.session_state[session.draft_key("passages.yaml")]["data"]
    click(staff_page, "logout")
    assert staff_page.text_input(key="password").label == "Staff password"
    assert not staff_page.radio
    assert signin.SIGNED_IN not in staff_page.session_state
    assert session.draft_key("passages.yaml") not in staff_page.session_state


# --- Editing ---------------------------------------------------------------------------------


def test_an_edit_is_saved_backed_up_and_served_to_the_next_visitor(staff_page, kb_dir):
    before = (kb_dir / "passages.yaml").read_bytes()
    assert visitor_asks(ASKED)["status"] == "no_match"
    pick(staff_page, "passages.yaml", "swedish-massage")
    questions = field(staff_page, "questions")
    questions.input(questions.value + "\n" + EFFLEURAGE)
    click(staff_page, "save")

    backup = newest_backup(kb_dir)
    assert messages(staff_page, "success") == ["Saved" + SAVED.format(backup=backup)]
    assert passages(kb_dir)["swedish-massage"]["questions"][-1] == EFFLEURAGE
    assert (kb_dir / "history" / backup / "passages.yaml").read_bytes() == before
    assert EFFLEURAGE in field(staff_page, "questions").value
    reply = visitor_asks(ASKED)
    assert [c["id"] for c in reply["citations"]] == ["swedish-massage"]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("text", "Swedish massage cures RLS.",
     "the text must be a word-for-word quote of the source 'rls-massage-article', but this line "
     "is not found in it: \"Swedish massage cures RLS.\""),
    ("questions", "Only one question?", "needs at least 2 items, got 1"),
    ("title", "  ", "is empty; write the title"),
])
def test_an_invalid_edit_shows_the_error_next_to_the_field_and_writes_nothing(
        staff_page, kb_dir, name, value, message):
    before = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, name).input(value)
    click(staff_page, "save")

    assert field_errors(staff_page, name) == [message]
    assert [n for n in ("section", "title", "text", "questions", "keywords")
            if field_errors(staff_page, n)] == [name]
    assert messages(staff_page, "error") == ["Not saved: please correct what is marked below.",
                                             message]
    assert field(staff_page, name).value == value  # what was typed is kept
    assert (kb_dir / "passages.yaml").read_bytes() == before
    assert editing.history(kb_dir) == []


def test_a_save_based_on_an_outdated_version_is_refused_and_the_other_change_kept(
        staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "swedish-massage")
    # Another staff member, meanwhile:
    saved(kb_dir, AddItem("passages.yaml", "reflexology", "questions",
                          "Is a foot rub good for RLS?"))
    after_theirs = (kb_dir / "passages.yaml").read_bytes()

    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    click(staff_page, "save")

    conflict = describe(EditConflict(str(kb_dir / "passages.yaml")))
    assert messages(staff_page, "error") == [conflict]
    assert messages(staff_page, "warning")[0].startswith("Someone saved passages.yaml after")
    assert (kb_dir / "passages.yaml").read_bytes() == after_theirs
    click(staff_page, "reload:passages.yaml")
    assert "Is a foot rub good for RLS?" in passages(kb_dir)["reflexology"]["questions"]
    pick(staff_page, "passages.yaml", "reflexology")
    assert "Is a foot rub good for RLS?" in field(staff_page, "questions").value
    assert not messages(staff_page, "warning")


def test_preview_shows_the_answer_a_visitor_would_get_from_the_unsaved_edit(staff_page, kb_dir):
    before = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    staff_page.text_input(key="preview-question:passages.yaml").input(ASKED)
    click(staff_page, "preview")

    preview = staff_page.get_by_key("preview-answer")
    assert preview.markdown[0].value.startswith("**Swedish massage**")
    assert preview.caption[0].value.startswith("\\[1\\] Swedish massage · ")
    assert (kb_dir / "passages.yaml").read_bytes() == before


def test_preview_without_a_question_says_what_to_do(staff_page):
    click(staff_page, "preview")
    assert messages(staff_page, "info") == [
        "Type a question to preview, then press “Preview the answer”."]
    assert not staff_page.get_by_key("field-text").error


def test_impact_lists_the_questions_whose_answer_would_change(staff_page, kb_dir, store):
    store.log_unanswered("does effleurage help")
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    click(staff_page, "impact")

    rows = staff_page.get_by_key("impact-table").dataframe[0].value.to_dict("records")
    assert {"Question": "does effleurage help", "Change": "now answered",
            "Now": "no answer", "After saving": "Swedish massage (swedish-massage)",
            "From": "unanswered visitor question"} in rows
    assert messages(staff_page, "warning")[0].endswith("questions would get a different answer:")


def test_an_unchanged_passage_changes_no_answer(staff_page):
    pick(staff_page, "passages.yaml", "reflexology")
    click(staff_page, "impact")
    assert messages(staff_page, "success")[0].startswith("No answer changes: ")


def test_a_passage_is_deleted_only_after_confirmation(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "reflexology")
    click(staff_page, "delete")
    assert messages(staff_page, "warning")[0].startswith("Delete the passage 'reflexology'?")
    click(staff_page, "cancel-delete")
    assert "reflexology" in passages(kb_dir)
    click(staff_page, "delete")
    click(staff_page, "confirm-delete")
    assert "reflexology" not in passages(kb_dir)
    assert messages(staff_page, "success") == [
        "Deleted the passage 'reflexology'" + SAVED.format(backup=newest_backup(kb_dir))]


def test_a_new_passage_is_added(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", forms.NEW)
    values = {"id": "swedish-strokes", "section": "Types of massage",
              "title": "Long, flowing strokes",
              "text": "A gentler approach, Swedish massage focuses on long, flowing strokes that "
                      "promote relaxation and enhance circulation.",
              "questions": "What are flowing strokes?\nIs a gentle massage relaxing?",
              "keywords": "strokes"}
    for name, value in values.items():
        field(staff_page, name).input(value)
    click(staff_page, "save")
    assert not messages(staff_page, "error")
    assert passages(kb_dir)["swedish-strokes"] == {
        "id": "swedish-strokes", "section": "Types of massage", "title": "Long, flowing strokes",
        "text": values["text"] + "\n", "questions": values["questions"].splitlines(),
        "keywords": ["strokes"], "source": "rls-massage-article"}


def test_passages_can_be_searched(staff_page):
    staff_page.text_input(key="search:passages.yaml").input("reflexology feet")
    run(staff_page)
    assert staff_page.selectbox(key="pick:passages.yaml").options == [
        "Reflexology (reflexology)", "➕ Add a new passage"]


def test_clinic_details_are_edited_and_shown_to_visitors(staff_page, kb_dir):
    go_to(staff_page, "Clinic details")
    field(staff_page, "phone").input("780 555-0100")
    field(staff_page, "booking_url").input("granville.example")
    click(staff_page, "save")
    assert field_errors(staff_page, "booking_url") == [
        "'granville.example' is not a web address; it must start with https://"]
    field(staff_page, "booking_url").input("https://granville.example/book")
    click(staff_page, "save")
    clinic = yaml.safe_load((kb_dir / "clinic.yaml").read_text())["clinic"]
    assert (clinic["phone"], clinic["booking_url"]) == ("780 555-0100",
                                                        "https://granville.example/book")
    assert visitor_asks("What is reflexology?")["contacts"] == {
        "booking_url": "https://granville.example/book", "phone": "780 555-0100"}


def test_a_safety_sample_that_does_not_trigger_is_shown_next_to_the_samples(staff_page, kb_dir):
    before = (kb_dir / "safety.yaml").read_bytes()
    go_to(staff_page, "Safety messages")
    pick(staff_page, "safety.yaml", "blood-clot")
    samples = field(staff_page, "must_trigger")
    samples.input(samples.value + "\nmy calves cramp at night")
    click(staff_page, "save")
    assert field_errors(staff_page, "must_trigger") == [
        "the sample \"my calves cramp at night\" must trigger this rule but does not; change "
        "the triggers or the sample"]
    assert (kb_dir / "safety.yaml").read_bytes() == before


def test_a_synonym_and_a_smalltalk_reply_are_edited(staff_page, kb_dir):
    go_to(staff_page, "Synonyms")
    pick(staff_page, "synonyms.yaml", forms.NEW)
    field(staff_page, "means").input("massage")
    field(staff_page, "words").input("kneading")
    click(staff_page, "save")
    first = (kb_dir / "synonyms.yaml").read_text().splitlines().index("  - means: massage")
    assert field_errors(staff_page, "means") == [
        f"the means 'massage' is used twice (first at line {first + 1}); give each synonym its "
        "own means"]
    field(staff_page, "means").input("stone massage")
    field(staff_page, "words").input("hot stones\nhot stone")
    click(staff_page, "save")
    synonyms = yaml.safe_load((kb_dir / "synonyms.yaml").read_text())["synonyms"]
    assert synonyms[-1] == {"means": "stone massage", "words": ["hot stones", "hot stone"]}

    go_to(staff_page, "Small talk")
    pick(staff_page, "smalltalk.yaml", "thanks")
    field(staff_page, "reply").input("You're welcome!")
    click(staff_page, "save")
    assert visitor_asks("thanks")["body"] == "You're welcome\\!"  # escaped: shown as typed


# --- History ---------------------------------------------------------------------------------


def test_a_saved_version_is_restored_from_the_page(staff_page, kb_dir):
    original = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    click(staff_page, "save")
    saved_version = newest_backup(kb_dir)

    go_to(staff_page, "History")
    assert staff_page.selectbox(key="history-pick").value == saved_version
    assert f"-      - {EFFLEURAGE}" in staff_page.code[0].value
    click(staff_page, "restore")

    assert (kb_dir / "passages.yaml").read_bytes() == original
    version = editing.history(kb_dir)[1]
    assert messages(staff_page, "success") == [
        f"Restored passages.yaml as it was before the save of "
        f"{version.saved_at:%Y-%m-%d %H:%M:%S} UTC" + SAVED.format(backup=newest_backup(kb_dir))]
    go_to(staff_page, "Passages")
    pick(staff_page, "passages.yaml", "swedish-massage")
    assert EFFLEURAGE not in field(staff_page, "questions").value


def test_a_broken_file_on_disk_is_reported_and_mended_by_a_restore(staff_page, kb_dir):
    doc = editing.open_file(kb_dir, "smalltalk.yaml")
    saved(kb_dir, SetFields("smalltalk.yaml", 0, {"reply": "Hello there!"}))
    (kb_dir / "smalltalk.yaml").write_text("smalltalk: [unclosed\n")
    go_to(staff_page, "Small talk")
    assert messages(staff_page, "error")[0].startswith("The knowledge files on disk have problems")
    assert "cannot be opened for editing" in messages(staff_page, "error")[1]
    go_to(staff_page, "History")
    click(staff_page, "restore")
    assert not [m for m in messages(staff_page, "error") if "problems" in m]
    assert yaml.safe_load((kb_dir / "smalltalk.yaml").read_text()) == doc.data


def test_a_deeply_nested_file_on_disk_never_crashes_the_staff_page(kb_dir):
    # Depth 500 used to end validation in a RecursionError, and a save then crashed the page.
    (kb_dir / "passages.yaml").write_text("passages: " + "[" * 500 + "]" * 500 + "\n")
    staff_page = log_in(open_staff())
    assert "nested more than" in messages(staff_page, "error")[0]
    assert "cannot be opened for editing" in messages(staff_page, "error")[1]
    go_to(staff_page, "Clinic details")
    field(staff_page, "phone").input("780 555-0100")
    click(staff_page, "save")
    assert any("passages.yaml, line 1" in m and "nested more than" in m
               for m in messages(staff_page, "error")[1:])
    assert '"780 555-0100"' not in (kb_dir / "clinic.yaml").read_text()


# --- What visitors could not get answered ----------------------------------------------------


def test_unanswered_questions_are_grouped_and_exported(staff_page, store):
    for question in (ASKED, EFFLEURAGE, "foam roller?"):
        store.log_unanswered(question)
    store.log_feedback("What is reflexology?", ["reflexology"], 1)
    store.log_feedback("What is reflexology?", ["reflexology"], -1)
    go_to(staff_page, "Unanswered questions")

    gaps = staff_page.get_by_key("gaps-table").dataframe[0].value.to_dict("records")
    assert [(g["Question"], g["Times asked"], g["Answer now"]) for g in gaps] == [
        ("Is effleurage good for restless legs?", 2, "no answer"), ("foam roller?", 1, "no answer")]
    votes = staff_page.get_by_key("votes-table").dataframe[0].value.to_dict("records")
    assert votes == [{"Passage": "Reflexology (reflexology)", "👍": 1, "👎": 1}]
    assert staff_page.get_by_key("gaps-csv").proto.label == "Download as CSV"
    assert store.gaps_csv().startswith(f"question,count,last_seen\r\n{EFFLEURAGE},2,")


def test_an_unanswered_question_becomes_an_alternate_question(staff_page, kb_dir, store):
    store.log_unanswered(ASKED)
    store.log_unanswered("foam roller?")
    go_to(staff_page, "Unanswered questions")
    staff_page.selectbox(key="gap-pick").set_value(ASKED)
    run(staff_page)
    staff_page.text_input(key=f"gap-wording:{ASKED}").input(EFFLEURAGE)
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")

    assert passages(kb_dir)["swedish-massage"]["questions"][-1] == EFFLEURAGE
    assert messages(staff_page, "success") == [
        f"Added “{EFFLEURAGE}” as an alternate question of passage 'swedish-massage'. Visitors get "
        f"the new version with their next question. The version it replaced is kept under "
        f"History ({newest_backup(kb_dir)})."]
    assert [g.question for g in store.gaps()] == ["foam roller?"]
    reply = visitor_asks(ASKED)
    assert [c["id"] for c in reply["citations"]] == ["swedish-massage"]


def test_an_alternate_question_too_many_is_refused_with_the_reason(kb_dir, store):
    store.log_unanswered("foam roller?")
    doc = editing.open_file(kb_dir, "passages.yaml")
    index, swedish = next((n, p) for n, p in enumerate(doc.data["passages"])
                          if p["id"] == "swedish-massage")
    questions = swedish["questions"] + [f"Swedish question {n}?"
                                        for n in range(6 - len(swedish["questions"]))]
    saved(kb_dir, SetFields("passages.yaml", index, {"questions": questions}, "swedish-massage"))
    before = (kb_dir / "passages.yaml").read_bytes()
    staff_page = log_in(open_staff())
    go_to(staff_page, "Unanswered questions")
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")
    assert any(m.endswith("passage 'swedish-massage': key 'questions': allows at most 6 items, "
                          "got 7") for m in messages(staff_page, "error"))
    assert (kb_dir / "passages.yaml").read_bytes() == before
    assert [g.question for g in store.gaps()] == ["foam roller?"]


def test_an_unanswered_question_is_dismissed(staff_page, store):
    store.log_unanswered("foam roller?")
    go_to(staff_page, "Unanswered questions")
    click(staff_page, "gap-dismiss")
    assert store.gaps() == []
    assert messages(staff_page, "info") == ["Dismissed.", "No unanswered questions.",
                                            "No votes yet."]


def test_a_store_that_cannot_be_opened_is_reported(staff_page, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path))  # a folder: SQLite cannot open it
    go_to(staff_page, "Unanswered questions")
    assert messages(staff_page, "error")[0].startswith(f"{tmp_path}: the database cannot be used")


def test_nothing_about_the_visitor_is_stored_but_the_scrubbed_question(staff_page, store):
    visitor_asks("my email is jane@example.com, is effleurage good for restless legs?")
    assert [g.question for g in Store().gaps()] == [
        "my email is [email], is effleurage good for restless legs?"]


def test_unanswered_list_is_paged_and_cached(staff_page, store, monkeypatch):
    for n in range(120):
        for _ in range(1 + n % 3):
            store.log_unanswered(f"is a sauna session number {n} good?")
    asked: list[str] = []
    ask = Engine.ask
    monkeypatch.setattr(Engine, "ask", lambda self, q, *a: asked.append(q) or ask(self, q, *a))

    go_to(staff_page, "Unanswered questions")
    rows = staff_page.get_by_key("gaps-table").dataframe[0].value.to_dict("records")
    assert len(rows) == 50 and [r["Times asked"] for r in rows[:2]] == [3, 3]
    assert "120 groups of questions, page 1 of 3, 50 per page." in \
        [c.value for c in staff_page.caption]
    assert len(asked) == 50 and {r["Answer now"] for r in rows} == {"no answer"}
    assert len(staff_page.selectbox(key="gap-pick").options) == 50
    run(staff_page)
    run(staff_page)
    assert len(asked) == 50  # reruns ask nothing again

    staff_page.number_input(key="gap-page").set_value(3)
    run(staff_page)
    rows = staff_page.get_by_key("gaps-table").dataframe[0].value.to_dict("records")
    assert len(rows) == 20 and len(asked) == 70
    staff_page.number_input(key="gap-page").set_value(1)
    run(staff_page)
    assert len(asked) == 70


def is_plain(markdown: str, text: str) -> bool:
    """True when `markdown` shows `text` and nothing in it can make a link, image or markup."""
    bare = re.sub(r"\\.", "", markdown)  # every escaped character taken out
    return text in as_read(markdown) and not re.search(r"[\[\]()<>!*_`]|https?:|www\.", bare)


LINK = "[click me](https://evil.example) ![pixel](https://evil.example/p.png)"


def test_staff_text_is_not_markdown_on_the_staff_page(staff_page, kb_dir, store):
    store.log_unanswered(f"{LINK} does massage help?")
    go_to(staff_page, "Unanswered questions")
    table = staff_page.get_by_key("gaps-table").dataframe[0].value.to_dict("records")
    assert table[0]["Question"] == f"{LINK} does massage help?"  # a table shows it as typed
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")
    [added] = [m.value for m in staff_page.success]
    assert is_plain(added, f"Added “{LINK} does massage help?” as an alternate question")

    go_to(staff_page, "Clinic details")
    field(staff_page, "booking_url").input(LINK)
    click(staff_page, "save")
    [problem] = [e.value for e in staff_page.get_by_key("field-booking_url").error]
    assert is_plain(problem, f"'{LINK}' is not a web address")

    (kb_dir / "smalltalk.yaml").write_text("smalltalk: [unclosed, ![x](https://evil.example)\n")
    run(staff_page)
    assert is_plain(staff_page.error[0].value, "The knowledge files on disk have problems")


def test_safety_triggers_and_unless_are_edited_and_a_broken_sample_refused(staff_page, kb_dir):
    before = (kb_dir / "safety.yaml").read_bytes()
    go_to(staff_page, "Safety messages")
    pick(staff_page, "safety.yaml", "blood-clot")
    triggers = field(staff_page, "triggers").value
    field(staff_page, "triggers").input("\n".join(t for t in triggers.splitlines()
                                                  if "clot" not in t))
    click(staff_page, "save")
    assert field_errors(staff_page, "must_trigger")[0].startswith(
        "the sample \"I think I have a blood clot in my leg\" must trigger this rule")
    assert (kb_dir / "safety.yaml").read_bytes() == before

    field(staff_page, "triggers").input(triggers + "\nthrobbing + calf | calves")
    field(staff_page, "unless").input("warm bath")
    click(staff_page, "save")
    assert not messages(staff_page, "error")
    rule = yaml.safe_load((kb_dir / "safety.yaml").read_text())["rules"][0]
    assert rule["unless"] == ["warm bath"]
    assert visitor_asks("my calf is throbbing")["status"] == "urgent"


def test_a_topic_not_covered_is_added_on_the_page(staff_page, kb_dir):
    question = "How does massage improve flexibility?"
    assert visitor_asks(question)["status"] == "answered"
    go_to(staff_page, "Topics not covered")
    pick(staff_page, "scope.yaml", forms.NEW)
    field(staff_page, "topic").input("Stretching and flexibility")
    field(staff_page, "name").input("stretching")
    field(staff_page, "words").input("flexib*\nstretch*")
    assert field(staff_page, "anywhere").value == "no"
    field(staff_page, "anywhere").set_value("yes")
    click(staff_page, "save")
    assert not messages(staff_page, "error")
    topics = yaml.safe_load((kb_dir / "scope.yaml").read_text())["not_covered"]
    assert topics[-1] == {"topic": "Stretching and flexibility", "name": "stretching",
                          "anywhere": True, "words": ["flexib*", "stretch*"]}
    assert "    anywhere: yes\n" in (kb_dir / "scope.yaml").read_text()
    assert visitor_asks(question)["status"] == "no_match"
