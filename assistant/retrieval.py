"""Rank passages for a question with BM25, judge whether one answers it, and cut what to quote.

Entry point: `Retriever(knowledge, tokenizer).search(query, prefer) -> list[Hit]`, then
`coverage(query, passage_id)` and `unit(passage_id, query, avoid) -> Unit`.

The index is built once per Knowledge and never changed afterwards. Scoring follows rank-bm25;
the extra work here is abstention: a passage answers only when it covers most of the question's
informative words, because BM25 alone ranks *some* passage first for any question that shares
the word "massage" with the article.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from .knowledge import Knowledge, Passage
from .text import Term, Tokenizer, is_word, specificity, words

VARIANTS = {"okapi": BM25Okapi, "l": BM25L, "plus": BM25Plus}
Query = Mapping[str, float]


def query(terms: Iterable[Term], known: frozenset[str] = frozenset(),
          weight: float = 1.0) -> dict[str, float]:
    """A text's stems weighted by how specific each word is (summed over repeats).

    A word neither the knowledge base nor everyday English knows (a typo left uncorrected, a
    name, a drug) is left out: it says nothing about the topic, and must not outweigh it.
    """
    weights: dict[str, float] = {}
    for term in terms:
        if len(term.word) < 2 or (known and term.word not in known and not is_word(term.word)):
            continue
        weights[term.stem] = weights.get(term.stem, 0.0) + weight * specificity(term.word)
    return weights


def combine(*queries: Query) -> dict[str, float]:
    """Several weighted queries as one (weights added)."""
    merged: dict[str, float] = {}
    for q in queries:
        for stem, weight in q.items():
            merged[stem] = merged.get(stem, 0.0) + weight
    return merged


@dataclass(frozen=True)
class Settings:
    """Ranking and abstention parameters, chosen by measurement (see bench/tune.py)."""

    variant: str = "plus"
    k1: float = 1.2
    b: float = 0.5
    title_weight: int = 2
    section_weight: int = 1
    question_weight: int = 1
    keyword_weight: int = 1
    min_coverage: float = 0.5
    unknown_weight: float = 2.0
    story_weight: float = 0.2
    context_weight: float = 0.5
    kind_boost: float = 0.6
    neighbour_ratio: float = 0.4
    distinctive_idf: float = 1.0
    # Two words side by side count as a phrase when so few passages use them so.
    phrase_idf: float = 1.5
    topical_weight: float = 0.4
    kind_word_idf: float = 0.3
    neutral_factor: float = 0.3
    max_citations: int = 3
    max_quote_chars: int = 900
    # A passage this short is quoted whole: its second sentence is usually what the first is
    # for ("This technique applies firm pressure... It helps alleviate tension... RLS").
    whole_passage_chars: int = 250

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {sorted(VARIANTS)}, got {self.variant!r}")
        if not 0 <= self.min_coverage <= 1:
            raise ValueError(f"min_coverage must be between 0 and 1, got {self.min_coverage}")
        if self.max_citations < 1:
            raise ValueError(f"max_citations must be at least 1, got {self.max_citations}")


@dataclass(frozen=True)
class Hit:
    """One ranked passage: its score and how much of the question it covers (0..1)."""

    passage_id: str
    score: float
    coverage: float


@dataclass(frozen=True)
class Item:
    """One entry of a quoted list: the item passage's title and the sentence quoted from it."""

    passage_id: str
    title: str
    text: str


@dataclass(frozen=True)
class Unit:
    """What to quote from a passage: its sentences (`text`, verbatim, list lines as "- ..."),
    or for a list, its introduction and one sentence per item. `parts` are the (passage id,
    sentence index) pairs quoted, so a follow-up can avoid repeating them."""

    passage_id: str
    text: str
    items: tuple[Item, ...] = ()
    parts: frozenset[tuple[str, int]] = frozenset()

    @property
    def snippet(self) -> str:
        """Every word quoted, as plain verbatim text."""
        lines = [self.text] if self.text else []
        lines += [f"- {item.text}" for item in self.items]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Sentence:
    """A quotable piece of a passage: a sentence, or one list line."""

    text: str
    tokens: frozenset[str]
    line: int
    item: bool


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_STRETCH = re.compile(r"[,;:.!?()\u2013\u2014\n]|\s-\s")
_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d+\.)\s+")


