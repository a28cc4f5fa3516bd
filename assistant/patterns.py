"""The one pattern language staff write in the knowledge files, and its matcher.

Red-flag triggers, the topics and kinds of question the article does not cover, and the
questions about the clinic itself are all written this way:

    blood clot                  these words in a row
    clot | dvt | thrombosis     any one of several (each may be several words)
    chest + pain | pressure     every group somewhere in the same sentence, in any order
    swell*                      any ending: swell, swells, swelling, swelled (and the forms
                                spelled without a final e: hope* matches hoping)
    what can _ do               _ is any one word: "what can i do", "what can she do"

Words are compared as `text.words` reads them: lower case, accents and apostrophes dropped
("can't" is "cant", "I'm" is "im"). A group does not count where a negation ("not", "no",
"never", "don't", ...) stands just before it, or up to four words before with only words such
as "have", "any", "a" between, or starts a list of alternatives it is one of (see `negated`):
"no chest pain", "I don't have any chest pain" and "no cough or chest pain" do not match
`chest + pain`; "I don't want to live" matches `dont want to live`.

Entry points: `parse(text) -> Pattern` (raises PatternError, worded for staff), and
`Matcher(patterns, known).find(sentence) -> {key: spans}` over `clauses(text)` of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .text import is_word, normalise, words

# Words that negate what follows them in the same clause.
NEGATIONS = frozenset("""
not no never dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt wont wouldnt
without nor neither none nobody nothing aint denies deny
""".split())
NEGATION_REACH = 4
# A negation reaches a trigger only through these words: "I don't have any chest pain" and
# "no thoughts of suicide" are negated, "I don't see the point in living" is not (what is
# negated there is "see").
_NEGATION_PASSES = frozenset("""
a an the any my his her their its it i im am is are was were be been being have has had
having get got getting feel feeling felt feelings experience experienced experiencing notice
noticed of at all real really even actually currently signs sign symptoms symptom thought
thoughts about
""".split())
# "or" and "nor" carry a negation on to the next alternative of a list ("no chest pain or
# shortness of breath"), when it reaches the one before, of up to this many words.
_ALTERNATIVES = frozenset(("or", "nor"))
_ALTERNATIVES_REACH = 3
# Where a clause ends inside a sentence: a phrase never runs across it.
BREAK = ","
# Any one word, inside a phrase.
ANY_WORD = "_"
_CLAUSE_WORDS = frozenset("but however although though except whereas".split())
_CLAUSE_MARKS = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|[\r\n]+|(?<=[!?])(?=\w)")
_ABBREVIATION = re.compile(r"\b(?:etc|e\.g|i\.e|dr|mr|mrs|ms|vs|approx|st)\.[\"')\]]*$",
                           re.IGNORECASE)

Alternative = tuple[str, ...]
Group = tuple[Alternative, ...]


class PatternError(ValueError):
    """A pattern staff wrote that cannot be read; the message says what to change."""


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: groups that must all match, each a choice of word sequences."""

    text: str
    groups: tuple[Group, ...]

    @property
    def words(self) -> frozenset[str]:
        """Every word the pattern names (wildcards without their `*`)."""
        return frozenset(w.rstrip("*") for group in self.groups for alt in group for w in alt
                         if w != ANY_WORD)


def parse(text: str) -> Pattern:
    """Read one pattern; PatternError when a part of it has no words or a `*` is misplaced."""
    groups = []
    for group_text in text.split("+"):
        alternatives = []
        for alt_text in group_text.split("|"):
            alt = tuple(_pattern_words(alt_text))
            if not alt:
                raise PatternError(
                    f"the pattern \"{text}\" has an empty part around '+' or '|'; write words "
                    "on both sides, e.g. \"chest + pain | pressure\"")
            alternatives.append(alt)
        groups.append(tuple(alternatives))
    return Pattern(text, tuple(groups))


