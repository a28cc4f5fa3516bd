"""A new article, from pasted or uploaded text to draft passages. Pure: text in, data out.

    junk(text) -> [Junk]           lines that look like web-page clutter (menus, share buttons,
                                   cookie notices, copyright lines), for staff to confirm
    cleaned(text, drop) -> str     the text without the confirmed lines, ready to keep as the
                                   article's source text
    drafts(text, title) -> [Draft] the text split into passages along its headings, paragraphs
                                   and lists (a list with the sentence that introduces it), each
                                   quoted word for word, with starting alternate questions
                                   made from its heading and first sentence (staff improve them)
    slug(text), unique(base, taken) ids for the article and its passages

The staff page and `python -m assistant import-article` both use these, then save the article
with assistant.editing (ImportArticle): planned, validated, then written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .text import STOP_WORDS, is_word, words, zipf

# A question needs this many: the schema asks 2 to 6 alternate questions per passage.
MIN_QUESTIONS = 2
# A paragraph shorter than this is joined to the next one of its section ("Book now!").
SHORT_PARAGRAPH = 60
HEADING_MAX_CHARS = 90
INTRODUCTION = "Introduction"

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013\u25aa\u25cf]|\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+")
_MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"\u201c(])")


@dataclass(frozen=True)
class Junk:
    """A line (1-based `line`) that looks like page clutter, and why (`reason`, for staff)."""

    line: int
    text: str
    reason: str


_JUNK = (
    ("a menu or navigation link", re.compile(
        r"^(home|menu|about( us)?|contact( us)?|services|blog|news|search( for)?:?|skip to "
        r"(main )?content|back to top|main menu|navigation|book now|book online|book an "
        r"appointment|call (us|now)|request an appointment|previous( post)?|next( post)?|"
        r"related (posts|stories|articles)|latest (posts|stories|articles)|recent posts|"
        r"categories|archives|table of contents|read more|continue reading|click here|"
        r"learn more|load more|see more)\W*$", re.I)),
    ("a menu (links side by side)", re.compile(r"^[^.!?]{1,80}(\s[|\u00bb>/]\s[^.!?]"
                                                       r"{1,40}){2,}$")),
    ("a share button", re.compile(
        r"^(share( this( post| article)?)?( on \w+)?|tweet( this)?|pin it|email this|print( this"
        r")?|facebook|twitter|x|linkedin|instagram|pinterest|whatsapp|reddit|copy link)\W*$",
        re.I)),
    ("a cookie or privacy notice", re.compile(
        r"(\bcookies?\b|^accept( all)?\W*$|^privacy policy\W*$|^terms( of (use|service)| and "
        r"conditions)?\W*$|^(reject|decline)( all)?\W*$)", re.I)),
    ("a copyright line", re.compile(r"(\u00a9|\(c\)\s*\d{4}|^copyright\b|all rights reserved)",
                                    re.I)),
    ("an author or date line", re.compile(
        r"^((posted|published|updated|written)( on| by)?\b.{0,80}|by [A-Z][\w.' -]{1,40}( [|,"
        r"\u2022\u00b7-] .{0,40})?|date:?|((monday|tuesday|wednesday|thursday|friday|saturday|"
        r"sunday),? )?(january|february|march|april|may|june|july|august|september|october|"
        r"november|december) \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}|tags?:.*|categor(y|ies):.*|filed "
        r"under.*)\W*$", re.I)),
    ("a comment box", re.compile(r"^(leave a (comment|reply)|\d+ comments?|comments?( \(\d+\))?"
                                 r"|no comments( yet)?|post comment|reply)\W*$", re.I)),
    ("a web address", re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)),
    ("a teaser of another page (it ends with ...)", re.compile(r"^.{0,200}(\.\.\.|\u2026)$")),
)


_TEASER = _JUNK[-1][0]


def junk(text: str) -> list[Junk]:
    """The lines of `text` that look like web-page clutter rather than the article: each line
    matching one of the kinds above, and the title line right above a teaser."""
    found: dict[int, Junk] = {}
    previous: tuple[int, str] | None = None  # the last line with text
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        for reason, pattern in _JUNK:
            if pattern.search(stripped):
                found[number] = Junk(number, stripped, reason)
                break
        if number in found and found[number].reason == _TEASER and previous is not None and \
                previous[0] not in found and len(previous[1]) <= HEADING_MAX_CHARS and \
                not previous[1].endswith("."):
            found[previous[0]] = Junk(previous[0], previous[1], "the title of a teaser of "
                                                                "another page")
        previous = number, stripped
    return sorted(found.values(), key=lambda j: j.line)


def cleaned(text: str, drop: Collection[int] = ()) -> str:
    """`text` without the lines numbered in `drop` (1-based), spaces at line ends and runs of
    blank lines, ending with one line break; Unicode NFC, line breaks made plain."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = [line.rstrip() for number, line in enumerate(text.split("\n"), start=1)
            if number not in drop]
    out: list[str] = []
    for line in kept:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    return "\n".join(out).strip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# Splitting into passages.


