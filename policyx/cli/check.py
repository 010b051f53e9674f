"""`policyx check`: validate a knowledge base, quotes included."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from ..kb.check import check as check_kb
from ..kb.errors import ExitCode, KnowledgeBaseError, Problem
from ..kb.load import comment_cuts, load, locate_entries, read_source_text
from ..kb.model import Kind, KnowledgeBase
from ..output.cells import terminal_text
from .app import app, say, state, write


@app.command("check", short_help="Validate a knowledge base, every quote against its source.")
def check_command(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(help="Knowledge base to check (default: the active one).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json (for CI).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Validate a knowledge base: schema, references, unique ids, every quote verbatim in its source.

    Examples:

      policyx check

      policyx check my-debate.yaml --format json
    """
    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"{fmt!r} is not one of text, json", param_hint="--format")
    kb_path = Path(path) if path else state(ctx).kb_path
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
    # the line saying how many were not shown is no error of its own
    error_count = sum(p.severity == "error" for p in problems) + (not_shown - 1 if not_shown else 0)
    warnings = [p for p in problems if p.severity == "warning"]
    ok = not error_count and not (strict and warnings)
    if fmt == "json":
        write(json.dumps(report(kb_path, kb, problems, ok, error_count), ensure_ascii=False, indent=2) + "\n")
    else:
        shown = terminal_text(str(kb_path))
        for problem in problems:
            say(f"{problem.severity}: {problem}")
        if kb is not None and ok:
            summary = ", ".join(f"{len(kb.collection(k))} {k.value}" for k in Kind)
            say(f"ok: {shown}: {summary}; {len(warnings)} warning(s)")
        elif kb is not None and not error_count:
            say(f"failed (--strict counts warnings): {shown}: {len(warnings)} warning(s)")
        else:
            say(f"invalid: {shown}: {error_count} error(s), {len(warnings)} warning(s)")
    if not ok:
        raise typer.Exit(ExitCode.INVALID_KB)


def report(
    path: Path, kb: KnowledgeBase | None, problems: list[Problem], ok: bool, errors: int,
) -> dict[str, Any]:
    """The ``--format json`` document (its structure is documented in README.md)."""
    return {
        "path": str(path),
        "valid": ok,
        "errors": errors,
        "warnings": sum(p.severity == "warning" for p in problems),
        "counts": {} if kb is None else {k.value: len(kb.collection(k)) for k in Kind},
        "problems": [p.as_dict() for p in problems],
    }
