"""The one rule by which every policyx writer replaces or creates a file.

``import -o``, ``export -o``, ``init``, the quiz sheet and ``check``'s fix all write through
:func:`write_bytes`, so that they behave alike (docs/files.md has the table):

- the new bytes go to a temporary file in the destination's folder, are flushed to the
  disk (fsync), then take the destination's name in one rename: a reader, a full disk or
  a killed run never sees half a file;
- a symbolic link at the destination is never followed: refused, or with ``force`` the
  link itself is replaced (the file it names is left alone);
- an existing file is replaced only when policyx wrote it and it is unchanged since
  (:mod:`policyx.kb.written` keeps the hash of what policyx wrote), when it holds exactly
  the bytes to be written (nothing is lost), or when it is the file
  the command read (``check``'s fix) and is unchanged since it was read (size, mtime,
  inode and a hash of the bytes: :class:`Snapshot`), or with ``force``;
- what was judged is looked at again just before the rename: an edit made meanwhile
  wins, and nothing is written;
- the replaced file keeps its owner, group and mode; a read-only file, or one with several
  hard links (a rename would split them into two versions), is refused, and with ``force``
  a file with several links is rewritten in place, so that every link sees the new text.

Refusals are :class:`UsageError` (exit status 2: give another name, or force it); an edit
made while the command ran and a file that cannot be written are :class:`OutputError`
(exit status 4). No printing, no Typer.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from . import written
from .errors import OutputError, UsageError, shown_path
from .hints import option
from .struct import dataclass

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read or judged: replaced only while it is still that."""

    size: int
    mtime_ns: int
    ino: int
    dev: int
    mode: int
    sha256: str

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> Snapshot:
        return cls(info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_mode,
                   hashlib.sha256(data).hexdigest())


