"""Speed of the answer engine on the shipped knowledge base, beside the naive baseline.

    python bench/engine_bench.py [--rounds N]

Prints: the knowledge base's first load (imports paid), then the medians of 20 loads and
validations (`load_knowledge`: read, parse, schema and quote checks; each file parsed anew, and
again as after a save that changed no file), of the safety samples'
replay through the red-flag matcher (`safety_check.sample_errors`, run with every engine build
and staff save), of the version check the chat runs per question (`file_stamps`: a stat per
file) and of the hash it falls back to when the stamps changed (`fingerprint`); the index
build time (median of 20 fresh builds), and the median and 95th percentile of `ask()` over every
question of the question files (typo matching, tokenising and snippet selection included; a
fresh engine per round, so word caches start cold each round), and the baseline's median search
time on the same questions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.baseline import Baseline  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluate import load_cases  # noqa: E402
from assistant.knowledge import fingerprint, load_knowledge, loader  # noqa: E402
from assistant.knowledge.blocks import block_items  # noqa: E402
from assistant.safety_check import sample_errors  # noqa: E402
from assistant.safety_model import SafetyNet, ordinary_messages  # noqa: E402
from assistant.serving import file_stamps  # noqa: E402
from assistant.text import forget_texts, stem, zipf  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def _timed(step, times: int = 20, before=None) -> list[float]:
    """The duration of `step()`, `times` times (`before()`, untimed, ahead of each)."""
    out = []
    for _ in range(times):
        if before is not None:
            before()
        start = time.perf_counter()
        step()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = args.files or [str(ROOT / "tests/data/questions.yaml")]
    shared = ROOT.parent / "shared/eval/dev-questions.yaml"
    if not args.files and shared.exists():
        files.append(str(shared))
    questions = [case.q for f in files for case in load_cases(f)]

    folder = ROOT / "knowledge"
    start = time.perf_counter()
    knowledge = load_knowledge(folder)
    first_load = time.perf_counter() - start
    Engine(knowledge)  # first build pays one-off imports and the word-frequency table
    def forget():
        """Every file to be parsed and checked again, as in a new process (which has nothing
        to free: so this is not timed)."""
        loader._PARSED.clear()
        block_items.cache_clear()

    loads = _timed(lambda: load_knowledge(folder), before=forget)
    reloads = _timed(lambda: load_knowledge(folder))
    replays = _timed(lambda: sample_errors(knowledge))
    versions = _timed(lambda: fingerprint(folder))
    trainings = _timed(lambda: SafetyNet.train(knowledge.safety, ordinary_messages(knowledge)),
                       5)
    stamps = _timed(lambda: file_stamps(folder))

    builds = []
    for _ in range(20):
        stem.cache_clear()
        zipf.cache_clear()
        forget_texts()
        start = time.perf_counter()
        Engine(knowledge)
        builds.append(time.perf_counter() - start)

    asks = []
    for _ in range(args.rounds):
        stem.cache_clear()
        zipf.cache_clear()
        forget_texts()
        engine = Engine(knowledge)
        for q in questions:
            start = time.perf_counter()
            engine.ask(q)
            asks.append(time.perf_counter() - start)

    baseline = Baseline("\n\n".join(knowledge.source_texts.values()))
    base = []
    for _ in range(args.rounds):
        for q in questions:
            start = time.perf_counter()
            baseline.search(q)
            base.append(time.perf_counter() - start)

    asks.sort()
    print(f"questions: {len(questions)} from {', '.join(files)}; rounds: {args.rounds}")
    print(f"load and validate knowledge: first {_ms(first_load)}, median of 20 "
          f"{_ms(statistics.median(loads))}; again with no file changed (each file's text "
          f"read and compared, nothing parsed) {_ms(statistics.median(reloads))}")
    samples = sum(len(r.must_trigger) + len(r.must_not_trigger) for r in knowledge.safety)
    print(f"safety sample replay ({samples} samples), median of 20: "
          f"{_ms(statistics.median(replays))}")
    print(f"version check (file_stamps), median of 20: {_ms(statistics.median(stamps))}; "
          f"after a change (fingerprint): {_ms(statistics.median(versions))}")
    print(f"safety net training (when the safety samples change), median of 5: "
          f"{_ms(statistics.median(trainings))}")
    print(f"index build (Engine, safety net already trained), median of 20: "
          f"{_ms(statistics.median(builds))}")
    print(f"ask() median: {_ms(statistics.median(asks))}; p95: "
          f"{_ms(asks[int(len(asks) * 0.95)])}; max: {_ms(asks[-1])}")
    print(f"naive baseline search median: {_ms(statistics.median(base))}")
    print(f"worst input (2,000 characters of random letters, 3 such earlier turns), worst of "
          f"30: {_ms(_worst_input(Engine(knowledge)))}")


def _worst_input(engine: Engine) -> float:
    """The slowest ask() over 30 messages of fresh random words, each word unknown to the
    knowledge base and to English (every one goes through typo matching)."""
    rng = random.Random(1)
    worst = 0.0
    for _ in range(30):
        words = ("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 12)))
                 for _ in range(400))
        message = " ".join(words)[:2000]
        start = time.perf_counter()
        engine.ask(message, [message[:300]] * 3)
        worst = max(worst, time.perf_counter() - start)
    return worst


if __name__ == "__main__":
    main()
