"""A knowledge file as an editor opens it: `open_file(directory, name) -> Document`.

The version of a file is a hash of its bytes: an editor passes back the version it started
from, and a save over a newer version is refused (assistant.editing.apply).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KnowledgeError
from ..knowledge import SPECS, decode, parse, plain, read_bytes


@dataclass(frozen=True)
class Document:
    """A knowledge file as an editor starts from: its text, its data and its version."""

    name: str
    text: str
    data: Any
    version: str

    def as_dict(self) -> dict:
        """Plain data, for session state (`Document(**d)` makes it again)."""
        return {"name": self.name, "text": self.text, "data": self.data,
                "version": self.version}


def version_of(raw: bytes) -> str:
    """The version of a file's contents, as editors pass it back."""
    return hashlib.sha256(raw).hexdigest()[:16]


# An article's text, as an import writes it: sources/<id>.txt.
SOURCE_TEXT = re.compile(r"^sources/[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")


def path_of(directory: str | os.PathLike, name: str) -> Path:
    """The path of the knowledge file `name` (a file of the schema, or an article's text
    sources/<id>.txt); ValueError for any other name."""
    if name not in SPECS and not SOURCE_TEXT.match(name):
        raise ValueError(f"name must be one of the knowledge files {sorted(SPECS)} or "
                         f"sources/<id>.txt, got {name!r}")
    return Path(directory) / name


def exists(directory: str | os.PathLike, name: str) -> bool:
    """True when there is anything at the path of `name` (a file, a link, a folder...)."""
    return os.path.lexists(path_of(directory, name))


def read_raw(directory: str | os.PathLike, name: str) -> bytes:
    """The file's bytes (a regular file only); KnowledgeError naming it when it cannot be read."""
    try:
        return read_bytes(path_of(directory, name), name)
    except KnowledgeError as exc:
        exc.within(folder=str(directory))
        raise


def open_file(directory: str | os.PathLike, name: str) -> Document:
    """The file `name` as an editor starts from; KnowledgeError when it cannot be read."""
    raw = read_raw(directory, name)
    try:
        text = decode(raw, name)
        data = plain(parse(text, name))
    except KnowledgeError as exc:
        exc.within(folder=str(directory))
        raise
    return Document(name=name, text=text, data=data, version=version_of(raw))


def current_version(directory: str | os.PathLike, name: str) -> str:
    """The version of the file on disk now; KnowledgeError when it cannot be read."""
    return version_of(read_raw(directory, name))
