"""Ctrl-C ends policyx quietly with status 130, on both entry paths."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from policyx.cli.runtime import ExitCode, run_guarded
from tests.terminal import as_at_a_shell_prompt


def test_ctrl_c_while_waiting_for_an_answer_exits_130_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    process = subprocess.Popen(
        [sys.executable, "-m", "policyx", "quiz", "--count", "3", "--seed", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        preexec_fn=as_at_a_shell_prompt,  # a test run in the background would pass on SIGINT ignored
    )
    assert process.stdout is not None and process.stderr is not None
    # Wait (no sleep) until the quiz has asked its first question and is reading stdin.
    seen = b""
    while b"answer>" not in seen:
        chunk = process.stdout.read1(4096)
        assert chunk, "the quiz ended before asking: " + process.stderr.read().decode()
        seen += chunk
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)  # a safety net, not a wait: it returns at the exit
    finally:
        process.kill()
    assert process.returncode == ExitCode.INTERRUPTED == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_run_guarded_maps_keyboard_interrupt_to_130(capsys) -> None:  # type: ignore[no-untyped-def]
    def body() -> int:
        raise KeyboardInterrupt

    assert run_guarded(body) == 130
    assert capsys.readouterr().out == ""
