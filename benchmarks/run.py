#!/usr/bin/env python3
"""Measure policyx against the targets of issue 5 and print a Markdown report.

    python benchmarks/run.py                      # cold start + 1k, 10k, 100k arguments (~3-4 min on 2 cores)
    python benchmarks/run.py --sizes 1000,10000   # smaller
    python benchmarks/run.py --sizes none         # cold start only

Every figure is a subprocess run as a user runs it (the installed ``policyx``
script, stdout to /dev/null), timed with a monotonic clock; peak memory is
the child's own ``ru_maxrss`` (os.wait4). Commands that are compared are
alternated round by round, after warm-up runs, and the median is reported.

Targets (ratios, same machine, same run):
- cold start, bundled knowledge base: ``policyx list arguments --format json``
  <= 2.0x the floor (benchmarks/floor.py: CSafeLoader + json.dumps);
- N arguments: first query without cache <= 1.2x the bare CSafeLoader parse;
  a repeated query (cache warm) <= 0.1x that parse; peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402

Command = list[str]


#: Runs a module (-m NAME) or a script, then writes its own peak resident memory (VmHWM, KiB)
#: to the file argv[1] names. A child's ru_maxrss would not do on Linux: it starts from the
#: parent's at the fork, and the benchmark holds the inputs it generated
#: (corpus.py's library: about 215 MB, which every command's figure showed).
PEAK = """
import atexit, re, runpy, sys
out = sys.argv.pop(1)
def peak():
    with open(out, "w") as f:
        f.write(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
atexit.register(peak)
target = sys.argv.pop(1)
if target == "-m":
    name = sys.argv.pop(1)
    sys.argv = [name, *sys.argv[1:]]
    runpy.run_module(name, run_name="__main__", alter_sys=True)
else:
    sys.argv = [target, *sys.argv[1:]]
    runpy.run_path(target, run_name="__main__")
"""


def alternated(ways: dict[str, Callable[[], object]], rounds: int,
               clock: Callable[[], float] | None = time.perf_counter,
               before: Callable[[], object] | None = None) -> dict[str, float]:
    """Median seconds (by ``clock``; with None, the seconds each way returns, as a child process's
    CPU time) of each way, after one warm-up each, the ways alternated (order rotating) round by
    round; ``before`` runs before each timed run."""
    names = list(ways)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up
        ways[name]()
    for turn in range(rounds):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            if before is not None:
                before()
            if clock is None:
                times[name].append(float(ways[name]()))  # type: ignore[arg-type]
                continue
            start = clock()
            ways[name]()
            times[name].append(clock() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def policyx_command() -> Command:
    """The installed console script next to this Python, as users run it."""
    script = Path(sys.executable).parent / "policyx"
    return [str(script)] if script.exists() else [sys.executable, "-m", "policyx"]


def run_once(command: Command, env: dict[str, str]) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one run; fails loudly on a non-zero exit."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode not in (0, 1):  # 1: a filter matched nothing, still a measured query
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors}")
    return elapsed, usage.ru_maxrss


def measure(
    commands: dict[str, Command], env: dict[str, str], rounds: int, warmup: int = 1
) -> dict[str, tuple[float, int]]:
    """Median seconds and max peak RSS of each command, alternating them round by round."""
    for _ in range(warmup):
        for command in commands.values():
            run_once(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = dict.fromkeys(commands, 0)
    names = list(commands)
    for index in range(rounds):
        order = names[index % len(names):] + names[:index % len(names)]  # rotate: no fixed position
        for name in order:
            seconds, peak = run_once(commands[name], env)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(times[name]), peaks[name]) for name in names}


#: The issue's size targets are for 100,000 arguments; below that, Python's
#: start-up is a large share of every run and the ratios only show the trend.
TARGET_SIZE = 100_000


def verdict(ratio: float, target: float, applies: bool = True) -> str:
    if not applies:
        return "(at 100k)"
    return "ok" if ratio <= target else "**missed**"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml

    import policyx

    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if yaml.__with_libyaml__ else 'NO'}), policyx {policyx.__version__}"
    )


def has_query_module() -> bool:
    import importlib.util

    return importlib.util.find_spec("policyx.views.listing") is not None


def cold_start(env: dict[str, str], rounds: int) -> list[str]:
    policyx = policyx_command()
    bundled = str(ROOT / "data" / "positions.yaml")
    commands = {
        "floor": [sys.executable, str(HERE / "floor.py"), bundled],
        "warm": [*policyx, "--kb", bundled, "list", "arguments", "--format", "json"],
        "nocache": [*policyx, "--kb", bundled, "--no-cache", "list", "arguments", "--format", "json"],
        "typer": [*policyx, "--kb", bundled, "list", "arguments", "--format", "json"],
        "python": [sys.executable, "-c", "pass"],
    }
    typer_env = dict(env, POLICYX_NO_FASTPATH="1")
    results = measure({k: v for k, v in commands.items() if k != "typer"}, env, rounds, warmup=2)
    results["typer"] = measure({"typer": commands["typer"]}, typer_env, max(3, rounds // 3), warmup=1)["typer"]
    floor = results["floor"][0]
    rows = [
        ("bare `python -c pass`", "python", None),
        ("floor: `floor.py` (CSafeLoader + json.dumps)", "floor", None),
        ("`policyx list arguments --format json`, cache warm", "warm", 2.0),
        ("same with `--no-cache`", "nocache", 2.0),
        ("same through Typer (`POLICYX_NO_FASTPATH=1`), cache warm", "typer", None),
    ]
    lines = [
        f"### Cold start: bundled knowledge base (median of {rounds} alternating runs)",
        "",
        "| command | time | vs floor | target | |",
        "|---|---:|---:|---:|---|",
    ]
    for label, key, target in rows:
        seconds = results[key][0]
        ratio = seconds / floor
        lines.append(
            f"| {label} | {seconds * 1000:.1f} ms | {ratio:.2f}x | "
            f"{f'<= {target}x' if target else ''} | {verdict(ratio, target) if target else ''} |"
        )
    return lines


def queries(kb: str, n_positions: int) -> dict[str, Command]:
    """Repeated queries: filters and searches once the query module exists."""
    found = {
        "list questions -f json": ["list", "questions", "-f", "json"],
        "list arguments -f ids": ["list", "arguments", "-f", "ids"],
        "list arguments -f json (all, largest output)": ["list", "arguments", "-f", "json"],
    }
    if has_query_module():
        found.update({
            "list arguments --tag health --type empirical -f json": [
                "list", "arguments", "--tag", "health", "--type", "empirical", "-f", "json"],
            "list arguments --against position-1 --deep -f ids": [
                "list", "arguments", "--against", "position-1", "--deep", "-f", "ids"],
            "list positions --agreement broad --sort id -f jsonl": [
                "list", "positions", "--agreement", "broad", "--sort", "id", "-f", "jsonl"],
            "search 'market reform' -f ids": ["search", "market reform", "-f", "ids"],
            "show position-1 -f json": ["show", "position-1", "-f", "json"],
            f"compare position-1 position-{n_positions} -f json": [
                "compare", "position-1", f"position-{n_positions}", "-f", "json"],
        })
    return {label: ["--kb", kb, *argv] for label, argv in found.items()}


def size_report(n: int, env: dict[str, str], rounds: int) -> list[str]:
    policyx = policyx_command()
    path = HERE / "out" / f"kb-{n}" / "positions.yaml"
    make_kb.write_kb(n, path, seed=1)
    kb = str(path)
    megabytes = path.stat().st_size / 1e6
    n_positions = max(3, n // 20)
    at_target = n >= TARGET_SIZE
    first = [*policyx, "--kb", kb, "--no-cache", "list", "questions", "-f", "json"]
    base = measure({
        "bare": [sys.executable, str(HERE / "floor.py"), kb, "--parse-only"],
        "first": first,
    }, env, rounds, warmup=0)
    bare = base["bare"][0]
    # Fill the cache once (a first query with the cache on), then repeat queries.
    fill_seconds, fill_peak = run_once([*policyx, "--kb", kb, "list", "questions", "-f", "json"], env)
    repeated = measure(
        {label: [*policyx, *argv] for label, argv in queries(kb, n_positions).items()},
        env, max(3, rounds), warmup=1,
    )
    lines = [
        f"### {n:,} arguments ({megabytes:.1f} MB of YAML; median of {rounds} alternating runs, repeated queries of "
        f"{max(3, rounds)})",
        "",
        "| step | time | vs bare parse | target | | peak memory |",
        "|---|---:|---:|---:|---|---:|",
        f"| bare parse (`floor.py --parse-only`) | {bare:.2f} s | 1.00x | | | {base['bare'][1] / 1024:.0f} MiB |",
        f"| first query, `--no-cache list questions -f json` | {base['first'][0]:.2f} s | "
        f"{base['first'][0] / bare:.2f}x | <= 1.2x | {verdict(base['first'][0] / bare, 1.2, at_target)} | "
        f"{base['first'][1] / 1024:.0f} MiB |",
        f"| first query with the cache on (parses, writes the cache) | {fill_seconds:.2f} s | "
        f"{fill_seconds / bare:.2f}x | | | {fill_peak / 1024:.0f} MiB |",
    ]
    for label, (seconds, peak) in repeated.items():
        ratio = seconds / bare
        lines.append(
            f"| repeated, cache warm: `{label}` | {seconds:.2f} s | {ratio:.3f}x | <= 0.1x | "
            f"{verdict(ratio, 0.1, at_target)} | {peak / 1024:.0f} MiB |"
        )
    peak = max(p for _, p in [*base.values(), *repeated.values(), (0, fill_peak)]) / 1024
    lines.append(f"| peak memory of any policyx or floor run | | | < 1024 MiB | {verdict(peak, 1024)} | "
                 f"{peak:.0f} MiB |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated argument counts, or 'none'")
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds for the cold start")
    parser.add_argument("--size-rounds", type=int, default=3, help="alternating rounds per size")
    args = parser.parse_args()
    sizes = [] if args.sizes == "none" else [int(s) for s in args.sizes.split(",")]

    # Compiled bytecode, as an installed wheel has (PYTHONDONTWRITEBYTECODE would
    # otherwise make every run compile policyx from source).
    import compileall

    import policyx

    compileall.compile_dir(str(Path(policyx.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory(prefix="policyx-bench-") as cache:
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
        env["XDG_CACHE_HOME"] = cache
        started = time.perf_counter()
        print(f"Machine: {machine()}\n")
        print("\n".join(cold_start(env, args.rounds)), flush=True)
        for n in sizes:
            print()
            print("\n".join(size_report(n, env, args.size_rounds)), flush=True)
        print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
