"""The Typer layer: parse options -> load -> query -> render -> write. Nothing else.

Commands live in :mod:`policyx.commands` modules, each registering on ``app``.
Rich is never imported here: only the table and tree renderers import it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import ExitCode, PolicyxError
from .model import KnowledgeBase

app = typer.Typer(
    name="policyx",
    help="Explore a policy debate: questions, positions, arguments for and against, and who held them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


@dataclass
class State:
    """Global options, shared by every command through ``ctx.obj``."""

    kb_option: str | None = None
    use_cache: bool = True
    color: bool | None = None  # None: decide from the terminal and environment
    _kb: KnowledgeBase | None = field(default=None, repr=False)

    @property
    def kb_path(self) -> Path:
        from .load import resolve_path

        return resolve_path(self.kb_option)

    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            from .store import open_kb

            self._kb = open_kb(self.kb_path, use_cache=self.use_cache)
        return self._kb


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"policyx {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    kb: Annotated[
        str | None,
        typer.Option(
            "--kb", metavar="PATH", help="Knowledge base file to read (default: $POLICYX_KB, else the bundled one)."
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the cache of parsed knowledge bases.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour, even on a terminal.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Explore a policy debate: questions, positions, arguments for and against, and who held them."""
    ctx.obj = State(kb_option=kb, use_cache=not no_cache, color=False if no_color else None)


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def default_format() -> str:
    """``table`` on a terminal, ``plain`` in a pipe (like gh and ripgrep)."""
    return "table" if stdout_is_terminal() else "plain"


def color_enabled(st: State) -> bool:
    """Colour only on a terminal, unless NO_COLOR / TERM=dumb / --no-color; FORCE_COLOR forces it."""
    if st.color is False:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return stdout_is_terminal()


def write(text: str) -> None:
    """Write data to stdout (messages go to stderr through :func:`say`)."""
    sys.stdout.write(text)


def say(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _register_commands() -> None:
    from .commands import check, query, schema  # noqa: F401  (registers commands on app)


def run(argv: list[str] | None = None) -> None:
    """Run the CLI as a program: quiet on broken pipes and Ctrl-C, no tracebacks."""
    _register_commands()
    code: Any = 0
    try:
        code = app(args=argv, prog_name="policyx", standalone_mode=False)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = ExitCode.INTERRUPTED
    except PolicyxError as exc:
        say(f"policyx: {exc.message}" if "\n" not in exc.message else exc.message)
        code = exc.exit_code
    except BrokenPipeError:
        code = _broken_pipe()
    except Exception as exc:  # Click's own errors: usage and aborts
        code = _click_error(exc)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _broken_pipe()
    sys.exit(code if isinstance(code, int) else 0)


def _broken_pipe() -> int:
    # The Python docs' recipe: point stdout at devnull so the interpreter's
    # final flush does not raise again, then exit quietly.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def _click_error(exc: Exception) -> int:
    from typer._click.exceptions import ClickException

    if isinstance(exc, ClickException):
        exc.show()
        return int(exc.exit_code)
    if isinstance(exc, typer.Abort):
        sys.stderr.write("\n")
        return ExitCode.INTERRUPTED
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    raise exc
