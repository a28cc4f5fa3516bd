"""A new article as an edit: `article_edit(directory, ...) -> ImportArticle`, and publishing
drafts: `publish_drafts(directory, ids) -> Published`.

The text is split into draft passages by assistant.articles; this module gives the article and
its passages ids that are free in the knowledge folder, and publishes drafts in as few saves as
it can: all at once, else each one that is valid alone (the staff page and
`python -m assistant import-article --publish` both use it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import articles
from ..errors import KnowledgeError
from ..knowledge import SPECS
from ..knowledge.files import SOURCES_FOLDER
from .apply import Saved, apply
from .documents import open_file
from .edits import ImportArticle, Publish, entries, entry_id
from .plan import plan_edit

SOURCES, PASSAGES = "sources.yaml", "passages.yaml"


def taken_ids(directory: str | os.PathLike, file: str) -> set[str]:
    """The ids of the entries of `file` now ({} when it cannot be read: validation says why)."""
    spec = SPECS[file]
    try:
        data = open_file(directory, file).data
    except KnowledgeError:
        return set()
    return {entry_id(spec, entry) for entry in entries(spec, data)} - {""}


def article_edit(directory: str | os.PathLike, *, title: str, publisher: str, published: str,
                 text: str, url: str = "", drafts: Sequence[articles.Draft] | None = None,
                 live: bool = False) -> ImportArticle:
    """The import of an article whose (cleaned) `text` is kept as its source, with `drafts`
    (default: the text split by assistant.articles) as its passages: drafts, or live at once
    with `live`. Ids are made from the titles and kept free of those in the folder."""
    folder = Path(directory) / SOURCES_FOLDER
    files = {path.stem for path in folder.iterdir()} if folder.is_dir() else set()
    source_id = articles.unique(articles.slug(title), taken_ids(directory, SOURCES) | files)
    source = {"id": source_id, "title": title.strip(), "publisher": publisher.strip(),
              "published": published.strip(), "file": f"{SOURCES_FOLDER}/{source_id}.txt"}
    if url.strip():
        source["url"] = url.strip()
    taken = taken_ids(directory, PASSAGES)
    passages = []
    for draft in articles.drafts(text, title) if drafts is None else drafts:
        base = articles.slug(draft.title)
        if "-" not in base:  # one word says too little: "session" -> "during-the-massage-session"
            base = articles.slug(f"{draft.section} {base}", max_words=8)
        passage_id = articles.unique(base, taken)
        taken.add(passage_id)
        passages.append({"id": passage_id, "section": draft.section, "title": draft.title,
                         "text": draft.text, "questions": list(draft.questions),
                         "source": source_id, **({} if live else {"draft": True})})
    return ImportArticle(source, text, tuple(passages))


@dataclass(frozen=True)
class Published:
    """What publishing drafts did: the saves made, the ids published, and the problems of
    those that stayed drafts."""

    saves: tuple[Saved, ...]
    published: tuple[str, ...]
    problems: tuple[KnowledgeError, ...]


def publish_drafts(directory: str | os.PathLike, ids: Sequence[str]) -> Published:
    """Make the drafts `ids` live: all in one save when they are valid together; otherwise
    those valid alone, together, and the others' problems (nothing written for them)."""
    ids = tuple(ids)
    if not ids:
        return Published((), (), ())
    plan = plan_edit(directory, Publish(ids))
    if plan.valid:
        return Published((apply(plan),), ids, ())
    good, problems = [], []
    for ident in ids:
        alone = plan_edit(directory, Publish((ident,)))
        if alone.valid:
            good.append(ident)
        else:
            problems.extend(alone.errors)
    if not good:
        return Published((), (), tuple(problems))
    together = plan_edit(directory, Publish(tuple(good)))
    if together.valid:
        return Published((apply(together),), tuple(good), tuple(problems))
    saves, done = [], []
    for ident in good:  # valid alone but not together: one at a time, while they stay valid
        alone = plan_edit(directory, Publish((ident,)))
        if alone.valid:
            saves.append(apply(alone))
            done.append(ident)
        else:
            problems.extend(alone.errors)
    return Published(tuple(saves), tuple(done), tuple(problems))
