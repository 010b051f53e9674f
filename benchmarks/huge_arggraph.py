#!/usr/bin/env python3
"""A large arggraph (microtexts XML) imported, at two sizes, beside ElementTree parsing it alone.

    python benchmarks/huge_arggraph.py                  # 20,000 and 40,000 EDUs (about 4 and 8 MB)
    python benchmarks/huge_arggraph.py --edus 5000      # 5,000 and 10,000
    python benchmarks/huge_arggraph.py --rounds 3       # the best of three rounds

Issue "Hardening III", item 11: the reader sorted each ADU's EDUs by their place in a list
(``list.index``) and searched the whole source text for each ADU's words (``text in source``),
so 20,000 EDUs took seconds more than 10,000 did. Each input is imported in this process
(``import_files``: detection, the reader, the shaping into a knowledge base; nothing written)
with the garbage collector off, as ``policyx`` runs. Beside each figure, the floor measured in the
same run on the same text: ``xml.etree.ElementTree.fromstring`` of it, which the reader does first.
The "x2" columns: the second size's time over the first's; about 2 for a linear reader, 4 for a
quadratic one.

The graph: EDUs of a few words; one ADU per EDU, every seventh of two consecutive EDUs; each ADU
supports (one in five, the opponent's, rebuts) the one a third of its number; every eleventh ADU
is an added premise of the edge before it (``add``), every thirteenth undercuts one (``und``).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policyx.importers import InputFile, import_files  # noqa: E402

WORDS = ("tax", "school", "road", "rent", "park", "fund", "rate", "vote", "plan", "cost", "bus", "wage")


def arggraph(edus: int) -> str:
    """An arggraph of ``edus`` EDUs (same text every run)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<arggraph id="huge" topic_id="huge_one" stance="pro">\n']
    out += [f'  <edu id="e{k}"><![CDATA[The {WORDS[k % len(WORDS)]} {k} matters here.]]></edu>\n'
            for k in range(edus)]
    adus: list[list[int]] = []
    k = 0
    while k < edus:
        two = len(adus) % 7 == 3 and k + 1 < edus
        adus.append([k, k + 1] if two else [k])
        k += 2 if two else 1
    out += [f'  <adu id="a{i}" type="{"opp" if i % 5 == 4 else "pro"}"/>\n' for i in range(len(adus))]
    edges = [(f"e{p}", f"a{i}", "seg") for i, parts in enumerate(adus) for p in parts]
    for i in range(1, len(adus)):
        if i % 11 == 0 and i > 1:
            edges.append((f"a{i}", f"c{len(edges) - 1}", "add"))  # joins the edge written just before
        elif i % 13 == 0:
            edges.append((f"a{i}", f"c{len(edges) - 1}", "und"))
        else:
            edges.append((f"a{i}", f"a{(i - 1) // 3}", "reb" if i % 5 == 4 else "sup"))
    out += [f'  <edge id="c{n}" src="{src}" trg="{trg}" type="{kind}"/>\n' for n, (src, trg, kind) in enumerate(edges)]
    out.append("</arggraph>\n")
    return "".join(out)


def timed(work: Callable[[], object], rounds: int) -> float:
    """The best of ``rounds`` runs of ``work``, in seconds, with the cyclic garbage collector off."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edus", type=int, default=20_000, help="the smaller size (default 20,000); then twice it")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print("| EDUs | MB | import | floor (ElementTree) | import / floor |")
    print("|---:|---:|---:|---:|---:|")
    figures = []
    for edus in (args.edus, 2 * args.edus):
        text = arggraph(edus)
        data = text.encode("utf-8")
        imported = timed(lambda data=data: import_files([InputFile("huge.xml", data)]), args.rounds)
        floor = timed(lambda text=text: ET.fromstring(text), args.rounds)
        figures.append((imported, floor))
        print(f"| {edus:,} | {len(data) / 1e6:.1f} | {imported:.2f} s | {floor:.3f} s | {imported / floor:.0f} |",
              flush=True)
    (small, small_floor), (big, big_floor) = figures
    print(f"\nsize x2: import x{big / small:.1f}, floor x{big_floor / small_floor:.1f}")


if __name__ == "__main__":
    main()
