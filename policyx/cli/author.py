"""Writing a knowledge base: `policyx init`, `policyx quote`, and the work of `check --fix`."""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from ..kb.errors import KnowledgeBaseError, NothingFound, OutputError, Problem, UnknownIdError, UsageError
from ..kb.load import load_text, locate_entries, read_source_text, read_text, source_path
from ..kb.model import KnowledgeBase, Source
from ..kb.problems import did_you_mean
from ..output.cells import terminal_text
from .complete import complete_source
from .options import SUMMARIES, whole_number
from .params import options
from .runtime import say, write
from .session import READERS, session_of

app = typer.Typer()


def _complete_quote_format(incomplete: str) -> list[str]:
    from ..output.registry import FormatKind, format_names

    return [f for f in format_names(FormatKind.QUOTE) if f.startswith(incomplete)]




@app.command("init", short_help=SUMMARIES["init"])
@options()
def init_command(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE.txt...", help="The source texts (UTF-8).")],
    output: Annotated[str, typer.Option("--output", "-o", metavar="KB.yaml", help="The file to write (never "
                                        "overwritten).")],
) -> None:
    """Start a knowledge base: version, title, the sources, and one commented example of each collection.

    The title is the first source's first line; each source's 'file' is its path relative to
    the new file. The examples' quotes are sentences of the first source, copied verbatim;
    everything else in them is a <placeholder> to replace. `policyx check` accepts the file
    as written.

    Examples:

      policyx init sources/minutes.txt -o debate.yaml

      policyx init report.txt transcript.txt -o kb.yaml
    """
    from ..kb.starter import StarterSource, starter_kb

    out = Path(output)
    if out.exists() or out.is_symlink():
        raise UsageError(f"{terminal_text(output)} already exists; init never overwrites a file "
                         "(give another -o, or remove it first)")
    folder = out.absolute().parent
    if not folder.is_dir():
        raise UsageError(f"the folder of {output} does not exist; make it first (mkdir -p {folder})")
    starters = []
    for name in sources:
        path = Path(name).absolute()
        relative = Path(os.path.relpath(path, folder)).as_posix()
        starters.append(StarterSource(relative, read_text_file(name), path.stem))
    text = starter_kb(starters)
    try:
        with out.open("x", encoding="utf-8", newline="") as handle:  # 'x': a file made meanwhile is kept too
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{terminal_text(output)} already exists; init never overwrites a file") from None
    except OSError as exc:
        raise OutputError(f"cannot write {terminal_text(output)}: {exc.strerror or exc}") from None
    say(f"wrote {terminal_text(output)}: {len(starters)} source(s); check it with: policyx"
        f"{_sources_option(folder, [Path(n).absolute() for n in sources])} check {terminal_text(output)}")


def _sources_option(folder: Path, paths: list[Path]) -> str:
    """`` --sources DIR`` when sources lie outside the knowledge base's folder (policyx reads
    sources only inside it, or under the one folder --sources names)."""
    outside = [p for p in paths if not p.is_relative_to(folder)]
    if not outside:
        return ""
    import shlex

    common = Path(os.path.commonpath([str(p.parent) for p in outside]))
    return f" --sources {shlex.quote(terminal_text(str(common)))}"


@app.command("quote", short_help=SUMMARIES["quote"])
@options()
def quote_command(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="The words as you remember them.")],
    source: Annotated[str | None, typer.Option("--source", "-s", metavar="ID", autocompletion=complete_source,
                                               help="Only this source.")] = None,
    in_file: Annotated[str | None, typer.Option("--in", metavar="FILE", help="Search this text file instead of "
                                                "the knowledge base's sources.")] = None,
    limit_given: Annotated[str, typer.Option("--limit", "-n", metavar="N",
                                             help="How many passages at most (default: 5).")] = "5",
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", autocompletion=_complete_quote_format,
                                     help="plain, yaml (quote: and source: to paste) or json.")] = "plain",
) -> None:
    """Find the passages of the sources that best match approximate words, best first.

    Another spelling, changed punctuation or quote marks, a word or two different: each
    passage is printed exactly as the source has it (line breaks as spaces), with
    file:line:col and its similarity (0-100). Exit status 1 when nothing is close.

    Examples:

      policyx quote uniforms cut bullying over clothes

      policyx quote "the regulation would cut a traffickers incentive" -f yaml -n 1

      policyx quote "some words" --in transcript.txt
    """
    from ..kb.passages import PassageFinder, SourcePassage
    from ..kb.sourceindex import SourceIndex
    from ..output.registry import FormatKind, find_format, render

    chosen = find_format(fmt, FormatKind.QUOTE)
    limit = whole_number("--limit", limit_given, least=1)
    assert limit is not None
    session = session_of(ctx)
    text = " ".join(words)
    if not text.strip():
        raise UsageError("give the words to look for")
    searched: list[tuple[str | None, str, str]] = []  # (source id, file shown, text)
    if in_file is not None:
        if source is not None:
            raise UsageError("--source names a source of the knowledge base; with --in, leave it out")
        searched.append((None, in_file, read_text_file(in_file)))
    else:
        kb = session.kb()
        sources = [s for s in kb.sources if source is None or s.id == source]
        if source is not None and not sources:
            hint = did_you_mean(source, [s.id for s in kb.sources])
            raise UnknownIdError(f"no source {source!r} in {terminal_text(kb.path)}" + (f" ({hint})" if hint else ""))
        for src in sources:
            path = source_path(kb, src)
            if path is None:
                if source is not None:
                    raise UsageError(f"source {source!r} has no 'file' to search")
                continue
            searched.append((src.id, str(path), read_source_text(kb, src)))
        if not searched:
            raise NothingFound("no source of the knowledge base has a 'file' to search")
    found: list[SourcePassage] = []
    for sid, shown, body in searched:
        found += [SourcePassage(sid, shown, p) for p in PassageFinder(SourceIndex(body)).find(text, limit=limit)]
    found.sort(key=lambda f: -f.passage.score)  # stable: ties keep source order
    found = found[:limit]
    if not found:
        raise NothingFound(f"nothing in the sources is close to {text!r}")
    output = render(chosen, found)
    write(chosen.terminal_safe(output) if session.terminal else output)


