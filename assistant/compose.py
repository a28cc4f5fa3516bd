"""Compose the reply a visitor sees. Pure: `compose(question, plan, ...) -> Answer`.

The engine decides what to say as a `Plan` (plain data); this module only words it. The reply
only ever contains knowledge-base text (quotes, staff-written messages, topic names) and never
the visitor's own words; staff text is escaped, so nothing in it becomes a link, an image or
markup when the reply is shown as markdown (`plain`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from .knowledge import Clinic, Fact, Passage, Source
from .retrieval import Unit

STATUSES = ("answered", "no_match", "clinic", "urgent", "smalltalk")
DISCLAIMER = "General information, not medical advice."
NO_MATCH = ("I'm sorry, the clinic's articles don't cover that, so I can't answer it here. "
            "I can answer questions about restless legs syndrome (RLS) and massage therapy.")
NO_MATCH_NAMED = "I'm sorry, the clinic's articles don't cover {names}, so I can't answer it here."
NOT_COVERED_LINE = "The article doesn't cover {names}."
CLINIC_NOT_COVERED_LINE = "The article doesn't cover {names}; please ask the clinic."
NOTHING_MORE = "The article says nothing more about {topic} than what I quoted above."
CLINIC_REPLY = "For {names}, please contact {clinic} in {city} directly."
FROM_THE_CLINIC = "From the clinic"
# How a question about the massage appointment itself is named ("For ..., please contact").
SESSION = "how a session at the clinic goes"
PAYMENT = "how to pay at the clinic"
THERAPISTS = "the clinic's therapists and their qualifications"
LAST_CHECKED = "Last checked {date}."
EMPTY = "Please type a question about restless legs syndrome (RLS) or massage therapy."
# A message in another language: the assistant cannot read it, so it may be a crisis it cannot
# see. The emergency numbers come first, in English and French (Canada's two official
# languages; 988 answers in both).
OTHER_LANGUAGE_HELP = (
    "If this is an emergency, call 911. If you are thinking about suicide, call or text 988. "
    "/ En cas d'urgence, composez le 911. Si vous pensez au suicide, appelez ou textez le 988.")
OTHER_LANGUAGE = ("Sorry, I can only read questions written in English. / Désolé, je ne peux "
                  "lire que les questions écrites en anglais.")
TRUNCATED = "Your message was long, so I read only its first {limit:,} characters."

# Markdown that would turn text into markup, a link or an image: escaped in staff text.
_INLINE = re.compile(r"([\\`*_{}\[\]()<>!|~@#])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))", re.MULTILINE)
_LINK_START = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])")


def plain(text: str) -> str:
    """Staff or article text as markdown that shows exactly these characters: markdown signs
    escaped, and web addresses broken (a zero-width space) so they never become links."""
    escaped = _INLINE.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: m.group(1) + (
        m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)), escaped)
    return _LINK_START.sub(lambda m: m.group(1)[0] + "\u200b" + m.group(1)[1:], escaped)


@dataclass(frozen=True)
class Quote:
    """What the engine hands to compose: a passage, what to quote from it, and the score."""

    passage: Passage
    unit: Unit
    score: float


@dataclass(frozen=True)
class Plan:
    """What a reply says, decided by the engine. `not_covered` and `clinic` are topic names
    (the article's gaps, and questions for the clinic itself); `message` is the reply of an
    urgent rule or small talk, or a no_match reply of its own."""

    status: str
    quotes: tuple[Quote, ...] = ()
    not_covered: tuple[str, ...] = ()
    clinic: tuple[str, ...] = ()
    message: str = ""
    support: str = ""
    notice: str = ""
    reason: str = ""
    related: tuple[str, ...] = ()
    fact: Fact | None = None


@dataclass(frozen=True)
class Citation:
    """One quoted passage: `snippet` is every word quoted, verbatim; `text` and `items` are
    the same words as shown (an introduction or sentences, then list items with titles)."""

    id: str
    title: str
    section: str
    source: str
    snippet: str
    score: float
    text: str = ""
    items: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A reply, as plain data. `answer` is the whole reply as markdown (for the command line);
    pages render `body`, `citations`, `referral` and `disclaimer` separately."""

    question: str
    status: str
    answer: str
    citations: tuple[Citation, ...]
    referral: str
    body: str
    referral_sentence: str = ""
    disclaimer: str = ""
    notice: str = ""
    reason: str = ""
    contacts: dict = field(default_factory=dict)
    support: str = ""
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    fact: dict | None = None

    def to_dict(self) -> dict:
        """The command line's JSON contract, exactly these keys."""
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "citations": [
                {"id": c.id, "title": c.title, "source": c.source, "snippet": c.snippet,
                 "score": round(c.score, 4)}
                for c in self.citations
            ],
            "referral": self.referral,
            "support": self.support or None,
            "related": list(self.related),
            "fact": self.fact,
        }

    def as_record(self) -> dict:
        """Every field as plain data (for session state): lists and dicts only, JSON-safe."""
        record = asdict(self)
        record["citations"] = [{**dict(c), "items": [dict(i) for i in c["items"]]}
                               for c in record["citations"]]
        record["related"] = list(record["related"])
        record["sources"] = list(record["sources"])
        return record


