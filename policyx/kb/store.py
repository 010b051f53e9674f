"""Opening a knowledge base for a command, through a cache of validated ones.

Parsing YAML is by far the dearest step of a run (about 10 s for 100,000
arguments; PyYAML's import alone costs more than reading the cache), so a
validated knowledge base is kept under ``$XDG_CACHE_HOME/policyx`` (default
``~/.cache/policyx``), one file per knowledge base path.

- Data only: ``marshal`` of plain builtins (str, int, None, tuple, list,
  dict); never pickle, so reading a cache cannot run code. A blake2b digest
  of the payload is checked before it is unmarshalled, so a damaged file is
  detected, not interpreted.
- Keyed so that any change to the file invalidates it: the absolute path
  names the cache file; inside, the policyx version, schema version, Python
  version, the model's layout, the size and mtime of the modules that build
  the knowledge base (an edited checkout), the file size and a blake2b digest
  of the file's bytes must all match; so must the digests of the files it
  includes (``include:``), recorded in the cache. Only regular files are
  cached (reading a pipe to hash it would consume it).
  The digest, not the modification time, decides: mtimes can tick coarser
  than two quick edits of the same size, and ``touch -r``/``cp -p``/rsync
  restore them. Hashing costs about 30 ms for a 38 MB file (100,000
  arguments), under 1 ms for the bundled one.
- Written atomically (a temporary file in the same directory, then
  ``os.replace``), so readers see the old cache or the new one, never half.
- A cache that cannot be read or is corrupt is ignored with one warning on
  stderr, then rebuilt. A cache directory that cannot be written is not an
  error: policyx works without the cache (silently: a read-only home is a
  legitimate set-up, and a warning per run would spoil every pipe).
"""

from __future__ import annotations

import gc
import marshal
import os
import stat
import sys
from dataclasses import fields
from enum import Enum
from pathlib import Path

from .. import __version__
from .model import CLASS_OF, Entry, Include, Kind, KnowledgeBase
from .schema import ENUM_FIELDS, SCHEMA_VERSION

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

#: Bump when the layout of the payload changes.
CACHE_FORMAT = 2
_MAGIC = b"policyx-kb-cache\n"
_DIGEST_SIZE = 32

#: Constructor field names of each class, in order: a cached row is their values.
ROW_FIELDS: dict[Kind, tuple[str, ...]] = {kind: tuple(f.name for f in fields(cls)) for kind, cls in CLASS_OF.items()}
#: Fields holding enums: (position in the row, value -> member).
_ENUMS: dict[Kind, tuple[tuple[int, dict[str, Enum]], ...]] = {}
for _kind, _names in ROW_FIELDS.items():
    _ENUMS[_kind] = tuple(
        (index, {member.value: member for member in ENUM_FIELDS[name]})
        for index, name in enumerate(_names)
        if name in ENUM_FIELDS
    )


