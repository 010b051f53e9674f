#!/usr/bin/env python3
"""Measure a corpus opened as a library of many small files against one file of the same data.

    python benchmarks/corpus.py                      # 1,500 files of 12 arguments (QT30's shape)
    python benchmarks/corpus.py --kbs 100 --rounds 3 # a quick look
    python benchmarks/corpus.py --us2016 /tmp/corpus-us2016    # also a folder of real AIF nodesets
    python benchmarks/corpus.py --kbs 0 --us2016 /tmp/corpus-us2016 --copies 3  # real nodesets, QT30's size

The floor is the same data as one knowledge base, measured in the same run (alternating): warm
``list arguments -f json``, ``search``, ``show``, ``map`` and ``stats`` on the library should take
within 1.5x the floor's time (and both under 0.3 s on 2 cores); the library's cold build within
2x the one file's cold build (US2016: within 2x importing its nodesets as one file); peak memory
under 300 MB. Beside each wall time the CPU time (user + system) is printed: on a machine
shared with other work it is the steadier figure. Each knowledge base of the library comes
from make_kb.py with its own ids (``h0001-arg-1``...); the one file holds the same entries (and
source texts), merged.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import PEAK, machine, policyx_command  # noqa: E402

_IDS = re.compile(r"\b(arg|position|question|actor|source)-(\d+)\b")
#: what every measured command asks, after --kb
QUERIES: dict[str, list[str]] = {
    "list arguments -f json": ["list", "arguments", "-f", "json"],
    "search": ["search", "law", "-f", "json"],
    "show": ["show", "{question}", "-f", "json"],
    "map": ["map", "{question}", "--plain"],
    "stats": ["stats", "-f", "json"],
}


def write_library(folder: Path, kbs: int, size: int) -> None:
    """``kbs`` knowledge bases of ``size`` arguments, one folder each, ids of their own."""
    for index in range(1, kbs + 1):
        prefix = f"h{index:04d}-"
        path = make_kb.write_kb(size, folder / prefix[:-1] / "debate.yaml", seed=index)
        path.write_text(_IDS.sub(prefix + r"\g<0>", path.read_text(encoding="utf-8")), encoding="utf-8")
        for source in (path.parent / "sources").iterdir():
            source.rename(source.with_name(prefix + source.name))


def write_one(library: Path, path: Path) -> Path:
    """The library's knowledge bases as one file: the same entries (and source texts)."""
    import yaml

    merged: dict[str, object] = {"version": 1, "title": "The library as one knowledge base"}
    seen: set[str] = set()
    (path.parent / "sources").mkdir(parents=True)
    for member in sorted(library.glob("*/debate.yaml")):
        data = yaml.safe_load(member.read_text(encoding="utf-8"))
        for key in ("sources", "actors", "models", "questions", "positions", "arguments"):
            entries = merged.setdefault(key, [])
            assert isinstance(entries, list)
            for entry in data.get(key) or ():
                if entry["id"] not in seen:  # the legal models every generated one shares
                    seen.add(entry["id"])
                    entries.append(entry)
        for source in (member.parent / "sources").iterdir():
            shutil.copy(source, path.parent / "sources" / source.name)
    path.write_text(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def copy_nodesets(files: list[Path], folder: Path, copies: int) -> list[Path]:
    """The AIF nodesets ``files``, each ``copies`` times in ``folder`` (``NAME-K.json``), every node
    id of copy K moved by K * 10,000,000 so that ids stay unique across the corpus, as AIFdb's are:
    a real corpus's text and shape at a larger size (3 copies of US2016: QT30's 1,500 nodesets)."""
    made: list[Path] = []
    for copy in range(copies):
        shift = copy * 10_000_000

        def moved(value: object, shift: int = shift) -> object:
            if isinstance(value, int) and not isinstance(value, bool):
                return value + shift
            return str(int(value) + shift) if isinstance(value, str) and value.isdigit() else value

        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            for key, fields in (("nodes", ("nodeID",)), ("edges", ("edgeID", "fromID", "toID")),
                                ("locutions", ("nodeID",))):
                for item in data.get(key) or ():
                    for name in fields:
                        if name in item:
                            item[name] = moved(item[name])
            target = folder / (f"{path.stem}-{copy}.json" if copies > 1 else path.name)
            target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            made.append(target)
    return made


def first_question(cli: list[str], kb: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([*cli, *kb, "list", "questions", "-f", "ids"], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.split()[0]


def claims(cli: list[str], kb: list[str], env: dict[str, str]) -> int:
    out = subprocess.run([*cli, *kb, "stats", "-f", "json"], env=env, capture_output=True, text=True, check=True)
    total = json.loads(out.stdout)[-1]
    return int(total["questions"] + total["positions"] + total["arguments"])


def clear(cache: Path) -> None:
    shutil.rmtree(cache, ignore_errors=True)




def peak_of(command: list[str], env: dict[str, str]) -> int:
    """The peak resident memory (KiB) of one run of ``command`` (the console script and its
    arguments), measured by the process itself; 0 where /proc is not there to say."""
    if not Path("/proc/self/status").exists() or not Path(command[0]).is_file():
        return 0
    with tempfile.TemporaryDirectory(prefix="policyx-peak-") as folder:
        out = Path(folder) / "peak"
        subprocess.run([sys.executable, "-c", PEAK, str(out), *command], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=False)
        return int(out.read_text()) if out.is_file() else 0


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, ru_maxrss in KiB: see :data:`PEAK`, not the run's own) of one run:
    on a shared machine the CPU time (user + system) is the steadier figure."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE, env=env)
        assert process.stderr is not None
        errors = process.stderr.read()  # (a pipe left unread could fill and stop the run)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(command)}\n"
                         f"{errors.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def alternate(commands: dict[str, list[str]], env: dict[str, str], rounds: int,
              before: Callable[[], None] | None = None) -> dict[str, tuple[float, float, int]]:
    """Median wall and CPU seconds and the largest peak of each command, alternating them round
    by round (``before`` runs before each run: a cold cache)."""
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    names = list(commands)
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            if before is not None:
                before()
            runs[name].append(run_timed(commands[name], env))
    return {name: (statistics.median(r[0] for r in got), statistics.median(r[1] for r in got),
                   max(r[2] for r in got)) for name, got in runs.items()}


def compare(label: str, cli: list[str], one: list[str], many: list[str], env: dict[str, str], rounds: int,
            cache: Path, cold_floor: tuple[str, list[str], Callable[[], None]] | None = None) -> None:
    """Cold builds, then every query warm, of the library (``many``) beside the floor (``one``);
    ``cold_floor``: another floor for the cold build (what importing the data as one file costs)."""
    print(f"\n### {label}: {claims(cli, one, env):,} claims in one file, {claims(cli, many, env):,} in the library\n")
    print("| run | one file (floor) | library | library / floor | CPU: floor / library / ratio | target |")
    print("|---|---:|---:|---:|---:|---|")
    peaks = {"one": 0, "many": 0}
    cold_commands = {name: [*cli, *kb, "list", "questions", "-f", "ids"] for name, kb in (("one", one), ("many", many))}
    if cold_floor is not None:
        cold_commands["import"] = cold_floor[1]

    def cold_cache() -> None:
        clear(cache)
        if cold_floor is not None:
            cold_floor[2]()

    cold = alternate(cold_commands, env, max(1, rounds // 2), before=cold_cache)
    for name in peaks:  # each side's cold build once more, for its own peak
        cold_cache()
        peaks[name] = max(peaks[name], peak_of(cold_commands[name], env))
    floor_name = "import" if cold_floor is not None else "one"
    (floor, floor_cpu, _), (seconds, cpu, _) = cold[floor_name], cold["many"]
    what = cold_floor[0] if cold_floor is not None else "cold build (`list questions`)"
    print(f"| {what} | {floor:.2f} s | {seconds:.2f} s | {seconds / floor:.2f}x | "
          f"{floor_cpu:.2f} / {cpu:.2f} s / {cpu / floor_cpu:.2f}x | <= 2x: "
          f"{'ok' if seconds <= 2 * floor else '**missed**'} |")
    question = {"one": first_question(cli, one, env), "many": first_question(cli, many, env)}
    for query, words in QUERIES.items():
        commands = {name: [*cli, *kb, *(w.format(question=question[name]) for w in words)]
                    for name, kb in (("one", one), ("many", many))}
        for command in commands.values():
            run_timed(command, env)  # the caches filled
        results = alternate(commands, env, rounds)
        (floor, floor_cpu, _), (seconds, cpu, _) = results["one"], results["many"]
        for name in peaks:
            peaks[name] = max(peaks[name], peak_of(commands[name], env))
        ok = seconds <= 1.5 * floor and seconds < 0.3 and floor < 0.3
        print(f"| warm `{query}` | {floor:.2f} s | {seconds:.2f} s | {seconds / floor:.2f}x | "
              f"{floor_cpu:.2f} / {cpu:.2f} s / {cpu / floor_cpu:.2f}x | "
              f"<= 1.5x, < 0.3 s: {'ok' if ok else '**missed**'} |")
    print(f"| peak memory (VmHWM of the run itself, cold or warm) | {peaks['one'] / 1024:.0f} MB | "
          f"{peaks['many'] / 1024:.0f} MB | | | < 300 MB: "
          f"{'ok' if max(peaks.values()) < 300 * 1024 else '**missed**'} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kbs", type=int, default=1500, help="files in the library (0: only --us2016)")
    parser.add_argument("--size", type=int, default=12, help="arguments in each (with its question and positions:"
                        " about 15 claims)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--us2016", type=Path, help="a folder of AIF nodesets (us2016-aif.tar.xz, extracted)")
    parser.add_argument("--copies", type=int, default=1, help="each US2016 nodeset this many times, ids moved"
                        " (3: QT30's size)")
    args = parser.parse_args()

    started = time.perf_counter()
    cli = policyx_command()
    with tempfile.TemporaryDirectory(prefix="policyx-corpus-") as work:
        root = Path(work)
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
        cache = root / "cache"
        env["XDG_CACHE_HOME"] = str(cache)
        print(f"Machine: {machine()}")
        print(f"Medians of {args.rounds} alternating runs; the floor is the same data as one file, same run.")
        if args.kbs:
            write_library(root / "library", args.kbs, args.size)
            large = write_one(root / "library", root / "one" / "positions.yaml")
            compare(f"synthetic: {args.kbs:,} files of {args.size} arguments vs one file", cli,
                    ["--kb", str(large)], ["--kb", str(root / "library")], env, args.rounds, cache)
        if args.us2016 is not None:
            # the library: the nodesets alone (the texts beside them in the archive are no argument
            # data, but a few read as Kialo text), so that both hold the same data
            library = root / "us2016"
            library.mkdir()
            files = copy_nodesets(sorted(args.us2016.rglob("*.json")), library, args.copies)
            target = root / "us2016.yaml"
            importing = [*cli, "import", *map(str, files), "-o", str(target), "--force"]
            one = subprocess.run(importing, env=env, capture_output=True, text=True)
            if one.returncode != 0:
                print(f"\n(us2016: importing as one file failed: {one.stderr.strip()[-300:]})")
            else:
                times = f" ({args.copies} copies of each, ids moved)" if args.copies > 1 else ""
                compare(f"US2016: a folder of {len(files)} AIF nodesets{times} as a library vs them imported as"
                        " one file",
                        cli, ["--kb", str(target)], ["--kb", str(library)], env, args.rounds, cache,
                        cold_floor=("cold build vs `import` of the nodesets as one file", importing, lambda: None))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
