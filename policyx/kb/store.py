"""Opening a knowledge base for a command, through a cache of validated ones.

Parsing YAML is by far the dearest step of a run (about 10 s for 100,000
arguments; PyYAML's import alone costs more than reading the cache), so a
validated knowledge base is kept under ``$XDG_CACHE_HOME/policyx`` (default
``~/.cache/policyx``), one file per knowledge base path.

- Data only: ``marshal`` of plain builtins (str, int, None, tuple, list,
  dict); never pickle, so reading a cache cannot run code. A blake2b digest of
  the payload is checked before it is unmarshalled, so a damaged file is
  detected, not interpreted. (A checksum keyed by a secret of the folder
  guarded against nothing more: whoever can write there is its owner, who can
  read any key kept there; benchmarks/cache_check.py measured what it cost.)
- Trusted only in a folder of one's own: the cache folder is used only when it
  is a directory owned by the user running policyx and writable by no one
  else (a shared ``XDG_CACHE_HOME``, or a folder left by ``sudo policyx``, is
  not), and policyx creates folders only inside folders of the same user (or
  root's). Files are opened relative to that folder's descriptor, never
  following a link, must be regular files, and are read up to a bound set by
  the knowledge base's size: a link to ``/dev/zero`` or a FIFO there is a
  damaged cache, not a hang. No sensible place (``HOME`` empty, relative or
  missing; a name too long for the file system) means no cache, silently.
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
- A cache file that cannot be read or is corrupt is ignored with one warning
  on stderr, then rebuilt. A cache folder that cannot be used is not an
  error: policyx works without the cache (silently: a read-only home is a
  legitimate set-up, and a warning per run would spoil every pipe).
"""

from __future__ import annotations

import errno
import marshal
import os
import stat
import sys
from dataclasses import fields
from enum import Enum
from pathlib import Path

from .. import __version__
from .graphbuild import decode_rows, encode_rows
from .model import CLASS_OF, Entry, Include, Kind, KnowledgeBase, QuoteCheck
from .schema import ENUM_FIELDS, SCHEMA_VERSION

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from .load import Reader

#: Bump when the layout of the payload changes.
CACHE_FORMAT = 4
#: how every policyx cache file starts; the format's number follows
_FAMILY = b"policyx-kb-cache"
_MAGIC = _FAMILY + b" 4\n"
_DIGEST_SIZE = 32
#: a cache file is at most this many times the size of its knowledge base, plus _SLACK
_SIZE_FACTOR = 4
_SLACK = 1 << 20

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


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """``$XDG_CACHE_HOME/policyx``, or ``~/.cache/policyx`` (XDG: a relative value is ignored).

    None when there is no sensible place: ``HOME`` set but empty, relative or not an existing
    folder (a service account's ``HOME=/nonexistent``), so that no cache lands in the current
    folder or in a folder policyx would have to invent."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / "policyx"
    home = env.get("HOME")
    if home is None:  # unset: the account's home, as os.path.expanduser finds it
        try:
            import pwd

            home = pwd.getpwuid(os.geteuid()).pw_dir
        except (ImportError, KeyError, AttributeError):
            return None
    if not home or not os.path.isabs(home) or not os.path.isdir(home):
        return None
    return Path(home) / ".cache" / "policyx"


def _blake2b(digest_size: int) -> Any:
    try:  # the built-in module: hashlib would import OpenSSL first (~2 ms)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    return blake2b(digest_size=digest_size)


def cache_file(path: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the cache of the knowledge base at ``path`` lives (None: nowhere, see cache_dir)."""
    folder = cache_dir(environ)
    return None if folder is None else folder / _cache_name(path)


def _cache_name(path: Path) -> str:
    hasher = _blake2b(16)
    hasher.update(os.fsencode(os.path.abspath(path)))
    return f"kb-{hasher.hexdigest()}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _digest(data: bytes | memoryview) -> bytes:
    """The payload's checksum (damage is detected, not interpreted)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    hasher = blake2b(data, digest_size=_DIGEST_SIZE, person=b"policyx-cache")
    digest: bytes = hasher.digest()
    return digest


def cache_identity(path: Path, readers: Sequence[Reader] = ()) -> dict[str, Any]:
    """What must match for a cache to stand for the file's current content (``readers``: those
    of other formats the file may be read by, whose code counts too).

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
        "layout": _layout(),
        "code": _code_stamp(readers),
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
CODE_MODULES = ("schema.py", "yamlread.py", "validate.py", "load.py", "include.py", "model.py", "store.py",
                "check.py", "sourceindex.py", "fastcheck.py", "graphrules.py", "graphbuild.py")


