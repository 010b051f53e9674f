"""What each writer does with an ``-o`` that is not a file: ``-``, a pipe, a terminal or other
character device, ``/dev/stdout`` (a link in /dev to what the shell opened), a socket, a block
device, a link elsewhere. One table, every kind of path against every writer (docs/files.md).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from policyx.cli.runtime import is_standard_output
from policyx.kb import safewrite

from .clirun import run_program
from .importing import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
MINUTES = ROOT / "docs" / "examples" / "uniforms" / "sources" / "minutes.txt"

#: each writer's command line, given its -o
WRITERS: dict[str, Callable[[str], list[str]]] = {
    "export": lambda out: ["export", "-f", "csv", "-o", out],
    "quiz": lambda out: ["quiz", "--print", "--seed", "1", "-o", out],
    "init": lambda out: ["init", str(MINUTES), "-o", out],
    "import": lambda out: ["import", str(FIXTURES / "voting-age-dialogue.json"), "-o", out],
}

#: what happens: the data goes to the stream named (exit 0, no file made), or the run is refused
#: before anything is written (exit 2, no file made, nothing on any stream)
STDOUT, PIPE, DEVICE, APPENDED, REFUSED = "stdout", "the pipe", "the device", "appended to the file", "refused"
KINDS = ("-", "pipe", "/dev/null", "/dev/stdout, a pipe", "/dev/stdout, a file (>>)", "character device elsewhere",
         "socket", "block device", "link elsewhere to /dev/null")
#: the table: for each kind of path, what each writer does (export, quiz, init, import)
TABLE: dict[str, tuple[str, str, str, str]] = {
    "-": (STDOUT, STDOUT, STDOUT, REFUSED),
    "pipe": (PIPE, PIPE, PIPE, REFUSED),
    "/dev/null": (DEVICE, DEVICE, DEVICE, REFUSED),
    "/dev/stdout, a pipe": (STDOUT, STDOUT, STDOUT, REFUSED),
    "/dev/stdout, a file (>>)": (APPENDED, APPENDED, APPENDED, REFUSED),
    "character device elsewhere": (DEVICE, DEVICE, DEVICE, REFUSED),
    "socket": (REFUSED, REFUSED, REFUSED, REFUSED),
    "block device": (REFUSED, REFUSED, REFUSED, REFUSED),
    "link elsewhere to /dev/null": (REFUSED, REFUSED, REFUSED, REFUSED),
}


@dataclass
class Target:
    """A path of one kind, made in ``folder``, and how to see what reached it."""

    path: str
    folder: Path
    appended_to: Path | None = None
    reader: int | None = None

    def received(self) -> bytes:
        if self.reader is None:
            return b""
        try:
            return os.read(self.reader, 1 << 20)
        except BlockingIOError:  # nothing was written
            return b""


@pytest.fixture
def make_target(tmp_path: Path) -> Iterator[Callable[[str], Target]]:
    opened: list[int] = []
    sockets: list[socket.socket] = []

    def make(kind: str) -> Target:
        folder = tmp_path / "out"
        folder.mkdir()
        if kind in ("-", "/dev/null"):
            return Target(kind, folder)
        if kind.startswith("/dev/stdout"):
            return Target("/dev/stdout", folder, folder / "shell.out" if "file" in kind else None)
        if kind == "pipe":
            os.mkfifo(folder / "out.fifo")
            reader = os.open(folder / "out.fifo", os.O_RDONLY | os.O_NONBLOCK)  # a writer never waits
            opened.append(reader)
            return Target(str(folder / "out.fifo"), folder, reader=reader)
        if kind == "socket":
            sockets.append(socket.socket(socket.AF_UNIX))
            sockets[-1].bind(str(folder / "out.sock"))
            return Target(str(folder / "out.sock"), folder)
        if kind == "link elsewhere to /dev/null":
            os.symlink("/dev/null", folder / "null")
            return Target(str(folder / "null"), folder)
        # a device node outside /dev: /dev/null's numbers, or a block device no driver answers
        mode, device = (stat.S_IFCHR | 0o666, os.makedev(1, 3)) if kind.startswith("character") else (
            stat.S_IFBLK | 0o600, os.makedev(240, 0))
        try:
            os.mknod(folder / "device", mode, device)
        except (OSError, AttributeError):
            pytest.skip("making a device node needs root")
        return Target(str(folder / "device"), folder)

    yield make
    for fd in opened:
        os.close(fd)
    for one in sockets:
        one.close()


def _run(args: list[str], target: Target, monkeypatch: pytest.MonkeyPatch) -> tuple[int, bytes, str]:
    """The writer in this process, in the target's folder; ``/dev/stdout`` in a process of its
    own, whose stdout is a pipe or (``>>``) a file."""
    if target.path != "/dev/stdout":
        monkeypatch.chdir(target.folder)
        done = run_program(args)
        return done.exit_code, done.stdout.encode("utf-8"), done.stderr
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    command = [sys.executable, "-m", "policyx", *args]
    if target.appended_to is not None:
        target.appended_to.write_bytes(b"kept\n")
        with target.appended_to.open("ab") as shell_out:  # `policyx ... >> shell.out`
            ran = subprocess.run(command, cwd=target.folder, stdout=shell_out, stderr=subprocess.PIPE, env=env,
                                 timeout=120)
        return ran.returncode, b"", ran.stderr.decode("utf-8", "replace")
    ran = subprocess.run(command, cwd=target.folder, capture_output=True, env=env, timeout=120)
    return ran.returncode, ran.stdout, ran.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_path_against_each_writer(make_target: Callable[[str], Target], kind: str, writer: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    expected = TABLE[kind][list(WRITERS).index(writer)]
    target = make_target(kind)
    before = sorted(os.listdir(target.folder))
    code, stdout, stderr = _run(WRITERS[writer](target.path), target, monkeypatch)
    made = sorted(set(os.listdir(target.folder)) - set(before) - {"shell.out"})
    received = target.received()
    appended = target.appended_to.read_bytes()[len(b"kept\n"):] if target.appended_to else b""
    assert "Traceback" not in stderr
    seen = {STDOUT: stdout, PIPE: received, APPENDED: appended}
    assert not made, (made, stderr)  # no file "-", no KB-sources/ or policyx.toml beside a stream
    if expected == REFUSED:
        assert code == 2, stderr
        assert not any(seen.values()), stderr
        return
    assert code == 0, stderr
    assert [name for name, data in seen.items() if data] == ([expected] if expected in seen else []), stderr
    assert expected not in seen or len(seen[expected]) > 100


def test_the_table_covers_every_writer() -> None:
    assert all(len(row) == len(WRITERS) for row in TABLE.values()) and set(TABLE) == set(KINDS)


def test_one_definition_says_what_a_stream_is(tmp_path: Path) -> None:
    """Every writer asks kb/safewrite.py; what it calls a stream is what the table streams to."""
    os.mkfifo(tmp_path / "fifo")
    os.symlink("/dev/null", tmp_path / "link")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock"))
        paths = [tmp_path / "fifo", "/dev/null", tmp_path / "link", tmp_path / "file", tmp_path / "sock", tmp_path,
                 tmp_path / "new", "-"]
        assert [safewrite.is_stream(p) for p in paths] == [True, True, False, False, False, False, False, False]
        assert [safewrite.special_kind(p) for p in paths] == [None, None, None, None, "a socket", None, None, None]
    assert is_standard_output("-") and not is_standard_output("./-") and not is_standard_output("/dev/stdout")


def test_a_socket_is_refused_before_the_work_with_what_it_is(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "out.sock"))
        done = run_program(["export", "-f", "csv", "-o", str(tmp_path / "out.sock")])
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr == (f"policyx: --output {tmp_path / 'out.sock'} is a socket, not a file: policyx cannot write"
                           " it; give a file name\n")


@pytest.mark.parametrize("args", [["export", "-f", "csv"], ["init", "SOURCE"]], ids=["export", "init"])
def test_dev_stdout_at_a_prompt_is_made_safe_as_standard_output_is(tmp_path: Path, args: list[str]) -> None:
    """What reaches a terminal through -o /dev/stdout is read there: escapes, as without -o."""
    from .ptyrun import run_in_terminal
    from .test_invisible_text import invisible_kb

    kb = invisible_kb(tmp_path)
    source = tmp_path / "talk.txt"
    source.write_text("They said \x1b]0;pwned\x07 zero\u200bwidth. And more.\n", encoding="utf-8")
    argv = [str(source) if a == "SOURCE" else a for a in args]
    for out in ("/dev/stdout", "-"):
        seen = run_in_terminal("--kb", str(kb), *argv, "-o", out, env={"NO_COLOR": "1"})
        assert seen.exit_code == 0, seen.stderr
        assert "\x1b]0;" not in seen.screen and "\u200b" not in seen.screen, seen.screen
        assert "\\u200b" in seen.screen


@pytest.mark.parametrize("option", [["--fix"], ["--fix", "--dry-run"], ["--watch"]])
def test_check_fix_and_watch_refuse_a_pipe_before_reading_it(tmp_path: Path, option: list[str]) -> None:
    """`cat kb.yaml | policyx check --fix /dev/stdin` read the pipe twice: the second read found
    it empty and said nothing was written to it. --fix and --watch need a file; a pipe is refused
    at once, saying what it is, and nothing reads it."""
    pipe = tmp_path / "kb.fifo"
    os.mkfifo(pipe)
    writer = os.open(pipe, os.O_RDWR | os.O_NONBLOCK)  # a writer holds it open: a read would not block
    try:
        os.write(writer, b"version: 1\n")
        done = subprocess.run([sys.executable, "-m", "policyx", "check", *option, str(pipe)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        assert f"{option[0]} works on a knowledge base file, and {pipe} is a pipe: save it to a file" in done.stderr
        assert os.read(writer, 100) == b"version: 1\n"  # still there: nothing read it
    finally:
        os.close(writer)


def test_a_knowledge_base_from_a_pipe_is_told_where_its_sources_can_be_found() -> None:
    """Its relative source files cannot be beside it (it has no folder): the hint says --sources."""
    bundled = ROOT / "data" / "positions.yaml"
    done = subprocess.run([sys.executable, "-m", "policyx", "check", "/dev/stdin"], input=bundled.read_text("utf-8"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert ("has no folder of its own: give the folder its source texts are in with --sources DIR" in done.stderr)
    found = subprocess.run([sys.executable, "-m", "policyx", "--sources", str(bundled.parent), "check", "/dev/stdin"],
                           input=bundled.read_text("utf-8"), capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
