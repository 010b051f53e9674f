"""The house rules of docs/architecture.md, checked on the code's own imports.

Imports are read with ``ast`` (lazy imports inside functions included), so a
rule broken anywhere in the package fails here, not in a review.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "policyx"

#: a package may import only packages of a lower rank (and itself)
RANK = {"kb": 0, "importers": 1, "views": 1, "output": 2, "explore": 2.5, "cli": 3}
#: who may import what, beyond the ranks: importers and views are side by side, neither imports the other
SIDE_BY_SIDE = {("importers", "views"), ("views", "importers"), ("importers", "output"), ("output", "importers")}
MAX_LINES = 450
#: modules still over MAX_LINES, each with its reason and the cap it must not pass meanwhile
OVER_THE_CAP = {
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


@functools.cache
def _source(path: Path) -> str:
    """The text of a module of the package (read once per worker, by the first test that asks)."""
    return path.read_text(encoding="utf-8")


@functools.cache
def _parsed(source: str) -> ast.Module:
    """The syntax tree of ``source`` (parsed once: the tests only read the trees, they change none)."""
    return ast.parse(source)


def _imports(name: str, path: Path) -> set[str]:
    """The policyx modules ``name`` imports (anywhere in the file), as full module names."""
    tree = _parsed(_source(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name.startswith("policyx"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("policyx"):
                continue
            for alias in node.names:  # `from . import check` imports a module
                candidate = f"{target}.{alias.name}"
                out.add(candidate if candidate in MODULES else target)
    return {i for i in out if i in MODULES and i != name}


@functools.cache
def _graph() -> dict[str, set[str]]:
    """Which policyx modules each module imports (the package parsed once, by the first test that asks)."""
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else None


def test_imports_flow_one_way() -> None:
    wrong = []
    for module, imported in _graph().items():
        here = _package(module)
        for other in imported:
            there = _package(other)
            if here is None or there is None or here == there:
                continue
            if (here, there) in SIDE_BY_SIDE or RANK[there] >= RANK[here]:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_no_import_cycles() -> None:
    """Not even through lazy imports: a depth-first search finds no way back to a module."""
    cycles = []
    graph = _graph()
    for start in graph:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


@pytest.mark.parametrize("library", ["typer", "click"])
def test_only_the_cli_imports_typer_and_nothing_imports_click(library: str) -> None:
    users = []
    for module, path in MODULES.items():
        tree = _parsed(_source(path))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == library or n.startswith(library + ".") for n in names):
                users.append(module)
    if library == "click":  # Typer vendors its own copy: Click itself is never needed
        assert users == []
    else:
        assert users and all(_package(m) == "cli" for m in users), users


def test_no_private_typer_imports() -> None:
    """typer._click is Typer's private copy of Click: it moves between releases."""
    offenders = [m for m, p in MODULES.items() if "typer._" in _source(p)]
    assert offenders == []


def test_rich_only_in_the_terminal_renderers() -> None:
    users = {m for m, p in MODULES.items() if "from rich" in _source(p)
             or "import rich" in _source(p)}
    assert users <= {"policyx.output.console", "policyx.output.table", "policyx.output.entrytable",
                     "policyx.output.tablestream",
                     "policyx.output.maptree",
                     "policyx.output.diff", "policyx.output.progress", *EXPLORER}, users


#: the explorer (policyx explore): the one package that imports Textual (and Rich, to draw its text)
EXPLORER = {"policyx.explore.app", "policyx.explore.debatetree", "policyx.explore.screens", "policyx.explore.text"}


def test_only_the_explorer_imports_textual() -> None:
    users = {m for m, p in MODULES.items() if "from textual" in _source(p)
             or "import textual" in _source(p)}
    assert users == EXPLORER - {"policyx.explore.text"}


def test_modules_fit_in_one_sitting() -> None:
    long = {m: n for m, p in MODULES.items()
            if (n := len(_source(p).splitlines())) > OVER_THE_CAP.get(m, (MAX_LINES,))[0]}
    assert long == {}


def test_the_exceptions_to_the_cap_are_still_needed() -> None:
    """An exception is dropped from OVER_THE_CAP as soon as its module fits."""
    fitting = {m for m in OVER_THE_CAP if m not in MODULES
               or len(_source(MODULES[m]).splitlines()) <= MAX_LINES}
    assert fitting == set()


def test_the_architecture_doc_names_every_package() -> None:
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = {_package(m) for m in MODULES} - {None}
    assert all(f"policyx/{p}" in doc for p in packages), packages