#: what _layout and _code_stamp found, once per process: a library of 1,500 files asks 1,500
#: times, and neither the model nor the code of a running policyx changes under it
_CONSTANT: dict[Any, list[Any]] = {}


def _layout() -> list[Any]:
    key = ("layout", id(ROW_FIELDS))
    if key not in _CONSTANT:
        _CONSTANT[key] = [[kind.value, *ROW_FIELDS[kind], *(v for _, m in _ENUMS[kind] for v in m)]
                          for kind in Kind]
    return _CONSTANT[key]


def _code_stamp(readers: Sequence[Reader]) -> list[Any]:
    """Size and mtime of the modules that decide what a cached knowledge base holds (once per
    process and set of readers)."""
    key = ("code", __file__, *readers)
    if key not in _CONSTANT:
        _CONSTANT[key] = _code_files_stamp(readers)
    return _CONSTANT[key]


def _code_files_stamp(readers: Sequence[Reader]) -> list[Any]:
    here = os.path.dirname(os.path.abspath(__file__))
    files = [os.path.join(here, name) for name in CODE_MODULES]
    for reader in readers:  # what --kb caches of an AIF, Argdown or Kialo file: its package's code
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


def open_kb(
    path: Path, use_cache: bool = True, warn: Callable[[str], None] | None = None, readers: Sequence[Reader] = (),
    roots: Sequence[str | os.PathLike[str]] = (),
) -> KnowledgeBase:
    """The validated knowledge base at ``path``: from the cache when it is
    current, else loaded (and the cache rewritten). Raises KnowledgeBaseError.
    ``warn`` receives what a user should hear about the cache (the CLI prints it);
    ``readers`` read files of other formats (policyx.kb.load.load); ``roots``: other folders
    its included files may be in."""
    from .yamlread import gc_paused

    # Building a knowledge base allocates hundreds of thousands of objects and
    # no cycles: the cyclic collector only slows it down.
    with gc_paused():
        return _open(path, use_cache, warn, readers, tuple(roots))


def _load(path: Path, readers: Sequence[Reader] = (), roots: tuple[str | os.PathLike[str], ...] = ()) -> KnowledgeBase:
    """Load the file and compare its quotes with their sources (kept with it, and cached)."""
    from dataclasses import replace
    from functools import partial

    from .check import quote_check
    from .load import load, read_source_text

    kb = load(path, readers=readers, roots=roots)
    return replace(kb, quotes=quote_check(kb, partial(read_source_text, kb)))


def _open(
    path: Path, use_cache: bool, warn: Callable[[str], None] | None, readers: Sequence[Reader],
    roots: tuple[str | os.PathLike[str], ...] = (),
) -> KnowledgeBase:
    from .include import includes_allowed as _allowed

    def load(path: Path) -> KnowledgeBase:
        return _load(path, readers, roots)

    if not use_cache:
        return load(path)
    try:
        before = _stamp(path)
        if not stat.S_ISREG(before[0]):
            # A pipe or a device (--kb /dev/stdin, <(...)): reading it to hash it
            # would consume it, and it has no identity to cache under.
            return load(path)
        identity = cache_identity(path, readers)
    except OSError:
        return load(path)  # the loader words the error
    folder = _CacheFolder.open(cache_dir())
    if folder is None:  # no place to keep a cache that can be trusted: work without one
        return load(path)
    with folder:
        name = _cache_name(path)
        bound = _SIZE_FACTOR * identity["size"] + _SLACK
        try:
            kb = folder.read(name, identity, bound, str(Path(path)))
        except _Corrupt as exc:
            if warn is not None:
                from .errors import shown_path

                warn(f"policyx: warning: ignoring the cache {shown_path(folder.path / name)} ({exc}); rebuilding it")
            kb = None
        if kb is not None and (not kb.includes or _allowed(kb, str(path), roots)):  # a cache made with --sources
            return kb  # DIR does not stand for a run without it: then the loader refuses the include
        kb = load(path)
        try:
            unchanged = _stamp(path) == before
        except OSError:
            unchanged = False
        if unchanged:  # never cache a file that changed while it was being read
            folder.write(name, identity, bound, kb)
    return kb


