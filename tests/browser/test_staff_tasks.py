"""Eight staff tasks done in a real browser, step by step (see tests/browser/tasks.py), each
ending with what visitors then get. The README's before/after table counts these steps.

The tasks share one staff server and knowledge folder (tests/browser/conftest.py), each with
questions and entries of its own.
"""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from assistant import editing
from assistant.editing import SetFields
from assistant.store import Store
from tests.browser.server import STAFF_PASSWORD
from tests.browser.tasks import Task, section, settled
from tests.helpers import FIXTURES

pytestmark = pytest.mark.browser

ARTICLE = FIXTURES / "articles" / "first-visit.txt"
ARTICLE_TITLE = "What To Expect At Your First Massage Therapy Visit"
WEAR = ("Wear loose, comfortable clothing. You undress only to your level of comfort, and a "
        "sheet or towel covers you at all times except for the area being worked on.")
STROKING = "are long soothing strokes ok for jumpy legs"
CAR = "is there a place to leave my car"
WIFI = "what is the wifi password"
SWEDISH = "A gentler approach, Swedish massage focuses on long, flowing strokes"


def signed_in(page: Page, url: str, width: int = 1280) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{url}/staff")
    box = page.get_by_role("textbox", name="Staff password")
    expect(box).to_be_editable()
    box.fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def staff(page, staff_server):
    for question in (STROKING, CAR, WIFI):
        Store(staff_server.db).log_unanswered(question)
    signed_in(page, staff_server.url)
    return page


def review_panel(page: Page) -> Locator:
    return page.locator("[class*='st-key-review-']").first


def published(page: Page) -> Locator:
    return page.get_by_text(re.compile("Visitors get it from their next question"))


def visitor_reply(page: Page, url: str, question: str) -> Locator:
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_editable()
    box.fill(question)
    box.press("Enter")
    reply = page.locator(".st-key-reply-0")
    expect(reply).to_be_visible()
    return reply


def test_task_1_import_an_article_and_publish_a_passage(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "1-import-article", "Import a new article and publish a "
                                                      "passage from it")
    task.click(section(staff, "Articles"), "open Articles",
               staff.get_by_role("button", name="Import an article"))
    task.click(staff.get_by_role("button", name="Import an article"), "import an article",
               staff.get_by_role("textbox", name="Title of the article"))
    task.type(staff.get_by_role("textbox", name="Title of the article"), ARTICLE_TITLE,
              "type the title")
    task.type(staff.get_by_role("textbox", name="Published (YYYY-MM-DD)"), "2025-11-12",
              "type the date")
    task.type(staff.get_by_role("textbox", name="Paste the article's text"),
              ARTICLE.read_text(), "paste the text", lines=True)
    task.click(staff.get_by_role("button", name="Next: check for page clutter"),
               "go on to the page clutter",
               staff.get_by_role("checkbox", name=re.compile("Share on Facebook")))
    task.click(staff.get_by_role("button", name="Next: split into passages"),
               "confirm the clutter", staff.get_by_text("6 passages"))
    wear = staff.locator(".st-key-draft-2")
    task.type(wear.get_by_role("textbox", name=re.compile("Ways a visitor might ask")),
              "What should I wear to a massage?\nDo I have to undress?",
              "improve its questions", lines=True)
    task.type(staff.get_by_role("textbox", name=re.compile("Question to try")),
              "What should I wear to a massage?", "type a question to try")
    task.click(staff.get_by_role("button", name="Review and publish"), "review",
               review_panel(staff))
    expect(review_panel(staff).get_by_text(WEAR).first).to_be_visible()
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    task.record(True)

    reply = visitor_reply(staff, staff_server.url, "what should I wear to my massage")
    expect(reply.get_by_text(WEAR + " [1]")).to_be_visible()
    expect(reply.get_by_text(re.compile(ARTICLE_TITLE))).to_be_visible()  # its source


def test_task_2_add_a_clinic_fact(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "2-clinic-fact", "Add a clinic fact (opening hours) that "
                                                   "visitors get")
    task.click(section(staff, "Clinic facts"), "open Clinic facts",
               staff.get_by_role("button", name="Add a new clinic fact"))
    task.click(staff.get_by_role("button", name="Add a new clinic fact"), "add a new fact",
               staff.get_by_role("textbox", name="What it is about"))
    task.type(staff.get_by_role("textbox", name="What it is about"), "Opening hours",
              "type what it is about")
    task.type(staff.get_by_role("textbox", name=re.compile("Ways a visitor might ask")),
              "When are you open?\nWhat are your opening hours?", "type how visitors ask",
              lines=True)
    task.type(staff.get_by_role("textbox", name=re.compile("Answer")),
              "Monday to Friday, 8 am to 6 pm; Saturday 9 am to 1 pm.", "type the answer",
              lines=True)
    task.click(staff.get_by_role("button", name="Review changes"), "review",
               review_panel(staff))
    expect(review_panel(staff).get_by_text("From the clinic").first).to_be_visible()
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    task.record(True)

    reply = visitor_reply(staff, staff_server.url, "are you open on saturday?")
    expect(reply.get_by_text("From the clinic")).to_be_visible()
    expect(reply.get_by_text("Monday to Friday, 8 am to 6 pm; Saturday 9 am to 1 pm.")) \
        .to_be_visible()
    expect(reply.get_by_text(re.compile("^Last checked"))).to_be_visible()


