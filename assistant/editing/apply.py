"""Write a planned edit without ever losing or half-writing one: `apply(plan) -> Saved`.

Under the knowledge folder's edit lock (a lock file, so two saves never interleave, in one
process or several), a save
1. removes temporary files left by a save that was killed before it finished;
2. refuses with EditConflict when a file is no longer at the version the edit was made on
   (or a new file, an imported article's text, is there already);
3. validates again when any knowledge file changed since the plan was validated;
4. keeps each file it replaces as a new version in history/;
5. replaces each file atomically (a temporary file, synced, then renamed over it), new files
   first and the plan's own file last, so every file a reader meets between two renames is
   valid with the others;
6. prunes the history to its limits (assistant.editing.history.prune).
A plan that changes nothing writes nothing; an invalid one raises KnowledgeInvalid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EditConflict, KnowledgeInvalid
from ..knowledge import SPECS, fingerprint
from ..knowledge.files import SOURCES_FOLDER
from ..safety_check import checked_knowledge
from .documents import path_of, read_raw, version_of
from .history import ABOUT, about_edit, history_dir, limits, new_version, prune, version_folders
from .plan import EditPlan, FileChange

LOCK_FILE = ".lock"
# What write_atomically names its temporary files: ".passages.yaml.k3j9x_2a.tmp", and in
# sources/ ".first-visit.txt.k3j9x_2a.tmp".
_TEMPORARY = re.compile(r"^\.(?:" + "|".join(re.escape(name) for name in (*SPECS, ABOUT)) +
                        r"|[a-z0-9-]+\.txt)\.\w+\.tmp$")


@dataclass(frozen=True)
class Saved:
    """What a save or restore did: the file's new version, the version folder keeping what it
    replaced (None when nothing changed, so nothing was written), how many old versions the
    history lost to its limits, and every version folder the save made (one per file it
    replaced: an article import replaces two)."""

    name: str
    version: str
    backup: str | None
    pruned: int = 0
    backups: tuple[str, ...] = ()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def apply(plan: EditPlan, *, clock: Callable[[], dt.datetime] = _utcnow) -> Saved:
    """Write the plan's new text (and its other files'), if every file is still at the
    version the plan was made on and the knowledge base is valid with them.

    Raises KnowledgeInvalid (nothing written), EditConflict (someone saved first; their change
    is kept) or HistoryError (the history settings are wrong).
    """
    if plan.errors:
        raise KnowledgeInvalid(list(plan.errors))
    if plan.unchanged:
        return Saved(plan.file, plan.base_version, None)
    keep = limits()
    with _locked(plan.directory) as root:
        remove_temporary_files(plan.directory)
        on_disk = {change.name: _at_version(plan.directory, change) for change in plan.changes}
        if fingerprint(plan.directory) != plan.checked_at:
            checked_knowledge(plan.directory,
                              overrides={c.name: c.new_text for c in plan.changes})
        now = clock()
        backups: dict[str, str] = {}
        for change in plan.changes:
            raw = change.new_text.encode("utf-8")
            old = on_disk[change.name]
            if old == raw:
                continue
            if old is not None:
                backup = new_version(root, now)
                write_atomically(backup / change.name, old)
                write_atomically(backup / ABOUT, json.dumps(about_edit(plan.edit)).encode())
                backups[change.name] = backup.name
            path = path_of(plan.directory, change.name)
            path.parent.mkdir(exist_ok=True)
            write_atomically(path, raw)
        pruned = prune(plan.directory, keep, now)
    first = backups.get(plan.file) or next(iter(backups.values()), None)
    return Saved(plan.file, version_of(plan.new_text.encode("utf-8")), first, len(pruned),
                 tuple(backups.values()))


def _at_version(directory: str, change: FileChange) -> bytes | None:
    """The file's bytes, if it is still at the version the change was planned on (None for a
    new file, which must still be missing); EditConflict otherwise."""
    path = path_of(directory, change.name)
    if change.base_version is None:
        if os.path.lexists(path):
            raise EditConflict(str(path))
        return None
    raw = read_raw(directory, change.name)
    if version_of(raw) != change.base_version:
        raise EditConflict(str(path))
    return raw


@contextlib.contextmanager
def _locked(directory: str | os.PathLike) -> Iterator[Path]:
    """Hold the knowledge folder's edit lock (a lock file in the history folder)."""
    root = history_dir(directory)
    root.mkdir(exist_ok=True)
    with open(root / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield root
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_temporary_files(directory: str | os.PathLike) -> list[Path]:
    """Delete what a killed save left: temporary files of write_atomically in the knowledge
    folder and in its version folders. Only under the edit lock (no save is running)."""
    sources = Path(directory) / SOURCES_FOLDER
    folders = [Path(directory), *version_folders(history_dir(directory))]
    if sources.is_dir() and not sources.is_symlink():
        folders.append(sources)
    gone = []
    for folder in folders:
        for entry in folder.iterdir():
            if _TEMPORARY.match(entry.name) and entry.is_file() and not entry.is_symlink():
                entry.unlink()
                gone.append(entry)
    return gone


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
