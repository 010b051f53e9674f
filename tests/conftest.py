"""Shared fixtures: the bundled knowledge base, writing small ones, running the CLI."""

from __future__ import annotations

import functools
import gc
import importlib.util
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from policyx.cli.options import SPELLINGS, VARIABLES
from policyx.kb import hints
from policyx.kb.load import bundled_path
from tests import fuzz  # noqa: F401  (the property tests' profile: examples per property)
from tests.clirun import Outcome, run_cli
from tests.pilotwait import install as settle_the_pilot

# The tests run thousands of command lines in-process, each loading a knowledge base: tens of
# thousands of fresh objects, none in a reference cycle, which the cyclic collector walked again
# every 700 allocations (a fifth of the suite's CPU). policyx itself runs with it off (__main__).
gc.set_threshold(100_000, 50, 100)



def pytest_sessionfinish() -> None:
    """At the end pytest collects garbage five times over (its check for exceptions raised while
    garbage is freed), and each pass walks every object left, a worker's whole heap: over a second
    of a worker's end. One collection here frees what was garbage (and raises what it raises, for
    pytest to report), and what is left then lives to the end: frozen, out of the later passes."""
    gc.collect()
    gc.freeze()


# Textual's pilot waits until the explorer has settled, not for fixed 20 ms slices (tests/pilotwait.py).
settle_the_pilot()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the developer's real cache (~/.cache/policyx)."""
    if "XDG_CACHE_HOME" not in _SESSION_CACHE:
        _SESSION_CACHE["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", _SESSION_CACHE["XDG_CACHE_HOME"])


_SESSION_CACHE: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _no_options_from_an_earlier_run() -> Iterator[None]:
    """Each test starts as a new process would: the commands policyx prints repeat no --kb or
    --sources of a command line an earlier test ran in this worker (kb.hints keeps them per run).
    Options are spelt as the command line's table spells them, as in every run (cli/session.py),
    also for the tests that call a view or the domain directly. Reset after each test too: a
    module's fixture is made before this one runs for the test that first needs it (test_html's
    page took the --kb of whatever test had run before it in the worker)."""
    hints.use_options(())
    hints.use_spellings(SPELLINGS, VARIABLES)
    yield
    hints.use_options(())


ROOT = Path(__file__).resolve().parent.parent
#: the shipped example of docs/authoring.md ("A complete example")
UNIFORMS = ROOT / "docs" / "examples" / "uniforms"


@pytest.fixture
def uniforms(tmp_path: Path) -> Path:
    """A copy of the shipped example (docs/examples/uniforms); returns its debate.yaml."""
    shutil.copytree(UNIFORMS, tmp_path / "uniforms")
    return tmp_path / "uniforms" / "debate.yaml"


@functools.cache
def make_kb_module() -> ModuleType:
    """benchmarks/make_kb.py, which writes realistic knowledge bases of any size."""
    spec = importlib.util.spec_from_file_location("make_kb", ROOT / "benchmarks" / "make_kb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def write_text_everywhere(tmp_path: Path, scalar: str, tags: bool = False) -> Path:
    """A knowledge base whose every text (title, names, question, claims, quote; with ``tags``,
    an argument's tag too) is ``scalar``, a YAML scalar written as it is: for tests of what
    outputs make of hostile or invisible text."""
    tag = f", tags: [{scalar}]" if tags else ""
    return write_kb(tmp_path, f"""\
version: 1
title: {scalar}
sources: [{{id: src, title: {scalar}}}]
actors: [{{id: who, name: {scalar}}}]
questions: [{{id: q, text: {scalar}}}]
positions: [{{id: p, question: q, claim: {scalar}, held_by: [who], agreement: broad, quote: {scalar}, source: src}}]
arguments:
  - {{id: a, claim: {scalar}, for: p, by: who{tag}}}
  - {{id: b, claim: {scalar}, against: p, by: who}}
""")


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner for ``runner.invoke(app, [...])`` (commands are registered)."""
    return CliRunner()


@pytest.fixture
def cli() -> Callable[..., Outcome]:
    """``cli("list", "-f", "json")``: run policyx as a user would (see tests/clirun.py)."""
    return run_cli


#: The files of the `frontend` sample that .ci/run runs under the other supported Typer releases and
#: Python 3.10 (the whole suite runs once, on the README's install): the command line as Typer parses
#: it (global options anywhere, aliases, help, usage errors and did-you-mean, completion, the status
#: of a usage error) and the one thing that differs by Python version (config.toml: tomllib or tomli).
#: (test_exits is not in it: full disks and lost memory happen below Typer, in policyx's own writer.)
FRONTEND = frozenset({
    "test_aliases.py", "test_cli_words.py", "test_cli_query.py", "test_help.py",
    "test_options.py", "test_fastcomplete.py", "test_library.py",
})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "frontend: a sample run under other Typer and Python versions (.ci/run)")


#: The tests that run on one worker, one after the other in the file's order (pytest-xdist's
#: `--dist loadgroup`, pyproject): every other test goes to whichever worker is free, so that the
#: two end together. The docs' examples run in page order (one reads what an earlier one wrote, and
#: two pages share a folder under /tmp); the classroom page's browser tests share one Chromium.
TOGETHER = {
    ("test_readme.py", "test_docs_example"): "docs-examples",
    ("test_html_browser.py", None): "chromium",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in FRONTEND:
            item.add_marker(pytest.mark.frontend)
        group = TOGETHER.get((item.path.name, getattr(item, "originalname", None))) or TOGETHER.get(
            (item.path.name, None))
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
