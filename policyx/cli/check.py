"""`policyx check`: validate a knowledge base, quotes included."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import typer

from ..kb.check import cap_problems
from ..kb.check import check as check_kb
from ..kb.errors import KnowledgeBaseError, Problem, shown_path
from ..kb.libfolders import SUFFIXES, expand, realpath
from ..kb.libopen import include_roots, no_knowledge_base, not_argument_data, source_texts
from ..kb.load import comment_cuts, load, locate_entries, read_source_text, read_text, source_path
from ..kb.model import KnowledgeBase
from ..kb.store import open_kb
from ..output.registry import Format, FormatKind, find_format, formats, render
from ..output.report import Report
from . import watching
from .author import fix_quotes
from .options import SUMMARIES
from .params import takes
from .runtime import ExitCode, say, write
from .schemafix import fix_schema
from .selection import retold
from .session import READERS, session_of
from .watching import fit, message_width

#: how the problems of a file that cannot be read are worded for where its path came from
Told = Callable[[list[Problem]], list[Problem]]

app = typer.Typer()


@app.command("check", short_help=SUMMARIES["check"])
@takes("check")
def check_command(
    ctx: typer.Context,
    path: str | None = None,
    fmt: str = "text",
    strict: bool = False,
    fix: bool = False,
    dry_run: bool = False,
    watch: bool = False,
    force: bool = False,
) -> None:
    """Validate a knowledge base: schema, references, unique ids, every quote verbatim in its source.

    A library (a folder, several --kb) is checked file by file; with --format
    json the reports are one JSON array.

    Examples:

      policyx check

      policyx check my-debate.yaml --format json

      policyx check my-debate.yaml --fix --dry-run

      policyx check my-debate.yaml --watch

      policyx check my-debate.yaml --format github
    """
    chosen = find_format(fmt, FormatKind.CHECK)
    if (fix or dry_run) and (chosen.document or watch):  # the diff goes to stdout, where a document goes
        documents = " or ".join(f.name for f in formats(FormatKind.CHECK).values() if f.document)
        raise typer.BadParameter(f"--fix prints a diff and rewrites the file: use it without --format {documents}"
                                 " and --watch", param_hint="--fix")
    if force and not fix:
        raise typer.BadParameter("--force goes with --fix (it lets --fix rewrite a read-only, hard-linked or linked"
                                 " file)", param_hint="--force")
    given = [Path(path)] if path else list(session_of(ctx).selection.paths)
    told: Told = partial(retold, selection=None if path else session_of(ctx).selection)  # not --kb's hint for PATH
    files = _files(given, session_of(ctx).sources_folder())
    if (fix or dry_run or watch) and len(files) > 1:
        raise typer.BadParameter("--fix and --watch work on one knowledge base: give the path of its file",
                                 param_hint="--fix" if fix or dry_run else "--watch")
    terminal = session_of(ctx).terminal  # JSON reports on a terminal are escaped, as every data format
    sources = session_of(ctx).sources_folder()  # --sources, else the project file's
    missing = session_of(ctx).missing_sources()
    if missing is not None:
        say(f"warning: {missing}")
    if len(files) > 1:
        if not check_library(files, chosen, strict, terminal, sources, include_roots(given, sources), told):
            raise typer.Exit(ExitCode.INVALID_KB)
        return
    kb_path = files[0]
    if fix or dry_run or watch:
        _a_file(kb_path, "--fix" if fix or dry_run else "--watch")
    if fix or dry_run:
        fix_schema(kb_path, dry_run, force)  # misspelt ids and choices first: quotes need a file that loads
        fix_quotes(kb_path, dry_run, force)
    if watch:
        watched = [kb_path]  # the file, then also the sources it names

        def run() -> None:
            watched[:] = check_once(kb_path, chosen, strict, terminal, sources, told)[1]

        say(watching.fit(watching.heading(kb_path, first=True), watching.message_width()))
        watching.watch(lambda: watching.stamp(watched), run, changed=lambda: _separate(kb_path))
        return
    if not check_once(kb_path, chosen, strict, terminal, sources, told)[0]:
        raise typer.Exit(ExitCode.INVALID_KB)


def _a_file(kb_path: Path, option: str) -> None:
    """Refuse a pipe, a device or a socket (``/dev/stdin``) before anything reads it: --fix reads
    the file twice and rewrites it in place, --watch waits for it to change; a stream can do
    neither (its text would be gone after the first read). A missing file is check's to report."""
    try:
        mode = os.stat(kb_path).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "no regular file"
        raise typer.BadParameter(f"{option} works on a knowledge base file, and {shown_path(kb_path)} is {what}:"
                                 " save it to a file and give that", param_hint=option)


def _separate(kb_path: Path) -> None:
    """Between two runs of check --watch: a cleared screen on a terminal (else an empty line),
    then a line with the time, so that each run's messages stand apart."""
    if watching.clears() and sys.stderr is not None:
        try:
            sys.stderr.write("\x1b[H\x1b[2J")
        except (OSError, ValueError):
            pass
    else:
        say("")
    say(watching.fit(watching.heading(kb_path), watching.message_width()))


