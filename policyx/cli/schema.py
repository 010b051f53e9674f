"""`policyx schema`: print the JSON Schema of a knowledge base file."""

from __future__ import annotations

import typer

from ..kb.jsonschema import schema_text
from .options import SUMMARIES
from .params import takes
from .runtime import write

app = typer.Typer()


@app.command("schema", short_help=SUMMARIES["schema"])
@takes("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of a knowledge base file, for editors and CI.

    Examples:

      policyx schema > positions.schema.json

    Then put this first line in a knowledge base to have the editor validate it while you type:

      # yaml-language-server: $schema=positions.schema.json
    """
    write(schema_text())
