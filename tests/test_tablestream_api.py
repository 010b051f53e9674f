"""output/tablestream.py uses Rich's public API only: pyproject allows any rich>=13.7, so a
private name (one starting with ``_``) of Rich could change under it in any release."""

from __future__ import annotations

import ast
from pathlib import Path

import policyx.output.tablestream as tablestream

SOURCE = Path(tablestream.__file__).read_text(encoding="utf-8")


def test_only_public_names_are_imported_from_rich() -> None:
    imported = [(node.module or "", alias.name) for node in ast.walk(ast.parse(SOURCE))
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rich")
                for alias in node.names]
    assert imported, "tablestream draws with Rich"
    assert [(m, n) for m, n in imported if n.startswith("_") or any(p.startswith("_") for p in m.split("."))] == []


def test_no_private_attribute_of_anything_but_its_own_objects_is_read() -> None:
    private = [node.attr for node in ast.walk(ast.parse(SOURCE))
               if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
               and not (isinstance(node.value, ast.Name) and node.value.id == "self")]
    assert private == []
