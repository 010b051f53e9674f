"""The option tables (policyx/cli/options.py) are the one definition: Typer's parameters
and the fast path's parser are built from them and must agree with them, and so with
each other."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

from policyx.cli import fast
from policyx.cli.app import app
from policyx.cli.options import GLOBAL_OPTIONS, LIST_OPTIONS, ROOT_OPTIONS, Opt

GROUP: Any = typer.main.get_command(app)


def _click_params(command: str) -> dict[tuple[str, ...], Any]:
    params = GROUP.commands[command].params
    return {tuple(sorted(p.opts)): p for p in params if getattr(p, "opts", None) and p.opts[0].startswith("-")}


@pytest.mark.parametrize("option", LIST_OPTIONS, ids=[o.key for o in LIST_OPTIONS])
def test_list_options_in_typer_are_the_table(option: Opt) -> None:
    param = _click_params("list")[tuple(sorted(option.flags))]
    assert param.name == option.key
    assert bool(param.is_flag) == option.flag
    assert bool(param.multiple) == option.multiple
    assert not param.hidden


def test_typer_list_has_no_option_the_table_lacks() -> None:
    declared = {tuple(sorted(o.flags)) for o in (*LIST_OPTIONS, *GLOBAL_OPTIONS)}
    extra = set(_click_params("list")) - declared - {("--help", "-h")}
    assert extra == set()


@pytest.mark.parametrize("command", sorted(GROUP.commands))
def test_every_command_takes_the_global_options_after_its_name(command: str) -> None:
    params = _click_params(command)
    for option in GLOBAL_OPTIONS:
        param = params[tuple(sorted(option.flags))]
        assert param.hidden and bool(param.is_flag) == option.flag and not param.expose_value


@pytest.mark.parametrize("option", GLOBAL_OPTIONS, ids=[o.key for o in GLOBAL_OPTIONS])
def test_global_options_of_the_group_are_the_table(option: Opt) -> None:
    params = {tuple(sorted(p.opts)): p for p in GROUP.params}
    param = params[tuple(sorted(option.flags))]
    assert bool(param.is_flag) == option.flag and not param.hidden


def test_the_root_has_no_option_the_tables_lack() -> None:
    """--version too comes from the table (ROOT_OPTIONS); only Click's and Typer's own are not."""
    declared = {tuple(sorted(o.flags)) for o in (*GLOBAL_OPTIONS, *ROOT_OPTIONS)}
    theirs = {("--help", "-h"), ("--install-completion",), ("--show-completion",)}
    assert {tuple(sorted(p.opts)) for p in GROUP.params} - theirs == declared


@pytest.mark.parametrize("option", ROOT_OPTIONS, ids=[o.key for o in ROOT_OPTIONS])
def test_the_root_s_own_options_act_at_once_as_the_table_says(option: Opt) -> None:
    params = {tuple(sorted(p.opts)): p for p in GROUP.params}
    param = params[tuple(sorted(option.flags))]
    assert param.is_eager and not param.expose_value and param.is_flag == option.flag
    assert param.help == option.help_text() and option.action is not None


@pytest.mark.parametrize("spelling", ROOT_OPTIONS[0].flags)
def test_version_prints_the_version_and_exits_before_any_command(spelling: str) -> None:
    from policyx import __version__
    from tests.clirun import run_cli

    for argv in ([spelling], [spelling, "list"], [spelling, "-h"]):
        done = run_cli(*argv)
        assert (done.exit_code, done.stdout, done.stderr) == (0, f"policyx {__version__}\n", ""), argv


@pytest.mark.parametrize("option", LIST_OPTIONS, ids=[o.key for o in LIST_OPTIONS])
def test_the_fast_path_parses_every_spelling_of_the_table(option: Opt) -> None:
    value = "json" if option.key == "fmt" else "x"
    for spelling in option.flags:
        argv = ["list", spelling] if option.flag else ["list", spelling, value]
        parsed = fast.parse(argv)
        assert parsed is not None, argv
        _, _, options = parsed
        expected: Any = True if option.flag else ((value,) if option.multiple else value)
        assert options == {option.key: expected}, argv
