"""The project's exceptions, and the one place where they are worded for people.

    AssistantError
     ├── KnowledgeError           one problem in one knowledge file (file, line, entry, key)
     ├── KnowledgeInvalid         a knowledge base with one or more KnowledgeErrors
     │    └── KnowledgeFolderMissing   no knowledge folder there, or one holding none of its files
     ├── KnowledgeChanged         the files changed while they were being loaded
     ├── EditConflict             a staff save based on an outdated version of a file
     ├── HistoryError             a backup that does not exist or cannot be restored
     └── StoreError               the visitor-question store cannot be used
"""

from __future__ import annotations

import os
from collections.abc import Callable


class AssistantError(Exception):
    """Base class of every error this project raises on purpose."""


class KnowledgeError(AssistantError):
    """One problem found in one knowledge file, as data.

    `file` is the file as staff know it: its path inside the knowledge folder ("passages.yaml",
    "sources/article.txt"), or its own path for a file kept elsewhere (a question file);
    `folder` is the knowledge folder it was read from. `line` and `column` are 1-based. The
    entry is a `noun` ("passage") with its `entry_id` ("swedish-massage"), or with its 1-based
    `index` when it has no usable id; `key` is the field. `problem` says what is wrong.
    """

    def __init__(self, problem: str, *, file: str, folder: str | None = None,
                 line: int | None = None, column: int | None = None, noun: str | None = None,
                 entry_id: str | None = None, index: int | None = None, key: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.file = file
        self.folder = folder
        self.line = line
        self.column = column
        self.noun = noun
        self.entry_id = entry_id
        self.index = index
        self.key = key

    def __str__(self) -> str:
        return describe(self)

    def as_dict(self) -> dict:
        """Plain data for pages and JSON output."""
        return {"file": self.file, "folder": self.folder, "line": self.line,
                "column": self.column, "noun": self.noun, "entry_id": self.entry_id,
                "index": self.index, "key": self.key, "problem": self.problem}

    def within(self, **context) -> KnowledgeError:
        """Add what a caller knows (e.g. `folder=`) where it is still missing; returns self."""
        for name, value in context.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        return self


class KnowledgeInvalid(AssistantError):
    """The knowledge base cannot be used; `errors` lists every problem found."""

    def __init__(self, errors: list[KnowledgeError]):
        super().__init__(f"{len(errors)} problem(s) in the knowledge base")
        self.errors = list(errors)

    def __str__(self) -> str:
        return describe(self)


class KnowledgeFolderMissing(KnowledgeInvalid):
    """The knowledge folder `directory` does not exist (or is a file, `is_file`), or (`empty`)
    holds none of the `expected` files. `origin` says what chose the folder:
    "ASSISTANT_KNOWLEDGE_DIR", "--knowledge", "default", or None when the caller did not say.
    One message instead of one per file."""

    def __init__(self, directory: str, *, empty: bool, expected: tuple[str, ...] = (),
                 origin: str | None = None, is_file: bool = False):
        self.directory = directory
        self.empty = empty
        self.is_file = is_file
        self.expected = tuple(expected)
        self.origin = origin
        super().__init__([KnowledgeError(f"the knowledge folder {_folder_problem(self)}",
                                         file=directory)])


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


def health_claim(word: str, kind: str) -> str:
    """The problem of clinic text that names a symptom, a condition or a treatment."""
    return (f"mentions \u201c{word}\u201d, {kind}. A clinic fact is only about the clinic "
            "itself (hours, parking, prices, billing, access): everything about health must come "
            f"from an article. Take \u201c{word}\u201d out, or add it as a passage of an article "
            "instead")


def entry_name(noun: str | None, entry_id: str | None = None, index: int | None = None) -> str:
    """How staff read an entry: "passage 'swedish-massage'", "passage 3", "clinic settings"."""
    if noun is None:
        return ""
    if entry_id is not None:
        return f"{noun} '{entry_id}'"
    if index is not None:
        return f"{noun} {index}"
    return noun


Names = Callable[[str, "str | None"], str]


def describe(error: BaseException, names: Names | None = None) -> str:
    """Word an error for a person: where it is, then what is wrong and how to fix it.

    With `names` (how the staff page names a file, `names(file, None)`, and a field,
    `names(file, key)`) it is worded for staff: by section, entry and field as the page shows
    them, without folders, file names or line numbers.
    """
    if names is not None:
        return _for_staff(error, names)
    if isinstance(error, KnowledgeError):
        where = error.file if error.folder is None else os.path.join(error.folder, error.file)
        if error.line is not None:
            where += f", line {error.line}"
            if error.column is not None:
                where += f", column {error.column}"
        parts = [where]
        entry = entry_name(error.noun, error.entry_id, error.index)
        if entry:
            parts.append(entry)
        if error.key is not None:
            parts.append(f"key '{error.key}'")
        parts.append(error.problem)
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


def _folder_problem(error: KnowledgeFolderMissing) -> str:
    if error.empty:
        files = f" ({', '.join(error.expected)})" if error.expected else ""
        return f"holds none of the knowledge files{files}"
    return "is a file, not a folder" if error.is_file else "does not exist"


def _folder_missing(error: KnowledgeFolderMissing) -> str:
    advice = _FOLDER_ORIGINS.get(error.origin or "", "")
    return (f"The knowledge folder {error.directory} {_folder_problem(error)}."
            + (f" {advice}" if advice else ""))


def _for_staff(error: BaseException, names: Names) -> str:
    if isinstance(error, KnowledgeError):
        parts = [names(error.file, None)]
        if error.noun is not None and (error.entry_id is not None or error.index is not None):
            parts.append(entry_name(error.noun, error.entry_id, error.index))
        if error.key is not None:
            parts.append(names(error.file, error.key))
        return " \u203a ".join(parts) + ": " + error.problem
    if isinstance(error, KnowledgeFolderMissing):
        return ("The knowledge files cannot be found, so nothing can be edited. Please ask "
                "whoever looks after the app to check where it keeps them.")
    if isinstance(error, KnowledgeInvalid):
        lines = [_for_staff(e, names) for e in error.errors]
        return "\n".join(f"- {line}" for line in lines)
    if isinstance(error, EditConflict):
        name = os.path.basename(error.path)
        where = names(f"sources/{name}" if name.endswith(".txt") else name, None)
        return (f"Someone else saved {where} after you opened it. Your change was not saved "
                "and theirs is kept: press \u201cLoad the latest version\u201d, then make your "
                "change again.")
    if isinstance(error, HistoryError):
        if error.version is not None:
            return (f"That saved version cannot be used any more ({error.version}): pick "
                    "another one from the list.")
        return error.message
    if isinstance(error, StoreError):
        return (f"The visitors' questions cannot be read right now ({error.message}). The rest "
                "of the staff page works; please try again in a minute.")
    return describe(error)
