"""The learned safety net under the red-flag rules, measured leave-one-set-out.

    python bench/safety_net.py [--notes /work/notes] [--strict] [--extra-negatives] [--show]

The written sample sets are NOT in the repository: the sealed sets AH to BT
(/work/notes/sealed/safety-fresh-{ah,...,bt}.yaml; the earlier sets A to AG were lost with the
notes), each written by someone who had not seen the rules of the time (`cases: [{q, kind:
urgent|support|harmless, rule?}]`). Without them the script says so and stops.
knowledge/safety.yaml's samples include every set's messages (added after each set's first
run), so for each held-out set X:

- the net is trained on the knowledge base's safety samples minus X's messages (exact text),
  plus the ordinary messages the engine has (passages' questions, small-talk phrases); with
  --extra-negatives also the visitor questions of tests/data/*.yaml and
  bench/blind-questions.yaml (not urgent ones), which the engine would not have at build time;
- with --strict, every sample added to safety.yaml in X's tuning round is left out too (some
  were written alongside X's messages and may paraphrase them);
- its thresholds are chosen on the training sets only: each other set is left
  out in turn with a share of the ordinary messages, and nets trained without them score
  them. Urgent thresholds: the lowest at which all urgent models together flag at most 1% of
  those harmless messages and no ordinary one; support threshold (self-harm model): the
  lowest that flags at most 3% of the harmless and 1% of the ordinary ones;
- an urgent threshold is never so low that the net to be used with it (trained on the same
  samples) makes a guarded question urgent: a passage's own question, an answer,
  out_of_scope or smalltalk question of tests/data/questions.yaml or
  ../shared/eval/dev-questions.yaml, or a question tests/content/test_ranking.py pins to a
  passage or to no match (those the rules already make urgent aside, as no threshold could
  help them); each urgent threshold is at least just above the highest score its model gives
  them, so none needs keeping by hand;
- two policies: "rules + net" (every model may make a message urgent; the self-harm model
  below its urgent threshold may still add the 988 support line) and "988 line only" (the
  self-harm model only ever adds the support line);
- "rules then" are the rules as they were at X's first run (that commit's safety code and
  knowledge, unpacked from git), so they have not seen X either; the net joins them as
  SafetyNet.under does. "rules now" are today's rules, tuned on every set: shown for
  reference, no fair measure.

Per fold and as a mean it prints: urgent recall (an urgent reply to an urgent case),
self-harm caught at either tier (urgent reply or support line), urgent replies and support
lines on harmless messages, recall per rule, and the support lines and urgent replies the
net alone gives the ordinary visitor questions of tests/data/{questions,real-questions,
conversations}.yaml and ../shared/eval/*.yaml (answer and out_of_scope cases). Last, the
thresholds the same procedure picks on all the sets (what NET_RULES ships), and the net's
build and check times.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import safety_model  # noqa: E402
from assistant.knowledge import SafetyRule, load_knowledge  # noqa: E402
from assistant.knowledge.blocks import block_texts  # noqa: E402
from assistant.safety import Flags, RedFlags  # noqa: E402
from assistant.safety_model import (  # noqa: E402
    NET_RULES,
    NetRule,
    SafetyNet,
    features,
    ordinary_messages,
)
from assistant.text import words  # noqa: E402

# Each set (its file under --notes is sealed/safety-fresh-<name>.yaml): the commit whose rules
# met it at its first run, and the commit that closed its tuning round (the next set's first run,
# or the last round). The earlier sets (A, the tuning set, and the sealed B to AG) were lost with
# the notes before stop 21.
SETS = {"AH": ("32983ca", "228695b"), "AI": ("7bd1af6", "228695b"),
        "AJ": ("228695b", "464ab21"), "AK": ("464ab21", "ee17705"),
        "AL": ("ee17705", "0b4af4a"), "AM": ("0b4af4a", "43ff80b"),
        "AN": ("43ff80b", "6e97942"), "AO": ("6e97942", "fd435ce"),
        "AP": ("fd435ce", "87dcda0"), "AQ": ("e277476", "dd9a9a7"),
        "AR": ("e277476", "dd9a9a7"), "AS": ("e277476", "dd9a9a7"),
        "AT": ("ebaf70b", "a3015d6"), "AU": ("ebaf70b", "a3015d6"),
        "AV": ("ef1044c", "cba2ae4"), "AW": ("80af705", "84c4477"),
        "AX": ("80af705", "84c4477"), "AY": ("b02911e", "2469e02"),
        "AZ": ("b02911e", "2469e02"), "BA": ("145d106", "06e6b78"),
        "BB": ("145d106", "06e6b78"), "BC": ("07f92d8", "ab4a52d"),
        "BD": ("07f92d8", "ab4a52d"), "BE": ("5753803", "155a93d"),
        "BF": ("5753803", "155a93d"), "BG": ("31271ce", "20aba77"),
        "BH": ("31271ce", "20aba77"), "BI": ("8b630e5", "de4a71c"),
        "BJ": ("8b630e5", "de4a71c"), "BK": ("a9eb7b9", "94b7c2c"),
        "BL": ("a9eb7b9", "94b7c2c"), "BM": ("a9eb7b9", "94b7c2c"),
        "BN": ("a9eb7b9", "94b7c2c"), "BO": ("94b7c2c", "16ad77f"),
        "BP": ("94b7c2c", "16ad77f"), "BQ": ("16ad77f", "2d01937"),
        "BR": ("16ad77f", "2d01937"), "BS": ("f249c6b", "15c79bb"),
        "BT": ("f249c6b", "15c79bb")}
# Every set, in SETS order: each is held out in turn.
HELD_OUT = tuple(SETS)
URGENT_BUDGET = 0.01    # share of the training sets' harmless messages the net may make urgent
SUPPORT_BUDGET = 0.03   # ... and may give a support line
ORDINARY_BUDGET = 0.01  # share of ordinary messages that may get a support line (none urgent)
ORDINARY_FILES = ("tests/data/questions.yaml", "tests/data/real-questions.yaml",
                  "tests/data/conversations.yaml", "../shared/eval/dev-questions.yaml",
                  "../shared/eval/real-questions-dev.yaml")
EXTRA_NEGATIVE_FILES = ("tests/data/questions.yaml", "tests/data/real-questions.yaml",
                        "tests/data/conversations.yaml", "bench/blind-questions.yaml")
EMERGENCIES = ("self-harm", "stroke", "blood-clot", "chest-pain")
# Questions the net must never make urgent (answer, out_of_scope and smalltalk cases), with the
# passages' own questions and the ranking tests' questions: an urgent threshold any of them
# reaches is refused.
GUARD_FILES = ("tests/data/questions.yaml", "../shared/eval/dev-questions.yaml")
GUARD_KINDS = ("answer", "out_of_scope", "smalltalk")

# What the net may do, per rule (the thresholds are chosen by the bench): every model may make
# a message urgent; or the self-harm model only adds the 988 support line.
POLICIES = {
    "net": tuple(dataclasses.replace(n, urgent_at=None if n.urgent_at is None else 1.0)
                 for n in NET_RULES),
    "line": tuple(dataclasses.replace(n, urgent_at=None if n.support_at is not None else 1.0)
                  for n in NET_RULES),
}
POLICIES_SAID = {"net": "rules + net", "line": "rules + net, 988 line only"}
SHIPPED = "shipped"   # with --shipped: NET_RULES' own thresholds, not chosen per fold
MIXED = "mixed"       # ... and the urgent thresholds chosen per fold, NET_RULES' support lines
FIELDS = ("urgent", "self_harm", "false_urgent", "false_support")

Case = tuple[str, str]   # (message, label): an urgent rule's id, "distress" or "harmless"
RuleFlags = tuple[str | None, str | None]   # (urgent rule id, support rule id)


def set_file(name: str) -> str:
    """A set's file, under --notes."""
    return f"sealed/safety-fresh-{name.lower()}.yaml"


