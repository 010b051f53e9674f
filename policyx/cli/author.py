"""Writing a knowledge base: `policyx init`, `policyx quote`, and the work of `check --fix`."""

from __future__ import annotations

import codecs
import difflib
import os
from functools import partial
from pathlib import Path

import typer

from ..kb import quotefix, safewrite
from ..kb.errors import KnowledgeBaseError, NothingFound, Problem, UnknownIdError, UsageError
from ..kb.hints import command, option
from ..kb.load import load_text, locate_entries, read_source_text, read_text, source_path
from ..kb.model import KnowledgeBase, Source
from ..kb.passages import PassageFinder, SourcePassage
from ..kb.paths import bundled_path
from ..kb.problems import did_you_mean
from ..kb.safewrite import write_bytes
from ..kb.schema import MAX_FILE_BYTES
from ..kb.sourceindex import SourceIndex
from ..kb.starter import StarterSource, starter_kb
from ..kb.yamledit import EditedValue, EditError, ValueEdit, edit_values_partly
from ..output.cells import terminal_text
from ..output.registry import FormatKind, find_format, render
from .options import SUMMARIES
from .params import takes
from .runtime import is_standard_output, say, stdout_is_terminal, write
from .selection import PROJECT_FILE, project_text
from .session import READERS, session_of

app = typer.Typer()


@app.command("init", short_help=SUMMARIES["init"])
@takes("init")
def init_command(sources: tuple[str, ...], output: str, force: bool = False) -> None:
    """Start a knowledge base: version, title, the sources, and one commented example of each collection.

    The title is the first source's first line; each source's 'file' is its path relative to
    the new file. The examples' quotes are sentences of the first source, copied verbatim;
    everything else in them is a <placeholder> to replace. `policyx check` accepts the file
    as written.

    Examples:

      policyx init sources/minutes.txt -o debate.yaml

      policyx init report.txt transcript.txt -o kb.yaml
    """
    out = Path(output)
    if any(out.exists() and Path(name).exists() and out.samefile(name) for name in sources):
        raise UsageError(f"--output {terminal_text(output)} is a source text being read; writing it would replace it:"
                         " choose another file name")
    folder = out.absolute().parent
    if not folder.is_dir():
        raise UsageError(f"the folder of {output} does not exist; make it first (mkdir -p {folder})")
    starters = []
    for name in sources:
        path = Path(name).absolute()
        relative = Path(os.path.relpath(path, folder)).as_posix()
        starters.append(StarterSource(relative, read_text_file(name), path.stem))
    if is_standard_output(output):  # as export -o - does: the starter on stdout, no project, nothing said
        text = starter_kb(starters)
        write(terminal_text(text) if stdout_is_terminal() else text)
        return
    text = starter_kb(starters, name=out.name)
    stream = safewrite.is_stream(out)  # -o /dev/stdout, a pipe, /dev/null: no project file beside it (in /dev)
    if safewrite.is_terminal(out):
        text = terminal_text(text)  # read there, as standard output is
    write_bytes(out, text.encode("utf-8"), force=force, by="init")  # a file made meanwhile is kept: docs/files.md
    chosen = _sources_option(folder, [Path(os.path.abspath(n)) for n in sources])
    say(f"wrote {terminal_text(output)}: {len(starters)} source(s); check it with:"
        f" {command(*chosen, 'check', output, options=False)}")
    if not stream:
        _write_project(folder, out, [Path(os.path.abspath(n)) for n in sources])


