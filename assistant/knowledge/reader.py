"""YAML text to a tree of `Node`s (value, line, column) in one bounded pass.

Entry points: `decode(raw, file) -> str`, `utf8(raw, file) -> bytes`,
`parse(text, file) -> Node | None`, `plain(node)`.

The text is parsed once, by libyaml (PyYAML's C parser, `yaml.CSafeLoader`), as a stream of
events; the tree is built here without recursion. Every event is checked as it arrives, before
anything is built from it, so that no file can exhaust the program:
- nesting deeper than `MAX_DEPTH` or more than `MAX_NODES` values (each line of a `|` block
  counted, as a block may hold a list one item a line) stops the parse at once
  (libyaml's own parser keeps its state on the heap; PyYAML's composer, which recurses in C and
  overflows the stack on a few thousand nested brackets, is never used);
- anchors and aliases (&name, *name) are refused: a knowledge file never needs them, and nested
  aliases ("billion laughs") would expand to enormous data;
- only the plain YAML types are built (text, numbers, yes/no, dates, nothing; lists and
  mappings with plain keys): no tags that construct other objects.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor

from ..errors import KnowledgeError

MAX_DEPTH = 20
MAX_NODES = 50_000

_Loader = yaml.CSafeLoader
_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _TIMESTAMP = (_TAG + name for name in ("str", "seq", "map", "timestamp"))
# Scalar tags built by PyYAML's safe constructor, and what a value of each is called.
_SCALARS = {_TAG + "int": "a number", _TAG + "float": "a number", _TAG + "bool": "yes/no",
            _TAG + "null": "nothing", _TAG + "timestamp": "a date"}
_BUILD = SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()  # CSafeLoader's, whose rules are class data
# The first characters of the plain scalars those rules may read as other than text (a number,
# yes/no, a date, nothing...): a plain scalar starting otherwise is text without asking them.
_TYPED_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers)

SCALAR, LIST, MAPPING = "scalar", "list", "mapping"


@dataclass(slots=True)
class Node:
    """One YAML value and where it is: its 1-based line and column, and its span in the text.

    `value` is a scalar's Python value, a list's Nodes, or a mapping's (key, value) Node pairs in
    file order, duplicates included (the schema reports them). `start` and `end` are character
    offsets in the text: a scalar's end is right after it (a `|` block's includes the blank
    lines that follow it); a block list's or mapping's end is where the parser saw it close,
    which may lie past comments that follow it. `style` is how it is written: a scalar's
    indicator ("" plain, "|", ">", "'", '"'), or "flow" or "block" for a list or mapping
    (the round-trip writer, assistant/editing/yamltext.py, keeps it).
    """

    kind: str
    value: Any
    line: int
    column: int
    start: int = 0
    end: int = 0
    style: str = ""


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of `raw`; a KnowledgeError with the line of the first bad byte otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        read = exc.object  # what was decoded: `raw` after its BOM, which exc.start counts in
        line = read[: exc.start].count(b"\n") + 1
        raise KnowledgeError(f"the file is not UTF-8 text (byte 0x{read[exc.start]:02x}); save "
                             "it with UTF-8 encoding", file=file, line=line) from exc


def utf8(raw: bytes, file: str) -> bytes:
    """`raw` without its BOM, for `parse`: decode()'s text as UTF-8 bytes when `raw` is UTF-8.

    The loader parses these bytes instead of the text: libyaml reads them as it reads the text
    (which it is handed encoded as UTF-8), and Python never builds the text, which one emoji in
    the safety samples would make four bytes a character. libyaml checks that they are UTF-8
    as it reads them, and `parse` words a failure as decode() does; only a UTF-16 or UTF-32
    byte order mark, which libyaml would follow, is refused here."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decode(raw, file)  # raises: neither is UTF-8
    return raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw


