"""Regenerate the pictures under docs/ from policyx's own output.

    python tools/make_docs_images.py

- docs/debate.svg: `policyx export --format dot | dot -Tsvg` (needs Graphviz);
- docs/map.svg: the Rich tree `policyx map` draws on a terminal, saved by Rich;
- docs/map.txt: `policyx map` in a pipe (the plain outline);
- docs/classroom.png: the classroom page (`policyx export --format html`) in
  headless Chromium at 1280x800, scrolled to the question on buyers, one quote
  open (needs Chromium).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from policyx.kb.load import bundled_path, load
from policyx.output.html import render_html
from policyx.output.maptree import render_outline, render_tree
from policyx.views.argmap import build_map

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


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
    classroom_png(DOCS / "classroom.png")
    for name in ("debate.svg", "map.svg", "map.txt", "classroom.png"):
        print(f"wrote docs/{name}")


def classroom_png(target: Path) -> None:
    """A screenshot of the bundled debate's classroom page, as a class would see it."""
    sys.path.insert(0, str(ROOT))
    from tests.chromium import Browser, find_chromium

    binary = find_chromium()
    if binary is None:
        sys.exit("docs/classroom.png needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "debate.html"
        page.write_text(render_html(load(bundled_path())), encoding="utf-8")
        browser = Browser(binary, Path(tmp))
        try:
            browser.open_page()
            browser.viewport(1280, 800)
            browser.media(scheme="light")
            browser.load(page.as_uri() + "#criminalizing-johns")
            browser.evaluate("document.querySelector('#entry-criminalize-johns details.quote').open = true")
            target.write_bytes(browser.screenshot())
        finally:
            browser.close()


if __name__ == "__main__":
    main()
