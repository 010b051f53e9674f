#!/usr/bin/env python3
"""Import and load per node, this checkout against an earlier one, each beside its floor.

    python benchmarks/graph_round.py --against DIR [--rounds 5] [--corpus US2016_DIR] [--size 10000]

DIR is a checkout of the earlier code (``git worktree add /tmp/before main``); its ``policyx``
package is imported from there, everything else (the inputs, the floors) from here. Each
round runs one process per checkout, alternating which goes first, and each process measures:

- import (``import_files`` then the YAML written, as ``policyx import`` does): an AIF dialogue
  map of 1,400 nodes, a Kialo discussion of 800 claims and 500 AIF nodesets (import_speed.py's
  inputs, same seed, same bytes), and the US2016 corpus when ``--corpus`` names its folder; the
  floor is ``json.load`` (Kialo: the text split into lines) then libyaml's dumper writing the
  parsed data, what any converter that writes YAML pays;
- load without cache (``kb.load.load``) of make_kb.py's knowledge base as version 1, and as
  graph_load.py's version 2 (acts, second targets, linked premises; nothing aimed at one premise,
  which the earlier code may not read); the floor is libyaml's parse of the same file. Against a
  checkout from before version 2 (which refuses it), version 2 is compared with that checkout's
  version 1 of the same entries.

The cyclic garbage collector is off in each process, as the ``policyx`` command runs
(``policyx/__main__.py``; both checkouts' commands do so): with it on, the collector walks the
growing knowledge base again and again, a fifth of the time of an in-process import that no run
of the command pays. Times are CPU seconds of the process (``time.process_time``: a shared
machine's load changes them far less than wall time), the least of each process's three repeats, then the median over
the rounds. It prints each figure per node beside its floor, and this checkout's over the
earlier one's (target: within 1.2x), each first divided by its own floor.
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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _cpu(work: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _floor_import(paths: list[Path]) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        data: Any = json.loads(text) if path.suffix == ".json" else text.splitlines()
        yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True)


def child(folder: Path, corpus: Path | None) -> dict[str, list[float]]:
    """[seconds, floor seconds, nodes] of each workload, measured in this process."""
    from policyx.importers import InputFile, import_files, to_yaml
    from policyx.kb.load import load

    found: dict[str, list[float]] = {}
    inputs = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    for name, (paths, nodes) in inputs.items():
        files = [Path(p) for p in paths]
        given = [InputFile(p.name, p.read_bytes()) for p in files]

        def work(given: list[InputFile] = given, files: list[Path] = files) -> None:
            result = import_files(given)
            to_yaml(result, [p.name for p in files])

        found[f"import: {name}"] = [_cpu(work), _cpu(lambda files=files: _floor_import(files)), nodes]
    for name in ("version 1", "version 2"):
        path = folder / ("v1" if name == "version 1" else "v2") / "positions.yaml"
        nodes = json.loads((folder / "nodes.json").read_text(encoding="utf-8"))
        try:
            load(path)
        except Exception:  # an earlier checkout that reads version 1 only: its figure is version 1's
            continue
        found[f"load: {name}"] = [_cpu(lambda path=path: load(path)),
                                  _cpu(lambda path=path: yaml.load(path.read_text(encoding="utf-8"),
                                                                   Loader=yaml.CSafeLoader)), nodes]
    return found


def prepare(folder: Path, size: int, corpus: Path | None) -> None:
    import graph_load
    import import_speed
    import make_kb

    (folder / "inputs").mkdir()
    inputs = import_speed.make_inputs(folder / "inputs")
    counted: dict[str, tuple[list[str], int]] = {}
    for name, paths in inputs.items():
        files = [p for path in paths for p in (sorted(path.glob("*.json")) if path.is_dir() else [path])]
        counted[name] = ([str(p) for p in files], _nodes(files))
    if corpus is not None:
        files = sorted(corpus.glob("*.json"))
        counted[f"the {len(files)} nodesets of {corpus.name}"] = ([str(p) for p in files], _nodes(files))
    (folder / "inputs.json").write_text(json.dumps(counted), encoding="utf-8")
    first = folder / "v1" / "positions.yaml"
    make_kb.write_kb(size, first, seed=1)
    data = yaml.load(first.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    first.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    second = folder / "v2" / "positions.yaml"
    second.parent.mkdir()
    os.symlink(first.parent / "sources", second.parent / "sources")
    second.write_text(yaml.dump(graph_load.as_version_2(data, aimed=False), Dumper=yaml.CSafeDumper, sort_keys=False,
                                allow_unicode=True), encoding="utf-8")
    (folder / "nodes.json").write_text(json.dumps(len(data["positions"]) + len(data["arguments"])))


def _nodes(files: list[Path]) -> int:
    """AIF: its nodes; a Kialo discussion: its claims (lines that start a numbered claim)."""
    count = 0
    for path in files:
        if path.suffix == ".json":
            count += len(json.loads(path.read_text(encoding="utf-8"))["nodes"])
        else:
            count += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isdigit())
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000, help="arguments of the knowledge bases loaded")
    parser.add_argument("--corpus", type=Path, help="a folder of US2016 nodesets (*.json)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:
        gc.disable()  # as the command runs (policyx/__main__.py)
        print(json.dumps(child(options.child, options.corpus)))
        return
    checkouts = {"this": HERE.parent, "earlier": options.against.resolve()}
    with tempfile.TemporaryDirectory(prefix="policyx-graph-round-") as tmp:
        folder = Path(tmp)
        prepare(folder, options.size, options.corpus)
        got: dict[str, list[dict[str, list[float]]]] = {name: [] for name in checkouts}
        for index in range(options.rounds):
            order = list(checkouts) if index % 2 == 0 else list(reversed(checkouts))
            for name in order:
                env = dict(os.environ, PYTHONPATH=str(checkouts[name]), XDG_CACHE_HOME=tmp)
                command = [sys.executable, __file__, "--against", str(options.against), "--child", str(folder)]
                if options.corpus is not None:
                    command += ["--corpus", str(options.corpus)]
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=tmp)
                if done.returncode:
                    raise SystemExit(f"{name} ({checkouts[name]}) failed:\n{done.stderr}")
                got[name].append(json.loads(done.stdout))
    print("| per node | this, µs | its floor, µs | earlier, µs | its floor, µs | this over earlier, each over "
          "its floor | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for work in got["this"][0]:
        # an earlier checkout that cannot read version 2: this version 2 against its version 1 (the same entries)
        earlier = work if work in got["earlier"][0] else "load: version 1"
        median = {name: [statistics.median(r[work if name == "this" else earlier][i] for r in got[name])
                         for i in (0, 1)] for name in checkouts}
        nodes = got["this"][0][work][2]
        over = (median["this"][0] / median["this"][1]) / (median["earlier"][0] / median["earlier"][1])
        cells = [f"{median[name][i] / nodes * 1e6:.1f}" for name in checkouts for i in (0, 1)]
        against = "" if earlier == work else f" (earlier: {earlier}, the same entries)"
        print(f"| {work}{against} ({nodes:,} nodes) | {' | '.join(cells)} | {over:.2f}x | <= 1.2x "
              f"{'ok' if over <= 1.2 else '**missed**'} |")


if __name__ == "__main__":
    main()