def read_snapshot(path: str | os.PathLike[str], follow: bool = False,
                  limit: int | None = None) -> tuple[bytes, Snapshot]:
    """The bytes of the regular file at ``path`` and its :class:`Snapshot`, from one open
    descriptor (so the state and the bytes belong together). A link is not followed unless
    ``follow``. Reads at most ``limit`` + 1 bytes when given. Raises OSError."""
    fd = os.open(path, os.O_RDONLY | _CLOEXEC | (0 if follow else _NOFOLLOW) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(path) if stat.S_ISDIR(info.st_mode) else OSError(f"{path} is not a regular file")
        data = handle.read() if limit is None else handle.read(limit + 1)
    return data, Snapshot.of(info, data)


def _shown(path: str | os.PathLike[str]) -> str:
    return shown_path(os.fspath(path))


def _reason(exc: OSError) -> str:
    full = exc.errno in {getattr(errno, n, None) for n in ("ENOSPC", "EDQUOT")}
    return f"{exc.strerror or exc}{' (is the disk full?)' if full else ''}"


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None


def _writable(info: os.stat_result, path: Path) -> bool:
    """Whether the file is writable as its mode says (root included: a 0444 file is read-only to root too)."""
    return bool(info.st_mode & 0o222) and os.access(path, os.W_OK, follow_symlinks=False)


def judge(path: str | os.PathLike[str], force: bool = False, read: Snapshot | None = None,
          what: str | None = None, data: bytes | None = None, by: str = "export") -> Snapshot | None:
    """Whether ``path`` may be written: raise a UsageError saying why not, else return the
    snapshot of the existing regular file to be replaced (None: a new file, a device or a
    pipe, or a link that ``force`` replaces). ``read``: the command read this file and
    replaces it with its own edit (check's fix). ``data``: the bytes to be written, when known
    (a file that holds exactly them loses nothing, whoever wrote it). ``by``: the writer
    (``export``, ``import``, ``init``), which replaces only its own outputs. Called once before
    the work starts (to fail early) and again by :func:`write_bytes` just before writing. ``what``:
    how messages name the path (default: the output option, as the command line spells it)."""
    what = option("output") if what is None else what
    if not os.fspath(path):  # Path("") is "." (the folder): say what was given instead
        raise UsageError(f"{what} is empty (''): give a file name")
    path = Path(path)
    info = _lstat(path)
    shown = _shown(path)
    if info is None:
        if read is not None:
            raise OutputError(f"{shown} was removed or renamed while policyx worked on it: nothing was written")
        return None
    if _stream(path, info):
        return None  # a pipe or a terminal (-o /dev/stdout): written directly, nothing to replace
    special = special_kind(path)
    if special is not None:
        raise UsageError(f"{what} {shown} is {special}, not a file: policyx cannot write it; give a file name")
    if stat.S_ISLNK(info.st_mode):
        if not force:
            target = os.readlink(path)
            raise UsageError(
                f"{what} {shown} is a symbolic link (to {_shown(target)}); policyx never writes through a link:"
                f" give the file itself, or add {option('force')} to replace the link (never the file it names)"
                " with a file")
        if read is not None:  # forced, on a link that was read through: what it named must be unchanged
            try:
                now = read_snapshot(path, follow=True)[1]
            except OSError:
                raise edited_meanwhile(path) from None
            if _changed(read, now):
                raise edited_meanwhile(path)
        return None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{what} {shown} is a folder: give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{what} {shown} is neither a file, a pipe nor a terminal: give a file name")
    try:
        held, now = read_snapshot(path)
    except OSError as exc:
        if read is None and not force:
            raise UsageError(f"{what} {shown} exists and cannot be read ({exc.strerror or exc}), so policyx"
                             f" cannot tell whether it wrote it: give another name, or add {option('force')} to"
                             " replace it") from None
        now = Snapshot(info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_mode, "")  # forced
        held = b""
    if read is not None:
        if _changed(read, now):
            raise edited_meanwhile(path)
    elif not force and held and held != data and not written.wrote(path, held, by):
        raise UsageError(
            f"{what} {shown} already exists and is not an unchanged output of `policyx {by}`: policyx never"
            f" replaces such a file; give another name, or add {option('force')} to replace it")
    if not force:
        if not _writable(info, path):
            raise UsageError(f"{what} {shown} is read-only: policyx leaves it as it is; make it writable"
                             f" (chmod u+w), or add {option('force')} to replace it")
        if info.st_uid != os.geteuid() and os.geteuid() != 0:
            raise UsageError(f"{what} {shown} belongs to another user: replacing it would make it yours; ask them,"
                             f" give another name, or add {option('force')} to replace it")
        if info.st_nlink > 1:
            raise UsageError(
                f"{what} {shown} has {info.st_nlink} hard links: replacing it would split them into two versions;"
                f" add {option('force')} to rewrite it in place (every link then sees the new text)")
    return now


def _changed(before: Snapshot, now: Snapshot) -> bool:
    return (before.size, before.mtime_ns, before.ino, before.dev, before.sha256) != (
        now.size, now.mtime_ns, now.ino, now.dev, now.sha256)


def edited_meanwhile(path: Path) -> OutputError:
    return OutputError(f"{_shown(path)} changed while policyx worked on it (an edit, or another program): nothing"
                       " was written, the file is as that edit left it; run the command again")


def write_bytes(path: str | os.PathLike[str], data: bytes, force: bool = False, read: Snapshot | None = None,
                what: str | None = None, by: str = "export") -> None:
    """Write ``data`` as the file at ``path`` by the rule of this module (see its docstring).
    ``read``: the snapshot taken when the command read this very file (check's fix: nothing is
    recorded, the file stays the user's). ``by``: the writer (see :func:`judge`)."""
    path = Path(path)
    judged = judge(path, force, read, what, data, by)
    info = _lstat(path)
    try:
        if info is not None and _stream(path, info):
            _write_device(path, data)
            return
        if info is not None and stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
            _write_in_place(path, data, judged)  # judge() let it through: forced
        else:
            _replace(path, data, info, judged)
    except OSError as exc:
        raise OutputError(f"cannot write {_shown(path)}: {_reason(exc)}") from None
    if read is None:
        written.record(path, data, by)


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether writing ``path`` writes to a stream, nothing replaced: a pipe, or a character
    device (a terminal, ``/dev/null``), or, through a link in /dev, what the shell opened
    (``-o /dev/stdout``, ``/dev/fd/3``: a pipe, a terminal, or the file of ``>> out.txt``,
    appended to). Never through a link planted elsewhere. Not a socket: it cannot be opened to
    be written. The one definition every writer asks (``-`` for standard output is the command
    line's: ``policyx.cli.runtime.is_standard_output``)."""
    info = _lstat(Path(path))
    return info is not None and _stream(Path(path), info)


def is_terminal(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a stream that is a terminal (``-o /dev/stdout`` at a prompt): what
    reaches it is read there, so it must be safe to show, as standard output is."""
    try:  # (a character device only: a pipe opened and closed here would give its reader an end)
        if not is_stream(path) or not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | _CLOEXEC)
    except OSError:
        return False  # (writing it fails too, and says so)
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def _opened(path: Path, info: os.stat_result) -> os.stat_result:
    """What a link in /dev names (``/dev/stdout``: what the shell opened); anything else, as it is."""
    if stat.S_ISLNK(info.st_mode) and os.path.abspath(path).startswith("/dev/"):
        try:
            return os.stat(path)
        except OSError:
            return info
    return info


def _stream(path: Path, info: os.stat_result) -> bool:
    """:func:`is_stream`, given the path's lstat."""
    named = _opened(path, info)
    if named is not info and stat.S_ISREG(named.st_mode):
        return True  # the file of `> out.txt`, opened by the shell
    return stat.S_ISFIFO(named.st_mode) or stat.S_ISCHR(named.st_mode)


#: what a path that is neither a file, a folder, a link nor a stream is, as messages name it
_SPECIAL = ((stat.S_ISSOCK, "a socket"), (stat.S_ISBLK, "a block device (a disk)"))


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """``a socket``, ``a block device (a disk)``: what ``path`` is when it is no file, folder,
    link or stream that policyx may write (through a link in /dev, what it names); else None."""
    info = _lstat(Path(path))
    if info is None:
        return None
    named = _opened(Path(path), info)
    return next((what for test, what in _SPECIAL if test(named.st_mode)), None)


def _write_device(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | _CLOEXEC)  # never truncates: `>>` appends
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _recheck(path: Path, judged: Snapshot | None, existed: bool) -> None:
    """Just before the rename: the destination is still what was judged (or still absent)."""
    info = _lstat(path)
    if judged is None:
        if existed == (info is not None) and (info is None or stat.S_ISLNK(info.st_mode)):
            return
        if info is not None and not existed:
            raise OutputError(f"{_shown(path)} was created by another program while policyx worked: it is kept"
                              " as it is, nothing was written; run the command again")
        raise edited_meanwhile(path)
    if not judged.sha256:  # a file forced over unread (no permission to read it): its state only
        info = _lstat(path)
        if info is None or (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev) != (
                judged.size, judged.mtime_ns, judged.ino, judged.dev):
            raise edited_meanwhile(path)
        return
    try:
        _, now = read_snapshot(path)
    except OSError:
        raise edited_meanwhile(path) from None
    if _changed(judged, now):
        raise edited_meanwhile(path)


def _replace(path: Path, data: bytes, info: os.stat_result | None, judged: Snapshot | None) -> None:
    folder = path.parent

    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:100]}.", suffix=".tmp")
    except PermissionError:  # the file may be writable, its folder is not: say which
        raise OutputError(f"cannot write {_shown(path)}: its folder {_shown(folder)} may not be written (policyx"
                          " writes the new text to a temporary file there, then gives it the file's name: all or"
                          " nothing)") from None
    try:
        with os.fdopen(fd, "wb") as out:
            if info is not None and stat.S_ISREG(info.st_mode):
                _keep_owner(out.fileno(), info)
                os.fchmod(out.fileno(), stat.S_IMODE(info.st_mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(out.fileno(), 0o666 & ~umask)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # a full disk shows here on some file systems, not before
        _recheck(path, judged, existed=info is not None)
        if info is None:
            _link_new(temporary, path)
        else:
            os.replace(temporary, path)
        _sync_folder(folder)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _keep_owner(fd: int, info: os.stat_result) -> None:
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:  # not root: keep what may be kept (a group of ours), the rest is ours
        try:
            os.fchown(fd, -1, info.st_gid)
        except PermissionError:
            pass


def _link_new(temporary: str, path: Path) -> None:
    """Give the new file its name only if the name is still free (a file made meanwhile is kept)."""
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(f"{_shown(path)} was created by another program while policyx worked: it is kept as"
                          " it is, nothing was written; run the command again") from None
    except OSError:  # no hard links on this file system: the check just made must do
        if os.path.lexists(path):
            raise OutputError(f"{_shown(path)} was created by another program while policyx worked: it is kept"
                              " as it is, nothing was written; run the command again") from None
        os.rename(temporary, path)


def _write_in_place(path: Path, data: bytes, judged: Snapshot | None) -> None:
    """Forced, on a file with several hard links: the same inode, every link sees the new text.
    Not atomic (there is no rename of an inode's contents): written, flushed, then truncated."""
    fd = os.open(path, os.O_WRONLY | _NOFOLLOW | _CLOEXEC)
    with os.fdopen(fd, "wb") as out:
        _recheck(path, judged, existed=True)
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
