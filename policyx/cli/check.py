"""`policyx check`: validate a knowledge base, quotes included."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from ..kb.errors import ExitCode, KnowledgeBaseError, Problem
from ..kb.model import KnowledgeBase
from .params import options
from .runtime import say, write
from .session import session_of

app = typer.Typer()


def _complete_check_format(incomplete: str) -> list[str]:
    from ..output.registry import format_names

    return [f for f in format_names("check") if f.startswith(incomplete)]


@app.command("check", short_help="Validate a knowledge base, every quote against its source.")
@options()
def check_command(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(help="Knowledge base to check (default: the active one).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", autocompletion=_complete_check_format,
                          help="text (messages on stderr) or json (one document on stdout, for CI).")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite each quote that nearly matches one passage of its "
                                      "source to the source's exact words; print the diff.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --fix: print the diff, change nothing.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Check again each time the file or a source is saved "
                                        "(Ctrl-C to stop).")] = False,
) -> None:
    """Validate a knowledge base: schema, references, unique ids, every quote verbatim in its source.

    Examples:

      policyx check

      policyx check my-debate.yaml --format json

      policyx check my-debate.yaml --fix --dry-run

      policyx check my-debate.yaml --watch
    """
    from ..output.registry import find_format

    chosen = find_format(fmt, "check").name
    if (fix or dry_run) and (chosen == "json" or watch):
        raise typer.BadParameter("--fix prints a diff and rewrites the file: use it without --format json and "
                                 "--watch", param_hint="--fix")
    kb_path = Path(path) if path else session_of(ctx).kb_path
    if fix or dry_run:
        from .author import fix_quotes

        fix_quotes(kb_path, dry_run)
    if watch:
        from . import watching

        watched = [kb_path]  # the file, then also the sources it names

        def run() -> None:
            watched[:] = check_once(kb_path, chosen, strict)[1]

        say(f"watching {kb_path} and its sources (Ctrl-C to stop)")
        watching.watch(lambda: watching.stamp(watched), run,
                       changed=lambda: say(f"\n{kb_path} or one of its sources changed: checking again"))
        return
    if not check_once(kb_path, chosen, strict)[0]:
        raise typer.Exit(ExitCode.INVALID_KB)


def check_once(kb_path: Path, chosen: str, strict: bool) -> tuple[bool, list[Path]]:
    """Check the file and print the report: whether it passed, and the files it read."""
    from ..kb.check import check as check_kb
    from ..kb.load import comment_cuts, load, locate_entries, read_source_text, source_path
    from ..output.registry import render_report
    from ..output.report import Report

    kb: KnowledgeBase | None
    problems: list[Problem]
    not_shown = 0  # errors beyond the reporting cap: counted, not listed
    try:
        kb = load(kb_path)  # never the cache: check reads the file itself
    except KnowledgeBaseError as exc:
        kb, problems, not_shown = None, exc.problems, exc.not_shown
    else:
        problems = locate_entries(kb, check_kb(kb, partial(read_source_text, kb))) + comment_cuts(kb)
        # file order; problems of the whole file (no line) last, after those an author can go to
        problems.sort(key=lambda p: (p.line is None, p.line or 0, p.column or 0))
    report = Report(str(kb_path), kb, problems, not_shown=not_shown, strict=strict)
    text = render_report(chosen, report)
    if chosen == "text":
        say(text)
    else:
        write(text)
    read = [kb_path] + ([p for p in (source_path(kb, s) for s in kb.sources) if p is not None] if kb else [])
    return report.ok, read
