"""Run policyx in-process as a user would, for tests.

Through the real entry point (:func:`policyx.cli.app.run`), which maps policyx's
errors to exit codes and stderr messages; output captured by CliRunner. Any
other exception escapes and fails the test: a user would have seen a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from typer.testing import CliRunner

from policyx.cli.app import run

#: variables from the developer's shell that would change what the CLI does
CLEAN_ENV: dict[str, str | None] = {"POLICYX_KB": None, "NO_COLOR": None, "FORCE_COLOR": None}


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, input: str | bytes | None = None, env: Mapping[str, str | None] | None = None) -> Outcome:
    """``policyx ARGS`` with ``input`` on stdin (not a terminal)."""

    def typer_path() -> int:
        run(list(args))
        return 0

    return _in_process(typer_path, input, env)


def run_program(args: list[str], env: Mapping[str, str | None] | None = None) -> Outcome:
    """``policyx ARGS`` as ``python -m policyx`` runs it (the fast path first, else Typer), in this
    process, stdin empty and not a terminal: for the many command lines whose start-up is not what a
    test is about (tests/test_startup.py runs a sample of both paths in subprocesses)."""
    from policyx.cli import fast

    def program() -> int:
        code = fast.try_run(args)
        if code is None:
            run(list(args))
            code = 0
        return code

    return _in_process(program, "", env)


def run_completion(env: Mapping[str, str]) -> Outcome:
    """A completion request (the variables of a shell's completion script, ``env``) answered as
    ``python -m policyx`` answers it: the Typer-free path first, else Typer; in this process.
    (tests/test_cli_query.py sends one through a program as the shell does.)"""
    from policyx.cli import fastcomplete

    def program() -> int:
        code = fastcomplete.try_complete(os.environ)
        if code is None:
            run([])
            code = 0
        return code

    return _in_process(program, "", env)


def _in_process(
    body: Callable[[], int], input: str | bytes | None, env: Mapping[str, str | None] | None,
) -> Outcome:
    """Run ``body`` with stdin, stdout, stderr and the environment isolated; its exit status is
    what it returns or the code of the SystemExit it raises."""
    runner = CliRunner()
    with runner.isolation(input=input, env={**CLEAN_ENV, **(env or {})}) as (out, err, _):
        try:
            code = body()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Outcome(code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))
