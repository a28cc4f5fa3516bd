"""The command line: `python -m assistant ask|eval|validate|history|restore|gaps ...`
(see README for the contract)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .compose import Answer
from .errors import AssistantError, KnowledgeInvalid, describe
from .safety_check import checked_knowledge
from .serving import build_engine

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _knowledge_dir(args) -> str:
    from .settings import knowledge_dir

    return getattr(args, "knowledge", None) or knowledge_dir()


def render_text(answer: Answer) -> str:
    """An answer for a person at a terminal."""
    return f"[{answer.status}]\n{answer.answer}"


def cmd_ask(args, out: TextIO, stdin: TextIO) -> int:
    engine = build_engine(_knowledge_dir(args))
    store = None
    if args.log:
        from .store import Store

        store = Store()
    questions = (line.rstrip("\n") for line in stdin) if args.question == "-" else [args.question]
    for question in questions:
        answer = engine.ask(question)
        if store is not None and answer.status == "no_match":
            store.log_unanswered(answer.question)
        _emit(answer, args.json, out)
    return EXIT_OK


def _emit(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(render_text(answer) + "\n\n")
    out.flush()


def cmd_eval(args, out: TextIO, stdin: TextIO) -> int:
    from .evaluate import evaluate, format_report, load_cases, problems

    engine = build_engine(_knowledge_dir(args))
    report = evaluate(load_cases(args.file, args.split), engine, path=args.file)
    out.write(format_report(report) + "\n")
    failed = problems(report, args.min_answer, args.min_out_of_scope, args.min_answer3)
    for problem in failed:
        out.write(f"FAIL: {problem}\n")
    out.write("PASS\n" if not failed else "")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_validate(args, out: TextIO, stdin: TextIO) -> int:
    directory = args.directory or _knowledge_dir(args)
    k = checked_knowledge(directory)
    out.write(f"{directory}: valid: {len(k.passages)} passages from {len(k.sources)} source(s), "
              f"{len(k.synonyms)} synonym entries, {len(k.safety)} safety rules, "
              f"{len(k.smalltalk)} small-talk replies, {len(k.not_covered)} not-covered topics\n")
    return EXIT_OK


def cmd_history(args, out: TextIO, stdin: TextIO) -> int:
    from .editing import HISTORY_DIR, history

    directory = _knowledge_dir(args)
    versions = history(directory)
    if not versions:
        out.write(f"{Path(directory) / HISTORY_DIR}: no saved versions yet (every staff save "
                  "keeps the version it replaces there)\n")
        return EXIT_OK
    width = max(len(v.id) for v in versions)
    out.write(f"{'VERSION':<{width}}  {'FILE':<15} SAVED (UTC)\n")
    for version in versions:
        out.write(f"{version.id:<{width}}  {version.name:<15} "
                  f"{version.saved_at:%Y-%m-%d %H:%M:%S}\n")
    return EXIT_OK


def cmd_restore(args, out: TextIO, stdin: TextIO) -> int:
    from .editing import restore

    saved = restore(_knowledge_dir(args), args.version)
    out.write(f"Restored {saved.name} from version {args.version}. The version it replaced is "
              f"kept as {saved.backup}.\n")
    return EXIT_OK


def cmd_gaps(args, out: TextIO, stdin: TextIO) -> int:
    from .store import Store

    store = Store()
    if args.csv:
        out.write(store.gaps_csv())
        return EXIT_OK
    gaps = store.gaps()
    if not gaps:
        out.write(f"{store.path}: no unanswered questions in the last {store.retention_days} "
                  "days\n")
        return EXIT_OK
    out.write("COUNT  LAST SEEN   QUESTION\n")
    for gap in gaps:
        out.write(f"{gap.count:>5}  {gap.last_seen}  {gap.question}\n")
    return EXIT_OK


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    root = argparse.ArgumentParser(prog="python -m assistant",
                                   description="RLS massage assistant (Granville Physiotherapy)")
    sub = root.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a question (or '-' for one per line on stdin)")
    ask.add_argument("question", help="the question, or '-' to read one question per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--knowledge", help="knowledge folder (default: $ASSISTANT_KNOWLEDGE_DIR "
                                         "or knowledge/)")
    ask.add_argument("--log", action="store_true",
                     help="keep questions the knowledge base cannot answer in $ASSISTANT_DB "
                          "(default data/assistant.db), as the app does")
    ask.set_defaults(run=cmd_ask)

    ev = sub.add_parser("eval", help="score a question file")
    ev.add_argument("file")
    ev.add_argument("--min-answer", type=_fraction, default=0.0, help="minimum answer@1")
    ev.add_argument("--min-answer3", type=_fraction, default=0.0, help="minimum answer@3")
    ev.add_argument("--min-out-of-scope", type=_fraction, default=0.0)
    ev.add_argument("--knowledge")
    ev.add_argument("--split", help="score only the cases with this `split:` label")
    ev.set_defaults(run=cmd_eval)

    val = sub.add_parser("validate", help="check the knowledge base; exit 2 on problems")
    val.add_argument("directory", nargs="?")
    val.set_defaults(run=cmd_validate)

    hist = sub.add_parser("history", help="list the saved versions of the knowledge files")
    hist.add_argument("--knowledge")
    hist.set_defaults(run=cmd_history)

    rest = sub.add_parser("restore", help="put a saved version back (see 'history')")
    rest.add_argument("version", help="a version id as 'history' lists it")
    rest.add_argument("--knowledge")
    rest.set_defaults(run=cmd_restore)

    gaps = sub.add_parser("gaps", help="unanswered visitor questions, grouped, most asked first")
    gaps.add_argument("--csv", action="store_true", help="print CSV (question,count,last_seen)")
    gaps.set_defaults(run=cmd_gaps)
    return root


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run one command; errors are printed for people and turned into exit codes."""
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    args = parser().parse_args(argv)
    try:
        return args.run(args, out, stdin)
    except KnowledgeInvalid as exc:
        err.write(describe(exc) + "\n")
        return EXIT_INVALID
    except AssistantError as exc:
        err.write(describe(exc) + "\n")
        return EXIT_INVALID
