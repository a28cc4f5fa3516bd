"""Red flags: which safety rules a visitor's message triggers, checked before anything else.

Entry point: `RedFlags(rules, known).check(text) -> Flags`. A rule's `triggers` and `unless`
are patterns (see patterns.py), matched sentence by sentence. Words an `unless` pattern matches
are hidden from that rule's triggers only, so "my legs are killing me" is not a thought of
suicide, while "my legs are killing me and I want to end it all" still is.

Two tiers: an `urgent` rule's message replaces the whole reply (emergency numbers, nothing
else); a `support` rule's message is a short line shown above the normal answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .knowledge import Knowledge, SafetyRule
from .patterns import BREAK, NEGATIONS, Matcher, clauses, masked, parse, sentences
from .text import words

URGENT, SUPPORT = "urgent", "support"
TIERS = (URGENT, SUPPORT)


@dataclass(frozen=True)
class Flags:
    """What a message triggered: the urgent rule (first in file order) and the support rule."""

    urgent: SafetyRule | None = None
    support: SafetyRule | None = None
    matched: tuple[str, ...] = ()


class RedFlags:
    """The safety rules compiled once; never changed after it is built."""

    def __init__(self, rules: Sequence[SafetyRule], known: frozenset[str] = frozenset()):
        self.rules = tuple(rules)
        # Rules that reach across sentences are matched once on the whole message; the others
        # sentence by sentence.
        self._matcher = self._compile(known, reach="sentence")
        self._wide = self._compile(known, reach="message")

    def _compile(self, known: frozenset[str], reach: str) -> Matcher:
        chosen = [(i, rule) for i, rule in enumerate(self.rules) if rule.reach == reach]
        patterns = [(("trigger", i), parse(t)) for i, rule in chosen for t in rule.triggers]
        patterns += [(("unless", i), parse(u)) for i, rule in chosen for u in rule.unless]
        return Matcher(patterns, known)

    def matched(self, text: str) -> list[SafetyRule]:
        """Every rule the message triggers, in file order. A rule whose `reach` is "message"
        is also matched against the whole message, its sentences run together."""
        hit: set[int] = set()
        whole: list[str] = []
        for sentence in sentences(text):
            words_ = clauses(sentence)
            whole += [BREAK, *words_] if whole else words_
            if len(self._matcher):
                _hits(self._matcher, self._matcher.corrected(words_), hit)
        if len(self._wide) and whole:
            _hits(self._wide, self._wide.corrected(whole), hit)
        return [self.rules[i] for i in sorted(hit)]

    def check(self, text: str) -> Flags:
        """The urgent and the support rule this message triggers, if any."""
        rules = self.matched(text)
        urgent = next((r for r in rules if r.tier == URGENT), None)
        support = next((r for r in rules if r.tier == SUPPORT), None)
        return Flags(urgent, support, tuple(r.id for r in rules))

    def undenied(self, text: str) -> str:
        """The message without the rule words it denies and their negations ("No chest pain,
        no shortness of breath, just restless legs" -> "pain, just restless legs"): what the
        net reads for a sign it would otherwise take as told. The message itself when it
        denies none."""
        if not NEGATIONS.intersection(words(text)):
            return text
        out, changed = [], False
        for sentence in sentences(text):
            words_ = self._matcher.corrected(clauses(sentence))
            drop = set(self._matcher.denied(words_)) | set(self._wide.denied(words_))
            changed = changed or bool(drop)
            out.append(" ".join(w for i, w in enumerate(words_) if i not in drop))
        return ". ".join(out) if changed else text


def _hits(matcher: Matcher, tokens: list[str], hit: set[int]) -> None:
    """Add to `hit` the rules whose triggers match these tokens, once their unless-words are
    hidden."""
    found = matcher.find(tokens)
    for kind, i in list(found):
        if kind != "trigger" or i in hit:
            continue
        hidden = found.get(("unless", i))
        if hidden and ("trigger", i) not in matcher.find(masked(tokens, hidden)):
            continue
        hit.add(i)


def sample_errors(knowledge: Knowledge,
                  flags: RedFlags | None = None) -> list[tuple[SafetyRule, str, str]]:
    """(rule, key, sample) for every safety sample the rules get wrong: a `must_trigger`
    sample that does not trigger its rule (an urgent rule's: or does not get an urgent reply),
    a `must_not_trigger` one that triggers any rule."""
    if flags is None:
        from .retrieval import tokenizer_for

        flags = RedFlags(knowledge.safety, tokenizer_for(knowledge).vocabulary)
    wrong = []
    for rule in knowledge.safety:
        for sample in rule.must_trigger:
            got = flags.check(sample)
            if rule.id not in got.matched or (rule.tier == URGENT and got.urgent is None):
                wrong.append((rule, "must_trigger", sample))
        for sample in rule.must_not_trigger:
            if flags.check(sample).matched:
                wrong.append((rule, "must_not_trigger", sample))
    return wrong