def worth_logging(record: Mapping) -> bool:
    """True for an answer staff should see among the unanswered questions: a real question
    the article does not cover. Never an empty one, and never a message that needed an urgent
    reply or a support line (nothing about a crisis is stored)."""
    return record["status"] == "no_match" and not record.get("support") and \
        any(ch.isalnum() for ch in record["question"])


def cite_source(source: Source) -> str:
    """How a source is named, once per reply."""
    return f"{source.publisher}, \u201c{source.title}\u201d ({source.published})"


def referral(clinic: Clinic) -> str:
    """The clinic referral sentence followed by whichever contact details are filled in."""
    parts = [clinic.referral.strip()]
    if clinic.booking_url:
        parts.append(f"Book online: {clinic.booking_url}")
    if clinic.phone:
        parts.append(f"Phone: {clinic.phone}")
    if clinic.address:
        parts.append(f"Address: {clinic.address}")
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts if p)


def contacts(clinic: Clinic) -> dict:
    """The clinic's filled-in contact fields, for buttons and links."""
    fields = {"booking_url": clinic.booking_url, "phone": clinic.phone, "address": clinic.address}
    return {key: value for key, value in fields.items() if value}


def names(topics: Sequence[str]) -> str:
    """Topic names as one phrase: "a", "a or b", "a, b or c"."""
    topics = list(dict.fromkeys(topics))
    if len(topics) <= 1:
        return "".join(topics)
    return ", ".join(topics[:-1]) + " or " + topics[-1]


def item_line(item: Mapping) -> str:
    """A list item as markdown: its title in bold before the sentence, unless the sentence
    already names it ("Swedish massage focuses..." needs no label)."""
    text, title = item["text"], item["title"]
    if title.casefold() in text.casefold():
        return f"- {plain(text)}"
    return f"- **{plain(title)}**: {plain(text)}"


def quote_block(citation: Citation, marker: int) -> str:
    """A citation as markdown: the passage title in bold with its section, then the quote as a
    block quote ending with its marker."""
    lines = [plain(line) if not line.startswith("- ") else f"- {plain(line[2:])}"
             for line in citation.text.splitlines()]
    lines += [item_line(item) for item in citation.items]
    lines[-1] += f" [{marker}]"
    head = f"**{plain(citation.title)}** \u00b7 {plain(citation.section)}"
    return "\n".join([head, *(f"> {line}" for line in lines)])


