"""The knowledge files' schema, written as data, and the one walk that checks a file against it.

`FILES` lists every knowledge file: its top key, what one entry is called, its fields and the
model class it builds. A field's `kind` names its validator in `KINDS` (one function per kind).
Adding a field is one `Field(...)` line here and the attribute on the model class; adding a
kind of value is one validator function.

Entry point: `check_file(spec, root, file) -> Checked`, collecting every problem at once, each a
KnowledgeError with its file, line, entry and key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import KnowledgeError, health_claim
from ..patterns import PatternError
from ..patterns import parse as parse_pattern
from .blocks import Lines, block_items, block_texts, is_block
from .health import health_words
from .model import (
    Clinic,
    Fact,
    Kind,
    Passage,
    SafetyRule,
    SmalltalkReply,
    Source,
    Synonym,
    Topic,
)
from .reader import LIST, MAPPING, SCALAR, Node, kind_of


@dataclass(frozen=True)
class Field:
    """One key of an entry. `kind` is a key of KINDS; `help` says what to write (in messages);
    `choices` are the values a "choice" field allows."""

    name: str
    kind: str
    required: bool = True
    min_items: int = 0
    max_items: int | None = None
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    """One knowledge file: `top_key` holds a list of entries (or one entry when not `many`),
    each a `noun` named by its `id_field`, built as `cls` into Knowledge's `attribute`."""

    name: str
    top_key: str
    noun: str
    fields: tuple[Field, ...]
    id_field: str | None
    cls: type
    attribute: str
    many: bool = True


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
    ), "id", Source, "sources"),
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
        Field("draft", "yes/no", required=False,
              help="yes while staff review a passage of an imported article: visitors do not "
                   "get it until it is published"),
    ), "id", Passage, "passages"),
    FileSpec("clinic.yaml", "clinic", "clinic settings", (
        Field("name", "text"),
        Field("city", "text"),
        Field("referral", "text", help="the sentence that sends visitors to the clinic"),
        Field("booking_url", "url", required=False),
        Field("phone", "optional text", required=False),
        Field("address", "optional text", required=False),
    ), None, Clinic, "clinic", many=False),
    FileSpec("synonyms.yaml", "synonyms", "synonym", (
        Field("means", "text", help="the article's word or words"),
        Field("words", "text list", min_items=1, help="the visitors' words that mean the same"),
    ), "means", Synonym, "synonyms"),
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
    ), "id", SafetyRule, "safety"),
    FileSpec("smalltalk.yaml", "smalltalk", "smalltalk reply", (
        Field("id", "slug"),
        Field("phrases", "text list", min_items=1),
        Field("reply", "text"),
    ), "id", SmalltalkReply, "smalltalk"),
    FileSpec("scope.yaml", "not_covered", "topic", (
        Field("topic", "text"),
        Field("name", "text", help="how a reply names the topic: 'prices or insurance'"),
        Field("clinic", "yes/no", required=False),
        Field("anywhere", "yes/no", required=False),
        Field("words", "pattern list", min_items=1),
        Field("unless", "pattern list", required=False),
    ), "topic", Topic, "not_covered"),
    FileSpec("facts.yaml", "facts", "clinic fact", (
        Field("id", "slug", help="a short name such as 'parking'"),
        Field("title", "clinic text", help="what the fact is about, for staff: 'Parking'"),
        Field("questions", "clinic text list", min_items=1, max_items=6,
              help="1 to 6 ways a visitor might ask for this fact"),
        Field("answer", "clinic text",
              help="the answer, about the clinic only: 'Free parking behind the building.'"),
        Field("checked", "date", help="the date someone last checked it is still true, as "
                                      "YYYY-MM-DD"),
    ), "id", Fact, "facts"),
    FileSpec("kinds.yaml", "kinds", "kind of question", (
        Field("id", "slug"),
        Field("title", "text"),
        Field("words", "pattern list", min_items=1),
        Field("passages", "text list", min_items=1,
              help="the ids of the passages that answer this kind of question, best first"),
        Field("strict", "yes/no", required=False,
              help="yes when only these passages (and the passages they list) can answer this "
                   "kind of question, and only when they speak of what the visitor describes; "
                   "otherwise the reply says the article does not cover it"),
    ), "id", Kind, "kinds"),
)
SPECS = {spec.name: spec for spec in FILES}


