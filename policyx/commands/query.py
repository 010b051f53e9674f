"""Read commands: list (the query issue adds show, search, compare)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cli import app, state, write
from ..model import Kind
from ..records import RECORD_FIELDS, to_record
from ..render import FORMATS, Listing, render


@app.command("list")
def list_command(
    ctx: typer.Context,
    collection: Annotated[Kind, typer.Argument(help="What to list.")] = Kind.POSITIONS,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format.")] = "plain",
) -> None:
    """List entries of one collection."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    kb = state(ctx).kb()
    records = [to_record(e) for e in kb.collection(collection)]
    write(render(fmt, Listing(records, RECORD_FIELDS[collection])))
