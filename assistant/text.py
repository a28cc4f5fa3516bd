"""The one tokeniser for passages and questions: `Tokenizer.tokens(text) -> list[str]`.

Steps: Unicode normalisation and case folding, words, typo correction against the knowledge
base's own vocabulary, synonym phrases replaced by the article's words, stop words dropped,
Snowball stemming. Passages go through the same steps; their words are the vocabulary, so
typo correction never changes them.

How common a word is in everyday English (wordfreq's Zipf scale) serves twice: a real English
word is never "corrected" into a knowledge-base word ("house" is not a typo of "horse"), and
common words ("time", "problem", "see") say less about a question's topic than rare ones.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from wordfreq import zipf_frequency

# English stop words, plus the words visitors wrap around a question ("tell me", "I keep
# needing") that say nothing about its topic.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren arent as at be because been
before being below between both but by can cant could couldn did didn didnt do does doesn doesnt
doing don dont down during each few for from further had hadn has hasn have haven having he her
here hers herself him himself his how i id if im in into is isn isnt it its itself ive just ll
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own re s same she should shouldn so some such t than that thats the their theirs them themselves
then there these they this those through to too under until up us very was wasn we were weren
what whats where which while who whom why will with won would wouldn y you your youre yours
yourself yourselves ve d m o
anyone anything everything something someone somebody thing things stuff lot lots bit
tell telling know knowing want wanting need needs needed needing keep keeps keeping kept
please thanks thank hi hello hey ok okay yes yeah really actually exactly just maybe perhaps
get gets getting got go goes going gone went come comes coming make makes made making
give gives giving gave given
look looks looking try tries trying tried wonder wondering curious question questions ask
idea good bad best better way ways much many lately currently recently always sometimes often
also even still since ever never well oh um uh hmm anyway guess think thought say said seem
seems seemed
arent aint couldnt didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt neednt shant
shouldnt wasnt werent wont wouldnt ive youve weve theyve youd hed shed wed theyd youll
theyll theyre thats theres heres whats whos hows wheres lets gonna wanna gotta kinda
sorta bc cuz coz u ur pls plz rn tho thx btw imo lol
suggest suggestion suggestions recommend recommendation recommendations advice advise
tip tips trick tricks info information details explain describe overview
hope hoping mind asking wondering whether genuinely honestly truly rather quite somewhat finally
basically literally anybody everybody everyone somebody lately
ugh argh ah oh ohh ooh wow omg lol lmao rofl haha hahaha hmm hmmm um umm uh er eh yikes jeez
geez gosh damn dang darn fuck fucking fuckin fck fcking frick freaking frickin effing wtf shit
shitty crap crappy hell bloody ffs smh idk tbh ngl imho fwiw sigh dude man bro yall
wat wht wut hw hv ppl pple cuz wud shud cud abt bcuz bcos becuz thru tho
use used uses using problem problems issue issues somewhere anywhere someplace therapeutic
consider considered considering experience experienced experiences perhaps heard
offer offers information info read
""".split())

# Words that only join clauses or count ("despite", "several"), left out of queries as stop words
# are ("several" is no "severity", though they share a stem). Apart from STOP_WORDS so the safety
# model's features, learned with these words, stay as they were.
_JOINING = frozenset("despite notwithstanding although though whereas several various".split())
# Every word a query leaves out: what is left are the content words (`Tokenizer.terms`, `runs`).
_NOT_CONTENT = STOP_WORDS | _JOINING

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f]")

_stemmer = snowballstemmer.stemmer("english")


# How many texts' normalised forms and words are remembered: one message is read by every
# stage (the screen, the reader, retrieval), each asking for its words again; a message, its
# sentences and the few earlier turns fit many times over.
REMEMBERED_TEXTS = 256


