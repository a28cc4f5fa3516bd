"""Save staff edits to the knowledge files without ever losing or half-writing one.

Entry points: `open_file(directory, name) -> Document` to start editing, `save(directory, name,
data, base_version)` to write, `history(directory)` and `restore(directory, version)`.
A save (1) is refused with EditConflict when the file changed since the editor opened it,
(2) serialises the data with the file's leading comment block kept, (3) validates the whole
knowledge base with the new text, writing nothing when it is invalid, (4) copies the current file
to `history/<version>/<name>`, and (5) replaces the file atomically. Saves hold a lock file, so
two of them never interleave, in one process or several.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import EditConflict, HistoryError, KnowledgeError
from .knowledge import SPECS, Knowledge, decode, parse, plain, read_bytes
from .safety_check import checked_knowledge

HISTORY_DIR = "history"
LOCK_FILE = ".lock"
# Lists under these keys hold short words and phrases: written on one line, as the files do.
_INLINE_LISTS = frozenset({"keywords", "words", "phrases"})
# Text under these keys is the article's or a safety message's lines: written as a `|` block.
_BLOCK_TEXTS = frozenset({"text", "message"})
# A list entry longer than this many lines is followed by a blank line, for readability.
_SPACED_ENTRY_LINES = 4
_VERSION_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_VERSION = re.compile(r"^\d{8}T\d{6}\.\d{6}Z(?:-\d+)?$")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Document:
    """A knowledge file as an editor opens it: its data, its version and its comment block."""

    name: str
    data: Any
    version: str
    header: str


@dataclass(frozen=True)
class Saved:
    """What a save or restore did: the file's new version and where the old one was kept."""

    name: str
    version: str
    backup: str


@dataclass(frozen=True)
class Version:
    """One backup in the history folder: the file as it was before a save replaced it."""

    id: str
    name: str
    saved_at: dt.datetime
    path: Path


# ---------------------------------------------------------------------------------------------
# Pure helpers: versions, comment blocks, YAML text.


def version_of(raw: bytes) -> str:
    """The version of a file's contents, as editors pass it back in `base_version`."""
    return hashlib.sha256(raw).hexdigest()[:16]


def header_of(text: str) -> str:
    """The file's leading comment block (comment and blank lines before the data)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    header = "".join(lines).rstrip("\n")
    return header + "\n" if header else ""


class _Dumper(yaml.SafeDumper):
    """safe_dump as people write these files: list items indented under their key, text over
    several lines as a `|` block, and lists of short words on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if isinstance(value, _Block) or "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Block(str):
    """Text to be written as a `|` block even when it is one line."""


class _Inline(list):
    """A list to be written in flow style: `[a, b, c]`."""


def _represent_inline(dumper: yaml.SafeDumper, value: _Inline) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Block, _represent_str)
_Dumper.add_representer(_Inline, _represent_inline)


