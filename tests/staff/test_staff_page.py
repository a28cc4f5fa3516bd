"""The staff page driven through Streamlit's AppTest: sign-in, edits, history, visitor questions."""

from __future__ import annotations

import datetime as dt
import re
import time

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
    has,
    log_in,
    messages,
    open_staff,
    pick,
    publish,
    review,
    run,
)
from ui.staff import forms, session, signin
from ui.staff.forms import staff_names

EFFLEURAGE = "Is effleurage good for restless legs?"
ASKED = "is effleurage good for restless legs"  # how a visitor might type it
LIVE = ". Visitors get it from their next question."


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


def test_an_edit_is_reviewed_published_backed_up_and_served_to_the_next_visitor(staff_page,
                                                                                kb_dir):
    before = (kb_dir / "passages.yaml").read_bytes()
    assert visitor_asks(ASKED)["status"] == "no_match"
    pick(staff_page, "passages.yaml", "swedish-massage")
    questions = field(staff_page, "questions")
    questions.input(questions.value + "\n" + EFFLEURAGE)
    kept = review(staff_page)
    assert (kb_dir / "passages.yaml").read_bytes() == before  # a review writes nothing
    assert kept["question"] == EFFLEURAGE  # the question just added is tried
    assert kept["before"]["status"] == "no_match"
    assert [c["id"] for c in kept["after"]["citations"]] == ["swedish-massage"]
    click(staff_page, "publish")

    backup = newest_backup(kb_dir)
    assert messages(staff_page, "success") == [
        "Published the change to the passage \u201cSwedish massage\u201d" + LIVE]
    assert passages(kb_dir)["swedish-massage"]["questions"][-1] == EFFLEURAGE
    assert (kb_dir / "history" / backup / "passages.yaml").read_bytes() == before
    assert EFFLEURAGE in field(staff_page, "questions").value
    reply = visitor_asks(ASKED)
    assert [c["id"] for c in reply["citations"]] == ["swedish-massage"]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("text", "Swedish massage cures RLS.",
     "the text must be a word-for-word quote of the source 'rls-massage-article', but this line "
     "is not found in it: \"Swedish massage cures RLS.\". Copy it from the article exactly; if "
     "it comes from another article, import that one first"),
    ("questions", "Only one question?", "has 1, and needs at least 2: add 1 more (one a line)"),
    ("title", "  ", "is empty; write the title"),
])
def test_an_invalid_edit_shows_the_error_next_to_the_field_and_writes_nothing(
        staff_page, kb_dir, name, value, message):
    before = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, name).input(value)
    assert review(staff_page) is None

    assert field_errors(staff_page, name) == [message]
    assert [n for n in ("section", "title", "text", "questions", "keywords")
            if field_errors(staff_page, n)] == [name]
    assert messages(staff_page, "error") == [
        "Not published: please correct what is marked below.", message]
    assert field(staff_page, name).value == value  # what was typed is kept
    assert "publish" not in [b.key for b in staff_page.button]
    assert (kb_dir / "passages.yaml").read_bytes() == before
    assert editing.history(kb_dir) == []