def _pattern_words(text: str) -> list[str]:
    out = []
    for raw in text.split():
        if raw == ANY_WORD:
            if not out:
                raise PatternError(f"\"{text.strip()}\": '_' (any one word) cannot come first; "
                                   "start with a word, e.g. \"what can _ do\"")
            out.append(ANY_WORD)
            continue
        star = raw.endswith("*")
        found = words(raw.rstrip("*"))
        if star and (len(found) != 1 or len(found[0]) < 3 or raw.count("*") > 1):
            raise PatternError(
                f"'{raw}': a '*' goes at the end of one word of at least 3 letters, e.g. 'swell*'")
        if "*" in raw.rstrip("*"):
            raise PatternError(f"'{raw}': a '*' goes only at the end of a word, e.g. 'swell*'")
        out.extend(f"{w}*" if star else w for w in found)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a message (split at . ! ? and line breaks, not after "etc." or "Dr."),
    without empty ones."""
    out, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if "\n" in end.group() or "\r" in end.group() or \
                not _ABBREVIATION.search(text[start:end.start()]):
            out.append(text[start:end.start()])
            start = end.end()
    out.append(text[start:])
    return [part.strip() for part in out if part.strip()]


def clauses(sentence: str) -> list[str]:
    """A sentence's words with BREAK between its clauses (commas, dashes, "but", ...)."""
    out: list[str] = []
    for piece in _CLAUSE_MARKS.split(normalise(sentence)):
        chunk = words(piece)
        if not chunk:
            continue
        if out and out[-1] != BREAK:
            out.append(BREAK)
        for word in chunk:
            if word in _CLAUSE_WORDS and out and out[-1] != BREAK:
                out.append(BREAK)
            out.append(word)
    return out


def negated(tokens: Sequence[str], start: int) -> bool:
    """True when a negation stands just before `start`, or reaches it through words such as
    "have", "any", "a" ("no chest pain", "I don't have any chest pain")."""
    return negation_at(tokens, start) is not None


def negation_at(tokens: Sequence[str], start: int) -> int | None:
    """Where the negation that reaches `start` stands (see `negated`), or None."""
    for i in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
        if tokens[i] in NEGATIONS:
            return i
        if tokens[i] in _ALTERNATIVES:
            return _negation_before(tokens, i)
        if tokens[i] not in _NEGATION_PASSES:
            return None
    return None


def _negation_before(tokens: Sequence[str], end: int) -> int | None:
    """The negation that reaches the alternative just before `end` (an "or"), if one does:
    "no chest pain or shortness of breath" gives "no" for "shortness"; "not sure if it's a TIA
    or a stroke" gives none, since "not" reaches only "sure"."""
    for start in range(end - 1, max(-1, end - 1 - _ALTERNATIVES_REACH), -1):
        if tokens[start] == BREAK:
            return None
        found = negation_at(tokens, start)
        if found is not None:
            return found
    return None


def _word_matches(pattern_word: str, token: str) -> bool:
    if pattern_word == ANY_WORD:
        return token not in ("", BREAK)
    if pattern_word.endswith("*"):
        return _prefix_matches(pattern_word[:-1], token)
    return token == pattern_word


def _prefix_matches(prefix: str, token: str) -> bool:
    """`prefix*` matches any ending, and the forms English spells without a final e:
    "hope*" also matches "hoping", "die*" also matches "dying"."""
    if token.startswith(prefix):
        return True
    if prefix.endswith("ie"):
        return token.startswith(prefix[:-2] + "y")
    if prefix.endswith("e") and len(prefix) > 3:
        rest = token[len(prefix) - 1:]
        return token.startswith(prefix[:-1]) and rest.startswith(("ing", "ed"))
    return False