def _styled(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _styled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        if key in _INLINE_LISTS and all(isinstance(v, str) and "\n" not in v for v in items):
            return _Inline(items)
        return items
    if isinstance(value, str) and key in _BLOCK_TEXTS:
        return _Block(value if value.endswith("\n") else value + "\n")
    return value


def dump(data: Any, header: str = "") -> str:
    """The YAML text of `data`, after the comment block `header`."""
    body = yaml.dump(_styled(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=1_000_000, default_flow_style=False)
    return header + _space_entries(body)


def _space_entries(body: str) -> str:
    """Entries of the top-level list separated by blank lines when any spans several lines.

    Only a top-level entry starts with exactly two spaces and a dash: everything inside an
    entry, block text included, is indented further.
    """
    lines = body.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    ends = [*starts[1:], len(lines)] if starts else []
    if not any(end - start > _SPACED_ENTRY_LINES for start, end in zip(starts, ends, strict=True)):
        return body
    return "".join(("\n" if i in starts[1:] else "") + line for i, line in enumerate(lines))


# ---------------------------------------------------------------------------------------------
# Reading.


def _path(directory: str | os.PathLike, name: str) -> Path:
    if name not in SPECS:
        raise ValueError(f"name must be one of the knowledge files {sorted(SPECS)}, got {name!r}")
    return Path(directory) / name


def open_file(directory: str | os.PathLike, name: str) -> Document:
    """The file `name` as an editor starts from; KnowledgeError when it cannot be read."""
    raw = _read(directory, name)
    try:
        text = decode(raw, name)
        data = plain(parse(text, name))
    except KnowledgeError as exc:
        exc.within(folder=str(directory))
        raise
    return Document(name=name, data=data, version=version_of(raw), header=header_of(text))


def current_version(directory: str | os.PathLike, name: str) -> str:
    """The version of the file on disk now."""
    return version_of(_read(directory, name))


def _read(directory: str | os.PathLike, name: str) -> bytes:
    """The file's bytes (a regular file only); KnowledgeError naming it when it cannot be read."""
    try:
        return read_bytes(_path(directory, name), name)
    except KnowledgeError as exc:
        exc.within(folder=str(directory))
        raise


def _header(directory: str | os.PathLike, name: str) -> str:
    """The comment block of the file on disk, kept above an edit ("" when it cannot be read)."""
    try:
        return header_of(decode(_read(directory, name), name))
    except KnowledgeError:
        return ""


def check(directory: str | os.PathLike, name: str, data: Any) -> Knowledge:
    """The knowledge base as it would be with `data` saved in `name`; KnowledgeInvalid if not.

    Nothing is written: this is the validation a save runs, used for previews and impact checks.
    """
    _path(directory, name)
    return checked_knowledge(directory, overrides={name: dump(data, _header(directory, name))})


# ---------------------------------------------------------------------------------------------
# Writing.


@contextlib.contextmanager
def _locked(directory: str | os.PathLike) -> Iterator[Path]:
    """Hold the knowledge folder's edit lock (a lock file in the history folder)."""
    history_dir = Path(directory) / HISTORY_DIR
    history_dir.mkdir(exist_ok=True)
    with open(history_dir / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield history_dir
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, raw: bytes) -> None:
    """Replace `path` with `raw` so that readers see the old file or the new one, never half."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _backup(history_dir: Path, name: str, raw: bytes, now: dt.datetime) -> str:
    """Keep `raw`, the file `name` as it was, in a new version folder named by the UTC time;
    the version id."""
    stamp = now.astimezone(dt.UTC).strftime(_VERSION_FORMAT)
    version, suffix = stamp, 1
    while True:
        try:
            (history_dir / version).mkdir()
            break
        except FileExistsError:
            suffix += 1
            version = f"{stamp}-{suffix}"
    descriptor = os.open(history_dir / version / name,
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    return version


def _write(directory: str | os.PathLike, name: str, text: str, base_version: str | None,
           clock: Callable[[], dt.datetime]) -> Saved:
    """Conflict check, validation, backup and atomic write of `text`, under the edit lock."""
    path = _path(directory, name)
    with _locked(directory) as history_dir:
        on_disk = _read(directory, name)
        if base_version is not None and version_of(on_disk) != base_version:
            raise EditConflict(str(path))
        checked_knowledge(directory, overrides={name: text})
        backup = _backup(history_dir, name, on_disk, clock())
        raw = text.encode("utf-8")
        write_atomically(path, raw)
    return Saved(name=name, version=version_of(raw), backup=backup)


def save(directory: str | os.PathLike, name: str, data: Any, base_version: str, *,
         clock: Callable[[], dt.datetime] = _utcnow) -> Saved:
    """Write `data` as the knowledge file `name`, if it is still at `base_version` and valid.

    Raises EditConflict (someone saved first; their change is kept) or KnowledgeInvalid (the
    edit is wrong; nothing written).
    """
    _path(directory, name)
    return _write(directory, name, dump(data, _header(directory, name)), base_version, clock)


# ---------------------------------------------------------------------------------------------
# History.


def history(directory: str | os.PathLike) -> list[Version]:
    """The backups in the history folder, newest first."""
    root = Path(directory) / HISTORY_DIR
    if not _is(root, stat.S_ISDIR):
        return []
    versions = []
    for folder in root.iterdir():
        if not _VERSION.match(folder.name) or not _is(folder, stat.S_ISDIR):
            continue
        for file in folder.iterdir():
            if file.name in SPECS and _is(file, stat.S_ISREG):
                saved_at = dt.datetime.strptime(folder.name[:23], _VERSION_FORMAT)
                versions.append(Version(id=folder.name, name=file.name,
                                        saved_at=saved_at.replace(tzinfo=dt.UTC), path=file))
    return sorted(versions, key=lambda v: (v.saved_at, _suffix(v.id)), reverse=True)


def _is(path: Path, kind: Callable[[int], bool]) -> bool:
    """True when `path` itself (a symbolic link is not followed) is of this kind."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _suffix(version: str) -> int:
    return int(version.split("-")[1]) if "-" in version else 1


def find_version(directory: str | os.PathLike, version: str) -> Version:
    """The backup with this id; HistoryError naming the newest ones when there is none."""
    versions = history(directory)
    for candidate in versions:
        if candidate.id == version:
            return candidate
    newest = ", ".join(v.id for v in versions[:3])
    hint = f" The newest are: {newest}." if newest else " There are no saved versions yet."
    raise HistoryError(f"There is no saved version '{version}' in "
                       f"{Path(directory) / HISTORY_DIR}.{hint}", version=version)


def restore(directory: str | os.PathLike, version: str, base_version: str | None = None, *,
            clock: Callable[[], dt.datetime] = _utcnow) -> Saved:
    """Put a backed-up version back, exactly as it was, through the same checks as a save.

    The file it replaces is backed up first. `base_version`, when given, is the version the
    person restoring was looking at: restoring over a newer save raises EditConflict.
    """
    found = find_version(directory, version)
    try:
        text = decode(read_bytes(found.path, found.name), found.name)
    except KnowledgeError as exc:
        raise HistoryError(f"The saved version '{version}' cannot be read: {exc.problem}",
                           version=version) from exc
    return _write(directory, found.name, text, base_version, clock)
