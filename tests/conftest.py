"""Shared fixtures: the bundled knowledge base, writing small ones, running the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyx.kb.load import bundled_path
from tests.clirun import Outcome, run_cli


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


@pytest.fixture
def cli() -> Callable[..., Outcome]:
    """``cli("list", "-f", "json")``: run policyx as a user would (see tests/clirun.py)."""
    return run_cli
