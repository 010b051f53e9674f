"""Reading a library: which knowledge base each entry comes from, and ``list kbs``.

A library (:class:`policyx.kb.library.Library`) is one merged knowledge base,
so every view works on it unchanged; :func:`with_kb_names` then says, in every
record, which knowledge base the entry comes from (the ``kb`` field, last, and a
column of tables and plain lines).
"""

from __future__ import annotations

from itertools import repeat
from pathlib import PurePath

from ..kb.errors import UsageError
from ..kb.hints import option
from ..kb.library import Library
from ..kb.model import Kind, KnowledgeBase
from ..kb.struct import replace
from .listing import Filters, Listing, Record, sort_records

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: what a record's id is when it names an entry, or when it has none
_ID_TYPES = {str, type(None)}
#: Fields of a ``list kbs`` record.
KB_FIELDS: tuple[str, ...] = (
    "name", "path", "title", "questions", "positions", "arguments", "actors", "models", "sources",
)
#: What a table or a plain line of ``list kbs`` shows.
KB_COLUMNS: tuple[str, ...] = ("name", "questions", "positions", "arguments", "title", "path")


def with_kb_names(listing: Listing, kb: KnowledgeBase) -> Listing:
    """``listing`` with a ``kb`` field in every record about an entry (null in the others), and
    in every object of its structure (compare's) that names an entry by ``id``.

    The records are given the field where they are: each view makes its records for its one
    listing, which is written once (copying them cost a library's ``list arguments -f json`` of
    18,000 records 0.018 s, ten times what naming them costs)."""
    if listing.id_field != "id":  # `list tags` and `list kbs`: not entries
        return listing
    records = listing.records
    ids = list(map(dict.get, records, repeat("id")))  # in C: 0.5 ms of 18,000 records, a comprehension's 2 ms
    if not set(map(type, ids)) <= _ID_TYPES:  # only an id of text names an entry
        ids = [entry_id if isinstance(entry_id, str) else None for entry_id in ids]
    for record, name in zip(records, kb.kbs_of(ids), strict=True):
        record["kb"] = name
    columns = (*listing.columns, "kb") if listing.columns else ()
    return replace(listing, records=records, columns=columns, meta=_named_meta(listing.meta, kb))


def _named_meta(value: Any, kb: KnowledgeBase) -> Any:
    if isinstance(value, dict):
        out = {k: _named_meta(v, kb) for k, v in value.items()}
        if isinstance(value.get("id"), str) and kb.get(value["id"]) is not None:
            out["kb"] = kb.kb_of(value["id"])
        return out
    if isinstance(value, list):
        return [_named_meta(v, kb) for v in value]
    return value


def kbs_listing(kb: KnowledgeBase, filters: Filters | None = None) -> Listing:
    """What ``policyx list kbs`` shows: each knowledge base of the library (or the one in use)
    with its name, path, title and how many entries of each collection it holds."""
    filters = filters or Filters()
    if filters.given():
        raise UsageError(f"{option(filters.given()[0])} does not apply to kbs; `list kbs` takes no filters")
    counts = kb.member_counts() if isinstance(kb, Library) else None
    records: list[Record] = []
    if isinstance(kb, Library) and counts is not None:  # counted without making each member again
        for member, counted in zip(kb.members, counts, strict=True):
            record: Record = {"name": member.name, "path": member.path, "title": member.title}
            record.update((kind.value, counted[kind]) for kind in _COUNTED)
            records.append(record)
    else:
        rows = [(m.name, m.kb) for m in kb.members] if isinstance(kb, Library) else [(kb.name or _stem(kb.path), kb)]
        for name, one in rows:
            record = {"name": name, "path": one.path, "title": one.title}
            record.update((kind.value, len(one.collection(kind))) for kind in _COUNTED)
            records.append(record)
    if filters.sort:

        if filters.sort not in KB_FIELDS:
            raise UsageError(f"cannot sort kbs by {filters.sort!r}; fields: {', '.join(KB_FIELDS)}")
        records = sort_records(records, filters.sort, filters.reverse)
    elif filters.reverse:
        records.reverse()
    return Listing(records, KB_COLUMNS, title="kbs", view="list", id_field="name")


_COUNTED = (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS, Kind.ACTORS, Kind.MODELS, Kind.SOURCES)


def _stem(path: str) -> str:

    return PurePath(path).stem
