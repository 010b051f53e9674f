"""`check --fix`'s safe fixes of schema errors: a misspelt id or choice whose did-you-mean has
exactly one candidate close in spelling (``empiricl`` -> ``empirical``; never a synonym such as
``factual`` -> ``empirical``, which changes what the author wrote, and never a guess among two).

The value is found by the error's line and column in the YAML node tree, rewritten in place
(:mod:`policyx.kb.yamledit`: nothing else changes) and written by the rule of every writer
(:mod:`policyx.kb.safewrite`). What is not fixed is said, with what --fix does and does not do.
"""

from __future__ import annotations

import ast
import codecs
import difflib
import re
from pathlib import Path
from typing import Any

from ..kb import safewrite
from ..kb.errors import KnowledgeBaseError, Problem
from ..kb.load import load_text
from ..kb.problems import CUTOFF
from ..kb.schema import ENUM_FIELDS, MAX_FILE_BYTES
from ..kb.yamledit import EditedValue, ValueEdit, edit_values_partly
from ..output.cells import terminal_text
from .runtime import say, write

#: the hint of a problem with one suggestion (policyx.kb.problems.did_you_mean)
_SUGGESTION = re.compile(r"did you mean ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\?")
#: what --fix does, said when errors are left
WHAT_FIX_DOES = ("--fix rewrites quotes that are nearly the source's words, and misspelt ids and choices"
                 " with exactly one close match; the other errors are yours to fix")


def _paths_at(root: Any) -> dict[tuple[int, int], tuple[tuple[str | int, ...], str]]:
    """Each text value of the document at (line, column), 1-based: its path and text."""
    import yaml  # lazy: PyYAML

    found: dict[tuple[int, int], tuple[tuple[str | int, ...], str]] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [(v, (*path, k.value)) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(v, (*path, i)) for i, v in enumerate(node.value)]
        elif isinstance(node, yaml.ScalarNode) and path:
            found[(node.start_mark.line + 1, node.start_mark.column + 1)] = (path, node.value)
    return found


def _choices(field: str | int, data: Any) -> list[str]:
    """What a value of ``field`` may be: its enum's values, else (an id) every id of the file."""
    enum = ENUM_FIELDS.get(field) if isinstance(field, str) else None
    if enum is not None:
        return [member.value for member in enum]
    ids: list[str] = []
    for value in (data.values() if isinstance(data, dict) else ()):
        if isinstance(value, list):
            ids += [str(e["id"]) for e in value if isinstance(e, dict) and isinstance(e.get("id"), str)]
    return ids


def plan(text: str, problems: list[Problem]) -> list[tuple[Problem, tuple[str | int, ...], str, str]]:
    """(problem, path, old, new) for each error that has one safe fix."""
    import yaml  # lazy: PyYAML

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    at = _paths_at(root)
    fixes = []
    for problem in problems:
        match = _SUGGESTION.fullmatch(problem.hint or "")
        if problem.severity != "error" or match is None or problem.line is None or problem.column is None:
            continue
        found = at.get((problem.line, problem.column))
        if found is None or not isinstance(found[0][0], str):
            continue
        path, old = found
        new = ast.literal_eval(match.group(1))
        field = next((k for k in reversed(path) if isinstance(k, str)), "")
        close = difflib.get_close_matches(old, _choices(field, data), n=2, cutoff=CUTOFF)
        if close == [new] and f"{old!r}" in problem.message:
            fixes.append((problem, path, old, new))
    return fixes


def fix_schema(kb_path: Path, dry_run: bool, force: bool) -> None:
    """Apply the safe fixes of the file's schema errors (see the module's docstring): the diff
    on stdout, each fix on stderr; with ``dry_run`` only shown. A file that loads, or has no
    such fix, is left as it is."""
    try:
        raw, read = safewrite.read_snapshot(kb_path, follow=True, limit=MAX_FILE_BYTES)
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    if b"\0" in raw or len(raw) > MAX_FILE_BYTES:
        return
    made: list[tuple[tuple[Problem, tuple[str | int, ...], str, str], EditedValue]] = []
    new_text, left = text, 0
    for _ in range(4):  # a fixed choice may let the next check (of ids) run: a few rounds
        try:
            load_text(new_text, str(kb_path))
            left = 0
            break
        except KnowledgeBaseError as exc:
            left = sum(p.severity == "error" for p in exc.problems)
            fixes = plan(new_text, exc.problems)
        if not fixes:
            break
        edited, results = edit_values_partly(new_text, [ValueEdit(path, old, new) for _, path, old, new in fixes])
        done_now = [(fix, r) for fix, r in zip(fixes, results, strict=True) if isinstance(r, EditedValue)]
        if not done_now:
            break
        new_text, made = edited, made + done_now
    if not made:
        if left:
            say(f"note: {terminal_text(str(kb_path))}: nothing fixed: {WHAT_FIX_DOES}")
        return
    if not dry_run:
        safewrite.judge(kb_path, force, read=read, what="--fix:")
    name = str(kb_path)
    write("".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                       name, name)))
    if not dry_run:
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        safewrite.write_bytes(kb_path, bom + new_text.encode("utf-8"), force=force, read=read, what="--fix:")
    done = "would fix" if dry_run else "fixed"
    shown = terminal_text(name)
    for (problem, path, old, new), at in made:
        field = next((k for k in reversed(path) if isinstance(k, str)), "")
        say(f"{done}: {shown}:{at.line}:{at.column}: {terminal_text(str(problem.entry))}: {field} "
            f"{terminal_text(repr(old))} -> {terminal_text(repr(new))} (the one close match)")
    if left:
        say(f"note: {shown}: {left} error(s) left: {WHAT_FIX_DOES}")
