"""`policyx check`: validate a knowledge base, quotes included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..check import check as check_kb
from ..cli import app, say, state, write
from ..errors import ExitCode, KnowledgeBaseError, Problem
from ..load import load, locate_entries, read_source_text


@app.command("check")
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
    problems: list[Problem]
    try:
        kb = load(kb_path)  # never the cache: check reads the file itself
    except KnowledgeBaseError as exc:
        problems = exc.problems
        kb = None
    else:
        problems = locate_entries(kb, check_kb(kb, lambda source: read_source_text(kb, source)))
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    ok = not errors and not (strict and warnings)
    if fmt == "json":
        counts = {} if kb is None else {k.value: len(kb.collection(k)) for k in type(next(iter(kb.ids.values()))).__mro__[:0]}
        if kb is not None:
            from ..model import Kind

            counts = {k.value: len(kb.collection(k)) for k in Kind}
        write(json.dumps({
            "path": str(kb_path),
            "valid": ok,
            "errors": len(errors),
            "warnings": len(warnings),
            "counts": counts,
            "problems": [p.as_dict() for p in problems],
        }, ensure_ascii=False, indent=2) + "\n")
    else:
        for problem in problems:
            prefix = "warning: " if problem.severity == "warning" else "error: "
            say(prefix + str(problem))
        if kb is not None and ok:
            from ..model import Kind

            summary = ", ".join(f"{len(kb.collection(k))} {k.value}" for k in Kind)
            say(f"ok: {kb_path}: {summary}; {len(warnings)} warning(s)")
        else:
            say(f"invalid: {kb_path}: {len(errors)} error(s), {len(warnings)} warning(s)")
    if not ok:
        raise typer.Exit(ExitCode.INVALID_KB)
