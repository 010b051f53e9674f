"""A library: several knowledge bases read together, as one merged knowledge base.

A course has several sessions, a research group one knowledge base per hearing.
Which files a run reads is the command line's choice (:mod:`policyx.cli.selection`);
here they are read. Each knowledge base is opened on its own (through
its own cache, :func:`policyx.kb.store.open_kb`), then they are merged:

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
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KnowledgeBaseError, Problem, UsageError
from .model import CLASS_OF, Argument, Entry, Kind, KnowledgeBase, QuoteCheck, kind_of
from .schema import DERIVED_FIELDS, FIELDS, LIST_FIELDS, TARGET_FIELD

if TYPE_CHECKING:
    from .load import Reader

#: the files of a folder that are knowledge bases
SUFFIXES = (".yaml", ".yml")
#: the files of a folder that may be argument data of another format (AIF, Argdown, Kialo,
#: arggraph), read through the readers the caller passes in; one that is not is skipped
FOREIGN_SUFFIXES = (".json", ".argdown", ".ad", ".txt", ".xml")
#: separates a knowledge base's name from an id: ``hearing-2:attendees``
QUALIFIER = ":"

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
#: reference fields holding several ids
_LIST_FIELDS = frozenset(name for refs in REFERENCES.values() for name in refs if name in LIST_FIELDS)


# --------------------------------------------------------------------------
# Folders: every knowledge base in them, recursively; what is skipped and why


@dataclass(frozen=True)
class Skipped:
    """A file in a library's folder that is not read as a knowledge base."""

    path: str
    reason: str
    #: part of the library all the same (a member's source text): not worth a note on every run
    expected: bool = False


