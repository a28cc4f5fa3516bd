"""The knowledge base as the rest of the program sees it: frozen dataclasses, one per entry kind.

Frozen because one `Knowledge` is shared by every visitor session and thread. The fields of each
entry class match its file's schema (`schema.FILES`), which builds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: str
    file: str
    url: str = ""
    topic: str = ""


@dataclass(frozen=True)
class Passage:
    id: str
    section: str
    title: str
    text: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    source: str
    items: tuple[str, ...] = ()
    topic: str = ""
    draft: bool = False


@dataclass(frozen=True)
class Clinic:
    name: str
    city: str
    referral: str
    booking_url: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Synonym:
    means: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class SafetyRule:
    id: str
    title: str
    triggers: tuple[str, ...]
    message: str
    must_trigger: tuple[str, ...]
    must_not_trigger: tuple[str, ...]
    tier: str = "urgent"
    unless: tuple[str, ...] = ()
    reach: str = "sentence"


@dataclass(frozen=True)
class SmalltalkReply:
    id: str
    phrases: tuple[str, ...]
    reply: str


@dataclass(frozen=True)
class Topic:
    topic: str
    name: str
    words: tuple[str, ...]
    clinic: bool = False
    anywhere: bool = False
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    words: tuple[str, ...]
    passages: tuple[str, ...]
    strict: bool = False


@dataclass(frozen=True)
class Fact:
    """A short staff-written answer about the clinic itself (hours, parking, prices...),
    shown with the date someone last checked it; never about health."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    checked: str


@dataclass(frozen=True)
class Knowledge:
    """A whole knowledge base, valid. `passages` are those visitors get; `drafts` those staff
    are still reviewing (from an imported article). `lines` maps (file, entry id[, key[, list
    item]]) to the 1-based line where it is written, so later checks can point staff at it."""

    directory: str
    sources: Mapping[str, Source]
    source_texts: Mapping[str, str]
    passages: tuple[Passage, ...]
    clinic: Clinic
    synonyms: tuple[Synonym, ...]
    safety: tuple[SafetyRule, ...]
    smalltalk: tuple[SmalltalkReply, ...]
    not_covered: tuple[Topic, ...]
    kinds: tuple[Kind, ...]
    facts: tuple[Fact, ...] = ()
    drafts: tuple[Passage, ...] = ()
    lines: Mapping[tuple[str, ...], int] = field(default_factory=dict, compare=False)

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (KeyError when there is none)."""
        for passage in self.passages:
            if passage.id == passage_id:
                return passage
        raise KeyError(passage_id)

    def line(self, file: str, entry_id: str, *path: str) -> int | None:
        """Where an entry (or one of its keys, or an item of a list) is written in `file`.

        Falls back to the line of the enclosing key or entry; None when nothing is known.
        """
        key = (file, entry_id, *path)
        while len(key) > 1:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None
