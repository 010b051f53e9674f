#!/usr/bin/env python3
"""Time and memory of the inputs of the second hardening round, next to a floor.

    python benchmarks/hardening.py              # the sizes of issue 15's cases, scaled down 2x
    python benchmarks/hardening.py --scale 1    # issue 15's sizes (minutes with the old code)
    python benchmarks/hardening.py --scale 0.2  # a quick run
    python benchmarks/hardening.py --against /tmp/old-checkout   # also the code of another checkout

Each case writes an input, runs the policyx command on it (stdout to /dev/null) and the
floor next to it in the same run: a bare Python that parses the same file with libyaml
(benchmarks/floor.py --parse-only), which any command must at least do (for the file that
policyx refuses at 2,000,000 values, reading its bytes; for quotes against a source, the parse
plus reading the source and normalising its spacing once). With --against, the same command run
by another checkout of policyx (its folder first on PYTHONPATH) is measured too. It prints a Markdown
table: seconds and peak memory of each, and their ratio. The test suite never times
anything; it asserts the work done (tests/test_scale.py, tests/test_loader_limits.py).
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PEAK, machine  # noqa: E402


def run_once(command: list[str], env: dict[str, str], peak_file: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit status) of one run of ``command`` (``-m NAME ...`` or a script)."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK, str(peak_file), *command], stdout=devnull,
                              stderr=subprocess.DEVNULL, env=env, check=False, cwd=peak_file.parent)
        elapsed = time.perf_counter() - start
    return elapsed, int(peak_file.read_text()), done.returncode


def measure(command: list[str], env: dict[str, str], rounds: int, peak_file: Path) -> tuple[float, int, int]:
    runs = [run_once(command, env, peak_file) for _ in range(rounds)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


# --------------------------------------------------------------------------
# The inputs


def dangling(folder: Path, scale: float) -> tuple[Path, list[str]]:
    """2,000 misspelt for: ids (issue 15, case 8)."""
    n = int(2000 * scale)
    lines = ["version: 1", "actors: [{id: x, name: X}]", "questions: [{id: q, text: Q}]", "positions:"]
    lines += [f"  - {{id: position-number-{i}, question: q, claim: P., held_by: [x], agreement: broad}}"
              for i in range(n)]
    lines += ["arguments:"] + [f"  - {{id: argument-{i}, claim: A., for: positon-number-{i}}}" for i in range(n)]
    path = folder / "dangling.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, ["check", str(path)]


def missing_quotes(folder: Path, scale: float) -> tuple[Path, list[str]]:
    """200 quotes missing from a 55 MB source (issue 15, case 9)."""
    rng = random.Random(9)
    words = "law policy labor trafficking victim worker buyer seller court police state market health".split()
    words += [f"{w}{i}" for w in ("report", "session", "member", "study") for i in range(250)]
    tokens = [rng.choice(words) for _ in range(int(7_000_000 * scale))]
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "big.txt").write_text(" ".join(tokens), encoding="utf-8")
    lines = ["version: 1", "sources: [{id: s, title: S, file: sources/big.txt}]", "actors: [{id: x, name: X}]",
             "questions: [{id: q, text: Q}]",
             "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]", "arguments:"]
    for i in range(200):
        at = rng.randrange(len(tokens) - 20)
        quote = " ".join(tokens[at:at + 10]) + " not in the source " + " ".join(tokens[at + 10:at + 14])
        lines.append(f"  - {{id: a{i}, claim: C{i}., for: p, quote: {json.dumps(quote)}, source: s}}")
    path = folder / "quotes.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, ["check", str(path)]


def spaced_brackets(folder: Path, scale: float) -> tuple[Path, list[str]]:
    """A 120 MB title of '[] [] ...' (issue 15, case 10)."""
    path = folder / "brackets.yaml"
    path.write_text('version: 1\ntitle: "' + "[] " * int(40_000_000 * scale) + '"\n', encoding="utf-8")
    return path, ["check", str(path)]


def empty_mappings(folder: Path, scale: float) -> tuple[Path, list[str]]:
    """31 MB of [{},{},...], refused at 2,000,000 values (issue 15, case 10)."""
    path = folder / "maps.yaml"
    count = max(int(10_000_000 * scale), 2_100_000)  # always past the limit: it is the refusal that is measured
    path.write_text("version: 1\nactors: [" + "{}," * count + "{}]\n", encoding="utf-8")
    return path, ["check", str(path)]


def deep_chain(folder: Path, scale: float) -> Path:
    """A chain of 30,000 rebuttals (issue 15, case 11)."""
    n = int(30_000 * scale)
    lines = ["version: 1", "actors: [{id: x, name: X}]", "questions: [{id: q, text: Q}]",
             "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]", "arguments:",
             "  - {id: a1, claim: Claim 1., for: p, by: x}"]
    lines += [f"  - {{id: a{i}, claim: Claim {i}., against: a{i - 1}, by: x}}" for i in range(2, n + 1)]
    path = folder / "chain.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def many_sides(folder: Path, scale: float) -> tuple[Path, list[str]]:
    """compare of 3,000 ids (issue 15, case 12)."""
    n = int(3000 * scale)
    lines = ["version: 1", "actors:"] + [f"  - {{id: x{i}, name: X{i}}}" for i in range(n)]
    lines += ["questions: [{id: q, text: Q}]", "positions:"]
    lines += [f"  - {{id: p{i}, question: q, claim: P{i}., held_by: [x{i}], agreement: broad}}" for i in range(n)]
    lines += ["arguments:"] + [f"  - {{id: a{i}, claim: A{i}., against: p{(i + 1) % n}, by: x{i}}}" for i in range(n)]
    path = folder / "sides.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, ["--no-cache", "--kb", str(path), "compare", *(f"p{i}" for i in range(n)), "-f", "json"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.5, help="size of the inputs, 1 = issue 15's")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", metavar="DIR", help="also run the policyx of this checkout")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    policyx = ["-m", "policyx"]
    parse_floor = [str(HERE / "floor.py")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env["XDG_CACHE_HOME"] = str(folder / "cache")
        chain = deep_chain(folder, args.scale)
        cases: list[tuple[str, Callable[[Path, float], tuple[Path, list[str]]]]] = [
            ("8. 2,000 misspelt `for:` ids: `check`", dangling),
            ("9. 200 quotes missing from a 55 MB source: `check`", missing_quotes),
            ("10. a 120 MB title of `[] [] ...`: `check`", spaced_brackets),
            ("10. 31 MB of `[{},{},...]`: `check` (refused)", empty_mappings),
            ("12. `compare` of 3,000 ids", many_sides),
        ]
        rows = []
        for label, make in cases:
            path, command = make(folder, args.scale)
            rows.append((label, path, command))
        for command in (["show", "p", "-f", "markdown"], ["map", "--plain"], ["export", "-f", "markdown"],
                        ["show", "p", "-f", "table"]):
            rows.append((f"11. a chain of 30,000 rebuttals: `{' '.join(command)}`", chain,
                         ["--no-cache", "--kb", str(chain), *command]))
        reader = folder / "read.py"  # the floor of a file policyx refuses: reading its bytes
        reader.write_text("import sys\nopen(sys.argv[1], 'rb').read()\n", encoding="utf-8")
        # the floor of checking quotes: parse the file, read the source, normalise its spacing once
        sourced = folder / "sourced.py"
        sourced.write_text(
            "import re, sys\nimport yaml\nyaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
            "text = open(sys.argv[1].rsplit('/', 1)[0] + '/sources/big.txt', encoding='utf-8').read()\n"
            "re.sub(r'\\s+', ' ', text)\n", encoding="utf-8")
        before = dict(env, PYTHONPATH=str(Path(args.against).resolve())) if args.against else None
        print(f"Machine: {machine()}; inputs at scale {args.scale} of issue 15's; median of {args.rounds}.\n")
        head = "| case | policyx | floor | ratio | peak memory (policyx / floor) |"
        print(head + (" before | peak before |" if before else ""))
        print("|---|---:|---:|---:|---:|" + ("---:|---:|" if before else ""))
        for label, path, command in rows:
            peak_file = folder / "peak"
            seconds, peak, _ = measure([*policyx, *command], env, args.rounds, peak_file)
            if "refused" in label:
                floor = [str(reader), str(path)]
            elif "quotes" in label:
                floor = [str(sourced), str(path)]
            else:
                floor = [*parse_floor, str(path), "--parse-only"]
            floor_seconds, floor_peak, _ = measure(floor, env, args.rounds, peak_file)
            line = (f"| {label} | {seconds:.2f} s | {floor_seconds:.2f} s | {seconds / floor_seconds:.2f}x |"
                    f" {peak // 1024} / {floor_peak // 1024} MiB |")
            if before is not None:
                old_seconds, old_peak, _ = measure([*policyx, *command], before, 1, peak_file)
                line += f" {old_seconds:.2f} s | {old_peak // 1024} MiB |"
            print(line, flush=True)


if __name__ == "__main__":
    main()
