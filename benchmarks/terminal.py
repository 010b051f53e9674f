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
with each other alternate round by round after a warm-up; the median is reported, with the
child's CPU time (user + system, from os.wait4) beside the wall-clock time: on a machine
shared with other jobs the wall-clock times wander, the CPU times much less. The cache lives
in a temporary XDG_CACHE_HOME.
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


def _reap(process: subprocess.Popen[bytes], command: Command) -> float:
    """Wait for ``process``; the CPU seconds it used (user + system), which a busy machine
    inflates far less than the wall-clock time."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime


def on_terminal(command: Command, env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds to the first byte on the terminal, seconds to the end, CPU seconds) of one run."""
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
    cpu = _reap(process, command)
    total = time.perf_counter() - start
    return first if first is not None else total, total, cpu


def in_pipe(command: Command, env: dict[str, str], null: bool = False) -> tuple[float, float]:
    """(seconds, CPU seconds) of one run with stdout to a pipe (completion, as a shell reads
    it) or to /dev/null (the floor)."""
    start = time.perf_counter()
    stdout = subprocess.DEVNULL if null else subprocess.PIPE
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    if process.stdout is not None:
        process.stdout.read()
        process.stdout.close()
    cpu = _reap(process, command)
    return time.perf_counter() - start, cpu


Run = tuple[str, Command, dict[str, str]]  # how (terminal, pipe, null), the command, its environment


class Figures:
    """Medians of one command's runs: first bytes, end, and CPU time (seconds)."""

    def __init__(self, firsts: list[float], totals: list[float], cpus: list[float]) -> None:
        self.first = statistics.median(firsts)
        self.total = statistics.median(totals)
        self.cpu = statistics.median(cpus)


def measure(runs: dict[str, Run], rounds: int, warmup: int = 1) -> dict[str, Figures]:
    """The median figures of each run, alternating them round by round."""

    def once(how: str, command: Command, env: dict[str, str]) -> tuple[float, float, float]:
        if how == "terminal":
            return on_terminal(command, env)
        seconds, cpu = in_pipe(command, env, null=how == "null")
        return seconds, seconds, cpu

    for _ in range(warmup):
        for run in runs.values():
            once(*run)
    found: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name in runs}
    names = list(runs)
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            for values, value in zip(found[name], once(*runs[name]), strict=True):
                values.append(value)
    return {name: Figures(*found[name]) for name in names}


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
    floor = results["floor"]
    lines = [
        f"### Tables, trees and the map on a terminal: bundled knowledge base (median of {rounds} alternating runs)",
        "",
        "| command (stdout on a pty, cache warm) | time | vs floor | CPU time | vs floor | target | |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| floor: `floor.py` (CSafeLoader + json.dumps, stdout to /dev/null) | {floor.total * 1000:.1f} ms | 1.00x | "
        f"{floor.cpu * 1000:.1f} ms | 1.00x | | |",
    ]
    for label in [*commands, "typer"]:
        found = results[label]
        wall, cpu = found.total / floor.total, found.cpu / floor.cpu
        shown = "`list arguments -f table` through Typer (`POLICYX_NO_FASTPATH=1`)" if label == "typer" else label
        target = "" if label == "typer" else "<= 2.5x"
        lines.append(f"| {shown} | {found.total * 1000:.1f} ms | {wall:.2f}x | {found.cpu * 1000:.1f} ms | "
                     f"{cpu:.2f}x | {target} | {verdict(wall, 2.5) if target else ''} |")
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
    floor = results["floor"].total
    first, total = results["stream"].first, results["stream"].total
    whole_first, whole_total = results["whole"].first, results["whole"].total
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
    "`policyx export -q crim<Tab>` (questions)": "policyx export -q crim",
    "`policyx check -f <Tab>` (check's formats)": "policyx check -f ",
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
    floor = results["floor"]
    lines = [
        f"### Tab completion: bundled knowledge base (median of {rounds} alternating runs)",
        "",
        "| completion (bash unless said) | time | vs floor | CPU time | target | |",
        "|---|---:|---:|---:|---:|---|",
        f"| floor: `floor.py` (CSafeLoader + json.dumps) | {floor.total * 1000:.1f} ms | 1.00x | "
        f"{floor.cpu * 1000:.1f} ms | | |",
    ]
    for label in [*COMPLETIONS, "zsh", "typer"]:
        found = results[label]
        shown = {"zsh": "`policyx show crim<Tab>` in zsh",
                 "typer": "`policyx show crim<Tab>` through Typer (`POLICYX_NO_FASTPATH=1`)"}.get(label, label)
        target = "" if label == "typer" else "<= 0.15 s"
        lines.append(f"| {shown} | {found.total * 1000:.1f} ms | {found.total / floor.total:.2f}x | "
                     f"{found.cpu * 1000:.1f} ms | {target} | {verdict(found.total, 0.15) if target else ''} |")
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
