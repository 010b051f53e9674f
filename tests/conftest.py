"""Shared fixtures: the bundled knowledge base, writing small ones, running the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyx.cli import _register_commands, run
from policyx.load import bundled_path

_register_commands()

#: variables from the developer's shell that would change what the CLI does
_CLEAN_ENV: dict[str, str | None] = {"POLICYX_KB": None, "NO_COLOR": None, "FORCE_COLOR": None}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the developer's real cache (~/.cache/policyx)."""
    if "XDG_CACHE_HOME" not in _SESSION_CACHE:
        _SESSION_CACHE["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", _SESSION_CACHE["XDG_CACHE_HOME"])


_SESSION_CACHE: dict[str, str] = {}


@pytest.fixture
def kb_path() -> Path:
    """The bundled knowledge base (data/positions.yaml)."""
    return bundled_path()


def write_kb(tmp_path: Path, text: str | bytes, name: str = "kb.yaml") -> Path:
    """Write a knowledge base file (text as UTF-8, bytes as they are) and return its path."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner for ``runner.invoke(app, [...])`` (commands are registered)."""
    return CliRunner()


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., Outcome]:
    """Run ``policyx ARGS`` through the real entry point (:func:`policyx.cli.run`), which maps
    policyx's errors to exit codes and stderr messages, with output captured by CliRunner.
    Any other exception escapes and fails the test: a user would have seen a traceback."""
    runner = CliRunner()

    def invoke(*args: str, env: Mapping[str, str | None] | None = None) -> Outcome:
        with runner.isolation(env={**_CLEAN_ENV, **(env or {})}) as (out, err, _):
            try:
                run(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
        return Outcome(code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))

    return invoke