# ---------------------------------------------------------------------------------------------
# One validator per field kind: (value node, field) -> the value as the model holds it.


class Invalid(Exception):
    """A field's value is wrong: `problem` in words, `node` where (None: the value itself)."""

    def __init__(self, problem: str, node: Node | None = None):
        super().__init__(problem)
        self.problem = problem
        self.node = node


def clean(text: str) -> str:
    """Text as staff meant it: Unicode NFC, no trailing spaces on lines, no blank ends."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # One line (a line break at its end at most), as most values are: only its ends to strip.
    # (Looking for line breaks is cheaper than isprintable(), which looks each character up.)
    if len(text.splitlines()) <= 1:
        return text.strip()
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _text_value(node: Node) -> str:
    if node.kind != SCALAR or not isinstance(node.value, str):
        raise Invalid(f"expected text, got {kind_of(node)}{_quote_hint(node)}", node)
    return clean(node.value)


def _quote_hint(node: Node) -> str:
    """Numbers, yes/no and dates become text when quoted; lists and mappings do not."""
    if node.kind == SCALAR and isinstance(node.value, (bool, int, float, dt.date)):
        return " (put it in quotes to make it text)"
    return ""


def text(node: Node, spec: Field) -> str:
    value = _text_value(node)
    if not value:
        raise Invalid(f"is empty; write {spec.help or f'the {spec.name}'}")
    return value


def optional_text(node: Node, spec: Field) -> str:
    return "" if node.kind == SCALAR and node.value is None else _text_value(node)


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(node: Node, spec: Field) -> str:
    value = text(node, spec)
    if not _SLUG.match(value):
        raise Invalid(f"'{value}' is not a valid id: use lower-case letters, digits and dashes, "
                      "such as 'swedish-massage'")
    return value


_URL = re.compile(r"^https://[^\s/?#@]+(?:[/?#]\S*)?$")


def url(node: Node, spec: Field) -> str:
    """A secure web address (the booking button is the only link staff text may make)."""
    value = optional_text(node, spec)
    if value.lower().startswith("http://"):
        raise Invalid(f"'{value}' is not a secure web address (http://); use the address that "
                      "starts with https://")
    if value and not _URL.match(value):
        raise Invalid(f"'{value}' is not a web address; it must start with https://")
    return value


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date(node: Node, spec: Field) -> str:
    value = node.value if node.kind == SCALAR else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError as exc:
            raise Invalid(f"'{value.strip()}' is not a real date ({exc})") from None
    raise Invalid(f"expected a date as YYYY-MM-DD, got {kind_of(node)}")


def list_items(node: Node) -> list[Node]:
    """A list's item nodes; for a list written as a block, one text node per item line."""
    if not is_block(node):
        return node.value
    return [Node(SCALAR, item, node.line + offset, node.column, style='"')
            for offset, item in block_items(node.value)]


def text_list(node: Node, spec: Field) -> tuple[str, ...]:
    if is_block(node):
        items = list(block_texts(node.value))
    elif node.kind != LIST:
        raise Invalid(f"expected a list of texts, got {kind_of(node)}")
    else:
        items = []
        for item in node.value:
            value = item.value
            # Text, as most items are, cleaned here; _text_value says what else it is.
            value = clean(value) if item.kind == SCALAR and isinstance(value, str) else \
                _text_value(item)
            if not value:
                raise Invalid("has an empty item; remove it or write the text", item)
            items.append(value)
    if len(items) < spec.min_items:
        missing = spec.min_items - len(items)
        raise Invalid(f"has {len(items)}, and needs at least {spec.min_items}: add {missing} "
                      f"more (one a line)")
    if spec.max_items is not None and len(items) > spec.max_items:
        extra = len(items) - spec.max_items
        raise Invalid(f"has {len(items)}, and at most {spec.max_items} are allowed: take "
                      f"{extra} out (keep the ones visitors are most likely to ask)")
    return tuple(items)