def test_a_publish_over_a_newer_version_is_refused_and_the_other_change_kept(
        staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    assert review(staff_page) is not None
    # Another staff member, meanwhile:
    saved(kb_dir, AddItem("passages.yaml", "reflexology", "questions",
                          "Is a foot rub good for RLS?"))
    after_theirs = (kb_dir / "passages.yaml").read_bytes()
    click(staff_page, "publish")

    conflict = describe(EditConflict(str(kb_dir / "passages.yaml")), staff_names)
    assert messages(staff_page, "error") == [conflict]
    assert conflict.startswith("Someone else saved Passages after you opened it.")
    assert messages(staff_page, "warning")[0].startswith("Someone saved Passages after you")
    assert (kb_dir / "passages.yaml").read_bytes() == after_theirs
    click(staff_page, "reload:passages.yaml")
    assert "Is a foot rub good for RLS?" in passages(kb_dir)["reflexology"]["questions"]
    pick(staff_page, "passages.yaml", "reflexology")
    assert "Is a foot rub good for RLS?" in field(staff_page, "questions").value
    assert not messages(staff_page, "warning")


def test_the_review_shows_the_answer_before_and_after_side_by_side(staff_page, kb_dir):
    before = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    staff_page.text_input(key="preview-question:passages.yaml").input(ASKED)
    review(staff_page)

    now, after = staff_page.get_by_key("review-before"), staff_page.get_by_key("review-after")
    assert now.markdown[0].value.startswith("I'm sorry, the clinic's articles don't cover that")
    assert after.markdown[0].value.startswith("**Swedish massage**")
    assert after.caption[0].value.startswith("\\[1\\] Swedish massage · ")
    assert [c.value for c in staff_page.caption if c.value in ("Now", "After publishing")] == \
        ["Now", "After publishing"]
    assert (kb_dir / "passages.yaml").read_bytes() == before


def test_the_review_lists_the_questions_whose_answer_changes(staff_page, kb_dir, store):
    store.log_unanswered("does effleurage help")
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    kept = review(staff_page)

    assert {"question": "does effleurage help", "kind": "now answered", "now": "no answer",
            "after": "Swedish massage (swedish-massage)",
            "origin": "unanswered visitor question"} in kept["rows"]
    assert messages(staff_page, "warning")[0].endswith(
        "questions visitors asked or might ask get a different answer:")
    shown = [m.value for m in staff_page.get_by_key("impact-list").markdown]
    assert "**\u201cdoes effleurage help\u201d**  \nNow: no answer  \nAfter publishing: Swedish " \
           "massage \\(swedish-massage\\)" in shown


def test_a_change_made_after_the_review_needs_a_new_review(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "reflexology")
    field(staff_page, "title").input("Foot reflexology")
    review(staff_page)
    assert staff_page.button(key="publish")
    field(staff_page, "title").input("Reflexology of the feet")
    run(staff_page)
    assert "publish" not in [b.key for b in staff_page.button]
    assert messages(staff_page, "warning")[0].startswith("You changed something after this "
                                                        "review.")
    click(staff_page, "review")
    click(staff_page, "publish")
    assert passages(kb_dir)["reflexology"]["title"] == "Reflexology of the feet"


def test_an_unchanged_passage_changes_no_answer_and_publishes_nothing(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "reflexology")
    review(staff_page)
    assert messages(staff_page, "success")[0].startswith("No visitor's answer changes: ")
    click(staff_page, "publish")
    assert messages(staff_page, "info")[0] == \
        "Nothing to publish: this is what visitors get already."
    assert editing.history(kb_dir) == []


def test_a_passage_is_deleted_only_after_its_review(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "reflexology")
    click(staff_page, "delete")
    assert staff_page.get_by_key("review-edit-passages-yaml-reflexology")
    click(staff_page, "cancel-review")
    assert "reflexology" in passages(kb_dir)
    click(staff_page, "delete")
    click(staff_page, "publish")
    assert "reflexology" not in passages(kb_dir)
    assert messages(staff_page, "success") == ["Deleted the passage \u201cReflexology\u201d" +
                                               LIVE]


def test_a_new_passage_is_added_from_the_button_at_the_top(staff_page, kb_dir):
    assert staff_page.button[1].key == "add:passages.yaml"  # after "Log out", before the list
    pick(staff_page, "passages.yaml", forms.NEW)
    values = {"section": "Types of massage", "title": "Long, flowing strokes",
              "text": "A gentler approach, Swedish massage focuses on long, flowing strokes that "
                      "promote relaxation and enhance circulation.",
              "questions": "What are flowing strokes?\nIs a gentle massage relaxing?",
              "keywords": "strokes"}
    for name, value in values.items():
        field(staff_page, name).input(value)
    publish(staff_page)
    assert not messages(staff_page, "error")
    assert passages(kb_dir)["long-flowing-strokes"] == {  # the id is made from the title
        "id": "long-flowing-strokes", "section": "Types of massage",
        "title": "Long, flowing strokes", "text": values["text"] + "\n",
        "questions": values["questions"].splitlines(), "keywords": ["strokes"],
        "source": "rls-massage-article"}


def test_a_search_lists_matches_to_choose_from_and_opens_none(staff_page):
    staff_page.text_input(key="search:passages.yaml").input("reflexology feet")
    run(staff_page)
    assert staff_page.radio(key="match:passages.yaml").options == ["Reflexology (reflexology)"]
    assert "1 of 10 passages match. Choose one:" in [c.value for c in staff_page.caption]
    assert not has(staff_page, "field-title")  # nothing is opened by itself
    staff_page.radio(key="match:passages.yaml").set_value("reflexology")
    run(staff_page)
    assert field(staff_page, "title").value == "Reflexology"


def test_synonyms_are_searched_too(staff_page):
    go_to(staff_page, "Synonyms")
    staff_page.text_input(key="search:synonyms.yaml").input("charley")
    run(staff_page)
    assert staff_page.radio(key="match:synonyms.yaml").options == ["cramps"]


def test_leaving_a_section_with_unsaved_changes_asks_first(staff_page, kb_dir):
    pick(staff_page, "passages.yaml", "reflexology")
    field(staff_page, "title").input("Foot reflexology")
    go_to(staff_page, "Synonyms")
    assert staff_page.radio(key="section").value == "Passages"  # not left yet
    assert messages(staff_page, "warning")[0].startswith(
        "You have changes in Passages that are not published.")
    click(staff_page, "stay")
    assert field(staff_page, "title").value == "Foot reflexology"  # the typing is kept

    pick(staff_page, "passages.yaml", "swedish-massage")  # another entry asks too
    assert field(staff_page, "title").value == "Foot reflexology"
    go_to(staff_page, "Synonyms")
    click(staff_page, "leave")
    assert staff_page.radio(key="section").value == "Synonyms"
    go_to(staff_page, "Passages")
    assert field(staff_page, "title").value == "Reflexology"  # dropped, the file unchanged
    assert passages(kb_dir)["reflexology"]["title"] == "Reflexology"


def test_clinic_details_are_edited_and_shown_to_visitors(staff_page, kb_dir):
    go_to(staff_page, "Clinic details")
    field(staff_page, "phone").input("780 555-0100")
    field(staff_page, "booking_url").input("granville.example")
    assert review(staff_page) is None
    assert field_errors(staff_page, "booking_url") == [
        "'granville.example' is not a web address; it must start with https://"]
    field(staff_page, "booking_url").input("https://granville.example/book")
    kept = review(staff_page)
    assert "Phone: 780 555-0100" in kept["after"]["referral"]  # a question shows the referral
    click(staff_page, "publish")
    clinic = yaml.safe_load((kb_dir / "clinic.yaml").read_text())["clinic"]
    assert (clinic["phone"], clinic["booking_url"]) == ("780 555-0100",
                                                        "https://granville.example/book")
    assert visitor_asks("What is reflexology?")["contacts"] == {
        "booking_url": "https://granville.example/book", "phone": "780 555-0100"}


def test_a_clinic_fact_is_added_and_visitors_get_it(staff_page, kb_dir):
    go_to(staff_page, "Clinic facts")
    pick(staff_page, "facts.yaml", forms.NEW)
    assert field(staff_page, "checked").value == dt.date.today().isoformat()
    field(staff_page, "title").input("Parking")
    field(staff_page, "questions").input("Where can I park?\nIs there parking?")
    field(staff_page, "answer").input("Our parking lot relieves your sore legs.")
    assert review(staff_page) is None
    assert field_errors(staff_page, "answer") == [
        "mentions \u201crelieves\u201d, a treatment. A clinic fact is only about the clinic "
        "itself (hours, parking, prices, billing, access): everything about health must come "
        "from an article. Take \u201crelieves\u201d out, or add it as a passage of an article "
        "instead"]
    field(staff_page, "answer").input("Free parking behind the building.")
    kept = review(staff_page)
    assert kept["question"] == "Where can I park?"
    assert kept["after"]["body"].startswith("**From the clinic**")
    click(staff_page, "publish")
    assert messages(staff_page, "success") == ["Added the clinic fact \u201cParking\u201d" + LIVE]
    reply = visitor_asks("is there parking nearby?")
    assert reply["status"] == "clinic" and reply["fact"]["id"] == "parking"


def test_a_safety_sample_that_does_not_trigger_is_shown_next_to_the_samples(staff_page, kb_dir):
    before = (kb_dir / "safety.yaml").read_bytes()
    go_to(staff_page, "Safety messages")
    pick(staff_page, "safety.yaml", "blood-clot")
    samples = field(staff_page, "must_trigger")
    samples.input(samples.value + "\nmy calves cramp at night")
    assert review(staff_page) is None
    assert field_errors(staff_page, "must_trigger") == [
        "the sample \"my calves cramp at night\" must trigger this rule but does not; change "
        "the triggers or the sample"]
    assert (kb_dir / "safety.yaml").read_bytes() == before


def test_a_synonym_and_a_smalltalk_reply_are_edited(staff_page, kb_dir):
    go_to(staff_page, "Synonyms")
    pick(staff_page, "synonyms.yaml", forms.NEW)
    field(staff_page, "means").input("massage")
    field(staff_page, "words").input("kneading")
    assert review(staff_page) is None
    first = (kb_dir / "synonyms.yaml").read_text().splitlines().index("  - means: massage")
    assert field_errors(staff_page, "means") == [
        f"the means 'massage' is used twice (first at line {first + 1}); give each synonym its "
        "own means"]
    field(staff_page, "means").input("stone massage")
    field(staff_page, "words").input("hot stones\nhot stone")
    publish(staff_page)
    synonyms = yaml.safe_load((kb_dir / "synonyms.yaml").read_text())["synonyms"]
    assert synonyms[-1] == {"means": "stone massage", "words": ["hot stones", "hot stone"]}

    go_to(staff_page, "Small talk")
    pick(staff_page, "smalltalk.yaml", "thanks")
    field(staff_page, "reply").input("You're welcome!")
    publish(staff_page)
    assert visitor_asks("thanks")["body"] == "You're welcome\\!"  # escaped: shown as typed


# --- Articles --------------------------------------------------------------------------------

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "first-visit.txt"
TITLE = "What To Expect At Your First Massage Therapy Visit"


def start_import(staff_page) -> None:
    go_to(staff_page, "Articles")
    click(staff_page, "import-start")
    staff_page.text_input(key="import-title").input(TITLE)
    staff_page.text_input(key="import-date").input("2025-11-12")
    staff_page.text_area(key="import-text").input(ARTICLE.read_text())
    click(staff_page, "import-next-1")


def test_an_article_is_imported_cleaned_split_reviewed_and_published(staff_page, kb_dir):
    start_import(staff_page)
    assert len(staff_page.checkbox) == 11 and all(box.value for box in staff_page.checkbox)
    staff_page.checkbox(key="junk-3").uncheck()  # "Book Now" stays: a staff member's choice
    click(staff_page, "import-next-2")
    keeps = [box for box in staff_page.checkbox if box.key.endswith(("-keep-0", "-keep-1"))]
    assert "Step 3 of 3: the passages" in [c.value for c in staff_page.caption]
    for box in keeps:
        box.uncheck()
    staff_page.text_input(key="import-question").input("What should I wear to a massage?")
    kept = (click(staff_page, "import-review"), staff_page.session_state["staff_review"])[1]
    assert kept["before"]["status"] == "no_match"
    assert [c["id"] for c in kept["after"]["citations"]] == ["what-to-wear"]
    click(staff_page, "publish")

    assert messages(staff_page, "success") == [f"Published 4 passage(s) of \u201c{TITLE}\u201d"
                                               + LIVE]
    text = (kb_dir / "sources" / "expect-first-massage-therapy-visit.txt").read_text()
    assert text.startswith("Book Now\n\nWhat To Expect")  # kept, as staff chose
    assert "Share on Facebook" not in text
    ids = set(passages(kb_dir))
    assert {"what-to-wear", "during-the-massage", "after-your-session"} <= ids
    assert "before-your-session" not in ids  # left out
    assert not any(p.get("draft") for p in passages(kb_dir).values())
    reply = visitor_asks("what should I wear for a massage")
    assert [c["id"] for c in reply["citations"]] == ["what-to-wear"]


def test_an_imported_article_saved_as_drafts_is_published_one_passage_at_a_time(staff_page,
                                                                              kb_dir):
    start_import(staff_page)
    click(staff_page, "import-next-2")
    click(staff_page, "import-drafts")
    assert messages(staff_page, "success")[0].startswith(f"Saved \u201c{TITLE}\u201d with 6 "
                                                         "draft passage(s).")
    assert passages(kb_dir)["what-to-wear"]["draft"] is True
    assert visitor_asks("what should I wear for a massage")["status"] == "no_match"

    go_to(staff_page, "Passages")
    assert "What To Wear (what-to-wear) \u2013 draft, not shown to visitors" in \
        staff_page.selectbox(key="pick:passages.yaml").options
    pick(staff_page, "passages.yaml", "what-to-wear")
    click(staff_page, "review-draft")
    click(staff_page, "publish")
    assert messages(staff_page, "success") == ["Published the passage \u201cWhat To Wear\u201d" +
                                               LIVE]
    assert "draft" not in passages(kb_dir)["what-to-wear"]
    assert passages(kb_dir)["after-your-session"]["draft"] is True
    reply = visitor_asks("what should I wear for a massage")
    assert [c["id"] for c in reply["citations"]] == ["what-to-wear"]


def test_an_import_without_a_title_or_text_says_what_to_do(staff_page, kb_dir):
    go_to(staff_page, "Articles")
    click(staff_page, "import-start")
    click(staff_page, "import-next-1")
    assert messages(staff_page, "error") == [
        "Paste the article's text in the box, or upload it as a text file.",
        "Write the article's title."]
    assert staff_page.text_input(key="import-publisher").value == "Granville Physiotherapy"


def test_an_import_with_a_bad_date_is_refused_in_staff_words(staff_page, kb_dir):
    start_import(staff_page)
    click(staff_page, "import-back-2")
    staff_page.text_input(key="import-date").input("12/11/2025")
    click(staff_page, "import-next-1")
    click(staff_page, "import-next-2")
    click(staff_page, "import-review")
    [problem] = messages(staff_page, "error")
    assert problem == "- Articles \u203a source 'expect-first-massage-therapy-visit' \u203a " \
                      "Published (YYYY-MM-DD): expected a date as YYYY-MM-DD, got text"
    assert not (kb_dir / "sources" / "expect-first-massage-therapy-visit.txt").exists()


def test_no_file_path_is_shown_on_the_page(staff_page, kb_dir):
    for section in forms.sections():
        go_to(staff_page, section)
        shown = [e.value for kind in ("markdown", "caption", "text", "error", "warning", "info")
                 for e in getattr(staff_page, kind)]
        shown += [w.label for w in [*staff_page.text_input, *staff_page.text_area]]
        assert not [text for text in shown if str(kb_dir) in text or ".yaml" in text], section
    go_to(staff_page, "Articles")
    pick(staff_page, "sources.yaml", "rls-massage-article")
    assert not has(staff_page, "field-file")


# --- History ---------------------------------------------------------------------------------


def test_history_says_what_each_save_changed_and_a_version_is_put_back(staff_page, kb_dir):
    original = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "swedish-massage")
    field(staff_page, "questions").input(field(staff_page, "questions").value + "\n" + EFFLEURAGE)
    publish(staff_page)
    saved_version = editing.history(kb_dir)[0]

    go_to(staff_page, "History")
    entry = staff_page.get_by_key("version-0")
    assert [as_read(m.value) for m in entry.markdown][1] == (
        f"- Changed the passage \u201cSwedish massage\u201d: Alternate questions (added "
        f"\u201c{EFFLEURAGE}\u201d).")
    click(staff_page, f"restore-{saved_version.id}")
    click(staff_page, "publish")

    assert (kb_dir / "passages.yaml").read_bytes() == original
    assert messages(staff_page, "success")[0].startswith(
        "Put back Passages as it was before the save of ")
    restore = editing.history(kb_dir)[0]
    assert restore.about == {"kind": "Restore", "restored": saved_version.id}
    assert staff_page.button(key=f"restore-{restore.id}").label == "Undo this restore\u2026"
    click(staff_page, f"restore-{restore.id}")  # undo it
    click(staff_page, "publish")
    assert EFFLEURAGE in passages(kb_dir)["swedish-massage"]["questions"]


