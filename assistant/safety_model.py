"""A learned safety net under the red-flag rules.

Entry points: `SafetyModel.train(samples) -> SafetyModel` and `model.score(text) -> float`
(0 to 1: how much the message reads like the positive samples); `SafetyNet.train(rules,
ordinary)` builds one model per urgent rule from the rules' own samples, and
`net.under(flags, text) -> Flags` adds what the net sees to what the rules found; `Screen`
is the two together, the one check every message goes through.

The rules in safety.yaml are checked first and stay as they are; the net only catches what
their wording misses ("clocking out permanently", "one exit left"). Each model is an
L2-regularised logistic regression over the message's words (stop words left out: alone they
say only how a message is written) and every pair of adjacent words ("want to", "end it"),
from `text.words`. A message's features are scaled to unit length, so that a long story
does not outweigh one telling sentence, but never as if it had fewer than 16: a few words
are thin evidence, and short messages are where the rules are strongest. Positive and
negative samples weigh the same in total, however many of each there are.

Trained from zero weights with L-BFGS on sorted samples and sorted features: the same samples
always give the same model (no randomness, no BLAS calls whose summation order could vary).
Pure: no files, no settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .knowledge import Knowledge, SafetyRule
from .safety import URGENT, Flags, RedFlags
from .text import STOP_WORDS, is_word, words

# Inverse strength of the L2 penalty: large, since the samples are few and mostly clean.
REGULARISATION = 100.0
MAX_ITERATIONS = 40   # enough to rank well; more only sharpens the scores
# A message with fewer features is scaled as if it had this many.
MIN_FEATURES = 16
_HISTORY = 8          # L-BFGS memory
DOUBT_MIN_POSITIVES = 100  # a rule's model doubts its hits only once it learned from this many
_TOLERANCE = 1e-5     # stop when no gradient component is larger


@lru_cache(maxsize=8_192)
def features(text: str) -> tuple[str, ...]:
    """The sorted, distinct features of a message: its words but stop words, and its pairs of
    adjacent words."""
    ws = words(text)
    found = {w for w in ws if w not in STOP_WORDS}
    found.update(f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False))
    return tuple(sorted(found))


@dataclass(frozen=True)
class SafetyModel:
    """A trained scorer; never changed once built."""

    weights: Mapping[str, float]
    bias: float
    positives: int = 0   # how many positive samples it learned from

    @classmethod
    def train(cls, samples: Iterable[tuple[str, bool]],
              regularisation: float | None = None,
              featurise: Callable[[str], tuple[str, ...]] = features) -> SafetyModel:
        """Fit to (message, is_positive) pairs. Needs at least one positive and one negative
        with words; raises ValueError otherwise."""
        # Sorted so that the order samples come in never changes the sums, hence the model.
        rows = sorted((featurise(text), bool(positive)) for text, positive in samples)
        rows = [(fs, positive) for fs, positive in rows if fs]
        positives = sum(positive for _, positive in rows)
        if not positives or positives == len(rows):
            raise ValueError(f"need positive and negative samples with words, got "
                             f"{positives} positive of {len(rows)}")
        vocabulary = sorted({f for fs, _ in rows for f in fs})
        index = {f: i for i, f in enumerate(vocabulary)}
        sizes = np.array([len(fs) for fs, _ in rows])
        row_of = np.repeat(np.arange(len(rows)), sizes)
        col_of = np.fromiter((index[f] for fs, _ in rows for f in fs), dtype=np.int64,
                             count=int(sizes.sum()))
        value = np.repeat(1.0 / np.sqrt(np.maximum(sizes, MIN_FEATURES)), sizes)
        y = np.array([positive for _, positive in rows], dtype=float)
        n, d = len(rows), len(vocabulary)
        sample_weight = np.where(y > 0, n / (2 * positives), n / (2 * (n - positives)))
        penalty = 1.0 / (regularisation or REGULARISATION)

        def loss_and_gradient(x: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = x[:-1], x[-1]
            z = np.bincount(row_of, weights=value * w[col_of], minlength=n) + b
            loss = np.where(y > 0, np.logaddexp(0.0, -z), np.logaddexp(0.0, z))
            total = float((sample_weight * loss).sum()) + 0.5 * penalty * _dot(w, w)
            g = (_sigmoid(z) - y) * sample_weight
            grad_w = np.bincount(col_of, weights=value * g[row_of], minlength=d) + penalty * w
            return total, np.append(grad_w, g.sum())

        x = _lbfgs(loss_and_gradient, np.zeros(d + 1))
        return cls(dict(zip(vocabulary, x[:-1].tolist(), strict=True)), float(x[-1]),
                   int(positives))

    def score(self, text: str) -> float:
        """How strongly the message reads like the positives, from 0 to 1. A message with no
        word the model knows scores 0: there is nothing to judge it by."""
        fs = features(text)
        known = [self.weights[f] for f in fs if f in self.weights]
        if not known:
            return 0.0
        z = self.bias + math.fsum(known) / math.sqrt(max(len(fs), MIN_FEATURES))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def doubts(self, text: str, below: float) -> bool:
        """Whether the model has reason to doubt that the message is a positive: it learned
        from at least DOUBT_MIN_POSITIVES positives, knows some of the message's words and
        every one that is not an English word, and scores it under `below`. A young model,
        or wording it has never seen (a trigger staff just wrote), is never grounds for doubt."""
        if self.positives < DOUBT_MIN_POSITIVES:
            return False
        if not any(f in self.weights for f in features(text)):
            return False
        # A misspelt word may be the one that tells ("killin myslf"): the rules read through
        # typos, the model does not, so it has no grounds to doubt them.
        if any(w not in self.weights and not is_word(w) for w in words(text) if w.isalpha()):
            return False
        return self.score(text) < below


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # Not np.dot: BLAS may split the sum across threads (slower here, and its rounding can
    # depend on the machine).
    return float((a * b).sum())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _lbfgs(fg, x: np.ndarray) -> np.ndarray:
    """Minimise a smooth convex function given as x -> (value, gradient); limited-memory BFGS
    with a backtracking (Armijo) line search."""
    f, g = fg(x)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(MAX_ITERATIONS):
        if float(np.abs(g).max()) < _TOLERANCE:
            break
        q = g.copy()
        alphas = []
        for s, t, rho in reversed(steps):
            a = rho * _dot(s, q)
            q -= a * t
            alphas.append(a)
        if steps:
            s, t, _ = steps[-1]
            q *= _dot(s, t) / _dot(t, t)
        else:
            q /= max(1.0, float(np.abs(g).max()))
        for (s, t, rho), a in zip(steps, reversed(alphas), strict=True):
            q += s * (a - rho * _dot(t, q))
        direction = -q
        slope = _dot(g, direction)
        if slope >= 0:
            direction, slope = -g, -_dot(g, g)
        step = 1.0
        while True:
            x_new = x + step * direction
            f_new, g_new = fg(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, t = x_new - x, g_new - g
        st = _dot(s, t)
        if st > 1e-12:
            steps.append((s, t, 1.0 / st))
            del steps[:-_HISTORY]
        x, f, g = x_new, f_new, g_new
    return x


@dataclass(frozen=True)
class NetRule:
    """Where the net acts for one rule: at `urgent_at` or above (if set; urgent rules only) its
    model's score gives that rule's urgent reply; at `support_at` or above (if set) the
    `support_rule`'s line is shown above the answer. The model learns from the rule's
    `must_trigger` samples and from those of the rules in `also`. When the rule's own triggers
    fire but its model scores the message under `doubt_below` (a figure of speech, a question
    asked in general, a worry said to be over), the rule's message is shown above the answer
    as a support line instead of replacing it: the numbers stay in sight, and the visitor who
    only asked gets an answer too. With `reads_denied` off, the model reads the message without
    the signs it denies ("no chest pain"; see RedFlags.undenied); self-harm's models read it
    whole, since there a negation is often the risk itself ("I don't want to be here")."""

    rule: str
    urgent_at: float | None
    support_at: float | None = None
    support_rule: str | None = None
    also: tuple[str, ...] = ()
    doubt_below: float | None = None
    reads_denied: bool = True


# Under this score a rule's own urgent hit is doubted (see NetRule). Chosen with
# bench/safety_net.py --doubt on sets B-M, each held out in turn: at 0.1 urgent replies to
# harmless messages fall from 7.3% to 3.0% of them, and urgent recall from 91.5% to 91.1% (those
# few still see the rule's message, above an answer). On sets B-Q (after P's and Q's round),
# 0.05 / 0.1 / 0.15 give urgent recall 92.8% / 92.8% / 92.7% and urgent replies to harmless
# messages 4.2% / 3.6% / 3.1%: none is better on both.
DOUBT = 0.1

# Urgent thresholds chosen by bench/safety_net.py --shipped on the written sets AH to AS (the
# earlier sets were lost), each held out in turn: the lowest scores at which, on sets the models
# were not trained on, the net made at most 1% of harmless messages urgent (all models together),
# made no passage question or small-talk phrase urgent, and under which this net makes no
# passage question, no eval question and no ranking test's question urgent. Against the
# thresholds picked on sets A to AC (self-harm 0.927, stroke 0.600, clot 0.602, chest 0.366),
# leave-one-set-out on AH-AS: urgent recall 96.5% -> 97.9%, harmless messages made urgent 1.8%
# -> 2.4%. The support lines (self-harm 0.50, distress 0.494) stay as they were: the bench's
# lower picks would give more ordinary visitor questions a 988 line. Set self-harm's urgent_at
# to None for a net that only ever adds the 988 line for self-harm.
NET_RULES = (
    NetRule("self-harm", urgent_at=0.715, support_at=0.50, support_rule="distress",
            doubt_below=DOUBT),
    # The 988 line for anything that reads like distress or self-harm: one model learns both,
    # since indirect risk reads like distress more than like the rest of the self-harm samples.
    # Kept at AA's round's pick: the bench's 0.458 on sets A-AC gave an ordinary question ("I'm
    # pregnant and I can't stop moving my legs!") a 988 line.
    NetRule("distress", urgent_at=None, support_at=0.494, support_rule="distress",
            also=("self-harm",)),
    NetRule("stroke", urgent_at=0.183, doubt_below=DOUBT, reads_denied=False),
    # Just above "are painful leg cramps one of the symptoms" (0.591 with sets AQ to AS's
    # samples), a ranking test's question: the bench's floor.
    NetRule("blood-clot", urgent_at=0.592, doubt_below=DOUBT, reads_denied=False),
    NetRule("chest-pain", urgent_at=0.399, doubt_below=DOUBT, reads_denied=False),
)


def ordinary_messages(knowledge: Knowledge) -> list[str]:
    """Everyday messages no rule should fire on: the passages' sample questions and the
    small-talk phrases."""
    return ([q for p in knowledge.passages for q in p.questions]
            + [phrase for reply in knowledge.smalltalk for phrase in reply.phrases])


def training_samples(rules: Sequence[SafetyRule], rule_id: str,
                     ordinary: Iterable[str] = (),
                     also: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """(message, positive) for one rule's model: its `must_trigger` samples, and those of the
    rules in `also`, are positive; every other rule's `must_trigger`, every `must_not_trigger`
    and the ordinary messages are negative (a message that is also a positive counts once, as
    positive)."""
    learned = {rule_id, *also}
    positives = {s for rule in rules if rule.id in learned for s in rule.must_trigger}
    negatives = {s for rule in rules if rule.id not in learned for s in rule.must_trigger}
    negatives.update(s for rule in rules for s in rule.must_not_trigger)
    negatives.update(ordinary)
    return sorted([(s, True) for s in positives] + [(s, False) for s in negatives - positives])


class SafetyNet:
    """One model per urgent rule that has samples, with the scores at which each acts; never
    changed once built."""

    def __init__(self, rules: Sequence[SafetyRule], models: Mapping[str, SafetyModel],
                 net_rules: Sequence[NetRule] = NET_RULES):
        by_id = {rule.id: rule for rule in rules}
        self.rules = by_id
        self.models = dict(models)
        # File order of the rules, as for RedFlags: the first urgent rule the net sees wins.
        order = {rule.id: i for i, rule in enumerate(rules)}
        self.net_rules = tuple(sorted(
            (n for n in net_rules if n.rule in self.models
             and (by_id[n.rule].tier == URGENT or n.urgent_at is None)),
            key=lambda n: order[n.rule]))
        self._doubt_below = {n.rule: n.doubt_below for n in self.net_rules
                             if n.doubt_below is not None}
        self._undenied = frozenset(n.rule for n in self.net_rules if not n.reads_denied)
        # The rules' own reading of negations, for the models that read a message without
        # what it denies.
        self._denials = RedFlags(rules) if self._undenied else None

    def _undenied_text(self, text: str) -> str:
        return text if self._denials is None else self._denials.undenied(text)

    def _doubts(self, rule_id: str, text: str) -> bool:
        doubt = self._doubt_below.get(rule_id)
        if doubt is None:
            return False
        read = self._undenied_text(text) if rule_id in self._undenied else text
        return self.models[rule_id].doubts(read, doubt)

    @classmethod
    def train(cls, rules: Sequence[SafetyRule], ordinary: Iterable[str] = (),
              net_rules: Sequence[NetRule] = NET_RULES) -> SafetyNet:
        """A model for each of `net_rules` whose rule has samples to learn from (positive and
        negative ones with words); a rule without them is left to the rules alone."""
        ordinary = tuple(ordinary)
        # Each model learns from nearly the same messages: their features are worked out once
        # here: the samples outgrow features()'s own cache, and each model would pay for them.
        known: dict[str, tuple[str, ...]] = {}

        def featurise(text: str) -> tuple[str, ...]:
            found = known.get(text)
            if found is None:
                found = known[text] = features(text)
            return found

        models = {}
        for n in net_rules:
            samples = training_samples(rules, n.rule, ordinary, n.also)
            usable = [positive for text, positive in samples if featurise(text)]
            if any(usable) and not all(usable):
                models[n.rule] = SafetyModel.train(samples, featurise=featurise)
        return cls(rules, models, net_rules)

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge,
                       net_rules: Sequence[NetRule] = NET_RULES) -> SafetyNet:
        """The net for a knowledge base: its safety samples and its ordinary messages. Trained
        once per distinct set of them (most saves change neither, and a save's validation and
        the engine built after it share one training)."""
        return _trained(tuple(knowledge.safety), tuple(ordinary_messages(knowledge)),
                        tuple(net_rules))

    def scores(self, text: str) -> dict[str, float]:
        """Each model's score for the message, by rule id."""
        undenied = self._undenied_text(text)
        return {n.rule: self.models[n.rule].score(undenied if n.rule in self._undenied else text)
                for n in self.net_rules}

    def check(self, text: str) -> Flags:
        """What the net alone makes of a message: the urgent rule whose score reaches its
        `urgent_at` (first in file order), else the support line of one reaching `support_at`.
        `matched` names what fired as "net:<rule id>"."""
        scores = self.scores(text)
        for n in self.net_rules:
            if n.urgent_at is not None and scores[n.rule] >= n.urgent_at:
                return Flags(urgent=self.rules[n.rule], matched=(f"net:{n.rule}",))
        for n in self.net_rules:
            if (n.support_at is not None and n.support_rule in self.rules
                    and scores[n.rule] >= n.support_at):
                return Flags(support=self.rules[n.support_rule], matched=(f"net:{n.rule}",))
        return Flags()

    def under(self, flags: Flags, text: str) -> Flags:
        """The rules' `flags` for this message, with the net's added where the rules found
        nothing of that tier: an urgent rule only when no rule is urgent, a support line only
        when no rule gave one. When every urgent rule that fired is doubted by its own model
        (see NetRule.doubt_below), the first becomes the support line, and the net may still
        find another urgent rule."""
        if flags.urgent is not None:
            # Every urgent rule that fired must be doubted by its own model: two rules seeing
            # an emergency where one model hesitates is still an emergency.
            fired = [self.rules[r] for r in flags.matched
                     if r in self.rules and self.rules[r].tier == URGENT] or [flags.urgent]
            trusted = next((r for r in fired if not self._doubts(r.id, text)), None)
            if trusted is flags.urgent:
                return flags
            if trusted is not None:
                return Flags(trusted, flags.support, flags.matched)
            flags = Flags(None, flags.urgent, flags.matched + tuple(
                f"doubted:{r.id}" for r in fired))
        net = self.check(text)
        if net.urgent is not None:
            return Flags(net.urgent, flags.support, flags.matched + net.matched)
        if flags.support is None and net.support is not None:
            return Flags(None, net.support, flags.matched + net.matched)
        return flags


@lru_cache(maxsize=4)
def _trained(rules: tuple[SafetyRule, ...], ordinary: tuple[str, ...],
             net_rules: tuple[NetRule, ...]) -> SafetyNet:
    return SafetyNet.train(rules, ordinary, net_rules)


class Screen:
    """The red-flag rules, then the net under them: what the engine checks every message with
    and what the safety samples are replayed through. Never changed once built."""

    def __init__(self, red_flags: RedFlags, net: SafetyNet):
        self.red_flags = red_flags
        self.net = net

    @classmethod
    def for_knowledge(cls, knowledge: Knowledge, vocabulary: Iterable[str]) -> Screen:
        return cls(RedFlags(knowledge.safety, vocabulary), SafetyNet.from_knowledge(knowledge))

    def check(self, text: str) -> Flags:
        """The rules' flags for `text`, with the net's added where the rules found nothing."""
        return self.net.under(self.red_flags.check(text), text)
