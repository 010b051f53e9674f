"""Exit statuses keep their meaning (docs/reference.md, "Exit codes"): no output is lost silently.

- Every write to stdout or a file completes or the run ends with status 4, also unbuffered
  (``python -u``, ``PYTHONUNBUFFERED=1``), where a write cut short by a filling disk used to be
  dropped silently with status 0.
- ``export -o FILE`` replaces FILE with a whole new file or leaves it as it was.
- An internal error (a bug, memory running out) is status 70 with one line, never status 1
  (which means "nothing found") and never a traceback.
- stderr closed or gone never changes the status; stdout closed is status 4 whoever writes.

A full disk is made with ``RLIMIT_FSIZE`` (``ulimit -f``): a write that crosses the limit is cut
short, the next one fails with EFBIG, exactly as on a disk that fills up mid-write.

Full disks, closed streams, memory limits and crashes run as programs; a run with ordinary streams
(a path refused, a file replaced) runs in-process through the same entry point (tests/clirun.py).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from policyx.kb.load import bundled_path
from tests.clirun import Outcome, run_program

PROGRAM = [sys.executable, "-m", "policyx"]
BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "POLICYX_TRACEBACK", "PYTHONUNBUFFERED")}
LIMIT = 1000  # bytes a file may grow to in the "full disk" runs
FULL = "policyx: cannot write the output: File too large\n"


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


#: A program on a "full disk" writes no bytecode: Python writes a module's .pyc whole with one
#: write() and keeps what a short write left, a cut .pyc that every later run of policyx then
#: fails to import (EOFError), until __pycache__ is removed.
NO_BYTECODE = {"PYTHONDONTWRITEBYTECODE": "1"}


def run(args: list[str], *, env: dict[str, str] | None = None, full: bool = False, stdout: object = None,
        stderr: object = subprocess.PIPE, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*PROGRAM, *args], env={**BASE_ENV, **(env or {}), **(NO_BYTECODE if full else {})},
                          stdout=stdout or subprocess.PIPE, stderr=stderr,
                          preexec_fn=_limit_file_size if full else None, cwd=cwd, timeout=120)


def in_process(args: list[str], *, env: dict[str, str] | None = None) -> Outcome:
    """``policyx ARGS`` as ``python -m policyx`` runs it, in this process (tests/clirun.py): for the
    runs whose streams and limits are the ordinary ones, and for a run a program's is compared with."""
    return run_program(args, env=env)


UNBUFFERED = [{}, {"PYTHONUNBUFFERED": "1"}]
PATHS: list[dict[str, str]] = [{}, {"POLICYX_NO_FASTPATH": "1"}]

#: commands that write more than LIMIT bytes, on both entry paths when they have both
LONG_OUTPUTS = [
    ["list", "arguments", "-f", "json"],
    ["list", "arguments", "-f", "csv"],
    ["list", "arguments", "-f", "table"],
    ["show", "end-bifurcation", "-f", "markdown"],
    ["map"],
    ["export", "-f", "yaml"],
    ["--help"],
]


# --------------------------------------------------------------------------
# 1. A write cut short is finished or is an error