def _stamp(path: Path) -> tuple[int, ...]:
    st = os.stat(path)
    return (st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# --------------------------------------------------------------------------
# The cache folder, and its files: MAGIC + blake2b(payload) + payload

#: open a file there: never through a link, never blocking on a FIFO, not inherited
_OPEN_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) if hasattr(os, "O_NOFOLLOW") else 0
#: the errors of opening a link with O_NOFOLLOW (Linux and macOS: ELOOP; FreeBSD: EMLINK)
_LINK_ERRORS = {errno.ELOOP, errno.EMLINK}


class _CacheFolder:
    """The cache folder, opened once and trusted: every file is opened relative to its
    descriptor, so that the folder checked is the folder used."""

    def __init__(self, path: Path, fd: int, uid: int) -> None:
        self.path = path
        self.fd = fd
        self.uid = uid

    @classmethod
    def open(cls, path: Path | None) -> _CacheFolder | None:
        """The folder at ``path`` (created if missing) when it can be trusted, else None:
        a directory owned by this user, writable by no one else."""
        if path is None or os.open not in os.supports_dir_fd or not hasattr(os, "geteuid"):
            return None  # no descriptor-relative opening (Windows): no cache
        uid = os.geteuid()
        try:
            _make_folders(path, uid)
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except (OSError, ValueError):  # not there, not ours to make, a name too long, a NUL byte...
            return None
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode) and st.st_uid == uid and not st.st_mode & 0o022:
                return cls(path, fd, uid)
        except OSError:
            pass
        os.close(fd)
        return None

    def __enter__(self) -> _CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def _open_file(self, name: str) -> int:
        return os.open(name, os.O_RDONLY | _OPEN_FLAGS, dir_fd=self.fd)

    def read(self, name: str, identity: dict[str, Any], bound: int, shown: str) -> KnowledgeBase | None:
        """The cached knowledge base if it is current; None if missing or stale."""
        content = self.read_content(name, identity, bound)
        if content is None:
            return None
        if not payload_current(content):
            return None
        try:
            return _rebuild(content, shown)
        except Exception as exc:  # a payload we wrote and checked: only our own bug gets here
            raise _Corrupt(f"damaged: {type(exc).__name__}") from None

    def read_content(self, name: str, identity: dict[str, Any], bound: int) -> dict[str, Any] | None:
        """The unmarshalled content of a cache file whose checksum and identity match; None if
        missing, stale or another version's. Raises _Corrupt."""
        blob = self._read_bytes(name, bound)
        if blob is None:
            return None
        if not blob.startswith(_MAGIC):
            if blob.startswith(_FAMILY):
                return None  # written by another version of policyx: stale, rebuilt quietly
            raise _Corrupt("not a policyx cache file")
        head = len(_MAGIC)
        body = head + _DIGEST_SIZE
        if len(blob) < body:
            raise _Corrupt("damaged: cut short")
        payload = memoryview(blob)[body:]
        if _digest(payload) != blob[head:body]:
            raise _Corrupt("damaged: checksum mismatch")
        try:
            content = marshal.loads(payload)
        except (EOFError, ValueError, TypeError) as exc:
            raise _Corrupt(f"damaged: {exc}") from None
        if not isinstance(content, dict) or not isinstance(content.get("identity"), dict):
            raise _Corrupt("damaged: unexpected layout")
        if content["identity"] != identity:
            return None  # stale: another file, version or content
        return content

    def _read_bytes(self, name: str, bound: int) -> bytes | None:
        """The file's bytes: a regular file of this user's, at most ``bound`` bytes."""
        try:
            fd = self._open_file(name)
        except FileNotFoundError:
            return None  # no cache (yet): nothing to warn about
        except OSError as exc:
            if exc.errno in _LINK_ERRORS:
                raise _Corrupt("a link, not a cache file") from None
            raise _Corrupt(f"cannot be read: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise _Corrupt("not a regular file")
            if st.st_uid != self.uid:
                raise _Corrupt("written by another user")
            if st.st_size > bound:
                raise _Corrupt(f"{st.st_size:,} bytes, more than a cache of this knowledge base can be")
            chunks: list[bytes] = []
            left = bound + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 24))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            if left <= 0:
                raise _Corrupt("grew while it was read")
            return b"".join(chunks)
        except OSError as exc:
            raise _Corrupt(f"cannot be read: {exc.strerror or exc}") from None
        finally:
            os.close(fd)

    def write(self, name: str, identity: dict[str, Any], bound: int, kb: KnowledgeBase) -> None:
        """Write the cache atomically; any failure only means no cache."""
        content = payload_of(kb)
        if content is not None:
            self.write_content(name, {"identity": identity, **content}, bound)

    def write_content(self, name: str, content: dict[str, Any], bound: int) -> None:
        """Write ``content`` (builtins only) atomically, with its checksum; any failure only
        means no cache."""
        payload = marshal.dumps(content)
        blob = _MAGIC + _digest(payload) + payload
        if len(blob) > bound:
            return  # it could never be read back
        temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600, dir_fd=self.fd)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(blob)  # a buffered writer: complete, or an error
                os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            except BaseException:
                try:
                    os.unlink(temporary, dir_fd=self.fd)
                except OSError:
                    pass
                raise
        except OSError:
            pass


