"""A library kept whole: its merged knowledge base in one cache file.

Opening a library through its index (:mod:`policyx.kb.libindex`) still costs, on a warm run,
walking its folders, rebuilding each member from its rows and merging them: for 1,500 small
files, several times what one file of the same data costs. So the merged library itself is
kept, in one cache file per set of paths given (with the same rules as every cache file:
:mod:`policyx.kb.cachefolder`), together with the ``stat`` of everything it was made from:
each folder listed (a file added, removed or renamed changes its folder), each member file and
the files it depends on (included files, source texts), each file skipped after it was read
(not argument data) and each link or pipe not followed. A warm run stats those and, when all
are as they were, reads this one file: no folder is listed and no knowledge base file is read.
Anything else rebuilds the library through the index, and rewrites this file.

A stamp is the ``stat`` a change moves (mode, inode, size, mtime, ctime; the ctime cannot be
set back by ``touch -r``, ``cp -p`` or rsync). A file changed within the same tick of the clock
as it was read could keep its stamp: a library made from anything changed less than
:data:`policyx.kb.cacherows.RACY_NS` (2 s) before it was built is not kept (the next run builds it again, and keeps it).

The members' own knowledge bases (which ``stats``, ``list kbs`` and exports per member read)
are made again on first use from the merged entries (their ids unqualified again), or, for a
member whose entries others gave first (an included file several share), from its own cache.
"""

from __future__ import annotations

import os
import sys
import time
from functools import partial
from itertools import accumulate, repeat, starmap
from operator import itemgetter
from pathlib import Path

from .. import __version__
from . import searchcolumns, store
from .cachefolder import CacheFolder, Corrupt, cache_dir, file_name, hasher
from .cacherows import columns_of, entries_of, layout, settled
from .errors import shown_path
from .libfolders import Skipped, Stamp, stamp_or_none
from .library import KINDS, NAMED_BY, QUALIFIER, Library, Member, qualify
from .model import Include, Kind, KnowledgeBase, QuoteCheck, kind_of
from .schema import SCHEMA_VERSION

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .load import Reader

#: the largest library cache file read (a regular file of this user's, checked before)
_BOUND = 1 << 32


def now() -> int:
    """The time a build starts at (what stamps are compared with: :func:`policyx.kb.cacherows.settled`)."""
    return time.time_ns()


def read(
    paths: Sequence[Path], roots: Sequence[str], readers: Sequence[Reader], warn: Callable[[str], None] | None,
) -> Library | None:
    """The library kept for ``paths`` when nothing it was made from changed; else None."""
    folder = CacheFolder.open(cache_dir())
    if folder is None:
        return None
    name, identity = _key(paths, roots, readers)
    with folder:
        try:
            content = folder.read_content(name, identity, _BOUND)
        except Corrupt as exc:
            if warn is not None:
                warn(f"policyx: warning: ignoring the cache {shown_path(folder.path / name)} ({exc}); rebuilding it")
            return None
    if content is None or not _current(content.get("stamps")):
        return None
    try:
        library = _library(content, readers, roots)
    except Exception:  # a payload we wrote and checked: only our own bug gets here; build it again
        return None
    searchcolumns.attach(library, name, _BOUND, content.get("search_key"))
    return library


def write(
    library: Library, paths: Sequence[Path], roots: Sequence[str], readers: Sequence[Reader],
    stamps: list[tuple[str, Stamp | None]], started: int,
) -> None:
    """Keep ``library``, made from the files and folders ``stamps`` holds (taken before they were
    read); not when one of them changed too near ``started`` to be told from the build."""
    if any(s is not None and not settled(s, started) for _, s in stamps):
        return
    folder = CacheFolder.open(cache_dir())
    if folder is None:
        return
    name, identity = _key(paths, roots, readers)
    key = os.urandom(16).hex()  # what ties the search's columns to this file (searchcolumns)
    content = {
        "identity": identity, "stamps": [[path, s] for path, s in stamps],
        "path": library.path, "version": library.version, "columns": columns_of(library),
        "search_key": key,
        "quotes": _quotes(library.quotes),
        "members": [_member(library, index, member) for index, member in enumerate(library.members)],
        "counts": [[counts[kind] for kind in Kind] for counts in library._counts],
        "skipped": [[s.path, s.reason, s.expected] for s in library.skipped],
        "qualified": {k: list(v) for k, v in library._qualified.items()}, "common": dict(library._common),
    }
    with folder:
        searchcolumns.write(folder, name, _BOUND, key, library)
        folder.write_content(name, content, _BOUND)


def news(paths: Sequence[Path], roots: Sequence[str], skipped: Sequence[Skipped]) -> tuple[Skipped, ...]:
    """The files skipped as no argument data that no earlier build of this library found (all of
    them without a cache folder): a note each, once, not on every run. The ones found are
    recorded in a small cache file beside the library's."""
    strays = [s for s in skipped if not s.expected]
    folder = CacheFolder.open(cache_dir())
    if folder is None:
        return tuple(strays)
    name = cache_name(paths, roots).replace("-whole-", "-skipped-")
    identity = {"format": store.CACHE_FORMAT, "kind": "library-skipped"}
    with folder:
        try:
            content = folder.read_content(name, identity, _BOUND)
        except Corrupt:
            content = None
        before = {tuple(item) for item in content["skipped"]} if content is not None else set()
        now = [[s.path, s.reason] for s in strays]
        if {tuple(item) for item in now} != before:
            folder.write_content(name, {"identity": identity, "skipped": now}, _BOUND)
    return tuple(s for s in strays if (s.path, s.reason) not in before)


