"""The learned safety net: deterministic training, scores that follow the samples, and how its
flags join the rules' (on tiny samples written here; the shipped knowledge is measured by
bench/safety_net.py, not tested)."""

from __future__ import annotations

import pytest

from assistant import safety_model
from assistant.knowledge import SafetyRule
from assistant.safety import Flags
from assistant.safety_model import NetRule, SafetyModel, SafetyNet, features, training_samples

POSITIVE = ["i want to vanish for good tonight", "thinking about how to vanish for good",
            "ready to vanish, wrote my goodbye", "i will vanish tonight, nobody will notice",
            "planning to vanish after the weekend", "cant stop thinking about vanishing forever"]
NEGATIVE = ["does massage help restless legs", "how often should i book a massage",
            "my calves ache after a long walk", "is swedish massage gentle on the legs",
            "what helps restless legs at night", "can stretching calm my legs before bed"]
SAMPLES = [(q, True) for q in POSITIVE] + [(q, False) for q in NEGATIVE]


def test_training_is_deterministic_whatever_the_order_of_the_samples():
    a = SafetyModel.train(SAMPLES)
    b = SafetyModel.train(list(reversed(SAMPLES)))
    assert a == b
    assert a.score("i may vanish tonight") == b.score("i may vanish tonight")


def test_messages_like_the_positives_score_higher_than_messages_like_the_negatives():
    model = SafetyModel.train(SAMPLES)
    risky = model.score("sometimes i think i should just vanish for good")
    ordinary = model.score("would a massage help my restless legs at night")
    assert 0.0 <= ordinary < 0.5 < risky <= 1.0


def test_a_message_without_a_known_word_scores_zero():
    model = SafetyModel.train(SAMPLES)
    assert model.score("zzqx blorp") == 0.0
    assert model.score("") == 0.0


@pytest.mark.parametrize("samples", [[(q, True) for q in POSITIVE], [(q, False) for q in NEGATIVE],
                                     [("?!", True), ("massage", False)]])
def test_training_needs_positive_and_negative_samples_with_words(samples):
    with pytest.raises(ValueError, match="positive and negative"):
        SafetyModel.train(samples)


def test_features_are_content_words_and_every_pair_of_adjacent_words():
    assert features("I want to end it") == (
        "end", "end it", "i want", "to end", "want to")


def rule(id, must=(), must_not=(), tier="urgent"):
    return SafetyRule(id=id, title=id, triggers=("never written",), message=f"{id} message",
                      must_trigger=tuple(must), must_not_trigger=tuple(must_not), tier=tier)


RULES = [rule("harm", POSITIVE, NEGATIVE[:3]), rule("chest", ["my chest is crushing me"]),
         rule("lowmood", ["so tired of all this"], tier="support")]


def test_a_rules_model_learns_its_samples_against_all_the_others():
    samples = dict(training_samples(RULES, "harm", ordinary=["hello", NEGATIVE[3]]))
    assert {q for q, positive in samples.items() if positive} == set(POSITIVE)
    assert {q for q, positive in samples.items() if not positive} == {
        *NEGATIVE[:4], "my chest is crushing me", "so tired of all this", "hello"}


def test_a_sample_of_the_rule_itself_is_never_also_a_negative():
    samples = training_samples(RULES, "harm", ordinary=[POSITIVE[0]])
    assert samples.count((POSITIVE[0], True)) == 1
    assert (POSITIVE[0], False) not in samples


def net(**harm):
    settings = {"urgent_at": 0.5, "support_at": 0.2, "support_rule": "lowmood", **harm}
    return SafetyNet.train(RULES, NEGATIVE[3:], [NetRule("harm", **settings),
                                                 NetRule("missing", urgent_at=0.5)])


def test_the_net_has_a_model_only_for_urgent_rules_that_exist_with_samples():
    assert set(net().models) == {"harm"}


def test_a_model_may_learn_other_rules_samples_as_its_own():
    samples = dict(training_samples(RULES, "lowmood", also=("harm",)))
    assert {q for q, positive in samples.items() if positive} == {
        *POSITIVE, "so tired of all this"}
    assert samples["my chest is crushing me"] is False


def test_a_support_rules_model_only_ever_adds_its_line():
    line = NetRule("lowmood", urgent_at=None, support_at=0.5, support_rule="lowmood",
                   also=("harm",))
    net = SafetyNet.train(RULES, NEGATIVE[3:], [line])
    flags = net.under(Flags(), "i will vanish for good tonight")
    assert (flags.urgent, flags.support.id, flags.matched) == (None, "lowmood", ("net:lowmood",))
    assert net.under(Flags(), "does massage help restless legs") == Flags()
    urgent_line = SafetyNet.train(RULES, NEGATIVE[3:], [
        NetRule("lowmood", urgent_at=0.5, support_rule="lowmood", also=("harm",))])
    assert urgent_line.under(Flags(), "i will vanish for good tonight") == Flags()


@pytest.mark.parametrize("rules, ordinary", [([rule("harm", ["?!"])], ["hello"]),
                                             ([rule("harm", ["i will vanish"])], [])])