def parse(text: str | bytes, file: str) -> Node | None:
    """The document in `text` (or in bytes from `utf8`) as Nodes (None when it is empty);
    KnowledgeError when it is not valid YAML or breaks one of the bounds above. A node's
    `start` and `end` count characters, not bytes, either way."""
    try:
        return _parse(text, file)
    except KnowledgeError:
        if isinstance(text, bytes):
            # Bytes that are not UTF-8 are said to be so first, with the line of the first bad
            # one, as when the text was decoded before parsing (libyaml stops at a bad byte in
            # its own words, or at a problem before it).
            decode(text, file)
        raise


def _parse(text: str | bytes, file: str) -> Node | None:
    loader = _Loader(text)
    try:
        return _build(loader, file)
    except KnowledgeError:
        raise
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character)
        raise _character_error(exc, text, file) from exc
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, file) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"this is not valid YAML: {exc}", file=file) from exc
    except Exception as exc:  # a bug or an odd file must not crash a page or the CLI
        raise KnowledgeError(unexpected(exc), file=file) from exc
    finally:
        loader.dispose()


def _build(loader: yaml.CSafeLoader, file: str) -> Node | None:
    top: list[Node] = []  # the document's value, once read
    open_nodes: list[Node] = []  # the lists and mappings being filled, innermost last
    add = top.append  # how a value read joins the innermost list or mapping open
    documents = 0
    count = 0  # the values so far, a block's lines included: first bounded, see _recount
    spanned: list[tuple[int, str]] = []  # the blocks counted by the file lines they span
    get_event = loader.get_event  # the loop runs once per value: names looked up once
    scalar_event, alias_event, document_start = \
        events.ScalarEvent, events.AliasEvent, events.DocumentStartEvent
    while (event := get_event()) is not None:
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None:
                raise _at(event, file, _NO_ALIASES)
            style, value = event.style, event.value
            count += 1
            if style == "|":  # a block may be a list, one item a line
                span = event.end_mark.line - event.start_mark.line
                count += span
                spanned.append((span, value))
            if count > MAX_NODES and (count := _recount(count, spanned)) > MAX_NODES:
                raise _too_many(event, file)
            # Untagged and quoted or block, or plain and read as text: text, as safe_load has it.
            if event.tag is not None or not (style or value[:1] not in _TYPED_FIRST or
                                             _resolve(value, event.implicit) == _STR):
                value = _scalar(event, file)
            start = event.start_mark
            add(Node(SCALAR, value, start.line + 1, start.column + 1, start.index,
                     event.end_mark.index, style or ""))
        elif kind in _CLOSE:
            node = open_nodes.pop()
            node.end = event.end_mark.index
            if node.kind == MAPPING:
                items = node.value
                node.value = list(zip(items[::2], items[1::2], strict=True))
                _check_keys(node, file)
            add = open_nodes[-1].value.append if open_nodes else top.append
        elif kind in _OPEN:
            if event.anchor is not None:
                raise _at(event, file, _NO_ALIASES)
            count += 1
            if count > MAX_NODES and (count := _recount(count, spanned)) > MAX_NODES:
                raise _too_many(event, file)
            if len(open_nodes) == MAX_DEPTH:
                raise _at(event, file, f"lists and mappings are nested more than {MAX_DEPTH} "
                                       "levels deep here; a knowledge file needs only a few")
            node_kind, expected = _OPEN[kind]
            if event.tag not in (None, "!", expected):
                raise _at(event, file, _tag_problem(event.tag))
            start = event.start_mark
            node = Node(node_kind, [], start.line + 1, start.column + 1, start.index,
                        start.index, "flow" if event.flow_style else "block")
            add(node)  # in its place among its parent's values; filled until it closes
            open_nodes.append(node)
            add = node.value.append
        elif kind is alias_event:
            raise _at(event, file, _NO_ALIASES)
        elif kind is document_start:
            documents += 1
            if documents > 1:
                raise _at(event, file, "the file holds more than one YAML document (a second "
                                       "'---'); keep everything in one")
    return top[0] if top else None


# What a list's or mapping's start event opens (its kind and YAML tag), and the closing events.
_OPEN = {events.SequenceStartEvent: (LIST, _SEQ), events.MappingStartEvent: (MAPPING, _MAP)}
_CLOSE = frozenset({events.SequenceEndEvent, events.MappingEndEvent})


