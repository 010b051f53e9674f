"""The loader's fast paths give exactly what its strict paths give.

``yamlread.read_plain`` builds plain documents straight from libyaml's events and
``validate.clean_entry`` checks entries with a tight loop; each hands anything unusual
to the strict code. These tests run both ways and compare outcomes: the same
data, or the same problems with the same messages and locations.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyx.kb import load as loader
from policyx.kb import validate, yamlread
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.model import Kind
from policyx.kb.schema import FIELDS, SCHEMA_VERSIONS, FieldSpec, fields_of
from tests.fuzz import examples


def _strict_constructor(*args: Any) -> Any:
    raise yamlread.NotPlain


def _slow_validator(kind: Any, version: int = 1) -> Any:
    return lambda index, item, seen: None


def outcome(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", function(*args)
    except KnowledgeBaseError as exc:
        return "error", [p.as_dict() for p in exc.problems]


def both_ways(monkeypatch: pytest.MonkeyPatch, function: Any, *args: Any) -> tuple[Any, Any]:
    fast = outcome(function, *args)
    with monkeypatch.context() as m:
        m.setattr(yamlread, "read_plain", _strict_constructor)
        m.setattr(validate, "clean_entry", _slow_validator)
        strict = outcome(function, *args)
    return fast, strict


DOCUMENTS = [
    "version: 1\ntitle: plain\n",
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: null\nf: 0x1F\ng: 1_000\nh: .inf\ni: yes\nj: 1:30\nk: -7\n",
    "a: 2026-01-15\nb: 2026-01-15 10:00:00\n",  # timestamps: the strict path's business
    "a: [1, 2, {b: c}]\nd:\n  - e\n  - - f\n    - g\n",
    "a: 1\na: 2\n",
    "top:\n  x: 1\n  y: 2\n  x: 3\n",
    "1: a\n'1': b\n",  # equal raw keys, different types
    "true: a\nTrue: b\n",
    "a: &x foo\nb: *x\n",
    "a: &x {b: 1}\nc: *x\n",
    "&k key: 1\nother: *k\n",
    "a: R&D and Q&A\nb: [x&y]\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "merged:\n  <<: {x: 1}\n  x: 2\n",
    "a: !!str 12\nb: !!int '7'\n",
    "a: !foo bar\n",
    "a: !!python/object:os.system ls\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1]\n",
    "= : v\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "",
    "# only a comment\n",
    "---\na: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "a:\n\tb: 1\n",
    "a: 'unterminated\n",
    "- just\n- a list\n",
    "a: b: c\n",
    "!!map {a: 1}\n",
    "!!str {a: 1}\n",
    "a: !!seq x\n",
    "[" * 70 + "]" * 70 + "\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_parse_yaml_fast_equals_strict(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, strict = both_ways(monkeypatch, loader.parse_yaml, text, "kb.yaml")
    assert fast == strict


def test_deep_block_nesting_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join("  " * depth + "a:\n" for depth in range(1200)) + "  " * 1200 + "b\n"
    fast, strict = both_ways(monkeypatch, loader.parse_yaml, text, "kb.yaml")
    assert fast == strict


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12),
    st.sampled_from(["yes", "~", "1:30", "0x10", "R&D", "*", "&a", "<<", "=", "2026-01-01"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=documents)
def test_parse_yaml_fast_equals_strict_on_random_data(data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    fast, strict = both_ways(monkeypatch, loader.parse_yaml, text, "kb.yaml")
    assert fast == strict


# --------------------------------------------------------------------------
# Validation


def _base() -> dict[str, Any]:
    return {
        "version": 1,
        "sources": [{"id": "src", "title": "A report", "file": "s.txt"}],
        "actors": [{"id": "ann", "name": "Ann", "stands_for": "one"}],
        "models": [{"id": "mod", "name": "M", "summary": "S", "tags": ["t"]}],
        "questions": [{"id": "q", "text": "Q?", "quote": "x", "source": "src", "tags": ["t"]}],
        "positions": [{"id": "p", "question": "q", "claim": "C", "held_by": ["ann"], "agreement": "broad"}],
        "arguments": [{"id": "a", "claim": "because", "for": "p", "by": "ann", "type": "empirical"}],
    }


FIELD_VALUES: list[Any] = [
    None, "", "  ", "text", "p", "a", "q", "ann", "src", "mod", "broad", "one", "empirical", "for",
    "Not-Kebab", 3, True, [], ["ann"], ["ann", ""], ["t", "u"], "ann", {"x": 1}, [["nested"]],
]
KIND_FIELDS = {
    "sources": ["id", "title", "author", "file", "url", "bogus"],
    "actors": ["id", "name", "stands_for", "description", "nmae"],
    "models": ["id", "name", "summary", "also_known_as", "tags"],
    "questions": ["id", "text", "quote", "source", "tags"],
    "positions": ["id", "question", "claim", "held_by", "agreement", "quote", "source", "tags", "models", "note"],
    "arguments": ["id", "claim", "for", "against", "by", "type", "quote", "source", "tags", "note"],
}
edits = st.lists(
    st.tuples(
        st.sampled_from(sorted(KIND_FIELDS)), st.integers(0, 2), st.data(),
    ),
    max_size=4,
)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits)
def test_validation_fast_equals_strict(edits: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    data = _base()
    for kind, index, draw in edits:
        entries = data[kind]
        if index >= len(entries):
            entries.append(dict(entries[0], id=draw.draw(st.sampled_from(["x", "y", "p", "a", "Bad id"]))))
            index = len(entries) - 1
        field = draw.draw(st.sampled_from(KIND_FIELDS[kind]))
        value = draw.draw(st.sampled_from(FIELD_VALUES))
        if value is None and draw.draw(st.booleans()):
            entries[index].pop(field, None)
        else:
            entries[index][field] = value
    fast, strict = both_ways(monkeypatch, loader.build, data, "kb.yaml")
    assert fast == strict


def test_valid_generated_entries_take_the_fast_path() -> None:
    data = _base()
    records = validate.Validator("kb.yaml").run(data)
    seen: dict[str, Any] = {}
    for kind, items in data.items():
        if kind in KIND_FIELDS:
            for index, item in enumerate(items):
                assert validate.clean_entry(Kind(kind))(index, item, seen) is not None
    assert all(records[k] for k in Kind)


def test_a_scalar_its_constructor_refuses_is_located_by_the_strict_loader() -> None:
    # An integer past Python's 4300-digit conversion limit: the event reader hands
    # it to the strict loader, which says where it is (found by Hypothesis on 3.10).
    text = "version: 1\ntitle: " + "9" * 5000 + "\n"
    with pytest.raises(yamlread.NotPlain):
        yamlread.read_plain(text)
    with pytest.raises(KnowledgeBaseError) as caught:
        loader.load_text(text, "kb.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 8)
    assert "is not a valid integer" in problem.message


# --------------------------------------------------------------------------
# The two validators, entry by entry, on entries drawn from the field table


def _good(spec: FieldSpec) -> list[Any]:
    """Values the field's kind accepts, from the table."""
    return {
        "str": ["text", " spaced out "],
        "ref": ["p", "ann"],
        "enum": [member.value for member in spec.enum] if spec.enum else [],
        "strlist": [["t"], ["t", "u"]],
        "reflist": [["ann"], "ann", ["ann", "bob"]],
        "records": [[{"by": "ann", "act": "asks"}], [{"by": "ann", "act": "asserts", "quote": "q", "source": "s"}],
                    [{"by": "ann", "act": "asks", "quote": "q"}], [{"by": "ann", "act": "shouts"}]]
        if spec.name == "acts" else [[{"claim": "c"}], [{"claim": "c", "quote": "q", "source": "s"}, {"claim": "d"}],
                                     [{"claim": "c", "bogus": 1}], ["c"],
                                     [{"claim": "c", "id": "p1", "restates": "ann"}, {"claim": "d", "id": "p2"}],
                                     [{"claim": "c", "restates": ["ann", "e.p1"]}], [{"claim": "c", "restates": 3}],
                                     [{"claim": "c", "restates": []}]],
    }[spec.kind]


