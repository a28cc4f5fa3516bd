"""Speed of the staff side: saving an edit, and the staff page with a large store.

    python bench/staff_bench.py [--questions 50000] [--rounds 5]

On a copy of the shipped knowledge base, prints the medians of: planning an edit that changes
nothing (and checks that saving it leaves the file byte for byte and writes no version), the
round-trip writer alone, and planning and applying a one-question edit to passages.yaml. Then
fills a store with `--questions` logged unanswered questions (half of them distinct wordings,
inserted in one transaction) and times the staff page (Streamlit's AppTest, signed in) opening
"Unanswered questions" and each rerun after it: the first drawing asks the current engine 50
questions, a rerun asks none. Not a test: it prints the figures for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import editing  # noqa: E402
from assistant.editing import AddItem, SetFields, entries  # noqa: E402
from assistant.editing.yamltext import patch  # noqa: E402
from assistant.knowledge import SPECS  # noqa: E402
from assistant.store import Store, normalized  # noqa: E402

PASSWORD = "bench password"


def _median_ms(step, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def saving(folder: Path, rounds: int) -> None:
    name = "passages.yaml"
    before = (folder / name).read_bytes()
    doc = editing.open_file(folder, name)
    entry = entries(SPECS[name], doc.data)[0]
    noop = SetFields(name, 0, {k: v.strip() if isinstance(v, str) else v
                               for k, v in entry.items()}, entry["id"])
    plan = editing.plan_edit(folder, noop, base=doc)
    done = editing.apply(plan)
    identical = (folder / name).read_bytes() == before and done.backup is None
    print(f"no-op save: byte-identical {identical}, versions written "
          f"{len(editing.history(folder))}; plan {_median_ms(lambda: editing.plan_edit(folder, noop, base=doc), rounds):.1f} ms "  # noqa: E501
          f"(validation and safety replay included)")
    print(f"round-trip writer (patch) on {name}, no change: "
          f"{_median_ms(lambda: patch(doc.text, doc.data), rounds * 4):.2f} ms")

    def one_question() -> None:
        question = f"Is this bench question {time.perf_counter_ns()} answered?"
        editing.apply(editing.plan_edit(folder, AddItem(name, entry["id"], "questions",
                                                        question)))
        editing.apply(editing.plan_edit(folder, SetFields(name, 0, {
            "questions": entry["questions"]}, entry["id"])))

    print(f"a one-question edit planned and saved (then undone the same way): "
          f"{_median_ms(one_question, rounds) / 2:.1f} ms per save")


def fill(db: Path, count: int) -> None:
    Store(db)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = []
    for n in range(count):
        question = f"is a sauna session number {n // 2} good for my legs?"
        rows.append((question, normalized(question), (now - dt.timedelta(seconds=n)).isoformat()))
    with sqlite3.connect(db) as connection:
        connection.executemany("INSERT INTO unanswered (question, normalized, asked_at) "
                               "VALUES (?, ?, ?)", rows)


def page(rounds: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    at.switch_page("pages/staff.py").run()
    at.text_input(key="password").input(PASSWORD)
    at.button(key="login").click().run()
    at.radio(key="section").set_value("Unanswered questions")
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(rounds):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    print(f"staff page, Unanswered questions: first drawing {first:.2f} s, rerun median "
          f"{statistics.median(reruns):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "knowledge"
        shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("history"))
        os.environ.update(ASSISTANT_KNOWLEDGE_DIR=str(folder), ASSISTANT_STAFF_PASSWORD=PASSWORD,
                          ASSISTANT_DB=str(Path(temporary) / "assistant.db"))
        saving(folder, args.rounds)
        fill(Path(temporary) / "assistant.db", args.questions)
        print(f"store: {args.questions:,} logged unanswered questions, "
              f"{Store().gap_count():,} groups")
        page(args.rounds)


if __name__ == "__main__":
    main()