def _recount(count: int, spanned: list[tuple[int, str]]) -> int:
    """`count` with the blocks in `spanned` counted by their lines rather than by the lines of
    the file they span (never fewer: each line break in a block is one of the file's). A block's
    lines are thus counted only when the cheaper bound would break the limit."""
    count -= sum(span - value.count("\n") for span, value in spanned)
    spanned.clear()
    return count


def _too_many(event: events.Event, file: str) -> KnowledgeError:
    return _at(event, file, f"the file holds more than {MAX_NODES:,} values, more than any "
                            "knowledge file needs; it was not loaded")


_NO_ALIASES = ("YAML anchors and aliases (&name, *name) are not allowed in knowledge files; "
               "write the text out in full")


def unexpected(exc: Exception) -> str:
    """The problem of a file that failed in a way nobody planned for."""
    return (f"this file could not be loaded because of an unexpected problem "
            f"({type(exc).__name__}: {exc}); please report it")


def _where(event: events.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _at(event: events.Event, file: str, problem: str) -> KnowledgeError:
    line, column = _where(event)
    return KnowledgeError(problem, file=file, line=line, column=column)


def _tag_problem(tag: str) -> str:
    written = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return (f"the YAML tag '{written}' is not allowed in knowledge files; write plain text, "
            "lists and keys")


def _scalar(event: events.ScalarEvent, file: str) -> Any:
    """A scalar's Python value, typed as yaml.safe_load would type it (_build takes the text of
    an untagged one itself)."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolve(event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag not in _SCALARS:
        raise _at(event, file, _tag_problem(tag))
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        return _BUILD.yaml_constructors[tag](_BUILD, node)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        if tag == _TIMESTAMP:  # "2025-02-30": left as text, for the date field to explain
            return event.value
        raise _at(event, file, f"'{_shorten(event.value)}' cannot be read as "
                               f"{_SCALARS[tag]} ({exc})") from exc


@functools.lru_cache(maxsize=8192)
def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML gives an untagged scalar. Cached: keys and ids repeat on every entry, and
    the answer depends on the text alone."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


def _check_keys(node: Node, file: str) -> None:
    for key, _ in node.value:
        if key.kind != SCALAR:
            raise KnowledgeError("a key must be a word or text, not a list or mapping",
                                 file=file, line=key.line, column=key.column)


def _character_error(exc: yaml.reader.ReaderError, text: str | bytes,
                     file: str) -> KnowledgeError:
    """PyYAML's message for a refused character, with its line and column (libyaml gives its
    place in bytes of UTF-8)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    before = data[: exc.position]
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    character = f"#x{exc.character:04x}" if isinstance(exc.character, int) else \
        repr(exc.character)
    return KnowledgeError(f"this is not valid YAML: unacceptable character {character}: "
                          f"{exc.reason}", file=file, line=before.count(b"\n") + 1,
                          column=column)


def _yaml_error(exc: yaml.MarkedYAMLError, file: str) -> KnowledgeError:
    """PyYAML's own message, which already names the line and column, passed through."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "the file cannot be read as YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        where = f"line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
        problem += f" ({exc.context} that starts at {where})"
    elif exc.context:
        problem += f" ({exc.context})"
    return KnowledgeError(f"this is not valid YAML: {problem}", file=file,
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None)


def plain(node: Node | None) -> Any:
    """The node as plain Python data (dicts, lists, scalars), as yaml.safe_load would give it."""
    if node is None:
        return None
    if node.kind == MAPPING:
        return {key.value: plain(value) for key, value in node.value}
    if node.kind == LIST:
        return [plain(item) for item in node.value]
    return node.value


def kind_of(node: Node | None) -> str:
    """What a value is, in words staff know: "text", "a list", "a number"..."""
    if node is None:
        return "nothing"
    if node.kind == MAPPING:
        return "a mapping of keys"
    if node.kind == LIST:
        return "a list"
    value = node.value
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "a date"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