def _max_typos(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


class Matcher:
    """Many patterns compiled once, each under a key; never changed after it is built.

    `known` words (the knowledge base's vocabulary) are never read as typos of a pattern word,
    nor is any common English word: "night" is not taken for "right".
    """

    def __init__(self, patterns: Iterable[tuple[object, Pattern]],
                 known: frozenset[str] = frozenset()):
        self._patterns: list[tuple[object, Pattern]] = list(patterns)
        self._exact: dict[str, list[tuple[int, int, Alternative]]] = {}
        # Wildcard words are indexed by their first three letters (a `*` needs at least three).
        self._prefixed: dict[str, list[tuple[str, int, int, Alternative]]] = {}
        vocabulary: set[str] = set()
        for p, (_, pattern) in enumerate(self._patterns):
            for g, group in enumerate(pattern.groups):
                for alt in group:
                    first = alt[0]
                    if first.endswith("*"):
                        entry = (first[:-1], p, g, alt)
                        self._prefixed.setdefault(first[:3], []).append(entry)
                        if first[:-1].endswith("ie"):  # "die*" is also found under "dyi"
                            self._prefixed.setdefault(first[:-3] + "yi", []).append(entry)
                    else:
                        self._exact.setdefault(first, []).append((p, g, alt))
            vocabulary |= pattern.words
        self._vocabulary = frozenset(vocabulary)
        self._words: dict[str, list[str]] = {}
        self._stems: dict[str, list[str]] = {}
        for word in sorted(vocabulary):
            if len(word) >= 4:
                self._words.setdefault(word[0], []).append(word)
        for entries in self._prefixed.values():
            for prefix, *_ in entries:
                if len(prefix) >= 4 and prefix not in self._stems.get(prefix[0], []):
                    self._stems.setdefault(prefix[0], []).append(prefix)
        self._known = known
        self._corrections: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._patterns)

    def corrected(self, tokens: Sequence[str]) -> list[str]:
        """Tokens with likely typos of a pattern word replaced by it ("sucide" -> "suicid")."""
        return [self._correct(t) for t in tokens]

    def _correct(self, token: str) -> str:
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        best = token
        limit = _max_typos(token)
        if limit and token not in self._vocabulary and token not in self._known \
                and not is_word(token) and not self._prefix_of(token):
            # Typos rarely hit the first letter; looking only at words that share it keeps a
            # message of hundreds of unknown words fast.
            distance = limit + 1
            found = process.extractOne(token, self._words.get(token[0], ()),
                                       scorer=DamerauLevenshtein.distance, score_cutoff=limit)
            if found:
                best, distance = found[0], found[1]
            for stem in self._stems.get(token[0], ()):
                # A typo in a wildcard word's stem counts too: "sucidal" for "suicid*".
                # A short stem is matched by a whole token only: "contort" is no "cost*".
                for size in (len(stem) - 1, len(stem), len(stem) + 1):
                    if size > len(token) or size < len(token) and len(stem) < 5:
                        continue
                    if DamerauLevenshtein.distance(token[:size], stem,
                                                   score_cutoff=1) < min(distance, 2):
                        best, distance = stem, 1
        if len(self._corrections) < 20_000:
            self._corrections[token] = best
        return best

    def _prefix_of(self, token: str) -> bool:
        return any(_prefix_matches(prefix, token)
                   for prefix, *_ in self._prefixed.get(token[:3], ()))

    def _scan(self, tokens: Sequence[str]):
        """(pattern, group, span, negation) for every alternative whose words are here;
        `negation` is where the negation that denies it stands, or None."""
        for i, token in enumerate(tokens):
            if token == BREAK:
                continue
            candidates = self._exact.get(token, [])
            prefixed = [(p, g, alt) for prefix, p, g, alt in self._prefixed.get(token[:3], ())
                        if _prefix_matches(prefix, token)]
            for p, g, alt in (*candidates, *prefixed):
                end = i + len(alt)
                if end > len(tokens):
                    continue
                if all(_word_matches(w, tokens[i + k]) for k, w in enumerate(alt)):
                    no = None if alt[0] in NEGATIONS else negation_at(tokens, i)
                    yield p, g, (i, end), no

    def find(self, tokens: Sequence[str]) -> dict[object, list[tuple[int, int]]]:
        """The keys of every pattern that matches these tokens (one sentence, as `clauses`
        gives it, typos already corrected), with the spans of the words that matched it."""
        found: dict[int, dict[int, list[tuple[int, int]]]] = {}
        for p, g, span, no in self._scan(tokens):
            if no is None:
                found.setdefault(p, {}).setdefault(g, []).append(span)
        out: dict[object, list[tuple[int, int]]] = {}
        for p, groups in found.items():
            key, pattern = self._patterns[p]
            if len(groups) == len(pattern.groups):
                spans = [span for group_spans in groups.values() for span in group_spans]
                out.setdefault(key, []).extend(spans)
        return out

    def denied(self, tokens: Sequence[str]) -> list[int]:
        """Where the pattern words these tokens deny stand, with their negations ("no chest
        pain": "no chest"), less any word some pattern reads as it stands ("not breathing")."""
        kept: set[int] = set()
        denied: set[int] = set()
        for _, _, (start, end), no in self._scan(tokens):
            if no is None:
                kept.update(range(start, end))
            else:
                denied.update(range(no, end))
        return sorted(denied - kept)


def masked(tokens: Sequence[str], spans: Iterable[tuple[int, int]]) -> list[str]:
    """Tokens with the words in `spans` blanked out, so no pattern can match them."""
    out = list(tokens)
    for start, end in spans:
        for i in range(start, end):
            out[i] = ""
    return out
