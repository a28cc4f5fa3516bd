"""Round-trip writing of a knowledge file: its text with only what changed rewritten.

Entry point: `patch(text, data) -> str`, the text of `data` written over `text`. The text is
parsed once by the knowledge reader, whose nodes know their span in the text; each value of
`data` is compared with the node it replaces and only those that differ are written again, in
place. Everything else stays byte for byte: staff comments above, inside and after entries,
blank lines, quoting, and the order of keys. So a save that changes nothing gives the same
bytes, and a changed question rewrites that one line.

A value written again keeps the style of the one it replaces (a `|` block stays a block, a
`[a, b]` list stays on one line); a new entry or key takes the style of its neighbours. A
deleted entry goes with the comment lines right above it and one of the blank lines around it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

import yaml

from ..knowledge import Node, parse, plain
from ..knowledge.blocks import block_item, is_block
from ..knowledge.reader import LIST, MAPPING, SCALAR

_WIDTH = 1 << 20  # never fold a long line: the files keep one sentence per line


def patch(text: str, data: Any, file: str = "") -> str:
    """`text` rewritten to hold `data`, changing only the values that differ.

    Raises KnowledgeError when `text` itself cannot be parsed (a file must open before it is
    edited). Text that holds no document at all is replaced by `data` below its comments.
    """
    root = parse(text, file)
    if root is None:
        return header_of(text) + dump(data)
    edits = _Edits(text)
    edits.value(root, data, _Slot("root", 0))
    return edits.result()


def dump(data: Any) -> str:
    """`data` as YAML text the way the knowledge files are written (a new file's body)."""
    return _dump(_styled(data, None, ()))


def header_of(text: str) -> str:
    """The file's leading comment block (comment and blank lines before the data)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    header = "".join(lines).rstrip("\n")
    return header + "\n" if header else ""


# ---------------------------------------------------------------------------------------------
# Writing values as PyYAML would, in the files' layout.


class _Dumper(yaml.SafeDumper):
    """safe_dump as people write these files: list items indented under their key, text over
    several lines as a `|` block, double quotes when quotes are needed, yes and no."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


class _Block(str):
    """Text to be written as a `|` block even when it is one line."""


class _Inline(list):
    """A list to be written on one line: `[a, b, c]`."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if isinstance(value, _Block) or "\n" in value.strip("\n"):
        # One final line break: a `|+` block would take in the blank lines after it.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip("\n") + "\n",
                                       style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_inline(dumper: yaml.SafeDumper, value: _Inline) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_bool(dumper: yaml.SafeDumper, value: bool) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:bool", "yes" if value else "no")


_Dumper.add_representer(bool, _represent_bool)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Block, _represent_str)
_Dumper.add_representer(_Inline, _represent_inline)


def _dump(value: Any) -> str:
    text = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH,
                     default_flow_style=False)
    # An end-of-document marker ends the stream PyYAML wrote, not the file this goes into.
    return text.removesuffix("\n...\n") + "\n" if text.endswith("\n...\n") else text


def _styled(value: Any, like: Node | None, kin: tuple[Node, ...]) -> Any:
    """`value` marked to be written like the node `like` it replaces, or like the same key in
    the sibling mappings `kin` when it replaces nothing."""
    if like is None and kin:
        like = kin[0]
    if isinstance(value, dict):
        return {key: _styled(item, _child(like, key), tuple(_child(k, key) for k in kin
                                                            if _child(k, key) is not None))
                for key, item in value.items()}
    if isinstance(value, list):
        first = like.value[0] if like is not None and like.kind == LIST and like.value else None
        items = [_styled(item, first, ()) for item in value]
        one_line = all(isinstance(item, str) and "\n" not in item for item in items)
        if like is not None and like.kind == LIST and like.style == "flow" and one_line:
            return _Inline(items)
        return items
    if isinstance(value, str) and value.strip() and like is not None and \
            like.style in ("|", ">"):
        return _Block(value)
    return value


def _child(node: Node | None, key: str) -> Node | None:
    if node is None or node.kind != MAPPING:
        return None
    return next((value for k, value in node.value if k.value == key), None)


def _indented(text: str, column: int) -> str:
    """Every line but the first moved right by `column` spaces (blank lines stay empty)."""
    first, *rest = text.split("\n")
    pad = " " * column
    return first + "".join("\n" + (pad + line if line else "") for line in rest)


# ---------------------------------------------------------------------------------------------
# Finding spans in the text.


@dataclass(frozen=True)
class _Slot:
    """Where a node sits: `root`, the value of `key` (a key node), or an `item` of a block
    list; `column` is the 0-based column of its key or its dash."""

    kind: str
    column: int
    key: Node | None = None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just past the end of the line holding `index` (past its line break)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(text: str, node: Node) -> int:
    """Where the node's own text ends: a `|` block without the blank lines after it, a block
    list or mapping at the end of its last value (not at the comments after it)."""
    if node.kind == SCALAR:
        if node.style not in ("|", ">"):
            return node.end
        end = node.end
        while end > node.start and text[end - 1] in " \t\r\n":
            end -= 1
        while end < len(text) and text[end] in " \t":
            end += 1
        return end
    if node.style == "flow" or not node.value:
        return node.end
    last = node.value[-1]
    return _content_end(text, last[1] if node.kind == MAPPING else last)


def _dash_column(text: str, item: Node) -> int:
    """The column of the dash that opens a block list item."""
    start = _line_start(text, item.start)
    dash = text.rfind("-", start, item.start)
    return (dash if dash >= 0 else item.start) - start


def _on_dash_line(text: str, node: Node) -> bool:
    """True when the node is written on the line of a list item's dash (`- id: ...`)."""
    return text[_line_start(text, node.start):node.start].strip() != ""


def _comments_above(text: str, index: int) -> int:
    """The start of the comment lines right above the line at `index` (or that line)."""
    start = _line_start(text, index)
    while start > 0:
        above = _line_start(text, start - 1)
        if not text[above:start].lstrip().startswith("#"):
            break
        start = above
    return start


def _blank_lines_above(text: str, start: int) -> int:
    while start > 0:
        above = _line_start(text, start - 1)
        if text[above:start].strip():
            break
        start = above
    return start


def _blank_lines_below(text: str, end: int) -> int:
    while end < len(text):
        below = _line_end(text, end)
        if text[end:below].strip():
            break
        end = below
    return end


def _spaced(text: str, items: list[Node]) -> bool:
    """True when the list's items are separated by blank lines."""
    if len(items) < 2:
        return False
    between = text[_line_end(text, _content_end(text, items[0])):
                   _line_start(text, items[1].start)]
    return any(not line.strip() for line in between.split("\n")[:-1])


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Collecting the edits: (start, end, replacement), applied together at the end.


class _Edits:
    """The replacements that make `text` hold new data, found by walking its nodes beside the
    data; `result()` applies them all at once (they never overlap)."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, int, str]] = []

    def add(self, start: int, end: int, replacement: str) -> None:
        self.edits.append((start, end, len(self.edits), replacement))

    def result(self) -> str:
        out, cursor = [], 0
        for start, end, _, replacement in sorted(self.edits):
            out.append(self.text[cursor:start])
            out.append(replacement)
            cursor = end
        out.append(self.text[cursor:])
        return "".join(out)

    def value(self, node: Node, new: Any, slot: _Slot, kin: tuple[Node, ...] = ()) -> None:
        """Make `node` hold `new`: nothing when it does already, changed parts when both are
        block lists or mappings, else the whole value written again."""
        if is_block(node) and _lines(new):
            self.block(node, new)
            return
        if plain(node) == new and _same_types(node, new):
            return
        if node.style == "block" and node.kind == MAPPING and isinstance(new, dict) and new \
                and self.keeps_first_key(node, new):
            self.mapping(node, new, kin)
        elif node.style == "block" and node.kind == LIST and isinstance(new, list) and new:
            self.list(node, new)
        else:
            self.replace(node, new, slot, kin)

    def replace(self, node: Node, new: Any, slot: _Slot, kin: tuple[Node, ...]) -> None:
        styled = _styled(new, node, kin)
        end = _content_end(self.text, node)
        if slot.kind == "key":
            body = _dump({"k": styled})[1:].rstrip("\n")
            self.add(slot.key.end, end, _indented(body, slot.column))
        elif slot.kind == "item":
            body = _dump([styled])[2:].rstrip("\n")
            self.add(node.start, end, _indented(body, slot.column))
        else:
            self.add(node.start, end, _dump(styled).rstrip("\n"))

    def keeps_first_key(self, node: Node, new: dict) -> bool:
        """False when a list item's mapping loses the key written on its dash line (`- id:`):
        the item is then written again as a whole."""
        first = node.value[0][0]
        return first.value in new or not _on_dash_line(self.text, first)

    def mapping(self, node: Node, new: dict, kin: tuple[Node, ...]) -> None:
        text = self.text
        pairs = {key.value: (key, value) for key, value in node.value}
        for key, value in node.value:
            if key.value not in new:
                start = _line_start(text, key.start)
                self.add(start, _line_end(text, _content_end(text, value)), "")
        first = node.value[0][0]
        column = first.start - _line_start(text, first.start)
        anchor = None  # the last existing key before the new ones
        for name, item in new.items():
            if name in pairs:
                key, value = pairs[name]
                self.value(value, item, _Slot("key", column, key),
                           tuple(c for k in kin if (c := _child(k, name)) is not None))
                anchor = value
                continue
            like = tuple(c for k in kin if (c := _child(k, name)) is not None)
            body = _dump({name: _styled(item, None, like)}).rstrip("\n")
            line = " " * column + _indented(body, column) + "\n"
            if anchor is None and not _on_dash_line(text, first):
                self.add(_line_start(text, first.start), _line_start(text, first.start), line)
            else:  # after the key before it, or after the first key when that opens the item
                anchor = anchor or node.value[0][1]
                self.insert_after(_content_end(text, anchor), line)

    def list(self, node: Node, new: list) -> None:
        text, items = self.text, node.value
        column = _dash_column(text, items[0])
        spaced = _spaced(text, items)
        kin = tuple(item for item in items if item.kind == MAPPING)
        old_keys = [_key(plain(item)) for item in items]
        matcher = difflib.SequenceMatcher(None, old_keys, [_key(v) for v in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for offset in range(paired):
                self.value(items[i1 + offset], new[j1 + offset], _Slot("item", column), kin)
            for index in range(i1 + paired, i2):
                self.delete_item(items, index)
            if j1 + paired < j2:
                self.insert_items(items, i1 + paired, new[j1 + paired:j2], column, spaced, kin)

    def block(self, node: Node, new: list[str]) -> None:
        """A list written as a `|` block, one item a line, made to hold `new`: changed lines
        only; notes (# lines) and blank lines stay where they are."""
        text = self.text
        start, end = _line_end(text, node.start), _content_end(text, node)
        lines = text[start:end].split("\n") if end > start else []
        items = [n for n, line in enumerate(lines) if block_item(line) is not None]
        old = [block_item(lines[n]) for n in items]
        if old == new:
            return
        first = lines[items[0]] if items else ""
        pad = first[:len(first) - len(first.lstrip())] if items else " " * (node.column + 1)
        before: dict[int, list[str]] = {}  # new items by the line they go above
        gone: set[int] = set()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            gone.update(items[i1:i2])
            if i1 == len(items):
                at = len(lines)
            else:  # a new item goes above the notes of the item after it, a changed one in place
                at = items[i1] if op == "replace" else _notes_above(lines, items[i1])
            before.setdefault(at, []).extend(pad + item for item in new[j1:j2])
        out = []
        for n, line in enumerate(lines):
            out += before.get(n, [])
            if n not in gone:
                out.append(line)
        out += before.get(len(lines), [])
        if end <= start:  # an empty block: the items go on the lines after its `|`
            self.add(start, start, "\n".join(out) + "\n")
        else:
            self.add(start, end, "\n".join(out))

    def delete_item(self, items: list[Node], index: int) -> None:
        text, item = self.text, items[index]
        start = _comments_above(text, item.start)
        end = _line_end(text, _content_end(text, item))
        if index > 0:
            start = _blank_lines_above(text, start)
        elif len(items) > 1:
            end = _blank_lines_below(text, end)
        self.add(start, end, "")

    def insert_items(self, items: list[Node], before: int, values: list, column: int,
                     spaced: bool, kin: tuple[Node, ...]) -> None:
        """New items placed before `items[before]` (after the last item when it is past the
        end), each written like its neighbours."""
        neighbour = items[min(before, len(items) - 1)]
        texts = []
        for value in values:
            like = neighbour if neighbour.kind == MAPPING or not isinstance(value, dict) else None
            body = _dump([_styled(value, like, kin)])[2:].rstrip("\n")
            texts.append(" " * column + "- " + _indented(body, column) + "\n")
        gap = "\n" if spaced else ""
        if before < len(items):
            at = _comments_above(self.text, items[before].start)
            self.add(at, at, "".join(t + gap for t in texts))
        else:
            self.insert_after(_content_end(self.text, items[-1]), "".join(gap + t for t in texts))

    def insert_after(self, index: int, lines: str) -> None:
        """`lines` (whole lines) placed after the line that holds `index`."""
        at = _line_end(self.text, index)
        if at == len(self.text) and not self.text.endswith("\n"):
            lines = "\n" + lines
        self.add(at, at, lines)


def _lines(value: Any) -> bool:
    """True when `value` can be written as a block of items one a line: a list of one-line
    texts, none read as a note or as nothing."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, str) and "\n" not in item and block_item(item) == item
        for item in value)


def _notes_above(lines: list[str], index: int) -> int:
    """The first of the note lines right above `lines[index]` (or `index`)."""
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1
    return index


def _same_types(node: Node, new: Any) -> bool:
    """False when equal values are of another type in the text (1 written for "1")."""
    if node.kind == SCALAR:
        return type(node.value) is type(new)
    if node.kind == LIST:
        return all(_same_types(item, value) for item, value in zip(node.value, new, strict=True))
    return all(_same_types(value, new[key.value]) for key, value in node.value)
