"""Load and validate the knowledge base: the one entry point is `load_knowledge(directory)`.

The schema is written as data (`FILES`) next to the loader, and one walk checks a whole file,
collecting every problem with its file, line, entry and key, so staff can fix them all at once.
YAML is parsed with `yaml.safe_load` for the data and `yaml.compose` for line numbers only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import KnowledgeError, KnowledgeFolderMissing, KnowledgeInvalid
from .patterns import PatternError
from .patterns import parse as parse_pattern

MAX_FILE_BYTES = 1_000_000
DEFAULT_DIRECTORY = "knowledge"
_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---------------------------------------------------------------------------------------------
# The data the rest of the program sees. Frozen: one Knowledge is shared by every visitor session.


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
class Smalltalk:
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


@dataclass(frozen=True)
class Knowledge:
    directory: str
    sources: Mapping[str, Source]
    source_texts: Mapping[str, str]
    passages: tuple[Passage, ...]
    clinic: Clinic
    synonyms: tuple[Synonym, ...]
    safety: tuple[SafetyRule, ...]
    smalltalk: tuple[Smalltalk, ...]
    not_covered: tuple[Topic, ...]
    kinds: tuple[Kind, ...]
    fingerprint: str
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (KeyError when there is none)."""
        for passage in self.passages:
            if passage.id == passage_id:
                return passage
        raise KeyError(passage_id)


# ---------------------------------------------------------------------------------------------
# The schema, as data.


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | optional text | slug | text list | pattern list | choice | date | url
    required: bool = True
    min_items: int = 0
    max_items: int | None = None
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    name: str
    top_key: str
    noun: str
    fields: tuple[Field, ...]
    id_field: str | None
    many: bool = True
    cls: type = dict


FILES: tuple[FileSpec, ...] = (
    FileSpec("sources.yaml", "sources", "source", (
        Field("id", "slug", help="a short name such as 'rls-massage-article'"),
        Field("title", "text"),
        Field("publisher", "text"),
        Field("published", "date", help="the publication date as YYYY-MM-DD"),
        Field("file", "text", help="the article's text file, relative to the knowledge folder"),
        Field("url", "optional text", required=False),
        Field("topic", "text", required=False,
              help="what the article is about, as a reply names it: 'massage for restless legs'"),
    ), "id", cls=Source),
    FileSpec("passages.yaml", "passages", "passage", (
        Field("id", "slug", help="a short name such as 'swedish-massage'"),
        Field("section", "text"),
        Field("title", "text"),
        Field("text", "optional text", required=False,
              help="the article's own sentences, copied word for word"),
        Field("questions", "text list", min_items=2, max_items=6,
              help="2 to 6 ways a visitor might ask for this passage"),
        Field("keywords", "text list", required=False),
        Field("source", "slug", help="the id of a source in sources.yaml"),
        Field("items", "text list", required=False,
              help="the ids of the passages that make up the list this passage introduces"),
        Field("topic", "optional text", required=False,
              help="what the passage is about, as a reply names it: 'reflexology'"),
    ), "id", cls=Passage),
    FileSpec("clinic.yaml", "clinic", "clinic settings", (
        Field("name", "text"),
        Field("city", "text"),
        Field("referral", "text", help="the sentence that sends visitors to the clinic"),
        Field("booking_url", "url", required=False),
        Field("phone", "optional text", required=False),
        Field("address", "optional text", required=False),
    ), None, many=False, cls=Clinic),
    FileSpec("synonyms.yaml", "synonyms", "synonym", (
        Field("means", "text", help="the article's word or words"),
        Field("words", "text list", min_items=1, help="the visitors' words that mean the same"),
    ), "means", cls=Synonym),
    FileSpec("safety.yaml", "rules", "safety rule", (
        Field("id", "slug"),
        Field("title", "text"),
        Field("tier", "choice", required=False, choices=("urgent", "support"),
              help="'urgent' replaces the reply with the message; 'support' shows it above "
                   "the answer"),
        Field("triggers", "pattern list", min_items=1),
        Field("unless", "pattern list", required=False),
        Field("reach", "choice", required=False, choices=("sentence", "message"),
              help="'sentence': the parts of a trigger must appear in one sentence; "
                   "'message': anywhere in the message"),
        Field("message", "text"),
        Field("must_trigger", "text list", min_items=1),
        Field("must_not_trigger", "text list", min_items=1),
    ), "id", cls=SafetyRule),
    FileSpec("smalltalk.yaml", "smalltalk", "smalltalk reply", (
        Field("id", "slug"),
        Field("phrases", "text list", min_items=1),
        Field("reply", "text"),
    ), "id", cls=Smalltalk),
    FileSpec("scope.yaml", "not_covered", "topic", (
        Field("topic", "text"),
        Field("name", "text", help="how a reply names the topic: 'prices or insurance'"),
        Field("clinic", "yes/no", required=False),
        Field("anywhere", "yes/no", required=False),
        Field("words", "pattern list", min_items=1),
        Field("unless", "pattern list", required=False),
    ), "topic", cls=Topic),
    FileSpec("kinds.yaml", "kinds", "kind of question", (
        Field("id", "slug"),
        Field("title", "text"),
        Field("words", "pattern list", min_items=1),
        Field("passages", "text list", min_items=1,
              help="the ids of the passages that answer this kind of question, best first"),
    ), "id", cls=Kind),
)
SPECS = {spec.name: spec for spec in FILES}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KIND_WORDS = {str: "text", list: "a list", dict: "a mapping of keys", bool: "yes/no",
               int: "a number", float: "a number", type(None): "nothing"}


