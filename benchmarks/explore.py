#!/usr/bin/env python3
"""Measure `policyx explore` on a generated knowledge base of 22,500 arguments (QT30's size).

    python benchmarks/explore.py                 # ~2 minutes on 2 cores
    python benchmarks/explore.py --size 2000 --rounds 3

The targets: the first screen within 1 s warm (the cache written), every key answered
within 100 ms. Each figure is printed beside a floor measured in the same run:

- first screen: `policyx explore` started on a pseudo-terminal (100x30) until the first
  question's id is drawn, then `q`; the floors are a bare Textual app started the same way
  until its one line is drawn (what Textual costs at all), and `policyx list questions`
  in a pipe (what opening the knowledge base costs). Commands alternate round by round;
  medians.
- keys: `policyx explore` on a pseudo-terminal of 80x24, each key timed from its write
  until the terminal receives the redraw it causes (as a user sees it); median and worst
  of the rounds. The floors are `down` in a bare Textual Tree of as many questions, and Esc
  closing a dialog in that bare app (with the ESCDELAY explore sets: Textual waits that long
  after an Esc for the rest of a key's sequence), timed the same way.
- search: the results of search-as-you-type arrive from a worker thread (the letter itself
  is drawn at once): the time from the last letter until the first match is shown.

    python benchmarks/explore.py --profile [--size 22500]

drives the same keys through Textual's pilot in this process under cProfile, and prints each
key's CPU time and where it went (what to look at when a key is slow; not a figure).
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_kb  # noqa: E402
from run import machine  # noqa: E402

from policyx.explore import ESCAPE_DELAY  # noqa: E402

HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App[None]):
    def compose(self):
        yield Static("hello-floor")
    def on_key(self, event):
        self.exit()

Hello().run()
"""


def on_terminal(command: list[str], wanted: bytes, env: dict[str, str]) -> float:
    """Seconds from start until ``wanted`` is drawn on a pseudo-terminal; then q, and wait for the end."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise SystemExit(f"nothing drawn for 60 s by {command}")
            chunk = os.read(master, 1 << 16)
            if not chunk:
                raise SystemExit(f"{command} ended before drawing {wanted!r}")
            seen += chunk
            if wanted in seen:
                elapsed = time.perf_counter() - start
                break
        os.write(master, b"q")
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 1 << 16)
                except OSError:
                    break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(master)
    return elapsed


def in_pipe(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def first_screen(kb: Path, env: dict[str, str], rounds: int, first_id: str) -> dict[str, float]:
    runs: dict[str, Callable[[], float]] = {
        "policyx explore: first screen": lambda: on_terminal(
            [sys.executable, "-m", "policyx", "--kb", str(kb), "explore"], first_id.encode(), env),
        "floor: a bare Textual app's first screen": lambda: on_terminal(
            [sys.executable, "-c", HELLO], b"hello-floor", env),
        "floor: policyx list questions (in a pipe)": lambda: in_pipe(
            [sys.executable, "-m", "policyx", "--kb", str(kb), "list", "questions"], env),
    }
    for run in runs.values():  # warm-up: the cache written, the files in the page cache
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            times[name].append(runs[name]())
    return {name: statistics.median(values) for name, values in times.items()}


class OnTerminal:
    """An app running on a pseudo-terminal of 80x24, driven key by key as a user types."""

    def __init__(self, command: list[str], wanted: bytes, env: dict[str, str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True)
        os.close(slave)
        self.seen = b""
        try:
            self.until(wanted)
            self.quiet()
        except BaseException:
            self.process.kill()  # never leave the app running behind
            self.process.wait()
            os.close(self.master)
            raise

    def read(self, timeout: float) -> bytes:
        if not select.select([self.master], [], [], timeout)[0]:
            return b""
        chunk = os.read(self.master, 1 << 16)
        self.seen += chunk
        return chunk

    def until(self, wanted: bytes, timeout: float = 60) -> float:
        start = time.perf_counter()
        self.seen = b""
        while wanted not in self.seen:
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"{wanted!r} never drawn")
            self.read(1)
        return time.perf_counter() - start

    def quiet(self, silence: float = 0.3) -> None:
        """Read until nothing more is drawn for ``silence`` seconds (animations, late workers)."""
        while self.read(silence):
            pass

    def key(self, key: bytes) -> float:
        """Seconds from the key until the terminal receives the redraw it causes."""
        self.quiet()
        start = time.perf_counter()
        os.write(self.master, key)
        while not self.read(5):
            if time.perf_counter() - start > 5:
                return float("nan")
        return time.perf_counter() - start

    def close(self) -> None:
        os.write(self.master, b"q")
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)


BARE_TREE = """
import sys
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Static, Tree