def compose(question: str, plan: Plan, *, clinic: Clinic,
            sources: Mapping[str, Source]) -> Answer:
    """The Answer for a plan: quotes for "answered", its message or topic names otherwise."""
    status = plan.status
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    if (status == "answered") != bool(plan.quotes):
        raise ValueError(f"status {status!r} with {len(plan.quotes)} quote(s)")
    if status == "urgent":
        # The alert and nothing else: no notice, referral or disclaimer around the numbers.
        body = plain_message(plan.message, headline=True)
        return Answer(question=question, status=status, answer=body, citations=(),
                      referral="", body=body, reason=plan.reason)
    citations = tuple(_citation(q, sources) for q in plan.quotes)
    cited_sources = tuple(dict.fromkeys(
        cite_source(sources[q.passage.source]) for q in plan.quotes))
    blocks = []
    if status == "answered":
        blocks += [quote_block(c, n) for n, c in enumerate(citations, start=1)]
        if plan.not_covered:
            blocks.append(NOT_COVERED_LINE.format(names=plain(names(plan.not_covered))))
        if plan.clinic:
            blocks.append(CLINIC_NOT_COVERED_LINE.format(names=plain(names(plan.clinic))))
    elif status == "clinic":
        if plan.fact is not None:
            blocks.append(fact_block(plan.fact))
        if plan.clinic:
            blocks.append(CLINIC_REPLY.format(names=plain(names(plan.clinic)),
                                              clinic=plain(clinic.name), city=plain(clinic.city)))
        if plan.not_covered:
            blocks.append(NOT_COVERED_LINE.format(names=plain(names(plan.not_covered))))
    elif status == "no_match":
        if plan.message:
            blocks.append(plain(plan.message))
        elif plan.not_covered:
            blocks.append(NO_MATCH_NAMED.format(names=plain(names(plan.not_covered))))
        else:
            blocks.append(NO_MATCH)
    else:
        blocks.append(plain_message(plan.message))
    body = "\n\n".join(blocks)
    support = plan.support.strip()
    disclaimer = DISCLAIMER if status in ("answered", "no_match") else ""
    refer = referral(clinic) if status != "smalltalk" else ""
    sections = [plain_message(support)] if support else []
    if plan.notice:
        sections.append(f"_{plan.notice}_")
    sections.append(body)
    if cited_sources:
        sections.append("Source: " + "; ".join(plain(s) for s in cited_sources))
    if refer:
        sections.append(plain(refer))
    if disclaimer:
        sections.append(f"_{disclaimer}_")
    return Answer(question=question, status=status, answer="\n\n".join(sections),
                  citations=citations, referral=refer, body=body,
                  referral_sentence=clinic.referral.strip() if refer else "",
                  disclaimer=disclaimer, notice=plan.notice, reason=plan.reason,
                  contacts=contacts(clinic) if refer else {}, support=support,
                  related=plan.related, sources=cited_sources,
                  fact={"id": plan.fact.id, "answer": plan.fact.answer,
                        "checked": plan.fact.checked} if plan.fact is not None else None)


def fact_block(fact: Fact) -> str:
    """A clinic fact as markdown: "From the clinic", its answer, and when it was last checked."""
    return "\n\n".join([f"**{FROM_THE_CLINIC}**", plain(fact.answer),
                        "_" + LAST_CHECKED.format(date=long_date(fact.checked)) + "_"])


def long_date(iso: str) -> str:
    """A YYYY-MM-DD date as people write it: "November 20, 2025" (the text itself when it is
    not such a date)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return plain(iso)
    return f"{day:%B} {day.day}, {day.year}"


def plain_message(message: str, headline: bool = False) -> str:
    """A staff-written message (safety, small talk) as markdown: its text escaped, its "- "
    lines kept as a list, the emergency numbers in bold (with `headline`, the whole first
    line, as an urgent message opens)."""
    out = []
    for n, line in enumerate(message.strip().splitlines()):
        bullet = line.startswith("- ")
        text = plain(line[2:] if bullet else line)
        if n == 0 and not bullet and headline:
            out.append(f"**{text}**")
            continue
        text = re.sub(r"\b(911|811|988)\b", r"**\1**", text)
        out.append(f"- {text}" if bullet else text)
    return "\n".join(out)


def _citation(quote: Quote, sources: Mapping[str, Source]) -> Citation:
    unit = quote.unit
    return Citation(id=quote.passage.id, title=quote.passage.title,
                    section=quote.passage.section,
                    source=cite_source(sources[quote.passage.source]), snippet=unit.snippet,
                    score=quote.score, text=unit.text,
                    items=tuple({"id": i.passage_id, "title": i.title, "text": i.text}
                                for i in unit.items))
