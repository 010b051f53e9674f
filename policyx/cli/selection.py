"""Which knowledge bases a run reads: ``--kb``, else ``POLICYX_KB``, else config.toml's library,
else the bundled one.

These are the command line's decisions (argv, the environment, a config file), so they live
here and not in :mod:`policyx.kb`, which reads the files it is given. config.toml is read as
carefully as a knowledge base: only a regular file, at most :data:`CONFIG_MAX_BYTES`, never
blocking on a FIFO; every mistake is a usage error (exit 2) naming the file.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..kb.errors import UsageError

#: what separates the paths of POLICYX_KB (``PATH``'s separator: ``:``, ``;`` on Windows)
PATH_SEPARATOR = os.pathsep
#: a config file holds a few lines; anything larger is not one (a link to /dev/zero, a log)
CONFIG_MAX_BYTES = 64 * 1024

#: The keys of config.toml, and what each holds (help and errors name them).
CONFIG_KEYS: dict[str, str] = {
    "library": "the knowledge bases read when neither --kb nor POLICYX_KB is given: a path or a list of paths "
               "(files or folders; relative to the config file's folder; ~ is your home)",
}


class Selection:
    """The knowledge bases a run reads, and where that choice came from."""

    __slots__ = ("paths", "library", "origin")

    def __init__(self, paths: tuple[Path, ...], library: bool, origin: str) -> None:
        #: paths as given (files or folders), in order
        self.paths = paths
        #: read as a library (several paths, or a folder): entries carry their knowledge base's name
        self.library = library
        #: what chose them, for messages: "--kb", "POLICYX_KB", the config file's path, or "bundled"
        self.origin = origin


def config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/policyx/config.toml``, or ``~/.config/policyx/config.toml``
    (XDG: a relative value is ignored)."""
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else _home(environ) / ".config"
    return root / "policyx" / "config.toml"


def _home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or os.path.expanduser("~"))


def _read_config(path: Path) -> bytes | None:
    """The bytes of the config file, or None when there is none. A FIFO is opened without
    blocking and refused, as is a device (a link to /dev/zero); so is a file too large."""
    shown = str(path).replace("\n", "\\n")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UsageError(f"{shown}: is not a regular file (a device, a pipe or a folder), so it is not read;"
                         " the config file is a small text file")
    with os.fdopen(fd, "rb") as stream:
        try:
            data = stream.read(CONFIG_MAX_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > CONFIG_MAX_BYTES:
        raise UsageError(f"{shown}: is larger than {CONFIG_MAX_BYTES // 1024} KB, so it is not read;"
                         " the config file holds a few lines (library = [\"~/debates\"])")
    return data


def config_library(path: Path, environ: Mapping[str, str]) -> tuple[Path, ...] | None:
    """The library ``config.toml`` names, or None when there is no such file or it names none.
    A config file that cannot be read or holds a mistake is a UsageError naming it."""
    data = _read_config(path)
    if data is None:
        return None
    shown = str(path).replace("\n", "\\n")
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the backport, a dependency on Python 3.10
        import tomli as tomllib
    try:
        config = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: is not UTF-8 text (save it as UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: is not valid TOML: {exc}") from None
    except RecursionError:  # thousands of nested [ or {
        raise UsageError(f"{shown}: is not valid TOML: its arrays or tables are nested too deeply") from None
    for key in config:
        if key not in CONFIG_KEYS:
            from ..kb.problems import did_you_mean

            hint = did_you_mean(key, CONFIG_KEYS)
            raise UsageError(f"{shown}: unknown key {key!r}{f' ({hint})' if hint else ''};"
                             f" the keys are: {', '.join(CONFIG_KEYS)}")
    value = config.get("library")
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise UsageError(f"{shown}: 'library' must be a path or a list of paths (library = [\"~/debates\"])")
    if any("\0" in item for item in items):
        raise UsageError(f"{shown}: 'library' holds a path with a NUL character (\\u0000), which no file name"
                         " has: give the path of a folder or file of knowledge bases")
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
    from ..kb.load import bundled_path

    return Selection((bundled_path(),), False, "bundled")


def _selection(paths: tuple[Path, ...], origin: str) -> Selection:
    return Selection(paths, len(paths) > 1 or any(p.is_dir() for p in paths), origin)
