"""What a save changed, in words: `what_changed(file, old_text, new_text, names) -> [str]`.

Pure. The two texts are read as data and compared entry by entry (entries matched by their
id), so History can say "Changed the passage “Swedish massage”: Alternate questions (added
“Is stroking good?”)" instead of showing a diff. `names(file, key)` is how the page names a
file (key None) and a field; the wording of changes lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import KnowledgeError
from ..knowledge import SPECS, parse, plain
from .edits import entries, entry_id

Names = Callable[[str, str | None], str]
SHORT = 60  # longer values are not quoted, only said to have changed


def what_changed(file: str, old_text: str, new_text: str, names: Names) -> list[str]:
    """One sentence per entry added, removed or changed; [] when nothing changed. A text that
    cannot be read is said to have been replaced as a whole."""
    if file not in SPECS:
        return [f"Added the text of an article ({file})."] if not old_text else []
    spec = SPECS[file]
    try:
        old, new = (entries(spec, plain(parse(text, file))) for text in (old_text, new_text))
    except KnowledgeError:
        return [f"Replaced {names(file, None)} as a whole (one of the versions cannot be read "
                "as a knowledge file)."] if old_text != new_text else []
    before = {_key(spec, entry, n): entry for n, entry in enumerate(old)}
    after = {_key(spec, entry, n): entry for n, entry in enumerate(new)}
    out = []
    for key, entry in after.items():
        if key not in before:
            out.append(f"Added {_entry(spec, entry, names)}.")
        elif entry != before[key]:
            fields = [_field(file, name, before[key].get(name), entry.get(name), names)
                      for name in dict.fromkeys([*before[key], *entry])
                      if before[key].get(name) != entry.get(name)]
            out.append(f"Changed {_entry(spec, entry, names)}: {'; '.join(fields)}.")
    out += [f"Removed {_entry(spec, entry, names)}." for key, entry in before.items()
            if key not in after]
    if not out and old_text != new_text:
        out.append(f"Changed comments or layout in {names(file, None)}, not what visitors get.")
    return out


def _key(spec, entry: dict, position: int) -> str:
    return entry_id(spec, entry) or f"#{position}"


def _entry(spec, entry: dict, names: Names) -> str:
    """'the passage “Swedish massage”'; a file of one entry by its name ('Clinic details')."""
    if not spec.many:
        return names(spec.name, None)
    title = entry.get("title") or entry_id(spec, entry)
    return f"the {spec.noun} \u201c{_short(str(title))}\u201d"


def _field(file: str, name: str, old: Any, new: Any, names: Names) -> str:
    label = names(file, name)
    if name == "draft":
        return "published" if not new else "made a draft"
    if isinstance(old, list) or isinstance(new, list):
        old_items, new_items = [str(i) for i in old or []], [str(i) for i in new or []]
        added = [i for i in new_items if i not in old_items]
        removed = [i for i in old_items if i not in new_items]
        parts = ([f"added {_quoted(added)}"] if added else []) + \
            ([f"removed {_quoted(removed)}"] if removed else [])
        return f"{label} ({', '.join(parts) or 'reordered'})"
    old_text, new_text = _text(old), _text(new)
    if len(old_text) <= SHORT and len(new_text) <= SHORT:
        return f"{label} (was \u201c{old_text}\u201d, now \u201c{new_text}\u201d)"
    return f"{label} (reworded)"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _quoted(items: list[str]) -> str:
    return ", ".join(f"\u201c{_short(item)}\u201d" for item in items)


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "\u2026"
