"""The Typer application: the global options, where each command lives, and running it.

Each command module (query, teach, quiz, check, importing, schema, info, helpcmd...) owns its own
``typer.Typer()`` and imports what it uses at its top. The root group imports a module only when
one of its commands is looked up (``WHERE``), so a run pays for the command it runs, not for all
of them; nothing imports this module back. Rich is never imported here: only the table and tree
renderers import it.
"""

from __future__ import annotations

import errno
import functools
import inspect
import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from ..kb.errors import PolicyxError
from ..kb.problems import did_you_mean
from .options import GLOBAL_OPTIONS, ROOT_OPTIONS, SUMMARIES
from .params import parameter
from .runtime import interrupted, output_error, report, run_guarded
from .session import session_of

#: where each command lives: its module in policyx.cli, in the order ``policyx --help`` lists them
#: (that of options.SUMMARIES). A module is imported when one of its commands is looked up.
WHERE = {
    "list": "query", "show": "query", "compare": "query", "search": "query", "stats": "query",
    "map": "teach", "export": "teach", "quiz": "quiz", "check": "check", "init": "author", "quote": "author",
    "import": "importing", "schema": "schema", "info": "info", "diff": "diff", "standing": "standing",
    "explore": "explore", "help": "helpcmd",
}


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands by name, each module's built the first time one of its commands
    is asked for. Its keys are known without importing anything (Click's did-you-mean reads them)."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in WHERE:
                raise KeyError(name)
            # Lazy boundary: the command modules themselves (each imports its own dependencies)
            module = import_module(f"{__package__}.{WHERE[name]}")
            for info in module.app.registered_commands:
                command = typer.main.get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                                         rich_markup_mode=None)
                _plain_arguments(command)
                self._built[str(command.name)] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise KeyError(name)  # pragma: no cover - the table is fixed

    def __iter__(self) -> Iterator[str]:
        return iter(WHERE)

    def __len__(self) -> int:
        return len(WHERE)


