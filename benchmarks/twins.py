#!/usr/bin/env python3
"""Each performance twin beside the library it stands in for, measured in the same run.

    python benchmarks/twins.py                        # 10,000 arguments; the table on 2,000 (~1 minute)
    python benchmarks/twins.py --size 1000 --table-size 500 --rounds 3
    python benchmarks/twins.py --only json --size 100000 --table-size 10
    python benchmarks/twins.py --only struct --rounds 21  # start-up: the record classes (~1 minute)

A hand-written twin of a library stays only where it pays at least 20% on a figure a user
sees (docs/architecture.md, "Performance twins"). Each figure here is the whole of what a user
waits for, in-process (start-up excluded: benchmarks/run.py measures it), once with the twin
and once with the library doing the same work, alternated round by round; the median is reported:

- the YAML fast reader (``kb/yamlread.read_plain``) against PyYAML's strict loader: reading and
  validating a knowledge base with no cache (``load``), with PyYAML's ``CSafeLoader`` (which builds
  each value in Python; benchmarks/floor.py's parse) beside;
- the JSON writer (``output/data.dumps_records``) against ``json.dumps(indent=2)``: ``list
  arguments -f json`` with the cache warm (open, list, render), of the generated knowledge base and
  of the US 2016 corpus (nested records, version 2) when it is there;
- ``output/tablestream.py`` against one Rich ``Table`` (``render_table``): ``list arguments`` on a
  terminal 100 columns wide, in colour: the first lines, and the whole table;
- the fast path (``cli/fast.py``, ``cli/fastcomplete.py``) against Typer (``POLICYX_NO_FASTPATH=1``):
  ``list arguments -f json`` of the bundled knowledge base, cache warm, and ``show crim<Tab>`` (bash),
  each a whole process as a user runs it (start-up included, this one);
- the cache's checksum: a warm ``open_kb``, and what its two checks cost in it (the owner-only
  folder check, the payload's blake2b), with a keyed blake2b (the checksum until cache format 4) beside;
- the record classes (``kb/struct.py``) against ``dataclasses`` (the same modules with
  ``dataclasses`` standing in for ``policyx.kb.struct``): ``list arguments -f json``, ``search law
  -f json`` and ``list arguments -f table`` of the bundled knowledge base, cache warm, whole
  processes as the console script runs them, in CPU time (user + system: on a shared machine it
  wanders far less than the wall clock), beside two floors in the same run: the bare interpreter
  with ``re`` (what the console script imports before policyx) and ``floor.py`` on the same file.

The two ways of each pair give the same bytes (checked here, before timing).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_kb  # noqa: E402
import yaml  # noqa: E402
from run import alternated  # noqa: E402

from policyx.kb import cachefolder, store, yamlread  # noqa: E402
from policyx.kb.load import load  # noqa: E402
from policyx.output import data  # noqa: E402
from policyx.output.table import render_table, stream_table  # noqa: E402
from policyx.views.listing import Filters, list_listing  # noqa: E402

#: a twin stays when the library's figure is at least this much above the twin's
KEEP = 1.20


def timed(pairs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds of each function, alternated (run.alternated), the cyclic collector's garbage
    collected before each run: policyx runs with it off (__main__), and so here between runs."""
    return alternated(pairs, rounds, before=gc.collect)


