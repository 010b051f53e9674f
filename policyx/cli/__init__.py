"""The command line: the only package that imports Typer (and decides everything about the terminal)."""