def _kind(value: Any) -> str:
    for cls, word in _KIND_WORDS.items():
        if isinstance(value, cls) and not (cls is int and isinstance(value, bool)):
            return word
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return type(value).__name__


# ---------------------------------------------------------------------------------------------
# Reading one file: bytes -> text -> (data, node), refusing what must not be loaded.


def read_text(path: Path, display: str) -> str:
    """The file's text, or a KnowledgeError saying why it cannot be read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise KnowledgeError("file not found; the knowledge folder needs this file",
                             path=display) from None
    if size > MAX_FILE_BYTES:
        raise KnowledgeError(f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit "
                             "for knowledge files; it was not loaded", path=display)
    raw = path.read_bytes()
    return decode(raw, display)


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text of `raw`; a KnowledgeError with the line of the first bad byte otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it "
                             "with UTF-8 encoding", path=display, line=line) from exc


def parse_yaml(text: str, display: str) -> tuple[Any, yaml.Node | None]:
    """Data (via yaml.safe_load) and node tree (for line numbers) of one YAML document."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise KnowledgeError(f"the file is over the {MAX_FILE_BYTES:,}-byte limit for knowledge "
                             "files; it was not loaded", path=display)
    try:
        _refuse_aliases(text, display)
        node = yaml.compose(text, Loader=_Composer)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "the file cannot be read as YAML"
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            where = f"line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            problem += f" ({exc.context} that starts at {where})"
        elif exc.context:
            problem += f" ({exc.context})"
        raise KnowledgeError(f"this is not valid YAML: {problem}", path=display,
                             line=mark.line + 1 if mark else None,
                             column=mark.column + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"this is not valid YAML: {exc}", path=display) from exc
    return data, node


def _refuse_aliases(text: str, display: str) -> None:
    """Refuse anchors and aliases before anything is built: a knowledge file never needs them,
    and nested aliases ("billion laughs") expand to enormous data."""
    for token in yaml.scan(text, Loader=_Composer):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            raise KnowledgeError("YAML anchors and aliases (&name, *name) are not allowed in "
                                 "knowledge files; write the text out in full",
                                 path=display, line=token.start_mark.line + 1,
                                 column=token.start_mark.column + 1)


# ---------------------------------------------------------------------------------------------
# Checking one file against its FileSpec.


