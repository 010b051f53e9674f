"""The Typer layer: parse options -> load -> query -> render -> write. Nothing else.

Commands live in the other modules of this package, each registering on ``app``.
Rich is never imported here: only the table and tree renderers import it.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from typer._click.core import Command, Context
from typer.core import TyperGroup, TyperOption

from .. import __version__
from ..kb.errors import PolicyxError
from ..kb.model import KnowledgeBase
from .runtime import interrupted, run_guarded
from .runtime import say as say  # re-exported: commands import these from cli
from .runtime import stdout_is_terminal as stdout_is_terminal
from .runtime import write as write


def _set_kb(ctx: typer.Context, _param: object, value: str | None) -> None:
    if value is not None:
        state(ctx).kb_option = value


def _set_no_cache(ctx: typer.Context, _param: object, value: bool) -> None:
    if value:
        state(ctx).use_cache = False


def _set_no_color(ctx: typer.Context, _param: object, value: bool) -> None:
    if value:
        state(ctx).color = False


class GlobalOptionsGroup(TyperGroup):
    """Also accepts the global options after the command's name.

    Teachers hand out aliases (``alias johns='policyx compare A B'``) and the
    README promises that options compose with them in any order, so
    ``johns --kb mine.yaml`` must work as ``policyx --kb mine.yaml compare A B``
    does. Each command gets the global options as hidden options that set the
    same State (the later one, after the command, wins, as Click does).
    """

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not any(p.name == "global_kb" for p in command.params):
            command.params.extend([
                TyperOption(param_decls=["--kb", "global_kb"], metavar="PATH", hidden=True,
                            expose_value=False, callback=_set_kb),
                TyperOption(param_decls=["--no-cache", "global_no_cache"], is_flag=True, default=False,
                            hidden=True, expose_value=False, callback=_set_no_cache),
                TyperOption(param_decls=["--no-color", "global_no_color"], is_flag=True, default=False,
                            hidden=True, expose_value=False, callback=_set_no_color),
            ])
        return command


app = typer.Typer(
    name="policyx",
    cls=GlobalOptionsGroup,
    help="Explore a policy debate: questions, positions, arguments for and against, and who held them."
    "\n\n--kb, --no-cache and --no-color may also follow the command: policyx show ID --kb PATH.",
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
        from ..kb.load import resolve_path

        return resolve_path(self.kb_option)

    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            from ..kb.store import open_kb

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
        write(f"policyx {__version__}\n")
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


def _register_commands() -> None:
    from . import check, query, schema, teach  # noqa: F401  (registers commands on app)


def run(argv: list[str] | None = None) -> None:
    """Run the CLI as a program: quiet on broken pipes and Ctrl-C, no tracebacks."""
    _register_commands()

    def body() -> int:
        try:
            code = app(args=argv, prog_name="policyx", standalone_mode=False)
        except (KeyboardInterrupt, PolicyxError, BrokenPipeError):
            raise  # run_guarded's to handle, as on the fast path
        except Exception as exc:  # Click's own errors: usage and aborts
            return _click_error(exc)
        return code if isinstance(code, int) else 0

    sys.exit(run_guarded(body))


def _click_error(exc: Exception) -> int:
    from typer._click.exceptions import ClickException

    if isinstance(exc, ClickException):
        exc.show()
        return int(exc.exit_code)
    if isinstance(exc, typer.Abort):
        return interrupted()
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:  # Click writing help to a full disk
        from .runtime import output_error, report

        return report(output_error(exc))
    raise exc


#: errors of writing the output (help text included): a full disk or quota, a closed descriptor
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF") if hasattr(errno, name)
)
