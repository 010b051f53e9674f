#!/usr/bin/env python3
"""Measure a corpus opened as a library of many small files against one file of the same data.

    python benchmarks/corpus.py                      # 1,500 files of 12 arguments (QT30's shape)
    python benchmarks/corpus.py --kbs 100 --rounds 3 # a quick look
    python benchmarks/corpus.py --us2016 /tmp/corpora-us2016   # also a folder of real AIF nodesets

The floor is the same data as one knowledge base, measured in the same run (alternating): warm
``list arguments -f json``, ``search``, ``show``, ``map`` and ``stats`` on the library should take
within 1.5x the floor's time (and both under 0.3 s on 2 cores); the library's cold build within
2x the one file's cold build; peak memory under 300 MB. Each knowledge base of the library comes
from make_kb.py with its own ids (``h0001-arg-1``...); the one file holds the same entries (and
source texts), merged.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import machine, measure, policyx_command, run_once  # noqa: E402

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


def compare(label: str, cli: list[str], one: list[str], many: list[str], env: dict[str, str], rounds: int,
            cache: Path) -> None:
    """Cold builds, then every query warm, of the library (``many``) beside the floor (``one``)."""
    cold: dict[str, list[float]] = {"one": [], "many": []}
    peaks: dict[str, int] = {"one": 0, "many": 0}
    for _ in range(max(1, rounds // 2)):
        for name, kb in (("one", one), ("many", many)):
            clear(cache)
            seconds, peak = run_once([*cli, *kb, "list", "questions", "-f", "ids"], env)
            cold[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
    print(f"\n### {label}: {claims(cli, one, env):,} claims in one file, {claims(cli, many, env):,} in the library\n")
    print("| run | one file (floor) | library | library / floor | target |")
    print("|---|---:|---:|---:|---|")
    one_cold, many_cold = min(cold["one"]), min(cold["many"])
    print(f"| cold build (`list questions`) | {one_cold:.2f} s | {many_cold:.2f} s | "
          f"{many_cold / one_cold:.2f}x | <= 2x: {'ok' if many_cold <= 2 * one_cold else '**missed**'} |")
    question = {"one": first_question(cli, one, env), "many": first_question(cli, many, env)}
    for query, words in QUERIES.items():
        commands = {name: [*cli, *kb, *(w.format(question=question[name]) for w in words)]
                    for name, kb in (("one", one), ("many", many))}
        for command in commands.values():
            run_once(command, env)  # the caches filled
        results = measure(commands, env, rounds, warmup=0)
        floor, seconds = results["one"][0], results["many"][0]
        for name in peaks:
            peaks[name] = max(peaks[name], results[name][1])
        ok = seconds <= 1.5 * floor and seconds < 0.3 and floor < 0.3
        print(f"| warm `{query}` | {floor:.2f} s | {seconds:.2f} s | {seconds / floor:.2f}x | "
              f"<= 1.5x, < 0.3 s: {'ok' if ok else '**missed**'} |")
    print(f"| peak memory | {peaks['one'] / 1024:.0f} MB | {peaks['many'] / 1024:.0f} MB | | < 300 MB: "
          f"{'ok' if max(peaks.values()) < 300 * 1024 else '**missed**'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kbs", type=int, default=1500, help="files in the library")
    parser.add_argument("--size", type=int, default=12, help="arguments in each (with its question and positions:"
                        " about 15 claims)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--us2016", type=Path, help="a folder of AIF nodesets (us2016-aif.tar.xz, extracted)")
    args = parser.parse_args()

    started = time.perf_counter()
    cli = policyx_command()
    with tempfile.TemporaryDirectory(prefix="policyx-corpus-") as work:
        root = Path(work)
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
        cache = root / "cache"
        env["XDG_CACHE_HOME"] = str(cache)
        write_library(root / "library", args.kbs, args.size)
        large = write_one(root / "library", root / "one" / "positions.yaml")
        print(f"Machine: {machine()}")
        print(f"Medians of {args.rounds} alternating runs; the floor is the same data as one file, same run.")
        compare(f"synthetic: {args.kbs:,} files of {args.size} arguments vs one file", cli,
                ["--kb", str(large)], ["--kb", str(root / "library")], env, args.rounds, cache)
        if args.us2016 is not None:
            files = sorted(args.us2016.rglob("*.json"))
            one = subprocess.run([*cli, "import", *map(str, files), "-o", str(root / "us2016.yaml")], env=env,
                                 capture_output=True, text=True)
            if one.returncode != 0:
                print(f"\n(us2016: importing as one file failed: {one.stderr.strip()[-300:]})")
            else:
                many = [word for path in files for word in ("--kb", str(path))]
                compare(f"US2016: {len(files)} AIF nodesets (one --kb each) vs them imported as one file", cli,
                        ["--kb", str(root / "us2016.yaml")], many, env, args.rounds, cache)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
