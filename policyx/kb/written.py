"""What policyx wrote: the record that lets a writer replace its own earlier output.

A writer replaces an existing file without being forced (the ``force`` option) only when policyx wrote that very
file, with those very bytes. The record of it lives in the user's cache folder
(``$XDG_CACHE_HOME/policyx/written/``): one small file per path written, named by a hash of
the path's absolute form and holding which writer wrote it (``export``, ``import``, ``init``)
and the SHA-256 of the bytes written there. Each writer replaces only its own outputs: an
export never replaces a knowledge base that ``import`` or ``init`` wrote, whose next edit is
the user's. ``check``'s fix records nothing: the file it rewrites is the user's. It works alike
for every format, those with comments (YAML, Markdown, HTML, DOT) and those without (JSON,
CSV), and changes no byte of any output.

A file that merely looks like policyx's (the right extension, the right shape, a header
copied from another file) is never taken for policyx's own; a file edited since (by hand,
by ``check``'s fix) neither. The record can only say "yes" for bytes policyx itself
wrote at that path: when it is missing (another account, a cleared cache, another machine),
the writer refuses and asks for the ``force`` option, which is the safe side. The folder is trusted
only when it belongs to this user and no one else may write in it (as the cache is), so
that another account cannot make policyx replace a file by planting a record.
"""

from __future__ import annotations

import hashlib
import os
import stat

from .cachefolder import cache_dir, make_folders

_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _folder(create: bool) -> int | None:
    """A descriptor of the record's folder when it can be trusted, else None."""
    base = cache_dir()
    if base is None or not hasattr(os, "geteuid") or os.open not in os.supports_dir_fd:
        return None
    folder = base / "written"
    try:
        if create:  # as the cache's folders are made: never a folder of root's in a user's home
            make_folders(base, os.geteuid())
            info = os.stat(base)
            if info.st_uid != os.geteuid() or info.st_mode & 0o022:
                return None
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                pass
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _FLAGS)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _name(path: str | os.PathLike[str]) -> str:
    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:40]


def _digest(data: bytes, by: str) -> bytes:
    return f"{by} {hashlib.sha256(data).hexdigest()}".encode("ascii")


def wrote(path: str | os.PathLike[str], data: bytes, by: str) -> bool:
    """Whether the writer ``by`` (``export``, ``import``, ``init``) wrote ``data`` at ``path``, and so may
    replace it: each writer its own files (an export never replaces an imported knowledge base)."""
    folder = _folder(create=False)
    if folder is None:
        return False
    try:
        fd = os.open(_name(path), os.O_RDONLY | _FLAGS, dir_fd=folder)
    except OSError:
        return False
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return False
        expected = _digest(data, by)
        return os.read(fd, len(expected) + 1) == expected
    except OSError:
        return False
    finally:
        os.close(fd)


def record(path: str | os.PathLike[str], data: bytes, by: str) -> None:
    """Note that the writer ``by`` wrote ``data`` at ``path``. Best effort: without a record, the
    next writer asks to be forced, which loses nothing."""
    folder = _folder(create=True)
    if folder is None:
        return
    name = _name(path)
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o600, dir_fd=folder)
        try:
            os.write(fd, _digest(data, by))
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        try:
            os.unlink(temporary, dir_fd=folder)
        except OSError:
            pass
    finally:
        os.close(folder)


def forget(path: str | os.PathLike[str]) -> None:
    """Drop the record of ``path`` (tests; a file policyx no longer stands for)."""
    folder = _folder(create=False)
    if folder is None:
        return
    try:
        os.unlink(_name(path), dir_fd=folder)
    except OSError:
        pass
    finally:
        os.close(folder)