@lru_cache(maxsize=REMEMBERED_TEXTS)
def normalise(text: str) -> str:
    """Lower-case text with compatibility forms folded and accents removed ("Café" -> "cafe")."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).casefold()


def words(text: str) -> list[str]:
    """Plain lower-case words; hyphens split words, apostrophes are dropped ("can't" -> "cant")."""
    return list(_words(text))


@lru_cache(maxsize=REMEMBERED_TEXTS)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w.replace("'", "") for w in _WORD.findall(normalise(text)))


def forget_texts() -> None:
    """Forget the remembered texts' normalised forms and words (a benchmark's cold start)."""
    normalise.cache_clear()
    _words.cache_clear()


class Remembered:
    """A bounded map, safe to share between threads: the least recently used entry goes first.
    Holds the results of pure functions of a message, so it never changes what an answer is."""

    def __init__(self, size: int):
        self._size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def get_or_make(self, key, make: Callable):
        """The value under `key`; made by `make(key)` and kept if there is none yet."""
        value = self.get(key)
        if value is None:
            value = make(key)
            self.put(key, value)
        return value


def strip_controls(text: str) -> str:
    """Text without control or invisible formatting characters (newlines and tabs become spaces)."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem of one lower-case word; a thing or person named after what
    it does keeps its own ("massager", a device, is not "massage", the therapy)."""
    found = _stemmer.stemWord(word)
    singular = word[:-1] if word.endswith("ers") else word
    return singular if _named_for(singular, found) else found


def _named_for(word: str, found: str) -> bool:
    """True for an -er noun of a word ending in e whose Snowball stem `found` is that word's:
    "massager" for "massage" (not "consider": "conside" is no word)."""
    return word.endswith("er") and _stemmer.stemWord(word[:-1]) == found and \
        is_word(word[:-1])


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    """How common `word` is in English: about 7 for "the", 3 for rare words, 0 when unlisted."""
    return zipf_frequency(word, "en", wordlist="small")


# Languages visitors in Edmonton may write in, besides English, whose wordfreq lists are used
# to tell a message in one of them (French, Spanish, Filipino, Portuguese, Italian, German,
# Polish, Vietnamese); a message mostly in another script is told by its letters.
OTHER_LANGUAGES = ("fr", "es", "fil", "pt", "it", "de", "pl", "vi")
_LANGUAGE_WORDS = 40   # words of a message looked at, at most
_ENGLISH_ENOUGH = 4.0  # a message whose words are this common in English on average is English
_OTHER_MARGIN = 1.0    # another language must know the words this much better than English


def load_languages() -> None:
    """Read the other languages' word lists now (about 0.1 s and 22 MB), not on the first
    message in another language."""
    for lang in OTHER_LANGUAGES:
        zipf_frequency("a", lang, wordlist="small")


def other_language(text: str) -> bool:
    """True when a message is written in another language than English: mostly in another
    script ("我想死"), or in words another language knows much better ("je veux mourir").
    A message of one or two words, or of English words and typos, is English."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if sum(1 for ch in letters if ord(ch) > 0x24F) * 2 > len(letters):
        return True
    ws = [w for w in words(text) if w.isalpha()][:_LANGUAGE_WORDS]
    if len(ws) < 3:  # "fascia release" is English, though "fascia" is an Italian word too
        return False
    english = sum(zipf(w) for w in ws) / len(ws)
    if english >= _ENGLISH_ENOUGH:
        return False
    return any(sum(zipf_frequency(w, lang, wordlist="small") for w in ws) / len(ws)
               >= english + _OTHER_MARGIN for lang in OTHER_LANGUAGES)


# A word at least this common in English is a real word, not a typo.
REAL_WORD_ZIPF = 3.0
# The same test on wordfreq's large list, which also knows rarer and inflected forms
# ("stroked", "clots", "lopsided") while typos stay under it ("sucide" 1.4, "syndrom" 1.6).
LARGE_LIST_WORD_ZIPF = 2.3


@lru_cache(maxsize=50_000)
def is_word(word: str) -> bool:
    """True for a real English word (including rare and inflected ones), False for a typo."""
    return zipf_frequency(word, "en", wordlist="large") >= LARGE_LIST_WORD_ZIPF


def specificity(word: str) -> float:
    """How much a word says about a question's topic: 1 for rare words, down to 0.15 for the
    commonest ("time", "see"); numbers ("3am", "2025") say little."""
    if any(ch.isdigit() for ch in word):
        return 0.2
    return min(1.0, max(0.15, (7.0 - zipf(word)) / 4.0))


def _max_typos(word: str) -> int:
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


class Term(NamedTuple):
    """One content word of a text: the word as read (after synonyms) and its stem."""

    word: str
    stem: str


