"""Grid search of ranking and abstention settings on question files; prints the best settings.

    python bench/tune.py ../shared/eval/dev-questions.yaml tests/data/questions.yaml

Settings are ranked by answer@1 + answer@3/2 + out-of-scope + out-of-scope-without-list/2,
summed over the files. For each setting it reports answer@1, answer@3 and out-of-scope
accuracy per file, and out-of-scope accuracy with the not-covered topic list switched off
("no list"), which shows how well abstention alone copes with off-topic questions the list
does not name.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.engine import Engine  # noqa: E402
from assistant.evaluate import evaluate, load_cases  # noqa: E402
from assistant.knowledge import load_knowledge  # noqa: E402
from assistant.retrieval import Settings  # noqa: E402

GRID = {
    "variant": ["okapi", "plus", "l"],
    "b": [0.3, 0.5, 0.75],
    "k1": [0.9, 1.2, 1.6],
    "title_weight": [1, 2, 3],
    "min_coverage": [0.35, 0.4, 0.45, 0.5],
    "unknown_weight": [1.5, 2.0, 2.5],
}


def main(paths: list[str]) -> None:
    knowledge = load_knowledge()  # $ASSISTANT_KNOWLEDGE_DIR, else the project's knowledge/
    files = [(p, load_cases(p)) for p in paths]
    no_list = dataclasses.replace(knowledge, not_covered=())
    rows = []
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        settings = Settings(**dict(zip(keys, values, strict=True)))
        engine = Engine(knowledge, settings)
        bare = Engine(no_list, settings)
        row = {"settings": dict(zip(keys, values, strict=True))}
        total = 0.0
        for path, cases in files:
            report = evaluate(cases, engine, path)
            oos = [c for c in cases if c.kind == "out_of_scope"]
            bare_oos = sum(bare.ask(c.q).status == "no_match" for c in oos) / max(len(oos), 1)
            row[path] = (report.score("answer"), report.score("answer", True),
                         report.score("out_of_scope"), bare_oos)
            total += (report.score("answer") + 0.5 * report.score("answer", True)
                      + report.score("out_of_scope") + 0.5 * bare_oos)
        row["total"] = total
        rows.append(row)
    rows.sort(key=lambda r: -r["total"])
    print("Best per BM25 variant:")
    for variant in GRID["variant"]:
        row = next(r for r in rows if r["settings"]["variant"] == variant)
        cells = "  ".join(f"@1 {a:.0%} @3 {b:.0%} oos {c:.0%} no-list {d:.0%}"
                          for a, b, c, d in (row[p] for p, _ in files))
        print(f"  {variant:6} {row['total']:.3f}  {cells}  {row['settings']}")
    default = {k: getattr(Settings(), k) for k in keys}
    row = next(r for r in rows if r["settings"] == default)
    cells = "  ".join(f"@1 {a:.0%} @3 {b:.0%} oos {c:.0%} no-list {d:.0%}"
                      for a, b, c, d in (row[p] for p, _ in files))
    print(f"Shipped defaults (rank {rows.index(row) + 1} of {len(rows)}): {row['total']:.3f}  "
          f"{cells}  {row['settings']}")
    print("Best settings overall:")
    for row in rows[:15]:
        cells = "  ".join(f"@1 {a:.0%} @3 {b:.0%} oos {c:.0%} no-list {d:.0%}"
                          for a, b, c, d in (row[p] for p, _ in files))
        print(f"{row['total']:.3f}  {cells}  {row['settings']}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["../shared/eval/dev-questions.yaml", "tests/data/questions.yaml"])