def test_a_rule_with_nothing_to_learn_from_gets_no_model_and_no_error(rules, ordinary):
    net = SafetyNet.train(rules, ordinary, [NetRule("harm", urgent_at=0.5)])
    assert net.models == {}
    assert net.under(Flags(), "i will vanish") == Flags()


def test_the_net_makes_a_message_urgent_when_the_rules_found_nothing():
    flags = net().under(Flags(), "i will vanish for good tonight")
    assert (flags.urgent.id, flags.matched) == ("harm", ("net:harm",))


def test_the_net_never_changes_an_urgent_rule_that_fired_unless_told_to_doubt_it():
    fired = Flags(urgent=RULES[1], matched=("chest",))
    assert net().under(fired, "i will vanish for good tonight") is fired
    harm = Flags(urgent=RULES[0], matched=("harm",))
    assert net().under(harm, "does massage help restless legs") is harm


@pytest.fixture
def grown(monkeypatch):
    """Models as sure of themselves as the shipped ones, from the few samples written here."""
    monkeypatch.setattr(safety_model, "DOUBT_MIN_POSITIVES", 1)


def test_a_young_model_never_doubts_a_rule_hit():
    harm = Flags(urgent=RULES[0], matched=("harm",))
    assert net(doubt_below=0.3).under(harm, "does massage help restless legs") is harm


@pytest.mark.usefixtures("grown")
def test_wording_the_model_has_never_seen_is_no_grounds_for_doubt():
    harm = Flags(urgent=RULES[0], matched=("harm",))
    assert net(doubt_below=0.3).under(harm, "zorbly quandle") is harm


@pytest.mark.usefixtures("grown")
def test_a_misspelt_word_the_model_does_not_know_is_no_grounds_for_doubt():
    harm = Flags(urgent=RULES[0], matched=("harm",))
    assert net(doubt_below=0.3).under(harm, "does massage help restless legs vanishh") is harm


@pytest.mark.usefixtures("grown")
def test_a_rule_hit_its_model_doubts_shows_the_rules_message_above_the_answer():
    harm = Flags(urgent=RULES[0], matched=("harm",))
    flags = net(doubt_below=0.3).under(harm, "does massage help restless legs")
    assert (flags.urgent, flags.support, flags.matched) == (None, RULES[0],
                                                            ("harm", "doubted:harm"))


@pytest.mark.usefixtures("grown")
def test_a_rule_hit_its_model_agrees_with_stays_urgent():
    harm = Flags(urgent=RULES[0], matched=("harm",))
    assert net(doubt_below=0.3).under(harm, "i will vanish for good tonight") is harm


@pytest.mark.usefixtures("grown")
def test_a_doubted_rule_leaves_the_net_free_to_find_another_urgent_rule():
    chest = Flags(urgent=RULES[1], matched=("chest",))
    doubting = SafetyNet.train(RULES, NEGATIVE[3:], [
        NetRule("harm", urgent_at=0.5), NetRule("chest", urgent_at=0.99, doubt_below=0.5)])
    flags = doubting.under(chest, "i will vanish for good tonight")
    assert (flags.urgent, flags.support) == (RULES[0], RULES[1])
    assert flags.matched == ("chest", "doubted:chest", "net:harm")


def test_without_an_urgent_threshold_the_net_only_adds_the_support_line():
    flags = net(urgent_at=None).under(Flags(), "i will vanish for good tonight")
    assert (flags.urgent, flags.support.id) == (None, "lowmood")


def test_the_net_keeps_the_rules_support_line_and_adds_none_to_ordinary_messages():
    supported = Flags(support=RULES[2], matched=("lowmood",))
    assert net(urgent_at=None).under(supported, "i will vanish for good tonight") is supported
    assert net().under(Flags(), "does massage help restless legs") == Flags()


@pytest.mark.usefixtures("grown")
def test_a_doubted_rule_stays_urgent_when_another_urgent_rule_that_fired_is_not_doubted():
    both = Flags(urgent=RULES[0], matched=("harm", "chest"))
    flags = net(doubt_below=0.3).under(both, "does massage help restless legs")
    assert (flags.urgent, flags.matched) == (RULES[1], ("harm", "chest"))


CHEST = SafetyRule(id="chest", title="chest", triggers=("chest + pain | tight",),
                   message="chest message", tier="urgent",
                   must_trigger=("my chest pain is crushing", "chest pain and sweating",
                                 "sudden chest pain down my arm", "tight chest pain right now"),
                   must_not_trigger=("my calves ache at night", "massage for tight legs"))


@pytest.mark.parametrize("reads_denied, urgent", [(True, "chest"), (False, None)])
def test_a_model_that_does_not_read_denials_ignores_a_denied_sign(reads_denied, urgent):
    net = SafetyNet.train([CHEST], NEGATIVE, [NetRule("chest", urgent_at=0.5,
                                                      reads_denied=reads_denied)])
    denied = net.under(Flags(), "no chest pain at all, just restless legs")
    assert getattr(denied.urgent, "id", None) == urgent
    told = net.under(Flags(), "no fever but chest pain and sweating right now")
    assert told.urgent.id == "chest"
