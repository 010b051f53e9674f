"""A library's folders: every file in them that may be a knowledge base, and what is not read.

Which files a run reads is the command line's choice (:mod:`policyx.cli.selection`); a folder
given there is walked here, recursively and in sorted order. Hidden files and folders are not
looked in; links to folders are never followed; pipes, devices and sockets are not read. Every
folder listed, and every entry not read for what it is (a link, a pipe), is reported with its
``stat`` (:func:`stamp`), so that a warm run can tell, by a stat each, that nothing was added,
removed or renamed (:mod:`policyx.kb.libcache`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import UsageError
from .struct import dataclass

#: the files of a folder that are knowledge bases
SUFFIXES = (".yaml", ".yml")
#: the files of a folder that may be argument data of another format (AIF, Argdown, Kialo,
#: arggraph), read through the readers the caller passes in; one that is not is skipped
FOREIGN_SUFFIXES = (".json", ".argdown", ".ad", ".txt", ".xml")
#: a file or folder's stamp: what any change to it moves (the ctime cannot be set back)
Stamp = list[int]


def stamp(path: str | os.PathLike[str]) -> Stamp:
    """Mode, inode, size, mtime and ctime (ns) of ``path`` (following links). Raises OSError."""
    st = os.stat(path)
    return [st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def stamp_or_none(path: str | os.PathLike[str]) -> Stamp | None:
    try:
        return stamp(path)
    except OSError:
        return None


@dataclass(frozen=True)
class Skipped:
    """A file in a library's folder that is not read as a knowledge base."""

    path: str
    reason: str
    #: part of the library all the same (a member's source text): not worth a note on every run
    expected: bool = False


def expand(
    paths: Iterable[Path], foreign: bool = False, walked: list[tuple[str, Stamp | None]] | None = None,
) -> tuple[list[Path], list[Skipped]]:
    """The knowledge base files ``paths`` name (a folder: its ``.yaml``/``.yml`` files, and with
    ``foreign`` those of FOREIGN_SUFFIXES too, recursively, in sorted order; hidden files and
    folders, such as ``.git``, are not looked in), each file
    once, and the other files of the folders with the reason they are not read. A link to a
    folder is not followed (see :func:`_walk`). ``walked`` receives each folder listed and each
    entry not read for what it is (a link, a pipe), with its stamp taken before it was looked at
    (None: it leads nowhere)."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    suffixes = SUFFIXES + FOREIGN_SUFFIXES if foreign else SUFFIXES

    def add(path: Path) -> None:
        key = realpath(path)
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)  # a missing or unreadable file: the loader words the error
            continue
        for found, reason in _walk(path, walked if walked is not None else []):
            if reason is not None:
                skipped.append(Skipped(str(found), reason))
            elif found.suffix.lower() in suffixes:
                add(found)
            else:
                skipped.append(Skipped(str(found), f"not a {' or '.join(SUFFIXES)} file" if not foreign else
                                       f"not a file of a format policyx reads ({', '.join(suffixes)})"))
    return files, skipped


def _walk(top: Path, walked: list[tuple[str, Stamp | None]]) -> Iterator[tuple[Path, str | None]]:
    """Each regular file under ``top`` (with None), depth first in sorted order, and each entry
    not read, with the reason. A link to a folder is never followed: one inside the library
    (``ln -s . self``, ``ln -s .. up``) leads to files read where they are, or round in a loop;
    one outside leads out of the library. Devices, pipes and sockets are not read (a FIFO would
    wait for ever); nor is a link that leads nowhere. Iterative: any depth of folders."""
    library = os.path.realpath(top)
    pending: list[Iterator[os.DirEntry[str]]] = [_listing(top, walked)]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            st = os.stat(path)
        except OSError as exc:  # a link in a loop, or to nothing
            walked.append((entry.path, None))
            yield path, f"a link that leads nowhere ({exc.strerror or exc})"
            continue
        if stat.S_ISREG(st.st_mode):
            yield path, None
            continue
        if stat.S_ISDIR(st.st_mode) and not entry.is_symlink():
            pending.append(_listing(path, walked))
            continue
        walked.append((entry.path, [st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]))
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(path)
            if _inside(os.path.realpath(path.parent), real):
                yield path, "a link to a folder it is in (a loop): not followed"
            elif _inside(real, library):
                yield path, "a link to another folder of the library: not followed, its files are read there"
            else:
                yield path, "a link to a folder outside the library: not followed"
        else:
            yield path, "not a regular file but a pipe, a device or a socket: not read"


def _listing(folder: Path, walked: list[tuple[str, Stamp | None]]) -> Iterator[os.DirEntry[str]]:
    try:
        walked.append((os.fspath(folder), stamp(folder)))
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot be listed: {exc.strerror or exc}") from None
    return iter(listed)


#: the real paths found in one opening of a library (cleared by open_library)
REAL: dict[str, str] = {}


def realpath(path: str | os.PathLike[str]) -> str:
    """os.path.realpath, remembered, and for a file that is no link its folder's real path and
    its name (an lstat, where realpath takes one per part of the path: a library of 1,500 files
    asks for thousands)."""
    key = os.fspath(path)
    real = REAL.get(key)
    if real is None:
        head, tail = os.path.split(key)
        if head and tail not in ("", ".", "..") and not os.path.islink(key):
            real = os.path.join(realpath(head), tail)
        else:
            real = os.path.realpath(key)
        REAL[key] = real
    return real


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

