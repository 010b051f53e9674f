"""Quotes are compared with their sources whenever a knowledge base is opened (and the result
cached with it): what shows an unverified quote says so; `policyx info` says what is in use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.kb import store
from policyx.kb.load import bundled_path
from tests.clirun import Outcome

Cli = Callable[..., Outcome]
WARNING = ("policyx: warning: the quote of argument 'reduce-trafficker-incentive' is not verbatim in the source"
           " (`policyx --kb {path} check` shows where)\n")  # the run's --kb: pasted, it checks the same


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """A copy of the bundled knowledge base with one word of one quote changed."""
    shutil.copytree(bundled_path().parent / "sources", tmp_path / "sources")
    text = bundled_path().read_text(encoding="utf-8")
    assert "would also reduce" in text
    path = tmp_path / "changed.yaml"
    path.write_text(text.replace("would also reduce", "would also cut"), encoding="utf-8")
    return path


@pytest.mark.parametrize("cache", [True, False], ids=["cached", "no-cache"])
def test_a_command_showing_the_quote_warns_once_naming_the_entry(cli: Cli, changed: Path, cache: bool) -> None:
    extra = [] if cache else ["--no-cache"]
    for _ in range(2):  # the second run reads the cache: the result was kept with it
        done = cli("--kb", str(changed), *extra, "show", "reduce-trafficker-incentive", "-f", "ids")
        assert done.exit_code == 0 and done.stdout.startswith("reduce-trafficker-incentive\n")
        assert done.stderr == WARNING.format(path=changed)
    for argv in (["export", "-f", "markdown"], ["search", "trafficker", "incentive"],
                 ["list", "arguments", "-f", "json"]):
        assert cli("--kb", str(changed), *extra, *argv).stderr == WARNING.format(path=changed), argv


def test_output_without_that_quote_says_nothing(cli: Cli, changed: Path) -> None:
    assert cli("--kb", str(changed), "show", "criminalize-johns").stderr == ""
    assert cli("--kb", str(changed), "list", "arguments").stderr == ""  # plain columns carry no quote
    assert cli("--kb", str(changed), "export", "-f", "markdown", "-q", "criminalizing-johns").stderr == ""
    assert cli("show", "reduce-trafficker-incentive").stderr == ""  # the bundled one is verbatim


def test_the_handout_states_it(cli: Cli, changed: Path) -> None:
    handout = cli("--kb", str(changed), "export", "-f", "markdown").stdout
    assert ("Quotes are the source's own words, except 1 marked **not verbatim**: it differs from the source's"
            " text as recorded (`policyx --kb " + str(changed) + " check` shows where).") in handout
    assert "> — source 1 (Hayley Pine), giving the view of the group — **not verbatim** in the source's text" \
        in handout
    assert handout.count("**not verbatim**") == 2  # the statement, and the quote itself
    bundled = cli("export", "-f", "markdown").stdout
    assert "Quotes are the source's own words, each checked against the source's text." in bundled
    assert "not verbatim" not in bundled


def test_a_changed_source_text_is_compared_again(cli: Cli, tmp_path: Path) -> None:
    shutil.copytree(bundled_path().parent, tmp_path / "data")
    path = tmp_path / "data" / "positions.yaml"
    assert cli("--kb", str(path), "show", "reduce-trafficker-incentive").stderr == ""  # cached now
    source = tmp_path / "data" / "sources" / "session-report.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("would also reduce", "would also cut"),
                      encoding="utf-8")
    done = cli("--kb", str(path), "show", "reduce-trafficker-incentive")
    assert done.stderr == WARNING.format(path=path)


def test_info_names_the_file_its_counts_the_cache_and_the_quotes(cli: Cli, changed: Path) -> None:
    done = cli("--kb", str(changed), "info")
    assert done.exit_code == 0 and done.stderr == ""
    rows = dict(line.split(None, 1) if not line.startswith("knowledge base") else ("knowledge base", line[16:])
                for line in done.stdout.splitlines())
    assert rows["knowledge base"] == f"{changed} (given with --kb)"
    assert rows["entries"] == "1 sources, 6 actors, 4 models, 4 questions, 5 positions, 23 arguments"
    assert rows["quotes"] == ("35 verbatim in their sources; 1 not verbatim: argument 'reduce-trafficker-incentive'"
                              f" (policyx --kb {changed} check shows where)")
    assert rows["cache"] == f"{store.cache_file(changed)} (current)"
    assert rows["policyx"].startswith("0.1.0, from ")
    data = json.loads(cli("--kb", str(changed), "--no-cache", "info", "-f", "json").stdout)
    assert data["cache"] == {"file": None, "state": "not used (--no-cache)"}
    assert data["quotes"]["verbatim"] == 35 and data["quotes"]["not_verbatim"][0]["entry"] == (
        "reduce-trafficker-incentive")
    assert data["origin"] == "given with --kb" and data["counts"]["arguments"] == 23


def test_info_of_the_bundled_knowledge_base(cli: Cli) -> None:
    data = json.loads(cli("info", "-f", "json").stdout)
    assert data["path"] == str(bundled_path()) and data["origin"] == "the bundled knowledge base"
    assert data["quotes"] == {"verbatim": 36, "not_verbatim": [], "unchecked": []}
    env = cli("info", "-f", "json", env={"POLICYX_KB": str(bundled_path())})
    assert json.loads(env.stdout)["origin"] == "given with $POLICYX_KB"


def test_policyx_and_python_m_policyx_read_the_same_file() -> None:
    script = Path(sys.executable).with_name("policyx")
    assert script.exists(), "policyx is installed beside this interpreter (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    runs = [subprocess.run([*command, "info", "-f", "json"], capture_output=True, text=True, env=env, timeout=60,
                           check=True) for command in ([str(script)], [sys.executable, "-m", "policyx"])]
    first, second = (json.loads(run.stdout) for run in runs)
    assert first["path"] == second["path"] and first["policyx"] == second["policyx"]


def test_verbatim_quotes_are_not_searched_for_one_by_one(tmp_path: Path) -> None:
    """A knowledge base of many quotes from long sources: each verbatim quote is found in
    the source's index of word starts, so no quote's search walks the text (the work, not
    the time: SourceIndex counts the characters its searches go through)."""
    import importlib.util
    from functools import partial

    from policyx.kb.check import check
    from policyx.kb.load import load, read_source_text
    from policyx.kb.sourceindex import SourceIndex

    spec = importlib.util.spec_from_file_location("make_kb", Path(__file__).resolve().parent.parent
                                                  / "benchmarks" / "make_kb.py")
    assert spec is not None and spec.loader is not None
    make_kb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_kb)
    kb = load(make_kb.write_kb(2000, tmp_path / "kb.yaml"))
    made: list[SourceIndex] = []

    def index(text: str) -> SourceIndex:
        made.append(SourceIndex(text))
        return made[-1]

    problems = check(kb, partial(read_source_text, kb), index)
    assert not [p for p in problems if p.severity == "error"]
    assert sum(1 for a in kb.arguments if a.quote) > 500 and made
    assert sum(i.scanned for i in made) == 0
    # a quote that is not verbatim is still found out, and its difference described
    text = (tmp_path / "kb.yaml").read_text(encoding="utf-8")
    quoted = next(a for a in kb.arguments if a.quote and len(a.quote) > 40)
    assert quoted.quote is not None
    wrong = quoted.quote[:-12] + "changed here"
    (tmp_path / "kb.yaml").write_text(text.replace(quoted.quote, wrong, 1), encoding="utf-8")
    kb = load(tmp_path / "kb.yaml")
    errors = [p for p in check(kb, partial(read_source_text, kb)) if p.severity == "error"]
    assert len(errors) == 1 and errors[0].entry == quoted.id and "is not verbatim" in errors[0].message
