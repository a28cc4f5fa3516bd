"""Write a planned edit without ever losing or half-writing one: `apply(plan) -> Saved`.

Under the knowledge folder's edit lock (a lock file, so two saves never interleave, in one
process or several), a save
1. removes temporary files left by a save that was killed before it finished;
2. refuses with EditConflict when the file is no longer at the version the edit was made on;
3. validates again when any knowledge file changed since the plan was validated;
4. keeps the file it replaces as a new version in history/;
5. replaces the file atomically (a temporary file, synced, then renamed over it);
6. prunes the history to its limits (assistant.editing.history.prune).
A plan that changes nothing writes nothing; an invalid one raises KnowledgeInvalid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EditConflict, KnowledgeInvalid
from ..knowledge import SPECS, fingerprint
from ..safety_check import checked_knowledge
from .documents import path_of, read_raw, version_of
from .history import history_dir, limits, new_version, prune, version_folders
from .plan import EditPlan

LOCK_FILE = ".lock"
# What write_atomically names its temporary files: ".passages.yaml.k3j9x_2a.tmp".
_TEMPORARY = re.compile(r"^\.(?:" + "|".join(re.escape(name) for name in SPECS) +
                        r")\.\w+\.tmp$")


@dataclass(frozen=True)
class Saved:
    """What a save or restore did: the file's new version, the version folder keeping what it
    replaced (None when nothing changed, so nothing was written), and how many old versions
    the history lost to its limits."""

    name: str
    version: str
    backup: str | None
    pruned: int = 0


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def apply(plan: EditPlan, *, clock: Callable[[], dt.datetime] = _utcnow) -> Saved:
    """Write the plan's new text, if the file is still at the plan's base version and the
    knowledge base is valid with it.

    Raises KnowledgeInvalid (nothing written), EditConflict (someone saved first; their change
    is kept) or HistoryError (the history settings are wrong).
    """
    if plan.errors:
        raise KnowledgeInvalid(list(plan.errors))
    if plan.unchanged:
        return Saved(plan.file, plan.base_version, None)
    keep = limits()
    path = path_of(plan.directory, plan.file)
    with _locked(plan.directory) as root:
        remove_temporary_files(plan.directory)
        on_disk = read_raw(plan.directory, plan.file)
        if version_of(on_disk) != plan.base_version:
            raise EditConflict(str(path))
        if fingerprint(plan.directory) != plan.checked_at:
            checked_knowledge(plan.directory, overrides={plan.file: plan.new_text})
        now = clock()
        backup = new_version(root, now)
        write_atomically(backup / plan.file, on_disk)
        raw = plan.new_text.encode("utf-8")
        write_atomically(path, raw)
        pruned = prune(plan.directory, keep, now)
    return Saved(plan.file, version_of(raw), backup.name, len(pruned))


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
    folders = [Path(directory), *version_folders(history_dir(directory))]
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
