"""`policyx info`: which knowledge base is in use, what it holds, its cache, whether its quotes verified.

A teacher who fixes a typo in a clone must be able to see which file policyx reads (the
clone's data/ or a copy installed in site-packages) and which code runs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import typer

from .. import __version__
from ..kb.errors import KnowledgeBaseError
from ..kb.model import Kind, KnowledgeBase
from ..kb.store import cache_file
from ..output.info import render_unread
from ..output.registry import FormatKind, find_format, render
from .options import SUMMARIES
from .params import takes
from .runtime import say, write
from .session import Session, session_of, skipped_notes

app = typer.Typer()


def _origin(session: Session) -> str:
    origin = session.selection.origin
    if origin == "bundled":
        return "the bundled knowledge base"
    if origin == "--kb":
        return "given with --kb"
    if origin == "POLICYX_KB":
        return "given with $POLICYX_KB"
    project = session.project
    if project is not None and origin == str(project.path):
        return f"named by the project file {os.path.abspath(project.path)}, the nearest above the current folder"
    return f"the library of {origin}"


def _absolute(path: str | None) -> str | None:
    """info says where a file is wherever it is run from: absolute paths."""
    return None if path is None else os.path.abspath(path)


def _project(session: Session) -> dict[str, Any] | None:
    """The project file found (policyx.toml), whether or not it chose the knowledge base."""
    project = session.project
    if project is None:
        return None
    used = session.selection.origin == str(project.path)
    return {"file": os.path.abspath(project.path), "kb": [os.path.abspath(p) for p in project.kb],
            "sources": None if project.sources is None else os.path.abspath(project.sources),
            "used": used, "why": "" if used else f"{_origin(session)} wins over it"}


def _cache(session: Session, path: Path) -> dict[str, Any]:
    if not session.use_cache:
        return {"file": None, "state": "not used (--no-cache)"}
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = False
    if not regular:
        return {"file": None, "state": "not used (the knowledge base is not a regular file)"}
    where = cache_file(path)
    if where is None:
        return {"file": None, "state": "not used (no cache folder of one's own can be had)"}
    # the knowledge base was just opened through the cache: it was read from there, or written
    state = "current" if where.is_file() else "not written (the cache folder cannot be used)"
    return {"file": str(where), "state": state}


def _files(session: Session, kb: KnowledgeBase) -> list[Path]:
    """The knowledge base files in use: the library's members, or the one file."""
    members = getattr(kb, "members", None)
    if members:
        return [Path(m.path) for m in members]
    return [Path(session.selection.paths[0])]


def _where(session: Session, files: list[Path]) -> dict[str, Any]:
    """Which files are in use and what chose them (known before they are read)."""
    return {
        "path": ", ".join(os.path.abspath(path) for path in files),
        "origin": _origin(session),
        "project": _project(session),
        "sources": _absolute(session.sources_folder()),
        "sources_missing": session.missing_sources() is not None,  # a folder named that is not one
    }


def info(session: Session) -> dict[str, Any]:
    """What ``policyx info`` reports, as data (its ``--format json``)."""
    kb = session.kb()
    files = _files(session, kb)
    check = kb.quotes
    package = Path(__file__).resolve().parent.parent
    return {
        **_where(session, files),
        "title": kb.title,
        "counts": {k.value: len(kb.collection(k)) for k in Kind},
        "quotes": None if check is None else {
            "verbatim": check.verbatim,
            "not_verbatim": [{"entry": e, "field": f, "problem": m} for e, f, m in check.not_verbatim],
            "unchecked": [{"source": s, "why": why} for s, why in check.unchecked],
        },
        "cache": _cache(session, files[0]) if len(files) == 1 else [_cache(session, f) for f in files],
        "policyx": {"version": __version__, "package": str(package),
                    "installed": "site-packages" in package.parts or "dist-packages" in package.parts},
    }


@app.command("info", short_help=SUMMARIES["info"])
@takes("info")
def info_command(ctx: typer.Context, fmt: str = "text") -> None:
    """Which knowledge base is in use and what it holds: its file (and why that one),
    its counts, its cache file, whether its quotes are verbatim in their sources, and
    where the running policyx comes from.

    Examples:

      policyx info

      policyx --kb my-debate.yaml info --format json
    """
    session = session_of(ctx)
    chosen = find_format(fmt, FormatKind.INFO)
    try:
        found = info(session)
    except KnowledgeBaseError as exc:  # what was found and from where, then the problem (on stderr)
        write(render_unread(_where(session, [Path(p) for p in session.selection.paths]), str(exc), chosen.name))
        raise
    for note in skipped_notes(session.kb()):
        say(note)
    write(render(chosen, found, session.kb()), lookalikes=chosen.people)
