"""`policyx import`: AIF, Argdown and Kialo files -> a knowledge base, and the source texts it quotes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..importers import FORMATS, to_yaml
from ..importers.argdown import find_cli
from ..importers.corpus import check_folder, convert_corpus, write_corpus
from ..importers.files import check_targets, convert, gather, write_result
from ..kb import safewrite
from ..kb.check import check
from ..kb.errors import OutputError, UsageError, shown_path
from ..kb.hints import command
from ..kb.load import build
from ..kb.model import Kind
from ..kb.problems import did_you_mean
from ..output.progress import progress_bar
from .options import SUMMARIES
from .params import takes
from .runtime import say

if TYPE_CHECKING:
    from ..importers.common import ImportResult
    from ..kb.errors import Problem

app = typer.Typer()


def _complete_format(incomplete: str) -> list[str]:
    return [name for name in FORMATS if name.startswith(incomplete)]


@app.command("import", short_help=SUMMARIES["import"])
@takes("import")
def import_command(
    files: tuple[Path, ...], given_output: str, from_format: str | None = None, title: str | None = None,
    force: bool = False,
) -> None:
    """Import argument maps into a knowledge base that `policyx check` verifies.

    Reads AIF JSON (AIFdb, OVA, Araucaria; a folder of nodesets is one
    knowledge base, one question per map, or with -o FOLDER/ a library of
    one knowledge base per nodeset), Argdown (a .argdown document, read
    by the Argdown CLI when it is installed, or the JSON `argdown json`
    writes), Kialo's text export, the microtext corpus's arggraph XML and
    Carneades 4 argument graphs (YAML). Writes KB.yaml and, beside it, the
    source texts its quotes come from; prints on stderr what was read and
    what became of it. docs/import.md gives the mapping. An existing KB.yaml
    or source text is replaced only when an earlier import wrote it and it is
    unchanged since, or with --force (docs/files.md).

    Examples:

      policyx import nodeset6064.json -o debate.yaml

      policyx import qt30/ -o qt30.yaml --title "BBC Question Time"

      policyx import voting-age.txt -o voting.yaml && policyx --kb voting.yaml list

      policyx import us2016/ -o corpus/ && policyx --kb corpus/ list
    """
    fmt = from_format
    if fmt is not None and fmt not in FORMATS:
        hint = did_you_mean(fmt, FORMATS)
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}" + (f"; {hint}" if hint else ""),
                                 param_hint="--from")
    output = Path(given_output)  # (a Path drops the trailing / that asks for a library)
    try:
        library = given_output.endswith(("/", os.sep)) or output.is_dir()
        output.exists()  # raises too, for a library's folder
    except OSError as exc:  # a folder on the way that may not be entered, a name too long
        raise OutputError(f"cannot write {shown_path(output)}: {exc.strerror or exc}") from None
    if library:
        _import_library(list(files), output, fmt, title, force)
        return
    if str(output) in ("-", ""):
        raise UsageError(f"--output needs a file name for the knowledge base, not {str(output)!r}: its source "
                         "texts are written beside it")
    _refuse_a_stream(output)
    for given in files:
        if given.is_file() and output.exists() and output.resolve() == given.resolve():
            raise UsageError(f"--output {output} is a file being imported; writing it would replace it: "
                             "choose another file name")

    with progress_bar("importing") as progress:
        result = convert(list(files), output, fmt, title, find_cli(), progress)
    origins = [str(f) for f in files]
    # once: the YAML of a large map is the dearest step (and checks the size)
    text = to_yaml(result, origins, output.name)
    check_targets(result, output, force, origins, text)  # a refusal comes before the quotes' check
    kb = build(result.document, str(output))  # the loader's own validation, before anything is written
    unverified = [p for p in check(kb, lambda source: result.sources[source.file or ""]) if p.field == "quote"]
    written = write_result(result, output, origins, force, text)
    for line in result.summary.lines():
        say(line)
    for problem in unverified:  # never for a correct importer: `policyx check` would say the same
        say(f"warning: {problem}")

    counts = ", ".join(f"{len(kb.collection(k))} {k.value}" for k in Kind if k is not Kind.MODELS)
    folder = written[0].parent if written else output.parent
    verified = "" if unverified else "; every quote is verbatim in them"
    say(f"wrote {output} ({counts}) and {len(written)} source text(s) in {folder}/{verified} "
        f"({command('check', str(output), kb=False)})")


def _refuse_a_stream(output: Path) -> None:
    """A device, a pipe or a terminal (``-o /dev/null``, ``/dev/stdout``) has no folder to hold the
    source texts beside it: refused, before they are written in /dev (and so are a socket and a
    disk, before the work). A link elsewhere is the rule of every writer's: refused, or forced."""
    if safewrite.is_stream(output) or safewrite.special_kind(output) is not None:
        raise UsageError(f"--output {shown_path(output)} is not a file but a device, a pipe or a terminal: import"
                         " writes the knowledge base and, beside it, the source texts its quotes come from; give"
                         " a file name")


def _import_library(files: list[Path], folder: Path, fmt: str | None, title: str | None, force: bool) -> None:
    """``-o FOLDER/``: one knowledge base per file (per nodeset), each with its source texts."""
    for given in files:
        if given.is_dir() and folder.exists() and folder.resolve() == given.resolve():
            raise UsageError(f"--output {folder} is a folder being imported: choose another folder")
    gathered, optional = gather(files)
    with progress_bar("importing") as progress:
        corpus = convert_corpus(gathered, optional, fmt, title, find_cli(), progress)
    check_folder(corpus, folder, force)  # a refusal before anything is written
    unverified = [problem for member in corpus.members  # the loader's own validation of each, before writing
                  for problem in _unverified_quotes(member.result, str(folder / member.name))]
    written = write_corpus(corpus, folder, force)
    for line in corpus.summary_lines():
        say(line)
    for problem in unverified:  # never for a correct importer: `policyx check` would say the same
        say(f"warning: {problem}")
    shown = str(folder).rstrip("/" + os.sep) + "/"
    say(f"wrote {len(corpus.members)} knowledge base(s) and {len(written) - len(corpus.members)} source text(s) in "
        f"{shown} ({command('check', shown, kb=False)})")


def _unverified_quotes(result: ImportResult, path: str) -> list[Problem]:
    """The knowledge base loaded by policyx's own loader (a located error when it is not valid), and
    the quotes not verbatim in its source texts (none for a correct importer)."""
    kb = build(result.document, path)
    return [p for p in check(kb, lambda source: result.sources[source.file or ""]) if p.field == "quote"]