class Tokenizer:
    """Turns passages and questions into the same stemmed tokens.

    `synonyms` maps a visitor's phrase (any case, hyphens allowed) to the article's words.
    `vocabulary` is every word the knowledge base uses; a question's unknown word within one
    typo (two for words of 8+ letters) of a vocabulary word is read as that word.
    """

    def __init__(self, synonyms: Mapping[str, str] | None = None,
                 vocabulary: Iterable[str] | Mapping[str, int] = ()):
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, means in (synonyms or {}).items():
            key = tuple(words(phrase))
            if key:
                table[key] = tuple(words(means))
        self._synonyms = table
        self._longest = max((len(k) for k in table), default=0)
        # How often each word is used in the knowledge base: between two equally close words, a
        # typo is read as the commoner ("masage" is "massage", not "manage").
        self._counts = dict(vocabulary) if isinstance(vocabulary, Mapping) else {}
        known = set(vocabulary) | STOP_WORDS
        for key, value in table.items():
            known.update(key)
            known.update(value)
        self.vocabulary = frozenset(known)
        # By first letter (typos rarely hit it, and a message of hundreds of unknown words
        # stays fast), sorted so that ties are broken the same way every run.
        self._choices: dict[str, list[str]] = {}
        for word in sorted(w for w in self.vocabulary if len(w) >= 3 and not w.isdigit()):
            self._choices.setdefault(word[0], []).append(word)
        self._corrections: dict[str, str | None] = {}
        # One message is spelled and read by several stages of an ask (the reader, retrieval,
        # the clinic's facts): each text's words are worked out once.
        self._spellings = Remembered(REMEMBERED_TEXTS)
        self._terms = Remembered(REMEMBERED_TEXTS)

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` is a typo of, or None when it is not close to one."""
        if word in self.vocabulary:
            return word
        if word in self._corrections:
            return self._corrections[word]
        if word.endswith(("er", "ers")) and stem(word) != _stemmer.stemWord(word):
            return None  # "massager" is a word of its own, not a typo of "massage"
        limit = _max_typos(word) if zipf(word) < REAL_WORD_ZIPF else 0
        best = None
        if limit:
            found = process.extract(word, self._choices.get(word[0], ()),
                                    scorer=DamerauLevenshtein.distance, score_cutoff=limit,
                                    limit=8)
            if found:
                closest = min(score for _, score, _ in found)
                tied = [choice for choice, score, _ in found if score == closest]
                best = max(tied, key=lambda c: self._counts.get(c, 0))
        if len(self._corrections) < 50_000:
            self._corrections[word] = best
        return best

    def spelled(self, text: str) -> list[str]:
        """The words of `text` with typos corrected; unknown words are kept as they are."""
        return list(self._spellings.get_or_make(text, self._spell))

    def _spell(self, text: str) -> tuple[str, ...]:
        return tuple(self.correct(w) or w for w in _words(text))

    def expand(self, plain: Sequence[str]) -> list[str]:
        """Words with synonym phrases (longest first) replaced by the article's words."""
        out: list[str] = []
        i = 0
        while i < len(plain):
            for size in range(min(self._longest, len(plain) - i), 0, -1):
                replacement = self._synonyms.get(tuple(plain[i:i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(plain[i])
                i += 1
        return out

    def terms(self, text: str) -> list[Term]:
        """The content words of `text` with their stems, in order (duplicates kept)."""
        return list(self._terms.get_or_make(text, self._read_terms))

    def _read_terms(self, text: str) -> tuple[Term, ...]:
        expanded = self.expand(self._spellings.get_or_make(text, self._spell))
        return tuple(Term(w, stem(w)) for w in expanded
                     if w not in _NOT_CONTENT)

    def runs(self, text: str) -> list[list[str]]:
        """The stems of `text`'s content words, in runs of words side by side (a stop word
        between two ends a run): "a leg massage for sleep" is [["leg", "massag"], ["sleep"]]."""
        out: list[list[str]] = [[]]
        for w in self.expand(self.spelled(text)):
            if w in _NOT_CONTENT:
                if out[-1]:
                    out.append([])
            else:
                out[-1].append(stem(w))
        return [run for run in out if run]

    def tokens(self, text: str) -> list[str]:
        """The stemmed content tokens of `text`, in order (duplicates kept)."""
        return [term.stem for term in self.terms(text)]
