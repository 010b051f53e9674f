"""Snapshots of `policyx explore`'s main screens at 80x24 and 120x40 (pytest-textual-snapshot).

A change to what a screen shows fails here with the old and new pictures side by side
(snapshot_report.html); accept it with ``pytest tests/test_explore_screens.py
--snapshot-update``, look at the SVGs, then ``python tools/explore_screens.py`` copies
them to docs/explore/ for docs/explore.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.explore_screens import SCREENS, SIZES, Screen, make_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
def test_screen(screen: Screen, size: tuple[int, int], snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(screen), press=screen.press, terminal_size=size, run_before=screen.run_before)


def test_no_color_shows_no_colour(snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: Textual draws in monochrome (it reads the variable when the app starts)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(SCREENS[1])
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))


def test_light_theme(snap_compare: Callable[..., bool]) -> None:
    app = make_app(SCREENS[1])

    async def light(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=light)


def test_the_docs_show_the_accepted_snapshots() -> None:
    """docs/explore/*.svg are the snapshots as accepted (tools/explore_screens.py copies them)."""
    snapshots = ROOT / "tests" / "__snapshots__" / "test_explore_screens"
    docs = sorted((ROOT / "docs" / "explore").glob("*.svg"))
    assert docs
    for image in docs:
        name = f"test_screen[{image.stem}].svg"
        if image.stem == "no-color-80x24":
            name = "test_no_color_shows_no_colour.svg"
        assert image.read_bytes() == (snapshots / name).read_bytes(), image.name
