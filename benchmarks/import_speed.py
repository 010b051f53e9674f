#!/usr/bin/env python3
"""Measure `policyx import` against its targets and print a Markdown table.

    python benchmarks/import_speed.py              # the issue's sizes, 5 alternating rounds (~1-2 min on 2 cores)
    python benchmarks/import_speed.py --rounds 3

Targets: an AIF map of 1,400 nodes and a Kialo discussion of 800 claims each
import within 1 s; a folder of 500 AIF nodesets within 10 s.

Each figure is the median of subprocess runs, as a user runs them (the
installed ``policyx`` script), alternated round by round with two floors
measured in the same run on the same files:

- *read*: a bare Python that reads and parses the same input (``json.load`` of
  every file; for Kialo, reading the text and splitting it into lines);
- *read + write*: the same, then libyaml's dumper (``CSafeDumper``) writing the
  parsed data to /dev/null: what any converter that writes YAML pays at least.

The inputs are generated here (same size and seed, same bytes): a dialogue
map in AIFdb's shape (L-nodes with speaker prefixes, YA, TA, RA and CA
nodes, locutions, participants), a Kialo export with links, and nodesets of
about 40 nodes each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORDS = ("tax vote school city bus lane price rent health energy climate jobs wage law court police border "
         "trade farm water land housing young old council budget").split()


def sentence(rng: random.Random, low: int = 5, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def aif_map(nodes: int, rng: random.Random, start: int = 1) -> dict[str, Any]:
    """A dialogue map of about ``nodes`` nodes: per claim an I-node, an L-node, a YA node,
    a TA node to the next locution and (but for the first claims) an RA or CA node."""
    out: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    locutions: list[dict[str, Any]] = []
    speakers = [("Ann", "Lee", "1"), ("Bo", "Chan", "2"), ("Cy", "Diaz", "3"), ("Di", "Egan", "4")]
    next_id = start
    claims: list[str] = []
    previous_l: str | None = None

    def node(kind: str, text: str) -> str:
        nonlocal next_id
        out.append({"nodeID": str(next_id), "type": kind, "text": text, "timestamp": "2024-01-01 10:00:00"})
        next_id += 1
        return out[-1]["nodeID"]

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    while len(out) < nodes - 5:
        first, last, person = rng.choice(speakers)
        words = sentence(rng)
        i = node("I", words)
        l_node = node("L", f"{first} {last} : {words.lower()}")
        locutions.append({"nodeID": l_node, "personID": person})
        ya = node("YA", "Asserting")
        edge(l_node, ya)
        edge(ya, i)
        if previous_l is not None:
            ta = node("TA", "Default Transition")
            edge(previous_l, ta)
            edge(ta, l_node)
        previous_l = l_node
        if len(claims) > 3:
            kind = "RA" if rng.random() < 0.7 else "CA"
            scheme = node(kind, "Default Inference" if kind == "RA" else "Default Conflict")
            edge(i, scheme)
            edge(scheme, rng.choice(claims[-40:]))
        claims.append(i)
    participants = [{"participantID": p, "firstname": f, "surname": s} for f, s, p in speakers]
    return {"nodes": out, "edges": edges, "locutions": locutions, "participants": participants}


def kialo(claims: int, rng: random.Random) -> str:
    lines = ["Discussion Title: " + sentence(rng) + "?", "", "1. " + sentence(rng) + "."]
    numbers = ["1."]
    children: dict[str, int] = {}
    while len(numbers) < claims:
        parent = rng.choice(numbers[-60:])
        children[parent] = children.get(parent, 0) + 1
        number = f"{parent}{children[parent]}."
        stance = rng.choice(("Pro", "Con"))
        if rng.random() < 0.03 and len(numbers) > 10:
            text = f"-> See {rng.choice(numbers[1:-1])}"
        else:
            text = sentence(rng).replace("(", r"\(") + (r" \(see the report\)." if rng.random() < 0.1 else ".")
        lines.append(f"{number} {stance}: {text}")
        numbers.append(number)
    return "\n".join(lines) + "\n"


def make_inputs(folder: Path) -> dict[str, list[Path]]:
    rng = random.Random(20240611)
    big = folder / "map-1400.json"
    big.write_text(json.dumps(aif_map(1400, rng), indent=1), encoding="utf-8")
    discussion = folder / "kialo-800.txt"
    discussion.write_text(kialo(800, rng), encoding="utf-8")
    nodesets = folder / "nodesets"
    nodesets.mkdir()
    for index in range(500):
        data = aif_map(40, rng, start=index * 1000 + 1)
        (nodesets / f"nodeset{index + 1}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return {"an AIF map of 1,400 nodes": [big], "a Kialo discussion of 800 claims": [discussion],
            "a folder of 500 AIF nodesets": [nodesets]}


FLOOR = r"""
import json, sys, yaml
from pathlib import Path
paths = [p for arg in sys.argv[2:] for p in (sorted(Path(arg).iterdir()) if Path(arg).is_dir() else [Path(arg)])]
data = [json.loads(p.read_text(encoding="utf-8")) if p.suffix == ".json" else p.read_text(encoding="utf-8").splitlines()
        for p in paths]
if sys.argv[1] == "write":
    with open("/dev/null", "w", encoding="utf-8") as out:
        yaml.dump(data, out, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)
"""


def policyx_command() -> list[str]:
    script = Path(sys.executable).parent / "policyx"
    return [str(script)] if script.exists() else [sys.executable, "-m", "policyx"]


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "policyx")], check=True)
    targets = {"an AIF map of 1,400 nodes": 1.0, "a Kialo discussion of 800 claims": 1.0,
               "a folder of 500 AIF nodesets": 10.0}
    print("| import | policyx import | floor: read | floor: read + write YAML | vs read + write | target | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="policyx-import-bench-") as name:
        folder = Path(name)
        inputs = make_inputs(folder)
        for case, paths in inputs.items():
            files = [str(p) for p in paths]
            commands = {
                "policyx": [*policyx_command(), "import", *files, "-o", str(folder / "out" / "kb.yaml")],
                "read": [sys.executable, "-c", FLOOR, "read", *files],
                "write": [sys.executable, "-c", FLOOR, "write", *files],
            }
            (folder / "out").mkdir(exist_ok=True)
            for command in commands.values():  # warm-up: the page cache, the bytecode
                run_once(command)
            times: dict[str, list[float]] = {key: [] for key in commands}
            names = list(commands)
            for index in range(args.rounds):
                for key in names[index % 3:] + names[:index % 3]:
                    times[key].append(run_once(commands[key]))
            median = {key: statistics.median(values) for key, values in times.items()}
            ok = "ok" if median["policyx"] <= targets[case] else "**missed**"
            print(f"| {case} | {median['policyx']:.2f} s | {median['read']:.2f} s | {median['write']:.2f} s "
                  f"| {median['policyx'] / median['write']:.2f}x | < {targets[case]:.0f} s | {ok} |")
    print(f"\nMedian of {args.rounds} alternating rounds; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.")


if __name__ == "__main__":
    main()