#: Near misses, for any field: empty, blank, other types, a YAML date, text for a list.
BAD_VALUES: list[Any] = [
    None, "", "  ", 3, 1.5, True, [], [""], ["x", 3], [None], {"x": 1}, [["n"]], "nope", "ann",
    datetime.date(2024, 5, 1), "Not Kebab", "taken",
]


@st.composite
def entries(draw: st.DrawFn) -> tuple[Kind, int, Any]:
    """An entry of a kind drawn from the table: its required fields and some of its
    optional ones with values it accepts, then up to three changes (a field set to a
    near miss or to another good value, removed, or an unknown one added)."""
    kind = draw(st.sampled_from(list(Kind)))
    version = draw(st.sampled_from(SCHEMA_VERSIONS))
    if draw(st.integers(0, 19)) == 0:  # not a mapping at all
        return kind, version, draw(st.sampled_from(["an-id", ["a", "list"], 3, None]))
    specs = fields_of(kind, version) if draw(st.booleans()) else FIELDS[kind]  # a later version's fields too
    item: dict[Any, Any] = {"id": "e"}
    for spec in specs[1:]:
        if spec.required or draw(st.booleans()):
            item[spec.name] = draw(st.sampled_from(_good(spec)))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from([spec.name for spec in specs] + ["bogus", "nmae", 1]))
        spec = next((s for s in specs if s.name == name), specs[1])
        change = draw(st.sampled_from(["bad", "good", "remove"]))
        if change == "remove":
            item.pop(name, None)
        else:
            item[name] = draw(st.sampled_from(BAD_VALUES if change == "bad" else _good(spec)))
    return kind, version, item


@settings(max_examples=examples(600), deadline=None)
@given(drawn=entries(), index=st.integers(0, 3))
def test_the_fast_validator_gives_what_the_full_one_gives(drawn: tuple[Kind, int, Any], index: int) -> None:
    """clean_entry(kind) returns a record only where Validator.entry returns the same
    record with no problem; where it gives up, the full check finds a problem, or
    accepts an entry only the full check converts (a YAML date read as text)."""
    kind, version, item = drawn
    seen: dict[str, tuple[Kind, int]] = {"taken": (Kind.ACTORS, 0)}
    fast = validate.clean_entry(kind, version)(index, item, seen)
    assert seen == {"taken": (Kind.ACTORS, 0)}  # no side effects: the caller does the bookkeeping
    validator = validate.Validator("kb.yaml")
    validator.version = version
    full = validator.entry(kind, index, item, seen)
    if fast is not None:
        assert (full, validator.problems) == (fast, [])
        assert seen[item["id"]] == (kind, index)
    elif full is not None:
        assert validator.problems == []
        assert any(isinstance(value, datetime.date) for value in item.values())
    else:
        assert validator.problems
