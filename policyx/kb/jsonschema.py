"""The JSON Schema (draft 2020-12) of a knowledge base file, generated from ``schema.FIELDS``.

One table drives the loader, this schema and the docs, so they cannot drift apart.
Editors (VS Code with the YAML extension, JetBrains, Neovim with yaml-language-server)
use it to validate a knowledge base while a teacher types. The schema checks shapes;
references between entries, unique ids and verbatim quotes need ``policyx check``.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Kind
from .schema import (
    ANSWERING_KINDS,
    ID_PATTERN,
    INTERPRETATION_KINDS,
    QUOTE_SOURCES,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    TARGET_FIELD,
    TOP_LEVEL,
    FieldSpec,
    fields_of,
)

_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S"}  # non-empty, not only spaces
_ID_REF: dict[str, Any] = {"$ref": "#/$defs/id"}
_PREMISE_REF: dict[str, Any] = {"$ref": "#/$defs/reference"}  # an id, or ARGUMENT.PREMISE


def _field(spec: FieldSpec) -> dict[str, Any]:
    if spec.name == "id":
        schema: dict[str, Any] = dict(_ID_REF)
    elif spec.kind == "str":
        schema = dict(_TEXT)
    elif spec.kind == "enum":
        assert spec.enum is not None
        schema = {"enum": [member.value for member in spec.enum]}
    elif spec.kind == "ref":
        schema = dict(_PREMISE_REF if spec.premises else _ID_REF)
    elif spec.kind == "strlist":
        schema = {"type": "array", "items": dict(_TEXT)}
    elif spec.kind == "reflist":
        # the loader also accepts a single id for a list of ids
        ref = _PREMISE_REF if spec.premises else _ID_REF
        listed: dict[str, Any] = {"type": "array", "items": dict(ref)}
        if spec.required:
            listed["minItems"] = 1
        schema = {"anyOf": [dict(ref), listed]}
    elif spec.kind == "records":
        schema = {"type": "array", "minItems": 1, "items": _items(spec.items)}
    else:  # pragma: no cover - a new kind must be added here
        raise AssertionError(spec.kind)
    description = spec.doc
    if spec.refs:
        description += f" Names the id of a {' or '.join(k.singular for k in spec.refs)}."
    if not spec.required and spec.name not in TARGET_FIELD.values() and spec.kind != "records":
        # The loader reads an optional field left empty (`note:`) as absent.
        schema = {"anyOf": [schema, {"type": "null"}]}
    return {"description": description, **schema}


def _items(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """The schema of an act or a premise."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
        "properties": {spec.name: _field(spec) for spec in specs},
    }
    if {"quote", "source"} <= set(schema["properties"]):
        schema["dependentRequired"] = {"quote": ["source"]}
    return schema


def _entry(kind: Kind, version: int = 1) -> dict[str, Any]:
    specs = fields_of(kind, version)
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"One entry of '{kind.value}'."
        + (" Background, our interpretation: not the source's words." if kind in INTERPRETATION_KINDS else ""),
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
        "properties": {spec.name: _field(spec) for spec in specs},
    }
    if QUOTE_SOURCES[kind]:
        schema["dependentRequired"] = {quote: [source] for quote, source in QUOTE_SOURCES[kind]}
    if kind in ANSWERING_KINDS and version == 1:
        schema["oneOf"] = [{"required": [name]} for name in TARGET_FIELD.values()]
    elif kind in ANSWERING_KINDS:
        schema["anyOf"] = [{"required": [name]} for name in (*TARGET_FIELD.values(), "undercuts")]
    return schema


def _def_name(kind: Kind, version: int) -> str:
    return kind.singular if version == 1 else f"{kind.singular}-v{version}"


def json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (deterministic: same input, same output)."""
    properties: dict[str, Any] = {
        "version": {"description": TOP_LEVEL["version"], "enum": list(SCHEMA_VERSIONS)},
        # like optional fields, `title:` and a collection left empty (`models:`) read as absent
        "title": {"description": TOP_LEVEL["title"], "type": ["string", "null"]},
        "name": {"description": TOP_LEVEL["name"], "$ref": "#/$defs/id"},
        "include": {
            "description": TOP_LEVEL["include"],
            "anyOf": [dict(_TEXT), {"type": "array", "items": dict(_TEXT)}],
        },
    }
    for kind in Kind:
        properties[kind.value] = {
            "description": TOP_LEVEL[kind.value],
            "type": ["array", "null"],
        }
    # a file of version 1 is checked against version 1's fields (what it always was), a file
    # of version 2 against version 2's
    first = {kind.value: {"items": {"$ref": f"#/$defs/{kind.singular}"}} for kind in Kind}
    newest = {kind.value: {"items": {"$ref": f"#/$defs/{_def_name(kind, SCHEMA_VERSION)}"}}
              for kind in Kind}
    defs: dict[str, Any] = {
        "id": {
            "description": "A kebab-case id, unique across the whole file.",
            "type": "string",
            "pattern": "^" + ID_PATTERN.pattern.removesuffix(r"\Z") + "$",
        },
        "reference": {
            "description": "The id of an entry, or ARGUMENT.PREMISE: the premise of that linked argument whose "
                           "'id' is PREMISE (version 2).",
            "type": "string",
            "pattern": "^" + ID_PATTERN.pattern.removesuffix(r"\Z") + r"(\." + ID_PATTERN.pattern.removesuffix(r"\Z")
                       + ")?$",
        },
    }
    defs.update({kind.singular: _entry(kind) for kind in Kind})
    defs.update({_def_name(kind, SCHEMA_VERSION): _entry(kind, SCHEMA_VERSION) for kind in Kind})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"policyx knowledge base, schema versions {' and '.join(map(str, SCHEMA_VERSIONS))}",
        "description": "A policy debate: sources, actors, legal models, questions, positions and the arguments "
        "for and against them, with verbatim quotes. Generated from policyx.kb.schema.FIELDS; "
        "see docs/schema.md.",
        "type": "object",
        "required": ["version"],
        "additionalProperties": False,
        "properties": properties,
        "if": {"required": ["version"], "properties": {"version": {"const": SCHEMA_VERSION}}},
        "then": {"properties": newest},
        "else": {"properties": first},
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the text of docs/positions.schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