def _write_project(folder: Path, out: Path, sources: list[Path]) -> None:
    """policyx.toml beside the new knowledge base, naming it (and the sources' folder when
    they lie outside), so that commands run in that folder or below find it. One that
    exists is left as it is, and said so."""
    project = folder / PROJECT_FILE
    shown = terminal_text(_shown(project))
    if os.path.lexists(project):
        say(f"{shown} exists and was left as it is: add {out.name!r} to its 'kb' to make it the project's")
        return
    outside = [p for p in sources if not p.is_relative_to(folder)]
    common = os.path.relpath(os.path.commonpath([str(p.parent) for p in outside]), folder) if outside else None
    write_bytes(project, project_text([out.name], Path(common).as_posix() if common else None).encode("utf-8"),
                force=False, by="init")
    here = _shown(folder)
    where = "this folder" if here == "." else terminal_text(here)
    say(f"wrote {shown}: commands run in {where} or below use {out.name}"
        f" ({command('info', kb=False)} says so)")


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when inside it, else absolute."""
    here = Path(os.getcwd())
    return os.path.relpath(path) if path == here or path.is_relative_to(here) else str(path)


def _sources_option(folder: Path, paths: list[Path]) -> tuple[str, ...]:
    """``--sources DIR`` when sources lie outside the knowledge base's folder (policyx reads
    sources only inside it, or under the one folder --sources names)."""
    outside = [p for p in paths if not p.is_relative_to(folder)]
    if not outside:
        return ()

    common = Path(os.path.commonpath([str(p.parent) for p in outside]))
    return option("sources"), str(common)


@app.command("quote", short_help=SUMMARIES["quote"])
@takes("quote")
def quote_command(
    ctx: typer.Context, words: tuple[str, ...], source: str | None = None, in_file: str | None = None,
    limit: int = 5, fmt: str = "plain",
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
    chosen = find_format(fmt, FormatKind.QUOTE)
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
            searched.append((src.id, _shown_source(kb.path, path), read_source_text(kb, src,
                                                                                     session.sources_folder())))
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


def _shown_source(kb_path: str | None, path: Path) -> str:
    """A source's file as quote prints it: a bundled source's relative to the current folder when
    below it, else to the bundled knowledge base (not the installed package's absolute path)."""
    bundled = bundled_path()
    if kb_path is None or Path(kb_path).resolve() != bundled.resolve():
        return str(path)
    try:
        here = os.path.relpath(path)
    except ValueError:  # another drive
        here = str(path)
    return here if not here.startswith("..") else os.path.relpath(path, bundled.parent)


def fix_quotes(kb_path: Path, dry_run: bool, force: bool = False) -> None:
    """`check --fix`: rewrite the near-miss quotes of the file to their sources' words,
    print the diff on stdout and what was done on stderr. A file that does not load is
    left to check to report. The file is written by the rule of every writer
    (:mod:`policyx.kb.safewrite`), and only while it is still the bytes read here: an edit
    made meanwhile is kept, nothing is written, exit status 4."""
    try:
        raw, read = safewrite.read_snapshot(kb_path, follow=True, limit=MAX_FILE_BYTES)
    except OSError:
        raw, read = b"", None
    try:
        text = read_text(kb_path) if read is None or b"\0" in raw or len(raw) > MAX_FILE_BYTES \
            else _decoded(raw, kb_path)
        if any(reader(text, str(kb_path)) is not None for reader in READERS):
            raise UsageError(f"--fix rewrites YAML knowledge bases, and {kb_path} is another format: import it "
                             f"({command('import', str(kb_path), '-o', 'KB.yaml', kb=False)}) and fix that")
        kb = load_text(text, str(kb_path))
    except KnowledgeBaseError:
        return
    if read is None:
        return
    if not dry_run:  # a link, a read-only or hard-linked file: say so before the work, not after it
        safewrite.judge(kb_path, force, read=read, what="--fix:")

    fixes, left = quotefix.plan_fixes(kb, partial(read_source_text, kb))  # by its module: tests replace it
    shown = terminal_text(str(kb_path))
    ambiguous = [Problem(
        f"{type(kb.get(q.entry)).__name__.lower()} {q.entry!r}: not fixed: several passages of source {q.source!r} "
        f"match about as well (at {', '.join(f'{p.line}:{p.column}' for p in q.passages[:3])})", str(kb_path),
        entry=q.entry, field="quote",
        hint=f"see them with: {command('quote', '--kb', str(kb_path), '--source', q.source, options=False)} WORDS",
    ) for q in left if q.reason == "ambiguous"]
    for problem in locate_entries(kb, ambiguous):
        say(f"note: {problem}")
    if not fixes:
        return
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    edits = [ValueEdit((fix.kind.value, fix.position, "quote"), fix.old, fix.new) for fix in fixes]
    try:
        new_text, results = edit_values_partly(text, edits)
    except EditError as exc:
        raise KnowledgeBaseError([Problem(exc.message, str(kb_path), hint="fix the quotes by hand")]) from None
    not_made = [Problem(f"{fix.kind.singular} {fix.entry!r}: not fixed: {result.message}", str(kb_path),
                        entry=fix.entry, field="quote", hint="fix this quote by hand")
                for fix, result in zip(fixes, results, strict=True) if isinstance(result, EditError)]
    for problem in locate_entries(kb, not_made):
        say(f"note: {problem}")
    made = [(fix, r) for fix, r in zip(fixes, results, strict=True) if isinstance(r, EditedValue)]
    if not made:
        return
    name = str(kb_path)
    write("".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                       name, name)))
    if not dry_run:
        safewrite.write_bytes(kb_path, bom + new_text.encode("utf-8"), force=force, read=read, what="--fix:")
    done = "would fix" if dry_run else "fixed"
    for fix, at in made:
        say(f"{done}: {shown}:{at.line}:{at.column}: {fix.kind.singular} {fix.entry!r}: quote rewritten to the words "
            f"of source {fix.source!r} at line {fix.passage.line}, column {fix.passage.column}")


def _decoded(raw: bytes, kb_path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return read_text(kb_path)  # raises the error check words
