"""Copy the accepted snapshots of `policyx explore`'s screens to docs/explore/ for docs/explore.md.

    pytest tests/test_explore_screens.py --snapshot-update   # after a change to a screen, then look at them
    python tools/explore_screens.py

The pictures in the docs are the snapshot tests' own (tests/test_explore_screens.py checks
that they are the same files), so the docs show what the tests hold the app to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_explore_screens"
DOCS = ROOT / "docs" / "explore"

#: the screens docs/explore.md shows
SHOWN = ("first-80x24", "entry-80x24", "search-80x24", "compare-120x40", "entry-120x40", "help-80x24")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    for name in SHOWN:
        shutil.copyfile(SNAPSHOTS / f"test_screen[{name}].svg", DOCS / f"{name}.svg")
    shutil.copyfile(SNAPSHOTS / "test_no_color_shows_no_colour.svg", DOCS / "no-color-80x24.svg")


if __name__ == "__main__":
    main()
