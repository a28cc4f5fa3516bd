"""Lists of texts written as a `|` block, one item a line, and where each item is written.

A long list of one-line texts (the safety samples: thousands) is written as one YAML block
instead of a YAML list: libyaml reads a block as one value, several times faster than as a list
of thousands of items. Blank lines and notes (lines starting with #) are not items.

Entry points: `is_block(node)`, `block_texts(text)` (the items), `block_items(text)` (the items
with their line offsets), `block_item(line)`, and `Lines`, the lines of entries, keys and list
items of a knowledge base, where the lines of a block's items are worked out only when one is
asked for.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator, Mapping, Sequence

from .reader import SCALAR, Node


def is_block(node: Node) -> bool:
    """True when the node is text written as a `|` block (which a list field reads as a list)."""
    return node.kind == SCALAR and node.style == "|" and isinstance(node.value, str)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _lines(text: str) -> list[str]:
    """The block's lines in Unicode NFC. A line break never combines with a character, so the
    block's NFC is its lines' NFC: only the lines that are not ASCII need normalising, and the
    thousands of ASCII samples of a block holding one accent are not scanned again."""
    lines = text.split("\n")
    if text.isascii():
        return lines
    return [line if line.isascii() else unicodedata.normalize("NFC", line) for line in lines]


def block_texts(text: str) -> tuple[str, ...]:
    """The items of a block, as staff meant them (Unicode NFC, no spaces around)."""
    return tuple([item for item in map(str.strip, _lines(text)) if item and item[0] != "#"])


@functools.lru_cache(maxsize=64)
def block_items(text: str) -> tuple[tuple[int, str], ...]:
    """(line offset, item) of each item of a block: offset 1 is the block's first line. The
    same items as `block_texts`, which skips the offsets: a load needs only the items."""
    return tuple((offset, item) for offset, item in enumerate(map(str.strip, _lines(text)),
                                                              start=1)
                 if item and item[0] != "#")


def block_item(line: str) -> str | None:
    """The item one line of a block holds (None for a blank line or a note)."""
    item = _nfc(line).strip()
    return item if item and item[0] != "#" else None


class Lines(Mapping):
    """(file, entry id[, key[, list item]]) -> the 1-based line where it is written.

    `exact` holds what was recorded one by one: entries and keys. The lines of list items are
    found when asked for (a load records thousands of safety samples and patterns and asks for
    the line of one only when it fails): `blocks` maps (file, entry id, key) to the line of a
    block's `|` and its text; `lists` maps it to a YAML list's texts as its field's check cleaned
    them (None for an item that is not text) and their lines. The first item with the text
    asked for is the one found."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], int] = {}
        self.blocks: dict[tuple[str, ...], tuple[int, str]] = {}
        self.lists: dict[tuple[str, ...], tuple[Sequence[str | None], list[int]]] = {}

    def __getitem__(self, key: tuple[str, ...]) -> int:
        if key in self.exact:
            return self.exact[key]
        if len(key) == 4:
            block = self.blocks.get(key[:-1])
            if block is not None:
                for offset, item in block_items(block[1]):
                    if item == key[-1]:
                        return block[0] + offset
            listed = self.lists.get(key[:-1])
            if listed is not None:
                for text, line in zip(*listed, strict=True):
                    if text == key[-1]:
                        return line
        raise KeyError(key)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self.exact)

    def __len__(self) -> int:
        return len(self.exact)

    def update(self, other: Lines) -> None:
        """Take in the lines of another file's check."""
        self.exact.update(other.exact)
        self.blocks.update(other.blocks)
        self.lists.update(other.lists)