class Dialog(ModalScreen[None]):
    BINDINGS = [("escape", "close", "Close")]
    def compose(self):
        yield Static("a dialog")
    def action_close(self):
        self.dismiss(None)

class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("question_mark", "dialog", "Dialog")]
    def action_dialog(self):
        self.push_screen(Dialog())
    def compose(self):
        tree = Tree("floor-tree")
        for n in range(int(sys.argv[1])):
            tree.root.add_leaf(f"question {n}")
        tree.root.expand()
        yield tree

Bare().run()
"""

#: (what, keys): the keys, in an order that leaves the app where the next one expects it
KEYS: tuple[tuple[str, bytes], ...] = (
    ("j (down)", b"j"),
    ("k (up)", b"k"),
    ("G (the last question)", b"G"),
    ("g (the first)", b"g"),
    ("l (unfold a question)", b"l"),
    ("l (onto its first position)", b"l"),
    ("Enter (unfold its arguments)", b"\r"),
    ("j (onto an argument: its quote in its source)", b"j"),
    ("1 (follow a link)", b"1"),
    ("b (back)", b"b"),
    ("m (mark)", b"m"),
    ("j", b"j"),
    ("m (mark a second)", b"m"),
    ("c (compare side by side)", b"c"),
    ("Esc (close the comparison)", b"\x1b"),
    ("f (the filters)", b"f"),
    ("Esc (close them)", b"\x1b"),
    ("? (help)", b"?"),
    ("Esc (close it)", b"\x1b"),
    ("? (help again)", b"?"),
    ("q (close it)", b"q"),
    ("y (copy the id)", b"y"),
    ("/ (open the search)", b"/"),
    ("a letter typed in the search (drawn)", b"r"),
)


def key_latencies(kb: Path, env: dict[str, str], rounds: int, questions: int, first: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for _ in range(rounds):
        app = OnTerminal([sys.executable, "-m", "policyx", "--kb", str(kb), "explore"], first.encode(), env)
        try:
            for name, key in KEYS:
                found.setdefault(name, []).append(app.key(key))
            os.write(app.master, b"isk")
            found.setdefault("search: 'risk' ranked and shown (after its last letter)", []).append(
                app.until(b"match 1 of"))
            os.write(app.master, b" st")
            found.setdefault("search: narrowed to 'risk st', ranked and shown", []).append(app.until(b"match 1 of"))
            app.quiet()
            os.write(app.master, b"\r")
            app.quiet()
            found.setdefault("n (the next match)", []).append(app.key(b"n"))
            app.quiet()
        finally:
            app.close()
        bare = OnTerminal([sys.executable, "-c", BARE_TREE, str(questions)], b"floor-tree",
                          {**env, "ESCDELAY": env.get("ESCDELAY", ESCAPE_DELAY)})
        try:
            for _ in range(5):
                found.setdefault("floor: down in a bare Textual Tree", []).append(bare.key(b"\x1b[B"))
            for _ in range(3):
                bare.key(b"?")
                found.setdefault("floor: Esc closing a dialog in the bare app", []).append(bare.key(b"\x1b"))
        finally:
            bare.close()
    return found


#: KEYS as Textual's pilot names them
PILOT_NAMES = {b"\r": "enter", b"\x1b": "escape", b"?": "question_mark", b"/": "slash"}


def profile(kb_path: Path) -> None:
    """KEYS (then a search, its narrowing, Enter and n) through the pilot at 80x24, in this
    process, under cProfile: each key's CPU time (the worker threads' included), and the
    functions of policyx and Textual that took it."""
    import asyncio
    import cProfile
    import pstats

    from policyx.explore.app import ExploreApp
    from policyx.kb.store import open_kb

    kb = open_kb(kb_path)
    profiler = cProfile.Profile()
    spent: list[tuple[str, float]] = []

    async def run() -> None:
        app = ExploreApp(kb)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

            async def press(name: str, *keys: str) -> None:
                cpu = time.process_time()
                profiler.enable()
                await pilot.press(*keys)
                await app.workers.wait_for_complete()
                await pilot.pause()
                profiler.disable()
                spent.append((name, time.process_time() - cpu))

            for name, key in KEYS:
                await press(name, PILOT_NAMES.get(key, key.decode()))
            await press("search: 'isk' typed after 'r', ranked and shown", *"isk")
            await press("search: narrowed to 'risk st'", *" st")
            await press("Enter (keep the matches)", "enter")
            await press("n (the next match)", "n")

    asyncio.run(run())
    print("| key (pilot, 80x24, under cProfile) | CPU ms |\n|---|---|")
    for name, seconds in spent:
        print(f"| {name} | {seconds * 1000:.1f} |")
    print()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"policyx|textual/(widgets|_compositor|widget\.py|screen)", 40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=22_500, help="arguments in the knowledge base")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--profile", action="store_true", help="the keys through the pilot under cProfile")
    args = parser.parse_args()
    import compileall

    compileall.compile_dir(str(HERE.parent / "policyx"), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        kb = make_kb.write_kb(args.size, Path(folder) / "kb" / "positions.yaml", seed=1)
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR")}
        env.update(XDG_CACHE_HOME=str(Path(folder) / "cache"), TERM="xterm-256color")
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        from policyx.kb.store import open_kb

        opened = open_kb(kb)  # writes the cache
        if args.profile:
            profile(kb)
            return
        print(f"# policyx explore on {len(opened.arguments):,} arguments, {len(opened.positions):,} positions,"
              f" {len(opened.questions):,} questions\n\n{machine()}; load average at the start"
              f" {os.getloadavg()[0]:.1f} (other processes share the cores: compare with the floors)\n")
        screens = first_screen(kb, env, args.rounds, opened.questions[0].id)
        print(f"| first screen (warm cache, median of {args.rounds}) | seconds |\n|---|---|")
        for name, seconds in screens.items():
            print(f"| {name} | {seconds:.3f} |")
        target = "ok" if screens["policyx explore: first screen"] <= 1.0 else "**missed**"
        print(f"\ntarget: first screen within 1 s: {target}\n")
        keys = key_latencies(kb, env, args.rounds, len(opened.questions), opened.questions[0].id)
        print("| key (80x24) | median ms | worst ms |\n|---|---|---|")
        missed = []
        for name, values in keys.items():
            print(f"| {name} | {statistics.median(values) * 1000:.1f} | {max(values) * 1000:.1f} |")
            if not name.startswith(("floor", "search:", "Esc")) and statistics.median(values) > 0.1:
                missed.append(name)
        verdict = "ok" if not missed else "**missed**: " + ", ".join(missed)
        print(f"\ntarget: every key within 100 ms (median): {verdict}")
        esc = [statistics.median(v) for name, v in keys.items() if name.startswith("Esc")]
        floor = statistics.median(keys["floor: Esc closing a dialog in the bare app"])
        print(f"Esc (the terminal's key sequences make Textual wait for it: its floor is {floor * 1000:.0f} ms):"
              f" {max(esc) * 1000:.0f} ms at worst, {(max(esc) - floor) * 1000:+.0f} ms over the floor")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