def cache_dir(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/policyx``, or ``~/.cache/policyx`` (XDG: a relative value is ignored)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path(os.path.expanduser("~")) / ".cache"
    return root / "policyx"


def _blake2b(digest_size: int) -> Any:
    try:  # the built-in module: hashlib would import OpenSSL first (~2 ms)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    return blake2b(digest_size=digest_size)


def cache_file(path: Path, environ: dict[str, str] | None = None) -> Path:
    """Where the cache of the knowledge base at ``path`` lives."""
    absolute = os.path.abspath(path)
    hasher = _blake2b(16)
    hasher.update(os.fsencode(absolute))
    return cache_dir(environ) / f"kb-{hasher.hexdigest()}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _digest(data: bytes | memoryview) -> bytes:
    hasher = _blake2b(_DIGEST_SIZE)
    hasher.update(data)
    digest: bytes = hasher.digest()
    return digest


def cache_identity(path: Path) -> dict[str, Any]:
    """What must match for a cache to stand for the file's current content.

    The file is hashed in chunks: its bytes are not kept (the loader reads
    it itself when the cache is stale)."""
    size, digest = _file_digest(path)
    return {
        "format": CACHE_FORMAT,
        "policyx": __version__,
        "schema": SCHEMA_VERSION,
        "python": list(sys.version_info[:2]),
        # the model's shape, and the code that validates and stores it: a cache made by
        # other code (an edited checkout of the same version) is never taken for this one's
        "layout": [[kind.value, *ROW_FIELDS[kind], *(v for _, m in _ENUMS[kind] for v in m)] for kind in Kind],
        "code": _code_stamp(),
        "path": os.path.abspath(path),
        "size": size,
        "digest": digest,
    }


def _file_digest(path: Path | str) -> tuple[int, str]:
    """The size and blake2b digest of a file's bytes, read in chunks."""
    hasher = _blake2b(_DIGEST_SIZE)
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            hasher.update(chunk)
            size += len(chunk)
    return size, hasher.hexdigest()


def _includes_stamp(kb: KnowledgeBase) -> list[list[Any]]:
    """Each included file (``include:``): its place relative to the knowledge base's folder,
    its ids, absolute path, size and digest. A cache holds them so that an edit of an
    included file invalidates the caches of the knowledge bases that include it."""
    folder = os.path.dirname(os.path.abspath(kb.path))
    stamp: list[list[Any]] = []
    for include in kb.includes:
        absolute = os.path.abspath(include.path)
        stamp.append([os.path.relpath(absolute, folder), list(include.ids), absolute, *_file_digest(absolute)])
    return stamp


def _includes_current(stamp: list[list[Any]]) -> bool:
    try:
        return all(list(_file_digest(absolute)) == [size, digest] for _, _, absolute, size, digest in stamp)
    except OSError:  # an included file is gone: the loader says so
        return False


#: The modules whose code decides what a valid knowledge base holds: the table,
#: the readers, the rules, the builder, the model and this file's layout.
CODE_MODULES = ("schema.py", "yamlread.py", "validate.py", "load.py", "include.py", "model.py", "store.py")


def _code_stamp() -> list[Any]:
    """Size and mtime of the modules that decide what a cached knowledge base holds."""
    from .load import FOREIGN_READERS

    here = os.path.dirname(os.path.abspath(__file__))
    files = [os.path.join(here, name) for name in CODE_MODULES]
    for reader in FOREIGN_READERS:  # what --kb caches of an AIF, Argdown or Kialo file: its package's code
        module = sys.modules.get(reader.__module__)
        folder = os.path.dirname(getattr(module, "__file__", None) or "") if module is not None else ""
        try:
            files += sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            pass
    stamp: list[Any] = []
    for file in files:
        name = os.path.relpath(file, here)
        try:
            st = os.stat(file)
            stamp.append([name, st.st_size, st.st_mtime_ns])
        except OSError:  # e.g. imported from a zip: the version alone decides
            stamp.append([name, None, None])
    return stamp


class _Corrupt(Exception):
    """The cache file exists but cannot be used (worth one warning)."""


def open_kb(path: Path, use_cache: bool = True, warn: Callable[[str], None] | None = None) -> KnowledgeBase:
    """The validated knowledge base at ``path``: from the cache when it is
    current, else loaded (and the cache rewritten). Raises KnowledgeBaseError.
    ``warn`` receives what a user should hear about the cache (the CLI prints it)."""
    from .yamlread import gc_paused

    # Building a knowledge base allocates hundreds of thousands of objects and
    # no cycles: the cyclic collector only slows it down. Afterwards a large
    # knowledge base lives as long as the command, so it is moved out of the
    # collector's sight (gc.freeze) and later collections do not walk it again
    # (-10% on a query of 100,000 arguments; small ones gain nothing).
    with gc_paused():
        kb = _open(path, use_cache, warn)
    if len(kb.arguments) >= _FREEZE_FROM:
        gc.freeze()
    return kb


_FREEZE_FROM = 10_000


def _open(path: Path, use_cache: bool, warn: Callable[[str], None] | None) -> KnowledgeBase:
    from .load import load

    if not use_cache:
        return load(path)
    try:
        before = _stamp(path)
        if not stat.S_ISREG(before[0]):
            # A pipe or a device (--kb /dev/stdin, <(...)): reading it to hash it
            # would consume it, and it has no identity to cache under.
            return load(path)
        identity = cache_identity(path)
    except OSError:
        return load(path)  # the loader words the error
    where = cache_file(path)
    try:
        kb = _read(where, identity, str(Path(path)))
    except _Corrupt as exc:
        if warn is not None:
            warn(f"policyx: warning: ignoring the cache {where} ({exc}); rebuilding it")
        kb = None
    if kb is not None:
        return kb
    kb = load(path)
    try:
        unchanged = _stamp(path) == before
    except OSError:
        unchanged = False
    if unchanged:  # never cache a file that changed while it was being read
        _write(where, identity, kb)
    return kb


def _stamp(path: Path) -> tuple[int, ...]:
    st = os.stat(path)
    return (st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# --------------------------------------------------------------------------
# The cache file: MAGIC + blake2b(payload) + payload (marshal of builtins)


def _read(where: Path, identity: dict[str, Any], shown: str) -> KnowledgeBase | None:
    """The cached knowledge base if it is current; None if missing or stale."""
    try:
        blob = where.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None  # no cache (yet), or no cache directory: nothing to warn about
    except OSError as exc:
        raise _Corrupt(f"cannot be read: {exc.strerror or exc}") from None
    head = len(_MAGIC)
    if not blob.startswith(_MAGIC) or len(blob) < head + _DIGEST_SIZE:
        raise _Corrupt("not a policyx cache file")
    payload = memoryview(blob)[head + _DIGEST_SIZE:]
    if _digest(payload) != blob[head:head + _DIGEST_SIZE]:
        raise _Corrupt("damaged: checksum mismatch")
    try:
        content = marshal.loads(payload)
    except (EOFError, ValueError, TypeError) as exc:
        raise _Corrupt(f"damaged: {exc}") from None
    if not isinstance(content, dict) or not isinstance(content.get("identity"), dict):
        raise _Corrupt("damaged: unexpected layout")
    if content["identity"] != identity:
        return None  # stale: another file, version or content
    if content.get("includes") and not _includes_current(content["includes"]):
        return None  # an included file changed
    try:
        return _rebuild(content, shown)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _Corrupt(f"damaged: {exc}") from None


def _rebuild(content: dict[str, Any], shown: str) -> KnowledgeBase:
    collections: dict[str, tuple[Entry, ...]] = {}
    rows_of: dict[str, list[tuple[Any, ...]]] = content["rows"]
    for kind in Kind:
        cls = CLASS_OF[kind]
        rows = rows_of[kind.value]
        width = len(ROW_FIELDS[kind])
        enums = _ENUMS[kind]
        if enums:
            made = []
            for row in rows:
                if len(row) != width:
                    raise ValueError(f"a {kind.singular} row of {len(row)} fields")
                values = list(row)
                for index, members in enums:
                    if values[index] is not None:
                        values[index] = members[values[index]]
                made.append(cls(*values))
            collections[kind.value] = tuple(made)
        else:
            for row in rows:
                if len(row) != width:
                    raise ValueError(f"a {kind.singular} row of {len(row)} fields")
            collections[kind.value] = tuple(cls(*row) for row in rows)
    folder = os.path.dirname(shown)
    includes = tuple(Include(os.path.normpath(os.path.join(folder, relative)), tuple(ids))
                     for relative, ids, *_ in content["includes"])
    return KnowledgeBase(path=shown, version=content["version"], title=content["title"], name=content["name"],
                         includes=includes, **collections)  # type: ignore[arg-type]


def _rows(kb: KnowledgeBase) -> dict[str, list[Any]]:
    from operator import attrgetter

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
    return rows


def _write(where: Path, identity: dict[str, Any], kb: KnowledgeBase) -> None:
    """Write the cache atomically; any failure only means no cache."""
    try:
        includes = _includes_stamp(kb)
    except OSError:
        return  # an included file went away since it was read: no cache
    payload = marshal.dumps({"identity": identity, "version": kb.version, "title": kb.title, "name": kb.name,
                             "includes": includes, "rows": _rows(kb)})
    temporary = where.with_name(f".{where.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + _digest(payload) + payload)
            os.replace(temporary, where)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError:
        pass
