"""UI speed in headless Chromium: `streamlit run` until the chat input is usable, and Enter until
the answer is visible. Targets: under 5 s and under 1 s (median of 5 runs).

    python bench/ui_bench.py [--runs 5] [--chromium /usr/bin/chromium]

Each run starts a fresh `python -m streamlit run app.py` on a free local port (a cold process that
imports Streamlit and builds the index) with a throw-away store, opens the page in a new browser
context of an already-running Chromium, and stops the clock when the chat input can be typed into.
It then types a question, and times Enter until the answer is visible; a second, follow-up
question is timed the same way. Not a test: it prints the figures for the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.server import CHROMIUM_FLAGS, find_chromium, streamlit_app  # noqa: E402

QUESTIONS = (("Can restless legs cause cramps?", "Sudden muscle contractions"),
             ("and what about at night?", "Sudden muscle contractions"))


def one_run(browser: Browser, workdir: Path, number: int) -> tuple[float, list[float]]:
    """(seconds from `streamlit run` to a usable chat input, [seconds from Enter to answer])."""
    folder = workdir / f"run-{number}"
    folder.mkdir()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    started = time.perf_counter()
    try:
        with streamlit_app(folder, ASSISTANT_DB=str(folder / "bench.db")) as url:
            page = context.new_page()
            page.goto(url)
            box = page.get_by_test_id("stChatInputTextArea")
            expect(box).to_be_editable(timeout=60_000)
            startup = time.perf_counter() - started
            answers = []
            for turn, (question, expected) in enumerate(QUESTIONS):
                box.fill(question)
                entered = time.perf_counter()
                box.press("Enter")
                reply = page.locator(f".st-key-reply-{turn}").get_by_text(expected).first
                expect(reply).to_be_visible(timeout=30_000)
                answers.append(time.perf_counter() - entered)
            return startup, answers
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default=find_chromium() or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    startups, firsts, follow_ups = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
        try:
            for number in range(1, args.runs + 1):
                startup, (first, follow_up) = one_run(browser, Path(tmp), number)
                startups.append(startup)
                firsts.append(first)
                follow_ups.append(follow_up)
                print(f"run {number}: start-up {startup:.2f} s, answer {first:.3f} s, "
                      f"follow-up answer {follow_up:.3f} s", flush=True)
        finally:
            browser.close()
    startup, first, follow_up = (statistics.median(v) for v in (startups, firsts, follow_ups))
    print(f"median of {args.runs} (cores: {os.cpu_count()}):")
    print(f"  streamlit run -> chat input usable: {startup:.2f} s (target < 5 s)")
    print(f"  Enter -> answer visible:            {first:.3f} s (target < 1 s)")
    print(f"  Enter -> follow-up answer visible:  {follow_up:.3f} s")
    return 0 if startup < 5 and first < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
