"""The texts ``policyx search`` reads, each field of a collection as one column
(:mod:`policyx.views.searchscan` searches them): each entry's text in the field, joined by a
separator no text holds, then folded.

Making the columns (every entry's fields read and joined, 8 MB of text in the 25,500-claim
corpus) and folding them cost a warm search of that corpus 33 ms of the scan's 45 ms. They
depend on the entries alone (and the actors' names), so the cache keeps them beside the entries
(:func:`payload`), folded the way an ASCII query reads them: a column of Latin-1 text without
``ß`` as its bytes lower-cased, any other as its text casefolded (real corpora: curly quotes
and dashes in most columns; casefolding them cost a warm search of 1,500 AIF nodesets 40 ms). A knowledge base
made from the cache holds them (:func:`kept`) together with the very collections they were made
from: a knowledge base with other entries (``dataclasses.replace``) or other actors is never
read through them (:func:`kept_columns`).
"""

from __future__ import annotations

from operator import attrgetter

from .cachefolder import CACHE_FORMAT, CacheFolder, Corrupt, cache_dir
from .model import CLASS_OF, Entry, Kind, KnowledgeBase
from .struct import fields

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: the fields a search reads (search_fields'), in its order, as columns: plain texts...
TEXTS = ("id", "claim", "text", "name", "title", "quote", "description", "summary", "note", "author", "event")
#: ... and those that hold several texts, or ids of actors whose names are read
MANY = ("tags", "also_known_as", "held_by", "by", "premises", "acts")
#: between two entries' values in a column: not a word character (no match spans two); a value
#: holding it has it read as a space (which begins and ends the same words)
SEP = "\0"
#: a collection's columns as kept: field name -> the column folded (:func:`folded`), or None (no
#: entry has a text there); a field left out is made by the search
Kept = dict[str, "bytes | str | None"]


def has(kind: Kind) -> tuple[str, ...]:
    """The fields of ``kind`` a search reads, in its order."""
    names = {f.name for f in fields(CLASS_OF[kind])}
    return tuple(n for n in (*TEXTS, *MANY) if n in names)


def actor_names(kb: KnowledgeBase) -> dict[str, str]:
    """Actor id -> name, as :func:`policyx.views.lookup.actor_names` reads them."""
    return {a.id: a.name for a in kb.actors if kb.get(a.id) is a}


def texts(entries: Sequence[Entry], name: str, actor: dict[str, str]) -> list[Any] | None:
    """Each entry's text in field ``name``: a field of one text as it is (None for none, read as
    "None": see searchscan), several texts joined by a line break ("" for none); None when no
    entry has a text there."""
    values = list(map(attrgetter(name), entries))
    if not any(values):
        return None
    if name in ("tags", "also_known_as"):
        return list(map("\n".join, values))
    get = actor.get
    if name == "held_by":
        return ["\n".join(map(get, v, v)) for v in values]
    if name == "by":
        return ["" if v is None else get(v, v) for v in values]
    if name == "premises":
        return ["\n".join([t for p in v for t in (p.claim, p.quote) if t]) for v in values]
    if name == "acts":
        return ["\n".join([act.quote for act in v if act.quote]) for v in values]
    return values


def joined(values: Sequence[str | None]) -> str:
    """A column's values as one text, between them :data:`SEP` (read as a space in a value)."""
    text = SEP.join(map(str, values))
    if text.count(SEP) != len(values) - 1:  # a value holds the separator: read as a space
        text = SEP.join(str(v).replace(SEP, " ") for v in values)
    return text


def folded_bytes(text: str) -> bytes | None:
    """A column folded as an ASCII query reads it: its Latin-1 bytes lower-cased (None for a
    column with other characters, or with ``ß``, which folds into ASCII letters)."""
    if "\xdf" in text:
        return None
    try:
        return text.encode("latin-1").lower()
    except UnicodeEncodeError:
        return None


def folded(text: str) -> bytes | str:
    """A column folded as an ASCII query reads it (what the search would make of it): its Latin-1
    bytes lower-cased (:func:`folded_bytes`), or else the text casefolded."""
    as_bytes = folded_bytes(text)
    return text.casefold() if as_bytes is None else as_bytes


def payload(kb: KnowledgeBase) -> dict[str, Kept]:
    """Each collection's columns as the cache keeps them (builtins only)."""
    actor = actor_names(kb)
    kept: dict[str, Kept] = {}
    for kind in Kind:
        entries = kb.collection(kind)
        if not entries:
            continue
        columns: Kept = {}
        for name in has(kind):
            values = texts(entries, name, actor)
            columns[name] = None if values is None else folded(joined(values))
        kept[kind.value] = columns
    return kept


def side_name(name: str) -> str:
    """The name of the file that keeps the columns of the cache file ``name``."""
    return "search-" + name


def write(folder: CacheFolder, name: str, bound: int, key: str, kb: KnowledgeBase) -> None:
    """Keep ``kb``'s columns beside the cache file ``name`` that holds ``key`` (written before
    it; any failure only means a search makes them), and its actors' names as a search reads
    them (:func:`kept_actor_names`)."""
    folder.write_content(side_name(name), {"identity": _identity(key), "search": payload(kb),
                                           "actors": actor_names(kb)}, bound)


def attach(kb: KnowledgeBase, name: str, bound: int, key: Any) -> None:
    """Let a search of ``kb``, made from the cache file ``name`` holding ``key``, read the columns
    kept beside it (on first use: :func:`kept_columns`)."""
    if isinstance(key, str):
        kb._search.update(side=(side_name(name), bound, key), collections={k: kb.collection(k) for k in Kind},
                          actors=kb.actors)


def _identity(key: str) -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "kind": "search-columns", "key": key}


