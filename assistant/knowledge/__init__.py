"""The knowledge base: files on disk -> validated, frozen `Knowledge`.

    model.py    the frozen dataclasses the rest of the program reads (Knowledge, Passage, ...)
    schema.py   the files' schema as data (FILES), one validator per field kind, the file check
    reader.py   bytes (UTF-8, checked as libyaml reads them) -> one bounded YAML parse -> Nodes
                that keep their lines
    files.py    which files make the knowledge base; reading regular files only; fingerprint
    quotes.py   word-for-word quote comparison
    health.py   the words that make text a health claim (refused in clinic facts)
    loader.py   load_knowledge(directory, overrides) -> Knowledge, or KnowledgeInvalid

It imports nothing of the engine: the engine is built from a Knowledge, not the other way round.
"""

from .files import MAX_FILE_BYTES, check_folder, fingerprint, knowledge_files, read_bytes
from .loader import load_knowledge
from .model import (
    Clinic,
    Fact,
    Kind,
    Knowledge,
    Passage,
    SafetyRule,
    SmalltalkReply,
    Source,
    Synonym,
    Topic,
)
from .quotes import fold
from .reader import MAX_DEPTH, MAX_NODES, Node, decode, parse, plain
from .schema import FILES, LIST_KINDS, SPECS, Field, FileSpec

__all__ = [
    "FILES", "LIST_KINDS", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "SPECS", "Clinic", "Fact",
    "Field", "FileSpec", "Kind", "Knowledge", "Node", "Passage", "SafetyRule", "SmalltalkReply",
    "Source", "Synonym", "Topic",
    "check_folder", "decode", "fingerprint", "fold", "knowledge_files", "load_knowledge", "parse",
    "plain", "read_bytes",
]
