#!/usr/bin/env python3
"""Load per node of a version-2 knowledge base, beside version 1 and the floor.

    python benchmarks/graph_load.py [--size 10000] [--rounds 5]

Writes the generated knowledge base of make_kb.py twice: as it is (version 1), and as
version 2 with the graph's fields in use: every argument carries an act (its speaker
asserting it), every tenth a second target and every twentieth two linked premises.
Then times, alternating round by round, a first query without cache
(``policyx --no-cache --kb FILE list questions -f json``) on each, and the floor
(floor.py --parse-only: libyaml's parse alone) on each, and prints each figure per
node (positions and arguments) beside its floor's, with the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import measure, policyx_command  # noqa: E402


def as_version_2(data: dict) -> dict:  # type: ignore[type-arg]
    """The same debate as version 2, with acts, second targets and linked premises."""
    data = dict(data, version=2)
    positions = [p["id"] for p in data["positions"]]
    arguments = []
    for index, argument in enumerate(data["arguments"]):
        argument = dict(argument)
        if argument.get("by"):
            argument["acts"] = [{"by": argument["by"], "act": "asserts"}]
        if index % 10 == 0 and "for" in argument and argument["for"] not in positions[:1]:
            argument["for"] = [argument["for"], positions[0]]
        if index % 20 == 0:
            argument["premises"] = [{"claim": "The first part of the reason."}, {"claim": "The second part."}]
        arguments.append(argument)
    data["arguments"] = arguments
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="arguments")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policyx-graph-bench-") as tmp:
        first = Path(tmp) / "v1" / "positions.yaml"
        make_kb.write_kb(args.size, first, seed=1)
        data = yaml.load(first.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        second = Path(tmp) / "v2.yaml"
        second.write_text(yaml.dump(as_version_2(data), Dumper=yaml.CSafeDumper, sort_keys=False,
                                    allow_unicode=True), encoding="utf-8")
        nodes = len(data["positions"]) + len(data["arguments"])
        policyx = policyx_command()
        env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": tmp, "LC_ALL": "C.UTF-8"}
        floor = [sys.executable, str(HERE / "floor.py")]
        commands = {
            "v1": [*policyx, "--no-cache", "--kb", str(first), "list", "questions", "-f", "json"],
            "v1 floor": [*floor, str(first), "--parse-only"],
            "v2": [*policyx, "--no-cache", "--kb", str(second), "list", "questions", "-f", "json"],
            "v2 floor": [*floor, str(second), "--parse-only"],
        }
        got = measure(commands, env, args.rounds)
    print(f"| file ({nodes:,} nodes) | policyx, µs per node | floor, µs per node | ratio |")
    print("|---|---|---|---|")
    for name in ("v1", "v2"):
        seconds, floor_seconds = got[name][0], got[f"{name} floor"][0]
        print(f"| version {name[1]} | {seconds / nodes * 1e6:.1f} | {floor_seconds / nodes * 1e6:.1f} | "
              f"{seconds / floor_seconds:.2f}x |")


if __name__ == "__main__":
    main()
