"""Which knowledge bases a run reads: ``--kb``, else ``POLICYX_KB``, else the project file
(``policyx.toml``, found by walking up from the current folder), else config.toml's library,
else the bundled one.

These are the command line's decisions (argv, the environment, a config file), so they live
here and not in :mod:`policyx.kb`, which reads the files it is given. policyx.toml and config.toml are read as
carefully as a knowledge base: only a regular file, at most :data:`CONFIG_MAX_BYTES`, never
blocking on a FIFO; every mistake is a usage error (exit 2) naming the file.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..kb.errors import Problem, UsageError
from ..kb.paths import bundled_path
from ..kb.readerrors import missing_hint
from ..kb.struct import replace
from ..kb.suggestions import did_you_mean
from .options import VARIABLES

#: what separates the paths of POLICYX_KB (``PATH``'s separator: ``:``, ``;`` on Windows)
PATH_SEPARATOR = os.pathsep
#: a config file holds a few lines; anything larger is not one (a link to /dev/zero, a log)
CONFIG_MAX_BYTES = 64 * 1024

#: The keys of config.toml, and what each holds (help and errors name them).
CONFIG_KEYS: dict[str, str] = {
    "library": "the knowledge bases read when neither --kb nor POLICYX_KB is given: a path or a list of paths "
               "(files or folders; relative to the config file's folder; ~ is your home)",
}

#: the name of the project file ``init`` writes, and which commands find by walking up
PROJECT_FILE = "policyx.toml"

#: The keys of policyx.toml, and what each holds.
PROJECT_KEYS: dict[str, str] = {
    "kb": "the knowledge base(s) of the project: a path or a list of paths (files or folders), relative to "
          "policyx.toml's folder",
    "sources": "the folder, besides each knowledge base's own, that sources' files may be in (as --sources)",
}


class Project:
    """A project file found by walking up: its path, the knowledge bases and sources folder it names."""

    __slots__ = ("path", "kb", "sources")

    def __init__(self, path: Path, kb: tuple[Path, ...], sources: Path | None) -> None:
        self.path = path
        self.kb = kb
        self.sources = sources


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

    def retold(self, problems: Sequence[Problem]) -> list[Problem]:
        """The problems of reading these knowledge bases, worded for where they came from (:func:`retold`)."""
        return retold(problems, self)


def config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/policyx/config.toml``, or ``~/.config/policyx/config.toml``
    (XDG: a relative value is ignored)."""
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else _home(environ) / ".config"
    return root / "policyx" / "config.toml"


def _home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or os.path.expanduser("~"))


