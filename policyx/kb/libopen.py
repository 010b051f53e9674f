"""Opening a library: the files of the paths given, each through the library's index, merged.

Each knowledge base is read through one index per library (:mod:`policyx.kb.libindex`), then
they are merged (:func:`policyx.kb.library.merge`); the merged library is kept whole
(:mod:`policyx.kb.libcache`), so that a warm run reads one cache file after a stat of each file
and folder it was made from. Files of a folder that are not argument data are skipped, with
the reason, recorded with the library (said when it is built, listed by ``list kbs`` and
``info``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from . import libcache
from .errors import KnowledgeBaseError, NotArgumentData, Problem, UsageError
from .libfolders import REAL, SUFFIXES, Skipped, Stamp, expand, realpath, stamp_or_none
from .libindex import open_files
from .library import Library, Member, member_names, merge
from .model import Kind, KnowledgeBase
from .paths import source_path
from .struct import replace
from .yamlread import gc_paused

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from .load import Reader


def include_roots(paths: Iterable[Path], sources: str | None = None) -> tuple[str, ...]:
    """Where the files a library's members include may be, besides each member's folder: the
    folders given (the library's own), the folders of the files given, and ``sources``
    (the ``sources`` option)."""
    return (*(str(p if p.is_dir() else p.parent) for p in paths), *((sources,) if sources else ()))


def open_library(
    paths: Sequence[Path], use_cache: bool = True, warn: Callable[[str], None] | None = None,
    readers: Sequence[Reader] = (), sources: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Library:
    """Every knowledge base of ``paths`` (files and folders), merged. ``warn`` and ``readers`` as
    for open_kb; with ``readers``, a folder's files of other formats (FOREIGN_SUFFIXES) are read
    too, and one that is not argument data is skipped. ``sources`` is the ``sources`` option's folder (a folder
    included files may be in, as the library's folders are). A warm run reads the library kept
    whole (:mod:`policyx.kb.libcache`) after a stat of each file and folder; otherwise the files
    are read through one index (:mod:`policyx.kb.libindex`: only the files that changed are
    read again), and ``progress`` is called with (files read, files to read) as they are."""
    REAL.clear()
    roots = include_roots(paths, sources)
    if use_cache:
        with gc_paused():  # as open_kb does: rebuilding the entries allocates, in no cycles
            kept = libcache.read(paths, roots, readers, warn)
        if kept is not None:
            return kept
    started = libcache.now()
    stamps: list[tuple[str, Stamp | None]] = []
    library = _build(paths, use_cache, warn, readers, roots, progress, stamps)
    news = libcache.news(paths, roots, library.skipped) if use_cache else tuple(
        s for s in library.skipped if not s.expected)
    library = replace(library, news=news)
    if use_cache and all(path for path, _ in stamps):  # "": a file could not be stamped as it was read
        libcache.write(library, paths, roots, readers, stamps, started)
    return library


def _build(
    paths: Sequence[Path], use_cache: bool, warn: Callable[[str], None] | None, readers: Sequence[Reader],
    roots: tuple[str, ...], progress: Callable[[int, int], None] | None, stamps: list[tuple[str, Stamp | None]],
) -> Library:
    """The library read through its index; ``stamps`` receives what it was made from (the
    folders listed, the files read and those they depend on), each with its stamp taken before
    it was read, and ("", None) last when one is missing (the library cannot be kept)."""
    files, skipped = expand(paths, foreign=bool(readers), walked=stamps)
    given = {realpath(p) for p in paths if not p.is_dir()}
    if not files:
        raise no_knowledge_base(paths)
    record: dict[str, list[Any]] = {}
    with gc_paused():  # as open_kb does, for the whole library (see there)
        # the files of other formats are opened after the knowledge bases, so that a member's
        # source texts (.txt, .json) are known as such, not read as data
        own = [p for p in files if p.suffix.lower() in SUFFIXES or realpath(p) in given]
        foreign = [p for p in files if p.suffix.lower() not in SUFFIXES and realpath(p) not in given]
        results = dict(open_files(own, use_cache, warn, readers, roots, progress, tag="kb", record=record))
        texts = source_texts([kb for kb in results.values() if isinstance(kb, KnowledgeBase)])
        rest = [p for p in foreign if realpath(p) not in texts]
        skipped += [Skipped(str(p), texts[realpath(p)], expected=True)
                    for p in foreign if realpath(p) in texts]
        # (with no file left to read, the pass still runs: its index is removed)
        results.update(open_files(rest, use_cache, warn, readers, roots, progress, tag="other", record=record))
        opened = [(p, results[p]) for p in files if p in results]
        opened, strays = _strays(opened, given, readers, stamps)
        members, skipped = _members(opened, skipped + strays, given)
        if not members:
            raise no_knowledge_base(paths)
        library = merge(members, _explained(skipped, members), path=", ".join(str(p) for p in paths))
    _member_stamps(library, record, stamps)
    return library


def _member_stamps(library: Library, record: dict[str, list[Any]], stamps: list[tuple[str, Stamp | None]]) -> None:
    """Each member's stamp and its dependencies' (as the index recorded them when it read them)."""
    seen: set[str] = set()
    for member in library.members:
        entry = record.get(os.path.abspath(member.path))
        if entry is None:  # changed while it was read, or its dependencies could not be stamped
            stamps.append(("", None))
            return
        stamps.append((member.path, entry[0]))
        for file, stamp in entry[1]:
            if file not in seen:
                seen.add(file)
                stamps.append((file, stamp))


#: the keys at a knowledge base's top that tell one: a YAML file with none of them is not one
#: (``title:`` and ``name:`` alone do not: a conda ``environment.yml`` has a name)
KB_KEYS = frozenset({"version", "include", *(kind.value for kind in Kind)})


def _strays(
    opened: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], given: set[str], readers: Sequence[Reader],
    stamps: list[tuple[str, Stamp | None]],
) -> tuple[list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], list[Skipped]]:
    """The files of a folder that could not be read as knowledge bases because they are not
    argument data at all (an ``environment.yml``, a README.txt), taken out with their reason
    (and their stamp, taken before this last look, in ``stamps``); a file that is one but is
    wrong stays, an error."""
    kept: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]] = []
    strays: list[Skipped] = []
    for path, kb in opened:
        reason = None
        if isinstance(kb, KnowledgeBaseError) and realpath(path) not in given:
            before = stamp_or_none(path)
            reason = not_argument_data(path, readers)
        if reason is None:
            kept.append((path, kb))
        else:
            stamps.append((str(path), before))
            strays.append(Skipped(str(path), reason))
    return kept, strays


def not_argument_data(path: Path, readers: Sequence[Reader]) -> str | None:
    """Why the file is not argument data; None when it is (its errors are real)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeError as exc:
        if path.suffix.lower() in SUFFIXES:
            return None  # a knowledge base saved in another encoding: the loader's error says what to do
        # every format policyx reads is UTF-8 text: a transcript in Windows-1252 beside a corpus's
        # nodesets is no argument data (and were it one, the note says what to do)
        at = f" (byte {exc.object[exc.start]:#04x} at {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        return f"not UTF-8 text{at}, so no argument data policyx reads: if it is, save it as UTF-8"
    except OSError:
        return None  # the loader's error says what is wrong
    for reader in readers:
        try:
            if reader(text, str(path)) is not None:
                return None
        except NotArgumentData as exc:
            return exc.reason
        except (KnowledgeBaseError, UsageError):
            return None  # a file of that format, with mistakes in it
    if path.suffix.lower() in SUFFIXES:
        keys = set(re.findall(r"^([A-Za-z_][\w-]*)\s*:", text, re.MULTILINE))
        if keys & KB_KEYS:
            return None
        return "a YAML file that is not a knowledge base: no 'version:' and none of its keys"
    return "not argument data of any format policyx reads (AIF, Argdown, Kialo, arggraph, Carneades)"


def source_texts(kbs: Iterable[KnowledgeBase]) -> dict[str, str]:
    """The real paths of the knowledge bases' source texts -> what they are."""
    texts: dict[str, str] = {}
    for kb in kbs:
        for source in kb.sources:
            path = source_path(kb, source)
            if path is not None:
                owner = kb.name or Path(kb.path).stem
                texts.setdefault(realpath(path), f"the text of source {source.id!r} of {owner}")
    return texts


def no_knowledge_base(paths: Iterable[Path]) -> KnowledgeBaseError:
    """The error for folders that hold no knowledge base."""
    return KnowledgeBaseError([
        Problem(f"is a folder with no knowledge base in it (no {' or '.join(SUFFIXES)} file, nor in its folders)",
                str(path), hint="give a folder of knowledge bases, or the path of a .yaml file")
        for path in paths
    ])


def _members(
    opened: list[tuple[Path, KnowledgeBase | KnowledgeBaseError]], skipped: list[Skipped], given: set[str],
) -> tuple[list[Member], list[Skipped]]:
    """The library's members, named; a folder's files that others include are skipped (they are
    part of those), and any other file that cannot be read is an error, with all their problems."""
    includers: dict[str, str] = {}
    for path, kb in opened:
        if isinstance(kb, KnowledgeBase):
            for include in kb.includes:
                includers.setdefault(realpath(include.path), str(path))
    kept: list[tuple[Path, KnowledgeBase]] = []
    problems: list[Problem] = []
    for path, kb in opened:
        real = realpath(path)
        if real in includers and real not in given:
            skipped = [*skipped, Skipped(str(path), f"included by {includers[real]}", expected=True)]
        elif isinstance(kb, KnowledgeBaseError):
            problems.extend(kb.problems)
        else:
            kept.append((path, kb))
    if problems:
        raise KnowledgeBaseError(problems)
    unnamed = [path for path, kb in kept if kb.name is None]
    derived = iter(member_names(unnamed))  # stems, told apart by their folders (the named ones aside)
    names = [kb.name if kb.name is not None else next(derived) for _, kb in kept]
    first: dict[str, str] = {}
    for name, (path, _) in zip(names, kept, strict=True):
        if name in first:
            raise UsageError(f"two knowledge bases of the library are called {name!r}: {first[name]} and {path}"
                             f" (give one of them another 'name:' at its top)")
        first[name] = str(path)
    return [Member(name, kb.path, kb) for name, (_, kb) in zip(names, kept, strict=True)], skipped


def _explained(skipped: list[Skipped], members: list[Member]) -> list[Skipped]:
    """The skipped files that are a member's source text, said so (and marked expected)."""
    sources: dict[str, str] = {}
    for member in members:
        for source in member.kb.sources:
            path = source_path(member.kb, source)
            if path is not None:
                sources.setdefault(realpath(path), f"the text of source {source.id!r} of {member.name}")
    return [
        Skipped(s.path, sources[key], expected=True) if (key := realpath(s.path)) in sources else s
        for s in skipped
    ]

