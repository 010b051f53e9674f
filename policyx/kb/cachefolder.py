"""The cache folder and its files: trusted only when it is one's own, read within a bound, written
atomically, each file a checksum then a ``marshal`` payload of plain builtins.

- Data only: ``marshal`` of plain builtins (str, int, None, tuple, list,
  dict); never pickle, so reading a cache cannot run code. A CRC-32 of the
  payload is checked before it is unmarshalled, so a damaged file is detected,
  not interpreted. A checksum guards against damage only (a cut-short write, a
  flipped bit), not against someone who can write the folder: the folder check
  below does that. So the cheapest checksum that catches damage will do: CRC-32
  costs 2.5 ms for a 10 MB payload, blake2b (format 4's) 12 ms, on every warm
  run (``benchmarks/cache_check.py``).
- Trusted only in a folder of one's own: the cache folder is used only when it
  is a directory owned by the user running policyx and writable by no one
  else, and policyx creates folders only inside folders of the same user (or
  root's). Files are opened relative to that folder's descriptor, never
  following a link, must be regular files, and are read up to a bound: a link
  to ``/dev/zero`` or a FIFO there is a damaged cache, not a hang.
- Written atomically (a temporary file in the same directory, then
  ``os.replace``), so readers see the old cache or the new one, never half.
- Kept while used: a cache file neither read nor written for :data:`UNUSED_DAYS` days (its
  access time, where the file system keeps one, else its modification time) is removed when
  another is written, at most once a day (:meth:`CacheFolder.prune`): a folder of corpora
  opened once does not grow for ever. Only the folder's own ``*.marshal`` files and temporary
  files left by a write that was cut off are ever removed (never ``written/``).

What is cached, and when it stands for a file, is :mod:`policyx.kb.store`'s (one knowledge
base), :mod:`policyx.kb.libindex`'s and :mod:`policyx.kb.libcache`'s (a library).
"""

from __future__ import annotations

import errno
import marshal
import os
import stat
import sys
import time
from pathlib import Path
from zlib import crc32

from .. import __version__

try:  # the account database: POSIX only
    import pwd
except ImportError:  # pragma: no cover
    pwd = None  # type: ignore[assignment]
try:  # the built-in module: hashlib would import OpenSSL first (~2 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: Bump when the layout of the file or of its payload changes.
CACHE_FORMAT = 7
#: how every policyx cache file starts; the format's number follows
FAMILY = b"policyx-kb-cache"
MAGIC = FAMILY + b" 7\n"
#: the payload's checksum: a CRC-32, big-endian
CHECKSUM_SIZE = 4
#: the size of a file's digest (blake2b) where a cache records one
DIGEST_SIZE = 32
#: a cache file is at most this many times the size of its knowledge base, plus SLACK
SIZE_FACTOR = 4
SLACK = 1 << 20


#: a cache file unused for this many days is removed (see :meth:`CacheFolder.prune`)
UNUSED_DAYS = 30
#: the file whose modification time says when the folder was last pruned
PRUNED = ".pruned"
_DAY_NS = 86_400 * 10**9


class Corrupt(Exception):
    """The cache file exists but cannot be used (worth one warning)."""


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
            if pwd is None:  # pragma: no cover
                return None
            home = pwd.getpwuid(os.geteuid()).pw_dir
        except (KeyError, AttributeError):
            return None
    if not home or not os.path.isabs(home) or not os.path.isdir(home):
        return None
    return Path(home) / ".cache" / "policyx"


def file_name(stem: str) -> str:
    """A cache file's name: ``stem`` (what it keeps, and a digest of where from), then the
    Python and policyx versions that wrote it, so that two of them sharing the folder (a pipx
    install and a project's virtualenv) each keep their own, not rebuild each other's on every
    run (what none uses any more goes in time: :meth:`CacheFolder.prune`)."""
    return f"{stem}-py{sys.version_info[0]}{sys.version_info[1]}-{__version__}.marshal"


def hasher(digest_size: int) -> Any:
    return blake2b(digest_size=digest_size)


def checksum(data: bytes | memoryview) -> bytes:
    """The payload's checksum (damage is detected, not interpreted)."""
    return crc32(data).to_bytes(CHECKSUM_SIZE, "big")


# --------------------------------------------------------------------------
# The cache folder, and its files: MAGIC + CRC-32(payload) + payload

#: open a file there: never through a link, never blocking on a FIFO, not inherited
_OPEN_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) if hasattr(os, "O_NOFOLLOW") else 0
#: the errors of opening a link with O_NOFOLLOW (Linux and macOS: ELOOP; FreeBSD: EMLINK)
_LINK_ERRORS = {errno.ELOOP, errno.EMLINK}