class RootGroup(TyperGroup):
    """policyx's root group: the commands of ``WHERE``, each loaded when it is looked up."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(WHERE)  # (Typer's reads every command, which would import every module)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands in ``--help``, from the summaries: no command module is imported to
        show it (each command's short help is its summary, which Click shows whole)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, SUMMARIES[name]) for name in self.list_commands(ctx)])

HELP = (
    "Explore a policy debate: questions, positions, arguments for and against, and who held them."
    "\n\nThe options below may also follow the command: policyx show ID --kb PATH."
    " `policyx help COMMAND` (or COMMAND --help) shows a command's options."
    "\n\n\b\nExamples:"
    "\n  policyx list                              the positions, by question"
    "\n  policyx list arguments --against criminalize-johns"
    "\n  policyx show criminalize-johns            one entry and its argument tree"
    "\n  policyx compare criminalize-johns do-not-criminalize-johns"
    "\n  policyx search victim resources"
    "\n  policyx map criminalizing-johns           the debate as a tree"
    "\n  policyx export -f markdown -o handout.md  a printable handout"
    "\n  policyx quiz --count 10"
    "\n  policyx check my-debate.yaml              validate your own knowledge base"
    "\n  policyx --kb my-debate.yaml list          read it"
)

app = typer.Typer(
    name="policyx",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    cls=RootGroup,
)


def _callback_signature() -> inspect.Signature:
    ctx = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    # the global options set the Session by their callbacks, as when they follow a command's name;
    # the root's own (--version) act at once
    return inspect.Signature([ctx, *(parameter(o, global_=True) for o in GLOBAL_OPTIONS),
                              *(parameter(o) for o in ROOT_OPTIONS)])


def main_options(ctx: typer.Context, **given: Any) -> None:
    """Explore a policy debate: questions, positions, arguments for and against, and who held them."""
    session_of(ctx)  # the run's Session, even when no global option was given


main_options.__signature__ = _callback_signature()  # type: ignore[attr-defined]
main_options.__annotations__ = {p.name: p.annotation for p in main_options.__signature__.parameters.values()}  # type: ignore[attr-defined]
app.callback()(main_options)


@functools.cache
def command() -> Any:
    """The Click command Typer builds from ``app`` (its commands built when first looked up).
    Built once per process (a program runs once; the tests run thousands of command lines in one
    process, and building it took about 25 ms each time); Click keeps no state of a run in the
    command."""
    group = typer.main.get_command(app)
    _plain_arguments(group)
    return group


def _plain_arguments(command: Any) -> None:
    """Help in policyx's words: Typer 0.29 labels every argument with its Python type
    (``[QUESTION] <str>``), which says nothing to a reader of --help, so arguments show their
    metavar alone, as on Typer 0.28, and usage lines show it as the option table writes it."""
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        if hasattr(param, "display_type_rich"):  # Typer 0.29
            param.display_type_rich = lambda ctx: ""
        if param.metavar:  # the table's metavar says it all ([PATH], ID...): not [[PATH]], {ID...}...
            param.get_usage_pieces = lambda ctx, shown=param.metavar: [shown]


def run(argv: list[str] | None = None) -> None:
    """Run the CLI as a program: quiet on broken pipes and Ctrl-C, no tracebacks."""
    def body() -> int:
        try:
            code = command()(args=argv, prog_name="policyx", standalone_mode=False)
        except (KeyboardInterrupt, PolicyxError, BrokenPipeError):
            raise  # run_guarded's to handle, as on the fast path
        except Exception as exc:  # Click's own errors: usage and aborts
            return _click_error(exc)
        return code if isinstance(code, int) else 0

    sys.exit(run_guarded(body))


def _click_error(exc: Exception) -> int:
    """Click's usage errors and exits, recognised by their public shape (Typer 0.28 and 0.29
    vendor Click in a private module, so its classes are not imported)."""
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    if isinstance(exc, typer.Abort):
        return interrupted()
    show = getattr(exc, "show", None)
    code = getattr(exc, "exit_code", None)
    if callable(show) and isinstance(code, int):  # a ClickException: usage errors, bad parameters
        _suggest_option(exc)
        show()
        return code
    if type(exc).__name__ == "Exit" and isinstance(code, int):  # Click's own Exit (help, --version)
        return code
    if type(exc).__name__ == "Abort":
        return interrupted()
    if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:  # Click writing help to a full disk
        return report(output_error(exc))
    raise exc


def _option_names(command: Any) -> list[str]:
    return [o for p in getattr(command, "params", ()) for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]


def _suggest_option(exc: Exception) -> None:
    """Click's "No such option" suggests any option within a loose distance, dashes
    included (``--match`` on search got ``--format``, ``--stance`` got ``--tag``). Reword
    it: the command's one closest option by the same measure as every other did-you-mean,
    else the commands that do have the option."""
    name = getattr(exc, "option_name", None)
    ctx = getattr(exc, "ctx", None)
    if not isinstance(name, str) or not name.startswith("--") or ctx is None or not hasattr(exc, "possibilities"):
        return
    known = {o.lstrip("-"): o for o in _option_names(ctx.command)}
    hint = did_you_mean(name.lstrip("-"), known)
    if hint:
        closest = hint.split("'")[1]
        note = f" (did you mean {known[closest]}?)"
    else:
        group = ctx.find_root().command
        others = [f"policyx {n}" for n, c in getattr(group, "commands", {}).items()
                  if c is not ctx.command and name in _option_names(c)]
        note = f" (it is an option of {' and '.join(others)})" if others else ""
    # Click's NoSuchOption (its class is private to Typer): its public attributes, set by name
    setattr(exc, "possibilities", None)  # noqa: B010
    setattr(exc, "message", f"No such option: {name}{note}")  # noqa: B010


#: errors of writing the output (help text included): a full disk or quota, a closed descriptor
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF") if hasattr(errno, name)
)
