"""`policyx diff OLD NEW`: the changes between two versions of a knowledge base."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import typer

from ..kb.errors import KnowledgeBaseError, Problem, UsageError
from ..kb.load import load_text, read_text
from ..kb.model import KnowledgeBase
from ..kb.readerrors import missing_hint
from ..kb.store import open_kb
from ..output.registry import FormatKind, find_format, render
from ..views.diff import diff_kbs
from .difflines import for_terminal, is_knowledge_base, read_plain, unified
from .options import SUMMARIES
from .output import send
from .params import takes
from .runtime import say, write
from .session import READERS, Session, session_of

app = typer.Typer()


def read_version(
    argument: str, use_cache: bool, warn: Callable[[str], None] | None = None, includes_from: str | None = None,
    sources: str | None = None,
) -> KnowledgeBase:
    """One side of a diff: a knowledge base file, ``-`` for standard input, or /dev/null for none
    at all (git passes it for a file that is added or deleted). Each file is read once, so
    pipes (``<(git show HEAD~1:data/positions.yaml)``) and FIFOs work. Quotes are not
    checked against their sources: a diff compares what the files say. ``sources`` (--sources
    DIR) is a folder the files it includes may be in, besides its own (or ``includes_from``)."""
    roots = (sources,) if sources else ()
    if argument == os.devnull:
        return KnowledgeBase(path=argument, version=1)
    path = Path("/dev/stdin" if argument == "-" else argument)
    if includes_from is not None:  # a copy elsewhere (git's temporary file, a pipe): never cached
        return load_text(read_text(path), argument, folder=includes_from, roots=roots)

    return open_kb(path, use_cache=use_cache, warn=warn, readers=READERS, roots=roots)


@app.command("diff", short_help=SUMMARIES["diff"])
@takes("diff")
def diff_command(
    ctx: typer.Context, old: str, new: str, fmt: str | None = None, label: tuple[str, ...] | None = None,
    includes_from: str | None = None,
) -> None:
    """Compare two knowledge bases entry by entry: added, removed, changed, moved, renamed.

    Entries are matched by id. Changed entries list their fields, old and
    new (long text word by word); a position with a new question or an
    argument with a new target is moved; an entry with the same claim and
    quote under a new id is renamed. Exits 0 when they are the same, 1 when
    they differ, 3 when either cannot be read (like diff).

    \b
    Examples:
      policyx diff old.yaml data/positions.yaml
      policyx diff <(git show HEAD~1:data/positions.yaml) data/positions.yaml
      policyx diff old.yaml new.yaml -f markdown > changes.md
      policyx diff old.yaml new.yaml -f json | jq '.changes[].id'
    """
    session = session_of(ctx)
    chosen = find_format(fmt, FormatKind.DIFF, terminal=session.terminal)
    labels = list(label or ())
    if len(labels) > 2:
        raise UsageError(f"--label names OLD and NEW: give it at most twice, not {len(labels)} times")
    if old == "-" and new == "-":
        raise UsageError("OLD and NEW cannot both be standard input ('-')")
    names = [*labels, *(old, new)[len(labels):]]
    versions, problems = _read_both(session, (old, new), includes_from)
    if problems:
        _other_files((old, new), (names[0], names[1]), problems, session)
    if problems:
        raise KnowledgeBaseError(problems)
    result = diff_kbs(versions[0], versions[1], names)
    text = render(chosen, result, width=session.width, color=session.color)
    if chosen.terminal:
        send(session, [text], people=chosen.people)
    elif session.terminal:
        send(session, [chosen.terminal_safe(text)], people=chosen.people)
    else:
        write(text, lookalikes=chosen.people)
    if not result.same:
        raise typer.Exit(1)


def _other_files(arguments: tuple[str, str], names: tuple[str, str], problems: list[Problem],
                 session: Session) -> None:
    """When a side that failed is no knowledge base at all (a CI workflow, a binary file) and
    both can be read again, print their ordinary unified diff and exit as diff does (0 same, 1
    different); else return, and the problems are reported."""
    data = [read_plain(argument) for argument in arguments]
    old, new = data
    if old is None or new is None:
        return
    failed = {os.path.abspath(p.path) for p in problems if p.path}
    strays = [a for a, d in zip(arguments, data, strict=True)
              if os.path.abspath(a) in failed and d is not None and not is_knowledge_base(d)]
    if not strays:
        return
    if "GIT_DIFF_PATH_COUNTER" not in session.environ:  # git's driver: the file's lines, no remark
        say(f"policyx: note: {strays[0]} is not a knowledge base (no 'version:' and none of its keys):"
            " its lines are compared")
    text = unified(old, new, (f"{names[0]}", f"{names[1]}"))
    # (in a pipe the bytes as they are, for patch; coloured under git's pager, as git's own diff)
    write(for_terminal(text, session.color) if session.terminal or session.color else text)
    raise typer.Exit(1 if text else 0)


def _read_both(
    session: Session, arguments: tuple[str, str], includes_from: str | None,
) -> tuple[list[KnowledgeBase], list[Problem]]:
    """Both versions, or every problem of either (so one run reports both files' errors)."""
    versions: list[KnowledgeBase] = []
    problems: list[Problem] = []
    for argument in arguments:
        try:
            versions.append(read_version(argument, session.use_cache, warn=say, includes_from=includes_from,
                                         sources=session.sources))
        except KnowledgeBaseError as exc:  # --kb and POLICYX_KB choose nothing here: the paths given do
            problems.extend(Problem(p.message, p.path, p.line, p.column, p.entry, "check the path"
                                    if p.hint == missing_hint() else p.hint,
                                    p.severity, p.field) for p in exc.problems)
    return versions, problems

