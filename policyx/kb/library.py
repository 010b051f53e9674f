"""A library: several knowledge bases read together, as one merged knowledge base.

A course has several sessions, a research group one knowledge base per hearing.
Which files a run reads is the command line's choice (:mod:`policyx.cli.selection`);
:mod:`policyx.kb.libopen` reads them (:mod:`policyx.kb.libfolders` walks the folders), and
they are merged here:

- a :class:`Library` *is* a :class:`~policyx.kb.model.KnowledgeBase` whose
  collections hold every member's entries, member after member, each in file
  order. Every view takes it as it takes one knowledge base: ids are unique,
  every reference resolves, trees and filters work across the debates;
- each member has a short name (the file's stem; :attr:`Member.name`). An id
  that several members use is qualified in the merged knowledge base as
  ``NAME:id`` (and so are the references to it inside its member); an id
  that only one member uses stays plain. ``NAME:id`` finds any entry;
- :meth:`Library.kb_of` says which member an entry comes from, and
  :meth:`Library.qualified` which qualified ids a shared plain id stands for.

This keeps every view as it is (one id space, one set of collections), where
a library object beside KnowledgeBase would have made each view loop over
members and merge their answers, and cross-debate queries (``compare`` of two
positions from two hearings) would have needed their own code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path

from .libfolders import Skipped, realpath
from .model import CLASS_OF, Act, Entry, Kind, KnowledgeBase, Premise, QuoteCheck, Stance, kind_of
from .schema import DERIVED_FIELDS, FIELDS, TARGET_FIELD
from .struct import dataclass, field, fields, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: separates a knowledge base's name from an id: ``hearing-2:attendees``
QUALIFIER = ":"
#: the collections, once: iterating the enum itself costs microseconds each time (for each member)
KINDS = tuple(Kind)
#: an entry's id
_ID = attrgetter("id")


def _references(kind: Kind) -> dict[str, tuple[Kind, ...]]:
    """The model's fields of ``kind`` that hold ids, and the collections they name (the field
    table's refs; an argument's for/against is the model's ``target``)."""
    return {
        DERIVED_FIELDS[1] if spec.name in TARGET_FIELD.values() and kind is Kind.ARGUMENTS else spec.name: spec.refs
        for spec in FIELDS[kind] if spec.kind in ("ref", "reflist")
    }


#: Fields of each record class holding ids of other entries, and the collections they name
#: (what qualifying an id rewrites).
REFERENCES: dict[Kind, dict[str, tuple[Kind, ...]]] = {kind: _references(kind) for kind in Kind}
#: each record class's fields, in order
_NAMES: dict[Kind, list[str]] = {kind: [f.name for f in fields(cls)] for kind, cls in CLASS_OF.items()}
#: the collections each kind's entries may name (acts and premises name actors and sources)
NAMED_BY: dict[Kind, frozenset[Kind]] = {
    kind: frozenset(k for ks in REFERENCES[kind].values() for k in ks)
    | ({Kind.ACTORS, Kind.SOURCES} if {"acts", "premises"} & set(_NAMES[kind]) else set())
    for kind in Kind
}


# --------------------------------------------------------------------------
# The merged knowledge base


class Member:
    """One knowledge base of a library: its name, its file, and the knowledge base (given, or
    made on first use: a library read whole from its cache makes its members' only when a
    command asks for them, such as ``stats`` or ``list kbs``)."""

    __slots__ = ("name", "path", "title", "_kb", "_make")

    def __init__(self, name: str, path: str, kb: KnowledgeBase | None = None,
                 make: Callable[[], KnowledgeBase] | None = None, title: str | None = None) -> None:
        if kb is None and make is None:
            raise TypeError("a member needs its knowledge base, or how to make it")
        self.name = name
        self.path = path
        #: its knowledge base's title (``list kbs`` shows it without making the knowledge base)
        self.title = kb.title if kb is not None else title
        self._kb = kb
        self._make = make

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            assert self._make is not None
            self._kb = self._make()
            self._make = None
        return self._kb

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Member):
            return NotImplemented
        return (self.name, self.path) == (other.name, other.path) and self.kb == other.kb

    def __hash__(self) -> int:
        return hash((self.name, self.path))

    def __repr__(self) -> str:
        return f"Member(name={self.name!r}, path={self.path!r})"


