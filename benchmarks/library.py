#!/usr/bin/env python3
"""Measure a library of knowledge bases against one knowledge base of the same size.

    python benchmarks/library.py                    # 200 knowledge bases of 500 arguments (~3 min on 2 cores)
    python benchmarks/library.py --kbs 20 --size 500 --rounds 3

The target: a library of 200 knowledge bases of 500 arguments each answers a
warm ``list questions`` within 2x the time one knowledge base of the same
100,000 arguments takes (the floor, measured in the same run, alternating). Also
shown: one knowledge base of 500 arguments (start-up and one small cache), the
worst case where every id is used by every knowledge base (all qualified as
NAME:id), and the first run after one of the 200 files changed (it re-reads
that one file only).

The library's knowledge bases come from make_kb.py (seeds 1..K), each with its
own ids (``h001-arg-1``...): separate hearings name their entries apart, and
share only the two legal models every generated knowledge base has.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import machine, measure, policyx_command, run_once  # noqa: E402

_IDS = re.compile(r"\b(arg|position|question|actor|source)-(\d+)\b")


def write_library(folder: Path, kbs: int, size: int, own_ids: bool) -> None:
    """``kbs`` knowledge bases of ``size`` arguments, one folder each (with its source texts)."""
    for index in range(1, kbs + 1):
        path = make_kb.write_kb(size, folder / f"h{index:03d}" / "debate.yaml", seed=index)
        if not own_ids:
            continue
        prefix = f"h{index:03d}-"
        path.write_text(_IDS.sub(prefix + r"\g<0>", path.read_text(encoding="utf-8")), encoding="utf-8")
        for source in (path.parent / "sources").iterdir():
            source.rename(source.with_name(prefix + source.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kbs", type=int, default=200, help="knowledge bases in the library")
    parser.add_argument("--size", type=int, default=500, help="arguments in each")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds")
    args = parser.parse_args()
    total = args.kbs * args.size

    import compileall

    import policyx

    compileall.compile_dir(str(Path(policyx.__file__).parent), quiet=1)
    policyx_cli = policyx_command()
    with tempfile.TemporaryDirectory(prefix="policyx-library-") as work:
        root = Path(work)
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
        env["XDG_CACHE_HOME"] = str(root / "cache")
        started = time.perf_counter()
        small = make_kb.write_kb(args.size, root / "one-small" / "positions.yaml", seed=1)
        large = make_kb.write_kb(total, root / "one-large" / "positions.yaml", seed=1)
        write_library(root / "library", args.kbs, args.size, own_ids=True)
        write_library(root / "shared", args.kbs, args.size, own_ids=False)
        query = ["list", "questions", "-f", "ids"]
        commands = {
            "small": [*policyx_cli, "--kb", str(small), *query],
            "large": [*policyx_cli, "--kb", str(large), *query],
            "library": [*policyx_cli, "--kb", str(root / "library"), *query],
            "shared": [*policyx_cli, "--kb", str(root / "shared"), *query],
        }
        for command in commands.values():  # fill the caches
            run_once(command, env)
        results = measure(commands, env, args.rounds, warmup=1)
        # one knowledge base of the library changes: the next run re-reads that one only
        changed = root / "library" / f"h{args.kbs // 2:03d}" / "debate.yaml"
        after_change = []
        for _ in range(args.rounds):
            changed.write_text(changed.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
            after_change.append(run_once(commands["library"], env)[0])
        after_change.sort()
        floor = results["large"][0]
        rows = [
            (f"one knowledge base of {args.size:,} arguments", "small", None),
            (f"**floor**: one knowledge base of {total:,} arguments", "large", None),
            (f"library of {args.kbs} x {args.size:,} arguments, each with its own ids", "library", 2.0),
            (f"the same library, every id used by all {args.kbs} (all shown as NAME:id): worst case", "shared", None),
        ]
        print(f"Machine: {machine()}\n")
        print(f"### A library: warm `policyx --kb FOLDER list questions -f ids` (median of {args.rounds} "
              "alternating runs)\n")
        # (no memory column: a child's ru_maxrss counts the pages it shared with this process,
        # which has just generated 100,000 arguments, until it runs policyx)
        print("| knowledge bases | time | vs floor | target | |")
        print("|---|---:|---:|---:|---|")
        for label, key, target in rows:
            seconds = results[key][0]
            ratio = seconds / floor
            verdict = "" if target is None else ("ok" if ratio <= target else "**missed**")
            print(f"| {label} | {seconds:.2f} s | {ratio:.2f}x | {f'<= {target}x' if target else ''} | {verdict} |")
        middle = after_change[len(after_change) // 2]
        print(f"| the library after one of its {args.kbs} files changed (re-reads that one) | {middle:.2f} s | "
              f"{middle / floor:.2f}x | | |")
        print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
