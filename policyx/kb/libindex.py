"""One cache file for the files of a library: a warm run costs a stat per file.

Opening a library of 1,500 small knowledge bases through one cache each costs
per file: hashing it, hashing its source texts, opening and checking its cache
file. Here the files of one library (the same folders and files given) share
one index in the cache folder (:mod:`policyx.kb.store`'s, with the same rules:
a folder of one's own, files opened without following links, a checksum
checked before anything is unmarshalled, atomic writes). It maps each file's
absolute path to the ``stat`` it had when it was read (mode, inode, size,
mtime_ns, ctime_ns), the stats of the files it depends on (its included files
and source texts) and its validated knowledge base. A warm run stats each file
and its dependencies, and reads again only the files whose stats differ (parsed and
their quotes checked, :func:`policyx.kb.store.load_checked`: the index is their cache, none
of their own is written); the index is rewritten only when something changed. An entry of a
file that is gone leaves the index, and the file's own cache (from a run on it alone) goes.

The ctime, which no ``touch -r``, ``cp -p`` or rsync can set back, stands in for
a digest: any write to a file moves it. A file or dependency changed less than
:data:`policyx.kb.cacherows.RACY_NS` (2 s) before the run could change again within the same
tick of the clock and keep its stamp: it is not kept in the index (a later run reads it again,
and keeps it), as a library is not kept whole then (:mod:`policyx.kb.libcache`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .. import __version__
from . import store
from .cachefolder import SIZE_FACTOR, SLACK, CacheFolder, Corrupt, cache_dir, file_name, hasher
from .cacherows import layout, payload_of, rebuild, settled
from .errors import KnowledgeBaseError, shown_path
from .include import includes_allowed
from .libfolders import stamp_or_none
from .model import KnowledgeBase
from .schema import SCHEMA_VERSION

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .load import Reader

#: the result of opening one file of a library
Opened = tuple[Path, KnowledgeBase | KnowledgeBaseError]


def open_files(
    paths: Sequence[Path], use_cache: bool, warn: Callable[[str], None] | None, readers: Sequence[Reader],
    roots: Sequence[str], progress: Callable[[int, int], None] | None = None, tag: str = "",
    record: dict[str, list[Any]] | None = None,
) -> list[Opened]:
    """Each file's knowledge base (or the error that says why it is none), in the order given.
    ``tag`` tells apart the indexes of one library's several passes. ``record`` receives, for
    each file the index holds after this run (absolute path), its stamp when it was read and
    its dependencies' ([stamp, [[file, stamp], ...]]). An index whose files are all gone is
    removed, and so is the cache of a file that was deleted."""
    def one(path: Path) -> KnowledgeBase | KnowledgeBaseError:
        try:  # (the index keeps it: a cache file of its own would be written for nothing)
            return store.load_checked(path, readers, tuple(roots))
        except KnowledgeBaseError as exc:
            return exc

    folder = CacheFolder.open(cache_dir()) if use_cache else None
    if folder is None:
        return _each(paths, one, progress)
    with folder:
        return _indexed(folder, paths, one, warn, readers, roots, progress, tag, {} if record is None else record)


def _each(
    paths: Sequence[Path], one: Callable[[Path], KnowledgeBase | KnowledgeBaseError],
    progress: Callable[[int, int], None] | None,
) -> list[Opened]:
    opened: list[Opened] = []
    for done, path in enumerate(paths, 1):
        opened.append((path, one(path)))
        if progress is not None:
            progress(done, len(paths))
    return opened


def _indexed(
    folder: Any, paths: Sequence[Path], one: Callable[[Path], KnowledgeBase | KnowledgeBaseError],
    warn: Callable[[str], None] | None, readers: Sequence[Reader], roots: Sequence[str],
    progress: Callable[[int, int], None] | None, tag: str, record: dict[str, list[Any]],
) -> list[Opened]:
    stamps: list[list[int] | None] = []
    total = 0
    now = time.time_ns()
    for path in paths:
        try:
            stamp = _stamp(path)
            total += stamp[2]
        except OSError:
            stamp = None  # the loader words the error
        stamps.append(stamp)
    folders = [os.path.abspath(r) for r in roots]
    identity: dict[str, Any] = {
        "format": store.CACHE_FORMAT, "kind": "library", "policyx": __version__,
        "schema": SCHEMA_VERSION, "python": list(sys.version_info[:2]), "layout": layout(),
        "code": store.code_stamp(readers), "roots": folders,
    }
    name = _index_name(folders, tag)
    bound = 2 * SIZE_FACTOR * total + SLACK + (64 << 10) * len(paths)
    try:
        content = folder.read_content(name, identity, bound)
    except Corrupt as exc:
        if warn is not None:
            warn(f"policyx: warning: ignoring the cache {shown_path(folder.path / name)} ({exc}); rebuilding it")
        content = None
    entries: dict[str, Any] = content["files"] if content is not None and isinstance(content.get("files"), dict) else {}
    fresh: dict[str, Any] = {}
    opened: list[Opened | None] = [None] * len(paths)
    stale: list[int] = []
    for index, (path, stamp) in enumerate(zip(paths, stamps, strict=True)):
        key = os.path.abspath(path)
        entry = entries.get(key)
        kb = None
        if stamp is not None and entry is not None and entry[0] == stamp and _deps_current(entry[1]):
            try:
                kb = rebuild(entry[2], str(path))
            except Corrupt:
                kb = None
        if kb is not None and (not kb.includes or _allowed(kb, path, roots)):
            opened[index] = (path, kb)
            fresh[key] = entry
        else:
            stale.append(index)
    for done, index in enumerate(stale, 1):
        path, before = paths[index], stamps[index]
        result = one(path)
        opened[index] = (path, result)
        if isinstance(result, KnowledgeBase) and before is not None:
            entry = _entry(path, before, result, now)
            if entry is not None:
                fresh[os.path.abspath(path)] = entry
        if progress is not None:
            progress(done, len(stale))
    if stale or set(fresh) != set(entries):
        _forget(folder, [key for key in entries if key not in fresh])
        if fresh:
            folder.write_content(name, {"identity": identity, "files": fresh}, bound)
        else:
            _remove(folder, name)
    record.update((key, entry[:2]) for key, entry in fresh.items())
    return [pair for pair in opened if pair is not None]


def _forget(folder: CacheFolder, gone: list[str]) -> None:
    """Remove the caches of the files that left the index and no longer exist (deleted or
    renamed): their data has no use, and ``info`` must not show them."""
    for path in gone:
        if not os.path.lexists(path):
            _remove(folder, store.cache_name(path))


def _remove(folder: CacheFolder, name: str) -> None:
    try:
        os.unlink(name, dir_fd=folder.fd)
    except OSError:
        pass


def _allowed(kb: KnowledgeBase, path: Path, roots: Sequence[str]) -> bool:
    return includes_allowed(kb, str(path), tuple(roots))


def _entry(path: Path, before: list[int], kb: KnowledgeBase, now: int) -> list[Any] | None:
    """A file's entry in the index: its stamp, its dependencies' (None: a source text that is
    missing, until it is there) and its payload; None when it changed while it was read, or
    when it or a dependency changed too near ``now`` (before it was read) for its stamp to tell
    a later change in the same tick of the clock (a later run reads it again, and keeps it)."""
    payload = payload_of(kb)
    if payload is None:
        return None
    if stamp_or_none(path) != before or not settled(before, now):
        return None
    deps = [[file, stamp_or_none(file)] for file in (
        *(absolute for _, _, absolute, *_ in payload["includes"]), *payload["source_files"])]
    if any(stamp is not None and not settled(stamp, now) for _, stamp in deps):
        return None
    return [before, deps, payload]


def _deps_current(deps: list[list[Any]]) -> bool:
    return all(stamp_or_none(file) == stamp for file, stamp in deps)


def _stamp(path: str | Path) -> list[int]:
    st = os.stat(path)
    return [st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]  # libfolders.stamp's


def _index_name(roots: list[str], tag: str) -> str:
    """The index's file name: from the library's folders and files given, and the pass's tag."""

    digest = hasher(16)
    digest.update(os.fsencode("\0".join(roots)))
    digest.update(os.fsencode("\0" + tag))
    return file_name(f"lib-{digest.hexdigest()}")