def expand(paths: Iterable[Path], foreign: bool = False) -> tuple[list[Path], list[Skipped]]:
    """The knowledge base files ``paths`` name (a folder: its ``.yaml``/``.yml`` files, and with
    ``foreign`` those of FOREIGN_SUFFIXES too, recursively, in sorted order; hidden files and
    folders, such as ``.git``, are not looked in), each file
    once, and the other files of the folders with the reason they are not read. A link to a
    folder is not followed (see :func:`_walk`)."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    suffixes = SUFFIXES + FOREIGN_SUFFIXES if foreign else SUFFIXES

    def add(path: Path) -> None:
        key = _realpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)  # a missing or unreadable file: the loader words the error
            continue
        for found, reason in _walk(path):
            if reason is not None:
                skipped.append(Skipped(str(found), reason))
            elif found.suffix.lower() in suffixes:
                add(found)
            else:
                skipped.append(Skipped(str(found), f"not a {' or '.join(SUFFIXES)} file" if not foreign else
                                       f"not a file of a format policyx reads ({', '.join(suffixes)})"))
    return files, skipped


def _walk(top: Path) -> Iterator[tuple[Path, str | None]]:
    """Each regular file under ``top`` (with None), depth first in sorted order, and each entry
    not read, with the reason. A link to a folder is never followed: one inside the library
    (``ln -s . self``, ``ln -s .. up``) leads to files read where they are, or round in a loop;
    one outside leads out of the library. Devices, pipes and sockets are not read (a FIFO would
    wait for ever); nor is a link that leads nowhere. Iterative: any depth of folders."""
    library = os.path.realpath(top)
    pending: list[Iterator[os.DirEntry[str]]] = [_listing(top)]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:  # a link in a loop, or to nothing
            yield path, f"a link that leads nowhere ({exc.strerror or exc})"
            continue
        if stat.S_ISDIR(mode):
            if entry.is_symlink():
                real = os.path.realpath(path)
                if _inside(os.path.realpath(path.parent), real):
                    yield path, "a link to a folder it is in (a loop): not followed"
                elif _inside(real, library):
                    yield path, "a link to another folder of the library: not followed, its files are read there"
                else:
                    yield path, "a link to a folder outside the library: not followed"
            else:
                pending.append(_listing(path))
        elif stat.S_ISREG(mode):
            yield path, None
        else:
            yield path, "not a regular file but a pipe, a device or a socket: not read"


def _listing(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot be listed: {exc.strerror or exc}") from None
    return iter(listed)


#: the real paths found in one opening of a library (cleared by open_library)
_REAL: dict[str, str] = {}


def _realpath(path: str | os.PathLike[str]) -> str:
    """os.path.realpath, remembered, and for a file that is no link its folder's real path and
    its name (an lstat, where realpath takes one per part of the path: a library of 1,500 files
    asks for thousands)."""
    key = os.fspath(path)
    real = _REAL.get(key)
    if real is None:
        head, tail = os.path.split(key)
        if head and tail not in ("", ".", "..") and not os.path.islink(key):
            real = os.path.join(_realpath(head), tail)
        else:
            real = os.path.realpath(key)
        _REAL[key] = real
    return real


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# --------------------------------------------------------------------------
# The merged knowledge base


@dataclass(frozen=True)
class Member:
    """One knowledge base of a library."""

    name: str
    path: str
    kb: KnowledgeBase


def member_names(paths: Sequence[Path]) -> list[str]:
    """Each file's short name: its stem; where stems repeat, as many of the folders above it
    as it takes to tell them apart (``2024/hearing``, ``2025/hearing``)."""
    parts = [Path(os.path.abspath(p)).with_suffix("").parts for p in paths]
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
    with :func:`merge`, which also builds the id and reply indexes from the members'."""

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
    #: per collection, entry id -> member name (made when first asked)
    _origin: dict[Kind, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._by_id:  # not from merge(): index the entries as any knowledge base does
            super().__post_init__()

    def get(self, entry_id: str) -> Entry | None:
        entry = self._by_id.get(entry_id)
        if entry is not None or QUALIFIER not in entry_id:
            return entry
        # NAME:id of an id only NAME uses (a shared id is stored qualified, found above)
        name, _, plain = entry_id.rpartition(QUALIFIER)
        entry = self._by_id.get(plain)
        return entry if entry is not None and self.kb_of(plain) == name else None

    def kb_of(self, entry_id: str) -> str | None:
        entry = self._by_id.get(entry_id)
        if entry is None:
            return None
        if entry.id in self._common:
            return self._common[entry.id]
        kind = kind_of(entry)
        origin = self._origin.get(kind)
        if origin is None:  # one collection at a time: `list questions` indexes only the questions
            origin = self._origin[kind] = {}
            entries = self.collection(kind)
            start = 0
            for member, counts in zip(self.members, self._counts, strict=True):
                count = counts[kind]
                origin.update(dict.fromkeys((e.id for e in entries[start:start + count]), member.name))
                start += count
        return origin.get(entry.id)

    def qualified(self, entry_id: str) -> tuple[str, ...]:
        return self._qualified.get(entry_id, ())

    def file_of(self, entry_id: str) -> str:
        name = self.kb_of(entry_id)
        return next((m.path for m in self.members if m.name == name), self.path)


def merge(members: Sequence[Member], skipped: Sequence[Skipped] = (), path: str = "") -> Library:
    """The members' entries in one knowledge base; ids several members use qualified as
    NAME:id, except the entries of a file that they all include (one entry, given once).

    A library is opened on every run, so this does as little per entry as it can: the members'
    own id and reply indexes are copied (in C), and only the entries that name a shared id are
    rebuilt."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for member in members:  # (set methods: `seen |= keys` would copy the set each time)
        repeated.update(seen.intersection(member.kb.ids))
        seen.update(member.kb.ids)
    shared, common = _shared_and_common(members, repeated)
    collections: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
    by_id: dict[str, Entry] = {}
    replies: dict[str, tuple[Argument, ...]] = {}
    owners: dict[str, list[str]] = {entry_id: [] for entry_id in sorted(shared)}
    counts: list[dict[Kind, int]] = []
    given_common: set[str] = set()
    for member in members:
        kb = member.kb
        mine = shared.intersection(kb.ids) if shared else set()
        again = given_common.intersection(kb.ids) if given_common else set()
        given_common.update(i for i in common if i in kb.ids)
        before = {kind: len(collections[kind]) for kind in Kind}
        kept = {k: v for k, v in kb.ids.items() if k not in again} if again else kb.ids
        by_id.update(kept)
        if not mine:
            for kind in Kind:
                entries = kb.collection(kind)
                collections[kind].extend([e for e in entries if e.id not in again] if again else entries)
            replies.update(kb.replies)
        else:
            for entry_id in mine:
                owners[entry_id].append(member.name)
                del by_id[entry_id]
            _add_qualified(member, mine, again, collections, by_id, replies)
        counts.append({kind: len(collections[kind]) - before[kind] for kind in Kind})
    qualified = {entry_id: tuple(f"{name}{QUALIFIER}{entry_id}" for name in names)
                 for entry_id, names in owners.items()}
    return Library(
        path=path, version=max((m.kb.version for m in members), default=1), title=None,
        quotes=_merged_quotes(members, shared),
        members=tuple(members), skipped=tuple(skipped), _qualified=qualified, _counts=tuple(counts),
        _common=common, _by_id=by_id, _replies=replies,
        **{kind.value: tuple(entries) for kind, entries in collections.items()},  # type: ignore[arg-type]
    )


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
        {i: _realpath(include.path) for include in m.kb.includes for i in include.ids} for m in members
    ]
    for entry_id in repeated:
        origins = {f.get(entry_id, "") for m, f in zip(members, files, strict=True) if entry_id in m.kb.ids}
        if len(origins) == 1 and "" not in origins:
            common[entry_id] = Path(origins.pop()).stem
        else:
            shared.add(entry_id)
    return shared, common


def _add_qualified(
    member: Member, mine: set[str], again: set[str], collections: dict[Kind, list[Entry]],
    by_id: dict[str, Entry], replies: dict[str, tuple[Argument, ...]],
) -> None:
    """Add a member's entries with its ids in ``mine`` qualified (and the references to them),
    leaving out those in ``again`` (given already by an earlier member)."""
    kb = member.kb
    renamed = {entry_id: f"{member.name}{QUALIFIER}{entry_id}" for entry_id in mine}
    kinds_renamed = {kind_of(kb.ids[entry_id]) for entry_id in mine}
    arguments_changed = False
    for kind in Kind:
        entries = [e for e in kb.collection(kind) if e.id not in again] if again else kb.collection(kind)
        touched = kind in kinds_renamed or any(k in kinds_renamed for ks in REFERENCES[kind].values() for k in ks)
        if not touched:
            collections[kind].extend(entries)
            continue
        for old, new in zip(entries, _qualify(kind, entries, renamed), strict=True):
            collections[kind].append(new)
            if new is not old:
                by_id[new.id] = new
                arguments_changed = arguments_changed or kind is Kind.ARGUMENTS
    if arguments_changed or kinds_renamed & {Kind.POSITIONS, Kind.ARGUMENTS}:
        made: dict[str, list[Argument]] = {}
        for argument in collections[Kind.ARGUMENTS][len(collections[Kind.ARGUMENTS]) - len(kb.arguments):]:
            assert isinstance(argument, Argument)
            for _, target in argument.relations:
                made.setdefault(target, []).append(argument)
        replies.update((target, tuple(answers)) for target, answers in made.items())
    else:
        replies.update(kb.replies)


def _qualify(kind: Kind, entries: Iterable[Entry], renamed: dict[str, str]) -> Iterator[Entry]:
    """``entries`` with the ids in ``renamed`` (their own, and the ones they refer to) replaced;
    an entry that names none of them is yielded as it is (the same object)."""
    cls = CLASS_OF[kind]
    names = [f.name for f in fields(cls)]
    values_of = attrgetter(*names)  # one tuple per entry, in C (dataclasses.replace is 3x slower)
    singles = [names.index(n) for n in REFERENCES[kind] if n not in _LIST_FIELDS]
    lists = [names.index(n) for n in REFERENCES[kind] if n in _LIST_FIELDS]
    get = renamed.get
    for entry in entries:
        values = values_of(entry)
        new = [get(values[0], values[0])]
        changed = new[0] is not values[0]
        new.extend(values[1:])
        for index in singles:
            value = values[index]
            if value is not None and value in renamed:
                new[index] = renamed[value]
                changed = True
        for index in lists:
            if any(v in renamed for v in values[index]):
                new[index] = tuple(get(v, v) for v in values[index])
                changed = True
        yield cls(*new) if changed else entry


def include_roots(paths: Iterable[Path], sources: str | None = None) -> tuple[str, ...]:
    """Where the files a library's members include may be, besides each member's folder: the
    folders given (the library's own), the folders of the files given, and ``sources``
    (--sources DIR)."""
    return (*(str(p if p.is_dir() else p.parent) for p in paths), *((sources,) if sources else ()))


def open_library(
    paths: Sequence[Path], use_cache: bool = True, warn: Callable[[str], None] | None = None,
    readers: Sequence[Reader] = (), sources: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Library:
    """Every knowledge base of ``paths`` (files and folders), merged. ``warn`` and ``readers`` as
    for open_kb; with ``readers``, a folder's files of other formats (FOREIGN_SUFFIXES) are read
    too, and one that is not argument data is skipped. ``sources`` is --sources DIR (a folder
    included files may be in, as the library's folders are). The folder's files are read through
    one index (:mod:`policyx.kb.libindex`): a warm run reads one cache file; ``progress`` is
    called with (files read, files to read) as they are read when some changed."""
    from .libindex import open_files
    from .yamlread import gc_paused

    _REAL.clear()
    files, skipped = expand(paths, foreign=bool(readers))
    roots = include_roots(paths, sources)
    given = {_realpath(p) for p in paths if not p.is_dir()}
    if not files:
        raise no_knowledge_base(paths)
    with gc_paused():  # as open_kb does, for the whole library (see there)
        # the files of other formats are opened after the knowledge bases, so that a member's
        # source texts (.txt, .json) are known as such, not read as data
        own = [p for p in files if p.suffix.lower() in SUFFIXES or _realpath(p) in given]
        foreign = [p for p in files if p.suffix.lower() not in SUFFIXES and _realpath(p) not in given]
        results = dict(open_files(own, use_cache, warn, readers, roots, progress, tag="kb"))
        texts = _source_texts([kb for kb in results.values() if isinstance(kb, KnowledgeBase)])
        rest = [p for p in foreign if _realpath(p) not in texts]
        skipped += [Skipped(str(p), texts[_realpath(p)], expected=True)
                    for p in foreign if _realpath(p) in texts]
        if rest:
            results.update(open_files(rest, use_cache, warn, readers, roots, progress, tag="other"))
        opened = [(p, results[p]) for p in files if p in results]
        opened, strays = _strays(opened, given, readers)
        members, skipped = _members(opened, skipped + strays, given)
        if not members:
            raise no_knowledge_base(paths)
        return merge(members, _explained(skipped, members), path=", ".join(str(p) for p in paths))


#: the keys at a knowledge base's top that tell one: a YAML file with none of them is not one
#: (``title:`` and ``name:`` alone do not: a conda ``environment.yml`` has a name)
KB_KEYS = frozenset({"version", "include", *(kind.value for kind in Kind)})


def _strays(
    opened: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], given: set[str], readers: Sequence[Reader],
) -> tuple[list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], list[Skipped]]:
    """The files of a folder that could not be read as knowledge bases because they are not
    argument data at all (an ``environment.yml``, a README.txt), taken out with their reason;
    a file that is one but is wrong stays, an error."""
    kept: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]] = []
    strays: list[Skipped] = []
    for path, kb in opened:
        reason = None
        if isinstance(kb, KnowledgeBaseError) and _realpath(path) not in given:
            reason = _not_argument_data(path, readers)
        if reason is None:
            kept.append((path, kb))
        else:
            strays.append(Skipped(str(path), reason))
    return kept, strays


def _not_argument_data(path: Path, readers: Sequence[Reader]) -> str | None:
    """Why the file is not argument data; None when it is (its errors are real)."""
    import re

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError):
        return None  # the loader's error says what is wrong
    for reader in readers:
        try:
            if reader(text, str(path)) is not None:
                return None
        except (KnowledgeBaseError, UsageError):
            return None  # a file of that format, with mistakes in it
    if path.suffix.lower() in SUFFIXES:
        keys = set(re.findall(r"^([A-Za-z_][\w-]*)\s*:", text, re.MULTILINE))
        if keys & KB_KEYS:
            return None
        return "a YAML file that is not a knowledge base: no 'version:' and none of its keys"
    return "not argument data of any format policyx reads (AIF, Argdown, Kialo, arggraph, Carneades)"


def _source_texts(kbs: Iterable[KnowledgeBase]) -> dict[str, str]:
    """The real paths of the knowledge bases' source texts -> what they are."""
    from .load import source_path

    texts: dict[str, str] = {}
    for kb in kbs:
        for source in kb.sources:
            path = source_path(kb, source)
            if path is not None:
                owner = kb.name or Path(kb.path).stem
                texts.setdefault(_realpath(path), f"the text of source {source.id!r} of {owner}")
    return texts


def no_knowledge_base(paths: Iterable[Path]) -> KnowledgeBaseError:
    """The error for folders that hold no knowledge base."""
    return KnowledgeBaseError([
        Problem(f"is a folder with no knowledge base in it (no {' or '.join(SUFFIXES)} file, nor in its folders)",
                str(path), hint="give a folder of knowledge bases, or the path of a .yaml file")
        for path in paths
    ])


def _members(
    opened: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], skipped: list[Skipped], given: set[str],
) -> tuple[list[Member], list[Skipped]]:
    """The library's members, named; a folder's files that others include are skipped (they are
    part of those), and any other file that cannot be read is an error, with all their problems."""
    includers: dict[str, str] = {}
    for path, kb in opened:
        if isinstance(kb, KnowledgeBase):
            for include in kb.includes:
                includers.setdefault(_realpath(include.path), str(path))
    kept: list[tuple[Path, KnowledgeBase]] = []
    problems: list[Problem] = []
    for path, kb in opened:
        real = _realpath(path)
        if real in includers and real not in given:
            skipped = [*skipped, Skipped(str(path), f"included by {includers[real]}", expected=True)]
        elif isinstance(kb, KnowledgeBaseError):
            problems.extend(kb.problems)
        else:
            kept.append((path, kb))
    if problems:
        raise KnowledgeBaseError(problems)
    unnamed = [path for path, kb in kept if kb.name is None]
    derived = iter(member_names(unnamed))  # stems, told apart by their folders (the named ones aside)
    names = [kb.name if kb.name is not None else next(derived) for _, kb in kept]
    first: dict[str, str] = {}
    for name, (path, _) in zip(names, kept, strict=True):
        if name in first:
            raise UsageError(f"two knowledge bases of the library are called {name!r}: {first[name]} and {path}"
                             f" (give one of them another 'name:' at its top)")
        first[name] = str(path)
    return [Member(name, kb.path, kb) for name, (_, kb) in zip(names, kept, strict=True)], skipped


def _explained(skipped: list[Skipped], members: list[Member]) -> list[Skipped]:
    """The skipped files that are a member's source text, said so (and marked expected)."""
    from .load import source_path

    sources: dict[str, str] = {}
    for member in members:
        for source in member.kb.sources:
            path = source_path(member.kb, source)
            if path is not None:
                sources.setdefault(_realpath(path), f"the text of source {source.id!r} of {member.name}")
    return [
        Skipped(s.path, sources[key], expected=True) if (key := _realpath(s.path)) in sources else s
        for s in skipped
    ]

