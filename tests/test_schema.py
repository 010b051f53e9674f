"""The JSON Schema: generated from schema.FIELDS, committed, accepted by jsonschema, documented."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from policyx.kb import struct
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.jsonschema import json_schema, schema_text
from policyx.kb.load import load_text
from policyx.kb.model import CLASS_OF, Kind, Stance
from policyx.kb.schema import ANSWERING_KINDS, DERIVED_FIELDS, FIELDS, FIELDS_V1, TARGET_FIELD, fields_of

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "positions.schema.json"
DOCS = ROOT / "docs" / "schema.md"


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


def test_committed_schema_is_the_generated_one() -> None:
    # regenerate with: policyx schema > docs/positions.schema.json
    assert COMMITTED.read_text(encoding="utf-8") == schema_text()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_cli_prints_the_schema(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == schema_text()
    assert result.stderr == ""


def test_bundled_kb_validates(kb_path: Path) -> None:
    data = yaml.safe_load(kb_path.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == []


def test_documented_example_validates_and_points_at_the_schema() -> None:
    # docs/examples/uniforms is the "Writing your own knowledge base" of docs/authoring.md
    example = ROOT / "docs" / "examples" / "uniforms" / "debate.yaml"
    text = example.read_text(encoding="utf-8")
    assert list(_validator().iter_errors(yaml.safe_load(text))) == []
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (example.parent / first.split("=", 1)[1]).resolve() == COMMITTED


def test_schema_covers_every_field() -> None:
    defs = json_schema()["$defs"]
    for kind in Kind:
        entry = defs[kind.singular]
        assert list(entry["properties"]) == [spec.name for spec in FIELDS_V1[kind]]
        assert entry["required"] == [spec.name for spec in FIELDS_V1[kind] if spec.required]
        newer = defs[f"{kind.singular}-v2"]
        assert list(newer["properties"]) == [spec.name for spec in FIELDS[kind]]
        assert newer["required"] == [spec.name for spec in fields_of(kind, 2) if spec.required]


VALID_ARGUMENT = {"id": "a", "claim": "c", "for": "p"}

#: broken knowledge bases (as data): the schema must reject each, and so must the loader
BROKEN: dict[str, dict[str, Any]] = {
    "no-version": {"arguments": []},
    "version-3": {"version": 3},
    "v2-field-in-version-1": {"version": 1, "arguments": [{**VALID_ARGUMENT, "undercuts": "b"}]},
    "list-target-in-version-1": {"version": 1, "arguments": [{**VALID_ARGUMENT, "for": ["p", "q"]}]},
    "act-without-act": {"version": 2, "arguments": [{**VALID_ARGUMENT, "acts": [{"by": "x"}]}]},
    "answers-nothing-v2": {"version": 2, "arguments": [{"id": "a", "claim": "c"}]},
    "unknown-top-level-key": {"version": 1, "postions": []},
    "unknown-field": {"version": 1, "arguments": [{**VALID_ARGUMENT, "typ": "empirical"}]},
    "missing-required": {"version": 1, "arguments": [{"id": "a", "for": "p"}]},
    "both-for-and-against": {"version": 1, "arguments": [{**VALID_ARGUMENT, "against": "q"}]},
    "neither-for-nor-against": {"version": 1, "arguments": [{"id": "a", "claim": "c"}]},
    "bad-enum": {"version": 1, "arguments": [{**VALID_ARGUMENT, "type": "emotional"}]},
    "id-not-kebab-case": {"version": 1, "arguments": [{**VALID_ARGUMENT, "id": "Arg_1"}]},
    "number-as-id": {"version": 1, "arguments": [{**VALID_ARGUMENT, "id": 7}]},
    "list-where-string": {"version": 1, "arguments": [{**VALID_ARGUMENT, "claim": ["a", "b"]}]},
    "quote-without-source": {"version": 1, "arguments": [{**VALID_ARGUMENT, "quote": "words"}]},
    "empty-claim": {"version": 1, "arguments": [{**VALID_ARGUMENT, "claim": "  "}]},
    "tags-not-a-list": {"version": 1, "arguments": [{**VALID_ARGUMENT, "tags": {"a": 1}}]},
    "entry-not-a-mapping": {"version": 1, "arguments": ["just text"]},
    "collection-not-a-list": {"version": 1, "arguments": {"id": "a"}},
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_kb_fails_the_schema_and_the_loader(name: str) -> None:
    data = BROKEN[name]
    assert list(_validator().iter_errors(data)), f"the schema accepted {name}"
    with pytest.raises(KnowledgeBaseError):
        load_text(yaml.safe_dump(data, sort_keys=False), "broken.yaml")


def test_single_id_for_a_list_of_ids_is_accepted_by_both() -> None:
    data = {
        "version": 1,
        "actors": [{"id": "group", "name": "the group"}],
        "questions": [{"id": "q", "text": "Q?"}],
        "positions": [{"id": "p", "question": "q", "claim": "C.", "held_by": "group", "agreement": "broad"}],
    }
    assert list(_validator().iter_errors(data)) == []
    assert load_text(yaml.safe_dump(data), "ok.yaml").positions[0].held_by == ("group",)


def test_optional_field_left_empty_is_accepted_by_both() -> None:
    text = "version: 1\nactors:\n  - id: group\n    name: the group\n    description:\n"
    assert list(_validator().iter_errors(yaml.safe_load(text))) == []
    assert load_text(text, "ok.yaml").actors[0].description is None


# --------------------------------------------------------------------------
# docs/schema.md


def _sections(text: str) -> dict[str, str]:
    """'### `positions`' headed sections of the docs, by collection name."""
    parts = re.split(r"^### `(\w+)`.*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_docs_document_every_field_of_every_collection() -> None:
    sections = _sections(DOCS.read_text(encoding="utf-8"))
    for kind in Kind:
        assert kind.value in sections, f"docs/schema.md has no section for {kind.value}"
        for spec in FIELDS[kind]:
            assert f"| `{spec.name}` |" in sections[kind.value], f"{kind.value}.{spec.name} is not documented"


def test_docs_say_what_is_interpretation() -> None:
    text = DOCS.read_text(encoding="utf-8")
    interpretation = {spec.name for specs in FIELDS.values() for spec in specs if spec.interpretation}
    assert interpretation == {"tags", "type", "models"}
    row = next(line for line in text.splitlines() if line.startswith("| **interpretation** |"))
    for name in interpretation:
        assert f"`{name}`" in row
    assert "the whole `models` collection" in row


def test_docs_give_the_editor_modeline() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=positions.schema.json" in text
    assert json.loads(COMMITTED.read_text(encoding="utf-8"))["title"].startswith("policyx knowledge base")


@pytest.mark.parametrize("text", ["version: 1\ntitle:\n", "version: 1\nmodels:\nquestions:\n"])
def test_schema_accepts_top_level_keys_left_empty_as_the_loader_does(text: str) -> None:
    load_text(text)
    assert list(_validator().iter_errors(yaml.safe_load(text))) == []


def test_the_model_has_the_fields_of_the_table() -> None:
    """model.py's classes are typed by hand; they hold what schema.FIELDS says, no more."""
    for kind in Kind:
        model = {f.name: f for f in struct.fields(CLASS_OF[kind])}
        specs = [spec for spec in FIELDS[kind] if spec.name not in TARGET_FIELD.values()]
        # the model's stance and target stand where the file's for and against do
        expected = [spec.name for spec in FIELDS[kind]]
        if kind in ANSWERING_KINDS:
            at = expected.index(TARGET_FIELD[Stance.FOR])
            expected[at:at + len(TARGET_FIELD)] = DERIVED_FIELDS
            # version 2's further relations, derived from for/against/undercuts, follow version 1's fields
            expected.insert(expected.index("undercuts"), "also")
            # which premise of its target each relation is aimed at (ARGUMENT.PREMISE), derived too
            expected.append("aims")
        assert list(model) == expected
        for spec in specs:
            if spec.kind == "records":
                assert model[spec.name].type.startswith("tuple[")
                continue
            if spec.name == "agreement":  # version 2 may leave it out
                assert model[spec.name].type == "Agreement | None"
                continue
            field = model[spec.name]
            required = field.default is struct.MISSING and field.default_factory is struct.MISSING
            assert required == spec.required, f"{kind.value}.{spec.name}"
            if spec.kind in ("strlist", "reflist") or spec.many_since:  # restates: one id or a list
                assert field.type == "tuple[str, ...]"
            elif spec.enum is not None:
                assert field.type in (spec.enum.__name__, f"{spec.enum.__name__} | None")
            else:
                assert field.type == ("str" if spec.required else "str | None")
