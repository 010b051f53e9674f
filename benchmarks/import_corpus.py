#!/usr/bin/env python3
"""`policyx import` of a whole corpus as a library (`-o corpus/`) against as one file (`-o corpus.yaml`).

    python benchmarks/import_corpus.py                    # /tmp/corpus-us2016, 3 alternating rounds
    python benchmarks/import_corpus.py FOLDER --rounds 5

FOLDER is a folder of AIF nodesets; by default the US 2016 presidential debates corpus
(../shared/corpora/us2016-aif.tar.xz, 499 nodesets) extracted to /tmp/corpus-us2016, which this
script does when the folder is missing. Each figure is the median of subprocess runs of the installed
``policyx``, alternated round by round with a floor measured in the same run on the same files: a bare
Python that reads and parses every nodeset (``json.load``) and writes it with libyaml's dumper
(``CSafeDumper``), one YAML file per nodeset: what any converter to a library pays at least. The
target: the library within 1.5x the one file, both linear in the data.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARCHIVE = HERE.parent.parent.parent / "shared" / "corpora" / "us2016-aif.tar.xz"
DEFAULT = Path("/tmp/corpus-us2016")
FLOOR = """
import json, sys, yaml
from pathlib import Path
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).rglob("*.json")):
    data = json.loads(path.read_text(encoding="utf-8"))
    (out / (path.stem + ".yaml")).write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True))
"""


def policyx_command() -> list[str]:
    script = Path(sys.executable).parent / "policyx"
    return [str(script)] if script.exists() else [sys.executable, "-m", "policyx"]


def corpus_folder(given: str | None) -> Path:
    folder = Path(given) if given else DEFAULT
    if not folder.is_dir():
        archive = ARCHIVE if ARCHIVE.is_file() else Path("/work/shared/corpora/us2016-aif.tar.xz")
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
    return folder


def run_once(command: list[str], cleanup: Path) -> float:
    shutil.rmtree(cleanup, ignore_errors=True)
    cleanup.mkdir(parents=True)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = corpus_folder(args.folder)
    inputs = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    nodesets = [p for p in inputs if p.suffix == ".json"]
    input_dirs = sorted({str(p.parent) for p in nodesets})
    times: dict[str, list[float]] = {"library": [], "one file": [], "floor": []}
    with tempfile.TemporaryDirectory(prefix="policyx-corpus-bench-") as name:
        work = Path(name)
        commands = {
            "library": [*policyx_command(), "import", *input_dirs, "-o", f"{work / 'library'}/", "--force"],
            "one file": [*policyx_command(), "import", *input_dirs, "-o", str(work / "one" / "kb.yaml"), "--force"],
            "floor": [sys.executable, "-c", FLOOR, str(folder), str(work / "floor")],
        }
        cleanup = {"library": work / "library", "one file": work / "one", "floor": work / "floor"}
        for _ in range(args.rounds):
            for case, command in commands.items():
                times[case].append(run_once(command, cleanup[case]))
    median = {case: statistics.median(t) for case, t in times.items()}
    print(f"{len(nodesets)} nodesets in {folder} ({len(inputs) - len(nodesets)} other files), "
          f"median of {args.rounds} rounds:\n")
    print("| import | time | floor: json.load + CSafeDumper per file | vs floor |")
    print("|---|---|---|---|")
    for case in ("library", "one file"):
        print(f"| -o {'corpus/' if case == 'library' else 'corpus.yaml'} | {median[case]:.2f} s "
              f"| {median['floor']:.2f} s | {median[case] / median['floor']:.1f}x |")
    ratio = median["library"] / median["one file"]
    print(f"\nlibrary / one file: {ratio:.2f}x ({'ok' if ratio <= 1.5 else '**missed**'}: target <= 1.5x)")


if __name__ == "__main__":
    main()
