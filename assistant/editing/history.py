"""The saved versions of the knowledge files: list them, plan a restore, prune old ones.

Every save keeps the file it replaces in `history/<version>/<name>`, the version named by the
UTC time of the save. Entry points: `history(directory) -> [Version]` (newest first),
`plan_restore(directory, version) -> EditPlan` (a restore is an edit like any other: planned,
validated, then applied), and `prune(directory, limits, now)`, which every save runs: a version
is kept while it is among the newest `limits.versions` and younger than `limits.days`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..engine import Engine
from ..errors import HistoryError, KnowledgeError
from ..knowledge import SPECS, decode, read_bytes
from .documents import read_raw, version_of
from .edits import Restore
from .plan import EditPlan, checked_plan, text_diff

HISTORY_DIR = "history"
_VERSION_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_VERSION = re.compile(r"^\d{8}T\d{6}\.\d{6}Z(?:-\d+)?$")


ABOUT = "about.json"  # in a version folder: what the save that made it was
_ABOUT_BYTES = 4096


@dataclass(frozen=True)
class Version:
    """One backup in the history folder: the file as it was before a save replaced it.
    `about` says what that save was, when known: {"kind": "Restore", "restored": "<id>"}."""

    id: str
    name: str
    saved_at: dt.datetime
    path: Path
    about: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Limits:
    """How much history is kept: at most `versions` versions, none older than `days`."""

    versions: int
    days: int


def limits() -> Limits:
    """The configured limits ($ASSISTANT_HISTORY_VERSIONS, $ASSISTANT_HISTORY_DAYS); a
    HistoryError naming the variable when one is not a whole number of at least 1."""
    try:
        return Limits(settings.history_versions(), settings.history_days())
    except ValueError as exc:
        raise HistoryError(f"Nothing was saved: {exc}.") from None


def history_dir(directory: str | os.PathLike) -> Path:
    return Path(directory) / HISTORY_DIR


def history(directory: str | os.PathLike) -> list[Version]:
    """The backups in the history folder, newest first."""
    root = history_dir(directory)
    if not _is(root, stat.S_ISDIR):
        return []
    versions = []
    for folder in version_folders(root):
        for file in folder.iterdir():
            if file.name in SPECS and _is(file, stat.S_ISREG):
                saved_at = dt.datetime.strptime(folder.name[:23], _VERSION_FORMAT)
                versions.append(Version(id=folder.name, name=file.name,
                                        saved_at=saved_at.replace(tzinfo=dt.UTC), path=file,
                                        about=_about(folder)))
    return sorted(versions, key=lambda v: (v.saved_at, _suffix(v.id)), reverse=True)


def _about(folder: Path) -> dict[str, str]:
    """What the save that made a version folder was ({} when it did not say)."""
    try:
        data = json.loads(read_bytes(folder / ABOUT, ABOUT)[:_ABOUT_BYTES])
    except (KnowledgeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def about_edit(edit: object) -> dict[str, str]:
    """What a version folder records of the save that made it: the kind of edit, and for a
    restore the version it put back."""
    about = {"kind": type(edit).__name__}
    if isinstance(edit, Restore):
        about["restored"] = edit.version
    return about


def text_after(directory: str | os.PathLike, version: Version) -> str | None:
    """The file as the save that made `version` left it: the next newer version of the same
    file, else the file on disk now (None when it cannot be read)."""
    newer = [v for v in history(directory) if v.name == version.name and
             (v.saved_at, _suffix(v.id)) > (version.saved_at, _suffix(version.id))]
    try:
        if newer:
            return decode(read_bytes(newer[-1].path, version.name), version.name)
        return read_raw(directory, version.name).decode("utf-8", errors="replace")
    except KnowledgeError:
        return None


def saved_text(directory: str | os.PathLike, version: str) -> str:
    """The text of a saved version; HistoryError when there is none or it cannot be read."""
    return _saved_text(directory, version)[1]


def find_version(directory: str | os.PathLike, version: str) -> Version:
    """The backup with this id; HistoryError naming the newest ones when there is none."""
    versions = history(directory)
    for candidate in versions:
        if candidate.id == version:
            return candidate
    newest = ", ".join(v.id for v in versions[:3])
    hint = f" The newest are: {newest}." if newest else " There are no saved versions yet."
    raise HistoryError(f"There is no saved version '{version}' in "
                       f"{history_dir(directory)}.{hint}", version=version)


def plan_restore(directory: str | os.PathLike, version: str, *,
                 base_version: str | None = None, preview: str | None = None,
                 compare_with: Engine | None = None) -> EditPlan:
    """The plan of putting a backed-up version back, byte for byte, over the file on disk now
    (which may be broken: a restore is how it is mended). `base_version` is the version of the
    file the person restoring looked at (default: the one on disk now); applying the plan over
    any other is refused. HistoryError when there is no such version or it cannot be read;
    KnowledgeError when the file on disk cannot be read."""
    found, text = _saved_text(directory, version)
    now = read_raw(directory, found.name)
    return checked_plan(directory, found.name, Restore(found.name, version),
                        base_version or version_of(now), now.decode("utf-8", errors="replace"),
                        text, preview=preview, compare_with=compare_with)


def restore_diff(directory: str | os.PathLike, version: str) -> tuple[str, str | None]:
    """What restoring `version` would change in the file on disk now, as a unified diff, and
    the version of that file (None when it cannot be read; the diff is then from nothing).
    Nothing is validated: plan_restore does that."""
    found, text = _saved_text(directory, version)
    try:
        now = read_raw(directory, found.name)
    except KnowledgeError:
        return text_diff("", text, f"{found.name} now", f"{found.name} in this version"), None
    return text_diff(now.decode("utf-8", errors="replace"), text, f"{found.name} now",
                     f"{found.name} in this version"), version_of(now)


def _saved_text(directory: str | os.PathLike, version: str) -> tuple[Version, str]:
    found = find_version(directory, version)
    try:
        return found, decode(read_bytes(found.path, found.name), found.name)
    except KnowledgeError as exc:
        raise HistoryError(f"The saved version '{version}' cannot be read: {exc.problem}",
                           version=version) from exc


def new_version(root: Path, now: dt.datetime) -> Path:
    """A new, empty version folder named by the UTC time `now` (made unique with a suffix)."""
    stamp = now.astimezone(dt.UTC).strftime(_VERSION_FORMAT)
    version, suffix = stamp, 1
    while True:
        try:
            (root / version).mkdir()
            return root / version
        except FileExistsError:
            suffix += 1
            version = f"{stamp}-{suffix}"


def prune(directory: str | os.PathLike, keep: Limits, now: dt.datetime) -> list[str]:
    """Delete the versions beyond the newest `keep.versions` or older than `keep.days`, and
    version folders holding no knowledge file (left by a save that was killed); the ids
    deleted. Run under the edit lock, so no save is writing a version meanwhile."""
    root = history_dir(directory)
    kept = {v.id for v in history(directory)[:keep.versions]
            if now - v.saved_at <= dt.timedelta(days=keep.days)}
    gone = []
    for folder in version_folders(root):
        if folder.name not in kept:
            shutil.rmtree(folder)
            gone.append(folder.name)
    return sorted(gone)


def version_folders(root: Path) -> list[Path]:
    """The version folders in the history folder `root` (real folders with a version's name)."""
    if not _is(root, stat.S_ISDIR):
        return []
    return [folder for folder in root.iterdir()
            if _VERSION.match(folder.name) and _is(folder, stat.S_ISDIR)]


def _is(path: Path, kind: Callable[[int], bool]) -> bool:
    """True when `path` itself (a symbolic link is not followed) is of this kind."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _suffix(version: str) -> int:
    return int(version.split("-")[1]) if "-" in version else 1
