"""The command line: `python -m assistant ask|eval|validate ...` (see README for the contract)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .compose import Answer
from .engine import Engine
from .errors import AssistantError, KnowledgeInvalid, describe
from .knowledge import load_knowledge

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _knowledge_dir(args) -> str:
    from .config import knowledge_dir

    return getattr(args, "knowledge", None) or knowledge_dir()


def render_text(answer: Answer) -> str:
    """An answer for a person at a terminal."""
    return f"[{answer.status}]\n{answer.answer}"


def cmd_ask(args, out: TextIO, stdin: TextIO) -> int:
    engine = Engine(load_knowledge(_knowledge_dir(args)))
    if args.question == "-":
        for line in stdin:
            answer = engine.ask(line.rstrip("\n"))
            _emit(answer, args.json, out)
        return EXIT_OK
    _emit(engine.ask(args.question), args.json, out)
    return EXIT_OK


def _emit(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(render_text(answer) + "\n\n")
    out.flush()


def cmd_eval(args, out: TextIO, stdin: TextIO) -> int:
    from .evaluate import evaluate, format_report, load_cases, problems

    engine = Engine(load_knowledge(_knowledge_dir(args)))
    report = evaluate(load_cases(args.file), engine, path=args.file)
    out.write(format_report(report) + "\n")
    failed = problems(report, args.min_answer, args.min_out_of_scope, args.min_answer3)
    for problem in failed:
        out.write(f"FAIL: {problem}\n")
    out.write("PASS\n" if not failed else "")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_validate(args, out: TextIO, stdin: TextIO) -> int:
    directory = args.directory or _knowledge_dir(args)
    k = load_knowledge(directory)
    out.write(f"{directory}: valid: {len(k.passages)} passages from {len(k.sources)} source(s), "
              f"{len(k.synonyms)} synonym entries, {len(k.safety)} safety rules, "
              f"{len(k.smalltalk)} small-talk replies, {len(k.not_covered)} not-covered topics\n")
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
    ask.set_defaults(run=cmd_ask)

    ev = sub.add_parser("eval", help="score a question file")
    ev.add_argument("file")
    ev.add_argument("--min-answer", type=_fraction, default=0.0, help="minimum answer@1")
    ev.add_argument("--min-answer3", type=_fraction, default=0.0, help="minimum answer@3")
    ev.add_argument("--min-out-of-scope", type=_fraction, default=0.0)
    ev.add_argument("--knowledge")
    ev.set_defaults(run=cmd_eval)

    val = sub.add_parser("validate", help="check the knowledge base; exit 2 on problems")
    val.add_argument("directory", nargs="?")
    val.set_defaults(run=cmd_validate)
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