def test_the_architecture_doc_names_every_module() -> None:
    """Each module's one concern is written down: its file name is in a row of docs/architecture.md."""
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = [name for name, path in MODULES.items() if path.name != "__init__.py" and path.name not in doc]
    assert unnamed == []


#: an option as a user types it (``--kb``, ``--dry-run``); not ``---`` (YAML's document marker)
_SPELLING = re.compile(r"(?<![\w-])--[a-z]")


def _texts(source: str) -> list[tuple[int, str]]:
    """Every string of ``source`` (docstrings too), each f-string as its text with every
    replacement field as ``x`` (so that ``f"--{name}"`` is seen as the spelling it builds), and
    every comment."""
    tree = _parsed(source)
    parts_of_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
            found.append((node.lineno, str(text)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts_of_fstrings:
            found.append((node.lineno, node.value))
    found += [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
              if token.type == tokenize.COMMENT]
    return found


def test_the_domain_and_the_views_never_spell_an_option() -> None:
    """kb/ and views/ name an option by its key in the command line's table (policyx.kb.hints.option),
    never by its spelling, nor the environment variable that stands in for it (hints.variable): the
    command line spells them (cli/options.py), so that renaming an option changes one place. Not in
    a message, nor in a docstring or a comment (which would go stale)."""
    spelt = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {text!r}"
             for name in MODULES if name.split(".")[1:2] in (["kb"], ["views"])
             for line, text in _texts(_source(MODULES[name]))
             if _SPELLING.search(text) or "POLICYX_" in text]
    assert not spelt, "\n".join(spelt)


def test_the_scan_for_spellings_sees_strings_fstrings_docstrings_and_comments() -> None:
    source = ('"""Give --kb."""\n'
              'def f(name):  # or --no-cache\n'
              '    """the ``force`` option"""\n'
              '    return ("--sources DIR", f"--{name}", f"a {name}: --deep", "the \'---\' line", f"{name}--x")\n')
    hits = sorted(text for _, text in _texts(source) if _SPELLING.search(text))
    assert hits == ["# or --no-cache", "--sources DIR", "--x", "Give --kb.", "a x: --deep"]


def test_every_option_the_domain_and_the_views_name_is_in_the_table() -> None:
    """Each ``option(KEY)`` of kb/ and views/ names a key of the command line's table (a key not
    there would be printed as it is), and each key is spelt alike in every table that has it."""
    from policyx.cli import options

    named = {(name, node.args[0].value) for name in MODULES if name.split(".")[1:2] in (["kb"], ["views"])
             for node in ast.walk(_parsed(_source(MODULES[name])))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "option"
             and node.args and isinstance(node.args[0], ast.Constant)}
    assert {key for _, key in named} >= {"kb", "sources", "force", "output", "kind", "per", "question", "deep"}
    assert [(name, key) for name, key in named if key not in options.SPELLINGS] == []
    from policyx.views.filtering import FILTER_APPLIES  # the filters' keys, spelt by option(name) too

    assert set(FILTER_APPLIES) <= set(options.SPELLINGS)
    tables = [options.GLOBAL_OPTIONS, *(command.options for command in options.COMMANDS.values())]
    for table in tables:
        for option in table:
            assert options.SPELLINGS[option.key] == option.flags[0], option.key


#: The deliberate lazy boundaries: the only modules a function of policyx may import (every other
#: import is at the top of its module), each for the start-up time of the runs that never need it.
#: Each such import says why on its line or the line above (a comment with "lazy").
#: docs/architecture.md, "Imports: at the top, but for a few lazy boundaries".
LAZY_BOUNDARIES = {
    # heavy libraries
    "yaml": "PyYAML: a run answered from the cache never parses YAML",
    "policyx.kb.yamledit": "PyYAML's emitter, for quote's yaml format only",
    "rich": "Rich: only what is drawn for a terminal",
    "policyx.output.console": "Rich's console, for the same",
    "rapidfuzz": "RapidFuzz: only quote and check --fix search sources",
    "policyx.explore": "Textual: only policyx explore",
    "difflib": "did-you-mean: only a mistake reaches it",
    "tomllib": "a config file: only when one exists",
    "tomli": "the same before Python 3.11",
    "subprocess": "the pager: only long output on a terminal",
    "pathlib": "a path option's value: not for completing a name (pathlib imports urllib, ipaddress)",
    "fcntl": "a pipe given as a knowledge base or to import (POSIX only)",
    # policyx's own heavy readers
    "policyx.importers.dispatch": "the importers: only import, and a --kb that is no YAML knowledge base",
    "policyx.kb.load": "the loader: only when the cache cannot answer",
    "policyx.kb.check": "the quote check, run by the loader: the same",
    "policyx.kb.store": "the knowledge base (cache, model): not for completing a command's name",
    "policyx.output.registry": "the formats, for help: not for completing a command's name",
    "policyx.views.library": "a library's kb field: only a library",
    "policyx.views.framework": "the derived standing (Dung's semantics): only when a filter asks for it",
    "policyx.cli.selection": "which knowledge bases (pathlib, config files): not for completing a name",
    "policyx.kb.libopen": "a library of knowledge bases: only when one is named",
    "policyx.output.progress": "the progress bar of a library's first read: the same",
    # the command modules themselves: a run loads the command it runs
    "policyx.cli.app": "Typer: only when the fast path cannot run the command line",
    "policyx.cli.fast": "the fast path, chosen by __main__",
    "policyx.cli.fastcomplete": "completion, chosen by __main__",
    "policyx.cli.complete": "completion of values (ids, tags...): not of names",
    "policyx.cli.explorerun": "explore, from the fast path",
    "policyx.views.show": "show, from the fast path",
    "policyx.views.compare": "compare, from the fast path",
    "policyx.views.search": "search, from the fast path",
    "policyx.views.argmap": "map, from the fast path",
    "policyx.views.stats": "stats, from the fast path",
}


@functools.cache
def _lazy_imports() -> tuple[tuple[str, int, str, bool], ...]:
    """(file, line, imported module, commented) of every import inside a function (the package parsed
    once for the four tests that ask)."""
    found = []
    for name, path in MODULES.items():
        source = _source(path)
        lines = source.splitlines()
        is_package = path.name == "__init__.py"
        seen: set[int] = set()
        for function in ast.walk(_parsed(source)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in seen:
                    continue
                seen.add(node.lineno)
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                elif node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                    targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module for a in node.names]
                else:
                    targets = [node.module or ""]
                # commented: on its lines, or in the comment above it (or above the imports right before it)
                first = node.lineno
                while first >= 2 and lines[first - 2].lstrip().startswith(("from ", "import ", "#")):
                    first -= 1
                near = lines[first - 1: node.end_lineno or node.lineno]
                commented = any("#" in line and "lazy" in line.split("#", 1)[1].lower() for line in near)
                for target in targets:
                    found.append((str(path.relative_to(PACKAGE.parent)), node.lineno, target, commented))
    return tuple(found)


def _boundary(target: str) -> str | None:
    return next((b for b in LAZY_BOUNDARIES if target == b or target.startswith(b + ".")), None)


def test_imports_are_at_the_top_but_for_the_lazy_boundaries() -> None:
    """An import inside a function is one of LAZY_BOUNDARIES, so that they cannot creep back."""
    stray = [f"{file}:{line}: {target}" for file, line, target, _ in _lazy_imports() if _boundary(target) is None]
    assert stray == [], "\n".join(stray)


def test_each_lazy_import_says_why() -> None:
    silent = [f"{file}:{line}: {target}" for file, line, target, commented in _lazy_imports() if not commented]
    assert silent == [], "\n".join(silent)


def test_every_lazy_boundary_is_still_one() -> None:
    used = {_boundary(target) for _, _, target, _ in _lazy_imports()}
    assert set(LAZY_BOUNDARIES) - used == set()


def test_the_count_of_lazy_imports_does_not_grow() -> None:
    """A new lazy import needs a reason beyond the boundaries' (and this number raised with it)."""
    assert len({(file, line) for file, line, _, _ in _lazy_imports()}) <= 58


def test_each_command_lives_where_the_root_group_looks_for_it() -> None:
    """cli/app.py's WHERE (the module each command is imported from when it runs) is true, in the
    order of the help, and names every command module; the option table declares every command."""
    from importlib import import_module

    from policyx.cli.app import WHERE
    from policyx.cli.options import COMMANDS, SUMMARIES

    assert list(WHERE) == list(SUMMARIES)
    assert set(COMMANDS) == set(WHERE)  # every command's arguments and options are in the table
    registered = {}
    for module in set(WHERE.values()):
        for info in import_module(f"policyx.cli.{module}").app.registered_commands:
            registered[info.name] = module
    assert registered == WHERE
    typer_modules = {name.rsplit(".", 1)[1] for name, path in MODULES.items()
                     if name.startswith("policyx.cli.") and name != "policyx.cli.app"
                     and "typer.Typer()" in path.read_text(encoding="utf-8")}
    assert typer_modules == set(WHERE.values())
