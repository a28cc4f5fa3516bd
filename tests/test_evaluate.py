"""The evaluation's safety columns: which rule decided a message."""

from __future__ import annotations

from assistant.evaluate import _deciding
from assistant.safety import Flags


def test_a_net_hit_counts_as_the_rule_whose_reply_it_gave(knowledge):
    rules = {rule.id: rule for rule in knowledge.safety}
    by_net = Flags(urgent=rules["self-harm"], matched=("net:self-harm",))
    assert _deciding(by_net) == ("self-harm",)
    net_support = Flags(support=rules["distress"], matched=("net:self-harm",))
    assert _deciding(net_support) == ("distress",)
    both = Flags(urgent=rules["blood-clot"], support=rules["distress"],
                 matched=("blood-clot", "distress"))
    assert _deciding(both) == ("blood-clot", "distress")
    assert _deciding(Flags()) == ()
