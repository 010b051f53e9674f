"""A library: several knowledge bases read together, as one merged knowledge base.

A course has several sessions, a research group one knowledge base per hearing.
``--kb`` may be repeated and may name folders, ``POLICYX_KB`` may hold several
paths (``:``-separated, like ``PATH``), and ``$XDG_CONFIG_HOME/policyx/config.toml``
may name a default library. Each knowledge base is opened on its own (through
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
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import KnowledgeBaseError, Problem, UsageError
from .model import Entry, Kind, KnowledgeBase

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: what separates the paths of POLICYX_KB (``PATH``'s separator: ``:``, ``;`` on Windows)
PATH_SEPARATOR = os.pathsep
#: the files of a folder that are knowledge bases
SUFFIXES = (".yaml", ".yml")
#: separates a knowledge base's name from an id: ``hearing-2:attendees``
QUALIFIER = ":"

#: Fields of each record class holding ids of other entries (what qualifying an id rewrites).
REFERENCES: dict[Kind, tuple[str, ...]] = {
    Kind.SOURCES: (),
    Kind.ACTORS: (),
    Kind.MODELS: (),
    Kind.QUESTIONS: ("source",),
    Kind.POSITIONS: ("question", "held_by", "source", "models"),
    Kind.ARGUMENTS: ("target", "by", "source"),
}


# --------------------------------------------------------------------------
# Which knowledge bases: --kb, POLICYX_KB, the config file, the bundled one


@dataclass(frozen=True)
class Selection:
    """The knowledge bases a run reads, and where that choice came from."""

    #: paths as given (files or folders), in order
    paths: tuple[Path, ...]
    #: read as a library (several paths, or a folder): entries carry their knowledge base's name
    library: bool
    #: what chose them, for messages: "--kb", "POLICYX_KB", the config file's path, or "bundled"
    origin: str


def config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/policyx/config.toml``, or ``~/.config/policyx/config.toml``
    (XDG: a relative value is ignored)."""
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else _home(environ) / ".config"
    return root / "policyx" / "config.toml"


def _home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or os.path.expanduser("~"))


#: The keys of config.toml, and what each holds (help and errors name them).
CONFIG_KEYS: dict[str, str] = {
    "library": "the knowledge bases read when neither --kb nor POLICYX_KB is given: a path or a list of paths "
               "(files or folders; relative to the config file's folder; ~ is your home)",
}


def config_library(path: Path, environ: Mapping[str, str]) -> tuple[Path, ...] | None:
    """The library ``config.toml`` names, or None when there is no such file or it names none.
    A config file that cannot be read or holds a mistake is a UsageError naming it."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the backport, a dependency on Python 3.10
        import tomli as tomllib
    try:
        config = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text (save it as UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: is not valid TOML: {exc}") from None
    for key in config:
        if key not in CONFIG_KEYS:
            from .load import did_you_mean

            hint = did_you_mean(key, CONFIG_KEYS)
            raise UsageError(f"{path}: unknown key {key!r}{f' ({hint})' if hint else ''};"
                             f" the keys are: {', '.join(CONFIG_KEYS)}")
    value = config.get("library")
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise UsageError(f"{path}: 'library' must be a path or a list of paths (library = [\"~/debates\"])")
    home = _home(environ)
    return tuple(home / item[2:] if item.startswith("~/") else home if item == "~" else path.parent / item
                 for item in items)


def select(options: Sequence[str], environ: Mapping[str, str]) -> Selection:
    """--kb (repeatable) wins over POLICYX_KB (``:``-separated), which wins over the config
    file's ``library``, which wins over the bundled knowledge base. Several paths, or a folder,
    make a library. (An empty POLICYX_KB counts as unset, as shells use it; an empty --kb is a
    mistake.)"""
    if options:
        if not all(options):
            raise UsageError("--kb needs the path of a knowledge base file or folder; it was given an empty one")
        return _selection(tuple(Path(o) for o in options), "--kb")
    variable = environ.get("POLICYX_KB", "")
    parts = tuple(Path(p) for p in variable.split(PATH_SEPARATOR) if p)
    if parts:
        return _selection(parts, "POLICYX_KB")
    where = config_path(environ)
    configured = config_library(where, environ)
    if configured:
        return _selection(configured, str(where))
    from .load import bundled_path

    return Selection((bundled_path(),), False, "bundled")


def _selection(paths: tuple[Path, ...], origin: str) -> Selection:
    return Selection(paths, len(paths) > 1 or any(p.is_dir() for p in paths), origin)


# --------------------------------------------------------------------------
# Folders: every knowledge base in them, recursively; what is skipped and why


@dataclass(frozen=True)
class Skipped:
    """A file in a library's folder that is not read as a knowledge base."""

    path: str
    reason: str
    #: part of the library all the same (a member's source text): not worth a note on every run
    expected: bool = False


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The knowledge base files ``paths`` name (a folder: its ``.yaml``/``.yml`` files, recursively,
    in sorted order; hidden files and folders, such as ``.git``, are not looked in), each file
    once, and the other files of the folders with the reason they are not read."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)  # a missing or unreadable file: the loader words the error
            continue
        for found in _walk(path):
            if found.suffix.lower() in SUFFIXES:
                add(found)
            else:
                skipped.append(Skipped(str(found), f"not a {' or '.join(SUFFIXES)} file"))
    return files, skipped


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot be listed: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir():
            yield from _walk(path)
        elif entry.is_file():
            yield path


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
    """Several knowledge bases merged into one (see the module's documentation)."""

    members: tuple[Member, ...] = ()
    #: files of the library's folders that are not knowledge bases, and why
    skipped: tuple[Skipped, ...] = ()
    #: a plain id used by several members -> its qualified ids, in member order
    _qualified: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _origin: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def get(self, entry_id: str) -> Entry | None:
        entry = self._by_id.get(entry_id)
        if entry is not None or QUALIFIER not in entry_id:
            return entry
        # NAME:id of an id only NAME uses (a shared id is stored qualified, found above)
        name, _, plain = entry_id.rpartition(QUALIFIER)
        entry = self._by_id.get(plain)
        return entry if entry is not None and self.kb_of(plain) == name else None

    def kb_of(self, entry_id: str) -> str | None:
        if not self._origin:
            self._origin.update(
                (entry.id, member.name)
                for member, entries in zip(self.members, self._member_entries(), strict=True)
                for entry in entries
            )
        return self._origin.get(entry_id)

    def qualified(self, entry_id: str) -> tuple[str, ...]:
        return self._qualified.get(entry_id, ())

    def _member_entries(self) -> Iterator[list[Entry]]:
        """Each member's entries as they are in the merged collections (ids qualified where shared)."""
        offsets = dict.fromkeys(Kind, 0)
        for member in self.members:
            entries: list[Entry] = []
            for kind in Kind:
                count = len(member.kb.collection(kind))
                start = offsets[kind]
                entries.extend(self.collection(kind)[start:start + count])
                offsets[kind] = start + count
            yield entries


