#!/usr/bin/env python3
"""The JSON writer (``output/data.stream_json``) on flat and on nested records, beside json.dumps.

    python benchmarks/json_writer.py                        # 18,000 generated arguments; the US 2016 corpus
    python benchmarks/json_writer.py LIBRARY --rounds 21    # a folder of AIF nodesets or version-2 knowledge bases
    python benchmarks/json_writer.py --size 1000 --rounds 5 --no-library

What ``list arguments -f json`` spends on its output, in-process (CPU time, median of rounds,
each way alternated round by round, the records listed once beforehand), for two kinds of records:

- version 1, flat (scalars, lists of strings): make_kb.py's knowledge base of ``--size`` arguments;
- version 2, nested (an argument's ``premises`` and ``acts`` are lists of dicts): the arguments of
  LIBRARY, opened as ``policyx --kb LIBRARY`` opens it; by default the US 2016 corpus
  (../shared/corpora/us2016-aif.tar.xz, 499 nodesets) extracted to /tmp/corpus-us2016 when the
  archive is there (skipped with a message when it is not).

Beside the writer, in the same run: ``json.dumps(records, ensure_ascii=False, indent=2)``, the
bytes it must match and what it stands in for (with ``indent`` the json module encodes in pure
Python), and the floor, ``json.dumps`` of the same records without ``indent`` (the C encoder, what
``-f jsonl`` pays: no pure-Python layout does better). Both ways give the same bytes (checked first).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tarfile
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
from policyx.output import data  # noqa: E402
from policyx.views.listing import Listing, list_listing  # noqa: E402

ARCHIVE = HERE.parent.parent.parent / "shared" / "corpora" / "us2016-aif.tar.xz"
CORPUS = Path("/tmp/corpus-us2016")


def arguments(path: Path) -> Listing:
    """``list arguments`` of ``path`` (a file, or a folder: a library), opened as ``--kb`` opens it
    (the files that are no argument data skipped without a word)."""
    if path.is_dir():
        return list_listing(open_library([path], readers=READERS, warn=lambda _: None), "arguments")
    return list_listing(open_kb(path, readers=READERS), "arguments")


def corpus() -> Path | None:
    if CORPUS.is_dir():
        return CORPUS
    if not ARCHIVE.is_file():
        return None
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(CORPUS, filter="data")
    return CORPUS


def timed(ways: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median CPU seconds of each way, alternated (run.alternated)."""
    return alternated(ways, rounds, clock=time.process_time)


def figures(label: str, listing: Listing, rounds: int) -> str:
    records = listing.records
    written = "".join(data.stream_json(listing))
    assert written == json.dumps(records, ensure_ascii=False, indent=2) + "\n", "not the bytes of json.dumps"
    got = timed({
        "writer": lambda: "".join(data.stream_json(listing)),
        "indent": lambda: json.dumps(records, ensure_ascii=False, indent=2),
        "floor": lambda: json.dumps(records, ensure_ascii=False),
    }, rounds)
    size = len(written.encode("utf-8")) / 1e6
    return (f"| {label} | {len(records):,} | {size:.1f} MB | {got['writer'] * 1000:.0f} ms"
            f" | {got['indent'] * 1000:.0f} ms ({got['indent'] / got['writer']:.2f}x)"
            f" | {got['floor'] * 1000:.0f} ms ({got['writer'] / got['floor']:.2f}x) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", nargs="?", type=Path, help="a folder of version-2 knowledge bases or AIF nodesets")
    parser.add_argument("--size", type=int, default=18_000, help="arguments of the flat knowledge base")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-library", action="store_true", help="the flat records only")
    args = parser.parse_args()
    gc.disable()  # as policyx/__main__.py does
    with tempfile.TemporaryDirectory(prefix="policyx-json-writer-") as work:
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        print(f"median CPU time of {args.rounds} rounds, the three ways alternated\n")
        print("| records | arguments | JSON | the writer | json.dumps(indent=2) (its gain) |"
              " floor: json.dumps, no indent (the writer over it) |")
        print("|---|---:|---:|---:|---:|---:|", flush=True)
        flat = make_kb.write_kb(args.size, Path(work) / f"kb-{args.size}" / "positions.yaml")
        print(figures("version 1, flat (make_kb.py)", arguments(flat), args.rounds), flush=True)
        if args.no_library:
            return
        library = args.library or corpus()
        if library is None:
            print(f"\nno library given and no {ARCHIVE.name} beside the checkout: the nested records skipped")
            return
        listing = arguments(library)
        nested = sum(1 for r in listing.records if r.get("premises") or r.get("acts"))
        print(figures(f"version 2, nested ({library.name}: {nested:,} with premises or acts)", listing, args.rounds))


if __name__ == "__main__":
    main()
