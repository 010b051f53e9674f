"""Entry points: a knowledge base file -> a validated :class:`KnowledgeBase`.

:func:`load` reads a file (:func:`read_text`), parses it (:func:`parse_yaml`,
through policyx.kb.yamlread), validates the data (:func:`build`, through
policyx.kb.validate) and builds the model's entries. Whatever goes wrong is
worded and located by policyx.kb.readerrors, yamlerrors, locating and
commentlint. This module and the cache (policyx.kb.store) are the only ones
that read files.

Loading is two-speed on purpose. The happy path builds plain Python data
without keeping any position marks, because marks cost time on large files.
Only when something is wrong is the file parsed a second time, into nodes, to
turn each problem's path (``arguments[3].against``) into a line and column.
Errors are rare and small; valid files are common and may be large.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from . import commentlint, locating, readerrors, schema, yamlerrors
from .errors import KnowledgeBaseError, Problem
from .graphbuild import entries
from .hints import option
from .include import SHARED_KINDS, read_includes
from .model import CLASS_OF, Entry, Kind, KnowledgeBase, Source
from .paths import bundled_path as bundled_path  # where callers have long found them
from .paths import source_path as source_path
from .schema import ANSWERING_KINDS, DERIVED_FIELDS, TARGET_FIELD, stance_and_target
from .validate import Validator
from .yamlread import TooDeep, TooManyValues, gc_paused, read_yaml, yaml_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from .include import Walk


# --------------------------------------------------------------------------
# Which file


# --------------------------------------------------------------------------
# Reading a knowledge base


#: A reader of files that are no YAML knowledge base: it takes (text, the path as shown) and
#: returns the knowledge base, or None when the file is not its format. The CLI passes
#: policyx.importers' (AIF, Argdown, Kialo, converted in memory), so that the ``kb`` option reads them and the
#: cache keeps them; kb itself imports no higher package.
Reader = Callable[[str, str], KnowledgeBase | None]


def load(path: Path | str, text: str | None = None, readers: Sequence[Reader] = (), *,
         roots: Iterable[str | os.PathLike[str]] = ()) -> KnowledgeBase:
    """Read and validate a knowledge base file. Raises KnowledgeBaseError. ``text``: the
    file's text when the caller read it already (a pipe gives its text only once); ``readers``:
    of other formats, tried first; ``roots``: folders besides the file's own that the files it
    includes may be in (the ``sources`` option)."""
    path = Path(path)
    text, shown = read_text(path) if text is None else text, str(path)
    for reader in readers:
        kb = reader(text, shown)
        if kb is not None:
            return kb
    return load_text(text, shown, roots=roots)


def load_text(text: str, path: str = "<string>", *, folder: str | None = None,
              roots: Iterable[str | os.PathLike[str]] = ()) -> KnowledgeBase:
    """Parse and validate knowledge base text; ``path`` is only used in messages, and its
    folder (or ``folder``) is where the files ``include:`` names are looked for."""
    try:
        data = parse_yaml(text, path)
    except KnowledgeBaseError as exc:
        raise KnowledgeBaseError([locating.with_entry(p, text) for p in exc.problems]) from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        # last line of defence against a PyYAML constructor we have not seen fail yet
        raise KnowledgeBaseError([Problem(f"YAML that cannot be read as data ({type(exc).__name__}: {exc})",
                                          path, hint="simplify the YAML: plain mappings, lists and text")]) from None
    return build(data, path, text, folder=folder, roots=roots)


def read_text(path: Path) -> str:
    """The text of a file (a knowledge base, or a source's text), with the BOM of a
    UTF-8 file dropped. Raises KnowledgeBaseError, worded for a knowledge base file."""
    shown = str(path)
    try:
        data = _read_bytes(path, shown)
    except OSError as exc:
        raise readerrors.unreadable(shown, exc) from None
    return _decode(data, shown)


def _decode(data: bytes, shown: str) -> str:
    if len(data) > schema.MAX_FILE_BYTES:
        raise readerrors.too_large(shown, None)
    if b"\0" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # a Windows editor's "Unicode"
            name = "UTF-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
            raise readerrors.fail(shown, f"the file is {name} text, not UTF-8", "save it as UTF-8 (a BOM is fine)")
        raise readerrors.binary(shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise readerrors.not_utf8(shown, data, exc) from None


def parse_yaml(text: str, path: str) -> Any:
    """Parse YAML text into plain data, or raise KnowledgeBaseError with a location."""
    yaml = yaml_module()
    # Parsing allocates objects by the hundred thousand and frees none, so the
    # cyclic garbage collector would run again and again over a growing heap that
    # holds no cycles. Pausing it saves ~10% on the event reader, and makes the
    # strict loader (1.7 million nodes for 100,000 arguments) about 5x faster.
    with gc_paused():
        try:
            return read_yaml(text)
        except TooManyValues:
            problem = readerrors.too_many_values(path)
        except TooDeep as exc:
            problem = readerrors.depth_problem(text, path, exc.brackets)
        except yaml.YAMLError as exc:
            problem = yamlerrors.yaml_problem(exc, text, path)
    raise KnowledgeBaseError([problem])


def build(
    data: Any, path: str, text: str | None = None, *, chain: tuple[str, ...] | None = None, included: bool = False,
    folder: str | None = None, walk: Walk | None = None, roots: Iterable[str | os.PathLike[str]] = (),
) -> KnowledgeBase:
    """Validate plain data (as parsed from YAML) into a KnowledgeBase.

    ``text`` is the file's text, used only to locate problems by line. The files
    ``include:`` names are read relative to ``path``'s folder, or ``folder`` (policyx.kb.include);
    ``chain`` (the real paths of the files including this one), ``included`` (this
    file is included: only actors and models) and ``walk`` are that module's; ``roots`` are
    folders besides ``path``'s (or ``folder``) where included files may be.
    """
    validator = Validator(path, included=included)
    shared = None
    if isinstance(data, dict) and data.get("include") is not None:
        shared = read_includes(data["include"], path, validator, chain or (os.path.realpath(path),),
                               read=read_included, make=_included, folder=folder, walk=walk, roots=roots)
        validator.given = shared.given
        if shared.failed:  # what the include would have given is unknown: no "names no actor" for it
            validator.unchecked = frozenset(SHARED_KINDS)
    records = validator.run(data)
    inside = shared.problems if shared is not None else []  # located in the included files
    if validator.problems or inside:
        found = validator.problems
        if text is not None:
            found = locating.locate(text, found, validator.paths)
            # file order reads best; problems without a line (file-level) first
            found = sorted(found, key=lambda p: (p.line or 0, p.column or 0))
        if validator.dropped:
            found.append(Problem(
                f"{validator.dropped} more problem(s) not shown (at most {schema.MAX_PROBLEMS} are reported)",
                path, hint="fix these first, then check again",
            ))
        raise KnowledgeBaseError([*found, *inside], validator.dropped)
    kb = _build(path, validator.version, data.get("title"), records)
    if shared is None and data.get("name") is None:
        return kb
    # the included files' actors and models first, then the file's own
    collections = {kind.value: (*(shared.entries.get(kind, ()) if shared else ()), *kb.collection(kind))
                   for kind in Kind}
    return KnowledgeBase(path=path, version=kb.version, title=kb.title, name=data.get("name"),
                         includes=tuple(shared.files) if shared else (), **collections)  # type: ignore[arg-type]


def _included(text: str, path: str, chain: tuple[str, ...], walk: Walk) -> KnowledgeBase:
    """A file another includes: only actors and models (policyx.kb.include)."""
    return build(parse_yaml(text, path), path, text, chain=chain, included=True, walk=walk)


def read_included(real: str, shown: str) -> str:
    """The text of an included file (``real``: its real path): a regular file only, read
    without waiting on a FIFO. Raises KnowledgeBaseError."""
    try:
        return _decode(_read_regular(real, shown), shown)
    except OSError as exc:
        raise readerrors.unreadable(shown, exc) from None
    except _NotRegular:
        raise readerrors.fail(shown, "is not a regular file (a device, a pipe or a socket), so it is not read",
                            "include the file of shared actors and models itself") from None


# --------------------------------------------------------------------------
# A source's text


def read_source_text(kb: KnowledgeBase, source: Source, sources: str | os.PathLike[str] | None = None) -> str:
    """The text of a source's file, for quote checks. Raises KnowledgeBaseError.

    A relative ``file`` is looked for in the knowledge base's folder, then (when it is not
    there) in ``sources``, the folder of the ``sources`` option. Only a regular file inside
    one of these two folders is read: a knowledge base from anywhere must not
    make ``check`` read ``/etc/passwd`` (and quote it in a message), a device, or a FIFO
    that never ends. Links are followed, and where they lead is checked again."""
    path = source_path(kb, source)
    if path is None:
        raise KnowledgeBaseError([Problem(f"source {source.id!r} has no 'file'", kb.path, entry=source.id)])

    def refuse(message: str, hint: str) -> KnowledgeBaseError:
        return KnowledgeBaseError([Problem(f"source {source.id!r}: file {source.file!r} {message}", kb.path,
                                           entry=source.id, hint=hint, field="file")])

    if "\0" in str(source.file):  # no file has such a name (and the system refuses to look one up)
        raise refuse("holds a NUL character, which no file name can", "fix the source's 'file'")
    # the folder of the source's own knowledge base (in a library, the member that declares it)
    folders = [Path(kb.file_of(source.id)).parent, *([Path(sources)] if sources else [])]
    name = str(source.file)
    if sources and not os.path.isabs(name) and not os.path.lexists(path):
        path = Path(sources) / name  # not beside the knowledge base: in the sources option's folder
    real = os.path.realpath(path)
    if not any(_inside(real, os.path.realpath(folder)) for folder in folders):
        where = "the knowledge base's folder" + (f" or {option('sources')}" if sources else "")
        raise refuse(f"is outside {where}, so it is not read",
                     "keep the source's text beside the knowledge base, or give its folder with"
                     f" {option('sources')} DIR")
    try:
        try:
            return _decode(_read_regular(real, str(path)), str(path))
        except OSError as exc:
            raise readerrors.unreadable(str(path), exc) from None
    except _NotRegular:
        raise refuse("is not a regular file (a device, a pipe or a socket), so it is not read",
                     "'file' names the source's plain text file") from None
    except KnowledgeBaseError as exc:
        # worded for a knowledge base file; this is a source's text
        raise KnowledgeBaseError([readerrors.source_file_problem(kb.path, source, exc.problems[0])]) from None


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _NotRegular(Exception):
    """A device, a FIFO or a socket: not a text file to read."""


def _read_regular(path: str, shown: str) -> bytes:
    """The bytes of the regular file at ``path`` (at most one past the size limit), without
    following a link there and without waiting on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular
        if st.st_size > schema.MAX_FILE_BYTES:
            raise readerrors.too_large(shown, st.st_size)
        return _read_capped(handle, st.st_size)


