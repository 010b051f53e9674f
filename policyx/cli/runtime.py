"""Running as a program, without Typer: streams, errors, broken pipes.

Shared by the Typer CLI (:mod:`policyx.cli.app`) and the fast path
(:mod:`policyx.cli.fast`), so both write, fail and exit in exactly the same way.
Imports nothing heavy: the fast path's start-up time depends on it.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable

from ..kb.errors import ExitCode, OutputError, PolicyxError


def write(text: str) -> None:
    """Write data to stdout (messages go to stderr through :func:`say`).

    When the reader has gone (``policyx list | head -1``), the command ends
    here, quietly and with status 0. Ending with SystemExit rather than letting
    BrokenPipeError travel up matters under Typer: Click turns an EPIPE into
    exit status 1 before :func:`policyx.cli.app.run` could see it.
    """
    if sys.stdout is None:  # started with stdout closed (`policyx list >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:
            # stdout is not UTF-8 (PYTHONIOENCODING=ascii, a Latin-1 locale): what it cannot
            # encode goes out as \u escapes (valid JSON and YAML escapes), never a traceback
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    except BrokenPipeError:
        raise SystemExit(broken_pipe()) from None
    except OSError as exc:
        raise output_error(exc) from None


def output_error(exc: OSError) -> OutputError:
    """The error for an output that cannot be written (``> file`` on a full disk)."""
    _discard_stdout()  # so that the interpreter's final flush does not fail again
    reason = exc.strerror or str(exc)
    full = exc.errno in {getattr(errno, n, None) for n in ("ENOSPC", "EDQUOT")}
    return OutputError(f"cannot write the output: {reason}{' (is the disk full?)' if full else ''}")


def say(message: str) -> None:
    """Write a message to stderr. Messages quote file names and values from the data,
    so control and direction-override characters are shown as escapes, never sent."""
    from ..output.cells import terminal_text

    sys.stderr.write(terminal_text(message.rstrip("\n")) + "\n")


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for None, closed or odd streams)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    return is_terminal(sys.stdout)


def report(exc: PolicyxError) -> int:
    """Print an expected error on stderr, each line (one per problem) as
    ``policyx: file:line:col: message``; return its exit code."""
    say("\n".join(f"policyx: {line}" for line in exc.message.split("\n")))
    return exc.exit_code


def broken_pipe() -> int:
    # The Python docs' recipe: point stdout at devnull so the interpreter's
    # final flush does not raise again, then exit quietly.
    _discard_stdout()
    return 0


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no stdout to redirect
        pass


def interrupted() -> int:
    sys.stderr.write("\n")
    return ExitCode.INTERRUPTED


def run_guarded(body: Callable[[], int]) -> int:
    """Run ``body`` as a program would: no tracebacks for expected errors,
    quiet on broken pipes and Ctrl-C. Returns the exit code."""
    try:
        code = body()
    except KeyboardInterrupt:
        code = interrupted()
    except PolicyxError as exc:
        code = report(exc)
    except BrokenPipeError:
        code = broken_pipe()
    return flush(code)


def flush(code: int) -> int:
    """Flush stdout (where a closed pipe shows up) and return the exit code."""
    if sys.stdout is None:
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = broken_pipe()
    except OSError as exc:
        code = report(output_error(exc))
    return code
