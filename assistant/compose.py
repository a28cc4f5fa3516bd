"""Compose the reply a visitor sees. Pure: `compose(...) -> Answer`, no I/O, no ranking.

The answer text only ever contains knowledge-base text (quotes, fixed messages written by
staff) and never the visitor's own words, so nothing a visitor types is echoed back as markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .knowledge import Clinic, Passage, Source

STATUSES = ("answered", "no_match", "urgent", "smalltalk")
DISCLAIMER = "General information, not medical advice."
NO_MATCH = ("I'm sorry, the clinic's article doesn't cover that, so I can't answer it here. "
            "I can answer questions about restless legs syndrome (RLS) and massage therapy.")
EMPTY = "Please type a question about restless legs syndrome (RLS) or massage therapy."
TRUNCATED = "Your message was long, so I read only its first {limit:,} characters."


@dataclass(frozen=True)
class Citation:
    """One quoted passage: `snippet` is exactly the text shown to the visitor."""

    id: str
    title: str
    section: str
    source: str
    snippet: str
    score: float


@dataclass(frozen=True)
class Quote:
    """What retrieval hands to compose: a passage, the sentences to quote, and the score."""

    passage: Passage
    snippet: str
    score: float


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
        }

    def as_record(self) -> dict:
        """Every field as plain data (for session state): lists and dicts only, JSON-safe."""
        record = asdict(self)
        record["citations"] = [dict(c) for c in record["citations"]]
        return record


def cite_source(source: Source) -> str:
    """How a source is named under a quote."""
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


def quote_block(snippet: str, marker: int) -> str:
    """A snippet as a markdown block quote ending with its citation marker."""
    lines = snippet.splitlines()
    lines[-1] += f" [{marker}]"
    return "\n".join(f"> {line}" for line in lines)


def compose(question: str, status: str, *, clinic: Clinic, sources: dict[str, Source],
            quotes: Sequence[Quote] = (), message: str = "", notice: str = "",
            reason: str = "", support: str = "") -> Answer:
    """The Answer for a decided status: quotes for "answered", `message` for the others."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    if (status == "answered") != bool(quotes):
        raise ValueError(f"status {status!r} with {len(quotes)} quote(s)")
    citations = tuple(
        Citation(id=q.passage.id, title=q.passage.title, section=q.passage.section,
                 source=cite_source(sources[q.passage.source]), snippet=q.snippet,
                 score=q.score)
        for q in quotes
    )
    if status == "answered":
        intro = f"Here is what {clinic.name}'s article says:"
        blocks = [quote_block(c.snippet, n) for n, c in enumerate(citations, start=1)]
        body = "\n\n".join([intro, *blocks])
    elif status == "no_match":
        body = message or NO_MATCH
    else:
        body = message
    if status == "urgent":
        # The alert and nothing else: no notice, referral or disclaimer around the numbers.
        return Answer(question=question, status=status, answer=body, citations=(),
                      referral="", body=body, reason=reason)
    support = support.strip()
    disclaimer = DISCLAIMER if status in ("answered", "no_match") else ""
    refer = referral(clinic)
    sections = [support] if support else []
    if notice:
        sections.append(f"_{notice}_")
    sections.append(body)
    if citations:
        sources_list = "\n".join(f"{n}. {c.title} ({c.section}). {c.source}"
                                 for n, c in enumerate(citations, start=1))
        sections.append(f"**Sources**\n\n{sources_list}")
    sections.append(refer)
    if disclaimer:
        sections.append(f"_{disclaimer}_")
    return Answer(question=question, status=status, answer="\n\n".join(sections),
                  citations=citations, referral=refer, body=body,
                  referral_sentence=clinic.referral.strip(), disclaimer=disclaimer,
                  notice=notice, reason=reason, contacts=contacts(clinic), support=support)