def _read_config(path: Path, example: str = 'library = ["~/debates"]') -> bytes | None:
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
                         " it should be a small text file")
    with os.fdopen(fd, "rb") as stream:
        try:
            data = stream.read(CONFIG_MAX_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > CONFIG_MAX_BYTES:
        raise UsageError(f"{shown}: is larger than {CONFIG_MAX_BYTES // 1024} KB, so it is not read;"
                         f" the file holds a few lines ({example})")
    return data


def config_library(path: Path, environ: Mapping[str, str]) -> tuple[Path, ...] | None:
    """The library ``config.toml`` names, or None when there is no such file or it names none.
    A config file that cannot be read or holds a mistake is a UsageError naming it."""
    config = _read_toml(path, CONFIG_KEYS)
    if config is None:
        return None
    return _paths(path, config, "library", environ)


def _read_toml(path: Path, keys: Mapping[str, str],
               example: str = 'library = ["~/debates"]') -> dict[str, object] | None:
    """The table of a small TOML file (config.toml, policyx.toml), or None when there is none;
    a UsageError naming the file for anything else than a small regular file of known keys."""
    data = _read_config(path, example)
    if data is None:
        return None
    shown = str(path).replace("\n", "\\n")
    if sys.version_info >= (3, 11):
        import tomllib  # lazy: only when a config file exists
    else:  # the backport, a dependency on Python 3.10
        import tomli as tomllib  # lazy: only when a config file exists

    try:
        config = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: is not UTF-8 text (save it as UTF-8)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: is not valid TOML: {exc}") from None
    except RecursionError:  # thousands of nested [ or {
        raise UsageError(f"{shown}: is not valid TOML: its arrays or tables are nested too deeply") from None
    for key in config:
        if key not in keys:
            hint = did_you_mean(key, keys)
            raise UsageError(f"{shown}: unknown key {key!r}{f' ({hint})' if hint else ''};"
                             f" the keys are: {', '.join(keys)}")
    return config


def _paths(path: Path, config: Mapping[str, object], key: str, environ: Mapping[str, str],
           single: bool = False, example: str = '"~/debates"') -> tuple[Path, ...] | None:
    """The paths a key of a TOML file names (relative to its folder; ``~`` is the home), or None."""
    shown = str(path).replace("\n", "\\n")
    value = config.get(key)
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if single and not isinstance(value, str):
        raise UsageError(f"{shown}: '{key}' must be the path of a folder ({key} = \"sources\")")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise UsageError(f"{shown}: '{key}' must be a path or a list of paths ({key} = [{example}])")
    if any("\0" in item for item in items):
        raise UsageError(f"{shown}: '{key}' holds a path with a NUL character (\\u0000), which no file name"
                         " has: give the path of a folder or file")
    home = _home(environ)
    return tuple(home / item[2:] if item.startswith("~/") else home if item == "~" else path.parent / item
                 for item in items)


def select(options: Sequence[str], environ: Mapping[str, str]) -> Selection:
    """--kb (repeatable) wins over POLICYX_KB (``:``-separated), which wins over the project
    file (policyx.toml, found by walking up), which wins over the config file's ``library``,
    which wins over the bundled knowledge base. Several paths, or a folder,
    make a library. (An empty POLICYX_KB counts as unset, as shells use it; an empty --kb is a
    mistake.)"""
    if options:
        if not all(options):
            raise UsageError("--kb needs the path of a knowledge base file or folder; it was given an empty one")
        return _selection(tuple(Path(o) for o in options), "--kb")
    name = VARIABLES["kb"]
    variable = environ.get(name, "")
    parts = tuple(Path(p) for p in variable.split(PATH_SEPARATOR) if p)
    if parts:
        return _selection(parts, name)
    project = find_project(environ)
    if project is not None and project.kb:
        return _selection(project.kb, str(project.path))
    where = config_path(environ)
    configured = config_library(where, environ)
    if configured:
        return _selection(configured, str(where))

    return Selection((bundled_path(),), False, "bundled")


def _selection(paths: tuple[Path, ...], origin: str) -> Selection:
    return Selection(paths, len(paths) > 1 or any(p.is_dir() for p in paths), origin)


def retold(problems: Sequence[Problem], selection: Selection | None) -> list[Problem]:
    """``problems`` of reading the knowledge bases ``selection`` chose, those about a path the
    project file or config.toml named saying so: that file is where to fix it, not --kb or
    POLICYX_KB, which were not given. ``selection`` None: the paths were the command's own
    arguments (``check PATH``), so "check the path" is all there is to say."""
    if selection is None:
        return [replace(p, hint="check the path") if p.hint == missing_hint() else p for p in problems]
    origin = selection.origin
    if origin in ("--kb", VARIABLES["kb"], "bundled"):
        return list(problems)
    key = "kb" if Path(origin).name == PROJECT_FILE else "library"
    chosen = {str(p) for p in selection.paths}
    where = f"named by '{key}' in {origin}"
    return [p if p.path not in chosen else
            replace(p, hint=f"check the path, {where}" if p.hint == missing_hint() else
                    f"{p.hint}; it is {where}" if p.hint else where)
            for p in problems]


def find_project(environ: Mapping[str, str], start: Path | None = None) -> Project | None:
    """The project file of the current folder or the nearest folder above it, as git finds
    ``.git``: the walk stops below the home folder (which is not searched: a policyx.toml
    there would rule every folder of yours) and at the filesystem root. None when there is
    none, or when the current folder no longer exists."""
    try:
        here = start or Path(os.getcwd())
    except OSError:
        return None
    home = _home(environ)
    for folder in (here, *here.parents):
        if folder == home:
            return None
        candidate = folder / PROJECT_FILE
        if os.path.lexists(candidate):
            _refuse_another_users(candidate)
            project = read_project(candidate, environ)
            if start is not None:
                return project
            # shown relative to the current folder, as git and ruff show paths: what messages
            # print (debate.yaml:12:5, sources/minutes.txt:2:17) can be pasted where the user is
            project.kb = tuple(_from(here, p) for p in project.kb)
            project.sources = _from(here, project.sources) if project.sources is not None else None
            return project
    return None


def _refuse_another_users(candidate: Path) -> None:
    """A project file (or the link in its place) that belongs to neither the user nor root: another user
    could have put it in a shared folder (``/tmp``) to choose what policyx reads and ``check``'s fix
    writes for whoever runs it below. Refused, as git refuses a repository of another owner."""
    me = os.geteuid() if hasattr(os, "geteuid") else None
    if me is None:
        return
    for follow in (False, True):
        try:
            owner = os.stat(candidate, follow_symlinks=follow).st_uid
        except OSError:  # read_project says what is wrong with it
            return
        if owner not in (me, 0):
            shown = str(candidate).replace("\n", "\\n")
            raise UsageError(f"{shown}: belongs to another user (uid {owner}), who could have put it there to choose"
                             " what policyx reads and writes for you: it is not read; remove it, or make it yours if"
                             " it is yours to use (or give both --kb and --sources, and it is not looked at)")


def _from(here: Path, path: Path) -> Path:
    """``path`` relative to ``here`` (``../x`` when above it); as it is when on another drive."""
    try:
        return Path(os.path.relpath(path, here))
    except ValueError:
        return path


def read_project(path: Path, environ: Mapping[str, str]) -> Project:
    """The project file at ``path``, read as config.toml is (a UsageError names it)."""
    config = _read_toml(path, PROJECT_KEYS, example='kb = ["debate.yaml"]') or {}
    sources = _paths(path, config, "sources", environ, single=True)
    kb = tuple(Path(os.path.normpath(p)) for p in _paths(path, config, "kb", environ, example='"debate.yaml"') or ())
    return Project(path, kb, Path(os.path.normpath(sources[0])) if sources else None)


def project_text(kb: Sequence[str], sources: str | None) -> str:
    """The text of the policyx.toml ``init`` writes (paths relative to its folder)."""
    lines = ["# policyx project: commands run in this folder or below read these, unless --kb or POLICYX_KB",
             "# is given (docs/libraries.md, \"Which knowledge bases\").",
             f"kb = [{', '.join(json.dumps(k) for k in kb)}]"]
    lines.append(f"sources = {json.dumps(sources)}" if sources else
                 "# sources = \"../sources\"  # a folder of source texts outside this one")
    return "\n".join(lines) + "\n"