def member_names(paths: Sequence[Path]) -> list[str]:
    """Each file's short name: its stem; where stems repeat, as many of the folders above it
    as it takes to tell them apart (``2024/hearing``, ``2025/hearing``); files of one folder
    that differ only in their suffix by their whole names (``nodeset1.json``, ``nodeset1.txt``)."""
    whole = [Path(os.path.abspath(p)) for p in paths]
    twins: dict[Path, int] = {}
    for path in whole:
        twins[path.with_suffix("")] = twins.get(path.with_suffix(""), 0) + 1
    parts = [(p.parts if twins[p.with_suffix("")] > 1 else p.with_suffix("").parts) for p in whole]
    names = [p[-1] for p in parts]
    depth = dict.fromkeys(range(len(paths)), 1)
    while True:
        groups: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            groups.setdefault(name, []).append(index)
        clashing = [i for group in groups.values() if len(group) > 1 for i in group]
        grown = [i for i in clashing if depth[i] < len(parts[i])]
        if not grown:
            return names
        for index in grown:
            depth[index] += 1
            names[index] = "/".join(parts[index][-depth[index]:])


@dataclass(frozen=True)
class Library(KnowledgeBase):
    """Several knowledge bases merged into one (see the module's documentation). Build it
    with :func:`merge`."""

    members: tuple[Member, ...] = ()
    #: files of the library's folders that are not knowledge bases, and why
    skipped: tuple[Skipped, ...] = ()
    #: a plain id used by several members -> its qualified ids, in member order
    _qualified: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    #: how many entries of each collection each member gave (fewer than it has when a file it
    #: includes was already given by an earlier member)
    _counts: tuple[dict[Kind, int], ...] = field(default=(), repr=False, compare=False)
    #: entries of an included file that several members include -> that file's name
    _common: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: whether this run read the files (and said what it skipped); False: it was read whole
    #: from its cache (policyx.kb.libcache)
    built: bool = field(default=True, compare=False)
    #: the files skipped that no earlier run of this library noted (policyx.kb.libcache.news):
    #: what the command line says once, when it builds the library
    news: tuple[Skipped, ...] = field(default=(), compare=False)
    #: per collection, entry id -> member name (made when first asked)
    _origin: dict[Kind, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)
    #: every entry id -> member name, as kb_of says it (made when kbs_of is first asked)
    _named: dict[str | None, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, entry_id: str) -> Entry | None:
        by_id = self._by_id
        entry = by_id.get(entry_id)
        if entry is not None or QUALIFIER not in entry_id:
            return entry
        # NAME:id of an id only NAME uses (a shared id is stored qualified, found above)
        name, _, plain = entry_id.rpartition(QUALIFIER)
        entry = by_id.get(plain)
        return entry if entry is not None and self.kb_of(plain) == name else None

    def kb_of(self, entry_id: str) -> str | None:
        entry = self._by_id.get(entry_id)
        if entry is None:
            return None
        if entry.id in self._common:
            return self._common[entry.id]
        return self._origin_of(kind_of(entry)).get(entry.id)

    def _origin_of(self, kind: Kind) -> dict[str, str]:
        """Each entry id of a collection -> its member's name (one collection at a time: `list
        questions` indexes only the questions)."""
        origin = self._origin.get(kind)
        if origin is None:
            # each member's name repeated for its entries, beside their ids, in C: a generator a
            # member and collection cost a library of 1,500 files 12 ms of a search of everything
            names = chain.from_iterable(map(repeat, map(attrgetter("name"), self.members),
                                            [counts[kind] for counts in self._counts]))
            origin = self._origin[kind] = dict(zip(map(attrgetter("id"), self.collection(kind)), names, strict=False))
        return origin

    def kbs_of(self, entry_ids: Sequence[str | None]) -> list[str | None]:
        named = self._named
        if not named and (kind := self._one_kind(entry_ids)) is not None:
            # a listing of one collection (`list arguments`): its names only, not every
            # collection's (a library of 1,500 files: 7 -> 4 ms for its 18,000 arguments)
            return list(map(self._origin_of(kind).__getitem__, entry_ids))  # type: ignore[arg-type]
        if not named:  # every collection's names, the shared entries' after (see kb_of), in C
            made: dict[str | None, str] = {}
            counts = {kind: [counts[kind] for counts in self._counts] for kind in Kind}
            if all(sum(counts[kind]) == len(self.collection(kind)) for kind in Kind):  # one dict, in C
                members = [member.name for member in self.members]
                names = chain.from_iterable(map(repeat, members, counts[kind]) for kind in Kind)
                ids = chain.from_iterable(map(attrgetter("id"), self.collection(kind)) for kind in Kind)
                made.update(zip(ids, chain.from_iterable(names), strict=True))
            else:
                for kind in Kind:
                    made.update(self._origin_of(kind))
            made.update((entry_id, name) for entry_id, name in self._common.items() if entry_id in made)
            named.update(made)  # at once: another thread sees none or all (one it misses asks kb_of)
        kb_of = self.kb_of
        return [kb_of(entry_id) if name is None and entry_id is not None else name
                for entry_id, name in zip(entry_ids, map(named.get, entry_ids), strict=True)]

    def _one_kind(self, entry_ids: Sequence[str | None]) -> Kind | None:
        """The collection that holds every one of ``entry_ids``, if one does (and no entry of the
        library is one that several members share: see kb_of); else None."""
        if not entry_ids or self._common or entry_ids[0] is None:
            return None
        first = entry_ids[0]
        if self._has_index("_by_id"):  # the first, middle and last ids' collections tell a search's mix at once
            kinds = {None if e is None else kind_of(e)
                     for e in map(self._by_id.get, (first, entry_ids[len(entry_ids) // 2], entry_ids[-1]))}  # type: ignore[arg-type]
            kind = kinds.pop() if len(kinds) == 1 else None
        else:  # (no index of every id made yet: look for the first one, in C)
            kind = next((kind for kind in KINDS if first in map(_ID, self.collection(kind))), None)
        if kind is None or not all(map(self._origin_of(kind).__contains__, entry_ids)):
            return None
        return kind

    def qualified(self, entry_id: str) -> tuple[str, ...]:
        return self._qualified.get(entry_id, ())

    def member_counts(self) -> tuple[dict[Kind, int], ...] | None:
        """How many entries of each collection each member's knowledge base holds, in member
        order, without making them again (``list kbs`` of 1,500 members: 0.28 -> 0.10 s); None when
        a member gave fewer entries than it has (a file several include, given once)."""
        if self._common or len(self._counts) != len(self.members):
            return None
        return self._counts

    def file_of(self, entry_id: str) -> str:
        name = self.kb_of(entry_id)
        return next((m.path for m in self.members if m.name == name), self.path)


def merge(members: Sequence[Member], skipped: Sequence[Skipped] = (), path: str = "") -> Library:
    """The members' entries in one knowledge base; ids several members use qualified as
    NAME:id, except the entries of a file that they all include (one entry, given once).

    A library is opened on every run, so this does as little per entry as it can: only the
    entries that name a shared id are rebuilt. Its indexes (ids, replies) are made when first
    asked, from its entries, as those of a library read whole from its cache are."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for member in members:  # (set methods: `seen |= keys` would copy the set each time)
        repeated.update(seen.intersection(member.kb.ids))
        seen.update(member.kb.ids)
    shared, common = _shared_and_common(members, repeated)
    collections: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    owners: dict[str, list[str]] = {entry_id: [] for entry_id in sorted(shared)}
    counts: list[dict[Kind, int]] = []
    given_common: set[str] = set()
    for member in members:
        kb = member.kb
        mine = shared.intersection(kb.ids) if shared else set()
        again = given_common.intersection(kb.ids) if given_common else set()
        given_common.update(i for i in common if i in kb.ids)
        before = {kind: len(collections[kind]) for kind in Kind}
        if not mine:
            for kind in Kind:
                entries = kb.collection(kind)
                collections[kind].extend([e for e in entries if e.id not in again] if again else entries)
        else:
            for entry_id in mine:
                owners[entry_id].append(member.name)
            _add_qualified(member, mine, again, collections)
        counts.append({kind: len(collections[kind]) - before[kind] for kind in Kind})
    qualified = {entry_id: tuple(f"{name}{QUALIFIER}{entry_id}" for name in names)
                 for entry_id, names in owners.items()}
    library = Library(
        path=path, version=max((m.kb.version for m in members), default=1), title=None,
        quotes=_merged_quotes(members, shared),
        members=tuple(members), skipped=tuple(skipped), _qualified=qualified, _counts=tuple(counts),
        _common=common,
        **{kind.value: tuple(entries) for kind, entries in collections.items()},  # type: ignore[arg-type]
    )
    return library


def _merged_quotes(members: Sequence[Member], shared: set[str]) -> QuoteCheck | None:
    """The members' quote checks as the library's: each entry under its id in the library
    (NAME:id where several members use the id); None when a member was not checked."""
    checks = [m.kb.quotes for m in members]
    if not checks or any(c is None for c in checks):
        return None
    wrong: list[tuple[str, str, str]] = []
    unchecked: list[tuple[str, str]] = []
    verbatim = 0
    for member, check in zip(members, checks, strict=True):
        assert check is not None
        wrong += [(f"{member.name}{QUALIFIER}{e}" if e in shared else e, f, m) for e, f, m in check.not_verbatim]
        unchecked += [(f"{member.name}{QUALIFIER}{s}" if s in shared else s, why) for s, why in check.unchecked]
        verbatim += check.verbatim
    return QuoteCheck(tuple(wrong), tuple(unchecked), verbatim)


def _shared_and_common(members: Sequence[Member], repeated: set[str]) -> tuple[set[str], dict[str, str]]:
    """Of the ids several members use: those to qualify, and those that are one entry of one
    included file every such member includes (-> the file's name)."""
    if not repeated:
        return set(), {}
    shared: set[str] = set()
    common: dict[str, str] = {}
    files: list[dict[str, str]] = [
        {i: realpath(include.path) for include in m.kb.includes for i in include.ids} for m in members
    ]
    # which members hold each repeated id, a member at a time (each id looked for in every member
    # cost a corpus of 1,500 nodesets and 8,800 repeated ids 13 million look-ups, seconds of its build)
    holders: dict[str, list[int]] = {}
    for index, member in enumerate(members):
        for entry_id in repeated.intersection(member.kb.ids):
            holders.setdefault(entry_id, []).append(index)
    for entry_id in repeated:
        origins = {files[index].get(entry_id, "") for index in holders[entry_id]}
        if len(origins) == 1 and "" not in origins:
            common[entry_id] = Path(origins.pop()).stem
        else:
            shared.add(entry_id)
    return shared, common


def _add_qualified(member: Member, mine: set[str], again: set[str], collections: dict[Kind, list[Entry]]) -> None:
    """Add a member's entries with its ids in ``mine`` qualified (and the references to them),
    leaving out those in ``again`` (given already by an earlier member)."""
    kb = member.kb
    renamed = {entry_id: f"{member.name}{QUALIFIER}{entry_id}" for entry_id in mine}
    kinds_renamed = {kind_of(kb.ids[entry_id]) for entry_id in mine}
    for kind in Kind:
        entries = [e for e in kb.collection(kind) if e.id not in again] if again else kb.collection(kind)
        touched = kind in kinds_renamed or not kinds_renamed.isdisjoint(NAMED_BY[kind])
        collections[kind].extend(qualify(kind, entries, renamed) if touched else entries)


def qualify(kind: Kind, entries: Iterable[Entry], renamed: dict[str, str]) -> Iterator[Entry]:
    """``entries`` with the ids in ``renamed`` (their own, and the ones they refer to) replaced;
    an entry that names none of them is yielded as it is (the same object). Every shape of a
    reference is rewritten: one id, a list of ids (``against``, ``restates``...), ``ARGUMENT.PREMISE``,
    an argument's further targets (``also``), its premises' and every act's ids."""
    cls = CLASS_OF[kind]
    names = _NAMES[kind]
    values_of = attrgetter(*names)  # one tuple per entry, in C (dataclasses.replace is 3x slower)
    refs = [names.index(n) for n in (*REFERENCES[kind], *_NESTED) if n in names]
    one = _renamer(renamed)
    get = renamed.get
    for entry in entries:
        values = values_of(entry)
        new = [get(values[0], values[0])]
        changed = new[0] is not values[0]
        new.extend(values[1:])
        for index in refs:
            value = values[index]
            if not value:
                continue
            rewritten: Any
            if isinstance(value, str):
                rewritten = one(value)
            elif names[index] in _NESTED:
                rewritten = _NESTED[names[index]](value, one)
            elif all(one(v) is v for v in value):
                continue
            else:
                rewritten = tuple(one(v) for v in value)
            if rewritten is not value:
                new[index] = rewritten
                changed = True
        yield cls(*new) if changed else entry


def _renamer(renamed: dict[str, str]) -> Callable[[str], str]:
    """A reference with its id renamed: ``ID`` or ``ARGUMENT.PREMISE`` (the argument's id)."""

    get = renamed.get

    def one(reference: str) -> str:
        new = get(reference)
        if new is not None:
            return new
        if "." not in reference:
            return reference
        entry, dot, premise = reference.rpartition(".")  # (a member's name may hold a dot; an id not)
        return f"{renamed[entry]}.{premise}" if dot and entry in renamed else reference

    return one


# Each returns ``value`` itself when it names none of the renamed ids (``one`` returns a reference
# it leaves as it is: the same object), so that an entry is made again only when it must be.
def _also(value: tuple[tuple[Stance, str], ...], one: Callable[[str], str]) -> tuple[tuple[Stance, str], ...]:
    if all(one(target) is target for _, target in value):
        return value
    return tuple((stance, one(target)) for stance, target in value)


def _premises(value: tuple[Premise, ...], one: Callable[[str], str]) -> tuple[Premise, ...]:
    if all(one(r) is r for p in value for r in (p.by, p.source, *p.restates) if r is not None):
        return value
    return tuple(replace(p, by=p.by and one(p.by), source=p.source and one(p.source),
                         restates=tuple(one(r) for r in p.restates)) for p in value)


def _acts(value: tuple[Act, ...], one: Callable[[str], str]) -> tuple[Act, ...]:
    if all(one(a.by) is a.by and (a.source is None or one(a.source) is a.source) for a in value):
        return value
    return tuple(replace(a, by=one(a.by), source=a.source and one(a.source)) for a in value)


#: the fields holding references inside other values, and how to rewrite them
_NESTED: dict[str, Callable[[Any, Callable[[str], str]], Any]] = {"also": _also, "premises": _premises, "acts": _acts}
