"""Checks made before retrieval: red flags, small talk, and topics the article does not cover.

Entry point: `Triage(knowledge, tokenizer).check(text) -> Verdict | None`.
Red flags come first so that an urgent message is never answered with a massage passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .knowledge import Knowledge
from .safety import RedFlags
from .text import STOP_WORDS, Tokenizer, stem, words

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What triage decided: `status` is "urgent", "smalltalk" or "no_match"; `rule` names why."""

    status: str
    rule: str
    message: str


def contains(sequence: Sequence[str], phrase: Phrase) -> bool:
    """True when `phrase` occurs in `sequence` as consecutive items."""
    size = len(phrase)
    first = phrase[0]
    return any(sequence[i] == first and tuple(sequence[i:i + size]) == phrase
               for i in range(len(sequence) - size + 1))


# Words that may surround a small-talk phrase without making the message a real question,
# besides the stop words.
_SMALLTALK_FILLER = frozenset("sir maam guys folks friend ya".split())


class Smalltalk:
    """Recognises messages made only of greetings, thanks, goodbyes or "who are you" talk.

    A message is small talk when it contains at least one of the phrases and every other word
    is a word of some phrase, a stop word or a filler ("are you a bot or a real person",
    "thanks so much, that was helpful").
    """

    def __init__(self, intents, tokenizer: Tokenizer):
        self._tokenizer = tokenizer
        phrases = [(tuple(words(p)), intent) for intent in intents for p in intent.phrases]
        self._phrases = sorted((p for p in phrases if p[0]), key=lambda p: -len(p[0]))
        self._words = ({w for phrase, _ in self._phrases for w in phrase} | _SMALLTALK_FILLER
                       | STOP_WORDS)

    def _phrase_at(self, plain: list[str], i: int, greeting_only: bool = False):
        """(length, intent) of the longest phrase starting at word `i`, or None."""
        for phrase, intent in self._phrases:
            if (not greeting_only or intent.id == "greeting") and \
                    tuple(plain[i:i + len(phrase)]) == phrase:
                return len(phrase), intent
        return None

    def strip(self, text: str) -> str:
        """`text` without a leading greeting ("Hi, good evening, can massage..." -> "can
        massage..."), so "evening" in a greeting is not read as part of the question."""
        spelled = self._tokenizer.spelled(text)
        i = 0
        while i < len(spelled) and (found := self._phrase_at(spelled, i, greeting_only=True)):
            i += found[0]
        return " ".join(words(text)[i:]) if i else text

    def match(self, text: str):
        """The intent for a pure small-talk message, or None when the message asks something."""
        plain = self._tokenizer.spelled(text)
        if not plain or any(w not in self._words for w in plain):
            return None
        found = []
        i = 0
        while i < len(plain):
            at = self._phrase_at(plain, i)
            if at is None:
                i += 1
            else:
                found.append(at[1])
                i += at[0]
        if not found:
            return None
        specific = [intent for intent in found if intent.id != "greeting"]
        return (specific or found)[-1]


class Scope:
    """Finds words of topics the article does not cover (scope.yaml)."""

    def __init__(self, topics, tokenizer: Tokenizer):
        self._tokenizer = tokenizer
        self._phrases = [(tuple(stem(w) for w in words(word)), topic)
                         for topic in topics for word in topic.words]
        self._phrases = [(p, t) for p, t in self._phrases if p]

    def match(self, text: str):
        """The first not-covered topic `text` mentions, or None."""
        tokenizer = self._tokenizer
        stems = [stem(w) for w in tokenizer.expand(tokenizer.spelled(text))]
        for phrase, topic in self._phrases:
            if contains(stems, phrase):
                return topic
        return None


class Triage:
    """Red flags (checked first, by the engine), small talk, not-covered topics."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer):
        self.red_flags = RedFlags(knowledge.safety, tokenizer.vocabulary)
        self.smalltalk = Smalltalk(knowledge.smalltalk, tokenizer)
        self.scope = Scope(knowledge.not_covered, tokenizer)

    def check(self, text: str) -> Verdict | None:
        """The verdict for `text` when it is small talk or out of scope; else None (red flags
        are checked before, with `red_flags.check`)."""
        intent = self.smalltalk.match(text)
        if intent is not None:
            return Verdict("smalltalk", intent.id, intent.reply)
        topic = self.scope.match(text)
        if topic is not None:
            return Verdict("no_match", f"not covered: {topic.topic}", "")
        return None