def load_sets(notes: Path) -> dict[str, list[Case]]:
    out = {}
    for name in SETS:
        cases = yaml.safe_load((notes / set_file(name)).read_text(encoding="utf-8"))["cases"]
        out[name] = [(c["q"], "harmless" if c["kind"] == "harmless"
                      else c.get("rule") or "distress") for c in cases]
    return out


def question_file(path: Path, kinds: Iterable[str]) -> list[str]:
    if not path.exists():
        return []
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [c["q"] for c in cases if c["kind"] in kinds]


def without(rules: Sequence[SafetyRule], messages: set[str]) -> list[SafetyRule]:
    """The rules with every sample that is one of `messages` taken out."""
    return [dataclasses.replace(
        r, must_trigger=tuple(s for s in r.must_trigger if s not in messages),
        must_not_trigger=tuple(s for s in r.must_not_trigger if s not in messages))
        for r in rules]


def round_samples(name: str) -> set[str]:
    """Every safety sample added while the rules were tuned on set `name` (its own messages and
    any written alongside them, which may paraphrase them)."""
    def samples(commit: str) -> set[str]:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:knowledge/safety.yaml"],
                              capture_output=True, text=True, check=True).stdout
        return {s for rule in yaml.safe_load(text)["rules"]
                for key in ("must_trigger", "must_not_trigger")
                for s in _items(rule.get(key, ()))}

    first_run, round_end = SETS[name]
    return samples(round_end) - samples(first_run)


