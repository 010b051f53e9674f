#!/usr/bin/env python3
"""The importers' readers on inputs built to make them quadratic (issue "Hardening III", item 11).

    python benchmarks/hostile_readers.py              # each input at about 0.5 MB and 1 MB
    python benchmarks/hostile_readers.py --mb 2       # ... at 1 MB and 2 MB
    python benchmarks/hostile_readers.py --only argdown-brackets kialo-siblings-same-words

Each input is imported in this process (``import_files``: detection, the reader, the shaping
into a knowledge base; nothing written), with the garbage collector off as ``policyx`` runs, at
two sizes, the second twice the first: a linear reader takes about twice as long for the second
(the "x2" column), a quadratic one four times. Beside each figure, the floor measured in the
same run on the same text: a bare Python pass over it (``str.splitlines`` and a ``re.findall``
of its words), what any reader pays at least.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policyx.importers import InputFile, import_files  # noqa: E402
from policyx.kb.errors import KnowledgeBaseError  # noqa: E402


def _fill(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _kialo(lines: Callable[[int], str], size: int, per: int) -> str:
    head = "Discussion Title: T\n\n1. The thesis.\n"
    return head + "".join(lines(i) for i in range(1, max(2, size // per)))


#: name -> (file name, text of about ``size`` characters)
INPUTS: dict[str, tuple[str, Callable[[int], str]]] = {
    "argdown-brackets": ("a.argdown", lambda n: "[A]: " + "[" * n),
    "argdown-open-comments": ("a.argdown", lambda n: _fill("[A]: x /* ", n)),
    "argdown-open-html-comments": ("a.argdown", lambda n: _fill("[A]: x <!-- ", n)),
    "argdown-open-links": ("a.argdown", lambda n: "[A]: " + _fill("[a](", n)),
    "argdown-open-tags": ("a.argdown", lambda n: "[A]: " + _fill("#(", n)),
    "argdown-many-tags": ("a.argdown", lambda n: "[A]: x " + _fill("#t ", n) + "y\n"),
    "argdown-spaces-before-data": ("a.argdown", lambda n: "[A]: a" + " " * n + "b"),
    "argdown-headings": ("a.argdown", lambda n: "".join(f"# H{i}\n[S{i}]: claim {i}\n" for i in range(n // 24))),
    "argdown-one-title-many-tags": ("a.argdown", lambda n: "".join(f"[A]: claim #t{i}\n" for i in range(n // 20))),
    "argdown-relations": ("a.argdown", lambda n: "[A]: root\n" + "".join(
        f"  + [S{i}]: reason {i}\n" for i in range(n // 24))),
    "kialo-siblings": ("k.txt", lambda n: _kialo(lambda i: f"1.{i}. Pro: reason number {i}\n", n, 28)),
    "kialo-siblings-same-words": ("k.txt", lambda n: _kialo(lambda i: f"1.{i}. Pro: the very same reason\n", n, 34)),
}


def floor(text: str) -> None:
    lines = text.splitlines()
    re.findall(r"\w+", text)
    del lines


def timed(work: Callable[[], object]) -> float:
    """Seconds ``work`` takes, with the cyclic garbage collector off (as policyx runs: its
    ``__main__`` disables it; on, its passes over a growing heap make any long run look
    superlinear)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    finally:
        gc.enable()


def run(name: str, size: int) -> tuple[float, float, int, str]:
    file_name, make = INPUTS[name]
    text = make(size)
    data = text.encode("utf-8")

    def imported() -> None:
        try:
            import_files([InputFile(file_name, data)])
        except KnowledgeBaseError:
            pass  # some of these are no debate: the reader's answer is what is timed

    return timed(imported), timed(lambda: floor(text)), len(data), "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=1.0, help="the larger size, in MB (default 1)")
    parser.add_argument("--only", nargs="*", default=None, help="only these inputs")
    args = parser.parse_args()
    big = int(args.mb * 1_000_000)
    print("| input | size | import | floor | size x2 | import | floor | x2 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.only or INPUTS:
        small_time, small_floor, small_bytes, _ = run(name, big // 2)
        big_time, big_floor, big_bytes, _ = run(name, big)
        print(f"| {name} | {small_bytes / 1e6:.2f} MB | {small_time:.2f} s | {small_floor:.3f} s "
              f"| {big_bytes / 1e6:.2f} MB | {big_time:.2f} s | {big_floor:.3f} s | {big_time / small_time:.1f} |",
              flush=True)


if __name__ == "__main__":
    main()
