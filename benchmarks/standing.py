#!/usr/bin/env python3
"""Measure ``policyx standing`` (issue "What stands") beside a floor measured in the same run.

    python benchmarks/standing.py                 # about a minute on 2 cores
    python benchmarks/standing.py --rounds 3 --no-cli

Targets: grounded semantics on 100,000 arguments with cycles within 1 s warm; preferred on
1,000 arguments with many cycles within 5 s, or a clean time-out message.

1. Grounded, in process: a generated framework of 100,000 arguments (threads of two to five
   arguments attacking each other in a cycle, some self-attacks, and attacks across threads),
   labelled again and again after a first run (warm); the floor beside it is one pure-Python pass
   that reads each attack once and counts it, the least any labelling in Python must do.
2. Grounded, as a user runs it: ``policyx standing -f jsonl`` on a generated knowledge base of
   100,000 arguments (make_kb.py; schema version 1 is a tree, so it has no cycles), warm cache,
   beside ``floor.py`` (libyaml parsing the same file and writing its arguments as JSON).
3. Preferred and stable on 1,000 arguments with many cycles, in process, with the command's own
   5 s limit: a debate-like framework (cycles in threads, few attacks across them) and a tangled
   one (as many attacks across threads as arguments), which may end in the time-out message.

Same seed, same frameworks.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from policyx.kb.semantics import Framework, TooHard, extensions, grounded  # noqa: E402


def cyclic(n: int, seed: int, across: float) -> Framework:
    """``n`` arguments in threads of 1-5; each thread of two or more a cycle of attacks, a third of
    the single ones attacking themselves; ``across * n`` attacks from an argument to one of the 30
    after it."""
    rng = random.Random(seed)
    ids = [f"a{i}" for i in range(n)]
    attacks: list[tuple[int, int]] = []
    i = 0
    while i < n:
        k = min(rng.choice([1, 2, 2, 3, 4, 5]), n - i)
        if k == 1:
            if rng.random() < 0.3:
                attacks.append((i, i))
        else:
            attacks += [(i + j, i + (j + 1) % k) for j in range(k)]
        i += k
    for _ in range(int(across * n)):
        a = rng.randrange(n)
        attacks.append((a, min(n - 1, a + rng.randint(1, 30))))
    return Framework(ids, [(ids[a], ids[b]) for a, b in attacks])


def floor_pass(framework: Framework) -> list[int]:
    """Read every attack once and count it: the floor of any labelling in Python."""
    count = [0] * len(framework.ids)
    for targets in framework.targets:
        for b in targets:
            count[b] += 1
    return count


def timed(function: object, rounds: int) -> float:
    times = []
    for _ in range(rounds + 1):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])  # the first run warms up


def in_process(rounds: int) -> list[str]:
    framework = cyclic(100_000, 1, 0.5)
    labels = grounded(framework)
    attacks = sum(len(t) for t in framework.targets)
    ours = timed(lambda: grounded(framework), rounds)
    floor = timed(lambda: floor_pass(framework), rounds)
    undecided = labels.count("undecided")
    lines = [
        f"## Grounded on 100,000 arguments with cycles ({attacks:,} attacks; {undecided:,} undecided)",
        "",
        "| what | median s | x floor | target |",
        "|---|---:|---:|---|",
        f"| floor: one pass counting the attacks | {floor:.3f} | 1.0 | |",
        f"| grounded labelling | {ours:.3f} | {ours / floor:.1f} | within 1 s: {'ok' if ours <= 1 else 'missed'} |",
        "",
    ]
    lines += ["## Preferred and stable on 1,000 arguments with many cycles (limit 5 s)", "",
              "| framework | semantics | undecided | result | s |", "|---|---|---:|---|---:|"]
    for name, across in (("debate-like (0.2 n attacks across threads)", 0.2), ("tangled (n attacks across)", 1.0)):
        small = cyclic(1_000, 2, across)
        ground = grounded(small)
        for semantics in ("preferred", "stable"):
            start = time.perf_counter()
            try:
                found = extensions(small, semantics, 5.0, ground)
                result = ("too many extensions to count: labels by a search per argument" if found.count is None
                          else f"{found.count:.3g} extensions" if found.count else "no stable extension")
            except TooHard as exc:
                result = f"time-out: {exc}"
            seconds = time.perf_counter() - start
            lines.append(f"| {name} | {semantics} | {ground.count('undecided')} | {result} | {seconds:.2f} |")
    return [*lines, ""]


def from_the_command_line(rounds: int) -> list[str]:
    import os

    import make_kb
    from run import measure, policyx_command

    with tempfile.TemporaryDirectory() as tmp:
        path = make_kb.write_kb(100_000, Path(tmp) / "kb" / "positions.yaml", seed=1)
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache"), "POLICYX_KB": str(path)}
        env.pop("NO_COLOR", None)
        commands = {
            "floor.py (libyaml, JSON out)": [sys.executable, str(HERE / "floor.py"), str(path)],
            "policyx standing -f jsonl": [*policyx_command(), "standing", "-f", "jsonl"],
        }
        results = measure(commands, env, rounds)
    floor = results["floor.py (libyaml, JSON out)"][0]
    lines = ["## `policyx standing` on a knowledge base of 100,000 arguments (warm cache)", "",
             "| command | median s | x floor | peak MiB |", "|---|---:|---:|---:|"]
    for name, (seconds, peak) in results.items():
        lines.append(f"| {name} | {seconds:.2f} | {seconds / floor:.2f} | {peak / 1024:.0f} |")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-cli", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    lines = in_process(args.rounds)
    if not args.no_cli:
        lines += from_the_command_line(args.rounds)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
