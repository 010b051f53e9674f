"""Textual's pilot, waiting until the app has settled rather than for fixed slices of time.

After every key the pilot presses (and in ``pilot.pause()``) Textual waits for the process to
look idle: it sleeps 20 ms, and again while the process spent CPU in that slice. A key cost
40 ms of sleep at least, whatever it did, and a screen's refresh waited for its next frame (60
a second): two thirds of the explorer tests' time (their CPU was a third of their duration).

:func:`wait_for_idle` looks instead: the app has settled when the event loop has nothing to run
(every message handled, and every message those led to), no timer falls due within Textual's
slice and no worker thread of the app is running. A screen's refresh waiting for its frame is
drawn at once (what its timer would do at the tick, and what ``pilot.pause()`` does). Any other
timer due is waited for; a worker running gets Textual's own slice (idle when the process spent
no CPU in it). So the pilot returns only when nothing is pending that Textual's wait would have
waited for, and the tests assert what they asserted; only the time asleep is gone.

This is the one place the tests read Textual's (and asyncio's) private names: what it does not
recognise is waited for as Textual would, and :func:`install` keeps Textual's own wait when a
Textual lacks the names it replaces (tests/test_explore_api.py).
"""

from __future__ import annotations

import asyncio
import importlib
import os
from time import monotonic, process_time
from types import ModuleType

import textual.app
import textual.pilot
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_CONTEXT = _module("textual._context")  # the app running (a worker of it running: Textual's slice)
_WAIT = _module("textual._wait")  # Textual's wait: its slice, its idea of idle, and itself
SLICE: float = getattr(_WAIT, "SLEEP_GRANULARITY", 1 / 50)
IDLE: float = getattr(_WAIT, "SLEEP_IDLE", SLICE / 20)
#: a timer falling due this soon is waited for (Textual's slice, and a little)
DUE = SLICE * 1.25


def _due(loop: asyncio.AbstractEventLoop) -> list[tuple[float, Timer | None]]:
    """The timers falling due within a slice: (when, in loop time; the Textual timer, if one).
    A paused Textual timer's wake-up is left out: it then waits on, doing nothing (the screen's
    refresh timer sleeps to its next frame after every refresh, paused until one is needed)."""
    soon = loop.time() + DUE
    due = []
    for handle in loop._scheduled:  # type: ignore[attr-defined]
        if not handle.cancelled() and handle.when() < soon:
            timer = _timer(handle)
            active = getattr(timer, "_active", None)
            if timer is None or not isinstance(active, asyncio.Event) or active.is_set():
                due.append((handle.when(), timer))
    return due


def _timer(handle: asyncio.TimerHandle) -> Timer | None:
    """The Textual timer the handle wakes, if it is one (anything not understood here: None, and
    the handle is waited for, as Textual's own wait would have)."""
    args = getattr(handle, "_args", None) or (None,)
    for callback, _ in getattr(args[0], "_callbacks", None) or ():  # asyncio.sleep's future: who awaits it
        task = getattr(callback, "__self__", None)
        frame = getattr(task.get_coro(), "cr_frame", None) if isinstance(task, asyncio.Task) else None
        timer = frame.f_locals.get("self") if frame is not None else None
        if isinstance(timer, Timer):
            return timer
    return None


def _frame(timer: Timer | None) -> Screen[object] | None:
    """The screen whose refresh (its next frame) this timer waits to draw, if it is one."""
    target = getattr(timer, "_target", None) if timer is not None and timer.name == "screen_update" else None
    screen = target() if callable(target) else None
    return screen if isinstance(screen, Screen) and hasattr(screen, "_on_timer_update") else None


def _app() -> App[object] | None:
    """The app the pilot drives (Textual's context variable), or None."""
    current = getattr(_CONTEXT, "active_app", None)
    app = current.get(None) if current is not None else None
    return app if isinstance(app, App) else None


def _working(app: App[object] | None) -> bool:
    """A worker thread of the app runs (or the app is not known: assume it might)."""
    return app is None or any(not worker.is_finished for worker in app.workers)


async def wait_for_idle(min_sleep: float = SLICE, max_sleep: float = 1) -> None:
    """Return when the app has settled (see the module's docstring); ``min_sleep`` > 0: Textual's wait."""
    loop = asyncio.get_running_loop()
    if min_sleep > 0 or not hasattr(loop, "_ready") or not hasattr(loop, "_scheduled"):
        await _WAIT.wait_for_idle(min_sleep, max_sleep)  # type: ignore[union-attr]
        return
    start = monotonic()
    while monotonic() - start < max_sleep:
        await asyncio.sleep(0)  # everything runnable now runs (and what it schedules, next time round)
        if loop._ready:
            continue
        due = _due(loop)
        frames = [screen for _, timer in due if (screen := _frame(timer)) is not None]
        if frames:  # the frame a screen waits to draw, drawn now rather than at its tick
            for screen in frames:
                screen._on_timer_update()
            continue
        if due:  # another timer falls due within the slice: until it has run
            await asyncio.sleep(max(0.0, min(when for when, _ in due) - loop.time()))
            continue
        if not _working(_app()):
            return  # settled: nothing to run, nothing due, no thread working
        cpu = process_time()  # a worker thread runs: Textual's slice, idle when it spent no CPU in it
        await asyncio.sleep(SLICE)
        if process_time() - cpu < IDLE and not loop._ready:
            return


def install() -> bool:
    """Make the pilot (and the snapshot plugin, which drives it) wait with :func:`wait_for_idle`;
    False, Textual's own wait kept, when this Textual does not wait the way this replaces, or when
    POLICYX_PILOT_WAIT=textual asks for it (to tell whether a failing explorer test fails with both)."""
    if os.environ.get("POLICYX_PILOT_WAIT") == "textual":
        return False
    if textual.app.wait_for_idle is wait_for_idle:  # type: ignore[attr-defined]
        return True
    if not (callable(getattr(_WAIT, "wait_for_idle", None))
            and getattr(textual.app, "wait_for_idle", None) is _WAIT.wait_for_idle  # type: ignore[union-attr]
            and getattr(textual.pilot, "wait_for_idle", None) is _WAIT.wait_for_idle):  # type: ignore[union-attr]
        return False
    textual.app.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    return True