def payload_of(kb: KnowledgeBase) -> dict[str, Any] | None:
    """A knowledge base as cached (builtins only); None when an included file went away."""
    try:
        includes = _includes_stamp(kb)
    except OSError:
        return None
    from .load import source_path

    quotes = kb.quotes or QuoteCheck()
    files = [str(p) for p in (source_path(kb, source) for source in kb.sources) if p is not None]
    return {
        "version": kb.version, "title": kb.title, "name": kb.name,
        "includes": includes, "rows": _rows(kb),
        "quotes": [list(quotes.not_verbatim), list(quotes.unchecked), quotes.verbatim],
        "source_files": files, "sources": _source_stamps(files),
    }


def payload_current(content: dict[str, Any]) -> bool:
    """Whether the files a cached knowledge base was made with (included files, source texts)
    are as they were."""
    if content.get("includes") and not _includes_current(content["includes"]):
        return False  # an included file changed
    # a source's text changed: its quotes must be compared again
    return bool(content.get("sources") == _source_stamps(content.get("source_files", [])))


def rebuild(content: dict[str, Any], shown: str) -> KnowledgeBase:
    """The knowledge base of a payload_of (raises _Corrupt if it cannot be one)."""
    try:
        return _rebuild(content, shown)
    except Exception as exc:
        raise _Corrupt(f"damaged: {type(exc).__name__}") from None


def _make_folders(path: Path, uid: int) -> None:
    """Create the cache folder and its parent when missing (mode 0700), but only inside a
    folder of this user's or root's: ``sudo policyx`` must not leave a folder of root's in a
    user's home, where the user could no longer keep a cache."""
    for level in (path.parent, path):
        if os.path.isdir(level):
            continue
        parent = os.stat(level.parent)
        if parent.st_uid not in (uid, 0):
            raise PermissionError(errno.EACCES, "not a folder of this user's", str(level.parent))
        try:
            os.mkdir(level, 0o700)
        except FileExistsError:  # another run made it meanwhile
            pass


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
    wrong, unchecked, verbatim = content["quotes"]
    quotes = QuoteCheck(tuple(map(tuple, wrong)), tuple(map(tuple, unchecked)), verbatim)
    collections = decode_rows(content["version"], collections)
    return KnowledgeBase(path=shown, version=content["version"], title=content["title"], name=content["name"],
                         includes=includes, quotes=quotes, **collections)  # type: ignore[arg-type]


def _source_stamps(files: list[str]) -> list[Any]:
    """Size and digest of each source text whose quotes the cache's check compared (None: unreadable)."""
    stamps: list[Any] = []
    for file in files:
        try:
            stamps.append(list(_file_digest(file)))
        except OSError:
            stamps.append(None)
    return stamps


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
    encode_rows(kb.version, rows, ROW_FIELDS)
    return rows