class _Checker:
    """Walks one file's data and nodes together, collecting KnowledgeErrors."""

    def __init__(self, spec: FileSpec, display: str):
        self.spec = spec
        self.display = display
        self.errors: list[KnowledgeError] = []
        self.lines: dict[tuple, int] = {}
        self.item_lines: dict[tuple[str, str], int] = {}

    def error(self, message: str, node: yaml.Node | None, entry: str | None = None,
              key: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.errors.append(KnowledgeError(message, path=self.display, line=line, entry=entry,
                                          key=key))

    def check(self, data: Any, node: yaml.Node | None) -> list[dict]:
        """The file's entries as plain dicts (only the valid ones)."""
        spec = self.spec
        if not isinstance(data, dict):
            self.error(f"expected a mapping with the key '{spec.top_key}', got {_kind(data)}", node)
            return []
        pairs = _mapping_pairs(node)
        self._duplicate_keys(node, None)
        unknown = [k for k in data if k != spec.top_key]
        for key in unknown:
            self.error(_unknown_key_message(key, [spec.top_key]), pairs.get(key, (node,))[0])
        if spec.top_key not in data:
            self.error(f"missing the key '{spec.top_key}'", node)
            return []
        body, body_node = data[spec.top_key], pairs[spec.top_key][1]
        if not spec.many:
            self.item_lines.clear()
            entry = self.entry(body, body_node, spec.noun)
            return [entry] if entry is not None else []
        if not isinstance(body, list):
            self.error(f"expected a list of {spec.noun}s, got {_kind(body)}", body_node,
                       key=spec.top_key)
            return []
        entries, first_line = [], {}
        for index, (item, item_node) in enumerate(zip(body, body_node.value, strict=True), start=1):
            self.item_lines.clear()
            name = self._entry_name(item, index)
            entry = self.entry(item, item_node, name)
            if entry is None:
                continue
            ident = entry.get(spec.id_field)
            line = item_node.start_mark.line + 1
            if ident in first_line:
                self.error(f"the {spec.id_field} '{ident}' is used twice (first at line "
                           f"{first_line[ident]}); give each {spec.noun} its own {spec.id_field}",
                           item_node, entry=name, key=spec.id_field)
                continue
            first_line[ident] = line
            self.lines[(spec.name, ident)] = line
            for key, (key_node, _) in _mapping_pairs(item_node).items():
                self.lines[(spec.name, ident, key)] = key_node.start_mark.line + 1
            for (key, item), item_line in self.item_lines.items():
                self.lines[(spec.name, ident, key, item)] = item_line
            self.item_lines.clear()
            entries.append(entry)
        return entries

    def _entry_name(self, item: Any, index: int) -> str:
        ident = item.get(self.spec.id_field) if isinstance(item, dict) else None
        if isinstance(ident, str) and ident.strip():
            return f"{self.spec.noun} '{ident}'"
        return f"{self.spec.noun} {index}"

    def entry(self, item: Any, node: yaml.Node, name: str) -> dict | None:
        """One entry checked field by field; None when any field is wrong."""
        if not isinstance(item, dict):
            self.error(f"expected a {self.spec.noun} (a mapping of keys), got {_kind(item)}", node,
                       entry=name)
            return None
        self._duplicate_keys(node, name)
        pairs = _mapping_pairs(node)
        allowed = [f.name for f in self.spec.fields]
        before = len(self.errors)
        for key in item:
            if key not in allowed:
                self.error(_unknown_key_message(key, allowed), pairs.get(key, (node,))[0],
                           entry=name)
        values = {}
        for spec in self.spec.fields:
            if spec.name not in item:
                if spec.required:
                    hint = f" ({spec.help})" if spec.help else ""
                    self.error(f"missing; every {self.spec.noun} needs '{spec.name}'{hint}", node,
                               entry=name, key=spec.name)
                elif spec.kind in ("text list", "pattern list"):
                    values[spec.name] = ()  # an optional list left out is an empty one
                elif spec.kind == "optional text":
                    values[spec.name] = ""
                continue
            value_node = pairs[spec.name][1]
            value = self.value(item[spec.name], value_node, spec, name)
            if value is not None:
                values[spec.name] = value
        return values if len(self.errors) == before else None

    def value(self, value: Any, node: yaml.Node, spec: Field, name: str) -> Any:
        """A field's value, normalised, or None after recording what is wrong with it."""
        def fail(message: str, at: yaml.Node = node) -> None:
            self.error(message, at, entry=name, key=spec.name)

        if spec.kind in ("text list", "pattern list"):
            if not isinstance(value, list):
                fail(f"expected a list of texts, got {_kind(value)}")
                return None
            items = []
            for item, item_node in zip(value, node.value, strict=True):
                if isinstance(item, str):
                    self.item_lines[(spec.name, _clean(item))] = item_node.start_mark.line + 1
                if not isinstance(item, str):
                    fail(f"expected text, got {_kind(item)}{_quote_hint(item)}", item_node)
                    return None
                if not item.strip():
                    fail("has an empty item; remove it or write the text", item_node)
                    return None
                items.append(_clean(item))
            if len(items) < spec.min_items:
                fail(f"needs at least {spec.min_items} item{'s' if spec.min_items > 1 else ''}, "
                     f"got {len(items)}")
                return None
            if spec.max_items is not None and len(items) > spec.max_items:
                fail(f"allows at most {spec.max_items} items, got {len(items)}")
                return None
            if spec.kind == "pattern list":
                for item, item_node in zip(items, node.value, strict=True):
                    try:
                        parse_pattern(item)
                    except PatternError as exc:
                        fail(str(exc), item_node)
                        return None
            return tuple(items)
        if spec.kind == "yes/no":
            if not isinstance(value, bool):
                fail(f"expected yes or no, got {value if isinstance(value, str) else _kind(value)}")
                return None
            return value
        if spec.kind == "choice":
            if value not in spec.choices:
                fail(f"expected one of {', '.join(spec.choices)}, got "
                     f"{value if isinstance(value, str) else _kind(value)}")
                return None
            return value
        if spec.kind == "date":
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, str) and _DATE.match(value.strip()):
                return value.strip()
            fail(f"expected a date as YYYY-MM-DD, got {_kind(value)}")
            return None
        if value is None and spec.kind in ("optional text", "url"):
            return ""
        if not isinstance(value, str):
            fail(f"expected text, got {_kind(value)}{_quote_hint(value)}")
            return None
        text = _clean(value)
        if not text and spec.kind not in ("optional text", "url"):
            fail(f"is empty; write {spec.help or f'the {spec.name}'}")
            return None
        if spec.kind == "slug" and not _SLUG.match(text):
            fail(f"'{text}' is not a valid id: use lower-case letters, digits and dashes, "
                 "such as 'swedish-massage'")
            return None
        if spec.kind == "url" and text and not re.match(r"^https?://\S+$", text):
            fail(f"'{text}' is not a web address; it must start with https://")
            return None
        return text

    def _duplicate_keys(self, node: yaml.Node | None, name: str | None) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                self.error(f"the key '{key}' appears twice (first at line {seen[key]}); keep one",
                           key_node, entry=name, key=key)
            else:
                seen[key] = key_node.start_mark.line + 1


