"""The house rules of docs/architecture.md, checked on the code's own imports.

Imports are read with ``ast`` (lazy imports inside functions included), so a
rule broken anywhere in the package fails here, not in a review.
"""

from __future__ import annotations

import ast
import re
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


def _imports(name: str, path: Path) -> set[str]:
    """The policyx modules ``name`` imports (anywhere in the file), as full module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
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


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else None


def test_imports_flow_one_way() -> None:
    wrong = []
    for module, imported in GRAPH.items():
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
    for start in GRAPH:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in GRAPH[node]:
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
        tree = ast.parse(path.read_text(encoding="utf-8"))
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
    offenders = [m for m, p in MODULES.items() if "typer._" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_rich_only_in_the_terminal_renderers() -> None:
    users = {m for m, p in MODULES.items() if "from rich" in p.read_text(encoding="utf-8")
             or "import rich" in p.read_text(encoding="utf-8")}
    assert users <= {"policyx.output.console", "policyx.output.table", "policyx.output.entrytable",
                     "policyx.output.tablestream",
                     "policyx.output.maptree",
                     "policyx.output.diff", "policyx.output.progress", *EXPLORER}, users


#: the explorer (policyx explore): the one package that imports Textual (and Rich, to draw its text)
EXPLORER = {"policyx.explore.app", "policyx.explore.debatetree", "policyx.explore.screens", "policyx.explore.text"}


def test_only_the_explorer_imports_textual() -> None:
    users = {m for m, p in MODULES.items() if "from textual" in p.read_text(encoding="utf-8")
             or "import textual" in p.read_text(encoding="utf-8")}
    assert users == EXPLORER - {"policyx.explore.text"}


def test_modules_fit_in_one_sitting() -> None:
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > OVER_THE_CAP.get(m, (MAX_LINES,))[0]}
    assert long == {}


def test_the_exceptions_to_the_cap_are_still_needed() -> None:
    """An exception is dropped from OVER_THE_CAP as soon as its module fits."""
    fitting = {m for m in OVER_THE_CAP if m not in MODULES
               or len(MODULES[m].read_text(encoding="utf-8").splitlines()) <= MAX_LINES}
    assert fitting == set()


def test_the_architecture_doc_names_every_package() -> None:
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = {_package(m) for m in MODULES} - {None}
    assert all(f"policyx/{p}" in doc for p in packages), packages


#: an option as a user types it (``--kb``, ``--dry-run``); not ``---`` (YAML's document marker)
_SPELLING = re.compile(r"(?<![\w-])--[a-z]")


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """The string literals of ``tree`` but docstrings, each f-string as its text with every
    replacement field as ``x`` (so that ``f"--{name}"`` is seen as the spelling it builds)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str)}
    parts_of_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
            found.append((node.lineno, str(text)))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and id(node) not in parts_of_fstrings):
            found.append((node.lineno, node.value))
    return found


def test_the_domain_and_the_views_never_spell_an_option() -> None:
    """kb/ and views/ name an option by its key in the command line's table (policyx.kb.hints.option),
    never by its spelling, nor the environment variable that stands in for it (hints.variable): the
    command line spells them (cli/options.py), so that renaming an option changes one place.
    (Docstrings and comments may still mention one, for the reader.)"""
    spelt = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {text!r}"
             for name in MODULES if name.split(".")[1:2] in (["kb"], ["views"])
             for line, text in _literals(ast.parse(MODULES[name].read_text(encoding="utf-8")))
             if _SPELLING.search(text) or "POLICYX_" in text]
    assert not spelt, "\n".join(spelt)


def test_the_scan_for_spellings_sees_literals_and_fstrings_but_not_docstrings() -> None:
    source = ('"""Give --kb."""\n'
              'def f(name):\n'
              '    """--force too."""\n'
              '    return ("--sources DIR", f"--{name}", f"a {name}: --deep", "the \'---\' line", f"{name}--x")\n')
    hits = [text for _, text in _literals(ast.parse(source)) if _SPELLING.search(text)]
    assert hits == ["--sources DIR", "--x", "a x: --deep"]


def test_every_option_the_domain_and_the_views_name_is_in_the_table() -> None:
    """Each ``option(KEY)`` of kb/ and views/ names a key of the command line's table (a key not
    there would be printed as it is), and each key is spelt alike in every table that has it."""
    from policyx.cli import options

    named = {(name, node.args[0].value) for name in MODULES if name.split(".")[1:2] in (["kb"], ["views"])
             for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8")))
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
