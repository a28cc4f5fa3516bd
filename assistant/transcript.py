"""A conversation as a Markdown file a visitor can bring to an appointment. Pure, no Streamlit.

Entry point: `markdown(records, clinic, date) -> str`, over the `Answer.as_record()` dicts of a
conversation, oldest first. The file holds the visitor's questions, each reply as the page shows
it (quotes with their sources, an urgent alert word for word), the clinic referral and the date.
The page hands it to the visitor's browser; nothing of it is kept on the server.

Replies are already markdown with knowledge text escaped (compose.plain); the visitor's own
words are escaped here, so nothing typed becomes a link, an image or markup in the file either.
`source_lines(record)` is the compact source list the page shows under a reply, in the same form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from .compose import DISCLAIMER, plain, plain_message, referral
from .knowledge import Clinic

TITLE = "Your questions to {clinic}'s website assistant"
INTRO = ("Every answer below quotes {clinic}'s articles and names where it came from. "
         "{disclaimer} In an emergency, call 911.")
ASKED = "**You asked:**"
CONTACT = "## Contact {clinic}"
RULE = "---"


def markdown(records: Iterable[Mapping], clinic: Clinic, date: dt.date) -> str:
    """The whole conversation as Markdown: a title and the date, then each question and its
    reply with its sources, then the clinic referral with its contact details."""
    name = plain(clinic.name)
    parts = [f"# {TITLE.format(clinic=name)}", long_date(date),
             INTRO.format(clinic=name, disclaimer=DISCLAIMER)]
    for record in records:
        parts += [RULE, f"{ASKED} {visitor_text(record['question'])}", *reply(record)]
    parts += [RULE, CONTACT.format(clinic=name), plain(referral(clinic))]
    return "\n\n".join(parts) + "\n"


def reply(record: Mapping) -> list[str]:
    """One reply's blocks: an urgent alert alone; else a support line, a notice, the body and
    the sources, as on the page."""
    if record["status"] == "urgent":
        return [record["body"]]
    blocks = []
    if record.get("support"):
        blocks.append(plain_message(record["support"]))
    if record.get("notice"):
        blocks.append(f"_{plain(record['notice'])}_")
    blocks.append(record["body"])
    sources = source_lines(record)
    if sources:
        blocks.append("  \n".join(sources))
    return blocks


def source_lines(record: Mapping) -> list[str]:
    """The reply's sources, compactly: "[n] passage title · section" per quote, then each
    source (article title and date) once. Markdown, staff text escaped."""
    lines = [f"\\[{number}\\] {plain(citation['title'])} \u00b7 {plain(citation['section'])}"
             for number, citation in enumerate(record.get("citations") or (), start=1)]
    sources = record.get("sources") or [c["source"] for c in record.get("citations") or ()]
    lines += [f"Source: {plain(source)}" for source in dict.fromkeys(sources)]
    return lines


def visitor_text(text: str) -> str:
    """Visitor words as markdown that shows exactly these characters, line breaks kept."""
    lines = [plain(line.strip()) for line in text.splitlines() if line.strip()]
    return "  \n".join(lines)


def long_date(date: dt.date) -> str:
    """"26 November 2026": the same in every locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def file_name(clinic: Clinic, date: dt.date) -> str:
    """"granville-physiotherapy-conversation-2026-11-26.md"."""
    slug = re.sub(r"[^a-z0-9]+", "-", clinic.name.casefold()).strip("-") or "clinic"
    return f"{slug}-conversation-{date.isoformat()}.md"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