def _quote_hint(value: Any) -> str:
    """Numbers, yes/no and dates become text when quoted; lists and mappings do not."""
    if isinstance(value, (bool, int, float, dt.date)):
        return " (put it in quotes to make it text)"
    return ""


def _mapping_pairs(node: yaml.Node | None) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: (key, value) for key, value in node.value}


def _unknown_key_message(key: Any, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "."
    return f"unknown key '{key}'{hint} Allowed keys: {', '.join(allowed)}"


def _clean(text: str) -> str:
    """Text as staff meant it: Unicode NFC, no trailing spaces on lines, no blank ends."""
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# ---------------------------------------------------------------------------------------------
# Verbatim quotes.

_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+\.)\s+")


def fold(text: str) -> str:
    """Text reduced for quote comparison: NFC, bullets dropped, whitespace folded."""
    text = unicodedata.normalize("NFC", text)
    lines = (_BULLET.sub("", line) for line in text.splitlines())
    return " ".join(" ".join(lines).split())


def missing_quote(text: str, source_text: str) -> str | None:
    """The first line of `text` that is not word for word in `source_text`, or None."""
    folded_source = fold(source_text)
    for line in text.splitlines():
        folded = fold(line)
        if folded and folded not in folded_source:
            return line.strip()
    return None


# ---------------------------------------------------------------------------------------------
# The whole knowledge base.


