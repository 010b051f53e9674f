"""A whole corpus imported as a library: one knowledge base per file given (per AIF nodeset), each
with its source texts, in one folder (``policyx import FOLDER -o corpus/``).

Linear in the data: each file is read, converted and written once, on its own (its own ids, so
there is no de-duplication across files: the library qualifies an id several files use); the
names of the files written are made unique with one set. Nothing here prints or decides about a
terminal: ``progress(done, total)`` is called after each file, and the command draws what it wants.
Every file is written by the rule of every writer (:mod:`policyx.kb.safewrite`), all judged before
the first is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePath

from ..kb import written
from ..kb.errors import KnowledgeBaseError, OutputError, UsageError, shown_path
from ..kb.safewrite import judge, write_bytes
from ..kb.struct import dataclass, field
from .common import ImportResult, Summary, fail
from .dispatch import InputFile, _sniff, decode, import_files, to_yaml, transcript_of

Progress = Callable[[int, int], None]


@dataclass
class Member:
    """One knowledge base of the library: its file name in the folder, what it came from."""

    name: str  # e.g. nodeset9.yaml
    origin: str
    result: ImportResult
    text: str  # the YAML written


@dataclass
class Corpus:
    members: list[Member] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one per file left out

    def summary_lines(self) -> list[str]:
        lines: list[str] = []
        merged = Summary()
        for member in self.members:
            merged.files.extend(member.result.summary.files)
            for kind, tally in member.result.summary.tallies.items():
                into = merged.tally(kind)
                into.read += tally.read
                for what, n in tally.became.items():
                    into.became[what] = into.became.get(what, 0) + n
                for why, n in tally.left_out.items():
                    into.left_out[why] = into.left_out.get(why, 0) + n
            merged.warnings.extend(member.result.summary.warnings)
        lines += merged.lines()
        lines += [f"note: {note}" for note in self.notes]
        return lines


def _not_argument_data(file: InputFile, stems: dict[str, list[str]]) -> str | None:
    """Why a file found in a folder is no argument data (a transcript, SADFace, a README), else None."""
    try:
        text = decode(file.name, file.data)
    except KnowledgeBaseError as exc:
        if PurePath(file.name).suffix.lower() == ".json":
            raise
        return exc.problems[0].message.removeprefix("is ") + ": no argument data policyx reads; left out"
    kind, _ = _sniff(text, file.name)
    twin = transcript_of(file.name, kind, stems)
    if twin is not None:
        return f"no argument data (the text of {PurePath(twin).name}?); left out"
    if kind == "sadface":
        return "SADFace JSON, which policyx does not read; left out"
    if kind is None:
        twin = next((n for n in stems.get(PurePath(file.name).stem, ()) if n != file.name), None)
        if twin is not None:
            return f"no argument data (the text of {PurePath(twin).name}?); left out"
        return "no argument data policyx reads; left out"
    return None


def convert_corpus(files: list[InputFile], optional: frozenset[str], fmt: str | None, title: str | None,
                   argdown_cli: str | None, progress: Progress | None = None) -> Corpus:
    """Each file given as its own knowledge base (files found in folders that hold no argument
    data are left out with a note; one given by name that holds none is an error)."""
    stems: dict[str, list[str]] = {}
    for file in files:
        if file.name in optional:
            stems.setdefault(PurePath(file.name).stem, []).append(file.name)
    corpus = Corpus()
    used: set[str] = set()
    for done, file in enumerate(files, 1):
        why = _not_argument_data(file, stems) if file.name in optional and fmt is None else None
        if why is not None:
            corpus.notes.append(f"{file.name}: {why}")
        else:
            stem = _unique(PurePath(file.name).stem, used)
            result = import_files([file], fmt, title, f"{stem}-sources", argdown_cli, optional)
            name = f"{stem}.yaml"
            corpus.members.append(Member(name, file.name, result, to_yaml(result, [file.name], name)))
        if progress is not None:
            progress(done, len(files))
    if not corpus.members:
        raise fail("the files given", "hold no argument data policyx reads (AIF, Argdown, Kialo, arggraph XML,"
                   " Carneades YAML)", "give AIF .json files, .argdown documents, Kialo exports, arggraph .xml or"
                   " Carneades .yml files")
    return corpus


def _unique(stem: str, used: set[str]) -> str:
    """A file name stem no other member has (``a`` from a.json and a.argdown: ``a`` and ``a-2``), in O(1)."""
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).strip(".") or "debate"
    candidate, n = name, 1
    while candidate.lower() in used or candidate.lower().endswith("-sources"):
        n += 1
        candidate = f"{name}-{n}"
    used.add(candidate.lower())
    return candidate


def _targets(corpus: Corpus, folder: Path) -> dict[Path, tuple[bytes, str]]:
    """Every file the library is made of: its path, bytes and what it is (for messages)."""
    targets: dict[Path, tuple[bytes, str]] = {}
    for member in corpus.members:
        for name, text in member.result.sources.items():
            targets[folder / name] = (text.encode("utf-8"), "source text")
        targets[folder / member.name] = (member.text.encode("utf-8"), "knowledge base")
    return targets


def check_folder(corpus: Corpus, folder: Path, force: bool) -> None:
    """Refuse, before anything is written, what the import may not replace: the folder or a
    sources folder that is a link; a file that policyx did not write (or that changed since); a
    link anywhere in the folder; anything else in the folder that an earlier import did not write."""
    info = _lstat(folder)
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise UsageError(f"--output {shown_path(folder)} is a symbolic link; policyx never writes through a link:"
                         " give the folder itself, or another --output")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--output {shown_path(folder)} exists and is not a folder: give a folder for a library"
                         " (or a name ending in .yaml for one knowledge base)")
    targets = _targets(corpus, folder)
    if info is None:
        return
    subfolders = {path.parent for path in targets if path.parent != folder}
    for sub in sorted(subfolders):
        sub_info = _lstat(sub)
        if sub_info is not None and not stat.S_ISDIR(sub_info.st_mode):
            raise UsageError(f"{shown_path(sub)} is {'a symbolic link' if stat.S_ISLNK(sub_info.st_mode) else 'a file'}"
                             "; policyx writes source texts in a folder of that name and never through a link:"
                             " remove it, or give another --output")
    for path, (data, what) in targets.items():
        judge(path, force, what=what, data=data, by="import")
    for path in _existing(folder, subfolders):
        if path in targets:
            continue
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            raise UsageError(f"{shown_path(path)} is a symbolic link in the --output folder; policyx never writes"
                             " beside or through a link it did not make: remove it, or give another --output")
        if force or stat.S_ISDIR(mode):
            continue
        if not _imported(path):
            raise UsageError(f"--output {shown_path(folder)} holds {shown_path(path)}, which no earlier `policyx"
                             " import` wrote there: give an empty or new folder, or add --force to write the"
                             " library beside it")


def _existing(folder: Path, subfolders: set[Path]) -> list[Path]:
    """The entries of the folder and of the sources folders the library writes in (one level each)."""
    found: list[Path] = []
    for where in (folder, *sorted(subfolders)):
        try:
            with os.scandir(where) as entries:
                found += [Path(e.path) for e in entries]
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot list {shown_path(where)}: {exc.strerror or exc}") from None
    return found


def _imported(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return not data or written.wrote(path, data, "import")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def write_corpus(corpus: Corpus, folder: Path, force: bool = False) -> list[Path]:
    """Write the library in ``folder`` (made when missing): each knowledge base after its source
    texts, every file by the rule of every writer. Returns the files written."""
    check_folder(corpus, folder, force)
    written_paths: list[Path] = []
    made: set[Path] = set()
    for path, (data, what) in _targets(corpus, folder).items():
        if path.parent not in made:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from None
            made.add(path.parent)
        write_bytes(path, data, force=force, what=what, by="import")
        written_paths.append(path)
    return written_paths
