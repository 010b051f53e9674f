"""Opening a knowledge base for a command, through a cache of validated ones.

Parsing YAML is by far the dearest step of a run (about 10 s for 100,000
arguments; PyYAML's import alone costs more than reading the cache), so a
validated knowledge base is kept under ``$XDG_CACHE_HOME/policyx`` (default
``~/.cache/policyx``), one file per knowledge base path.

- Kept in the cache folder (:mod:`policyx.kb.cachefolder`: data only, never pickle; a
  checksum checked before anything is unmarshalled; a folder of one's own, files opened
  without following links and read within a bound; atomic writes), as rows of builtins
  (:mod:`policyx.kb.cacherows`). No sensible place (``HOME`` empty, relative or missing; a
  name too long for the file system) means no cache, silently.
- Keyed so that any change to the file invalidates it: the absolute path
  names the cache file; inside, the policyx version, schema version, Python
  version, the model's layout, the size and mtime of the modules that build
  the knowledge base (an edited checkout) must all match, and the file must be
  as it was (below); so must the digests of the files it includes
  (``include:``), recorded in the cache. Only regular files are cached
  (reading a pipe to hash it would consume it).
- The file is as it was when its ``stat`` (mode, inode, size, mtime, ctime) is
  the one it had when it was read, else when its size and blake2b digest are,
  as for its source texts (:mod:`policyx.kb.cacherows`). The mtime alone could
  not decide: it can tick coarser than two quick edits of the same size, and
  ``touch -r``/``cp -p``/rsync set it back; but any write moves the ctime, which
  nothing sets back. A file changed less than ``RACY_NS`` (2 s) before it was
  read could change again within the same tick of the clock and keep its
  ``stat``: its digest alone decides, until a run finds it unchanged and
  settled and keeps its ``stat`` (writing the cache again, once). Hashing cost
  15 ms of every warm run for an 11 MB file (25,500 claims), 30 ms for 38 MB;
  a ``stat`` costs microseconds.
- A cache file that cannot be read or is corrupt is ignored with one warning
  on stderr, then rebuilt. A cache folder that cannot be used is not an
  error: policyx works without the cache (silently: a read-only home is a
  legitimate set-up, and a warning per run would spoil every pipe).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from functools import partial
from pathlib import Path

from .. import __version__
from . import searchcolumns
from .cachefolder import CACHE_FORMAT, SIZE_FACTOR, SLACK, CacheFolder, Corrupt, cache_dir, file_name, hasher
from .cacherows import file_current, file_kept, layout, payload_current, payload_of, rebuild
from .errors import shown_path
from .include import includes_allowed
from .libfolders import stamp
from .model import KnowledgeBase
from .schema import SCHEMA_VERSION
from .struct import replace
from .yamlread import gc_paused

__all__ = ["CACHE_FORMAT", "CODE_MODULES", "cache_dir", "cache_file", "cache_identity", "open_kb"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from .load import Reader


def cache_file(path: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the cache of the knowledge base at ``path`` lives (None: nowhere, see cache_dir)."""
    folder = cache_dir(environ)
    return None if folder is None else folder / cache_name(path)


def cache_name(path: str | os.PathLike[str]) -> str:
    """The name of a knowledge base's cache file in the cache folder."""
    digest = hasher(16)
    digest.update(os.fsencode(os.path.abspath(path)))
    return file_name(f"kb-{digest.hexdigest()}")



def cache_identity(path: Path, readers: Sequence[Reader] = ()) -> dict[str, Any]:
    """What must match for a cache to stand for the file (``readers``: those of other formats
    the file may be read by, whose code counts too); whether it stands for the file's current
    content is the payload's ``file`` (:func:`policyx.kb.cacherows.file_current`)."""
    return {
        "format": CACHE_FORMAT,
        "policyx": __version__,
        "schema": SCHEMA_VERSION,
        "python": list(sys.version_info[:2]),
        # the model's shape, and the code that validates and stores it: a cache made by
        # other code (an edited checkout of the same version) is never taken for this one's
        "layout": layout(),
        "code": code_stamp(readers),
        "path": os.path.abspath(path),
    }


#: The modules whose code decides what a valid knowledge base holds: the table,
#: the readers, the rules, the builder, the model and this file's layout.
CODE_MODULES = ("schema.py", "yamlread.py", "validate.py", "load.py", "include.py", "model.py", "store.py",
                "cachefolder.py", "cacherows.py", "library.py", "libfolders.py", "libopen.py", "libindex.py",
                "libcache.py", "searchcolumns.py",
                "check.py", "sourceindex.py", "fastcheck.py", "graphrules.py", "graphbuild.py")


#: what _code_stamp found, once per process: a library of 1,500 files asks 1,500
#: times, and neither the model nor the code of a running policyx changes under it
_CONSTANT: dict[Any, list[Any]] = {}


def code_stamp(readers: Sequence[Reader]) -> list[Any]:
    """Size and mtime of the modules that decide what a cached knowledge base holds (once per
    process and set of readers)."""
    key = ("code", __file__, *readers)
    if key not in _CONSTANT:
        _CONSTANT[key] = _code_files_stamp(readers)
    return _CONSTANT[key]