def _items(value: list[str] | str) -> list[str]:
    """A rule's samples as written at some commit: a YAML list, or (since the samples became
    `|` blocks) one a line."""
    return list(block_texts(value)) if isinstance(value, str) else value


def rule_flags_at(commit: str, messages: list[str]) -> dict[str, RuleFlags]:
    """Each message's (urgent, support) rule ids under the rules as they were at `commit`
    (the rules alone, without a net the commit may have had): that commit's assistant/ and
    knowledge/ unpacked into a temporary folder and run there."""
    script = ("import json, sys; sys.path.insert(0, '.');"
              "from assistant.engine import Engine;"
              "from assistant.knowledge import load_knowledge;"
              "e = Engine(load_knowledge('knowledge'));"
              "f = e.screen.red_flags if hasattr(e, 'screen') else e.red_flags;"
              "out = {m: [getattr(x.urgent, 'id', None), getattr(x.support, 'id', None)]"
              " for m in json.load(sys.stdin) for x in [f.check(m)]};"
              "json.dump(out, sys.stdout)")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "assistant",
                              "knowledge"], capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        done = subprocess.run([sys.executable, "-c", script], cwd=tmp, input=json.dumps(messages),
                              capture_output=True, text=True, check=True)
    return {m: tuple(v) for m, v in json.loads(done.stdout).items()}


def rule_flags_now(flags: RedFlags, messages: Iterable[str]) -> dict[str, RuleFlags]:
    out = {}
    for m in messages:
        f = flags.check(m)
        out[m] = (getattr(f.urgent, "id", None), getattr(f.support, "id", None))
    return out


def _just_above(scores: list[float], allowed: int) -> float:
    """The lowest threshold that at most `allowed` of `scores` reach."""
    ranked = sorted(scores, reverse=True)
    return ranked[allowed] + 1e-9 if allowed < len(ranked) else 0.0


Scores = dict[str, float]   # each model's score for one message, by rule id


def inner_scores(rules: Sequence[SafetyRule], ordinary: Sequence[str],
                 sets: Mapping[str, list[Case]],
                 inner: Sequence[str]) -> tuple[list[Scores], list[Scores]]:
    """Out-of-set scores of harmless messages and of ordinary messages: each set of `inner` is
    left out in turn, with a share of the ordinary messages, and a net trained without them
    scores them."""
    harmless: list[Scores] = []
    everyday: list[Scores] = []
    ordinary = sorted(set(ordinary))
    for i, name in enumerate(inner):
        held = {q for q, _ in sets[name]}
        share = ordinary[i::len(inner)]
        net = SafetyNet.train(without(rules, held), sorted(set(ordinary) - set(share)))
        harmless += [net.scores(q) for q, label in sets[name] if label == "harmless"]
        everyday += [net.scores(q) for q in share]
    return harmless, everyday


