"""Staff edits to the knowledge files: planned as data, then applied; and their history.

    documents.py  a file as an editor opens it (text, data, version)
    edits.py      what staff ask for, as data (SetFields, AddEntry, RemoveEntry, AddItem,
                  Publish, ImportArticle, Restore), and the file data each gives; the entry
                  an edit is about
    yamltext.py   round-trip writing: only the changed values rewritten, comments kept
    impact.py     which answers an edit would change, over the questions worth replaying
    plan.py       plan_edit(directory, edit) -> EditPlan: new text, validation, the answer
                  before and after, impact; kept as plain data while staff review it
    history.py    saved versions: list, plan a restore, prune
    apply.py      apply(plan) -> Saved: lock, version check, backup, atomic write, pruning

Pages plan an edit (nothing written), show what it would do, then apply it.
"""

from .apply import Saved, apply
from .documents import Document, current_version, open_file, version_of
from .edits import (
    AddEntry,
    AddItem,
    Edit,
    EntryRef,
    ImportArticle,
    Publish,
    RemoveEntry,
    Restore,
    SetFields,
    entries,
    entry_id,
)
from .history import (
    HISTORY_DIR,
    Limits,
    Version,
    find_version,
    history,
    limits,
    plan_restore,
    restore_diff,
)
from .plan import EditPlan, FileChange, plan_edit

__all__ = [
    "HISTORY_DIR", "AddEntry", "AddItem", "Document", "Edit", "EditPlan", "EntryRef",
    "FileChange", "ImportArticle", "Limits", "Publish", "RemoveEntry", "Restore", "Saved",
    "SetFields", "Version", "apply", "current_version", "entries", "entry_id", "find_version",
    "history", "limits", "open_file", "plan_edit", "plan_restore", "restore_diff", "version_of",
]
