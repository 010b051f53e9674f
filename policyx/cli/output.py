"""Writing a command's result: the format chosen, rendered, and sent to stdout or a pager.

Every command's data goes out through here (or :func:`policyx.cli.runtime.write`
for text already made), obeying the run's :class:`~policyx.cli.session.Session`:
the default format, the width, colour, and the pager on a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from ..output.cells import for_encoding
from ..output.registry import FormatKind, find_format, render, render_chunks
from .runtime import flush, say, write
from .session import Session

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from ..output.registry import Format
    from ..views.listing import Listing


def emit(session: Session, listing: Listing, fmt: str | None) -> Format:
    """Render ``listing`` in ``fmt`` (the default of a terminal or a pipe when None), send it
    out, and return the format (resolved once, here); then its note, if any, on stderr."""
    chosen = _emit(session, listing, fmt)
    if listing.note:
        flush(0)  # the note follows the output on a shared terminal or `2>&1`
        say(f"policyx: note: {listing.note}")
    return chosen


def _emit(session: Session, listing: Listing, fmt: str | None) -> Format:
    chosen = find_format(fmt, FormatKind.LISTING, terminal=session.terminal)
    if session.library:  # say which knowledge base each entry comes from
        from ..views.library import with_kb_names  # lazy: only a library

        listing = with_kb_names(listing, session.kb())
    if chosen.terminal:
        send(session, render_chunks(chosen, listing, width=session.width, color=session.color),
             people=chosen.people)
        return chosen
    if chosen.stream is not None and not session.terminal and chosen.spreadsheet is None:
        for chunk in render_chunks(chosen, listing):  # written as it is made, never held whole
            write(chunk, lookalikes=chosen.people)
        return chosen
    text = render(chosen, listing)
    if session.csv_safe:
        text = chosen.defused(text)
    if session.terminal:
        send(session, [chosen.terminal_safe(text)], people=chosen.people)
    else:
        write(text, lookalikes=chosen.people)
    return chosen


def send(session: Session, chunks: Iterable[str], people: bool = False) -> None:
    """Write ``chunks`` to stdout as they come; on a terminal, through the pager once
    the output is longer than the screen (as git does: ``$PAGER``, default ``less -FRX``).
    ``people``: text for people (see :func:`policyx.cli.runtime.write`)."""
    pager = session.pager()
    if pager is None:
        for chunk in chunks:
            write(chunk, lookalikes=people)
        return
    height = session.height
    head: list[str] = []
    lines = 0
    iterator = iter(chunks)
    for chunk in iterator:
        head.append(chunk)
        lines += chunk.count("\n")
        if lines >= height:
            break
    else:  # it fits on the screen: no pager
        write("".join(head), lookalikes=people)
        return
    _page(pager, _chain(head, iterator), people)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _page(pager: list[str], chunks: Iterator[str], people: bool = False) -> None:
    import subprocess  # lazy: only the pager

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        process = subprocess.Popen(pager, stdin=subprocess.PIPE, env=env)
    except OSError:  # no such pager: write directly
        for chunk in chunks:
            write(chunk, lookalikes=people)
        return
    assert process.stdin is not None
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        for chunk in chunks:
            if people:
                chunk = for_encoding(chunk, encoding)
            process.stdin.write(chunk.encode(encoding, "backslashreplace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early: that is not an error
        pass
    except KeyboardInterrupt:
        pass
    finally:
        while True:
            try:
                process.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C in less goes to less, not to us
                continue
