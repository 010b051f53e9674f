"""Pure queries: what each command shows, as data (no printing, no Typer, no Rich)."""
