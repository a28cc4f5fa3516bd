"""The project's exceptions, and the one place where they are worded for people.

    AssistantError
     ├── KnowledgeError           one problem in one knowledge file (path, line, entry, key)
     ├── KnowledgeInvalid         a knowledge base with one or more KnowledgeErrors
 │    └── KnowledgeFolderMissing  no knowledge folder there, or one holding none of its files
     ├── KnowledgeChanged         the files changed while they were being loaded
     ├── EditConflict             a staff save based on an outdated version of a file
     ├── HistoryError             a backup that does not exist or cannot be restored
     └── StoreError               the visitor-question store cannot be used
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error this project raises on purpose."""


class KnowledgeError(AssistantError):
    """One problem found in one knowledge file.

    `path` is the file as staff know it (relative to the knowledge folder's parent when possible),
    `line` is 1-based, `entry` names the entry (e.g. "passage 'swedish-massage'"), `key` the field.
    """

    def __init__(self, message: str, *, path: str, line: int | None = None,
                 column: int | None = None, entry: str | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.entry = entry
        self.key = key

    def __str__(self) -> str:
        return describe(self)

    def as_dict(self) -> dict:
        """Plain data for pages and JSON output."""
        return {"path": self.path, "line": self.line, "column": self.column,
                "entry": self.entry, "key": self.key, "message": self.message}


class KnowledgeInvalid(AssistantError):
    """The knowledge base cannot be used; `errors` lists every problem found."""

    def __init__(self, errors: list[KnowledgeError]):
        super().__init__(f"{len(errors)} problem(s) in the knowledge base")
        self.errors = list(errors)

    def __str__(self) -> str:
        return describe(self)


class KnowledgeFolderMissing(KnowledgeInvalid):
    """The knowledge folder `directory` does not exist, or (`empty`) holds none of the `expected`
    files. `origin` says what chose the folder: "ASSISTANT_KNOWLEDGE_DIR", "--knowledge",
    "default", or None when the caller did not say. One message instead of one per file."""

    def __init__(self, directory: str, *, empty: bool, expected: tuple[str, ...] = (),
                 origin: str | None = None):
        what = "holds none of the knowledge files" if empty else "does not exist"
        super().__init__([KnowledgeError(f"the knowledge folder {what}", path=directory)])
        self.directory = directory
        self.empty = empty
        self.expected = tuple(expected)
        self.origin = origin


class KnowledgeChanged(AssistantError):
    """The knowledge files in `directory` changed while they were being loaded."""

    def __init__(self, directory: str):
        super().__init__(directory)
        self.directory = directory

    def __str__(self) -> str:
        return describe(self)


class EditConflict(AssistantError):
    """A save was based on a version of `path` that someone else has changed since."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path

    def __str__(self) -> str:
        return describe(self)


class HistoryError(AssistantError):
    """A backup version that cannot be found or restored."""

    def __init__(self, message: str, *, version: str | None = None):
        super().__init__(message)
        self.message = message
        self.version = version

    def __str__(self) -> str:
        return describe(self)


class StoreError(AssistantError):
    """The SQLite store of unanswered questions and feedback cannot be used."""

    def __init__(self, message: str, *, path: str):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return describe(self)


def describe(error: BaseException) -> str:
    """Word an error for a person: where it is, then what is wrong and how to fix it."""
    if isinstance(error, KnowledgeError):
        parts = [error.path]
        if error.line is not None:
            parts[0] += f", line {error.line}"
            if error.column is not None:
                parts[0] += f", column {error.column}"
        if error.entry:
            parts.append(error.entry)
        if error.key:
            parts.append(f"key '{error.key}'")
        parts.append(error.message)
        return ": ".join(parts)
    if isinstance(error, KnowledgeFolderMissing):
        return _folder_missing(error)
    if isinstance(error, KnowledgeInvalid):
        lines = [describe(e) for e in error.errors]
        count = len(lines)
        head = f"The knowledge base has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"- {line}" for line in lines)])
    if isinstance(error, KnowledgeChanged):
        return f"{error.directory}: the knowledge files changed while they were being loaded"
    if isinstance(error, EditConflict):
        return (f"{error.path} was changed by someone else after you opened it. Your edit was not "
                "saved and their change is kept: load the latest version, then make your edit "
                "again.")
    if isinstance(error, HistoryError):
        return error.message
    if isinstance(error, StoreError):
        return f"{error.path}: {error.message}"
    return str(error)


_FOLDER_ORIGINS = {
    "ASSISTANT_KNOWLEDGE_DIR": (
        "It was chosen by the environment variable ASSISTANT_KNOWLEDGE_DIR: point it at the "
        "folder that holds the knowledge files, or unset it to use the knowledge/ folder that "
        "comes with the app."),
    "--knowledge": "It was given on the command line: give the folder that holds the knowledge "
                   "files.",
    "default": (
        "It is the default, the knowledge/ folder next to app.py: restore that folder (it comes "
        "with the app), or set ASSISTANT_KNOWLEDGE_DIR to the folder that holds the knowledge "
        "files."),
}


def _folder_missing(error: KnowledgeFolderMissing) -> str:
    if error.empty:
        files = f" ({', '.join(error.expected)})" if error.expected else ""
        what = f"holds none of the knowledge files{files}"
    else:
        what = "does not exist"
    advice = _FOLDER_ORIGINS.get(error.origin or "", "")
    return f"The knowledge folder {error.directory} {what}." + (f" {advice}" if advice else "")