def knowledge_files(directory: str | os.PathLike) -> list[Path]:
    """Every file the knowledge base is made of that exists (YAML files and source texts)."""
    root = Path(directory)
    files = [root / spec.name for spec in FILES if (root / spec.name).is_file()]
    files += sorted(p for p in (root / "sources").glob("*") if p.is_file())
    return files


def fingerprint(directory: str | os.PathLike) -> str:
    """A hash of the knowledge files' names and contents: it changes whenever staff save."""
    digest = hashlib.sha256()
    root = Path(directory)
    for path in knowledge_files(root):
        digest.update(str(path.relative_to(root)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()[:16]


def check_folder(directory: str | os.PathLike, origin: str | None = None,
                 present: Mapping[str, str] | None = None) -> None:
    """Raise KnowledgeFolderMissing when `directory` is not a folder or holds none of the
    knowledge files (names in `present` count as there), naming `origin`, what chose it."""
    root = Path(directory)
    if not root.is_dir():
        raise KnowledgeFolderMissing(str(directory), empty=False, origin=origin)
    names = tuple(spec.name for spec in FILES)
    if not any(name in (present or {}) or (root / name).exists() for name in names):
        raise KnowledgeFolderMissing(str(directory), empty=True, expected=names, origin=origin)


def load_knowledge(directory: str | os.PathLike = DEFAULT_DIRECTORY,
                   overrides: Mapping[str, str] | None = None) -> Knowledge:
    """Read, validate and return the knowledge base; raise KnowledgeInvalid with every problem.

    `overrides` maps a file name (e.g. "passages.yaml") to text used instead of the file on disk,
    so a staff edit can be validated before anything is written.
    """
    root = Path(directory)
    overrides = dict(overrides or {})
    check_folder(root, present=overrides)
    errors: list[KnowledgeError] = []
    entries: dict[str, list[dict]] = {}
    lines: dict[tuple[str, str], int] = {}
    for spec in FILES:
        display = str(root / spec.name)
        try:
            if spec.name in overrides:
                text = overrides[spec.name]
            else:
                text = read_text(root / spec.name, display)
            data, node = parse_yaml(text, display)
        except KnowledgeError as exc:
            errors.append(exc)
            continue
        checker = _Checker(spec, display)
        entries[spec.name] = checker.check(data, node)
        errors.extend(checker.errors)
        lines.update(checker.lines)

    sources, source_texts = _load_sources(root, entries.get("sources.yaml", []), lines, errors,
                                          overrides)
    passages_display = str(root / "passages.yaml")
    for entry in entries.get("passages.yaml", []):
        line = lines.get(("passages.yaml", entry["id"]))
        name = f"passage '{entry['id']}'"

        def key_line(key: str, entry_id: str = entry["id"], default: int | None = line):
            return lines.get(("passages.yaml", entry_id, key), default)

        if entry["source"] not in sources:
            if "sources.yaml" in entries:
                known = ", ".join(sources) or "none"
                errors.append(KnowledgeError(
                    f"the source '{entry['source']}' is not listed in sources.yaml (known sources: "
                    f"{known})", path=passages_display, line=key_line("source"), entry=name,
                    key="source"))
            continue
        if entry["source"] not in source_texts:
            continue
        missing = missing_quote(entry["text"], source_texts[entry["source"]])
        if missing is not None:
            errors.append(KnowledgeError(
                f"the text must be a word-for-word quote of the source '{entry['source']}', but "
                f"this line is not found in it: \"{_shorten(missing)}\"",
                path=passages_display, line=key_line("text"), entry=name, key="text"))

    errors.extend(_link_errors(entries, lines, root))
    if errors:
        raise KnowledgeInvalid(errors)
    version = "unsaved edit" if overrides else fingerprint(root)
    knowledge = _build(root, entries, sources, source_texts, lines, version)
    # Imported here because the safety matcher itself is built from a Knowledge.
    from .safety import sample_errors

    for rule, key, sample in sample_errors(knowledge):
        verb = "must trigger this rule but does not" if key == "must_trigger" else \
            "must not trigger any safety rule but does"
        errors.append(KnowledgeError(
            f"the sample \"{sample}\" {verb}; change the triggers or the sample",
            path=str(root / "safety.yaml"),
            line=lines.get(("safety.yaml", rule.id, key, sample),
                           lines.get(("safety.yaml", rule.id))),
            entry=f"safety rule '{rule.id}'", key=key))
    if errors:
        raise KnowledgeInvalid(errors)
    return knowledge


def _link_errors(entries: dict, lines: dict, root: Path) -> list[KnowledgeError]:
    """Passages and kinds that name passages which do not exist, lists without items, and
    passages without text."""
    errors = []
    passages = entries.get("passages.yaml", [])
    ids = {p["id"] for p in passages}
    shown = ", ".join(sorted(ids)[:8]) + (", ..." if len(ids) > 8 else "")
    display = str(root / "passages.yaml")
    owner: dict[str, str] = {}
    for passage in passages:
        pid = passage["id"]

        def error(message: str, key: str) -> None:
            errors.append(KnowledgeError(
                message, path=display, entry=f"passage '{pid}'", key=key,
                line=lines.get(("passages.yaml", pid, key), lines.get(("passages.yaml", pid)))))

        items = passage.get("items", ())
        if not passage.get("text") and not items:
            error("is empty; write the article's text, or list the passages of its 'items'",
                  "text")
        elif passage.get("text", "").rstrip().endswith(":") and not items:
            error("ends with ':' but has no list under it: add the list's lines to the text, "
                  "or name the passages that make up the list under 'items'", "text")
        for item in items:
            if item == pid:
                error("lists itself as one of its items", "items")
            elif item not in ids:
                error(f"the item '{item}' is not a passage (passages include: {shown})", "items")
            elif item in owner:
                error(f"the item '{item}' already belongs to the list of '{owner[item]}'", "items")
            else:
                owner[item] = pid
    kinds_display = str(root / "kinds.yaml")
    for kind in entries.get("kinds.yaml", []) if passages else []:
        for pid in kind["passages"]:
            if pid not in ids:
                errors.append(KnowledgeError(
                    f"the passage '{pid}' does not exist (passages include: {shown})",
                    path=kinds_display, entry=f"kind of question '{kind['id']}'", key="passages",
                    line=lines.get(("kinds.yaml", kind["id"], "passages", pid),
                                   lines.get(("kinds.yaml", kind["id"])))))
    return errors


def _build(root: Path, entries: dict, sources: dict, source_texts: dict, lines: dict,
           digest: str) -> Knowledge:
    by_name = {spec.name: spec for spec in FILES}

    def build(name: str) -> tuple:
        spec = by_name[name]
        return tuple(spec.cls(**entry) for entry in entries[name])

    return Knowledge(
        directory=str(root),
        sources=sources,
        source_texts=source_texts,
        passages=build("passages.yaml"),
        clinic=build("clinic.yaml")[0],
        synonyms=build("synonyms.yaml"),
        safety=build("safety.yaml"),
        smalltalk=build("smalltalk.yaml"),
        not_covered=build("scope.yaml"),
        kinds=build("kinds.yaml"),
        fingerprint=digest,
        lines=lines,
    )


def _load_sources(root: Path, entries: list[dict], lines: dict, errors: list,
                  overrides: dict) -> tuple[dict[str, Source], dict[str, str]]:
    sources, texts = {}, {}
    for entry in entries:
        source = Source(**entry)
        sources[source.id] = source
        relative = source.file
        path = (root / relative).resolve()
        display = str(root / relative)
        if root.resolve() not in path.parents:
            errors.append(KnowledgeError(
                f"the file '{relative}' must be inside the knowledge folder",
                path=str(root / "sources.yaml"), line=lines.get(("sources.yaml", source.id)),
                entry=f"source '{source.id}'", key="file"))
            continue
        try:
            text = overrides[relative] if relative in overrides else read_text(path, display)
        except KnowledgeError as exc:
            exc.entry = exc.entry or f"source '{source.id}' in sources.yaml"
            errors.append(exc)
            continue
        texts[source.id] = text
    return sources, texts


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
