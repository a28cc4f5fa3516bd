"""Which files make a knowledge base, and reading one of them safely.

Only regular files are read: a symbolic link, a pipe (FIFO), a device or a folder in place of a
knowledge file is refused with a KnowledgeError naming it, never followed, waited on or crashed
on. Files over `MAX_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from ..errors import KnowledgeError, KnowledgeFolderMissing
from .schema import FILES

# safety.yaml holds every written safety set's messages as samples and grows about 50-100 KB a
# tuning round; it passed 1 MB with set AA's and 2 MB with sets AY's and AZ's. Still a bound
# read before parsing (libyaml reads 4 MB in about 20 ms; MAX_NODES bounds what is built).
MAX_FILE_BYTES = 4_000_000
SOURCES_FOLDER = "sources"

# O_NOFOLLOW: a symbolic link is refused (ELOOP) instead of followed. O_NONBLOCK: opening a FIFO
# returns at once instead of waiting for a writer; the file type is checked right after.
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_bytes(path: str | os.PathLike, file: str) -> bytes:
    """The contents of the regular file at `path`; KnowledgeError (for `file`) saying why not."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise KnowledgeError(_open_problem(exc), file=file) from exc
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise KnowledgeError(_not_a_file(info.st_mode), file=file)
        refuse_oversized(info.st_size, file)
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise KnowledgeError(_too_big(f"over {MAX_FILE_BYTES:,} bytes"), file=file)
        return b"".join(chunks)
    except OSError as exc:
        raise KnowledgeError(f"the file cannot be read ({exc.strerror})", file=file) from exc
    finally:
        os.close(descriptor)


def _open_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "file not found; the knowledge folder needs this file"
    if exc.errno == errno.ELOOP:
        return ("this is a symbolic link, which is not followed; put the file itself here, "
                "inside the knowledge folder")
    if exc.errno == errno.ENOTDIR:
        return "the folder this file should be in is not a folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "the file cannot be read: permission denied"
    return f"the file cannot be read ({exc.strerror})"


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file; put the file itself here"
    kind = "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"this is {kind}, not a regular file, so it was not read"


def refuse_oversized(size: int, file: str) -> None:
    """A KnowledgeError when `size` bytes are over the limit for a knowledge file."""
    if size > MAX_FILE_BYTES:
        raise KnowledgeError(_too_big(f"{size:,} bytes"), file=file)


def _too_big(size: str) -> str:
    return (f"the file is {size}, over the {MAX_FILE_BYTES:,}-byte limit for knowledge files; "
            "it was not loaded")


def check_folder(directory: str | os.PathLike, origin: str | None = None,
                 present: Mapping[str, str] | None = None) -> None:
    """Raise KnowledgeFolderMissing when `directory` is not a folder or holds none of the
    knowledge files (names in `present` count as there), naming `origin`, what chose it."""
    root = Path(directory)
    if not root.is_dir():
        raise KnowledgeFolderMissing(str(directory), empty=False, origin=origin,
                                     is_file=os.path.lexists(root))
    names = tuple(spec.name for spec in FILES)
    if not any(name in (present or {}) or os.path.lexists(root / name) for name in names):
        raise KnowledgeFolderMissing(str(directory), empty=True, expected=names, origin=origin)


def knowledge_files(directory: str | os.PathLike) -> list[str]:
    """The files a knowledge base is made of, relative to its folder: the YAML files of the
    schema and every entry of the sources folder (whether or not they can be read)."""
    files = [spec.name for spec in FILES]
    try:
        with os.scandir(Path(directory) / SOURCES_FOLDER) as entries:
            files += sorted(f"{SOURCES_FOLDER}/{entry.name}" for entry in entries)
    except OSError:  # no sources folder (the loader says so when a source needs it)
        pass
    return files


def fingerprint(directory: str | os.PathLike) -> str:
    """A hash of the knowledge files' names and contents: it changes whenever one changes.

    This is the one check of whether the knowledge base changed (serving calls it per question).
    """
    digest = hashlib.sha256()
    root = Path(directory)
    for file in knowledge_files(root):
        digest.update(file.encode() + b"\0")
        try:
            digest.update(read_bytes(root / file, file))
        except KnowledgeError as exc:
            digest.update(f"<{exc.problem}>".encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
