"""``include:``: actors and legal models shared by several knowledge bases, in a file of their own.

A course's sessions share their speakers, a research group's hearings their legal
models: a file that holds only ``actors`` and ``models`` (and ``version: 1``) is
written once and named by each knowledge base that uses it::

    version: 1
    include: [../shared/people.yaml]

Paths are relative to the including file's folder. An included file may include
others in turn; each file is read once however often it is reached (a diamond),
and a file that includes itself, directly or not, is an error at the include
that closes the cycle. A missing file, or one that cannot be read, is an error
at its ``include:`` line; a mistake inside an included file is located in that
file. Its entries come first in the including knowledge base's ``actors`` and
``models``; an id both files use is a duplicate, as within one file.

Included files are confined as sources' texts are: only a regular file inside the
knowledge base's folder (or a folder the caller allows: ``--sources DIR``, a
library's folder) is read, links followed and where they lead checked again; a
device, a FIFO or a socket is refused without waiting on it. Includes nest at most
``schema.MAX_INCLUDE_DEPTH`` deep and name at most ``schema.MAX_INCLUDES`` files.
"""

from __future__ import annotations

import os

from . import schema
from .errors import KnowledgeBaseError, Problem
from .hints import option
from .model import Include, Kind, KnowledgeBase
from .problems import PathKey

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from .validate import Validator

#: the collections an included file gives
SHARED_KINDS: tuple[Kind, ...] = (Kind.ACTORS, Kind.MODELS)


class Included:
    """What the includes of one file give: their entries, the files, and their problems."""

    def __init__(self) -> None:
        #: id -> (collection, file it comes from), for the including file's validator
        self.given: dict[str, tuple[Kind, str]] = {}
        self.entries: dict[Kind, list[Any]] = {kind: [] for kind in SHARED_KINDS}
        #: every file read, each once (the included files' own includes first)
        self.files: list[Include] = []
        #: problems inside the included files (located in them)
        self.problems: list[Problem] = []
        #: real paths of the files read
        self.read: set[str] = set()
        #: an include could not be read (missing, a cycle, a mistake in it): what it would
        #: have given is unknown, so references to actors and models are not checked
        self.failed = False
        self._origin: dict[str, str] = {}  # id -> real path of the file that holds it

    def add(self, kb: KnowledgeBase, validator: Validator, where: PathKey) -> None:
        """The entries of one included file, built (with what it includes in its entries)."""
        holder = {i: include.path for include in kb.includes for i in include.ids}
        own = tuple(e.id for kind in SHARED_KINDS for e in kb.collection(kind) if e.id not in holder)
        for include in (*kb.includes, Include(kb.path, own)):
            real = os.path.realpath(include.path)
            if real not in self.read:
                self.read.add(real)
                self.files.append(include)
        for kind in SHARED_KINDS:
            for entry in kb.collection(kind):
                shown = holder.get(entry.id, kb.path)
                real = os.path.realpath(shown)
                if entry.id not in self.given:
                    self.given[entry.id] = (kind, shown)
                    self._origin[entry.id] = real
                    self.entries[kind].append(entry)
                elif self._origin[entry.id] != real:  # the same file reached twice gives the same entries
                    validator.problem(where, f"include {kb.path!r}: {kind.singular} {entry.id!r} is also in "
                                      f"{self.given[entry.id][1]}", hint="an id may be in one included file only")


class Walk:
    """The includes of one load: the folders they may be in, how many files were read, and
    each file's knowledge base (or failure) once, however often it is reached."""

    def __init__(self, folder: str, roots: Iterable[str | os.PathLike[str]] = ()) -> None:
        #: real paths of the folders an included file must be inside
        self.folders = list(dict.fromkeys([os.path.realpath(folder or "."), *(os.path.realpath(r) for r in roots)]))
        self.count = 0
        self.built: dict[str, KnowledgeBase | None] = {}  # None: it failed (its problems were reported)

    def allows(self, real: str) -> bool:
        return any(inside(real, folder) for folder in self.folders)


