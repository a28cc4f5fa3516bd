"""Safety samples as validation problems: each rule's sample messages replayed through the
engine's screen (the rules of safety.py, then the learned net of safety_model.py), every wrong
one a KnowledgeError at its line.

Entry points: `sample_errors(knowledge) -> list[KnowledgeError]`, and `checked_knowledge(directory,
overrides)`, the validation every consumer runs (serving, the command line, staff saves): the
knowledge loader's checks, then the samples (`replay_samples`, which an engine build runs with
the engine's own screen). The loader itself knows nothing of the engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from . import safety
from .errors import KnowledgeError, KnowledgeInvalid
from .knowledge import Knowledge, load_knowledge
from .retrieval import tokenizer_for
from .safety_model import Screen

SAFETY_FILE = "safety.yaml"
_VERBS = {"must_trigger": "must trigger this rule but does not",
          "must_not_trigger": "must not trigger any safety rule but does"}


def sample_errors(knowledge: Knowledge,
                  flags: safety.RedFlags | Screen | None = None) -> list[KnowledgeError]:
    """Every safety sample the rules get wrong, at its line in safety.yaml. `flags` is the
    engine's matcher when one is built already (else one is built for the replay)."""
    return [KnowledgeError(f"the sample \"{sample}\" {_VERBS[key]}; change the triggers or the "
                           "sample", file=SAFETY_FILE, folder=knowledge.directory,
                           line=knowledge.line(SAFETY_FILE, rule.id, key, sample),
                           noun="safety rule", entry_id=rule.id, key=key)
            for rule, key, sample in safety.sample_errors(knowledge, flags)]


def replay_samples(knowledge: Knowledge, flags: Screen | None = None) -> None:
    """Raise KnowledgeInvalid when any safety sample is wrong (or cannot be checked). `flags`
    is the engine's screen when one is built already; else one is built for the replay, so
    that a harmless sample the learned net would flag is refused like one a rule flags."""
    try:
        if flags is None:
            flags = Screen.for_knowledge(knowledge, tokenizer_for(knowledge).vocabulary)
        errors = sample_errors(knowledge, flags)
    except Exception as exc:  # a bug in the matcher must not crash a page or the CLI
        errors = [KnowledgeError(f"the safety samples could not be checked because of an "
                                 f"unexpected problem ({type(exc).__name__}: {exc}); please "
                                 "report it", file=SAFETY_FILE, folder=knowledge.directory)]
    if errors:
        raise KnowledgeInvalid(errors)


def checked_knowledge(directory: str | os.PathLike | None = None,
                      overrides: Mapping[str, str] | None = None) -> Knowledge:
    """The knowledge base (see load_knowledge) once its safety samples also hold; else
    KnowledgeInvalid with every problem."""
    knowledge = load_knowledge(directory, overrides)
    replay_samples(knowledge)
    return knowledge
