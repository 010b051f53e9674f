"""Teaching commands: `policyx map`, `policyx export` (`policyx quiz` is in :mod:`policyx.cli.quiz`)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..kb.errors import UsageError, shown_path
from ..kb.hints import command, export_selection, option
from ..kb.library import Library
from ..kb.paths import source_path
from ..kb.safewrite import is_terminal as is_terminal_path
from ..kb.safewrite import write_bytes
from ..output.registry import WITH_STANDING, FormatKind, find_format, render
from ..views.argmap import select
from .fast import RUNNERS
from .options import SUMMARIES
from .params import takes
from .quotes import warn_unverified
from .runtime import is_standard_output, say, write
from .session import session_of

app = typer.Typer()

if TYPE_CHECKING:
    from ..kb.model import KnowledgeBase

@app.command("map", short_help=SUMMARIES["map"])
@takes("map")
def map_command(ctx: typer.Context, **chosen: Any) -> None:
    """The debate as a tree: questions, positions (who held them, how widely), arguments, rebuttals.

    A coloured tree on a terminal (green supports, red attacks); an indented
    plain outline, one line per entry, in a pipe.

    Examples:

      policyx map

      policyx map criminalizing-johns

      policyx map --tag minors | less
    """
    # the very function the fast path runs
    RUNNERS["map"](session_of(ctx), **chosen)


@app.command("export", short_help=SUMMARIES["export"])
@takes("export")
def export_command(
    ctx: typer.Context, fmt: str, output: Path | None = None, question: str | None = None, tag: str | None = None,
    force: bool = False, standing: bool = False,
) -> None:
    """Export the debate: a handout, a diagram, or data for argument-mapping tools.

    Formats: markdown (printable handout), html (a classroom page for a
    projector and for print), dot (Graphviz), mermaid, argdown, aif (AIF JSON
    for AIFdb/OVA), json and yaml (the whole knowledge base; a yaml export
    loads back with --kb), csv (one table, a 'kind' column). --output
    replaces an existing file only when policyx wrote it and it is unchanged
    since, or with --force; never through a link (docs/files.md).

    Examples:

      policyx export -f markdown -o handout.md

      policyx export -f html -o debate.html

      policyx export -f dot | dot -Tsvg -o debate.svg

      policyx export -f argdown -q criminalizing-johns
    """
    chosen = find_format(fmt, FormatKind.EXPORT)
    fmt = chosen.name
    session = session_of(ctx)
    # what chose the part exported, as typed: the header of what is written names it
    selection = [*((option("question"), question) if question is not None else ()),
                 *((option("tag"), tag) if tag is not None else ()), *((option("standing"),) if standing else ())]
    if chosen.page and output is None and session.terminal:
        example = command("export", "-f", fmt, *selection, "-o", "page" + chosen.extensions[0])
        raise UsageError(f"the classroom page is a web page, not text for the terminal: write it to a file and open"
                         f" that in a browser: {example}"
                         " (-o - prints it here all the same)")
    kb = session.kb()
    keep = select(kb, question, tag) if question is not None or tag is not None else None
    if standing:
        if not chosen.standing:
            raise UsageError(f"--standing shows the derived labels in {', '.join(WITH_STANDING)} only, not"
                             f" {fmt}; `{command('standing')}` lists every label")
    with export_selection(selection):
        text = render(chosen, kb, keep, True) if standing else render(chosen, kb, keep)
    if session.csv_safe:
        text = chosen.defused(text)

    warn_unverified(kb, keep)
    for note in chosen.notes_about(text, kb, keep):  # e.g. what is too much for the program that draws it
        say(f"note: {note}")
    if output is None or is_standard_output(output):
        if session.terminal:
            # Someone is reading: data formats (csv above all; json keeps C1 and
            # direction overrides) must not send escape codes from the data.
            text = chosen.terminal_safe(text)
        write(text, lookalikes=chosen.people)  # the handout is read; the rest is data and code
        return
    if any(_same_file(output, Path(path)) for path in _files_read(kb)):
        raise UsageError(
            f"--output {shown_path(output)} is the knowledge base being read; writing it would replace the file"
            " (and its comments): choose another file name"
        )
    if is_terminal_path(output):  # -o /dev/stdout at a prompt: read there, as standard output is
        text = chosen.terminal_safe(text)
    write_bytes(output, text.encode("utf-8"), force=force)  # docs/files.md: the one rule of every writer
    say(f"wrote {shown_path(output)} ({fmt})")
    if chosen.loads_back:
        for one in _knowledge_bases(kb):  # a library: each knowledge base's sources
            _note_missing_sources(one, output)


def _knowledge_bases(kb: KnowledgeBase) -> list[KnowledgeBase]:
    """The knowledge base, or each of a library's."""
    return [m.kb for m in kb.members] if isinstance(kb, Library) else [kb]


def _files_read(kb: KnowledgeBase) -> list[str]:
    """The files a knowledge base (or each of a library's) was read from, included ones too."""
    return [path for one in _knowledge_bases(kb) for path in (one.path, *(i.path for i in one.includes))]


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and one.samefile(other)
    except OSError:
        return False


def _note_missing_sources(kb: KnowledgeBase, output: Path) -> None:
    """Source files are found relative to the knowledge base's folder, and the
    export keeps their paths unchanged (same records): when it lands in another
    folder, say what to copy so that `policyx check` can still verify quotes."""
    for source in kb.sources:
        original = source_path(kb, source)
        if source.file is None or original is None or Path(source.file).is_absolute():
            continue
        beside = output.parent / source.file
        if original.is_file() and not beside.exists():
            say(shown_path(  # one message line, whatever newlines the paths hold
                f"note: {output}: source {source.id!r} names file {source.file}, which is not beside it;"
                f" copy it there so that `{command('check', str(output), kb=False)}` can verify quotes:"
                f" mkdir -p {shlex.quote(str(beside.parent))} && cp {shlex.quote(str(original))}"
                f" {shlex.quote(str(beside))}"
            ))
