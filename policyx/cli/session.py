"""One run's decisions about the terminal and the knowledge base, made once.

Whether stdout is a terminal, how wide it is, whether to use colour and
whether to page are decided here from the global options and the
environment, and every command (Typer's and the fast path's alike) obeys
them: no other module looks at ``isatty``, ``NO_COLOR`` or the width.
No Typer, no dataclasses, no typing at run time: the fast path imports it.
"""

from __future__ import annotations

import gc
import os
import shlex
import sys

from ..importers import read_foreign
from ..kb.errors import KnowledgeBaseError
from ..kb.hints import option, use_options, use_spellings
from .options import SPELLINGS, VARIABLES
from .runtime import is_terminal, say

#: the readers of other formats a knowledge base given to --kb may be in (AIF, Argdown, Kialo)
READERS = (read_foreign,)
#: as many arguments as make a run move its knowledge base out of the collector's sight
FREEZE_FROM = 10_000

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ..kb.libfolders import Skipped
    from ..kb.model import KnowledgeBase
    from .selection import Project, Selection

#: the pager git uses: quit if one screen, keep colours, do not clear the screen
DEFAULT_PAGER = "less -FRX"


class Session:
    """The global options of one run, and what follows from them and the environment."""

    __slots__ = ("kb_options", "use_cache", "no_color", "no_pager", "sources", "csv_safe", "environ", "_kb",
                 "_terminal", "_selection", "_project")

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        use_spellings(SPELLINGS, VARIABLES)  # what the views and the domain say of an option, spelt as the table says
        use_options(())  # a new run: printed commands repeat only its own options
        #: every --kb, in order (before and after the command's name)
        self.kb_options: tuple[str, ...] = ()
        self.use_cache = True
        self.no_color = False
        self.no_pager = False
        #: --sources DIR: a folder besides the knowledge base's own that sources' files may be in
        self.sources: str | None = None
        #: --csv-safe: formula cells of CSV and TSV neutralised for spreadsheets
        self.csv_safe = False
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self._kb: KnowledgeBase | None = None
        self._terminal: bool | None = None
        self._selection: Selection | None = None
        self._project: Project | None | bool = False  # False: not looked for yet

    def apply(self, key: str, value: Any) -> None:
        """Give the global option ``key`` (of policyx.cli.options.GLOBAL_OPTIONS) its ``value``: the
        one place they take effect, for the fast path, Typer and completion alike. Every --kb
        counts (before and after the command's name); for the others the later one wins."""
        if key == "kb":
            given = (value,) if isinstance(value, str) else tuple(value)
            self.kb_options = (*self.kb_options, *given)
        elif key == "no_cache":
            self.use_cache = not value
        else:
            setattr(self, key, value)
        if key in ("kb", "sources"):  # the commands policyx prints repeat them (policyx.kb.hints)
            use_options([*(("kb", (option("kb"), path)) for path in self.kb_options),
                         *((("sources", (option("sources"), self.sources)),) if self.sources else ())])

    # -- the terminal ------------------------------------------------------

    @property
    def terminal(self) -> bool:
        """Whether stdout is a terminal (decided once per run)."""
        if self._terminal is None:
            self._terminal = is_terminal(sys.stdout)
        return self._terminal

    @property
    def color(self) -> bool:
        """Colour and styles: on a terminal, unless --no-color, NO_COLOR or TERM=dumb;
        FORCE_COLOR turns them on even in a pipe (--no-color and NO_COLOR still win). Under
        git's pager (GIT_PAGER_IN_USE: git diff's driver, a git alias) as on a terminal, as
        git's own diff does."""
        if self.no_color or self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        if self.environ.get("TERM") == "dumb":
            return False
        return self.terminal or self.environ.get("GIT_PAGER_IN_USE", "").lower() in ("1", "true", "yes", "on")

    @property
    def width(self) -> int:
        """The terminal's width (``COLUMNS`` wins; 80 when unknown or in a pipe)."""
        columns = self.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return self._size(0, 80) if self.terminal else 80

    @property
    def help_width(self) -> int:
        """The width Typer's Rich console renders help at, where completion shows help beside
        each choice (zsh, fish): ``TERMINAL_WIDTH``, else the first terminal among stdin,
        stdout and stderr, ``COLUMNS`` winning over it; 80 when none."""
        given = self.environ.get("TERMINAL_WIDTH", "")
        if given:
            return int(given)
        width = 0
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except OSError:
                continue
            break
        columns = self.environ.get("COLUMNS", "")
        if columns.isdigit():
            width = int(columns)
        return width or 80

    @property
    def height(self) -> int:
        """The terminal's height in lines (``LINES`` wins; 24 when unknown)."""
        lines = self.environ.get("LINES", "")
        if lines.isdigit() and int(lines) > 0:
            return int(lines)
        return self._size(1, 24)

    @staticmethod
    def _size(which: int, fallback: int) -> int:
        # what shutil.get_terminal_size asks, without importing shutil (and bz2, lzma) at start-up
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            return fallback
        return size[which] or fallback

    def pager(self) -> list[str] | None:
        """The pager's command line, when long output should go through one: only when both
        stdin and stdout are terminals, never with --no-pager, PAGER= (empty) or TERM=dumb."""
        if self.no_pager or not self.terminal or not is_terminal(sys.stdin):
            return None
        if self.environ.get("TERM") == "dumb":
            return None
        command = self.environ.get("POLICYX_PAGER", self.environ.get("PAGER", DEFAULT_PAGER))

        try:
            words = shlex.split(command)
        except ValueError:
            return None
        if not words or words[0] == "cat":
            return None
        return words

    # -- the knowledge base ------------------------------------------------

    @property
    def selection(self) -> Selection:
        """The knowledge bases in use: --kb, else $POLICYX_KB, else the config file's library,
        else the bundled one (policyx.cli.selection.select)."""
        if self._selection is None:
            from .selection import select  # lazy: not for completing a command's name

            self._selection = select(self.kb_options, self.environ)
        return self._selection

    @property
    def project(self) -> Project | None:
        """The project file (policyx.toml) of the current folder or the nearest above it, if any."""
        if self._project is False:
            from .selection import find_project  # lazy: the same

            self._project = find_project(self.environ)
        return self._project if not isinstance(self._project, bool) else None

    def sources_folder(self) -> str | None:
        """The folder besides a knowledge base's own that its sources may be in: --sources,
        else the project file's ``sources``."""
        if self.sources:
            return self.sources
        project = self.project
        return str(project.sources) if project is not None and project.sources is not None else None

    def missing_sources(self) -> str | None:
        """What to say when the sources folder (--sources, else the project file's) is not a folder:
        a misspelt path there leaves every quote of a file in it unread. None when it is one, or
        when none is named."""
        folder = self.sources_folder()
        if folder is None or os.path.isdir(folder):
            return None
        project = self.project
        where = f"given with {option('sources')}" if self.sources else \
            f"named by 'sources' in {project.path if project is not None else 'policyx.toml'}"
        return (f"the sources folder {folder} ({where}) does not exist: fix the path, or the quotes of its files"
                " go unread")

    @property
    def library(self) -> bool:
        """Whether the run reads a library (several knowledge bases, or a folder)."""
        return self.selection.library

    def kb(self) -> KnowledgeBase:
        """The knowledge base in use (a merged Library when several), opened through the
        cache on first use."""
        if self._kb is None:
            try:
                self._kb = self._open(self.selection)
            except KnowledgeBaseError as exc:  # a path policyx.toml named: say so, to fix it there
                raise KnowledgeBaseError(self.selection.retold(exc.problems), exc.not_shown) from None
        return self._kb

    def _open(self, selection: Selection) -> KnowledgeBase:
        """The knowledge base(s) ``selection`` names, read (see :meth:`kb`)."""
        kb: KnowledgeBase
        if selection.library:
            from ..kb.libopen import open_library  # lazy: only a library
            from ..output.progress import progress_bar

            with progress_bar("reading the library") as advance:  # on a terminal, after a second
                library = open_library(selection.paths, use_cache=self.use_cache, warn=say, readers=READERS,
                                       sources=self.sources_folder(), progress=advance)
            kb = library
            # a file skipped is said once, by the run that first finds it; `list kbs` and
            # `info` list them all (skipped_notes)
            for skipped in library.news:
                say(_note(skipped))
        else:
            from ..kb.store import open_kb  # lazy: the cache and the model, only a run that reads one

            kb = open_kb(selection.paths[0], use_cache=self.use_cache, warn=say, readers=READERS,
                         roots=(folder,) if (folder := self.sources_folder()) else ())
        if len(kb.arguments) >= FREEZE_FROM:
            # A large knowledge base lives as long as the command: out of the cyclic
            # collector's sight, later collections do not walk it again (-10% on a query
            # of 100,000 arguments; small ones gain nothing). A process-wide decision: the
            # command line's, not the library's.
            gc.freeze()
        return kb


def skipped_notes(kb: KnowledgeBase) -> list[str]:
    """The notes on the files a library skipped, strays first (not a knowledge base), then
    the files that belong to it (a member's source text, an included file): `list kbs` and
    `info` say them (but those this run said already, finding them), other commands say only
    the strays they are the first to find."""
    said = set(getattr(kb, "news", ()))
    skipped = [s for s in getattr(kb, "skipped", ()) if s not in said]
    return [_note(s) for s in sorted(skipped, key=lambda s: bool(s.expected))]


def _note(skipped: Skipped) -> str:
    return f"policyx: note: skipped {skipped.path} ({skipped.reason})"


def session_of(ctx: object) -> Session:
    """The run's Session, kept on the root of a Click/Typer context (created on first use)."""
    root = ctx.find_root()  # type: ignore[attr-defined]
    if not isinstance(root.obj, Session):
        root.obj = Session()
    return root.obj
