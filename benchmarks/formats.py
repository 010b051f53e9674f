#!/usr/bin/env python3
"""The data formats of ``list arguments`` (jsonl, csv, tsv, plain, ids, markdown, yaml) beside json.

    python benchmarks/formats.py                          # 18,000 generated arguments (make_kb.py)
    python benchmarks/formats.py KB_OR_LIBRARY... --rounds 9
    python benchmarks/formats.py LIBRARY --process        # whole runs of the CLI too, cache warm
    python benchmarks/formats.py --formats csv markdown --no-yaml

A researcher pipes a corpus's listing into a script: every data format should cost about what
``-f json`` costs (the floor, measured in the same run). For each knowledge base (a file, or a
folder opened as a library, as ``--kb`` opens it, the ``kb`` field added), the listing is made
once and each format rendered and encoded in-process (median CPU time of ``--rounds``, the formats
alternated round by round, json among them). With ``--process``, also whole runs of
``python -m policyx --kb PATH list arguments -f FORMAT`` (cache warm, stdout to /dev/null, CPU
time of the child: user + system), alternated the same way. yaml (PyYAML's representer is Python)
is measured with a few rounds only, unless ``--no-yaml``.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_kb  # noqa: E402
from run import alternated  # noqa: E402

from policyx.cli.session import READERS  # noqa: E402
from policyx.kb.libopen import open_library  # noqa: E402
from policyx.kb.store import open_kb  # noqa: E402
from policyx.output.registry import FormatKind, find_format, render  # noqa: E402
from policyx.views.library import with_kb_names  # noqa: E402
from policyx.views.listing import Listing, list_listing  # noqa: E402

FORMATS = ["json", "jsonl", "csv", "tsv", "plain", "ids", "markdown", "yaml"]


def arguments(path: Path) -> Listing:
    """``list arguments`` of ``path`` as the CLI lists it (a library's records with their ``kb``)."""
    if path.is_dir():
        library = open_library([path], readers=READERS, warn=lambda _: None)
        return with_kb_names(list_listing(library, "arguments"), library)
    return list_listing(open_kb(path, readers=READERS), "arguments")


def rendered(fmt: str, listing: Listing) -> Callable[[], bytes]:
    chosen = find_format(fmt, FormatKind.LISTING)
    return lambda: render(chosen, listing).encode("utf-8")


def timed(ways: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median of what each way returns (seconds), alternated (run.alternated)."""
    return alternated(ways, rounds, clock=None)


def cpu(function: Callable[[], object]) -> Callable[[], float]:
    def way() -> float:
        start = time.process_time()
        function()
        return time.process_time() - start
    return way


def child_cpu(command: list[str]) -> Callable[[], float]:
    def way() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return way


def table(label: str, got: dict[str, float], sizes: dict[str, int] | None = None) -> None:
    floor = got["json"]
    print(f"\n{label}\n\n| format | CPU | over json |" + (" output |" if sizes else ""))
    print("|---|---:|---:|" + ("---:|" if sizes else ""))
    for fmt, seconds in got.items():
        size = f" {sizes[fmt] / 1e6:.1f} MB |" if sizes else ""
        name = f"{fmt} (floor)" if fmt == "json" else fmt
        print(f"| {name} | {seconds * 1000:.0f} ms | {seconds / floor:.2f}x |{size}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kbs", nargs="*", type=Path, help="knowledge bases or folders (libraries)")
    parser.add_argument("--size", type=int, default=18_000, help="arguments of the generated one (no KB given)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--no-yaml", action="store_true", help="leave yaml out (seconds a round)")
    parser.add_argument("--process", action="store_true", help="whole CLI runs too, cache warm")
    args = parser.parse_args()
    formats = [f for f in dict.fromkeys(["json", *args.formats]) if not (args.no_yaml and f == "yaml")]
    gc.disable()  # as policyx/__main__.py does
    with tempfile.TemporaryDirectory(prefix="policyx-formats-") as work:
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        kbs = args.kbs or [make_kb.write_kb(args.size, Path(work) / f"kb-{args.size}" / "positions.yaml")]
        for kb in kbs:
            listing = arguments(kb)
            label = f"{kb.name}: {len(listing.records):,} arguments"
            fast = [f for f in formats if f != "yaml"]
            sizes = {f: len(rendered(f, listing)()) for f in formats}
            got = timed({f: cpu(rendered(f, listing)) for f in fast}, args.rounds)
            if "yaml" in formats:
                got["yaml"] = timed({"yaml": cpu(rendered("yaml", listing))}, 3)["yaml"]
            table(f"{label}, rendered and encoded in-process (median of {args.rounds} rounds)", got, sizes)
            if args.process:
                command = [sys.executable, "-m", "policyx", "--kb", str(kb), "list", "arguments", "-f"]
                got = timed({f: child_cpu([*command, f]) for f in fast}, args.rounds)
                if "yaml" in formats:
                    got["yaml"] = timed({"yaml": child_cpu([*command, "yaml"])}, 3)["yaml"]
                table(f"{label}, whole runs, cache warm (median of {args.rounds} rounds)", got)


if __name__ == "__main__":
    main()
