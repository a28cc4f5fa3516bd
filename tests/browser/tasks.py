"""Staff tasks done in a real browser, counted step by step.

A step is one thing a staff member does: a click, typing into one field, or choosing from a
list (opening it and picking count as two clicks). After each step the page is photographed
once the step's outcome is on screen and the page has finished drawing, so the screenshots in
test-artifacts/tasks/ show every step a receptionist takes, and test-artifacts/staff-tasks.json
holds the count per task.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

SUMMARY = "staff-tasks.json"


class Task:
    """One staff task: every step done through it is counted and photographed."""

    def __init__(self, page: Page, artifacts: Path, name: str, title: str):
        self.page = page
        self.name = name
        self.title = title
        self.folder = artifacts / "tasks" / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.artifacts = artifacts
        self.steps: list[str] = []

    def _shot(self, what: str, until: Locator | None) -> None:
        if until is not None:
            expect(until).to_be_visible()
        settled(self.page)
        self.steps.append(what)
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:40]
        self.page.screenshot(path=self.folder / f"{len(self.steps):02d}-{slug}.png",
                             animations="disabled")

    def click(self, target: Locator, what: str, until: Locator | None = None) -> None:
        target.click()
        self._shot(what, until)

    def type(self, box: Locator, text: str, what: str, until: Locator | None = None,
             lines: bool = False) -> None:
        """Type into a field; Streamlit takes the value on Enter (Ctrl+Enter in a text area),
        as it would when the person clicks on to the next thing."""
        box.fill(text)
        box.press("Control+Enter" if lines else "Enter")
        self._shot(what, until)

    def choose(self, select: Locator, option: str | re.Pattern, what: str,
               until: Locator | None = None) -> None:
        """Open a drop-down list and pick an option: two steps."""
        select.click()
        self._shot(f"open the list to {what}", self.page.get_by_role("option").first)
        self.page.get_by_role("option", name=option).first.click()
        self._shot(what, until)

    def record(self, possible: bool, note: str = "") -> None:
        """Add this task's count to the summary file."""
        path = self.artifacts / SUMMARY
        summary = json.loads(path.read_text()) if path.exists() else {}
        summary[self.name] = {"title": self.title, "steps": len(self.steps),
                              "possible": possible, "note": note, "done": self.steps}
        path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")


def settled(page: Page) -> None:
    """Wait until the step's rerun has finished and nothing on the page is stale (greyed out):
    what a photograph then shows is what staff see next."""
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")) \
        .to_have_count(1)
    expect(page.locator("[data-stale='true']")).to_have_count(0)


def section(page: Page, name: str) -> Locator:
    """The radio button of a staff page section."""
    return page.get_by_test_id("stRadio").get_by_text(name, exact=True)