def clinic_text(node: Node, spec: Field) -> str:
    """Text about the clinic itself: no symptom, condition or treatment (see health.py)."""
    return _no_health(text(node, spec), node)


def clinic_text_list(node: Node, spec: Field) -> tuple[str, ...]:
    items = text_list(node, spec)
    for item_node, item in zip(list_items(node), items, strict=True):
        _no_health(item, item_node)
    return items


def _no_health(value: str, node: Node) -> str:
    found = health_words(value)
    if found:
        raise Invalid(health_claim(found[0].word, found[0].kind), node)
    return value


def pattern_list(node: Node, spec: Field) -> tuple[str, ...]:
    """A list of patterns in the language of patterns.py, each one readable."""
    items = text_list(node, spec)
    for item_node, item in zip(list_items(node), items, strict=True):
        problem = _pattern_problem(item)
        if problem is not None:
            raise Invalid(problem, item_node)
    return items


@functools.lru_cache(maxsize=4096)
def _pattern_problem(pattern: str) -> str | None:
    """Why a pattern cannot be read, or None. Cached: the knowledge base is validated again on
    every save and version change, and its patterns rarely change between two of them."""
    try:
        parse_pattern(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def choice(node: Node, spec: Field) -> str:
    value = node.value if node.kind == SCALAR else None
    if not isinstance(value, str) or value not in spec.choices:
        got = value if isinstance(value, str) else kind_of(node)
        raise Invalid(f"expected one of {', '.join(spec.choices)}, got {got}")
    return value


def yes_no(node: Node, spec: Field) -> bool:
    value = node.value if node.kind == SCALAR else None
    if not isinstance(value, bool):
        got = value if isinstance(value, str) else kind_of(node)
        raise Invalid(f"expected yes or no, got {got}")
    return value


KINDS: dict[str, Callable[[Node, Field], Any]] = {
    "text": text, "optional text": optional_text, "slug": slug, "url": url, "date": date,
    "text list": text_list, "pattern list": pattern_list, "choice": choice, "yes/no": yes_no,
    "clinic text": clinic_text, "clinic text list": clinic_text_list,
}
# The kinds of field that hold a list of texts (written as a YAML list or as a `|` block).
LIST_KINDS = frozenset({"text list", "pattern list", "clinic text list"})
# What an optional field left out holds (others take the model's default).
EMPTY = {"text list": (), "pattern list": (), "clinic text list": (), "optional text": "",
         "url": ""}


# ---------------------------------------------------------------------------------------------
# The walk over one file.


@dataclass
class Checked:
    """What checking one file found: its valid entries (plain dicts of field values), the ids
    of all its entries (valid or not, so other files' references to them are not reported as
    well), every problem, and the lines of entries, keys and list items (see Knowledge.lines)."""

    entries: list[dict] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    errors: list[KnowledgeError] = field(default_factory=list)
    lines: Lines = field(default_factory=Lines)


def check_file(spec: FileSpec, root: Node | None, file: str) -> Checked:
    """Check one parsed file against its spec; every problem found, not just the first."""
    return _Walk(spec, file).check(root)


class _Walk:
    """One file's check: collects errors and lines while it goes."""

    def __init__(self, spec: FileSpec, file: str):
        self.spec = spec
        self.file = file
        self.checked = Checked()
        self.text_lists = {f.name for f in spec.fields if f.kind in LIST_KINDS}

    def error(self, problem: str, node: Node | None, **where) -> None:
        self.checked.errors.append(KnowledgeError(problem, file=self.file,
                                                  line=node.line if node else None, **where))

    def check(self, root: Node | None) -> Checked:
        spec, checked = self.spec, self.checked
        if root is None or root.kind != MAPPING:
            self.error(f"expected a mapping with the key '{spec.top_key}', got {kind_of(root)}",
                       root)
            return checked
        pairs = self.keys(root, [spec.top_key], {})
        if spec.top_key not in pairs:
            self.error(f"missing the key '{spec.top_key}'", root)
            return checked
        body = pairs[spec.top_key]
        if not spec.many:
            entry = self.entry(body, {"noun": spec.noun})
            if entry is not None:
                checked.entries.append(entry)
            return checked
        if body.kind != LIST:
            self.error(f"expected a list of {spec.noun}s, got {kind_of(body)}", body,
                       key=spec.top_key)
            return checked
        first_line: dict[Any, int] = {}
        for index, item in enumerate(body.value, start=1):
            where = {"noun": spec.noun, **self.name(item, index)}
            if "entry_id" in where:
                checked.ids.add(clean(where["entry_id"]))
            entry = self.entry(item, where)
            if entry is None:
                continue
            ident = entry[spec.id_field]
            if ident in first_line:
                self.error(f"the {spec.id_field} '{ident}' is used twice (first at line "
                           f"{first_line[ident]}); give each {spec.noun} its own "
                           f"{spec.id_field}", item, key=spec.id_field, **where)
                continue
            first_line[ident] = item.line
            checked.entries.append(entry)
            self.record_lines(ident, item, entry)
        return checked

    def name(self, item: Node, index: int) -> dict:
        """How errors name an entry: by its id when it has a usable one, else its position."""
        if item.kind == MAPPING:
            for key, value in item.value:
                if key.value == self.spec.id_field and value.kind == SCALAR and \
                        isinstance(value.value, str) and value.value.strip():
                    return {"entry_id": value.value}
        return {"index": index}

    def keys(self, node: Node, allowed: list[str], where: dict) -> dict[Any, Node]:
        """A mapping's values by key, after reporting keys given twice and unknown keys."""
        seen: dict[Any, int] = {}
        for key, _ in node.value:
            if key.value in seen:
                self.error(f"the key '{key.value}' appears twice (first at line "
                           f"{seen[key.value]}); keep one", key, key=key.value, **where)
            else:
                seen[key.value] = key.line
        for key, _ in node.value:
            if key.value not in allowed and seen.get(key.value) == key.line:
                self.error(_unknown_key(key.value, allowed), key, **where)
        return {key.value: value for key, value in node.value}

    def entry(self, item: Node, where: dict) -> dict | None:
        """One entry checked field by field: its values, or None when any is wrong."""
        spec = self.spec
        if item.kind != MAPPING:
            self.error(f"expected a {spec.noun} (a mapping of keys), got {kind_of(item)}", item,
                       **where)
            return None
        before = len(self.checked.errors)
        pairs = self.keys(item, [f.name for f in spec.fields], where)
        values = {}
        for field_spec in spec.fields:
            if field_spec.name not in pairs:
                if field_spec.required:
                    hint = f" ({field_spec.help})" if field_spec.help else ""
                    self.error(f"missing; every {spec.noun} needs '{field_spec.name}'{hint}",
                               item, key=field_spec.name, **where)
                elif field_spec.kind in EMPTY:
                    values[field_spec.name] = EMPTY[field_spec.kind]
                continue
            node = pairs[field_spec.name]
            try:
                values[field_spec.name] = KINDS[field_spec.kind](node, field_spec)
            except Invalid as invalid:
                self.error(invalid.problem, invalid.node or node, key=field_spec.name, **where)
        return values if len(self.checked.errors) == before else None

    def record_lines(self, ident: Any, item: Node, entry: dict) -> None:
        """Where the entry and each of its keys is written, and what the lines of the items of
        its lists are found from (see Lines)."""
        lines, name = self.checked.lines, self.spec.name
        exact = lines.exact
        exact[(name, ident)] = item.line
        for key, value in item.value:
            exact[(name, ident, key.value)] = key.line
            if is_block(value) and isinstance(entry.get(key.value), tuple):
                lines.blocks[(name, ident, key.value)] = (value.line, value.value)
                continue
            if value.kind != LIST:
                continue
            if key.value in self.text_lists:  # its texts, one an item, cleaned by its check
                texts = entry[key.value]
            else:
                texts = [clean(element.value) if element.kind == SCALAR and
                         isinstance(element.value, str) else None for element in value.value]
            lines.lists[(name, ident, key.value)] = \
                (texts, [element.line for element in value.value])


def _unknown_key(key: Any, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "."
    return f"unknown key '{key}'{hint} Allowed keys: {', '.join(allowed)}"
