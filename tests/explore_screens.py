"""The explorer's main screens, as the snapshot tests take them and docs/explore.md shows them.

Each screen is an app opened at an entry plus what a user then does (keys, through
Textual's pilot). ``python -m tools.explore_screens`` copies the snapshots the tests
accepted into docs/explore/ (see tests/test_explore_screens.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.pilot import Pilot

from policyx.explore.app import ExploreApp
from policyx.kb.load import bundled_path
from policyx.kb.store import open_kb

SIZES = ((80, 24), (120, 40))


async def _search(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"criminal buyers")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _compare(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ExploreApp)
    await pilot.press("m")
    app.go("do-not-criminalize-johns")
    await pilot.press("m", "c")
    await pilot.pause()




@dataclass(frozen=True)
class Screen:
    name: str
    start: str | None = None
    run_before: Callable[[Pilot[None]], Awaitable[None]] | None = None
    press: tuple[str, ...] = ()
    doc: str = ""


SCREENS = (
    Screen("first", doc="the first screen: the questions, folded"),
    Screen("entry", "criminalize-johns", doc="a position in full: its quote inside its source's text"),
    Screen("search", run_before=_search, doc="search as you type: the matches highlighted"),
    Screen("compare", "criminalize-johns", run_before=_compare, doc="two positions side by side"),
    Screen("help", press=("question_mark",), doc="the keys"),
    Screen("filters", press=("f",), doc="the filters"),
)


def make_app(screen: Screen) -> ExploreApp:
    return ExploreApp(open_kb(bundled_path()), screen.start)