def cache_name(paths: Sequence[Path], roots: Sequence[str]) -> str:
    """The name of the cache file that keeps the library of ``paths``."""
    return _key(paths, roots, ())[0]


def _key(paths: Sequence[Path], roots: Sequence[str], readers: Sequence[Reader]) -> tuple[str, dict[str, Any]]:
    given = [os.fspath(p) for p in paths]
    folders = [os.path.abspath(r) for r in roots]
    digest = hasher(16)
    digest.update(os.fsencode("\0".join([os.path.abspath(p) for p in given] + ["", *folders])))
    name = file_name(f"lib-{digest.hexdigest()}-whole")
    identity: dict[str, Any] = {
        "format": store.CACHE_FORMAT, "kind": "library-whole", "policyx": __version__, "schema": SCHEMA_VERSION,
        "python": list(sys.version_info[:2]), "layout": layout(), "code": store.code_stamp(readers),
        "paths": given, "roots": folders,
        # paths as given are shown (a member's path): relative ones are the current folder's
        "cwd": os.getcwd() if any(not os.path.isabs(p) for p in given) else "",
    }
    return name, identity


def _current(stamps: Any) -> bool:
    """Whether every file and folder is as it was (a stat each)."""
    if not isinstance(stamps, list):
        return False
    for path, before in stamps:
        if stamp_or_none(path) != before:
            return False
    return True


def _quotes(check: QuoteCheck | None) -> list[Any] | None:
    return None if check is None else [list(check.not_verbatim), list(check.unchecked), check.verbatim]


def _quote_check(value: list[Any] | None) -> QuoteCheck | None:
    if value is None:
        return None
    wrong, unchecked, verbatim = value
    return QuoteCheck(tuple(map(tuple, wrong)), tuple(map(tuple, unchecked)), verbatim)


def _member(library: Library, index: int, member: Member) -> list[Any]:
    """What makes a member's knowledge base again from the merged one: its fields besides the
    entries, its ids that the library qualified, and whether all its entries are its own there."""
    kb = member.kb
    counts = library._counts[index]
    whole = all(counts[kind] == len(kb.collection(kind)) for kind in Kind)
    renamed = sorted(entry_id for entry_id in kb.ids if entry_id in library._qualified)
    return [member.name, member.path, kb.title, kb.name, kb.version,
            [[include.path, list(include.ids)] for include in kb.includes], _quotes(kb.quotes), renamed, whole]


def _library(content: dict[str, Any], readers: Sequence[Reader], roots: Sequence[str]) -> Library:
    collections = entries_of(content["columns"], content["version"])
    rows, infos = content["counts"], content["members"]
    if len(rows) != len(infos) or any(len(row) != len(KINDS) for row in rows):
        raise ValueError("counts of other members or collections")
    counts = tuple(map(dict, map(zip, repeat(KINDS), rows)))  # (in C: a dict a member)
    # where each member's entries start in each collection: the counts before it, added up
    starts = [list(accumulate(column, initial=0)) for column in zip(*rows, strict=True)]
    made: list[Library] = []
    make = partial(_member_kb, made, infos, starts, counts, readers, roots)
    members = tuple(map(Member, map(itemgetter(0), infos), map(itemgetter(1), infos), repeat(None),
                        map(partial(partial, make), range(len(infos))), map(itemgetter(2), infos)))
    library = Library(
        path=content["path"], version=content["version"], title=None, quotes=_quote_check(content["quotes"]),
        members=members, skipped=tuple(starmap(Skipped, content["skipped"])),
        _qualified={k: tuple(v) for k, v in content["qualified"].items()}, _counts=counts,
        _common=content["common"], built=False, **collections,  # type: ignore[arg-type]
    )
    made.append(library)
    return library


def _member_kb(
    made: list[Library], infos: list[list[Any]], starts: list[list[int]], counts: tuple[dict[Kind, int], ...],
    readers: Sequence[Reader], roots: Sequence[str], index: int,
) -> KnowledgeBase:
    """The knowledge base of the library's member ``index`` (its ``infos``: see :func:`_member`), made
    again from the library's entries (``made[0]``), or, when some of its entries were given by another
    member (a file several include), read from its own cache."""
    name, path, title, kb_name, version, includes, quotes, renamed, whole = infos[index]
    if not whole:  # its own cache has them all
        return store.open_kb(Path(path), readers=readers, roots=roots)
    library = made[0]
    back = {f"{name}{QUALIFIER}{entry_id}": entry_id for entry_id in renamed}
    kinds = {kind_of(entry) for entry in map(library.get, back) if entry is not None}
    collections: dict[str, tuple[Any, ...]] = {}
    for position, kind in enumerate(KINDS):
        start = starts[position][index]
        entries = library.collection(kind)[start:start + counts[index][kind]]
        touched = kind in kinds or not kinds.isdisjoint(NAMED_BY[kind])
        collections[kind.value] = tuple(qualify(kind, entries, back)) if touched else entries
    return KnowledgeBase(
        path=path, version=version, title=title, name=kb_name,
        includes=tuple(Include(p, tuple(ids)) for p, ids in includes), quotes=_quote_check(quotes),
        **collections,  # type: ignore[arg-type]
    )