def _entry_paths(args: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Both entry paths when the fast path takes ``args``; Typer's alone when it does not (its
    "fast" run would be the Typer run again)."""
    from policyx.cli import fast

    return [("fast", PATHS[0]), ("typer", PATHS[1])] if fast.parse(args, {}) is not None else [("typer", PATHS[1])]


@pytest.mark.parametrize(("args", "path"), [
    pytest.param(args, path, id=f"{name}-{' '.join(args)}")
    for args in LONG_OUTPUTS for name, path in _entry_paths(args)
])
@pytest.mark.parametrize("unbuffered", UNBUFFERED, ids=["buffered", "unbuffered"])
def test_a_disk_filling_up_mid_write_is_status_4(tmp_path: Path, args: list[str], unbuffered: dict[str, str],
                                                 path: dict[str, str]) -> None:
    out = tmp_path / "out"
    with out.open("wb") as stdout:
        done = run(args, env={**unbuffered, **path}, full=True, stdout=stdout)
    assert (done.returncode, done.stderr.decode()) == (4, FULL)
    assert out.stat().st_size <= LIMIT


@pytest.mark.parametrize("unbuffered", UNBUFFERED, ids=["buffered", "unbuffered"])
def test_unbuffered_output_is_complete_and_the_same(unbuffered: dict[str, str]) -> None:
    expected = in_process(["list", "arguments", "-f", "json"]).stdout.encode()
    assert len(expected) > 10_000
    done = run(["list", "arguments", "-f", "json"], env=unbuffered)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, b"")


# --------------------------------------------------------------------------
# 2. export -o: all of it or nothing


def test_export_to_a_folder_that_does_not_exist_is_status_4(tmp_path: Path) -> None:
    for target, reason in ((tmp_path / "missing" / "handout.md", "No such file or directory"),
                           (Path(__file__) / "handout.md", "Not a directory")):
        done = in_process(["export", "-f", "markdown", "-o", str(target)])
        assert (done.exit_code, done.stderr) == (4, f"policyx: cannot write {target}: {reason}\n")


def test_export_on_a_full_disk_is_status_4_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "debate.yaml"
    target.write_text("the old export\n", encoding="utf-8")
    os.chmod(target, 0o640)
    done = run(["export", "-f", "yaml", "-o", str(target), "--force"], full=True)
    assert done.returncode == 4
    assert done.stderr.decode() == f"policyx: cannot write {target}: File too large\n"
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["debate.yaml"]  # no temporary file left behind


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
def test_export_to_a_full_device_is_status_4() -> None:
    done = run(["export", "-f", "markdown", "-o", "/dev/full"])
    assert done.returncode == 4
    assert done.stderr.decode() == "policyx: cannot write /dev/full: No space left on device (is the disk full?)\n"


def test_export_replaces_a_file_whole_keeping_its_mode_and_never_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "debate.yaml"
    target.write_text("the old export, longer than nothing\n" * 1000, encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "latest.yaml"
    link.symlink_to(target.name)
    done = in_process(["export", "-f", "yaml", "-o", str(link)])
    assert done.exit_code == 2 and "is a symbolic link" in done.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    done = in_process(["export", "-f", "yaml", "-o", str(target), "--force"])
    assert (done.exit_code, done.stderr.split("\n")[0]) == (0, f"wrote {target} (yaml)")
    assert target.read_text(encoding="utf-8") == in_process(["export", "-f", "yaml"]).stdout
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debate.yaml", "latest.yaml"]


def test_export_to_dev_stdout_writes_to_stdout() -> None:
    done = run(["export", "-f", "csv", "-o", "/dev/stdout"])
    assert done.returncode == 0
    assert done.stdout.decode() == in_process(["export", "-f", "csv"]).stdout


def test_a_newline_in_the_output_path_cannot_forge_a_message_line(tmp_path: Path) -> None:
    target = tmp_path / "x\npolicyx: error: forged.md"
    done = in_process(["export", "-f", "csv", "-o", str(target)])
    assert done.exit_code == 0
    assert done.stderr == f"wrote {tmp_path}/x\\npolicyx: error: forged.md (csv)\n"
    missing = tmp_path / "no\nsuch" / "x.md"
    done = in_process(["export", "-f", "csv", "-o", str(missing)])
    assert done.stderr.count("\n") == 1 and done.exit_code == 4


# --------------------------------------------------------------------------
# 3. Internal errors: status 70, one line; a closed stderr changes nothing

CRASH = """
import sys
import policyx.views.listing as listing

def crash(*args, **kwargs):
    raise {error}
listing.list_listing = crash
sys.argv = ["policyx", *sys.argv[1:]]
from policyx.__main__ import main
main()
"""


@pytest.mark.parametrize("path", PATHS, ids=["fast", "typer"])
def test_an_internal_error_is_status_70_and_one_line(path: dict[str, str]) -> None:
    script = CRASH.format(error='TypeError("a bug\\nover two lines")')
    done = subprocess.run([sys.executable, "-c", script, "list", "-f", "json"], capture_output=True, text=True,
                          env={**BASE_ENV, **path}, timeout=120)
    assert done.returncode == 70
    assert done.stderr == ("policyx: internal error: TypeError: a bug over two lines (a bug in policyx: please"
                           " report it, with the command line and what POLICYX_TRACEBACK=1 policyx ... prints)\n")
    traced = subprocess.run([sys.executable, "-c", script, "list", "-f", "json"], capture_output=True, text=True,
                            env={**BASE_ENV, **path, "POLICYX_TRACEBACK": "1"}, timeout=120)
    assert traced.returncode == 1 and "Traceback" in traced.stderr and "a bug" in traced.stderr


OUT_OF_MEMORY = """
import re, resource, sys
import policyx.cli.app, policyx.kb.load, policyx.output.table, yaml  # what a run imports, first
size = int(re.search(r"VmSize:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + (20 << 20), size + (20 << 20)))  # then 20 MiB more
sys.argv = ["policyx", *sys.argv[1:]]
from policyx.__main__ import main
main()
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to size the memory limit")
@pytest.mark.parametrize("args", [["list", "-f", "table"], ["export", "-f", "yaml"], ["export", "-f", "aif"],
                                  ["check"]], ids=" ".join)
def test_running_out_of_memory_is_a_message_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    big = tmp_path / "big.yaml"
    entries = "".join(f"  - id: a{i}\n    claim: Argument {i}.\n    for: p\n" for i in range(60_000))
    big.write_text("version: 1\nactors: [{id: x, name: X}]\nquestions: [{id: q, text: Q?}]\n"
                   "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]\n"
                   f"arguments:\n{entries}", encoding="utf-8")
    command = [*args, str(big)] if args == ["check"] else ["--no-cache", "--kb", str(big), *args]
    done = subprocess.run([sys.executable, "-c", OUT_OF_MEMORY, *command],
                          capture_output=True, text=True, env=BASE_ENV, timeout=120)
    assert done.returncode == 70
    assert done.stderr.startswith("policyx: out of memory: ") and done.stderr.count("\n") == 1


def _pipe_nobody_reads() -> int:
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("args", [["check", str(bundled_path())], ["check", "--strict", str(bundled_path())]])
def test_stderr_closed_or_gone_does_not_change_the_status(args: list[str]) -> None:
    expected = in_process(args).exit_code
    assert expected in (0, 3)
    gone = _pipe_nobody_reads()  # `check ... 2>&1 | head -1` once head has quit
    try:
        assert run(args, stderr=gone).returncode == expected
    finally:
        os.close(gone)
    assert run(args, stderr=subprocess.DEVNULL).returncode == expected
    closed = subprocess.run(["sh", "-c", " ".join([*PROGRAM, *args]) + " 2>&-; echo $?"], capture_output=True,
                            text=True, env=BASE_ENV, timeout=120)
    assert closed.stdout == f"{expected}\n"


def test_stdout_and_stderr_closed_is_status_4_quietly() -> None:
    closed = subprocess.run(["sh", "-c", " ".join(PROGRAM) + " list >&- 2>&-; echo $?"], capture_output=True,
                            text=True, env=BASE_ENV, timeout=120)
    assert (closed.stdout, closed.stderr) == ("4\n", "")


# --------------------------------------------------------------------------
# 21. --help and --version agree when stdout is closed


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["list", "--help"], ["list", "-f", "ids"],
                                  ["show", "end-bifurcation"]], ids=" ".join)