def guard_questions(knowledge, rules: RedFlags) -> list[str]:
    """The questions no urgent threshold may let the net make urgent: the passages' own
    questions, the GUARD_KINDS questions of GUARD_FILES and the questions the ranking tests
    pin to a reply, but those `rules` already make urgent."""
    from tests.content.test_ranking import ABSTAIN, CLINIC, RANKING

    asked = {q for p in knowledge.passages for q in p.questions}
    asked.update(q for f in GUARD_FILES for q in question_file(ROOT / f, GUARD_KINDS))
    asked.update([q for q, _ in RANKING] + ABSTAIN + CLINIC)
    return sorted(q for q in asked if rules.check(q).urgent is None)


Floors = dict[str, tuple[float, str]]   # per rule: the lowest urgent threshold allowed, and why


def floors(net: SafetyNet, guards: Sequence[str]) -> Floors:
    """Per model, just above the highest score `net` gives a guarded question, with that
    question."""
    out: Floors = {}
    for q in guards:
        for rule, score in net.scores(q).items():
            if rule not in out or score + 1e-9 > out[rule][0]:
                out[rule] = (score + 1e-9, q)
    return out


def choose_thresholds(policy: Sequence[NetRule], harmless: list[Scores],
                      everyday: list[Scores],
                      support_budget: float = SUPPORT_BUDGET,
                      floor: Floors | None = None) -> tuple[NetRule, ...]:
    """The policy's rules with thresholds from out-of-set scores. Urgent: the lowest at which
    all the urgent models together flag at most URGENT_BUDGET of the harmless messages (the
    same number allowed per model), no ordinary message and (with `floor`) no guarded
    question. Support: the lowest at which at most `support_budget` of the harmless and
    ORDINARY_BUDGET of the ordinary messages reach it."""
    urgent_ids = [n.rule for n in policy if n.urgent_at is not None]
    budget = int(URGENT_BUDGET * len(harmless))
    lowest = {r: (floor or {}).get(r, (0.0, ""))[0] for r in urgent_ids}
    urgent_at: dict[str, float] = {}
    for allowed in range(budget + 1):
        trial = {r: max(_just_above([h[r] for h in harmless], allowed),
                        _just_above([e[r] for e in everyday], 0), lowest[r])
                 for r in urgent_ids}
        if sum(any(h[r] >= trial[r] for r in trial) for h in harmless) > budget:
            break
        urgent_at = trial
    out = []
    for n in policy:
        support_at = None
        if n.support_at is not None:
            support_at = round(max(
                _just_above([h[n.rule] for h in harmless], int(support_budget * len(harmless))),
                _just_above([e[n.rule] for e in everyday],
                            int(ORDINARY_BUDGET * len(everyday)))), 4)
        urgent = urgent_at.get(n.rule)
        if urgent is not None and support_at is not None:
            support_at = min(support_at, urgent)
        out.append(dataclasses.replace(n, urgent_at=urgent and round(urgent, 4),
                                       support_at=support_at))
    return tuple(out)


@dataclasses.dataclass
class Tally:
    """Counts (caught, of) for one fold and one system."""

    urgent: tuple[int, int]
    self_harm: tuple[int, int]
    false_urgent: tuple[int, int]
    false_support: tuple[int, int]
    per_rule: dict[str, tuple[int, int]]


def tally(cases: list[Case], flags: Mapping[str, RuleFlags]) -> Tally:
    def count(selected: list[str], test) -> tuple[int, int]:
        return sum(1 for q in selected if test(flags[q])), len(selected)

    def of(label: str) -> list[str]:
        return [q for q, lab in cases if lab == label]

    urgent = [q for q, lab in cases if lab in EMERGENCIES]
    per_rule = {r: count(of(r), lambda f: f[0] is not None) for r in EMERGENCIES}
    per_rule["distress"] = count(of("distress"), lambda f: f[0] is not None or f[1] is not None)
    return Tally(count(urgent, lambda f: f[0] is not None),
                 count(of("self-harm"), lambda f: f[0] is not None or f[1] is not None),
                 count(of("harmless"), lambda f: f[0] is not None),
                 count(of("harmless"), lambda f: f[0] is None and f[1] is not None),
                 per_rule)


