"""The command line contract: ask (text, --json, stdin), eval and validate exit codes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from assistant.cli import main, parser
from tests.helpers import ROOT

KEYS = ["question", "status", "answer", "citations", "referral", "support", "related", "fact"]
CITATION_KEYS = ["id", "title", "source", "snippet", "score"]


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_ask_json_prints_one_object_with_the_contract_keys():
    code, out, _ = run(["ask", "--json", "What is Swedish massage?"])
    assert code == 0
    record = json.loads(out)
    assert list(record) == KEYS
    assert record["status"] == "answered"
    assert [list(c) for c in record["citations"]] == [CITATION_KEYS] * len(record["citations"])
    assert record["citations"][0]["snippet"] in record["answer"].replace("> ", "")


def test_ask_json_citations_are_empty_unless_answered():
    for question in ["hello", "I think I have a blood clot", "How much is a massage?"]:
        record = json.loads(run(["ask", "--json", question])[1])
        assert record["status"] != "answered"
        assert record["citations"] == []
        # An urgent reply is the alert alone, and small talk needs no referral.
        assert bool(record["referral"]) is (record["status"] not in ("urgent", "smalltalk"))


def test_ask_json_stdin_answers_every_line_in_order_and_skips_blank_ones():
    lines = ["", "What is reflexology?", "", "  \t ", "thanks!", "Are you open on Sundays?", ""]
    code, out, _ = run(["ask", "--json", "-"], stdin="\r\n".join(lines))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["question"] for r in records] == [
        "What is reflexology?", "thanks!", "Are you open on Sundays?"]
    assert [r["status"] for r in records] == ["answered", "smalltalk", "clinic"]


def test_ask_json_stdin_takes_conversation_turns_as_json_objects():
    turns = [{"question": "does it hurt?", "history": ["What is reflexology?"]},
             {"question": "does it hurt?"}]
    lines = [json.dumps(turns[0]), json.dumps(turns[1]), "{not json, just a brace"]
    code, out, _ = run(["ask", "--json", "-"], stdin="\n".join(lines))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["question"] for r in records] == ["does it hurt?", "does it hurt?",
                                                "{not json, just a brace"]
    # Read in its conversation, the question names the topic it follows up.
    assert "reflexology" in records[0]["answer"] and "reflexology" not in records[1]["answer"]


def test_ask_stdin_for_a_person_skips_blank_lines_too():
    code, out, _ = run(["ask", "-"], stdin="\n\nWhat is reflexology?\n\n")
    assert code == 0
    assert out.count("[answered]") == 1 and "Please type a question" not in out


def test_ask_prints_for_a_person():
    code, out, _ = run(["ask", "What is reflexology?"])
    assert code == 0
    assert out.startswith("[answered]\n**Reflexology** \u00b7 ")


def test_knowledge_dir_comes_from_the_environment(monkeypatch, kb_copy):
    (kb_copy / "clinic.yaml").write_text((kb_copy / "clinic.yaml").read_text().replace(
        'phone: ""', 'phone: "780-555-0100"'))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(kb_copy))
    record = json.loads(run(["ask", "--json", "What is reflexology?"])[1])
    assert record["referral"].endswith("Phone: 780-555-0100.")


def test_ask_with_a_broken_knowledge_base_exits_2(monkeypatch, kb_copy):
    (kb_copy / "passages.yaml").write_text("passages: [")
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(kb_copy))
    code, out, err = run(["ask", "hello"])
    assert (code, out) == (2, "")
    assert "passages.yaml, line 2, column 1: this is not valid YAML" in err


def test_eval_prints_kinds_failures_and_summary_and_exits_1_below_thresholds(tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "cases:\n"
        "  - {q: \"What is reflexology?\", kind: answer, expect: [\"pressure points\"]}\n"
        "  - {q: \"What is reflexology?\", kind: out_of_scope}\n"
        "  - {q: \"hello\", kind: smalltalk}\n")
    code, out, _ = run(["eval", str(questions), "--min-out-of-scope", "0.5"])
    assert code == 1
    assert re.search(r"answer\s+1\s+1\s+answer@1 100.0%, answer@3 100.0%", out)
    assert re.search(r"out_of_scope\s+1\s+0\s+0.0%", out)
    assert '[out_of_scope] "What is reflexology?" -> got answered, expected no_match' in out
    assert "Summary: answer@1 1/1 (100.0%)" in out
    assert "FAIL: out-of-scope 0.0% is below 50.0%" in out
    assert run(["eval", str(questions)])[0] == 0


def test_eval_reports_a_malformed_question_file(tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text("cases:\n  - {q: hello, kind: greeting}\n")
    code, _, err = run(["eval", str(questions)])
    assert code == 2
    assert err == (f"{questions}, line 2: each case needs a text 'q' and a 'kind' among answer, "
                   "out_of_scope, clinic, urgent, support, harmless, smalltalk\n")


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "reflexology?"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["id"] == "reflexology"


@pytest.mark.parametrize("command", sorted(parser()._subparsers._group_actions[0].choices))
def test_every_command_is_documented_in_the_readme(command):
    readme = (ROOT / "README.md").read_text()
    assert f"python -m assistant {command}" in readme
