#!/usr/bin/env python3
"""What the cache's checks cost on a warm read: the payload's checksum against the owner-only folder check.

    python benchmarks/cache_check.py                  # 10,000 and 100,000 arguments
    python benchmarks/cache_check.py --sizes 1000 --rounds 5

A warm ``policyx list`` reads the cache file and trusts it after two checks: the folder is
this user's own and writable by no one else (``_CacheFolder.open``: one ``open`` and one
``fstat``), and the payload's CRC-32 matches (the whole payload read; until cache format 4
the checksum was keyed by a secret in a key file of the folder, which cost the same hashing plus
reading the key, and guarded against nothing the folder check does not; format 4's blake2b,
timed beside it, guarded against nothing a CRC-32 does not: damage). Both are timed in
this process, beside the floor measured in the same run: reading the cache file's bytes, which
any cache must do, and the whole warm ``open_kb``. The median of the rounds is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_kb  # noqa: E402

from policyx.kb import cachefolder, store  # noqa: E402


def median_ms(function: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def report(n: int, rounds: int, work: Path) -> list[str]:
    kb_path = make_kb.write_kb(n, work / f"kb-{n}" / "positions.yaml")
    store.open_kb(kb_path)  # writes the cache
    folder_path = store.cache_dir()
    assert folder_path is not None
    cache_files = [p for p in folder_path.iterdir() if p.name.startswith("kb-")]
    cache_file = max(cache_files, key=lambda p: p.stat().st_mtime)
    blob = cache_file.read_bytes()
    body = len(cachefolder.MAGIC) + cachefolder.CHECKSUM_SIZE
    payload = memoryview(blob)[body:]

    def read_bytes() -> None:
        cache_file.read_bytes()

    def folder_check() -> None:
        folder = cachefolder.CacheFolder.open(folder_path)
        assert folder is not None
        folder.__exit__()

    def checksum() -> None:
        cachefolder.checksum(payload)

    def blake2b() -> None:
        hashlib.blake2b(payload, digest_size=32, person=b"policyx-cache").digest()

    def warm_open() -> None:
        store.open_kb(kb_path)

    floor = median_ms(read_bytes, rounds)
    rows = [("floor: read the cache file's bytes", floor),
            ("owner-only folder check (open + fstat)", median_ms(folder_check, rounds)),
            ("checksum (CRC-32 of the payload)", median_ms(checksum, rounds)),
            ("format 4's checksum (blake2b of the payload)", median_ms(blake2b, rounds)),
            ("the whole warm `open_kb`", median_ms(warm_open, rounds))]
    lines = [f"### {n:,} arguments: cache file {len(blob) / 1e6:.1f} MB (median of {rounds})", "",
             "| step | time | vs floor |", "|---|---:|---:|"]
    lines += [f"| {label} | {ms:.2f} ms | {ms / floor:.2f}x |" for label, ms in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated argument counts")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="policyx-cache-bench-") as work:
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        for n in (int(s) for s in args.sizes.split(",")):
            print("\n".join(report(n, args.rounds, Path(work))) + "\n", flush=True)


if __name__ == "__main__":
    main()
