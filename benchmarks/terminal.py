#!/usr/bin/env python3
"""Measure policyx on a terminal, and tab completion, against the floor; print Markdown tables.

    python benchmarks/terminal.py                 # ~1-2 minutes on 2 cores
    python benchmarks/terminal.py --rounds 5 --size 2000

The targets of issue 9 ("Speed on a terminal"), every figure next to the floor
(benchmarks/floor.py: libyaml parse + JSON of the same file) measured in the same run:

- a table, tree or map command on the bundled knowledge base (``list arguments -f table``,
  ``show ID -f table``, ``map``) costs at most 2.5x the floor;
- on a terminal, ``list arguments`` of a 10,000-argument knowledge base (cache warm) shows its
  first lines within 1.0 s and finishes within 3 s;
- tab completion answers within 0.15 s.

Terminal commands run as a user runs them: the installed ``policyx`` script with its stdout
on a pseudo-terminal (Python's pty module, 100 x 40) and stdin from /dev/null (so no pager).
"First lines" is the time until the first bytes arrive on the terminal; "finished" the time
until the program has exited and the terminal has everything. Completions run with the
variables the installed bash/zsh completion scripts set, stdout to a pipe. Commands compared
with each other alternate round by round after a warm-up; the median is reported. The cache
lives in a temporary XDG_CACHE_HOME.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import machine, policyx_command  # noqa: E402

Command = list[str]


def on_terminal(command: Command, env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first byte on the terminal, seconds to the end) of one run."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env,
                               close_fds=True)
    os.close(slave)
    first: float | None = None
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise SystemExit(f"no output for 60 s: {' '.join(command)}")
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the program has closed the terminal (Linux: EIO)
                break
            if not data:
                break
            if first is None:
                first = time.perf_counter() - start
    finally:
        os.close(master)
    status = process.wait()
    total = time.perf_counter() - start
    if status not in (0, 1):
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return first if first is not None else total, total


def in_pipe(command: Command, env: dict[str, str], null: bool = False) -> float:
    """Seconds of one run with stdout to a pipe (completion, as a shell reads it) or /dev/null (the floor)."""
    start = time.perf_counter()
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL if null else subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return elapsed


Run = tuple[str, Command, dict[str, str]]  # how (terminal, pipe, null), the command, its environment


def measure(runs: dict[str, Run], rounds: int, warmup: int = 1) -> dict[str, tuple[float, float]]:
    """Median (first byte, total) of each run, alternating them round by round."""

    def once(how: str, command: Command, env: dict[str, str]) -> tuple[float, float]:
        if how == "terminal":
            return on_terminal(command, env)
        seconds = in_pipe(command, env, null=how == "null")
        return seconds, seconds

    for _ in range(warmup):
        for run in runs.values():
            once(*run)
    firsts: dict[str, list[float]] = {name: [] for name in runs}
    totals: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            first, total = once(*runs[name])
            firsts[name].append(first)
            totals[name].append(total)
    return {name: (statistics.median(firsts[name]), statistics.median(totals[name])) for name in names}


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "**missed**"


def tables_report(env: dict[str, str], rounds: int) -> list[str]:
    policyx = policyx_command()
    bundled = str(ROOT / "data" / "positions.yaml")
    typer_env = dict(env, POLICYX_NO_FASTPATH="1")
    commands = {
        "`list arguments -f table`": ["list", "arguments", "-f", "table"],
        "`show criminalize-johns -f table`": ["show", "criminalize-johns", "-f", "table"],
        "`compare criminalize-johns do-not-criminalize-johns`": [
            "compare", "criminalize-johns", "do-not-criminalize-johns"],
        "`search johns` (highlighted table)": ["search", "johns"],
        "`map` (the coloured tree)": ["map"],
    }
    runs: dict[str, Run] = {"floor": ("null", [sys.executable, str(HERE / "floor.py"), bundled], env)}
    for label, argv in commands.items():
        runs[label] = ("terminal", [*policyx, "--kb", bundled, *argv], env)
    runs["typer"] = ("terminal", [*policyx, "--kb", bundled, *commands["`list arguments -f table`"]], typer_env)
    results = measure(runs, rounds, warmup=2)
    floor = results["floor"][1]
    lines = [
        f"### Tables, trees and the map on a terminal: bundled knowledge base (median of {rounds} alternating runs)",
        "",
        "| command (stdout on a pty, cache warm) | time | vs floor | target | |",
        "|---|---:|---:|---:|---|",
        f"| floor: `floor.py` (CSafeLoader + json.dumps, stdout to /dev/null) | {floor * 1000:.1f} ms | 1.00x | | |",
    ]
    for label in commands:
        total = results[label][1]
        lines.append(f"| {label} | {total * 1000:.1f} ms | {total / floor:.2f}x | <= 2.5x | "
                     f"{verdict(total / floor, 2.5)} |")
    typer_total = results["typer"][1]
    lines.append(f"| `list arguments -f table` through Typer (`POLICYX_NO_FASTPATH=1`) | {typer_total * 1000:.1f} ms | "
                 f"{typer_total / floor:.2f}x | | |")
    return lines


def large_report(n: int, env: dict[str, str], rounds: int) -> list[str]:
    policyx = policyx_command()
    path = HERE / "out" / f"kb-{n}" / "positions.yaml"
    if not path.exists():
        make_kb.write_kb(n, path, seed=1)
    kb = str(path)
    subprocess.run([*policyx, "--kb", kb, "list", "questions", "-f", "ids"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fills the cache
    whole = (
        "import sys\nfrom policyx.kb.store import open_kb\nfrom policyx.views.listing import Filters, list_listing\n"
        "from policyx.output.table import render_table\nfrom pathlib import Path\n"
        "kb = open_kb(Path(sys.argv[1]))\n"
        "sys.stdout.write(render_table(list_listing(kb, 'arguments', Filters()), 100, True))\n"
    )
    runs: dict[str, Run] = {
        "floor": ("null", [sys.executable, str(HERE / "floor.py"), kb], env),
        "stream": ("terminal", [*policyx, "--kb", kb, "list", "arguments"], env),
        "whole": ("terminal", [sys.executable, "-c", whole, kb], env),
    }
    results = measure(runs, rounds, warmup=1)
    floor = results["floor"][1]
    first, total = results["stream"]
    whole_first, whole_total = results["whole"]
    return [
        f"### {n:,} arguments on a terminal ({path.stat().st_size / 1e6:.1f} MB of YAML; "
        f"median of {rounds} alternating runs)",
        "",
        "| | first lines | finished | vs floor | target | |",
        "|---|---:|---:|---:|---:|---|",
        f"| floor: `floor.py` (parse + JSON of all arguments, stdout to /dev/null) | | {floor:.2f} s | 1.00x | | |",
        f"| `policyx list arguments` on a pty, cache warm | {first:.2f} s | {total:.2f} s | {total / floor:.2f}x | "
        f"<= 1.0 s / <= 3 s | {'ok' if first <= 1.0 and total <= 3.0 else '**missed**'} |",
        f"| the same table laid out whole by one Rich `Table` (`render_table`, cache warm) | {whole_first:.2f} s | "
        f"{whole_total:.2f} s | {whole_total / floor:.2f}x | | |",
    ]


COMPLETIONS = {
    "`policyx <Tab>` (command names)": "policyx ",
    "`policyx show crim<Tab>` (ids)": "policyx show crim",
    "`policyx list --by ind<Tab>` (actors)": "policyx list --by ind",
    "`policyx list arguments --sort t<Tab>` (fields)": "policyx list arguments --sort t",
    "`policyx map --tag jo<Tab>` (tags)": "policyx map --tag jo",
    "`policyx list --<Tab>` (option names)": "policyx list --",
    "`policyx export -q crim<Tab>` (Typer's: not on the fast path)": "policyx export -q crim",
}


def completion_report(env: dict[str, str], rounds: int) -> list[str]:
    policyx = policyx_command()
    bundled = str(ROOT / "data" / "positions.yaml")

    def bash(line: str, **extra: str) -> dict[str, str]:
        cword = len(line.split()) - (0 if line.endswith(" ") else 1)
        return dict(env, _POLICYX_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(cword),
                    POLICYX_KB=bundled, **extra)

    runs: dict[str, Run] = {"floor": ("null", [sys.executable, str(HERE / "floor.py"), bundled], env)}
    for label, line in COMPLETIONS.items():
        runs[label] = ("pipe", policyx, bash(line))
    zsh = dict(env, _POLICYX_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="policyx show crim", POLICYX_KB=bundled)
    runs["zsh"] = ("pipe", policyx, zsh)
    runs["typer"] = ("pipe", policyx, bash("policyx show crim", POLICYX_NO_FASTPATH="1"))
    results = measure(runs, rounds, warmup=1)
    floor = results["floor"][1]
    lines = [
        f"### Tab completion: bundled knowledge base (median of {rounds} alternating runs)",
        "",
        "| completion (bash unless said) | time | vs floor | target | |",
        "|---|---:|---:|---:|---|",
        f"| floor: `floor.py` (CSafeLoader + json.dumps) | {floor * 1000:.1f} ms | 1.00x | | |",
    ]
    for label in [*COMPLETIONS, "zsh", "typer"]:
        seconds = results[label][1]
        shown = {"zsh": "`policyx show crim<Tab>` in zsh",
                 "typer": "`policyx show crim<Tab>` through Typer (`POLICYX_NO_FASTPATH=1`)"}.get(label, label)
        target = "" if label == "typer" else "<= 0.15 s"
        lines.append(f"| {shown} | {seconds * 1000:.1f} ms | {seconds / floor:.2f}x | {target} | "
                     f"{verdict(seconds, 0.15) if target else ''} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds for the bundled knowledge base")
    parser.add_argument("--size", type=int, default=10_000, help="arguments of the large knowledge base")
    parser.add_argument("--size-rounds", type=int, default=5, help="alternating rounds for the large one")
    args = parser.parse_args()

    import compileall

    import typer

    import policyx

    compileall.compile_dir(str(Path(policyx.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory(prefix="policyx-bench-") as cache:
        env = {k: v for k, v in os.environ.items()
               if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB", "NO_COLOR", "FORCE_COLOR", "PAGER", "COLUMNS",
                            "LINES")}
        env.update(XDG_CACHE_HOME=cache, TERM="xterm-256color")
        started = time.perf_counter()
        print(f"Machine: {machine()}, Typer {typer.__version__}\n")
        print("\n".join(tables_report(env, args.rounds)), flush=True)
        print()
        print("\n".join(completion_report(env, args.rounds)), flush=True)
        print()
        print("\n".join(large_report(args.size, env, args.size_rounds)), flush=True)
        print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