def _read(side: tuple[str, int, str]) -> tuple[dict[Kind, Kept], dict[str, str] | None]:
    """The columns and actors' names kept in the file ``side`` names, when it was written with
    its cache file; else none (a search makes them)."""
    name, bound, key = side
    folder = CacheFolder.open(cache_dir())
    if folder is None:
        return {}, None
    with folder:
        try:
            content = folder.read_content(name, _identity(key), bound)
        except Corrupt:
            return {}, None
    kept = content.get("search") if content is not None else None
    if not isinstance(kept, dict):
        return {}, None
    names = content.get("actors") if content is not None else None
    return ({Kind(kind): columns for kind, columns in kept.items() if isinstance(columns, dict)},
            names if isinstance(names, dict) else None)


def _kept(kb: KnowledgeBase) -> dict[str, Any] | None:
    """What :func:`attach` noted of ``kb``, its kept columns and names read (on first use)."""
    found = kb._search
    if "side" not in found:
        return None
    if "columns" not in found:  # (two threads may both read it: the same columns)
        found["columns"], found["actor_names"] = _read(found["side"])
    return found


def kept_columns(kb: KnowledgeBase, kind: Kind) -> Kept | None:
    """The columns the cache kept of ``kind`` in ``kb``, when they were made from its entries and
    actors; else None."""
    found = kb._search
    if "side" not in found or found["collections"][kind] is not kb.collection(kind) or found["actors"] is not kb.actors:
        return None
    columns: Kept | None = _kept(kb)["columns"].get(kind)  # type: ignore[index]
    return columns


def kept_actor_names(kb: KnowledgeBase) -> dict[str, str] | None:
    """:func:`actor_names` of ``kb`` as the cache kept them, when made from its actors and every
    collection (each may take an actor's id); else None. (Made afresh, they ask ``kb.get``, which
    makes the index of every id: 3-4 ms of a warm search of 1,500 AIF nodesets that needs it for
    nothing else.)"""
    found = kb._search
    if "side" not in found or found["actors"] is not kb.actors or any(
            found["collections"][kind] is not kb.collection(kind) for kind in Kind):
        return None
    names: dict[str, str] | None = _kept(kb).get("actor_names")  # type: ignore[union-attr]
    return names