def units(text: str) -> list[tuple[str, int, bool]]:
    """(sentence, line number, is list line) for each sentence or list line of a passage."""
    out = []
    for number, line in enumerate(text.splitlines()):
        item = bool(_ITEM.match(line))
        body = _ITEM.sub("", line).strip()
        if not body:
            continue
        pieces = [body] if item else _SENTENCE_END.split(body)
        out.extend((piece.strip(), number, item) for piece in pieces if piece.strip())
    return out


# Everyday words for how one feels, read as the word health articles use for it ("how does
# massage help emotionally?" asks about stress). The knowledge base's own synonyms come first.
FEELINGS = dict.fromkeys(("emotional", "emotionally", "emotion", "emotions",
                          "psychologically", "mood", "moods"), "stress")


def tokenizer_for(knowledge: Knowledge) -> Tokenizer:
    """The tokeniser for this knowledge base: its synonyms, and its words as the vocabulary."""
    synonyms = {**FEELINGS,
                **{word: entry.means for entry in knowledge.synonyms for word in entry.words}}
    vocabulary: Counter[str] = Counter()
    for passage in knowledge.passages:
        for field in (passage.text, passage.title, passage.section, *passage.questions,
                      *passage.keywords):
            vocabulary.update(words(field))
    for rule in knowledge.safety:
        for trigger in (*rule.triggers, *rule.unless):
            vocabulary.update(words(trigger.replace("|", " ").replace("+", " ")))
    for intent in knowledge.smalltalk:
        for phrase in intent.phrases:
            vocabulary.update(words(phrase))
    for group in (*knowledge.not_covered, *knowledge.kinds):
        for pattern in group.words:
            vocabulary.update(words(pattern.replace("|", " ").replace("+", " ")))
    return Tokenizer(synonyms, vocabulary)


def _leans_back(sentence: str) -> bool:
    """True for a sentence that needs the one before it ("This technique...", "It ...")."""
    return bool(re.match(r"^(This|These|That|Those|It|They|Since|By applying)\b", sentence))