@dataclass(frozen=True)
class Draft:
    """A draft passage: its section heading, title, text (the article's own lines; list items
    as "- ..." lines after their introduction) and starting alternate questions."""

    section: str
    title: str
    text: str
    questions: tuple[str, ...]


@dataclass
class _Block:
    lines: list[str]

    @property
    def one_line(self) -> bool:
        return len(self.lines) == 1


def _blocks(text: str) -> list[_Block]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def _is_item(line: str) -> bool:
    return bool(_BULLET.match(line))


def _item_text(line: str) -> str:
    return _BULLET.sub("", line).strip()


def _heading(block: _Block, following: _Block | None) -> tuple[int, str] | None:
    """(level, heading) when the block is a heading: 1 a section, 2 a numbered or smaller one
    inside it; None otherwise."""
    if not block.one_line:
        return None
    line = block.lines[0]
    marked = _MARKDOWN_HEADING.match(line)
    if marked:
        return (1 if len(marked.group(1)) <= 2 else 2), line[marked.end():].strip()
    if len(line) > HEADING_MAX_CHARS or re.search(r"[.!,;]$", line):
        return None
    if line.endswith(":") and following is not None and all(map(_is_item, following.lines)):
        return None  # the introduction of the list that follows
    if _NUMBERED.match(line):
        return 2, _NUMBERED.sub("", line).strip()
    if _is_item(line):
        return None
    return 1, line.rstrip(":").strip()


def drafts(text: str, title: str = "") -> list[Draft]:
    """The article split into draft passages: one per paragraph (a short one joined to the
    next), one per list with its introduction, each under its heading. A first line repeating
    the article's `title` is left out. The first passage under a heading is titled by it; the
    others by their first words."""
    blocks = _blocks(text)
    if blocks and title and _same_words(" ".join(blocks[0].lines), title):
        blocks = blocks[1:]
    split = _Split()
    for n, block in enumerate(blocks):
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        heading = _heading(block, following)
        if heading is not None:
            split.flush()
            split.heading(*heading)
        elif all(map(_is_item, block.lines)):
            split.list_items([f"- {_item_text(line)}" for line in block.lines])
        else:
            lines = _paragraph_lines(block)
            introduces = lines[-1].endswith(":") and following is not None and \
                all(map(_is_item, following.lines))
            split.paragraph(lines, wait=introduces)
    split.flush()
    return split.out


class _Split:
    """The state of one split: the headings in force and the lines not made a draft yet."""

    def __init__(self):
        self.out: list[Draft] = []
        self.section, self.subheading = INTRODUCTION, ""
        self.titled = False  # the current heading has titled a draft already
        self.pending: list[str] = []

    def heading(self, level: int, name: str) -> None:
        if level == 1:
            self.section, self.subheading = name, ""
        else:
            self.subheading = name
        self.titled = False

    def paragraph(self, lines: list[str], wait: bool) -> None:
        self.pending += lines
        if not wait and len(" ".join(self.pending)) >= SHORT_PARAGRAPH:
            self.flush()

    def list_items(self, items: list[str]) -> None:
        if not self.pending and self.out and self.out[-1].text.endswith(":") and \
                self.out[-1].section == self.section:
            last = self.out.pop()  # a list introduced by the paragraph just made a draft
            self.pending, self.titled = last.text.splitlines(), False
        self.pending += items
        self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        lines, self.pending = self.pending, []
        heading = self.subheading or (self.section if self.section != INTRODUCTION else "")
        title = heading if heading and not self.titled else _first_words(lines)
        self.titled = self.titled or title == heading
        self.out.append(Draft(section=self.section, title=title, text="\n".join(lines),
                              questions=questions(title, lines, heading)))


def _paragraph_lines(block: _Block) -> list[str]:
    """A paragraph's lines: items of a list inside it become "- " lines, the rest is one line
    (a paragraph wrapped over several lines is one)."""
    lines: list[str] = []
    prose: list[str] = []
    for line in block.lines:
        if _is_item(line):
            if prose:
                lines.append(" ".join(prose))
                prose = []
            lines.append(f"- {_item_text(line)}")
        else:
            prose.append(line)
    if prose:
        lines.append(" ".join(prose))
    return lines