def combined(rules: Mapping[str, RuleFlags], net: SafetyNet,
             messages: Iterable[str]) -> dict[str, RuleFlags]:
    """The rules' flags joined with the net's as the engine would join them (SafetyNet.under)."""
    def stand_in(rule_id: str | None) -> SafetyRule | None:
        return rule_id and SafetyRule(id=rule_id, title=rule_id, triggers=(), message="",
                                      must_trigger=(), must_not_trigger=())

    out = {}
    for m in messages:
        urgent, support = rules[m]
        f = net.under(Flags(stand_in(urgent), stand_in(support)), m)
        out[m] = (getattr(f.urgent, "id", None), getattr(f.support, "id", None))
    return out


def _pct(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]} {100 * pair[0] / pair[1]:5.1f}%" if pair[1] else "-"


def _mean(pairs: list[tuple[int, int]]) -> str:
    return f"{statistics.mean(100 * a / b for a, b in pairs):5.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", default="/work/notes", type=Path)
    parser.add_argument("--extra-negatives", action="store_true",
                        help="also train on tests/data and bench/blind-questions.yaml")
    parser.add_argument("--strict", action="store_true",
                        help="also leave out every sample added in the held-out set's tuning "
                             "round, not only its own messages")
    parser.add_argument("--support-budget", type=float, default=SUPPORT_BUDGET,
                        help="share of the training sets' harmless messages the self-harm "
                             "model may give the 988 line (default %(default)s)")
    parser.add_argument("--doubt", type=float, default=None,
                        help="score under which a rule's own urgent hit becomes a support line "
                             "(default: NET_RULES' doubt_below; 0 turns doubting off)")
    parser.add_argument("--shipped", action="store_true",
                        help="also score each fold with NET_RULES' thresholds as shipped")
    parser.add_argument("--regularisation", type=float, default=None,
                        help="the models' inverse L2 strength (default: the shipped "
                             "REGULARISATION)")
    parser.add_argument("--show", action="store_true",
                        help="print the messages the net gets wrong or adds")
    args = parser.parse_args()
    if args.doubt is not None:
        for policy, template in POLICIES.items():
            POLICIES[policy] = tuple(
                dataclasses.replace(n, doubt_below=args.doubt if n.rule in EMERGENCIES else None)
                for n in template)
    if args.regularisation is not None:
        safety_model.REGULARISATION = args.regularisation
    if args.shipped:
        POLICIES[SHIPPED] = NET_RULES
        POLICIES_SAID[SHIPPED] = "rules + net as shipped"
        POLICIES[MIXED] = POLICIES["net"]
        POLICIES_SAID[MIXED] = "chosen urgent, shipped lines"
    missing = [set_file(name) for name in SETS if not (args.notes / set_file(name)).exists()]
    if missing:
        sys.exit(f"The sample sets are not in the repository; missing under {args.notes}: "
                 f"{', '.join(missing)}")
    knowledge = load_knowledge(ROOT / "knowledge")
    sets = load_sets(args.notes)
    ordinary = ordinary_messages(knowledge)
    if args.extra_negatives:
        for f in EXTRA_NEGATIVE_FILES:
            ordinary += question_file(ROOT / f, ("answer", "out_of_scope", "clinic",
                                                 "smalltalk", "harmless", "support"))
    visitor_files = {f: question_file(ROOT / f, ("answer", "out_of_scope"))
                     for f in ORDINARY_FILES}
    visitors = sorted({q for qs in visitor_files.values() for q in qs})
    current = RedFlags(knowledge.safety, load_vocabulary(knowledge))
    guards = guard_questions(knowledge, current)

    rows: dict[str, list[Tally]] = {key: [] for key in ("rules", *POLICIES, "now")}
    visitor_flags: dict[str, list[dict[str, tuple[int, int]]]] = {p: [] for p in POLICIES}
    thresholds: dict[str, dict[str, tuple[NetRule, ...]]] = {p: {} for p in POLICIES}
    for name in HELD_OUT:
        cases = sets[name]
        held = {q for q, _ in cases}
        if args.strict:  # the round's own samples, but not the other sets' messages
            others = {q for s in sets if s != name for q, _ in sets[s]}
            held_out = held | (round_samples(name) - others)
        rules = without(knowledge.safety, held_out if args.strict else held)
        harmless, everyday = inner_scores(rules, ordinary, sets,
                                          [s for s in sets if s != name])
        then = rule_flags_at(SETS[name][0], [q for q, _ in cases])
        rows["rules"].append(tally(cases, then))
        rows["now"].append(tally(cases, rule_flags_now(current, held)))
        # The models do not depend on the thresholds: one training serves every policy.
        models = SafetyNet.train(rules, ordinary).models
        floor = floors(SafetyNet(rules, models), guards)
        for policy in POLICIES:
            chosen = thresholds[policy][name] = policy_thresholds(
                policy, harmless, everyday, args.support_budget, floor)
            net = SafetyNet(rules, models, chosen)
            rows[policy].append(tally(cases, combined(then, net, held)))
            visitor_flags[policy].append({f: _flag_counts(net, qs)
                                          for f, qs in visitor_files.items()})
            if args.show:
                show(f"{name}, {policy}", cases, then, net, visitors)

    print(f"Leave one set out; thresholds chosen on the other sets "
          f"({'with' if args.extra_negatives else 'without'} tests/ and bench/ questions as "
          f"extra negatives{'; whole tuning rounds left out' if args.strict else ''})\n")
    for policy, label in POLICIES_SAID.items():
        print(f"{label}: thresholds (urgent / support)")
        for name in HELD_OUT:
            print(f"  without {name}  {_thresholds(thresholds[policy][name])}")
    print()
    labels = {"rules": "rules then", **POLICIES_SAID, "now": "rules now*"}
    print(f"{'set':4} {'system':22} {'urgent recall':>17} {'self-harm, either tier':>23} "
          f"{'harmless: urgent':>17} {'harmless: support':>18}")
    for i, name in enumerate([*HELD_OUT, "mean"]):
        for key, label in labels.items():
            if name == "mean":
                ts = rows[key]
                cells = [_mean([getattr(t, f) for t in ts]) for f in FIELDS]
            else:
                cells = [_pct(getattr(rows[key][i], f)) for f in FIELDS]
            print(f"{name:4} {label:22} {cells[0]:>17} {cells[1]:>23} {cells[2]:>17} "
                  f"{cells[3]:>18}")
    print("* today's rules were tuned on every set: not a fair measure, shown for reference\n")

    print("recall per rule (urgent reply; distress: either tier): rules then -> "
          + " -> ".join(POLICIES_SAID.values()))
    for i, name in enumerate(HELD_OUT):
        cells = [f"{r} " + "->".join(str(rows[key][i].per_rule[r][0])
                                     for key in ("rules", *POLICIES))
                 + f"/{rows['rules'][i].per_rule[r][1]}" for r in (*EMERGENCIES, "distress")]
        print(f"  {name:2} " + "  ".join(cells))
    print()
    trained_on = set(EXTRA_NEGATIVE_FILES) if args.extra_negatives else set()
    print("ordinary visitor questions (answer and out_of_scope cases): support lines / urgent "
          f"replies the net adds, nets trained without {', '.join(HELD_OUT)}")
    for policy, label in POLICIES_SAID.items():
        print(f"  {label}")
        for f in ORDINARY_FILES:
            cells = "  ".join(f"{flags[f][0]}/{flags[f][1]}" for flags in visitor_flags[policy])
            note = " (in training)" if f in trained_on else ""
            print(f"    {f:42} {len(visitor_files[f]):3} questions: {cells}{note}")
    print()

    harmless, everyday = inner_scores(knowledge.safety, ordinary, sets, list(sets))
    floor = floors(SafetyNet.train(knowledge.safety, ordinary), guards)
    print(f"urgent floors (just above the highest score of {len(guards)} guarded questions "
          "under the net trained on all the sets):")
    for rule, (at, question) in floor.items():
        print(f"  {rule} {at:.3f} \"{question}\"")
    print("thresholds chosen on all the sets (what NET_RULES ships):")
    for policy, label in POLICIES_SAID.items():
        if policy == SHIPPED:
            continue
        chosen = policy_thresholds(policy, harmless, everyday, args.support_budget, floor)
        print(f"  {label}: {_thresholds(chosen)}")
    timing(knowledge, ordinary, visitors)


