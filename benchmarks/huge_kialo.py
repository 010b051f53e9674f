#!/usr/bin/env python3
"""A huge Kialo export imported: time and peak memory of `policyx import` beside a floor.

    python benchmarks/huge_kialo.py                  # 500,000 claims (about 24 MB of text)
    python benchmarks/huge_kialo.py --claims 100000  # a quick run (under the limit: converted and written)

A Kialo export of 500,000 claims (24 MB) was converted in full (17.6 s, 684 MB) before the
knowledge base it made was refused (more than 2,000,000 YAML values). It is now refused from the
text, counted in one pass that stops at the limit (policyx/importers/kialo_limits.py), before any
claim is built: exit 3, nothing written.

Measured, each as a user runs it (a fresh Python, stdout to /dev/null), peak memory read from the
process itself (VmHWM; see benchmarks/hardening.py):
- `policyx import EXPORT.txt -o OUT/kb.yaml`: seconds, peak MiB, exit status, what was written;
- the floor in the same run: a bare Python reading the file and splitting it into lines, which
  any reader of the export must at least do.
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

WORDS = ("tax", "school", "road", "rent", "park", "fund", "rate", "vote", "plan", "cost", "bus", "wage")
FLOOR = "import sys\nwith open(sys.argv[1], encoding='utf-8') as f:\n    f.read().splitlines()\n"


def write_export(path: Path, claims: int) -> None:
    """A discussion of ``claims`` claims, three Pros and Cons to a parent, streamed."""
    numbers = ["1."]
    with open(path, "w", encoding="utf-8") as out:
        out.write("Discussion Title: Should the voting age be lowered?\n\n1. The voting age should be lowered.\n")
        for k in range(1, claims):
            number = f"{numbers[(k - 1) // 3]}{(k - 1) % 3 + 1}."
            numbers.append(number)
            out.write(f"{number} {'Pro' if k % 2 else 'Con'}: the {WORDS[k % len(WORDS)]} {k} matters\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="policyx-huge-kialo-"))
    try:
        export = folder / "huge.txt"
        write_export(export, args.claims)
        env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"), PYTHONPATH=str(HERE.parent))
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR)
        peak = folder / "peak"
        out = folder / "out"
        print(f"Kialo export: {args.claims:,} claims, {export.stat().st_size / 1e6:.1f} MB\n")
        print("| run | seconds | peak MiB | exit | written |")
        print("|---|---:|---:|---:|---|")
        floor_s, floor_kib, _ = measure([str(floor_script), str(export)], env, args.rounds, peak)
        print(f"| floor: read and split into lines | {floor_s:.1f} | {floor_kib / 1024:.0f} | 0 | - |")
        seconds, kib, status = measure(["-m", "policyx", "import", str(export), "-o", str(out / "kb.yaml")],
                                       env, args.rounds, peak)
        made = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) if out.exists() else []
        print(f"| policyx import | {seconds:.1f} | {kib / 1024:.0f} | {status} | {', '.join(made) or 'nothing'} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