def includes_allowed(kb: KnowledgeBase, path: str, roots: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether the files ``kb`` (the file at ``path``) includes are all where a load with
    ``roots`` allows them (for a cached knowledge base)."""
    walk = Walk(os.path.dirname(path), roots)
    return all(walk.allows(os.path.realpath(include.path)) for include in kb.includes)


def inside(path: str, folder: str) -> bool:
    """Whether the real path ``path`` is ``folder`` or in it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def read_includes(
    value: Any, path: str, validator: Validator, chain: tuple[str, ...],
    read: Callable[[str, str], str], make: Callable[[str, str, tuple[str, ...], Walk], KnowledgeBase],
    folder: str | None = None, walk: Walk | None = None, roots: Iterable[str | os.PathLike[str]] = (),
) -> Included:
    """The files ``include:`` (``value``) names in the file at ``path``; ``chain`` holds the
    real paths of the files that include this one (and its own), to find cycles. ``read``
    gives a file's text (real path, path as shown) and ``make`` (text, path, chain, walk)
    its knowledge base (the loader's); ``folder`` is where the paths are relative to (default:
    ``path``'s folder). ``walk`` is the load's (None: this is the top file, whose folder and
    ``roots`` are where included files may be)."""
    found = Included()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        validator.problem(("include",), "'include' must be a path or a list of paths",
                          hint="e.g. 'include: [shared/people.yaml]', relative to this file's folder")
        found.failed = True
        return found
    folder = os.path.dirname(path) if folder is None else folder
    if walk is None:
        walk = Walk(folder, roots)
    relative = (f"the path is relative to {folder or '.'}, the folder of {path}"
                if folder != os.path.dirname(path) else f"the path is relative to the folder of {path}")

    def refuse(where: PathKey, message: str, hint: str) -> None:
        validator.problem(where, message, hint=hint)
        found.failed = True

    for index, item in enumerate(items):
        where: PathKey = ("include",) if isinstance(value, str) else ("include", index)
        if "\0" in item:  # no file has such a name (and the system refuses to look one up)
            refuse(where, f"include {item!r} holds a NUL character, which no file name can", "fix the path")
            continue
        shown = os.path.normpath(os.path.join(folder, item))
        real = os.path.realpath(shown)
        if real in found.read:  # reached twice (a diamond): once is enough
            continue
        if real in chain:
            cycle = " -> ".join([*(_name(p) for p in chain[chain.index(real):]), _name(real)])
            refuse(where, f"include {item!r} makes a cycle: {cycle}",
                   "a file cannot include itself, directly or through others: remove one include")
            continue
        if len(chain) > schema.MAX_INCLUDE_DEPTH:
            refuse(where, f"include {item!r} is more than {schema.MAX_INCLUDE_DEPTH} includes deep",
                   "include the shared files from the knowledge base itself, not through a long chain")
            continue
        if not walk.allows(real):
            others = f" and the other folders allowed (the library's, {option('sources')})"
            refuse(where, f"include {item!r}: {shown} is outside the knowledge base's folder"
                   + (others if len(walk.folders) > 1 else "")
                   + ", so it is not read",
                   "keep shared files in the knowledge base's folder or below it, or give the folder that"
                   f" holds them with {option('sources')} DIR")
            continue
        if real in walk.built:  # reached before, through another file: its entries (or its failure) again
            kb = walk.built[real]
            if kb is None:
                found.failed = True
            else:
                found.add(kb, validator, where)
            continue
        walk.count += 1
        if walk.count > schema.MAX_INCLUDES:
            refuse(where, f"include {item!r}: more than {schema.MAX_INCLUDES} files are included",
                   "gather the shared actors and models in fewer files")
            continue
        try:
            text = read(real, shown)
        except KnowledgeBaseError as exc:
            problem = exc.problems[0]
            refuse(where, f"include {item!r}: {shown}: {problem.message}", relative)
            walk.built[real] = None
            continue
        try:
            built = make(text, shown, (*chain, real), walk)
        except KnowledgeBaseError as exc:
            found.problems.extend(exc.problems)
            found.failed = True
            walk.built[real] = None
            continue
        walk.built[real] = built
        found.add(built, validator, where)
    return found


def _name(real: str) -> str:
    return os.path.basename(real)
