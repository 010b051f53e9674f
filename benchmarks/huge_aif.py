#!/usr/bin/env python3
"""A huge AIF map imported: time and peak memory of `policyx import` beside a floor.

    python benchmarks/huge_aif.py                 # 1,000,000 nodes (about 110 MB of JSON)
    python benchmarks/huge_aif.py --nodes 200000  # a quick run
    python benchmarks/huge_aif.py --keep DIR      # write the files in DIR and keep them

Issue 18, item 12: a 108 MB AIF file of a million nodes took 2 minutes and 2.7 GB, and wrote a
knowledge base that `policyx check` refuses (more than 2,000,000 YAML values). The map is an
AIFdb-like dialogue: per exchange two locutions (L) each anchoring (YA "Asserting") a claim (I),
the transition (TA) between them, and the inference (RA) from the reply's claim to the opener's,
anchored by a YA "Arguing" on the transition: 9 nodes and 10 edges. Same size, same bytes.

Measured, each as a user runs it (a fresh Python, stdout to /dev/null), peak memory read from the
process itself (VmHWM; see benchmarks/hardening.py):
- `policyx import MAP.json -o OUT/kb.yaml` (and `policyx --kb MAP.json list -f ids`): seconds,
  peak MiB, exit status, and whether anything was written;
- the floor in the same run: a bare Python doing `json.load` of the same file, which any reader
  of the map as a whole must at least do.
With ``--nodes`` small enough for the map to fit, `policyx check` of what was written is run too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hardening import measure  # noqa: E402

#: nodes per exchange (L, YA, I, L, YA, I, TA, RA, YA)
PER_EXCHANGE = 9
SPEAKERS = ("Ann", "Bob", "Cleo", "Dev")
WORDS = ("tax", "school", "road", "rent", "park", "fund", "rate", "vote", "plan", "cost", "bus", "wage")


def write_chain(path: Path, nodes: int) -> int:
    """Write an Araucaria-like map of about ``nodes`` nodes to ``path``: claims (I) and inferences
    (RA), each claim a reason for the one before it (so every claim is an entry quoting its own
    text). Streamed; returns the number of nodes written."""
    claims = max(1, (nodes + 1) // 2)
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"nodes": [\n')
        for k in range(claims):
            text = f"the {WORDS[k % len(WORDS)]} {k} {'should rise' if k % 2 else 'is fair'}"
            out.write(("" if k == 0 else ",\n") + f'{{"nodeID": "{2 * k}", "type": "I", "text": "{text}"}}')
            if k:
                out.write(f',\n{{"nodeID": "{2 * k - 1}", "type": "RA", "text": "Default Inference"}}')
        out.write('\n], "edges": [\n')
        for k in range(1, claims):
            out.write(("" if k == 1 else ",\n")
                      + f'{{"fromID": "{2 * k}", "toID": "{2 * k - 1}"}},\n'
                      f'{{"fromID": "{2 * k - 1}", "toID": "{2 * k - 2}"}}')
        out.write('\n]}\n')
    return 2 * claims - 1


def write_dialogue(path: Path, nodes: int) -> int:
    """Write an AIF dialogue map of about ``nodes`` nodes to ``path``, streamed (the generator holds
    one exchange at a time); returns the number of nodes written."""
    exchanges = max(1, nodes // PER_EXCHANGE)
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"nodes": [\n')
        first = True
        for x in range(exchanges):
            base = x * PER_EXCHANGE
            words = [f"the {WORDS[(x + k) % len(WORDS)]} {x} {'is fair' if k else 'should rise'}" for k in (0, 1)]
            rows = []
            for k in (0, 1):
                who = SPEAKERS[(x + k) % len(SPEAKERS)]
                rows.append((base + 3 * k, "L", f"{who} : {words[k]}"))
                rows.append((base + 3 * k + 1, "YA", "Asserting"))
                rows.append((base + 3 * k + 2, "I", words[k]))
            rows += [(base + 6, "TA", "Default Transition"), (base + 7, "RA", "Default Inference"),
                     (base + 8, "YA", "Arguing")]
            for node_id, kind, text in rows:
                out.write(("" if first else ",\n") + f'{{"nodeID": "{node_id}", "type": "{kind}", "text": "{text}"}}')
                first = False
        out.write('\n], "edges": [\n')
        first = True
        edge = 0
        for x in range(exchanges):
            b = x * PER_EXCHANGE
            pairs = ((b, b + 1), (b + 1, b + 2), (b + 3, b + 4), (b + 4, b + 5), (b, b + 6), (b + 6, b + 3),
                     (b + 5, b + 7), (b + 7, b + 2), (b + 6, b + 8), (b + 8, b + 7))
            for a, c in pairs:
                out.write(("" if first else ",\n") + f'{{"edgeID": "{edge}", "fromID": "{a}", "toID": "{c}"}}')
                first = False
                edge += 1
        out.write('\n], "locutions": []}\n')
    return exchanges * PER_EXCHANGE


FLOOR = "import json, sys\nwith open(sys.argv[1], encoding='utf-8') as f:\n    json.load(f)\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=("chain", "dialogue"), default="chain",
                        help="chain: claims and inferences (Araucaria); dialogue: AIFdb's locutions too")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="policyx-huge-aif-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(folder, args.nodes, args.rounds, args.shape)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, nodes: int, rounds: int, shape: str) -> None:
    aif = folder / "huge.json"
    written = (write_chain if shape == "chain" else write_dialogue)(aif, nodes)
    size = aif.stat().st_size
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"), PYTHONPATH=str(HERE.parent))
    floor_script = folder / "floor.py"
    floor_script.write_text(FLOOR)
    peak = folder / "peak"
    out = folder / "out"
    print(f"AIF map ({shape}): {written:,} nodes, {size / 1e6:.1f} MB ({aif})\n")
    print("| run | seconds | peak MiB | exit | written |")
    print("|---|---:|---:|---:|---|")
    floor_s, floor_kib, _ = measure([str(floor_script), str(aif)], env, rounds, peak)
    print(f"| floor: json.load of the file | {floor_s:.1f} | {floor_kib / 1024:.0f} | 0 | - |")
    shutil.rmtree(out, ignore_errors=True)
    target = out / "kb.yaml"
    seconds, kib, status = measure(["-m", "policyx", "import", str(aif), "-o", str(target)], env, rounds, peak)
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) if out.exists() else []
    print(f"| policyx import | {seconds:.1f} | {kib / 1024:.0f} | {status} | {', '.join(made) or 'nothing'} |")
    seconds, kib, status = measure(["-m", "policyx", "--kb", str(aif), "list", "-f", "ids"], env, rounds, peak)
    print(f"| policyx --kb MAP.json list | {seconds:.1f} | {kib / 1024:.0f} | {status} | - |")
    if target.exists():
        seconds, kib, status = measure(["-m", "policyx", "--kb", str(target), "check"], env, rounds, peak)
        print(f"| policyx check of what import wrote | {seconds:.1f} | {kib / 1024:.0f} | {status} | - |")


if __name__ == "__main__":
    main()