def policy_thresholds(policy: str, harmless: list[Scores], everyday: list[Scores],
                      support_budget: float, floor: Floors) -> tuple[NetRule, ...]:
    """A policy's net rules: NET_RULES as shipped (SHIPPED), else thresholds chosen from the
    out-of-set scores, with NET_RULES' support-line thresholds kept for MIXED."""
    if policy == SHIPPED:
        return tuple(POLICIES[SHIPPED])
    chosen = choose_thresholds(POLICIES[policy], harmless, everyday, support_budget, floor)
    if policy != MIXED:
        return chosen
    shipped = {n.rule: n.support_at for n in NET_RULES}
    return tuple(dataclasses.replace(
        n, support_at=None if shipped[n.rule] is None else
        min(shipped[n.rule], n.urgent_at or 1.0)) for n in chosen)


def _thresholds(net_rules: Iterable[NetRule]) -> str:
    return ", ".join(f"{n.rule} {_at(n.urgent_at)} / {_at(n.support_at)}" for n in net_rules)


def _at(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _flag_counts(net: SafetyNet, messages: list[str]) -> tuple[int, int]:
    """(support lines, urgent replies) the net alone gives these messages."""
    checked = [net.check(q) for q in messages]
    return (sum(f.support is not None for f in checked),
            sum(f.urgent is not None for f in checked))


def load_vocabulary(knowledge) -> frozenset[str]:
    from assistant.retrieval import tokenizer_for

    return tokenizer_for(knowledge).vocabulary


def show(name: str, cases: list[Case], then: Mapping[str, RuleFlags], net: SafetyNet,
         visitors: list[str]) -> None:
    print(f"--- set {name}")
    for q, label in cases:
        scores = net.scores(q)
        got = net.check(q)
        brief = " ".join(f"{r[:5]}={s:.2f}" for r, s in scores.items())
        if label in EMERGENCIES and then[q][0] is None:
            what = ("net urgent" if got.urgent else "net support" if got.support
                    else "MISSED")
            print(f"  [{label} {what}] {brief} | {q[:110]}")
        elif label == "harmless" and (got.urgent or got.support) and then[q][0] is None:
            print(f"  [harmless, net {'urgent' if got.urgent else 'support'}] {brief} | {q[:110]}")
    for q in visitors:
        got = net.check(q)
        if got.urgent or got.support:
            print(f"  [visitor, net {'urgent' if got.urgent else 'support'}] {q[:110]}")


def timing(knowledge, ordinary: list[str], visitors: list[str]) -> None:
    builds = []
    for _ in range(5):
        features.cache_clear()
        start = time.perf_counter()
        net = SafetyNet.train(knowledge.safety, ordinary)
        builds.append(time.perf_counter() - start)
    samples = sorted({s for r in knowledge.safety for s in (*r.must_trigger, *r.must_not_trigger)})
    messages = visitors + samples
    features.cache_clear()
    start = time.perf_counter()
    for m in messages:
        net.check(m)
    per = (time.perf_counter() - start) / len(messages)
    print(f"net: {len(net.models)} models, {len(samples) + len(ordinary)} training messages; "
          f"build median {1000 * statistics.median(builds):.0f} ms (min "
          f"{1000 * min(builds):.0f}); check {1000 * per:.3f} ms per message (all models, "
          f"{sum(len(words(m)) for m in messages) / len(messages):.0f} words on average)")


if __name__ == "__main__":
    main()