def test_the_last_publish_is_undone_from_the_top_of_the_page(staff_page, kb_dir):
    original = (kb_dir / "passages.yaml").read_bytes()
    pick(staff_page, "passages.yaml", "reflexology")
    field(staff_page, "title").input("Foot reflexology")
    publish(staff_page)
    undo = staff_page.button(key="undo")
    assert undo.label == ("Undo \u201cPublished the change to the passage \u201cFoot "
                          "reflexology\u201d\u201d")
    click(staff_page, "undo")
    assert staff_page.session_state["staff_review"]["where"] == "undo"
    click(staff_page, "publish")
    assert (kb_dir / "passages.yaml").read_bytes() == original
    assert messages(staff_page, "success")[0].startswith("Undid: Published the change")


def test_history_shows_local_time(staff_page, kb_dir, monkeypatch):
    monkeypatch.setenv("TZ", "America/Edmonton")
    time.tzset()
    try:
        saved(kb_dir, SetFields("clinic.yaml", 0, {"phone": "780 555-0100"}))
        go_to(staff_page, "History")
        when = editing.history(kb_dir)[0].saved_at.astimezone()
        header = as_read(staff_page.get_by_key("version-0").markdown[0].value)
        assert header == f"**{when:%a %b} {when.day}, {when.year} at {when:%H:%M}** \u00b7 " \
                         "Clinic details"
        assert when.utcoffset() != dt.timedelta(0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_broken_file_on_disk_is_reported_and_mended_by_a_restore(staff_page, kb_dir):
    doc = editing.open_file(kb_dir, "smalltalk.yaml")
    saved(kb_dir, SetFields("smalltalk.yaml", 0, {"reply": "Hello there!"}))
    (kb_dir / "smalltalk.yaml").write_text("smalltalk: [unclosed\n")
    go_to(staff_page, "Small talk")
    assert messages(staff_page, "error")[0].startswith("Some of the knowledge base has problems")
    assert "Small talk: this is not valid YAML" in messages(staff_page, "error")[0]
    assert "cannot be opened for editing" in messages(staff_page, "error")[1]
    go_to(staff_page, "History")
    version = editing.history(kb_dir)[0]
    click(staff_page, f"restore-{version.id}")
    click(staff_page, "publish")
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
    assert review(staff_page) is None
    assert any(m.startswith("Passages: lists and mappings are nested more than")
               for m in messages(staff_page, "error"))
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


def choose_gap(staff_page, normalized: str) -> None:
    go_to(staff_page, "Unanswered questions")
    staff_page.selectbox(key="gap-pick").set_value(normalized)
    run(staff_page)


def test_an_unanswered_question_becomes_an_alternate_question_after_review(staff_page, kb_dir,
                                                                           store):
    store.log_unanswered(ASKED)
    store.log_unanswered("foam roller?")
    choose_gap(staff_page, ASKED)
    assert [t.label for t in staff_page.tabs] == ["Add it to a passage", "Dismiss it"]
    assert staff_page.selectbox(key="gap-passage").value is None  # no passage by default
    staff_page.text_input(key=f"gap-wording:{ASKED}").input(EFFLEURAGE)
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")
    kept = staff_page.session_state["staff_review"]
    assert (kept["question"], kept["before"]["status"]) == (EFFLEURAGE, "no_match")
    assert passages(kb_dir)["swedish-massage"]["questions"][-1] != EFFLEURAGE  # not yet
    click(staff_page, "publish")

    assert passages(kb_dir)["swedish-massage"]["questions"][-1] == EFFLEURAGE
    assert messages(staff_page, "success") == [
        f"Added “{EFFLEURAGE}” as an alternate question of the passage 'swedish-massage'" + LIVE]
    assert [g.question for g in store.gaps()] == ["foam roller?"]
    reply = visitor_asks(ASKED)
    assert [c["id"] for c in reply["citations"]] == ["swedish-massage"]


def test_a_logistics_question_is_answered_as_a_clinic_fact(staff_page, kb_dir, store):
    store.log_unanswered("is there a place to leave my car")
    choose_gap(staff_page, "is there a place to leave my car")
    assert staff_page.tabs[0].label == "Answer it as a clinic fact"
    staff_page.text_input(key="gap-fact-title").input("Parking")
    staff_page.text_area(key="gap-fact-answer").input("Free parking behind the building.")
    click(staff_page, "gap-fact")
    click(staff_page, "publish")
    assert messages(staff_page, "success") == ["Added the clinic fact \u201cParking\u201d" + LIVE]
    facts = yaml.safe_load((kb_dir / "facts.yaml").read_text())["facts"]
    assert facts[-1]["id"] == "parking"
    assert facts[-1]["questions"] == ["is there a place to leave my car"]
    assert store.gaps() == []
    assert visitor_asks("is there a place to leave my car")["fact"]["id"] == "parking"


def test_an_alternate_question_too_many_is_refused_with_what_to_do(kb_dir, store):
    store.log_unanswered("foam roller?")
    doc = editing.open_file(kb_dir, "passages.yaml")
    index, swedish = next((n, p) for n, p in enumerate(doc.data["passages"])
                          if p["id"] == "swedish-massage")
    questions = swedish["questions"] + [f"Swedish question {n}?"
                                        for n in range(6 - len(swedish["questions"]))]
    saved(kb_dir, SetFields("passages.yaml", index, {"questions": questions}, "swedish-massage"))
    before = (kb_dir / "passages.yaml").read_bytes()
    staff_page = log_in(open_staff())
    choose_gap(staff_page, "foam roller")
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")
    assert messages(staff_page, "error") == [
        "Passages \u203a passage 'swedish-massage' \u203a Alternate questions: has 7, and at "
        "most 6 are allowed: take 1 out (keep the ones visitors are most likely to ask)"]
    assert (kb_dir / "passages.yaml").read_bytes() == before
    assert [g.question for g in store.gaps()] == ["foam roller?"]


def test_a_dismissed_question_can_be_brought_back(staff_page, store):
    store.log_unanswered("foam roller?")
    choose_gap(staff_page, "foam roller")
    click(staff_page, "gap-dismiss")
    assert store.gaps() == []
    assert messages(staff_page, "info")[0] == ("Dismissed. You can bring it back under History, "
                                               "or with the Undo button above.")
    click(staff_page, "undo")
    assert [g.question for g in store.gaps()] == ["foam roller?"]

    choose_gap(staff_page, "foam roller")
    click(staff_page, "gap-dismiss")
    go_to(staff_page, "History")
    assert staff_page.get_by_key("dismissed-0").text[0].value.startswith("foam roller? (1×)")
    click(staff_page, "bring-back-0")
    assert [g.question for g in store.gaps()] == ["foam roller?"]


def test_a_store_that_cannot_be_opened_is_reported(staff_page, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path))  # a folder: SQLite cannot open it
    go_to(staff_page, "Unanswered questions")
    assert messages(staff_page, "error")[0].startswith(
        "The visitors' questions cannot be read right now (the database cannot be used")


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
    staff_page.selectbox(key="gap-pick").set_value(store.gaps()[0].normalized)
    run(staff_page)
    staff_page.selectbox(key="gap-passage").set_value("swedish-massage")
    click(staff_page, "gap-add")
    click(staff_page, "publish")
    [added] = [m.value for m in staff_page.success]
    assert is_plain(added, f"Added “{LINK} does massage help?” as an alternate question")

    go_to(staff_page, "Clinic details")
    field(staff_page, "booking_url").input(LINK)
    click(staff_page, "review")
    [problem] = [e.value for e in staff_page.get_by_key("field-booking_url").error]
    assert is_plain(problem, f"'{LINK}' is not a web address")

    (kb_dir / "smalltalk.yaml").write_text("smalltalk: [unclosed, ![x](https://evil.example)\n")
    run(staff_page)
    assert is_plain(staff_page.error[0].value, "Some of the knowledge base has problems")