def strict_only(text: str) -> object:
    """What ``read_yaml`` does without the fast reader: PyYAML's strict loader on every file."""
    loader = yamlread.strict_loader()(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def row(figure: str, twin: str, twin_s: float, library: str, library_s: float) -> str:
    gain = library_s / twin_s
    verdict = "pays" if gain >= KEEP else "does not pay"
    return (f"| {figure} | {twin}: {twin_s * 1000:.0f} ms | {library}: {library_s * 1000:.0f} ms | {gain:.2f}x"
            f" | {verdict} |")


def yaml_twin(path: Path, rounds: int) -> str:
    text = path.read_text(encoding="utf-8")
    assert yamlread.read_plain(text) == strict_only(text)
    fast_read = yamlread.read_yaml

    def with_library() -> object:
        yamlread_module = sys.modules["policyx.kb.load"]
        saved = yamlread_module.read_yaml  # type: ignore[attr-defined]
        yamlread_module.read_yaml = strict_only  # type: ignore[attr-defined]
        try:
            return load(path)
        finally:
            yamlread_module.read_yaml = saved  # type: ignore[attr-defined]

    assert fast_read is sys.modules["policyx.kb.load"].read_yaml  # type: ignore[attr-defined]
    got = timed({"twin": lambda: load(path), "library": with_library,
                 "floor": lambda: yaml.load(text, Loader=yaml.CSafeLoader)}, rounds)
    return (row("`load` (no cache), the YAML fast reader", "fast reader", got["twin"], "PyYAML strict loader",
                got["library"]) + f" floor (PyYAML's CSafeLoader, floor.py's parse): {got['floor'] * 1000:.0f} ms |")


def json_twin(path: Path, rounds: int) -> str:
    store.open_kb(path)  # the cache, warm

    def run(dumps: Callable[[list[dict[str, object]]], str]) -> str:
        listing = list_listing(store.open_kb(path), "arguments", Filters())
        return dumps(listing.records) + "\n"

    def library(records: list[dict[str, object]]) -> str:
        return json.dumps(records, ensure_ascii=False, indent=2)

    assert run(data.dumps_records) == run(library)
    got = timed({"twin": lambda: run(data.dumps_records), "library": lambda: run(library)}, rounds)
    return row("`list arguments -f json`, cache warm", "`dumps_records`", got["twin"], "`json.dumps(indent=2)`",
               got["library"]) + " |"


def json_twin_nested(rounds: int) -> str:
    """The same for nested records (version 2: premises and acts are lists of dicts), on the US 2016
    corpus's arguments when it is there (json_writer.py: the writing alone, beside its floor)."""
    import json_writer

    folder = json_writer.corpus()
    if folder is None:
        return "| `list arguments -f json` of a corpus (version 2) | skipped: no corpus beside the checkout | | | | |"
    json_writer.arguments(folder)  # the cache, warm

    def run(dumps: Callable[[list[dict[str, object]]], str]) -> str:
        return dumps(json_writer.arguments(folder).records) + "\n"

    def library(records: list[dict[str, object]]) -> str:
        return json.dumps(records, ensure_ascii=False, indent=2)

    assert run(data.dumps_records) == run(library)
    got = timed({"twin": lambda: run(data.dumps_records), "library": lambda: run(library)}, rounds)
    return row(f"`list arguments -f json` of {folder.name} (version 2), cache warm", "`dumps_records`", got["twin"],
               "`json.dumps(indent=2)`", got["library"]) + " |"


def table_twin(path: Path, rounds: int) -> list[str]:
    store.open_kb(path)
    listing = list_listing(store.open_kb(path), "arguments", Filters())
    assert "".join(stream_table(listing, 100, True)) == render_table(listing, 100, True)

    def first() -> str:
        return next(iter(stream_table(listing, 100, True)))

    got = timed({"first": first, "stream": lambda: "".join(stream_table(listing, 100, True)),
                 "whole": lambda: render_table(listing, 100, True)}, rounds)
    return [row("`list arguments` on a terminal: first lines", "tablestream", got["first"], "one Rich `Table`",
                got["whole"]) + " |",
            row("`list arguments` on a terminal: whole table", "tablestream", got["stream"], "one Rich `Table`",
                got["whole"]) + " |"]


def cache_figures(path: Path, rounds: int) -> str:
    store.open_kb(path)
    folder_path, cache_file = store.cache_dir(), store.cache_file(path)
    assert folder_path is not None and cache_file is not None
    blob = cache_file.read_bytes()
    payload = memoryview(blob)[len(cachefolder.MAGIC) + cachefolder.CHECKSUM_SIZE:]
    key = os.urandom(32)

    def folder_check() -> None:
        folder = cachefolder.CacheFolder.open(folder_path)
        assert folder is not None
        folder.__exit__()

    def keyed() -> bytes:
        import hashlib

        return hashlib.blake2b(payload, digest_size=32, key=key).digest()

    got = timed({"open": lambda: store.open_kb(path), "folder": folder_check,
                 "checksum": lambda: cachefolder.checksum(payload), "keyed": keyed}, rounds)
    share = got["checksum"] / got["open"]
    return (f"| warm `open_kb` (cache file {len(blob) / 1e6:.1f} MB) | {got['open'] * 1000:.0f} ms | folder check"
            f" {got['folder'] * 1000:.2f} ms | checksum {got['checksum'] * 1000:.1f} ms ({share:.1%} of the open);"
            f" keyed {got['keyed'] * 1000:.1f} ms | the key added nothing: gone; the plain checksum stays (damage) |")


def fast_path_twin(rounds: int) -> list[str]:
    script = Path(sys.executable).parent / "policyx"
    policyx = [str(script)] if script.exists() else [sys.executable, "-m", "policyx"]
    bundled = str(HERE.parent / "data" / "positions.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "POLICYX_NO_FASTPATH")}
    line = "policyx show crim"
    complete = dict(env, _POLICYX_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD="2", POLICYX_KB=bundled)
    typer = {"POLICYX_NO_FASTPATH": "1"}

    def run(argv: list[str], environ: dict[str, str]) -> str:
        return subprocess.run(argv, env=environ, capture_output=True, text=True, check=True).stdout

    listing = [*policyx, "--kb", bundled, "list", "arguments", "-f", "json"]
    assert run(listing, env) == run(listing, dict(env, **typer))
    assert run(policyx, complete) == run(policyx, dict(complete, **typer))
    got = timed({"list": lambda: run(listing, env), "list-typer": lambda: run(listing, dict(env, **typer)),
                 "tab": lambda: run(policyx, complete), "tab-typer": lambda: run(policyx, dict(complete, **typer))},
                rounds)
    return [row("`list arguments -f json` (bundled, cache warm), whole process", "fast path", got["list"], "Typer",
                got["list-typer"]) + " |",
            row("`show crim<Tab>` (bash), whole process", "fast completion", got["tab"], "Typer",
                got["tab-typer"]) + " |"]


#: policyx as its console script runs it; ``{prepare}``: what runs first
CONSOLE_SCRIPT = ("import re, sys\n{prepare}\nfrom policyx.__main__ import main\nsys.argv[0] = 'policyx'\n"
                  "sys.exit(main())")
#: ``dataclasses`` in place of ``policyx.kb.struct`` (the library the record classes stand in for)
WITH_DATACLASSES = ("import dataclasses, types\nstruct = types.ModuleType('policyx.kb.struct')\n"
                    "for name in ('dataclass', 'field', 'fields', 'replace', 'MISSING'):\n"
                    "    setattr(struct, name, getattr(dataclasses, name))\nsys.modules['policyx.kb.struct'] = struct")


def cpu_timed(commands: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, float]:
    """Median CPU seconds (user + system) of each command run as a process, alternated round by round."""
    def once(command: list[str]) -> float:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
        return usage.ru_utime + usage.ru_stime

    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up (and the bytecode caches written)
        once(commands[name])
    for turn in range(rounds):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            times[name].append(once(commands[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def struct_twin(rounds: int) -> list[str]:
    bundled = str(HERE.parent / "data" / "positions.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "POLICYX_NO_FASTPATH",
                                                              "PYTHONDONTWRITEBYTECODE")}
    figures = {"list": ["list", "arguments", "-f", "json"], "search": ["search", "law", "-f", "json"],
               "table": ["list", "arguments", "-f", "table"]}
    commands: dict[str, list[str]] = {"bare": [sys.executable, "-c", "import re"],
                                      "floor": [sys.executable, str(HERE / "floor.py"), bundled]}
    for figure, argv in figures.items():
        for way, prepare in (("twin", ""), ("library", WITH_DATACLASSES)):
            commands[f"{figure}-{way}"] = [sys.executable, "-c", CONSOLE_SCRIPT.format(prepare=prepare), "--kb",
                                           bundled, *argv]
            subprocess.run(commands[f"{figure}-{way}"], env=env, capture_output=True, check=True)  # cache warm

    def output(command: list[str]) -> str:
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    for figure in figures:
        assert output(commands[f"{figure}-twin"]) == output(commands[f"{figure}-library"])
    check = [sys.executable, "-c", CONSOLE_SCRIPT.format(prepare=WITH_DATACLASSES + "\nimport policyx.cli.fast\n"
                                                          "assert 'inspect' in sys.modules"), "--version"]
    subprocess.run(check, env=env, capture_output=True, check=True)  # the library really is dataclasses
    got = cpu_timed(commands, env, rounds)
    floors = (f" floors: `python -c 'import re'` {got['bare'] * 1000:.1f} ms, `floor.py` {got['floor'] * 1000:.1f} ms"
              " |")
    names = {"list": "`list arguments -f json`", "search": "`search law -f json`", "table": "`list arguments -f table`"}
    rows = [row(f"{names[figure]} (bundled, cache warm), whole process, CPU", "`kb/struct.py`",
                got[f"{figure}-twin"], "`dataclasses`", got[f"{figure}-library"]) + floors for figure in figures]
    # a table imports Rich, which imports dataclasses itself: only the classes' making is saved there
    rows[-1] = rows[-1].replace("| does not pay |", "| beside (Rich imports dataclasses) |").replace(
        "| pays |", "| beside (Rich imports dataclasses) |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="arguments (YAML, JSON, cache)")
    parser.add_argument("--table-size", type=int, default=2_000, help="arguments of the table")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="fast,struct,yaml,json,table,cache", help="which twins (comma-separated)")
    args = parser.parse_args()
    gc.disable()  # as policyx/__main__.py does
    with tempfile.TemporaryDirectory(prefix="policyx-twins-") as work:
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        only = set(args.only.split(","))
        big = make_kb.write_kb(args.size, Path(work) / f"kb-{args.size}" / "positions.yaml") if only & {
            "yaml", "json", "cache"} else Path()
        small = make_kb.write_kb(args.table_size, Path(work) / f"kb-{args.table_size}" / "positions.yaml") if (
            "table" in only) else Path()
        print(f"{args.size:,} arguments (the table: {args.table_size:,}); median of {args.rounds} rounds,"
              f" twin and library alternated\n", flush=True)
        print("| figure a user sees | with the twin | with the library | gain | verdict (20%) | |")
        print("|---|---:|---:|---:|---|---|", flush=True)
        if "fast" in only:
            print("\n".join(fast_path_twin(args.rounds)), flush=True)
        if "struct" in only:
            print("\n".join(struct_twin(max(args.rounds, 15))), flush=True)
        if "yaml" in only:
            print(yaml_twin(big, args.rounds), flush=True)
        if "json" in only:
            print(json_twin(big, args.rounds), flush=True)
            print(json_twin_nested(args.rounds), flush=True)
        if "table" in only:
            print("\n".join(table_twin(small, args.rounds)), flush=True)
        if "cache" in only:
            print("\n| cache | warm open | check 1 | check 2 | verdict |\n|---|---:|---:|---|---|")
            print(cache_figures(big, args.rounds), flush=True)


if __name__ == "__main__":
    main()