def _code_files_stamp(readers: Sequence[Reader]) -> list[Any]:
    here = os.path.dirname(os.path.abspath(__file__))
    files = [os.path.join(here, name) for name in CODE_MODULES]
    for reader in readers:  # what the kb option caches of an AIF, Argdown or Kialo file: its package's code
        module = sys.modules.get(reader.__module__)
        folder = os.path.dirname(getattr(module, "__file__", None) or "") if module is not None else ""
        try:
            files += sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            pass
    found: list[Any] = []
    for file in files:
        name = os.path.relpath(file, here)
        try:
            st = os.stat(file)
            found.append([name, st.st_size, st.st_mtime_ns])
        except OSError:  # e.g. imported from a zip: the version alone decides
            found.append([name, None, None])
    return found


def open_kb(
    path: Path, use_cache: bool = True, warn: Callable[[str], None] | None = None, readers: Sequence[Reader] = (),
    roots: Sequence[str | os.PathLike[str]] = (),
) -> KnowledgeBase:
    """The validated knowledge base at ``path``: from the cache when it is
    current, else loaded (and the cache rewritten). Raises KnowledgeBaseError.
    ``warn`` receives what a user should hear about the cache (the CLI prints it);
    ``readers`` read files of other formats (policyx.kb.load.load); ``roots``: other folders
    its included files may be in."""
    # Building a knowledge base allocates hundreds of thousands of objects and
    # no cycles: the cyclic collector only slows it down.
    with gc_paused():
        return _open(path, use_cache, warn, readers, tuple(roots))


def load_checked(
    path: Path, readers: Sequence[Reader] = (), roots: tuple[str | os.PathLike[str], ...] = (),
) -> KnowledgeBase:
    """Load the file and compare its quotes with their sources (kept with it, and cached)."""
    # Lazy boundary, the reader: the loader (PyYAML, validation, locating) and the quote check are
    # imported only when a file is read, so that a run answered from the cache never loads them.
    from .check import quote_check
    from .load import load, read_source_text

    kb = load(path, readers=readers, roots=roots)
    return replace(kb, quotes=quote_check(kb, partial(read_source_text, kb)))


def _open(
    path: Path, use_cache: bool, warn: Callable[[str], None] | None, readers: Sequence[Reader],
    roots: tuple[str | os.PathLike[str], ...] = (),
) -> KnowledgeBase:
    def load(path: Path) -> KnowledgeBase:
        return load_checked(path, readers, roots)

    if not use_cache:
        return load(path)
    try:
        before = stamp(path)
        now = time.time_ns()
        if not stat.S_ISREG(before[0]):
            # A pipe or a device (/dev/stdin, <(...)): reading it to hash it
            # would consume it, and it has no identity to cache under.
            return load(path)
        identity = cache_identity(path, readers)
    except OSError:
        return load(path)  # the loader words the error
    folder = CacheFolder.open(cache_dir())
    if folder is None:  # no place to keep a cache that can be trusted: work without one
        return load(path)
    with folder:
        name = cache_name(path)
        bound = SIZE_FACTOR * before[2] + SLACK
        try:
            kb = _read(folder, name, identity, bound, path)
        except Corrupt as exc:
            if warn is not None:
                warn(f"policyx: warning: ignoring the cache {shown_path(folder.path / name)} ({exc}); rebuilding it")
            kb = None
        # a cache made with a sources folder does not stand for a run without it: the loader refuses the include
        if kb is not None and (not kb.includes or includes_allowed(kb, str(path), roots)):
            return kb
        try:
            kept = file_kept(path, before, now)  # hashed before it is read: what the cache will stand for
        except OSError:
            return load(path)
        kb = load(path)
        try:
            unchanged = stamp(path) == before
        except OSError:
            unchanged = False
        if unchanged:  # never cache a file that changed while it was being read
            _write(folder, name, identity, bound, kb, kept)
    return kb


def _read(folder: CacheFolder, name: str, identity: dict[str, Any], bound: int, path: Path) -> KnowledgeBase | None:
    """The cached knowledge base if it is current; None if missing or stale. When a digest
    showed a file unchanged whose ``stat`` can tell from now on, the cache is written again
    with that ``stat`` (:func:`policyx.kb.cacherows.file_current`)."""
    content = folder.read_content(name, identity, bound)
    if content is None:
        return None
    kept = content.get("file")
    if not isinstance(kept, list) or len(kept) != 3:
        raise Corrupt("damaged: unexpected layout")
    try:
        current, settled_stamp = file_current(path, kept)
    except OSError:
        return None  # the loader words the error
    if not current:
        return None
    sources_current, restamped = payload_current(content)
    if not sources_current:
        return None
    kb = rebuild(content, str(Path(path)))
    searchcolumns.attach(kb, name, bound, content.get("search_key"))
    if settled_stamp is not None:
        kept[2] = settled_stamp
    if settled_stamp is not None or restamped:
        folder.write_content(name, content, bound)
    return kb


def _write(
    folder: CacheFolder, name: str, identity: dict[str, Any], bound: int, kb: KnowledgeBase, kept: list[Any],
) -> None:
    """Write the cache atomically; any failure only means no cache."""
    content = payload_of(kb)
    if content is not None:
        searchcolumns.write(folder, name, bound, content["search_key"], kb)  # first: see searchcolumns.attach
        folder.write_content(name, {"identity": identity, "file": kept, **content}, bound)
