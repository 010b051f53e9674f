"""The files of an import: reading what is given (folders of maps too), writing the result.

The only I/O of :mod:`policyx.importers`; no printing (the command prints the
summary), no Typer.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path, PurePath

from ..kb.errors import KnowledgeBaseError, OutputError, Problem, UsageError, shown_path
from ..kb.load import wait_for_writer
from ..kb.safewrite import judge, write_bytes
from .common import ImportResult
from .dispatch import InputFile, import_files, to_yaml

#: The largest file an import reads (the limit of a knowledge base file, policyx.load).
MAX_INPUT_BYTES = 128 * 1024 * 1024


def _natural(path: Path) -> list[object]:
    """nodeset9 before nodeset10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def gather(paths: list[Path]) -> tuple[list[InputFile], frozenset[str]]:
    """The files to import, in order: each file given, and each folder's files (sorted by
    name, numbers by value; hidden files skipped). Returns the files and the names of
    those found in folders (an import leaves those out when they are no map)."""
    files: list[InputFile] = []
    found: set[str] = set()
    for path in paths:
        if path.is_dir():
            try:
                listed = list(path.iterdir())
            except OSError as exc:
                raise KnowledgeBaseError([Problem(f"is a folder that cannot be listed: {exc.strerror or exc}",
                                                  str(path), hint="make the folder readable")]) from None
            inside = sorted((p for p in listed if p.is_file() and not p.name.startswith(".")), key=_natural)
            if not inside:
                raise KnowledgeBaseError([Problem("is an empty folder", str(path),
                                                  hint="give AIF, Argdown or Kialo files, or a folder of them")])
            for member in inside:
                files.append(InputFile(str(member), _read(member)))
                found.add(str(member))
        else:
            files.append(InputFile(str(path), _read(path)))
    return files, frozenset(found)


def _read(path: Path) -> bytes:
    """The bytes of an input file: a regular file, or a pipe (``<(...)``, ``/dev/stdin``) read to
    its end; a FIFO nobody writes to is empty at once (opened without waiting for a writer), and
    a device is refused. Every failure is a located error (status 3)."""
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(path)
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise KnowledgeBaseError([Problem("is a device, not a file", shown,
                                                  hint="give AIF, Argdown or Kialo files, or a folder of them")])
            if stat.S_ISFIFO(mode):  # a pipe with a writer: wait for what it writes
                wait_for_writer(fd)
            data = handle.read(MAX_INPUT_BYTES + 1)  # one byte past: pipes report no size
    except FileNotFoundError:
        raise KnowledgeBaseError([Problem("no such file", shown, hint="check the path")]) from None
    except PermissionError:
        raise KnowledgeBaseError([Problem("permission denied", shown, hint="make the file readable")]) from None
    except IsADirectoryError:
        raise KnowledgeBaseError([Problem("is a folder that cannot be read", shown)]) from None
    except OSError as exc:
        raise KnowledgeBaseError([Problem(f"cannot be read: {exc.strerror or exc}", shown)]) from None
    if len(data) > MAX_INPUT_BYTES:
        raise KnowledgeBaseError([Problem(f"is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB, the limit "
                                          "of an import", shown, hint="split it into several files")])
    return data


def sources_folder(output: Path) -> str:
    """Where the source texts of ``output`` go, relative to its folder: ``<name>-sources``."""
    return f"{output.stem}-sources"


def convert(paths: list[Path], output: Path, fmt: str | None, title: str | None,
            argdown_cli: str | None, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    files, optional = gather(paths)
    return import_files(files, fmt, title, sources_folder(output), argdown_cli, optional, progress=progress)


def check_targets(result: ImportResult, output: Path, force: bool, origins: list[str],
                  text: str | None = None) -> None:
    """Refuse, before anything is written, a file the import may not replace (the one rule of
    every writer, :mod:`policyx.kb.safewrite`): an existing knowledge base or source text that
    policyx did not write, or has changed since, a link, a read-only or hard-linked file;
    a sources folder that is a link. ``text``: the knowledge base's YAML (``to_yaml``), when made already."""
    folders = {output.parent / PurePath(name).parts[0] for name in result.sources if len(PurePath(name).parts) > 1}
    for folder in sorted(folders):
        if folder.is_symlink() and not force:
            raise UsageError(f"{shown_path(folder)} is a symbolic link; policyx never writes through a link: remove"
                             " it, give another --output, or add --force to write in the folder it names")
    for name, source in result.sources.items():
        judge(output.parent / name, force, what="source text", data=source.encode("utf-8"), by="import")
    text = text if text is not None else to_yaml(result, origins, output.name)
    judge(output, force, data=text.encode("utf-8"), by="import")


def write_result(result: ImportResult, output: Path, origins: list[str], force: bool = False,
                 text: str | None = None) -> list[Path]:
    """Write the source texts, then the knowledge base, each by the rule of every writer
    (:mod:`policyx.kb.safewrite`: a temporary file and a rename, never over a file policyx
    did not write unless ``force``). ``text``: the YAML, when made already (a large map's dump is
    the dearest step: it is made once). Returns the source files written."""
    if text is None:
        text = to_yaml(result, origins, output.name)
    check_targets(result, output, force, origins, text)
    written: list[Path] = []
    for name, source in result.sources.items():
        target = output.parent / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {shown_path(target)}: {exc.strerror or exc}") from None
        write_bytes(target, source.encode("utf-8"), force=force, what="source text", by="import")
        written.append(target)
    write_bytes(output, text.encode("utf-8"), force=force, by="import")
    return written