def read_text_file(name: str) -> str:
    """A text file given on the command line, read as sources are (UTF-8, size limit), with
    errors about that file rather than about a knowledge base's 'file'."""
    path = Path(name).absolute()
    source = Source(id="text", title=name, file=path.name)
    try:
        return read_source_text(KnowledgeBase(path=str(path.parent / "-"), version=1), source)
    except KnowledgeBaseError as exc:
        problem = exc.problems[0]
        reason = problem.message.removeprefix(f"source 'text': file {path} ")
        hint = problem.hint if "UTF-8" in (problem.hint or "") else "give the path of a UTF-8 text file"
        raise KnowledgeBaseError([Problem(reason, name, hint=hint)]) from None


def fix_quotes(kb_path: Path, dry_run: bool) -> None:
    """`check --fix`: rewrite the near-miss quotes of the file to their sources' words,
    print the diff on stdout and what was done on stderr. A file that does not load is
    left to check to report."""
    from ..kb.quotefix import plan_fixes
    from ..kb.yamledit import EditError, ValueEdit, edit_values

    try:
        text = read_text(kb_path)
        if any(reader(text, str(kb_path)) is not None for reader in READERS):
            raise UsageError(f"--fix rewrites YAML knowledge bases, and {kb_path} is another format: import it "
                             f"(policyx import {kb_path} -o KB.yaml) and fix that")
        kb = load_text(text, str(kb_path))
    except KnowledgeBaseError:
        return
    fixes, left = plan_fixes(kb, partial(read_source_text, kb))
    shown = terminal_text(str(kb_path))
    ambiguous = [Problem(
        f"{type(kb.get(q.entry)).__name__.lower()} {q.entry!r}: not fixed: several passages of source {q.source!r} "
        f"match about as well (at {', '.join(f'{p.line}:{p.column}' for p in q.passages[:3])})", str(kb_path),
        entry=q.entry, field="quote", hint=f"see them with: policyx quote --kb {kb_path} --source {q.source} WORDS",
    ) for q in left if q.reason == "ambiguous"]
    for problem in locate_entries(kb, ambiguous):
        say(f"note: {problem}")
    if not fixes:
        return
    raw = kb_path.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom):].decode("utf-8")
    edits = [ValueEdit((fix.kind.value, fix.position, "quote"), fix.old, fix.new) for fix in fixes]
    try:
        new_text, where = edit_values(text, edits)
    except EditError as exc:
        raise KnowledgeBaseError([Problem(exc.message, str(kb_path), hint="fix the quotes by hand")]) from None
    name = str(kb_path)
    write("".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                       name, name)))
    done = "would fix" if dry_run else "fixed"
    for fix, at in zip(fixes, where, strict=True):
        say(f"{done}: {shown}:{at.line}:{at.column}: {fix.kind.singular} {fix.entry!r}: quote rewritten to the words "
            f"of source {fix.source!r} at line {fix.passage.line}, column {fix.passage.column}")
    if not dry_run:
        _replace(kb_path, bom + new_text.encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` at once (a temporary file beside it, then a rename), keeping its mode."""
    path = path.resolve()  # a link to the file: write the file, keep the link
    try:
        mode = path.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {terminal_text(str(path))}: {exc.strerror or exc}") from None
