"""A knowledge base as the cache keeps it: columns of plain builtins (``marshal``'s), and back.

Each collection is a column per field of its entries' constructor, in order (:data:`ROW_FIELDS`),
enums as their values, version 2's relations, premises and acts as tuples (:mod:`policyx.kb.graphbuild`). The
payload also holds what decides whether it is still current: the size and digest of the file
itself (:mod:`policyx.kb.store` keeps it), of each included file and of each source text (a
source's text changed: its quotes are compared again). Equal strings and tuples are written as
one object (``marshal`` refers to it again), so that a warm run makes each once.

Each file's ``stat`` (mode, inode, size, mtime, ctime: what any write moves; the ctime cannot be
set back by ``touch -r``, ``cp -p`` or rsync) is kept beside its digest, so that a warm run
stats each file instead of reading it: a corpus of 3,000 source texts cost a sixth of a warm run
in hashing alone, its 11 MB file 15 ms more. A file changed less than :data:`RACY_NS` before
it was read could change again within the same clock tick and keep its ``stat``: its digest
alone decides, until a run finds it unchanged and settled and keeps its ``stat``
(:func:`file_current`), as a library's index and cache wait for it (``libindex``, ``libcache``).
"""

from __future__ import annotations

import os
import time
from collections import deque
from enum import Enum
from itertools import repeat
from operator import attrgetter
from types import MemberDescriptorType

from .cachefolder import DIGEST_SIZE, Corrupt, hasher
from .graphbuild import decoders, encode_rows
from .libfolders import Stamp, stamp
from .model import CLASS_OF, Entry, Include, Kind, KnowledgeBase, QuoteCheck
from .paths import source_path
from .schema import ENUM_FIELDS
from .struct import fields

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Constructor field names of each class, in order: a cached row is their values.
ROW_FIELDS: dict[Kind, tuple[str, ...]] = {kind: tuple(f.name for f in fields(cls)) for kind, cls in CLASS_OF.items()}
#: Fields holding enums: (position in the row, value -> member; None stays None).
_ENUMS: dict[Kind, tuple[tuple[int, dict[str | None, Enum | None]], ...]] = {}
for _kind, _names in ROW_FIELDS.items():
    _ENUMS[_kind] = tuple(
        (index, {None: None, **{member.value: member for member in ENUM_FIELDS[name]}})
        for index, name in enumerate(_names)
        if name in ENUM_FIELDS
    )
#: Each class's slots in row order (None: a class without them, made by its constructor).
_SLOTS: dict[Kind, list[Any] | None] = {
    kind: slots if all(isinstance(slot, MemberDescriptorType) for slot in slots) else None
    for kind, slots in ((kind, [getattr(CLASS_OF[kind], name, None) for name in names])
                        for kind, names in ROW_FIELDS.items())
}


#: a source text changed less than this before its stamp was taken is checked by its digest
RACY_NS = 2_000_000_000

#: what layout found, once per process
_LAYOUT: dict[int, list[Any]] = {}


def layout() -> list[Any]:
    """The model's shape as the columns hold it: each kind's fields and enum values."""
    key = id(ROW_FIELDS)
    if key not in _LAYOUT:
        _LAYOUT[key] = [[kind.value, *ROW_FIELDS[kind], *(v for _, m in _ENUMS[kind] for v in m if v is not None)]
                        for kind in Kind]
    return _LAYOUT[key]


def file_digest(path: str | os.PathLike[str]) -> tuple[int, str]:
    """The size and blake2b digest of a file's bytes, read in chunks."""
    digest = hasher(DIGEST_SIZE)
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _includes_stamp(kb: KnowledgeBase) -> list[list[Any]]:
    """Each included file (``include:``): its place relative to the knowledge base's folder,
    its ids, absolute path, and what tells whether it changed (size, digest, ``stat``:
    :func:`file_kept`). A cache holds them so that an edit of an included file invalidates the
    caches of the knowledge bases that include it."""
    folder = os.path.dirname(os.path.abspath(kb.path))
    stamps: list[list[Any]] = []
    now = time.time_ns()
    for include in kb.includes:
        absolute = os.path.abspath(include.path)
        stamps.append([os.path.relpath(absolute, folder), list(include.ids), absolute, *_kept_now(absolute, now)])
    return stamps


def _includes_check(stamps: list[list[Any]]) -> tuple[bool, bool]:
    """Whether each included file is as it was (:func:`file_current`), and whether a ``stat`` was
    filled in, in ``stamps``, for one its digest showed unchanged."""
    restamped = False
    for item in stamps:
        try:
            current, settled_stamp = file_current(item[2], item[3:6])
        except OSError:  # an included file is gone: the loader says so
            return False, False
        if not current:
            return False, False
        if settled_stamp is not None:
            item[5] = settled_stamp
            restamped = True
    return True, restamped