TITLE_WORDS = 10


def _first_words(lines: list[str]) -> str:
    """A title from a passage's first sentence (of its first line, a list's introduction): up
    to its first comma, at most 10 words."""
    first = _first_sentence(lines[0].removeprefix("- "))
    clause = first.split(",")[0]
    chosen = clause if 3 <= len(clause.split()) <= TITLE_WORDS else \
        " ".join(first.split()[:TITLE_WORDS])
    chosen = chosen.rstrip(",;:.")
    return chosen if chosen == first.rstrip(",;:.!?") else chosen + "\u2026"


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


_QUESTION_STARTS = frozenset("how why what when where which who can does do is are should "
                             "will".split())
_WHEN_WORDS = frozenset("before after during while between at".split())
_SUBJECT = re.compile(r"^(?P<subject>[A-Za-z][\w'\u2019() -]{1,50}?)\s+(?P<verb>is|are|"
                      r"can|may|often|helps?|means|refers to|includes?)\b", re.I)


def questions(title: str, lines: list[str], heading: str) -> tuple[str, ...]:
    """Starting alternate questions for a draft (2 to 4, all different), from its heading and
    its first sentence. They are a start: staff reword them as visitors would ask."""
    found: list[str] = []

    def add(question: str) -> None:
        question = " ".join(question.split())
        if question and not any(_same_words(question, q) for q in found):
            found.append(question[0].upper() + question[1:])

    if heading:
        add(_from_heading(heading))
    first = _first_sentence(lines[0].removeprefix("- "))
    subject = _SUBJECT.match(first)
    if subject and len(subject.group("subject").split()) <= 6:
        thing = _lower_first(subject.group("subject").strip())
        verb = subject.group("verb").lower()
        add(f"What {verb} {thing}?" if verb in ("is", "are") else
            f"What should I know about {thing}?")
    if title != heading:
        add(f"What does the article say about {_lower_first(_plain_name(title))}?")
    if heading and len(found) < 3:
        add(f"Can you tell me more about {_lower_first(_plain_name(heading))}?")
    if len(found) < MIN_QUESTIONS:
        add(f"Tell me more about {_lower_first(_plain_name(title))}.")
    return tuple(found[:4])


def _from_heading(name: str) -> str:
    name = _plain_name(name)
    plain = words(name)
    if not plain:
        return ""
    if name.endswith("?"):
        return name
    if plain[0] in _QUESTION_STARTS:
        return _lower_first(name) + "?"
    if plain[0] in _WHEN_WORDS:
        return f"What happens {_lower_first(name)}?"
    base = _verb_base(plain[0])
    if base is not None and len(plain) > 1:
        return f"How does it {base} {_lower_first(' '.join(name.split()[1:]))}?"
    if len(plain) <= 4:
        return f"What is {_lower_first(name)}?"
    return f"Tell me about {_lower_first(name)}."


def _verb_base(word: str) -> str | None:
    """The base form of a heading's first word when it reads as a verb ("Improves" ->
    "improve"): an -s form rarer in English than the word without it."""
    if not word.endswith("s") or word.endswith(("ss", "us", "is")) or len(word) < 4:
        return None
    base = word[:-1]
    return base if is_word(base) and zipf(base) > zipf(word) else None


def _plain_name(name: str) -> str:
    return _NUMBERED.sub("", name).strip().rstrip(":.\u2026").strip()


def _lower_first(text: str) -> str:
    """A title in lower case for the middle of a sentence, acronyms kept ("RLS")."""
    return " ".join(word if len(word.strip("()\"'")) > 1 and word.strip("()\"'").isupper()
                    else word.lower() for word in text.split())


def _same_words(a: str, b: str) -> bool:
    return words(a) == words(b)


# ---------------------------------------------------------------------------------------------
# Ids.


def slug(text: str, max_words: int = 6, max_chars: int = 50) -> str:
    """An id made from text: lower-case words joined by dashes, stop words dropped when there
    are more than `max_words` ("Before Your Session" -> "before-your-session", "What To Expect
    At Your First Visit" -> "expect-first-visit")."""
    all_words = [w for w in words(text) if w.isascii() and w.isalnum()]
    content = all_words if len(all_words) <= max_words else \
        [w for w in all_words if w not in STOP_WORDS] or all_words
    out = "-".join(content[:max_words])[:max_chars].strip("-")
    return out or "article"


def unique(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