# --------------------------------------------------------------------------
# After validation, for `policyx check`


def comment_cuts(kb: KnowledgeBase, text: str | None = None) -> list[Problem]:
    """Warnings for text fields of the knowledge base file that a ' #' cut short
    (see commentlint.comment_cut_problems). ``text``: the file's text, when it was read
    already (it must be, when the file is a pipe: reading it again gives nothing)."""
    if text is None:
        try:
            text = read_text(Path(kb.path))
        except KnowledgeBaseError:
            return []
    return commentlint.comment_cut_problems(kb, text)


def locate_entries(kb: KnowledgeBase, found: list[Problem], text: str | None = None) -> list[Problem]:
    """Give problems found after validation (by entry id) a line and column (``text``:
    the file's text, when it was read already)."""
    if not any(p.entry and p.line is None for p in found):
        return found
    if text is None:
        try:
            text = read_text(Path(kb.path))
        except KnowledgeBaseError:
            return found
    return locating.locate(text, found, locating.entry_paths(kb, found))


# --------------------------------------------------------------------------
# Helpers


def _read_bytes(path: Path, shown: str) -> bytes:
    """The bytes of a knowledge base given by name: a file, or a pipe (``/dev/stdin``, ``<(...)``)
    read to its end. Opened without waiting for a writer, as an import's input is: a FIFO nobody
    writes to is empty at once (and said so), never a command that hangs."""
    if path.is_dir():
        raise IsADirectoryError(path)
    size = path.stat().st_size
    if size > schema.MAX_FILE_BYTES:
        raise readerrors.too_large(shown, size)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if getattr(os, "O_NONBLOCK", 0) and not stat.S_ISREG(mode):
            wait_for_writer(fd)  # a pipe with a writer, a terminal: wait for what they give, as before
        data = _read_capped(handle, size)
    if not data and stat.S_ISFIFO(mode):
        raise readerrors.fail(shown, "is a pipe that nothing was written to", "write the knowledge base into it"
                              " (a FIFO that no program has opened to write is not waited on), or give a file")
    return data


