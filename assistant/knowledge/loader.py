"""Load and validate a whole knowledge base: `load_knowledge(directory, overrides) -> Knowledge`.

Each file is read once (files.py), parsed once (reader.py) and checked against its spec
(schema.py); then what spans files is checked: every passage's source is listed and its text is
a word-for-word quote of that source. Every problem is collected, so staff can fix them all at
once, and raised together as KnowledgeInvalid. An unexpected failure while loading a file is
reported as a problem with that file too, never as a crash.

The loader imports nothing of the engine: replaying the safety rules' samples through the
red-flag matcher is the engine side's job (assistant/safety_check.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from .. import settings
from ..errors import KnowledgeError, KnowledgeInvalid
from .blocks import Lines
from .files import check_folder, read_bytes, refuse_oversized
from .model import Knowledge, Passage, Source
from .quotes import fold, missing_line
from .reader import decode, parse, unexpected, utf8
from .schema import FILES, SPECS, Checked, FileSpec, check_file

SOURCES_FILE, PASSAGES_FILE, KINDS_FILE = "sources.yaml", "passages.yaml", "kinds.yaml"

# The last text (as UTF-8 bytes) of each file name and what checking it found: what a file holds
# depends on its text alone, so a load after a save parses again only the files whose text
# changed (the safety samples, most of the bytes, seldom do). One entry per file name; read,
# never changed.
_PARSED: dict[str, tuple[bytes, Checked, tuple | None]] = {}


def load_knowledge(directory: str | os.PathLike | None = None,
                   overrides: Mapping[str, str] | None = None) -> Knowledge:
    """Read, validate and return the knowledge base; raise KnowledgeInvalid with every problem.

    `directory` defaults to the configured knowledge folder. `overrides` maps a file name (e.g.
    "passages.yaml") to text used instead of the file on disk, so a staff edit can be validated
    before anything is written.
    """
    root = Path(directory if directory is not None else settings.knowledge_dir())
    check_folder(root, present=overrides)
    loading = _Loading(root, dict(overrides or {}))
    for spec in FILES:
        loading.guarded(spec.name, lambda spec=spec: loading.file(spec))
    loading.guarded(SOURCES_FILE, loading.sources)
    loading.guarded(PASSAGES_FILE, loading.quotes)
    loading.guarded(PASSAGES_FILE, loading.links)
    if loading.errors:
        raise KnowledgeInvalid(loading.errors)
    return loading.knowledge()


class _Loading:
    """The state of one load: entries and lines per file, source texts, problems."""

    def __init__(self, root: Path, overrides: dict[str, str]):
        self.root = root
        self.folder = str(root)
        self.overrides = overrides
        self.entries: dict[str, list[dict]] = {}
        self.ids: dict[str, set[str]] = {}
        self.built: dict[str, object] = {}
        self.lines = Lines()
        self.source_texts: dict[str, str] = {}
        self.errors: list[KnowledgeError] = []

    def guarded(self, file: str, step: Callable[[], None]) -> None:
        """Run one step; its KnowledgeErrors, and any unexpected failure, become problems."""
        try:
            step()
        except KnowledgeError as exc:
            self.errors.append(exc.within(folder=self.folder))
        except Exception as exc:  # a bug or an odd file must not crash a page or the CLI
            self.errors.append(KnowledgeError(unexpected(exc), file=file, folder=self.folder))

    def utf8(self, file: str) -> bytes:
        """The file's text as UTF-8 bytes, for parse() (see reader.utf8)."""
        if file in self.overrides:
            return self.edit(file)
        return utf8(read_bytes(self.root / file, file), file)

    def text(self, file: str) -> str:
        if file in self.overrides:
            return self.edit(file).decode("utf-8")
        return decode(read_bytes(self.root / file, file), file)

    def edit(self, file: str) -> bytes:
        """An edit not saved yet, as UTF-8, bounded like a file on disk."""
        data = self.overrides[file].encode("utf-8")
        refuse_oversized(len(data), file)
        return data

    def file(self, spec: FileSpec) -> None:
        data = self.utf8(spec.name)
        known = _PARSED.get(spec.name)
        if known is not None and known[0] == data:
            checked, objects = known[1], known[2]
        else:
            checked = check_file(spec, parse(data, spec.name), spec.name)
            objects = None if checked.errors else \
                tuple(spec.cls(**entry) for entry in checked.entries)
            _PARSED[spec.name] = (data, checked, objects)
        self.errors.extend(error.within(folder=self.folder) for error in checked.errors)
        self.entries[spec.name] = checked.entries
        self.ids[spec.name] = checked.ids
        self.lines.update(checked.lines)
        if objects is not None:
            self.built[spec.attribute] = objects if spec.many else objects[0]

    def sources(self) -> None:
        """Each listed source's text file, which must be inside the knowledge folder."""
        inside = self.root.resolve()
        for entry in self.entries.get(SOURCES_FILE, []):
            where = {"folder": self.folder, "noun": "source", "entry_id": entry["id"]}
            relative = entry["file"]
            folder = (self.root / relative).parent.resolve()  # the file itself is not followed
            if folder != inside and inside not in folder.parents:
                self.errors.append(KnowledgeError(
                    f"the file '{relative}' must be inside the knowledge folder",
                    file=SOURCES_FILE, key="file",
                    line=self.lines.get((SOURCES_FILE, entry["id"], "file")), **where))
                continue
            try:
                self.source_texts[entry["id"]] = self.text(relative)
            except KnowledgeError as exc:
                self.errors.append(exc.within(**where))

    def quotes(self) -> None:
        """Every passage names a listed source and quotes it word for word."""
        listed = self.ids.get(SOURCES_FILE, set())
        folded = {source: fold(text) for source, text in self.source_texts.items()}
        for entry in self.entries.get(PASSAGES_FILE, []):
            source = entry["source"]
            where = {"file": PASSAGES_FILE, "folder": self.folder, "noun": "passage",
                     "entry_id": entry["id"]}

            def line(key: str, passage: str = entry["id"]) -> int | None:
                return self.lines.get((PASSAGES_FILE, passage, key))

            if source not in listed:
                if SOURCES_FILE in self.ids:
                    known = ", ".join(sorted(listed)) or "none"
                    self.errors.append(KnowledgeError(
                        f"the source '{source}' is not listed in sources.yaml (known sources: "
                        f"{known})", line=line("source"), key="source", **where))
                continue
            if source not in folded:
                continue  # its text could not be read: reported with the source
            missing = missing_line(entry.get("text", ""), folded[source])
            if missing is not None:
                self.errors.append(KnowledgeError(
                    f"the text must be a word-for-word quote of the source '{source}', but this "
                    f"line is not found in it: \"{_shorten(missing)}\". Copy it from the "
                    "article exactly; if it comes from another article, import that one first",
                    line=line("text"), key="text", **where))

    def links(self) -> None:
        """Lists name passages that exist, each item in one list only; a passage has text or
        items, and a text announcing a list (ending with ':') has the list; kinds of question
        name passages that exist."""
        passages = self.entries.get(PASSAGES_FILE, [])
        ids = self.ids.get(PASSAGES_FILE, set())
        drafts = {passage["id"] for passage in passages if passage.get("draft")}
        shown = ", ".join(sorted(ids)[:8]) + (", ..." if len(ids) > 8 else "")
        owner: dict[str, str] = {}
        for passage in passages:
            pid = passage["id"]
            where = {"file": PASSAGES_FILE, "folder": self.folder, "noun": "passage",
                     "entry_id": pid}

            def error(problem: str, key: str, passage_id: str = pid, at: dict = where) -> None:
                line = self.lines.get((PASSAGES_FILE, passage_id, key),
                                      self.lines.get((PASSAGES_FILE, passage_id)))
                self.errors.append(KnowledgeError(problem, key=key, line=line, **at))

            items = passage.get("items", ())
            if not passage.get("text") and not items:
                error("is empty; write the article's text, or list the passages of its "
                      "'items'", "text")
            elif passage.get("text", "").rstrip().endswith(":") and not items:
                error("ends with ':' but has no list under it: add the list's lines to the "
                      "text, or name the passages that make up the list under 'items'", "text")
            for item in items:
                if item == pid:
                    error("lists itself as one of its items", "items")
                elif item not in ids:
                    error(f"the item '{item}' is not a passage (passages include: {shown})",
                          "items")
                elif item in drafts and not passage.get("draft"):
                    error(f"the item '{item}' is still a draft: publish it first, or take it "
                          "out of the list", "items")
                elif item in owner:
                    error(f"the item '{item}' already belongs to the list of '{owner[item]}'",
                          "items")
                else:
                    owner[item] = pid
        if not passages or any(e.file == PASSAGES_FILE for e in self.errors):
            return  # a broken passages file is reported once, not again by every kind
        for kind in self.entries.get(KINDS_FILE, []):
            for pid in kind["passages"]:
                problem = f"the passage '{pid}' does not exist (passages include: {shown})" \
                    if pid not in ids else f"the passage '{pid}' is still a draft: publish it " \
                    "first, or take it out of this list" if pid in drafts else None
                if problem is not None:
                    self.errors.append(KnowledgeError(
                        problem, file=KINDS_FILE, folder=self.folder, noun="kind of question",
                        entry_id=kind["id"], key="passages",
                        line=self.lines.get((KINDS_FILE, kind["id"], "passages", pid))))

    def knowledge(self) -> Knowledge:
        parts = dict(self.built)
        sources: tuple[Source, ...] = parts.pop(SPECS[SOURCES_FILE].attribute)
        passages: tuple[Passage, ...] = parts.pop(SPECS[PASSAGES_FILE].attribute)
        return Knowledge(directory=self.folder, sources={s.id: s for s in sources},
                         source_texts=self.source_texts, lines=self.lines,
                         passages=tuple(p for p in passages if not p.draft),
                         drafts=tuple(p for p in passages if p.draft), **parts)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
