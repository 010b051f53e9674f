"""``policyx diff``: what changed between two versions of a knowledge base, entry by entry.

Entries are matched by id within their collection. An entry only in the new
version is *added*, only in the old one *removed*; one in both whose fields
differ is *changed*, or *moved* when what it bears on changed (a position's
question, an argument's target). A removed entry and an added one of the same
collection with the same main text (claim, question text, name or title) and
the same quote are one entry *renamed*: it is reported once, and references to
its old id count as references to its new one, so the arguments under a
renamed position are not reported as moved.

Pure: no I/O and no printing; :mod:`policyx.output.diff` renders the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from enum import Enum
from typing import Any

from ..kb.library import REFERENCES
from ..kb.model import Entry, Kind, KnowledgeBase
from ..kb.records import RECORD_FIELDS, RECORD_FIELDS_V2, to_record
from ..kb.struct import dataclass
from .lookup import main_text


class Change(str, Enum):
    """What happened to an entry between the two versions."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    RENAMED = "renamed"


#: Fields compared, per collection: the record's fields but the id, and for arguments
#: stance and target rather than the YAML's for/against (the same facts, said once).
COMPARED_FIELDS: dict[Kind, tuple[str, ...]] = {
    kind: tuple(name for name in names if name not in ("id", "for", "against"))
    for kind, names in RECORD_FIELDS.items()
}
#: In version 2, for/against are lists of every target: compared too (stance/target give only the first).
COMPARED_FIELDS_V2: dict[Kind, tuple[str, ...]] = {
    kind: tuple(name for name in names if name != "id") for kind, names in RECORD_FIELDS_V2.items()
}

#: Fields holding ids of other entries (translated through renames before comparing).
REFERENCE_FIELDS: frozenset[str] = frozenset(name for fields in REFERENCES.values() for name in fields)

#: The field whose change makes an entry *moved* rather than *changed*.
PLACE_FIELD: dict[Kind, str] = {Kind.POSITIONS: "question", Kind.ARGUMENTS: "target"}

