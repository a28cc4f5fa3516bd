"""Serve the newest valid knowledge base, keeping the last good one when an edit breaks it.

This is the process's one engine cache: `current(directory) -> Serving`. Per knowledge folder it
holds the engine of the last version that loaded cleanly, and what the newest version on disk
gave (that engine, or its problem). Each call compares the version of the files on disk
(`knowledge_version`, the one check of whether they changed) with the one it holds and builds a
new engine only when they differ: a staff save is picked up on the next question without a
restart, a broken save keeps visitors on the last good engine, and a broken version is not
rebuilt on every question. The files are read and hashed only when their stamps (`file_stamps`:
size, inode, modification and change times) differ from the last call's, or when one of them
changed in the last two seconds, when a second write may not show in its times yet; otherwise
a question costs a stat per file. Engines are never changed once built, so every session and thread
shares them. The command line builds its own engine per command (`build_engine`).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .engine import Engine
from .errors import KnowledgeChanged, KnowledgeError, KnowledgeInvalid
from .knowledge import fingerprint, knowledge_files, load_knowledge
from .safety_check import replay_samples

Builder = Callable[[str, str], Engine]
MAX_FOLDERS = 8
# Files changed this recently are hashed even when their stamps match: a file system keeps
# times in ticks, so a second write within the same tick and of the same size looks the same.
RECENT_NS = 2_000_000_000

Stamps = tuple[tuple, ...]


def knowledge_version(directory: str | os.PathLike) -> str:
    """The version of the knowledge files on disk now (a fingerprint of their contents)."""
    return fingerprint(directory)


def file_stamps(directory: str | os.PathLike) -> Stamps:
    """Each knowledge file's name, type, size, inode, and modification and change times (or
    why it cannot be looked at), without reading it: any write or replacement changes them."""
    stamps = []
    for name in knowledge_files(directory):
        try:
            info = os.stat(os.path.join(directory, name), follow_symlinks=False)
        except OSError as exc:
            stamps.append((name, exc.errno))
            continue
        stamps.append((name, info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns,
                       info.st_ctime_ns))
    return tuple(stamps)


def _changed_lately(stamps: Stamps, now_ns: int) -> bool:
    return any(len(stamp) > 2 and now_ns - max(stamp[4], stamp[5]) < RECENT_NS
               for stamp in stamps)


def build_engine(directory: str | os.PathLike) -> Engine:
    """A new Engine for the knowledge files in `directory`, validated as every save is (the
    safety samples replayed through the engine's own screen)."""
    engine = Engine(load_knowledge(directory))
    replay_samples(engine.knowledge, engine.screen)
    return engine


def build_version(directory: str, version: str) -> Engine:
    """A new Engine for the knowledge files in `directory`, as they are at `version`.

    Raises KnowledgeChanged when a save lands during the load, so the cache never holds an
    engine under a version other than the one it was built from.
    """
    engine = build_engine(directory)
    if knowledge_version(directory) != version:
        raise KnowledgeChanged(directory)
    return engine


@dataclass(frozen=True)
class Serving:
    """The engine to answer with (None when no version ever loaded) and the current problem."""

    engine: Engine | None
    problem: KnowledgeInvalid | None
    version: str


@dataclass
class _Held:
    """What the cache knows of one folder: the last good engine, the newest version tried and
    its problem (None when it loaded)."""

    good: Engine | None = None
    version: str | None = None
    problem: KnowledgeInvalid | None = None
    stamps: Stamps | None = None
    on_disk: str | None = None  # the version of the files when they had `stamps`


class EngineCache:
    """The last good engine and the newest version's outcome per folder. Safe across threads:
    one build at a time, and sessions asking meanwhile wait for it rather than build again."""

    def __init__(self, build: Builder = build_version, max_folders: int = MAX_FOLDERS,
                 clock: Callable[[], int] = time.time_ns):
        self._build = build
        self._max_folders = max_folders
        self._clock = clock
        self._lock = threading.Lock()
        self._folders: OrderedDict[str, _Held] = OrderedDict()

    def serve(self, directory: str, attempts: int = 3) -> Serving:
        """The engine for the files on disk now, or the last good one with the problem."""
        directory = str(directory)
        stamps = file_stamps(directory)  # outside the lock: sessions look at the files at once
        with self._lock:
            held = self._held(directory)
            version = self._version_on_disk(directory, held, stamps)
            for _ in range(attempts):
                if version == held.version:
                    break
                try:
                    engine = self._build(directory, version)
                except KnowledgeChanged:
                    version = knowledge_version(directory)
                    continue
                except KnowledgeInvalid as problem:
                    held.version, held.problem = version, problem
                except Exception as exc:  # a bug must not take the chat down: keep serving
                    held.version, held.problem = version, _unexpected(directory, exc)
                else:
                    held.good, held.version, held.problem = engine, version, None
                break
            else:
                return Serving(held.good, KnowledgeInvalid([KnowledgeError(
                    "the files kept changing while they were loaded; try again",
                    file=directory)]), version)
            return Serving(held.good, held.problem, version)

    def _version_on_disk(self, directory: str, held: _Held, stamps: Stamps) -> str:
        """The files' version, hashed only when their stamps changed or are recent. The stamps
        are taken before hashing, so a write during the hash changes them for the next call."""
        if stamps == held.stamps and held.on_disk is not None and \
                not _changed_lately(stamps, self._clock()):
            return held.on_disk
        version = knowledge_version(directory)
        held.stamps, held.on_disk = stamps, version
        return version

    def _held(self, directory: str) -> _Held:
        held = self._folders.setdefault(directory, _Held())
        self._folders.move_to_end(directory)
        while len(self._folders) > self._max_folders:
            self._folders.popitem(last=False)
        return held


def _unexpected(directory: str, exc: Exception) -> KnowledgeInvalid:
    return KnowledgeInvalid([KnowledgeError(
        f"the knowledge base could not be loaded ({type(exc).__name__}: {exc})",
        file=directory)])


_CACHE = EngineCache()


def current(directory: str | os.PathLike) -> Serving:
    """What to answer with now from the knowledge folder `directory` (the process-wide cache)."""
    return _CACHE.serve(str(directory))