def _files(given: list[Path], sources: str | None = None) -> list[Path]:
    """The knowledge base files of ``given`` (folders: theirs, recursively, of every format a
    library reads: YAML, AIF, Argdown, Kialo, arggraph); a folder without any is the error a
    library gives. As a library does, a folder's file of another format that is a knowledge
    base's source text is not checked as one, nor is one that is no argument data (a note
    says so)."""
    files = expand(given, foreign=True)[0]
    named = {realpath(p) for p in given if not p.is_dir()}
    foreign = [p for p in files if p.suffix.lower() not in SUFFIXES and realpath(p) not in named]
    if foreign:
        roots = include_roots(given, sources)
        kbs = []
        for kb_path in files:
            if kb_path.suffix.lower() in SUFFIXES:
                try:
                    kbs.append(open_kb(kb_path, readers=READERS, roots=roots))
                except KnowledgeBaseError:
                    pass  # its own report says why
        texts = source_texts(kbs)
        left_out: set[Path] = set()
        for other in foreign:
            reason = texts.get(realpath(other)) or not_argument_data(other, READERS)
            if reason is not None:
                left_out.add(other)
                if realpath(other) not in texts:
                    say(f"policyx: note: skipped {other} ({reason})")
        files = [p for p in files if p not in left_out]
    if not files:
        raise no_knowledge_base(given)
    return files


def check_library(files: list[Path], chosen: Format, strict: bool, terminal: bool = False,
                  sources: str | None = None, roots: tuple[str, ...] = (), told: Told = list) -> bool:
    """Check every file and print the reports (json: one array); whether all passed. A folder's
    files that another includes are checked as part of it (as a library skips them)."""
    reports = [_report(kb_path, strict, sources, roots, told)[0] for kb_path in files]
    included = {os.path.realpath(i.path) for r in reports if r.kb is not None for i in r.kb.includes}
    reports = [r for r in reports if os.path.realpath(r.path) not in included] or reports
    texts = [render(chosen, report) for report in reports]
    if chosen.messages:
        say("".join(texts))
    else:
        _write(chosen, "[\n" + ",\n".join(t.rstrip("\n") for t in texts) + "\n]\n", terminal)
    return all(report.ok for report in reports)


def check_once(kb_path: Path, chosen: Format, strict: bool, terminal: bool = False,
               sources: str | None = None, told: Told = list) -> tuple[bool, list[Path]]:
    """Check the file and print the report: whether it passed, and the files it read."""
    report, read = _report(kb_path, strict, sources, told=told)
    text = render(chosen, report)
    if chosen.people:  # for people (the text report): long lines wrap between words on a terminal
        say(fit(text, message_width()))
    elif chosen.messages:
        say(text)
    else:
        _write(chosen, text, terminal)
    return report.ok, read


def _write(chosen: Format, text: str, terminal: bool) -> None:
    """A report for tools: on a terminal what it would act on is escaped (JSON's own escapes), as
    in every data format; raw in a pipe or a file."""
    write(chosen.terminal_safe(text) if terminal else text)


def _yaml(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES or not path.suffix


def _report(kb_path: Path, strict: bool, sources: str | None = None,
            roots: tuple[str, ...] = (), told: Told = list) -> tuple[Report, list[Path]]:
    """What check finds in one knowledge base file, and the files it read (its sources, the
    files it includes). ``sources``: the folder --sources names; ``roots``: where included files
    may be besides the file's folder (a library's folders, --sources)."""
    kb: KnowledgeBase | None
    problems: list[Problem]
    not_shown = hidden_warnings = 0  # problems beyond the reporting cap: counted, not listed
    try:
        # never the cache: check reads the file itself, once (a pipe, /dev/stdin, gives its text only once)
        text = read_text(kb_path)
        kb = load(kb_path, text, readers=READERS, roots=roots or ((sources,) if sources else ()))
    except KnowledgeBaseError as exc:
        kb, problems, not_shown = None, told(exc.problems), exc.not_shown
    else:
        found = check_kb(kb, partial(read_source_text, kb, sources=sources))
        # lines are found in YAML; another format's entries were made from it: their ids say where
        problems = locate_entries(kb, found, text) + comment_cuts(kb, text) if _yaml(kb_path) else found
        # file order; problems of the whole file (no line) last, after those an author can go to
        problems.sort(key=lambda p: (p.line is None, p.line or 0, p.column or 0))
        problems, not_shown, hidden_warnings = cap_problems(problems, kb.path)
    report = Report(str(kb_path), kb, problems, not_shown=not_shown, hidden_warnings=hidden_warnings,
                    strict=strict)
    read = [kb_path]
    if kb is not None:
        read += [p for p in (source_path(kb, s) for s in kb.sources) if p is not None]
        read += [Path(include.path) for include in kb.includes]
    return report, read