def wait_for_writer(fd: int) -> None:
    """Reads of ``fd`` (opened with ``O_NONBLOCK``, so that a FIFO nobody writes to never hangs the
    open) wait again for what a pipe's writer gives."""
    import fcntl  # lazy: POSIX only, for a pipe

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)


def _read_capped(handle: Any, size: int) -> bytes:
    """What ``handle`` holds, up to one byte past the size limit: /dev/zero, pipes and
    growing files report no honest size. Memory is asked for as the bytes arrive (a single
    read of the limit reserved 128 MiB for every file, which ``ulimit -v`` refused)."""
    limit = schema.MAX_FILE_BYTES + 1
    chunks: list[bytes] = []
    total = 0
    want = min(size + 1, limit) if size else 1 << 16
    while total < limit:
        chunk = handle.read(min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = max(want, 1 << 20)
    return b"".join(chunks)  # one chunk (a regular file): that very object, not a copy


def _build(path: str, version: int, title: str | None, records: dict[Kind, list[dict[str, Any]]]) -> KnowledgeBase:
    if version >= 2:
        collections = {kind.value: entries(kind, records[kind]) for kind in Kind}
        return KnowledgeBase(path=path, version=version, title=title, **collections)  # type: ignore[arg-type]
    collections = {kind.value: _entries(kind, records[kind]) for kind in Kind}
    return KnowledgeBase(path=path, version=version, title=title, **collections)  # type: ignore[arg-type]


def _entries(kind: Kind, records: list[dict[str, Any]]) -> tuple[Entry, ...]:
    """The model's entries for validated records (an argument's for/against as its stance and target)."""
    cls = CLASS_OF[kind]
    fields = _answer_fields if kind in ANSWERING_KINDS else _fields
    return tuple(cls(**fields(record)) for record in records)


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = dict(record)
    del fields["__index"]
    return fields


def _answer_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = _fields(record)
    fields[_STANCE], fields[_TARGET] = stance_and_target(fields)
    for name in TARGET_FIELD.values():
        fields.pop(name, None)
    return fields


_STANCE, _TARGET = DERIVED_FIELDS