def test_safety_triggers_and_unless_are_edited_and_a_broken_sample_refused(staff_page, kb_dir):
    before = (kb_dir / "safety.yaml").read_bytes()
    go_to(staff_page, "Safety messages")
    pick(staff_page, "safety.yaml", "blood-clot")
    triggers = field(staff_page, "triggers").value
    field(staff_page, "triggers").input("\n".join(t for t in triggers.splitlines()
                                                  if "clot" not in t))
    assert review(staff_page) is None
    assert field_errors(staff_page, "must_trigger")[0].startswith(
        "the sample \"I think I have a blood clot in my leg\" must trigger this rule")
    assert (kb_dir / "safety.yaml").read_bytes() == before

    field(staff_page, "triggers").input(triggers + "\nthrobbing + calf | calves")
    field(staff_page, "unless").input("warm bath")
    publish(staff_page)
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
    publish(staff_page)
    assert not messages(staff_page, "error")
    topics = yaml.safe_load((kb_dir / "scope.yaml").read_text())["not_covered"]
    assert topics[-1] == {"topic": "Stretching and flexibility", "name": "stretching",
                          "anywhere": True, "words": ["flexib*", "stretch*"]}
    assert "    anywhere: yes\n" in (kb_dir / "scope.yaml").read_text()
    assert visitor_asks(question)["status"] == "no_match"