def test_every_output_to_a_closed_stdout_is_status_4(args: list[str]) -> None:
    closed = subprocess.run(["sh", "-c", " ".join([*PROGRAM, *args]) + " >&-; echo $? >&2"], capture_output=True,
                            text=True, env=BASE_ENV, timeout=120)
    assert closed.stderr == "policyx: cannot write the output: standard output is closed\n4\n"


def test_a_command_that_writes_nothing_to_stdout_does_not_mind_it_closed() -> None:
    closed = subprocess.run(["sh", "-c", " ".join([*PROGRAM, "check", str(bundled_path())]) + " >&-; echo $?"],
                            capture_output=True, text=True, env=BASE_ENV, timeout=120)
    assert closed.stdout == "0\n" and closed.stderr.startswith("warning: ")



# --------------------------------------------------------------------------
# 5. A path the system will not even look at is the user's to fix, never an internal error


LONG_NAME = "a" * 300  # ENAMETOOLONG for root too, as a folder that may not be entered is EACCES for a user
UNREACHABLE = ("{}: file name too long, so it cannot be read (check the path, and that you may read the file and"
               " enter every folder on its way)")


@pytest.mark.parametrize(("args", "path"), [
    pytest.param(args, path, id=f"{name}-{' '.join(args).replace(LONG_NAME, 'LONG')}")
    for args in [["--kb", LONG_NAME, "list"], ["--kb", f"{LONG_NAME}/kb.yaml", "list"], ["check", LONG_NAME],
                 ["check", LONG_NAME, "--fix"]]
    for name, path in _entry_paths(args)
])
def test_an_input_path_the_system_will_not_look_at_is_status_3(
        tmp_path: Path, args: list[str], path: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = in_process(args, env=path)
    assert done.exit_code == 3
    assert done.stderr == f"policyx: {UNREACHABLE.format(args[1])}\n"


def test_an_import_from_or_to_a_path_the_system_will_not_look_at_is_status_3_or_4(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.importing import FIXTURES

    monkeypatch.chdir(tmp_path)
    done = in_process(["import", LONG_NAME, "-o", "kb.yaml"])
    assert (done.exit_code, done.stderr) == (3, f"policyx: {UNREACHABLE.format(LONG_NAME)}\n")
    given = str(FIXTURES / "voting-age-dialogue.json")
    for output in (LONG_NAME, f"{LONG_NAME}/", f"{LONG_NAME}/kb.yaml"):
        done = in_process(["import", given, "-o", output])
        assert (done.exit_code, done.stderr) == (4, f"policyx: cannot write {output.rstrip('/')}:"
                                                   " File name too long\n")
    assert list(tmp_path.iterdir()) == []


def test_only_an_error_about_a_path_is_taken_for_the_users() -> None:
    from policyx.cli.runtime import run_guarded

    def denied() -> int:
        raise PermissionError(13, "Permission denied", "/srv/debates/kb.yaml")

    def bug() -> int:
        raise OSError(22, "Invalid argument")

    assert run_guarded(denied) == 3
    assert run_guarded(bug) == 70
