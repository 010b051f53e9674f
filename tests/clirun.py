"""Run policyx in-process as a user would, for tests.

Through the real entry point (:func:`policyx.cli.app.run`), which maps policyx's
errors to exit codes and stderr messages; output captured by CliRunner. Any
other exception escapes and fails the test: a user would have seen a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
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
    runner = CliRunner()
    with runner.isolation(input=input, env={**CLEAN_ENV, **(env or {})}) as (out, err, _):
        try:
            run(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Outcome(code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))
