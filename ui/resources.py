"""The engine for the knowledge files on disk now, built once per version per process.

`current_serving()` is the one entry point. The index is built by a `st.cache_resource` function
keyed by (folder, fingerprint), so a staff save is picked up on the next question without a
restart, and the cached Engine is shared by every session and never changed. The `LastGood`
holder is cached too, so a broken save keeps serving the last version that loaded.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from assistant.engine import Engine
from assistant.errors import describe
from assistant.serving import LastGood, Serving, build_engine
from assistant.settings import knowledge_dir

logger = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def last_good() -> LastGood:
    """The process-wide memory of the last knowledge base that loaded cleanly."""
    return LastGood()


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_engine(directory: str, version: str) -> Engine:
    """An Engine for one version of the knowledge files (failures are not cached)."""
    return build_engine(directory, version)


@functools.lru_cache(maxsize=64)
def _report(directory: str, version: str, message: str) -> None:
    """Log a broken knowledge base once per version, not on every rerun."""
    logger.error("knowledge base %s (version %s) cannot be loaded; visitors are served the "
                 "last good version if there is one.\n%s", directory, version, message)


def current_serving(directory: str | None = None) -> Serving:
    """The engine to answer with now, and the problem with the files on disk, if any."""
    folder = directory or knowledge_dir()
    serving = last_good().serve(folder, cached_engine)
    if serving.problem is not None:
        _report(folder, serving.version, describe(serving.problem))
    return serving
