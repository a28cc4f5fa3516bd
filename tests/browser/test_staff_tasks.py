"""Eight staff tasks done in a real browser, step by step (see tests/browser/tasks.py).

This is the staff page as it was before staff could import articles, keep clinic facts and
review every change: tasks it cannot do are recorded as not possible, with what is missing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assistant import editing
from assistant.editing import SetFields
from assistant.store import Store
from tests.browser.server import STAFF_PASSWORD
from tests.browser.tasks import Task, section

pytestmark = pytest.mark.browser

STROKING = "is stroking good for twitchy legs"
CAR = "is there a place to leave my car"
WIFI = "what is the wifi password"


def signed_in(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
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


def test_task_1_import_an_article(staff, artifacts):
    task = Task(staff, artifacts, "1-import-article", "Import a new article and publish a "
                                                        "passage from it")
    task.click(section(staff, "Sources"), "open Sources",
               staff.get_by_role("textbox", name=re.compile("Text file")))
    # A source names a text file in the knowledge folder; nothing on the page makes one.
    expect(staff.get_by_text(re.compile("Import|Upload|Paste"))).to_have_count(0)
    task.record(False, "no way to add an article's text; a new paragraph is refused as not "
                       "found in the one article")


def test_task_2_add_a_clinic_fact(staff, artifacts):
    task = Task(staff, artifacts, "2-clinic-fact", "Add a clinic fact (opening hours) that "
                                                   "visitors get")
    task.click(section(staff, "Clinic details"), "open Clinic details",
               staff.get_by_role("textbox", name=re.compile("Referral sentence")))
    expect(staff.get_by_text(re.compile("[Ff]act"))).to_have_count(0)
    task.record(False, "clinic details hold only name, city, referral, booking link, phone "
                       "and address")


def test_task_3_answer_a_logistics_question_as_a_clinic_fact(staff, artifacts):
    task = Task(staff, artifacts, "3-unanswered-to-fact", "Answer a logistics question from the "
                                                          "unanswered list as a clinic fact")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("button", name="Add as alternate question"))
    expect(staff.get_by_text(re.compile("clinic fact"))).to_have_count(0)
    task.record(False, "only 'add as alternate question' of a health passage, or dismiss")


def test_task_4_add_an_alternate_question_through_review(staff, staff_server, artifacts):
    task = Task(staff, artifacts, "4-alternate-question", "Add an unanswered question as an "
                                                          "alternate question, with preview "
                                                          "and impact first")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("button", name="Add as alternate question"))
    task.choose(staff.get_by_role("combobox", name="Unanswered question (this page)"),
                re.compile(re.escape(STROKING)), "choose the question",
                staff.get_by_role("textbox", name="Wording to add"))
    task.choose(staff.get_by_role("combobox", name="as an alternate question of the passage"),
                re.compile("Swedish massage"), "choose the passage")
    # No preview or impact here: the next click saves at once.
    expect(staff.get_by_role("button", name=re.compile("Preview|impact"))).to_have_count(0)
    task.click(staff.get_by_role("button", name="Add as alternate question"),
               "add as alternate question",
               staff.get_by_text(re.compile("Added .* as an alternate question")))
    task.record(True, "saved with one click: no preview or impact offered")


def test_task_5_edit_a_passage_with_preview_and_impact(staff, artifacts):
    task = Task(staff, artifacts, "5-edit-passage", "Find a passage by a word, add an alternate "
                                                    "question, preview and check impact, "
                                                    "publish")
    questions = staff.get_by_role("textbox", name=re.compile("Alternate questions"))
    task.type(staff.get_by_role("textbox", name="Search passages"), "swedish",
              "search for 'swedish'", staff.get_by_text(re.compile("of 10 passages")))
    # The first match is opened at once; make sure it is the Swedish massage one.
    task.choose(staff.get_by_role("combobox", name="Choose a passage"),
                re.compile("Swedish massage"), "choose the Swedish massage passage")
    expect(questions).to_have_value(re.compile("Swedish"))
    task.type(questions, questions.input_value() + "\nIs a soft massage right for me?",
              "add an alternate question", lines=True)
    task.type(staff.get_by_role("textbox", name="Try a question against your edit"),
              "Is a soft massage right for me?", "type a question to preview")
    task.click(staff.get_by_role("button", name="Preview the answer"), "preview the answer",
               staff.get_by_text("What a visitor would see with your edit (not saved yet):"))
    task.click(staff.get_by_role("button", name="Check impact"), "check impact",
               staff.get_by_text(re.compile("questions replayed|would get a different answer")))
    task.click(staff.get_by_role("button", name="Save"), "save",
               staff.get_by_text(re.compile("^Saved")))
    task.record(True, "the preview shows only the answer after the edit, not before")


def test_task_6_restore_a_version_then_undo_it(staff, staff_server, artifacts):
    editing.apply(editing.plan_edit(staff_server.knowledge, SetFields(
        "clinic.yaml", 0, {"phone": "780-555-0100"})))
    task = Task(staff, artifacts, "6-restore-and-undo", "Put the clinic details back as they "
                                                        "were, then undo that")
    task.click(section(staff, "History"), "open History",
               staff.get_by_role("button", name="Restore this version"))
    task.click(staff.get_by_role("button", name="Restore this version"), "restore",
               staff.get_by_text(re.compile("^Restored clinic.yaml")))
    # Undo: the restore kept the file it replaced as the newest version; restore that one.
    task.choose(staff.get_by_role("combobox", name="Version"), re.compile("clinic.yaml"),
                "choose the version the restore replaced")
    task.click(staff.get_by_role("button", name="Restore this version"), "restore it",
               staff.get_by_text(re.compile("^Restored clinic.yaml")))
    task.record(True, "restore goes live without confirmation; undo means finding the right "
                      "version by its UTC time")


def test_task_7_dismiss_then_undo(staff, artifacts):
    task = Task(staff, artifacts, "7-dismiss-and-undo", "Dismiss an unanswered question, then "
                                                        "undo that")
    task.click(section(staff, "Unanswered questions"), "open Unanswered questions",
               staff.get_by_role("button", name="Dismiss"))
    task.choose(staff.get_by_role("combobox", name="Unanswered question (this page)"),
                re.compile(WIFI), "choose the question",
                staff.get_by_role("textbox", name="Wording to add"))
    task.click(staff.get_by_role("button", name="Dismiss"), "dismiss",
               staff.get_by_text("Dismissed."))
    task.record(False, "a dismissed question is deleted; nothing brings it back")


def test_task_8_add_a_word_to_a_synonym(staff, artifacts):
    task = Task(staff, artifacts, "8-synonym", "Add a visitor's word to an existing synonym")
    words = staff.get_by_role("textbox", name=re.compile("Visitors' words"))
    task.click(section(staff, "Synonyms"), "open Synonyms", words)
    task.type(staff.get_by_role("textbox", name="Search synonyms"), "cramps",
              "search for 'cramps'", staff.get_by_text("1 of 5 synonyms"))
    expect(words).to_have_value(re.compile("charley horse"))
    task.type(words, words.input_value() + "\nleg knots", "add the word", lines=True)
    task.click(staff.get_by_role("button", name="Save"), "save",
               staff.get_by_text(re.compile("^Saved")))
    task.record(True, "saved without preview or impact")