class Retriever:
    """A BM25 index over the passages' text, title, alternate questions and keywords."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer,
                 settings: Settings = Settings()):
        self.settings = settings
        self.tokenizer = tokenizer
        self.passages: dict[str, Passage] = {p.id: p for p in knowledge.passages}
        self.owner = {item: p.id for p in knowledge.passages for item in p.items}
        self._ids = [p.id for p in knowledge.passages]
        self._index = {pid: i for i, pid in enumerate(self._ids)}
        self.neutral = frozenset(tokenizer.tokens(
            f"{knowledge.clinic.name} {knowledge.clinic.city}"))
        tokenize = tokenizer.tokens
        corpus = []
        for passage in knowledge.passages:
            doc = tokenize(passage.text)
            doc += tokenize(passage.title) * settings.title_weight
            doc += tokenize(passage.section) * settings.section_weight
            for question in passage.questions:
                doc += tokenize(question) * settings.question_weight
            for keyword in passage.keywords:
                doc += tokenize(keyword) * settings.keyword_weight
            for item in passage.items:
                # A list is found by its items' names, not by everything they say.
                if item in self.passages:
                    doc += tokenize(self.passages[item].title)
            corpus.append(doc or ["<empty>"])
        self._vocab = [frozenset(doc) for doc in corpus]
        self._bm25 = VARIANTS[settings.variant](corpus, k1=settings.k1, b=settings.b)
        n = len(corpus)
        df: dict[str, int] = {}
        for doc in self._vocab:
            for token in doc:
                df[token] = df.get(token, 0) + 1
        self._weight = {t: _idf(n, d) for t, d in df.items()}
        self._sentences = {
            p.id: tuple(_Sentence(text, frozenset(tokenize(text)), line, item)
                        for text, line, item in units(p.text))
            for p in knowledge.passages
        }
        self._title_tokens = {p.id: frozenset(tokenize(p.title)) for p in knowledge.passages}
        # Titles with a telling word in them: the ones a question can name a topic by.
        self._telling_titles = tuple(title for title in self._title_tokens.values()
                                     if self.topical(dict.fromkeys(title, 1.0)))
        # Two words side by side in a sentence of a few passages only ("leg massage",
        # "relaxation massage"), and those passages: a question using them names what
        # those sentences speak of, though each word alone is everywhere.
        users: dict[tuple[str, str], set[str]] = {}
        for p in knowledge.passages:
            for pair in self._pairs(p.text):
                users.setdefault(pair, set()).add(p.id)
        self._phrases = {pair: frozenset(ids) for pair, ids in users.items()
                         if _idf(n, len(ids)) >= settings.phrase_idf}

    # --- queries and ranking -----------------------------------------------------------------

    def query(self, text: str, weight: float = 1.0) -> dict[str, float]:
        """The weighted query of a text (see `query`)."""
        return query(self.tokenizer.terms(text), self.tokenizer.vocabulary, weight)

    def unknown(self, text: str) -> list[str]:
        """The words of `text` that neither the knowledge base nor everyday English knows
        (left out of queries): a typo, a name, a drug, or a word for something the article
        never mentions ("effleurage")."""
        known = self.tokenizer.vocabulary
        return [t.word for t in self.tokenizer.terms(text)
                if len(t.word) >= 4 and t.word.isalpha() and t.word not in known
                and not is_word(t.word)]

    def weight(self, token: str) -> float:
        """How informative a stem is in this collection: its IDF, or `unknown_weight` if unseen."""
        return self._weight.get(token, self.settings.unknown_weight)

    def topical(self, q: Query) -> set[str]:
        """The stems of `q` that point to particular passages: rare in the collection, and not
        among everyday English's commonest words."""
        return {t for t, w in q.items()
                if w >= self.settings.topical_weight
                and self._weight.get(t, 0.0) >= self.settings.distinctive_idf}

    def particular(self, q: Query) -> set[str]:
        """The stems of `q` that say something particular: the topical ones, and the words
        the article never uses (weighed like them)."""
        return self.topical(q) | {t for t, w in q.items()
                                  if w >= self.settings.topical_weight and t not in self._weight}

    def phrased(self, text: str) -> frozenset[str]:
        """The passages using, side by side in one sentence, two words that `text` has side
        by side and few passages use so ("what are the benefits of a leg massage?")."""
        return frozenset().union(*(self._phrases.get(pair, ()) for pair in self._pairs(text)))

    def _pairs(self, text: str) -> set[tuple[str, str]]:
        """The content words of `text` side by side: no stop word or punctuation between."""
        return {pair for stretch in _STRETCH.split(text) for run in self.tokenizer.runs(stretch)
                for pair in zip(run, run[1:], strict=False) if pair[0] != pair[1]}

    def titled(self, particular: set[str], asked: set[str]) -> bool:
        """True when a question names a passage's topic: one passage's title has all its
        particular stems ("trigger point therapy, what's that?"), or all of one's title, with
        a telling word in it, is among the stems it asks with ("why does my therapist use
        reflexology on my feet?"; not "What RLS is" in "is this RLS?")."""
        return any(particular <= title for title in self._title_tokens.values()) or \
            any(title <= asked for title in self._telling_titles)

    def named(self, passage_id: str, asked: Iterable[str]) -> bool:
        """True when a question's stems include all of the passage's title ("what is RLS?"
        and "What RLS is")."""
        return self._title_tokens[passage_id] <= set(asked)

    def mentions(self, unit: Unit, stems: Iterable[str], strict: bool = False) -> bool:
        """True when the quoted sentences of `unit` contain one of these stems (or, unless
        `strict`, when no sentence of its passage does)."""
        wanted = set(stems)
        if not strict and not any(wanted & s.tokens for s in self._sentences[unit.passage_id]):
            return True
        return any(wanted & self._sentences[pid][i].tokens for pid, i in unit.parts)

    def known(self, token: str) -> bool:
        """True when some passage contains the stem."""
        return token in self._weight

    def coverage(self, q: Query, passage_id: str) -> float:
        """Share of the question's informative weight that the passage contains.

        The clinic's name and city count for less (`neutral_factor`): "Edmonton" in "what's
        the weather in Edmonton" says where, not what, is asked.
        """
        vocab = self._vocab[self._index[passage_id]]
        factor = self.settings.neutral_factor
        q = {t: w * factor if t in self.neutral else w for t, w in q.items()}
        total = sum(self.weight(t) * w for t, w in q.items())
        if not total:
            return 1.0
        return sum(self.weight(t) * w for t, w in q.items() if t in vocab) / total

    def scores(self, q: Query) -> list[float]:
        """Each passage's BM25 score for the weighted query, in file order.

        Each stem's contribution is scaled by its query weight, so common words such as
        "time" count for less than "cramps".
        """
        scores = [0.0] * len(self._ids)
        for token, w in q.items():
            if w <= 0 or token not in self._weight:
                continue
            for i, s in enumerate(self._bm25.get_scores([token])):
                scores[i] += w * s
        return scores

    def search(self, q: Query, prefer: Mapping[str, float] | None = None,
               coverage_of: Query | None = None, top_k: int = 3) -> list[Hit]:
        """The `top_k` best passages, best first (score > 0 only). A passage in `prefer` has
        its score multiplied by (1 + its factor); coverage is measured on `coverage_of`
        (default: the whole query)."""
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        prefer = prefer or {}
        scores = [s * (1 + prefer.get(pid, 0.0))
                  for s, pid in zip(self.scores(q), self._ids, strict=True)]
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top_k]
        measured = q if coverage_of is None else coverage_of
        return [Hit(self._ids[i], float(scores[i]), self.coverage(measured, self._ids[i]))
                for i in order if scores[i] > 0]

    # --- what to quote -----------------------------------------------------------------------

    def unit(self, passage_id: str, q: Query, avoid: frozenset = frozenset(),
             whole_list: bool = False, limit: int = 3) -> Unit | None:
        """What to quote from a passage for this question; None when all of it was just quoted.

        A list passage is quoted whole: its introduction and one sentence per item (the one that
        best matches the item's title). An item of a list comes under the list's introduction.
        Otherwise the best-matching sentence, with the neighbours that also match, the sentence
        it leans on ("This technique..."), or the list it introduces ("...include:").
        """
        passage = self.passages[passage_id]
        if passage.items or whole_list:
            unit = self._list_unit(passage)
            return None if unit.parts <= avoid else unit
        unit = self._sentence_unit(passage_id, q, avoid, limit)
        owner = self.owner.get(passage_id)
        if unit is None or owner is None or not self.passages[owner].text:
            return unit
        intro = self.passages[owner].text.strip()
        return Unit(passage_id, f"{intro}\n- {unit.text}" if _is_line(unit, self) else
                    f"{intro}\n{unit.text}", parts=unit.parts)

    def joined(self, first: Unit, second: Unit) -> Unit:
        """One quote of a passage two asks of a message chose different sentences of ("Does
        anyone get charley horses at night? What can I do to prevent them?"): the sentences of
        both, in the passage's order. A list, or an item quoted under its list's introduction,
        stays as first chosen; so does a quote that would grow past `max_quote_chars`. The
        sentences between them come too: a quote never skips a sentence unmarked."""
        pid = first.passage_id
        owner = self.owner.get(pid)
        if first.items or second.items or owner is not None and self.passages[owner].text or \
                second.passage_id != pid or second.parts <= first.parts:
            return first
        indices = [i for _, i in first.parts | second.parts]
        chosen = range(min(indices), max(indices) + 1)
        text = _join([self._sentences[pid][i] for i in chosen])
        if len(text) > self.settings.max_quote_chars:
            return first
        return Unit(pid, text, parts=frozenset((pid, i) for i in chosen))

    def _list_unit(self, passage: Passage) -> Unit:
        items = []
        budget = self.settings.max_quote_chars - len(passage.text)
        for item_id in passage.items:
            item = self.passages.get(item_id)
            if item is None or not self._sentences[item_id]:
                continue
            lead = self._lead(item_id)
            if len(lead) > budget:
                break
            budget -= len(lead)
            items.append(Item(item_id, item.title, lead))
        parts = {(passage.id, i) for i in range(len(self._sentences[passage.id]))}
        parts |= {(item.passage_id, i) for item in items
                  for i, s in enumerate(self._sentences[item.passage_id]) if s.text == item.text}
        return Unit(passage.id, passage.text.strip(), tuple(items), frozenset(parts))

    def _lead(self, passage_id: str) -> str:
        """The sentence of a list item that best matches its title (the first on a tie)."""
        sentences = self._sentences[passage_id]
        title = self._title_tokens[passage_id]
        best = max(range(len(sentences)),
                   key=lambda i: (len(sentences[i].tokens & title), -i))
        return sentences[best].text

    def _sentence_unit(self, passage_id: str, q: Query, avoid: frozenset,
                       limit: int = 3) -> Unit | None:
        parts = self._sentences[passage_id]
        if not parts:
            return None
        fresh = [i for i in range(len(parts)) if (passage_id, i) not in avoid]
        if not fresh:
            return None
        if all(p.item for p in parts) and sum(len(p.text) for p in parts) <= 200 or \
                limit > 1 and sum(len(p.text) for p in parts) <= self.settings.whole_passage_chars:
            chosen = fresh
        else:
            # fsum: the same total whatever order the set gives its words in, so sentences
            # that score alike always tie, and the first of them is quoted.
            scores = [math.fsum(self.weight(t) * q[t] for t in p.tokens if t in q)
                      for p in parts]
            best = max(fresh, key=lambda i: (scores[i], -i))
            chosen = [best]
            if parts[best].item:
                lead = next((i for i in range(best - 1, -1, -1) if not parts[i].item), None)
                if lead is not None and parts[lead].text.endswith(":"):
                    chosen.insert(0, lead)
            elif best > 0 and limit > 1 and _leans_back(parts[best].text) and \
                    (passage_id, best - 1) not in avoid:
                # With one sentence asked for (a follow-up), the reply's bold title names "It".
                chosen.insert(0, best - 1)
            floor = max(scores[best] * self.settings.neighbour_ratio, 1e-9)
            while len(chosen) < limit and not parts[chosen[-1]].text.endswith(":"):
                before, after = min(chosen) - 1, max(chosen) + 1
                options = [i for i in (before, after) if 0 <= i < len(parts)
                           and scores[i] >= floor and parts[i].item == parts[best].item
                           and (passage_id, i) not in avoid]
                if not options:
                    break
                chosen.append(max(options, key=lambda i: scores[i]))
                chosen.sort()
            if parts[chosen[-1]].text.endswith(":"):
                # An introduction always comes with its list, whichever way it was reached.
                chosen += [i for i in range(chosen[-1] + 1, len(parts)) if parts[i].item]
        return Unit(passage_id, _join([parts[i] for i in chosen]),
                    parts=frozenset((passage_id, i) for i in chosen))


def _idf(n: int, d: int) -> float:
    """How informative something found in `d` of `n` passages is (BM25's IDF, never negative)."""
    return math.log(1 + (n - d + 0.5) / (d + 0.5))


def _is_line(unit: Unit, retriever: Retriever) -> bool:
    """True when the quoted text is a list line of its passage (shown as "- ...")."""
    return all(retriever._sentences[pid][i].item for pid, i in unit.parts) and \
        not unit.text.startswith("- ")


def _join(parts: Sequence[_Sentence]) -> str:
    lines: list[str] = []
    previous = None
    for unit in parts:
        if unit.item:
            lines.append(f"- {unit.text}")
        elif previous is not None and not previous.item and previous.line == unit.line:
            lines[-1] += " " + unit.text
        else:
            lines.append(unit.text)
        previous = unit
    return "\n".join(lines)
