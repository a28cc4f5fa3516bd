"""Replay each safety rule's sample messages through the engine's red-flag matcher.

Entry points: `sample_errors(knowledge) -> list[KnowledgeError]`, and `checked_knowledge(directory,
overrides)`, the validation every consumer runs: the knowledge loader's checks, then the samples
(the loader itself knows nothing of the engine). A sample that must trigger its rule and does
not, or must not trigger any rule and does, is a problem at the sample's line in safety.yaml.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .errors import KnowledgeError, KnowledgeInvalid
from .knowledge import Knowledge, load_knowledge
from .retrieval import tokenizer_for
from .triage import RedFlags

SAFETY_FILE = "safety.yaml"
_VERBS = {"must_trigger": "must trigger this rule but does not",
          "must_not_trigger": "must not trigger any safety rule but does"}


def sample_errors(knowledge: Knowledge) -> list[KnowledgeError]:
    """Every safety sample the rules get wrong, at its line in safety.yaml."""
    flags = RedFlags(knowledge.safety, tokenizer_for(knowledge).vocabulary)
    wrong = []
    for rule in knowledge.safety:
        for sample in rule.must_trigger:
            matched = flags.match(sample)
            if matched is None or matched.id != rule.id:
                wrong.append((rule, "must_trigger", sample))
        for sample in rule.must_not_trigger:
            if flags.match(sample) is not None:
                wrong.append((rule, "must_not_trigger", sample))
    return [KnowledgeError(f"the sample \"{sample}\" {_VERBS[key]}; change the triggers or the "
                           "sample", file=SAFETY_FILE, folder=knowledge.directory,
                           line=knowledge.line(SAFETY_FILE, rule.id, key, sample),
                           noun="safety rule", entry_id=rule.id, key=key)
            for rule, key, sample in wrong]


def checked_knowledge(directory: str | os.PathLike | None = None,
                      overrides: Mapping[str, str] | None = None) -> Knowledge:
    """The knowledge base (see load_knowledge) once its safety samples also hold; else
    KnowledgeInvalid with every problem."""
    knowledge = load_knowledge(directory, overrides)
    errors = sample_errors(knowledge)
    if errors:
        raise KnowledgeInvalid(errors)
    return knowledge