def payload_of(kb: KnowledgeBase) -> dict[str, Any] | None:
    """A knowledge base as cached (builtins only); None when an included file went away."""
    try:
        includes = _includes_stamp(kb)
    except OSError:
        return None

    quotes = kb.quotes or QuoteCheck()
    files = [str(p) for p in (source_path(kb, source) for source in kb.sources) if p is not None]
    return {
        "version": kb.version, "title": kb.title, "name": kb.name,
        "includes": includes, "columns": columns_of(kb),
        "quotes": [list(quotes.not_verbatim), list(quotes.unchecked), quotes.verbatim],
        "source_files": files, "sources": _source_stamps(files), "search_key": os.urandom(16).hex(),
    }


def payload_current(content: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the files a cached knowledge base was made with (included files, source texts)
    are as they were; and whether a source text's ``stat`` was filled in (see
    :func:`file_current`), which makes the payload worth writing again."""
    included, restamped = _includes_check(content["includes"]) if content.get("includes") else (True, False)
    if not included:
        return False, False  # an included file changed
    # a source's text changed: its quotes must be compared again
    sources, restamped_source = _sources_check(content.get("source_files", []), content.get("sources"))
    return sources, sources and (restamped or restamped_source)


def rebuild(content: dict[str, Any], shown: str) -> KnowledgeBase:
    """The knowledge base of a payload_of (raises Corrupt if it cannot be one)."""
    try:
        return _rebuild(content, shown)
    except Exception as exc:
        raise Corrupt(f"damaged: {type(exc).__name__}") from None


def entries_of(columns_of: dict[str, list[tuple[Any, ...]]], version: int) -> dict[str, tuple[Entry, ...]]:
    """Each collection's entries made again from their columns (raises on columns of another
    shape: another number of fields, or of entries in one of them)."""
    collections: dict[str, tuple[Entry, ...]] = {}
    for kind in Kind:
        columns = columns_of[kind.value]
        if columns and (len(columns) != len(ROW_FIELDS[kind]) or len(set(map(len, columns))) != 1):
            raise ValueError(f"{kind.value}: {len(columns)} columns of {sorted(set(map(len, columns)))} entries")
        collections[kind.value] = _made(kind, columns, decoders(version))
    return collections


def _made(kind: Kind, columns: list[tuple[Any, ...]], decoded: dict[str, Any] | None = None) -> tuple[Entry, ...]:
    """The entries of ``kind`` whose fields ``columns`` hold (one column per field, each of the
    same length: see :func:`entries_of`), made field by field: each column set on every entry by the
    field's slot, in C (``map``), rather than one constructor call per entry, which sets each
    field through the frozen class's ``object.__setattr__``: 40% less time for a knowledge base's
    entries, the largest part of rebuilding it. The same objects: the entry classes have no
    ``__post_init__`` and every field is set (a class without slots is made by its constructor).
    ``decoded``: field name -> what makes its plain value whole again (version 2's relations,
    premises and acts: :func:`policyx.kb.graphbuild.decoders`), applied to its column."""
    cls = CLASS_OF[kind]
    slots = _SLOTS[kind]
    if not columns:
        return ()
    # each column's values made whole: enums from their values, version 2's nested values
    whole = {index: members.__getitem__ for index, members in _ENUMS[kind]}
    if decoded:
        whole.update((index, decoded[name]) for index, name in enumerate(ROW_FIELDS[kind]) if name in decoded)
    if slots is None:
        return tuple(map(cls, *(map(whole[i], column) if i in whole else column for i, column in enumerate(columns))))
    entries: tuple[Entry, ...] = tuple(map(object.__new__, repeat(cls, len(columns[0]))))
    for index, (slot, column) in enumerate(zip(slots, columns, strict=True)):
        values = map(whole[index], column) if index in whole else column
        deque(map(slot.__set__, entries, values), maxlen=0)
    return entries


def _rebuild(content: dict[str, Any], shown: str) -> KnowledgeBase:
    collections = entries_of(content["columns"], content["version"])
    folder = os.path.dirname(shown)
    includes = tuple(Include(os.path.normpath(os.path.join(folder, relative)), tuple(ids))
                     for relative, ids, *_ in content["includes"])
    wrong, unchecked, verbatim = content["quotes"]
    quotes = QuoteCheck(tuple(map(tuple, wrong)), tuple(map(tuple, unchecked)), verbatim)
    return KnowledgeBase(path=shown, version=content["version"], title=content["title"], name=content["name"],
                         includes=includes, quotes=quotes, **collections)  # type: ignore[arg-type]


def settled(found: Stamp, now: int) -> bool:
    """Whether a file's ``stat`` taken at ``now`` is old enough to tell any later write: changed
    :data:`RACY_NS` or more before, so that a write after it moves its mtime or ctime."""
    return max(found[3], found[4]) < now - RACY_NS


def file_kept(path: str | os.PathLike[str], found: Stamp, now: int) -> list[Any]:
    """What tells later whether a file is as it is now: [size, digest, ``stat``], the ``stat``
    (``found``, taken at ``now`` before the file was read) None when it is too recent to tell by it."""
    size, digest = file_digest(path)
    return [size, digest, found if settled(found, now) else None]


def _kept_now(path: str | os.PathLike[str], now: int) -> list[Any]:
    """:func:`file_kept` of a file read now: its ``stat`` kept only if hashing it moved nothing
    (a write while it was read leaves the digest alone to decide). Raises OSError."""
    before = stamp(path)
    kept = file_kept(path, before, now)
    if stamp(path) != before:
        kept[2] = None
    return kept


def file_current(path: str | os.PathLike[str], kept: list[Any]) -> tuple[bool, list[int] | None]:
    """Whether the file is as ``kept`` (:func:`file_kept`) found it: its ``stat`` unchanged, or else
    (or with no ``stat`` kept) its size and digest; and, when its digest told and its ``stat`` is
    settled now, that ``stat``, to keep instead (a later run then stats it only). Raises OSError."""
    now = time.time_ns()
    found = stamp(path)
    if kept[2] is not None and found == kept[2]:
        return True, None
    if list(file_digest(path)) != kept[:2]:
        return False, None
    return True, found if settled(found, now) and stamp(path) == found else None


def _source_stamps(files: list[str]) -> list[Any]:
    """Size, digest and ``stat`` of each source text whose quotes the cache's check compared
    (None: unreadable; the ``stat`` None when the text changed too recently to tell by it)."""
    stamps: list[Any] = []
    now = time.time_ns()
    for file in files:
        try:
            stamps.append(_kept_now(file, now))
        except OSError:
            stamps.append(None)
    return stamps


def _sources_check(files: list[str], stamps: Any) -> tuple[bool, bool]:
    """Whether each source text is as :func:`_source_stamps` found it (:func:`file_current`), and
    whether a ``stat`` was filled in, in ``stamps``, for one its digest showed unchanged."""
    if not isinstance(stamps, list) or len(stamps) != len(files):
        return False, False
    restamped = False
    for file, kept in zip(files, stamps, strict=True):
        try:
            if kept is None:  # unreadable then: current only if it still is
                file_digest(file)
                return False, False
            if not isinstance(kept, list) or len(kept) != 3:
                return False, False
            current, settled_stamp = file_current(file, kept)
        except OSError:
            if kept is None:
                continue
            return False, False
        if not current:
            return False, False
        if settled_stamp is not None:
            kept[2] = settled_stamp
            restamped = True
    return True, restamped


def columns_of(kb: KnowledgeBase) -> dict[str, list[tuple[Any, ...]]]:
    """Each collection's entries as columns of builtins, one per field (what marshal writes): a
    warm run sets each field of every entry from its column, where rows would be made (and
    freed) only to be taken apart again: 54 -> 45 ms for the 34,500 entries of the 25,500-claim
    corpus (unmarshalled, made and the payload freed)."""
    rows: dict[str, list[Any]] = {}
    for kind in Kind:
        fields_of = attrgetter(*ROW_FIELDS[kind])  # one tuple per entry, built in C
        entries = kb.collection(kind)
        enums = [index for index, _ in _ENUMS[kind]]
        if not enums:
            rows[kind.value] = [fields_of(e) for e in entries]
            continue
        made = []
        for e in entries:
            row = list(fields_of(e))
            for index in enums:
                if row[index] is not None:
                    row[index] = row[index]._value_  # marshal takes plain str, not Enum members
            made.append(row)
        rows[kind.value] = made
    encode_rows(kb.version, rows, ROW_FIELDS)
    # Equal strings (and tuples) as one object: marshal writes an object it meets again as a
    # reference, which a warm run reads as such, where it would make each copy anew (an id named
    # as a target, a tag, an author: 266,000 strings, 103,000 of them different, in the
    # 25,500-claim corpus). The cache file is 10% smaller, and a warm open of that corpus 20 ms
    # faster (of 107 ms CPU).
    memo: dict[Any, Any] = {}
    setdefault = memo.setdefault
    for name, made in rows.items():
        rows[name] = [tuple([setdefault(v, v) if type(v) is str else _one_of_each(memo, v) for v in row])
                      for row in made]
    return {name: list(zip(*made, strict=True)) for name, made in rows.items()}


def _one_of_each(memo: dict[Any, Any], value: Any) -> Any:
    """``value`` as the one equal object ``memo`` holds (kept there when new; a tuple's items
    too); other than strings and tuples (None, numbers), as it is: ``True == 1``."""
    kind = type(value)
    if kind is str:
        return memo.setdefault(value, value)
    if kind is tuple and value:
        found = memo.get(value)
        if found is None:
            found = memo[value] = tuple([_one_of_each(memo, item) for item in value])
        return found
    return value