def merge(members: Sequence[Member], skipped: Sequence[Skipped] = (), path: str = "") -> Library:
    """The members' entries in one knowledge base; ids shared by several members qualified."""
    owners: dict[str, list[str]] = {}
    for member in members:
        for entry in member.kb.entries():
            owners.setdefault(entry.id, []).append(member.name)
    shared = {entry_id: names for entry_id, names in owners.items() if len(names) > 1}
    collections: dict[str, list[Entry]] = {kind.value: [] for kind in Kind}
    for member in members:
        renamed = {entry_id: f"{member.name}{QUALIFIER}{entry_id}"
                   for entry_id in shared if member.kb.get(entry_id) is not None}
        for kind in Kind:
            entries = member.kb.collection(kind)
            collections[kind.value].extend(_qualify(kind, entries, renamed) if renamed else entries)
    qualified = {entry_id: tuple(f"{name}{QUALIFIER}{entry_id}" for name in names)
                 for entry_id, names in shared.items()}
    return Library(
        path=path, version=max((m.kb.version for m in members), default=1), title=None,
        members=tuple(members), skipped=tuple(skipped), _qualified=qualified,
        **{name: tuple(entries) for name, entries in collections.items()},  # type: ignore[arg-type]
    )


def _qualify(kind: Kind, entries: Iterable[Entry], renamed: dict[str, str]) -> Iterator[Entry]:
    """``entries`` with the ids in ``renamed`` (their own, and the ones they refer to) replaced."""
    references = REFERENCES[kind]
    for entry in entries:
        changes: dict[str, Any] = {}
        if entry.id in renamed:
            changes["id"] = renamed[entry.id]
        for name in references:
            value = getattr(entry, name)
            if isinstance(value, tuple):
                if any(v in renamed for v in value):
                    changes[name] = tuple(renamed.get(v, v) for v in value)
            elif value in renamed:
                changes[name] = renamed[value]
        yield replace(entry, **changes) if changes else entry


def open_library(
    selection: Selection, use_cache: bool = True, warn: Callable[[str], None] | None = None,
) -> Library:
    """Every knowledge base of ``selection``, each through its own cache, merged.
    ``warn`` receives what a user should hear about the caches (as for open_kb)."""
    import gc

    from .load import gc_paused
    from .store import open_kb

    files, skipped = expand(selection.paths)
    if not files:
        raise KnowledgeBaseError([
            Problem(f"is a folder with no knowledge base in it (no {' or '.join(SUFFIXES)} file, nor in its folders)",
                    str(path), hint="give a folder of knowledge bases, or the path of a .yaml file")
            for path in selection.paths
        ])
    with gc_paused():  # as open_kb does, for the whole library (see there)
        kbs = [open_kb(path, use_cache=use_cache, warn=warn) for path in files]
        names = member_names(files)
        members = [Member(name, kb.path, kb) for name, kb in zip(names, kbs, strict=True)]
        library = merge(members, _explained(skipped, members), path=", ".join(str(p) for p in selection.paths))
    if len(library.arguments) >= FREEZE_FROM:
        gc.freeze()
    return library


def _explained(skipped: list[Skipped], members: list[Member]) -> list[Skipped]:
    """The skipped files that are a member's source text, said so (and marked expected)."""
    from .load import source_path

    sources: dict[str, str] = {}
    for member in members:
        for source in member.kb.sources:
            path = source_path(member.kb, source)
            if path is not None:
                sources.setdefault(os.path.realpath(path), f"the text of source {source.id!r} of {member.name}")
    return [
        Skipped(s.path, sources[key], expected=True) if (key := os.path.realpath(s.path)) in sources else s
        for s in skipped
    ]


#: as many arguments as make open_kb move a knowledge base out of the collector's sight
FREEZE_FROM = 10_000