class CacheFolder:
    """The cache folder, opened once and trusted: every file is opened relative to its
    descriptor, so that the folder checked is the folder used."""

    def __init__(self, path: Path, fd: int, uid: int) -> None:
        self.path = path
        self.fd = fd
        self.uid = uid

    @classmethod
    def open(cls, path: Path | None) -> CacheFolder | None:
        """The folder at ``path`` (created if missing) when it can be trusted, else None:
        a directory owned by this user, writable by no one else."""
        if path is None or os.open not in os.supports_dir_fd or not hasattr(os, "geteuid"):
            return None  # no descriptor-relative opening (Windows): no cache
        uid = os.geteuid()
        try:
            make_folders(path, uid)
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

    def __enter__(self) -> CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def _open_file(self, name: str) -> int:
        return os.open(name, os.O_RDONLY | _OPEN_FLAGS, dir_fd=self.fd)

    def read_content(self, name: str, identity: dict[str, Any], bound: int) -> dict[str, Any] | None:
        """The unmarshalled content of a cache file whose checksum and identity match; None if
        missing, stale or another version's. Raises Corrupt."""
        blob = self._read_bytes(name, bound)
        if blob is None:
            return None
        if not blob.startswith(MAGIC):
            if blob.startswith(FAMILY):
                return None  # written by another version of policyx: stale, rebuilt quietly
            raise Corrupt("not a policyx cache file")
        head = len(MAGIC)
        body = head + CHECKSUM_SIZE
        if len(blob) < body:
            raise Corrupt("damaged: cut short")
        payload = memoryview(blob)[body:]
        if checksum(payload) != blob[head:body]:
            raise Corrupt("damaged: checksum mismatch")
        try:
            content = marshal.loads(payload)
        except (EOFError, ValueError, TypeError) as exc:
            raise Corrupt(f"damaged: {exc}") from None
        if not isinstance(content, dict) or not isinstance(content.get("identity"), dict):
            raise Corrupt("damaged: unexpected layout")
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
                raise Corrupt("a link, not a cache file") from None
            raise Corrupt(f"cannot be read: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise Corrupt("not a regular file")
            if st.st_uid != self.uid:
                raise Corrupt("written by another user")
            if st.st_size > bound:
                raise Corrupt(f"{st.st_size:,} bytes, more than a cache of this knowledge base can be")
            chunks: list[bytes] = []
            left = bound + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 24))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            if left <= 0:
                raise Corrupt("grew while it was read")
            return b"".join(chunks)
        except OSError as exc:
            raise Corrupt(f"cannot be read: {exc.strerror or exc}") from None
        finally:
            os.close(fd)

    def write_content(self, name: str, content: dict[str, Any], bound: int) -> None:
        """Write ``content`` (builtins only) atomically, with its checksum; any failure only
        means no cache."""
        payload = marshal.dumps(content)
        blob = MAGIC + checksum(payload) + payload
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
            return
        self.prune()

    def prune(self, now: int | None = None) -> None:
        """Remove the cache files unused for :data:`UNUSED_DAYS` days (and the temporary files of
        writes cut off more than a day ago), when the folder was last pruned a day or more before
        ``now`` (ns; by default the time now). Any failure only means they stay."""
        now = time.time_ns() if now is None else now
        try:
            try:
                if os.stat(PRUNED, dir_fd=self.fd, follow_symlinks=False).st_mtime_ns > now - _DAY_NS:
                    return
            except FileNotFoundError:
                pass
            os.close(os.open(PRUNED, os.O_WRONLY | os.O_CREAT | _OPEN_FLAGS, 0o600, dir_fd=self.fd))
            os.utime(PRUNED, ns=(now, now), dir_fd=self.fd, follow_symlinks=False)
            with os.scandir(self.fd) as entries:
                for entry in entries:
                    name = entry.name
                    temporary = name.startswith(".") and name.endswith(".tmp")
                    if not (temporary or name.endswith(".marshal")):
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                        if not stat.S_ISREG(st.st_mode) or st.st_uid != self.uid:
                            continue
                        unused = now - max(st.st_atime_ns, st.st_mtime_ns)
                        if unused > (_DAY_NS if temporary else UNUSED_DAYS * _DAY_NS):
                            os.unlink(name, dir_fd=self.fd)
                    except FileNotFoundError:  # another run removed or replaced it meanwhile
                        continue
        except OSError:
            pass


def make_folders(path: Path, uid: int) -> None:
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

