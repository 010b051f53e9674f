#!/usr/bin/env python3
"""Load per node of a version-2 knowledge base, beside version 1 and the floor.

    python benchmarks/graph_load.py [--size 10000] [--rounds 5]

Writes the generated knowledge base of make_kb.py twice, each with the same YAML dumper (so
that the two differ in what they say, not in how their lines are laid out): as version 1, and as
version 2 with the graph's fields in use: every argument carries an act (its speaker asserting
it), every tenth a second target, every twentieth two linked premises (the first with an id) and
every fortieth is aimed at one premise of such an argument (``ARGUMENT.PREMISE``). Then times,
alternating round by round, a first query without cache
(``policyx --no-cache --kb FILE list questions -f json``) on each, and the floor
(floor.py --parse-only: libyaml's parse alone) on each, and prints each figure per node
(positions and arguments) beside its floor's, with the ratio; then the same entries as
version 1's written as version 2 (what version 2's rules cost on the same data). The last lines
give two ratios, each with the target 1.2x: the same entries read as version 2 over version 1,
per node; and the graph's file per node over version 1's, each divided by its own floor (what
policyx adds per node for the graph, not what the larger YAML costs any reader).
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


def as_version_2(data: dict, aimed: bool = True) -> dict:  # type: ignore[type-arg]
    """The same debate as version 2, with acts, second targets and linked premises (``aimed``: the
    first with an id, and arguments aimed at it, which code before ARGUMENT.PREMISE cannot read)."""
    data = dict(data, version=2)
    positions = [p["id"] for p in data["positions"]]
    arguments = []
    linked: list[str] = []
    for index, argument in enumerate(data["arguments"]):
        argument = dict(argument)
        if argument.get("by"):
            argument["acts"] = [{"by": argument["by"], "act": "asserts"}]
        if index % 10 == 0 and "for" in argument and argument["for"] not in positions[:1]:
            argument["for"] = [argument["for"], positions[0]]
        if index % 20 == 0:
            argument["premises"] = [{"id": "first", "claim": "The first part of the reason."},
                                    {"claim": "The second part."}]
            if not aimed:
                del argument["premises"][0]["id"]
            linked.append(argument["id"])
        elif index % 40 == 5 and linked and "against" in argument and aimed:
            argument["against"] = [argument["against"], f"{linked[-1]}.first"]
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
        first.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True),
                         encoding="utf-8")
        same = Path(tmp) / "v1" / "same.yaml"  # version 1's entries, read by version 2's rules
        same.write_text(yaml.dump(dict(data, version=2), Dumper=yaml.CSafeDumper, sort_keys=False,
                                  allow_unicode=True), encoding="utf-8")
        second = Path(tmp) / "v1" / "v2.yaml"  # beside the sources, as the first
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
            "v2 same": [*policyx, "--no-cache", "--kb", str(same), "list", "questions", "-f", "json"],
        }
        got = measure(commands, env, args.rounds)
    print(f"| file ({nodes:,} nodes) | policyx, µs per node | floor, µs per node | ratio |")
    print("|---|---|---|---|")
    for name in ("v1", "v2"):
        seconds, floor_seconds = got[name][0], got[f"{name} floor"][0]
        print(f"| version {name[1]} | {seconds / nodes * 1e6:.1f} | {floor_seconds / nodes * 1e6:.1f} | "
              f"{seconds / floor_seconds:.2f}x |")
    same_over = got["v2 same"][0] / got["v1"][0]
    print(f"| version 1's entries as version 2 | {got['v2 same'][0] / nodes * 1e6:.1f} | "
          f"{got['v1 floor'][0] / nodes * 1e6:.1f} | {got['v2 same'][0] / got['v1 floor'][0]:.2f}x |")
    print(f"\nthe same entries read as version 2 over version 1, per node: {same_over:.2f}x "
          f"(target: <= 1.2x; {'ok' if same_over <= 1.2 else 'missed'})")
    over = (got["v2"][0] / got["v2 floor"][0]) / (got["v1"][0] / got["v1 floor"][0])
    print(f"\nversion 2 per node over version 1, each over its floor: {over:.2f}x (target: <= 1.2x; "
          f"{'ok' if over <= 1.2 else 'missed'})")


if __name__ == "__main__":
    main()