#: Text longer than this (in characters) is compared word by word.
LONG_TEXT = 40


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value (as in a record: text, a list of text, or None)."""

    field: str
    old: Any
    new: Any
    #: for long text, the words: ("=", same), ("-", only in old), ("+", only in new); else empty
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EntryChange:
    """One entry that is not the same in both versions."""

    change: Change
    kind: Kind
    #: the entry's id (in the new version; in the old one when removed)
    id: str
    #: its id in the old version (differs from ``id`` only when renamed)
    old_id: str
    #: its main text (claim, question text, name or title), new when it has one
    text: str
    #: the fields that differ (for added and removed entries: none)
    fields: tuple[FieldChange, ...] = ()
    #: for added and removed entries, the whole record
    record: dict[str, Any] | None = None

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


@dataclass(frozen=True)
class KbDiff:
    """Everything that differs between two knowledge bases, in a stable order."""

    #: how the two versions are named in the output (their paths, or labels)
    old: str
    new: str
    #: changes of the knowledge base's own fields (its title)
    kb_fields: tuple[FieldChange, ...]
    #: collection by collection (file order of the collections); within one, the removed
    #: entries in their old order, then the others in their new order
    changes: tuple[EntryChange, ...]

    @property
    def same(self) -> bool:
        return not self.kb_fields and not self.changes

    def counts(self) -> dict[str, int]:
        """How many entries of each change, every change named (0 when none)."""
        counts = {change.value: 0 for change in Change}
        for entry in self.changes:
            counts[entry.change.value] += 1
        return counts


_TOKENS = re.compile(r"\S+|\s+")


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The words of ``old`` and ``new`` as ("=", text), ("-", text) and ("+", text) pieces;
    joining the "=" and "-" pieces gives ``old``, the "=" and "+" pieces ``new``. Changes
    separated only by spaces are one change ("no one" -> "nobody who", not word by word)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    # segments: ("=", same tokens, []) or ("~", old tokens, new tokens)
    segments: list[tuple[str, list[str], list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("=", a[i1:i2], []))
        elif segments and segments[-1][0] == "~":
            segments[-1][1].extend(a[i1:i2])
            segments[-1][2].extend(b[j1:j2])
        else:
            segments.append(("~", a[i1:i2], b[j1:j2]))
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, segment in enumerate(segments):
        between_changes = (
            segment[0] == "=" and merged and merged[-1][0] == "~" and index + 1 < len(segments)
            and all(token.isspace() for token in segment[1])
        )
        if between_changes:
            merged[-1][1].extend(segment[1])
            merged[-1][2].extend(segment[1])
        elif segment[0] == "~" and merged and merged[-1][0] == "~":
            merged[-1][1].extend(segment[1])
            merged[-1][2].extend(segment[2])
        else:
            merged.append((segment[0], list(segment[1]), list(segment[2])))
    pieces: list[tuple[str, str]] = []
    for kind, removed, added in merged:
        if kind == "=":
            pieces.append(("=", "".join(removed)))
            continue
        if removed:
            pieces.append(("-", "".join(removed)))
        if added:
            pieces.append(("+", "".join(added)))
    return tuple(pieces)


def _field_change(name: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG_TEXT:
        return FieldChange(name, old, new, word_diff(old, new))
    return FieldChange(name, old, new)


def _rename_key(entry: Entry) -> tuple[str, str | None]:
    return (main_text(entry), getattr(entry, "quote", None))


def _renames(kind: Kind, removed: list[Entry], added: list[Entry]) -> dict[str, str]:
    """Old id -> new id of the removed entries that reappear under a new id (first with first)."""
    waiting: dict[tuple[str, str | None], list[Entry]] = {}
    for entry in added:
        waiting.setdefault(_rename_key(entry), []).append(entry)
    pairs: dict[str, str] = {}
    for entry in removed:
        candidates = waiting.get(_rename_key(entry))
        if candidates:
            pairs[entry.id] = candidates.pop(0).id
    return pairs


def _translated(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [renamed.get(v, v) for v in value]
    if isinstance(value, str):
        return renamed.get(value, value)
    return value


def _compare(kind: Kind, old: Entry, new: Entry, renamed: dict[str, str], version: int = 1) -> list[FieldChange]:
    before, after = to_record(old, version), to_record(new, version)
    changed = []
    for name in (COMPARED_FIELDS if version == 1 else COMPARED_FIELDS_V2)[kind]:
        was = before[name]
        seen_as = _translated(was, renamed) if name in REFERENCE_FIELDS else was
        if seen_as != after[name]:
            changed.append(_field_change(name, was, after[name]))
    return changed


def diff_kbs(old: KnowledgeBase, new: KnowledgeBase, labels: Iterable[str] | None = None) -> KbDiff:
    """What differs between ``old`` and ``new`` (``labels`` name them; default their paths)."""
    old_label, new_label = tuple(labels) if labels is not None else (old.path, new.path)
    removed_of: dict[Kind, list[Entry]] = {}
    added_of: dict[Kind, list[Entry]] = {}
    renamed: dict[str, str] = {}
    for kind in Kind:
        old_ids = {e.id for e in old.collection(kind)}
        new_ids = {e.id for e in new.collection(kind)}
        removed_of[kind] = [e for e in old.collection(kind) if e.id not in new_ids]
        added_of[kind] = [e for e in new.collection(kind) if e.id not in old_ids]
        renamed.update(_renames(kind, removed_of[kind], added_of[kind]))
    new_to_old = {n: o for o, n in renamed.items()}
    version = max(old.version, new.version)  # a version-1 entry's record of version 2 has the same facts

    changes: list[EntryChange] = []
    for kind in Kind:
        for entry in removed_of[kind]:
            if entry.id not in renamed:
                changes.append(EntryChange(Change.REMOVED, kind, entry.id, entry.id, main_text(entry),
                                           record=to_record(entry, version)))
        old_entries = {e.id: e for e in old.collection(kind)}
        for entry in new.collection(kind):
            old_id = new_to_old.get(entry.id, entry.id)
            before = old_entries.get(old_id)
            if before is None:
                changes.append(EntryChange(Change.ADDED, kind, entry.id, entry.id, main_text(entry),
                                           record=to_record(entry, version)))
                continue
            fields = _compare(kind, before, entry, renamed, version)
            if old_id != entry.id:
                change = Change.RENAMED
            elif any(f.field == PLACE_FIELD.get(kind) for f in fields):
                change = Change.MOVED
            elif fields:
                change = Change.CHANGED
            else:
                continue
            changes.append(EntryChange(change, kind, entry.id, old_id, main_text(entry), tuple(fields)))
    kb_fields = () if old.title == new.title else (_field_change("title", old.title, new.title),)
    return KbDiff(old_label, new_label, kb_fields, tuple(changes))
