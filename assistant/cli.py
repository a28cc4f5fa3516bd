"""The command line: `python -m assistant ask|eval|validate|history|restore|import-article|gaps
...` (see README for the contract)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from .compose import Answer, worth_logging
from .errors import AssistantError, KnowledgeError, KnowledgeInvalid, describe
from .knowledge import check_folder
from .safety_check import checked_knowledge
from .serving import build_engine

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _knowledge_dir(args, given: str | None = None) -> str:
    """The command's knowledge folder: `given`, --knowledge, $ASSISTANT_KNOWLEDGE_DIR or the
    default. A missing or empty one is one error that says which of them chose it."""
    from .settings import knowledge_source

    directory, origin = knowledge_source(given or getattr(args, "knowledge", None))
    check_folder(directory, origin)
    return directory


def render_text(answer: Answer) -> str:
    """An answer for a person at a terminal."""
    return f"[{answer.status}]\n{answer.answer}"


def cmd_ask(args, out: TextIO, stdin: TextIO) -> int:
    engine = build_engine(_knowledge_dir(args))
    store = None
    if args.log:
        from .store import Store

        store = Store()
    for question, history in _questions(args.question, stdin):
        answer = engine.ask(question, history)
        if store is not None and worth_logging(answer.as_record()):
            store.log_unanswered(answer.question)
        _emit(answer, args.json, out)
    return EXIT_OK


def _questions(question: str, stdin: TextIO) -> Iterator[tuple[str, list[str]]]:
    """(question, earlier questions): the question, or for '-' each line of stdin that is not
    blank (a blank line is no question, so batch output keeps one record per question). A line
    may be a JSON object {"question": ..., "history": [earlier questions, oldest first]},
    answered as the chat page answers that turn of a conversation. Bytes that are not UTF-8
    become U+FFFD, on the command line and on stdin alike, so one odd line never ends a batch."""
    if question != "-":
        yield question.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), []
        return
    lines = stdin.buffer if hasattr(stdin, "buffer") else stdin
    for line in lines:
        if isinstance(line, bytes):
            line = line.decode("utf-8", "replace")
        if line.strip():
            yield _line(line.rstrip("\r\n"))


def _line(line: str) -> tuple[str, list[str]]:
    if line.lstrip().startswith("{"):
        try:
            turn = json.loads(line)
        except ValueError:
            return line, []  # a visitor may type a brace: then it is just text
        if isinstance(turn, dict) and isinstance(turn.get("question"), str):
            history = turn.get("history")
            return turn["question"], [h for h in history if isinstance(h, str)] \
                if isinstance(history, list) else []
    return line, []


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
    directory = _knowledge_dir(args, args.directory)
    k = checked_knowledge(directory)
    drafts = f" (and {len(k.drafts)} drafts)" if k.drafts else ""
    out.write(f"{directory}: valid: {len(k.passages)} passages{drafts} from {len(k.sources)} "
              f"source(s), {len(k.synonyms)} synonym entries, {len(k.safety)} safety rules, "
              f"{len(k.smalltalk)} small-talk replies, {len(k.not_covered)} not-covered topics, "
              f"{len(k.facts)} clinic facts\n")
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
    from .editing import apply, plan_restore

    saved = apply(plan_restore(_knowledge_dir(args), args.version))
    if saved.backup is None:
        out.write(f"{saved.name} is already as it was in version {args.version}; nothing was "
                  "written.\n")
    else:
        out.write(f"Restored {saved.name} from version {args.version}. The version it replaced "
                  f"is kept as {saved.backup}.\n")
    return EXIT_OK


def cmd_import_article(args, out: TextIO, stdin: TextIO) -> int:
    from . import articles
    from .editing import apply, open_file, plan_edit
    from .editing.importing import article_edit, publish_drafts
    from .knowledge import decode

    directory = _knowledge_dir(args)
    try:
        raw = decode(Path(args.file).read_bytes(), args.file)
    except OSError as exc:
        raise KnowledgeError(f"the article cannot be read ({exc.strerror})",
                             file=args.file) from exc
    clutter = articles.junk(raw)
    text = articles.cleaned(raw, {line.line for line in clutter})
    publisher = args.publisher
    if publisher is None:
        try:
            publisher = str(open_file(directory, "clinic.yaml").data["clinic"]["name"])
        except (AssistantError, KeyError, TypeError):
            publisher = ""  # validation asks for one: "key 'publisher': is empty"
    fields = {"title": args.title, "publisher": publisher, "published": args.date, "text": text}
    plan = plan_edit(directory, article_edit(directory, **fields, live=args.publish))
    if args.publish and not plan.valid:  # publish what validates: save drafts first
        plan = plan_edit(directory, article_edit(directory, **fields))
    if not plan.valid:
        raise KnowledgeInvalid(list(plan.errors))
    if clutter:
        out.write(f"Left out {len(clutter)} line(s) that look like web-page clutter, not the "
                  "article:\n")
        out.writelines(f"  line {line.line}: {line.text}  ({line.reason})\n" for line in clutter)
    apply(plan)
    edit = plan.edit
    drafts = [p["id"] for p in edit.passages if p.get("draft")]
    out.write(f"Saved the article \u201c{edit.source['title']}\u201d as the source "
              f"'{edit.source['id']}' ({edit.text_file}) with {len(edit.passages)} "
              f"passage(s):\n")
    out.writelines(f"  {p['id']}: {p['title']}\n" for p in edit.passages)
    if not drafts:
        out.write("They are live: visitors get them from their next question.\n" if args.publish
                  else "")
        return EXIT_OK
    if not args.publish:
        out.write("They are drafts: visitors do not get them until they are published. Improve "
                  "their alternate questions and publish them on the staff page (Passages), or "
                  "run this again with --publish.\n")
        return EXIT_OK
    result = publish_drafts(directory, drafts)
    out.write(f"Published {len(result.published)} of {len(drafts)}: visitors get them from "
              "their next question.\n")
    if result.problems:
        raise KnowledgeInvalid(list(result.problems))
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


KNOWLEDGE_HELP = ("the knowledge folder (default: $ASSISTANT_KNOWLEDGE_DIR, else knowledge/ next "
                  "to app.py)")
KNOWLEDGE_PROBLEM = "a missing, empty or invalid knowledge folder"


def _exits(*codes: str) -> str:
    """The 'exit codes' part of a help text, one code a line (e.g. "0  done")."""
    return "exit codes:\n" + "\n".join(
        textwrap.fill(code, 78, initial_indent="  ", subsequent_indent="     ")
        for code in codes)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps a description's long lines to the terminal; keeps the epilog's indented layout."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(
            textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
            if line and not line[0].isspace() else indent + line
            for line in text.splitlines())


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task; every argument and exit code explained."""
    from .evaluate import QUESTION_FILE_FORMAT

    raw = _HelpFormatter
    root = argparse.ArgumentParser(
        prog="python -m assistant", formatter_class=raw,
        description="RLS massage assistant (Granville Physiotherapy): answer questions from the "
                    "knowledge base, score question files, check and restore the knowledge files.",
        epilog=_exits("0  done", "1  eval only: the scores are below the thresholds given",
                      "2  an error (printed for people), or a wrong command line") +
        "\n\n'python -m assistant COMMAND --help' explains each command.")
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser(
        "ask", formatter_class=raw, help="answer a question (or '-' for one per line on stdin)",
        description="Answer a question the way the chat page does.",
        epilog=_exits("0  answered, whatever the reply (answered, no_match, urgent, smalltalk)",
                      "2  " + KNOWLEDGE_PROBLEM + ", or with --log a store that cannot "
                      "be used"))
    ask.add_argument("question", help="the question; '-' reads one question per line from stdin "
                                      "(blank lines are skipped)")
    ask.add_argument("--json", action="store_true",
                     help="print one JSON object per question: question, status, answer, "
                          "citations, referral")
    ask.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    ask.add_argument("--log", action="store_true",
                     help="keep questions the knowledge base cannot answer in $ASSISTANT_DB "
                          "(default data/assistant.db), as the app does")
    ask.set_defaults(run=cmd_ask)

    ev = sub.add_parser(
        "eval", formatter_class=raw, help="score a question file",
        description="Score a question file: per-kind counts, the naive baseline in the same run, "
                    "the failed cases and a summary line.",
        epilog=QUESTION_FILE_FORMAT + "\n" + _exits(
            "0  every threshold met, and every urgent, clinic, support and harmless case "
            "right",
            "1  a score below its threshold, or an urgent, clinic, support or harmless "
            "case wrong",
            "2  a question file that cannot be read, or " + KNOWLEDGE_PROBLEM))
    ev.add_argument("file", help="the question file (YAML; format below)")
    ev.add_argument("--min-answer", type=_fraction, default=0.0, metavar="FRACTION",
                    help="fail below this answer@1, e.g. 0.9 (default 0: no threshold)")
    ev.add_argument("--min-answer3", type=_fraction, default=0.0, metavar="FRACTION",
                    help="fail below this answer@3 (default 0: no threshold)")
    ev.add_argument("--min-out-of-scope", type=_fraction, default=0.0, metavar="FRACTION",
                    help="fail below this share of out_of_scope cases answered 'no_match' "
                         "(default 0: no threshold)")
    ev.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    ev.add_argument("--split", metavar="LABEL",
                    help="score only the cases with this 'split:' label, e.g. tune")
    ev.set_defaults(run=cmd_eval)

    val = sub.add_parser(
        "validate", formatter_class=raw, help="check the knowledge base; exit 2 on problems",
        description="Check every knowledge file as the app and the staff page do, and print "
                    "each problem with its file, line, entry and key.",
        epilog=_exits("0  valid", "2  " + KNOWLEDGE_PROBLEM + " (every problem is printed)"))
    val.add_argument("directory", nargs="?", metavar="KNOWLEDGE_DIR", help=KNOWLEDGE_HELP)
    val.set_defaults(run=cmd_validate)

    hist = sub.add_parser(
        "history", formatter_class=raw, help="list the saved versions of the knowledge files",
        description="List the versions that staff saves replaced, newest first (kept in "
                    "the knowledge folder's history/).",
        epilog=_exits("0  listed (or none saved yet)", "2  a missing or empty knowledge folder"))
    hist.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    hist.set_defaults(run=cmd_history)

    rest = sub.add_parser(
        "restore", formatter_class=raw, help="put a saved version back (see 'history')",
        description="Put a saved version of one knowledge file back, after validating it; the "
                    "version it replaces is kept in history/ too.",
        epilog=_exits("0  restored", "2  an unknown version, one that is not valid, or a "
                      "missing or empty knowledge folder"))
    rest.add_argument("version", help="a version id as 'history' lists it")
    rest.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    rest.set_defaults(run=cmd_restore)

    imp = sub.add_parser(
        "import-article", formatter_class=raw,
        help="add an article: its text as a new source, split into draft passages",
        description="Add a new article to the knowledge base: its text (page clutter such as "
                    "menus, share buttons and cookie notices left out, and listed) is kept as a "
                    "new source, split into passages along its headings, paragraphs and lists "
                    "(a list with its introduction), each quoted word for word, with starting "
                    "alternate questions made from the headings and sentences for staff to "
                    "improve. The passages are drafts (visitors do not get them) unless "
                    "--publish is given. Everything is validated like a staff save.",
        epilog=_exits("0  saved (and with --publish, every passage published)",
                      "2  a file that cannot be read, an article that is not valid (every "
                      "problem is printed; nothing is saved), drafts that stayed drafts with "
                      "--publish (each problem is printed), or " + KNOWLEDGE_PROBLEM))
    imp.add_argument("file", metavar="FILE", help="the article's text (UTF-8), e.g. copied "
                                                  "from its web page")
    imp.add_argument("--title", required=True, help="the article's title")
    imp.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                     help="the date the article was published")
    imp.add_argument("--publisher", metavar="P",
                     help="who published it (default: the clinic's name in clinic.yaml)")
    imp.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    imp.add_argument("--publish", action="store_true",
                     help="make the passages that validate live at once")
    imp.set_defaults(run=cmd_import_article)

    gaps = sub.add_parser(
        "gaps", formatter_class=raw,
        help="unanswered visitor questions, grouped, most asked first",
        description="The questions visitors asked that the knowledge base could not answer, "
                    "from $ASSISTANT_DB (default data/assistant.db).",
        epilog=_exits("0  listed (or none yet)", "2  the store cannot be used"))
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