def test_task_3_answer_a_logistics_question_as_a_clinic_fact(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "3-unanswered-to-fact", "Answer a logistics question from the "
                                                          "unanswered list as a clinic fact")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("combobox", name="Unanswered question (this page)"))
    task.choose(staff.get_by_role("combobox", name="Unanswered question (this page)"),
                re.compile(re.escape(CAR)), "choose the question",
                staff.get_by_role("tab", name="Answer it as a clinic fact"))
    task.type(staff.get_by_role("textbox", name="The answer visitors get"),
              "Free parking behind the building, off 112 Street.", "type the answer",
              lines=True)
    task.click(staff.get_by_role("button", name="Review the new clinic fact"), "review",
               review_panel(staff))
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    assert CAR not in [g.question for g in Store(staff_server.db).gaps()]
    task.record(True)

    reply = visitor_reply(staff, staff_server.url, CAR)
    expect(reply.get_by_text("Free parking behind the building, off 112 Street.")) \
        .to_be_visible()


def test_task_4_add_an_alternate_question_through_review(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "4-alternate-question", "Add an unanswered question as an "
                                                          "alternate question, with preview "
                                                          "and impact first")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("combobox", name="Unanswered question (this page)"))
    task.choose(staff.get_by_role("combobox", name="Unanswered question (this page)"),
                re.compile(re.escape(STROKING)), "choose the question",
                staff.get_by_role("tab", name="Add it to a passage"))
    expect(staff.get_by_role("tab", name="Answer it as a clinic fact")).to_have_count(0)
    task.choose(staff.get_by_role("combobox", name="as an alternate question of the passage"),
                re.compile("Swedish massage"), "choose the passage")
    task.click(staff.get_by_role("button", name="Review adding it"), "review",
               review_panel(staff))
    panel = review_panel(staff)
    expect(panel.get_by_text("Now", exact=True)).to_be_visible()
    expect(panel.get_by_text(re.compile("^I'm sorry, the clinic's articles don't cover"))) \
        .to_be_visible()
    expect(panel.get_by_text(re.compile(re.escape(SWEDISH))).first).to_be_visible()
    staff.set_viewport_size({"width": 768, "height": 1000})
    panel.scroll_into_view_if_needed()
    staff.screenshot(path=artifacts / "staff-review-768.png", animations="disabled")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 768
    staff.set_viewport_size({"width": 1280, "height": 1000})
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    task.record(True)

    reply = visitor_reply(staff, staff_server.url, STROKING)
    expect(reply.get_by_text(re.compile(re.escape(SWEDISH))).first).to_be_visible()


def test_task_5_edit_a_passage_with_preview_and_impact(staff, artifacts):
    task = Task(staff, artifacts, "5-edit-passage", "Find a passage by a word, add an alternate "
                                                    "question, preview and check impact, "
                                                    "publish")
    questions = staff.get_by_role("textbox", name=re.compile("Alternate questions"))
    task.type(staff.get_by_role("textbox", name="Search passages"), "swedish",
              "search for 'swedish'", staff.get_by_text(re.compile("match. Choose one")))
    expect(questions).to_have_count(0)  # nothing is opened by itself
    task.click(staff.get_by_test_id("stRadio").last.get_by_text(re.compile("^Swedish massage")),
               "choose the Swedish massage passage", questions)
    task.type(questions, questions.input_value() + "\nIs a soft massage right for me?",
              "add an alternate question", lines=True)
    task.click(staff.get_by_role("button", name="Review changes"), "review",
               review_panel(staff))
    expect(review_panel(staff).get_by_text(
        "What a visitor asking \u201cIs a soft massage right for me?\u201d gets:")).to_be_visible()
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    task.record(True)


