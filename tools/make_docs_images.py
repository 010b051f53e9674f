"""Regenerate the pictures under docs/ from policyx's own output.

    python tools/make_docs_images.py

- docs/debate.svg: `policyx export --format dot | dot -Tsvg` (needs Graphviz);
- docs/map.svg: the Rich tree `policyx map` draws on a terminal, saved by Rich;
- docs/map.txt: `policyx map` in a pipe (the plain outline).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from policyx.kb.load import bundled_path, load
from policyx.output.maptree import render_outline, render_tree
from policyx.views.argmap import build_map

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    dot = subprocess.run(
        [sys.executable, "-m", "policyx", "export", "--format", "dot"], capture_output=True, text=True, check=True
    ).stdout
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    (DOCS / "debate.svg").write_text(svg, encoding="utf-8")

    debate = build_map(load(bundled_path()))
    console = Console(record=True, width=110, force_terminal=True, color_system="truecolor",
                      highlight=False, markup=False, file=io.StringIO())
    render_tree(debate, console)
    console.save_svg(str(DOCS / "map.svg"), title="policyx map")
    (DOCS / "map.txt").write_text(render_outline(debate), encoding="utf-8")
    for name in ("debate.svg", "map.svg", "map.txt"):
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