def test_task_6_restore_a_version_then_undo_it(staff, staff_server, artifacts):
    editing.apply(editing.plan_edit(staff_server.knowledge, SetFields(
        "clinic.yaml", 0, {"phone": "780-555-0100"})))
    task = Task(staff, artifacts, "6-restore-and-undo", "Put the clinic details back as they "
                                                        "were, then undo that")
    first = staff.locator(".st-key-version-0")
    task.click(section(staff, "History"), "open History", first)
    expect(first.get_by_text(re.compile("Phone \\(was \u201c\u201d, now \u201c780-555-0100"))) \
        .to_be_visible()
    task.click(first.get_by_role("button", name=re.compile("Put back the version")),
               "put back the version from before", review_panel(staff))
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    assert "780-555-0100" not in (staff_server.knowledge / "clinic.yaml").read_text()
    expect(first.get_by_text(re.compile("^Put back Clinic details as it was"))).to_be_visible()
    task.click(first.get_by_role("button", name="Undo this restore\u2026"), "undo the restore",
               review_panel(staff))
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    clinic = yaml.safe_load((staff_server.knowledge / "clinic.yaml").read_text())
    assert clinic["clinic"]["phone"] == "780-555-0100"
    task.record(True)


def test_task_7_dismiss_then_undo(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "7-dismiss-and-undo", "Dismiss an unanswered question, then "
                                                        "undo that")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("combobox", name="Unanswered question (this page)"))
    task.choose(staff.get_by_role("combobox", name="Unanswered question (this page)"),
                re.compile(WIFI), "choose the question",
                staff.get_by_role("tab", name="Dismiss it"))
    task.click(staff.get_by_role("tab", name="Dismiss it"), "open Dismiss it",
               staff.get_by_role("button", name="Dismiss this question"))
    task.click(staff.get_by_role("button", name="Dismiss this question"), "dismiss",
               staff.get_by_text(re.compile("^Dismissed.")))
    assert WIFI not in [g.question for g in Store(staff_server.db).gaps()]
    task.click(staff.get_by_role("button", name="Undo the dismissal"), "undo",
               staff.get_by_text("The question is back on the list of unanswered questions."))
    assert WIFI in [g.question for g in Store(staff_server.db).gaps()]
    task.record(True)


def test_task_8_add_a_word_to_a_synonym(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "8-synonym", "Add a visitor's word to an existing synonym")
    words = staff.get_by_role("textbox", name=re.compile("Visitors' words"))
    task.click(section(staff, "Synonyms"), "open Synonyms",
               staff.get_by_role("textbox", name="Search synonyms"))
    task.type(staff.get_by_role("textbox", name="Search synonyms"), "cramps",
              "search for 'cramps'", staff.get_by_text("1 of 5 synonyms match. Choose one:"))
    task.click(staff.get_by_test_id("stRadio").last.get_by_text("cramps"), "choose it", words)
    task.type(words, words.input_value() + "\nleg knots", "add the word", lines=True)
    task.click(staff.get_by_role("button", name="Review changes"), "review",
               review_panel(staff))
    task.click(staff.get_by_role("button", name="Publish", exact=True), "publish",
               published(staff))
    task.record(True)

    reply = visitor_reply(staff, staff_server.url, "can massage help leg knots at night?")
    expect(reply.get_by_text("Helps reduce leg cramps", exact=True)).to_be_visible()


def test_the_new_staff_screens_read_well_768px_wide(page, staff_server, artifacts):
    """The import's steps (the article uploaded as a file), a new clinic fact, an unanswered
    question's actions and History at 768 px: nothing wider than the screen, each
    photographed."""
    Store(staff_server.db).log_unanswered(CAR)
    signed_in(page, staff_server.url, width=768)

    def photographed(name: str) -> None:
        settled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 768, name
        page.screenshot(path=artifacts / f"staff-768-{name}.png", animations="disabled")

    section(page, "Articles").click()
    page.get_by_role("button", name="Import an article").click()
    page.get_by_role("textbox", name="Title of the article").fill(ARTICLE_TITLE)
    page.get_by_role("textbox", name="Title of the article").press("Enter")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(ARTICLE)  # uploaded
    expect(page.get_by_text("first-visit.txt")).to_be_visible()
    photographed("import-article")
    page.get_by_role("button", name="Next: check for page clutter").click()
    expect(page.get_by_role("checkbox", name=re.compile("Share on Facebook"))).to_be_visible()
    photographed("import-clutter")
    page.get_by_role("button", name="Next: split into passages").click()
    expect(page.get_by_text("6 passages")).to_be_visible()
    photographed("import-passages")
    page.get_by_role("button", name="Cancel the import").click()

    section(page, "Clinic facts").click()
    page.get_by_role("button", name="Add a new clinic fact").click()
    expect(page.get_by_role("textbox", name="What it is about")).to_be_visible()
    photographed("clinic-fact")

    section(page, "Unanswered questions").click()
    page.get_by_role("combobox", name="Unanswered question (this page)").click()
    page.get_by_role("option", name=re.compile(re.escape(CAR))).click()
    expect(page.get_by_role("tab", name="Answer it as a clinic fact")).to_be_visible()
    photographed("unanswered")

    section(page, "History").click()
    expect(page.get_by_text(re.compile("^Every change you publish keeps"))).to_be_visible()
    photographed("history")
