"""kb/struct.py against dataclasses: every record class of policyx, made both ways from its own class body.

Each module of policyx that defines records is run a second time with ``dataclasses`` in place of
``policyx.kb.struct`` (its imports of other record modules get their second copies too, so a
record's base class is made the same way); then each pair is held to the same fields, slots,
hash, repr, equality, frozen errors, defaults, factories, ``__post_init__`` and ``replace``.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import importlib
import pickle
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policyx.kb import struct

PACKAGE = Path(__file__).resolve().parent.parent / "policyx"
_STRUCT_IMPORT = re.compile(r"^from (?:\.|\.\.kb\.)struct import", re.MULTILINE)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


#: every module that defines a record class, and how many it defines
RECORD_MODULES: dict[str, int] = {
    _module_name(path): text.count("\n@dataclass")
    for path in sorted(PACKAGE.rglob("*.py"))
    if "\n@dataclass" in (text := path.read_text(encoding="utf-8")) and path.name != "struct.py"
}
_TWINS: dict[str, types.ModuleType] = {}


def _import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
    module = builtins.__import__(name, globals, locals, fromlist, level)
    if fromlist and module.__name__ in RECORD_MODULES:
        return twin(module.__name__)
    return module


def twin(name: str) -> types.ModuleType:
    """The module ``name`` run again with dataclasses making its records (and those it imports)."""
    if name not in _TWINS:
        real = importlib.import_module(name)
        assert real.__file__ is not None
        source = _STRUCT_IMPORT.sub("from dataclasses import", Path(real.__file__).read_text(encoding="utf-8"))
        module = types.ModuleType(f"{name}__dataclasses")
        module.__package__ = real.__package__
        module.__file__ = real.__file__
        module.__dict__["__builtins__"] = {**builtins.__dict__, "__import__": _import}
        sys.modules[module.__name__] = module  # dataclasses reads the module of the class it makes
        _TWINS[name] = module
        exec(compile(source, real.__file__, "exec"), module.__dict__)  # noqa: S102 - policyx's own source
    return _TWINS[name]


def record_pairs() -> Iterator[tuple[str, type, type]]:
    for name in RECORD_MODULES:
        ours, theirs = importlib.import_module(name), twin(name)
        for attribute, cls in vars(ours).items():
            if isinstance(cls, type) and "__record_fields__" in vars(cls) and cls.__module__ == name:
                yield f"{name}.{attribute}", cls, getattr(theirs, attribute)


PAIRS = list(record_pairs())


def test_every_record_class_is_compared() -> None:
    assert len(PAIRS) == sum(RECORD_MODULES.values())
    assert len(PAIRS) > 50
    assert all(dataclasses.is_dataclass(theirs) and not dataclasses.is_dataclass(ours) for _, ours, theirs in PAIRS)


def _shape(spec: Any) -> tuple[Any, ...]:
    def given(value: Any) -> Any:
        return None if value is struct.MISSING or value is dataclasses.MISSING else repr(value)

    return (spec.name, spec.type, given(spec.default), given(spec.default_factory), spec.init, spec.repr,
            spec.compare)


def sample(annotation: str, index: int) -> Any:
    """A value of a field's type (as written), distinct per field."""
    head = annotation.split(" | ")[0]
    if head.startswith(("tuple", "frozenset")):
        return (f"t{index}",) if head in ("tuple[str, ...]", "frozenset[str]") else ()
    if head.startswith(("dict", "Mapping")):
        return {}
    if head.startswith(("list", "set")):
        return [] if head.startswith("list") else set()
    if head == "str":
        return f"v{index}"
    if head == "int":
        return index + 2
    if head == "float":
        return index + 0.5
    if head == "bool":
        return index % 2 == 0
    return None


def outcome(make: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "made", make()
    except Exception as error:  # noqa: BLE001 - the two ways must fail alike
        return "raised", f"{type(error).__name__}: {error}"


def state(record: Any, cls: type) -> list[tuple[str, str]]:
    return [(spec.name, repr(getattr(record, spec.name, "<unset>"))) for spec in dataclasses.fields(cls)]


@pytest.mark.parametrize(("name", "ours", "theirs"), PAIRS, ids=[name for name, _, _ in PAIRS])
def test_the_class_is_made_as_dataclasses_makes_it(name: str, ours: type, theirs: type) -> None:
    assert [_shape(f) for f in struct.fields(ours)] == [_shape(f) for f in dataclasses.fields(theirs)]
    assert getattr(ours, "__match_args__") == getattr(theirs, "__match_args__")  # noqa: B009
    assert vars(ours).get("__slots__") == vars(theirs).get("__slots__")
    assert (ours.__hash__ is None) == (theirs.__hash__ is None)
    assert ours.__qualname__ == theirs.__qualname__
    for spec in dataclasses.fields(theirs):  # the class attribute: the default, or none
        assert repr(getattr(ours, spec.name, "<none>")) == repr(getattr(theirs, spec.name, "<none>")) or (
            "__slots__" in vars(ours)), spec.name


@pytest.mark.parametrize(("name", "ours", "theirs"), PAIRS, ids=[name for name, _, _ in PAIRS])
def test_the_records_behave_as_dataclasses_records(name: str, ours: type, theirs: type) -> None:
    specs = [f for f in dataclasses.fields(theirs) if f.init]
    everything = {f.name: sample(f.type, i) for i, f in enumerate(specs)}
    required = {f.name: value for f, value in zip(specs, everything.values(), strict=True)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    for arguments in (everything, required):  # every field given, then the defaults and factories
        compare_records(ours, theirs, arguments, specs[0].name if specs else None)


def compare_records(ours: type, theirs: type, arguments: dict[str, Any], first: str | None) -> None:
    made, theirs_made = outcome(lambda: ours(**arguments)), outcome(lambda: theirs(**arguments))
    assert made[0] == theirs_made[0], (made, theirs_made)
    if made[0] == "raised":
        assert made == theirs_made
        return
    record, their_record = made[1], theirs_made[1]
    assert repr(record) == repr(their_record)
    assert state(record, theirs) == state(their_record, theirs)  # defaults, factories, __post_init__
    assert hasattr(record, "__dict__") == hasattr(their_record, "__dict__")  # slots
    assert (record == ours(**arguments)) == (their_record == theirs(**arguments))
    assert record != object() and (record == their_record) is False
    assert outcome(lambda: hash(record)) == outcome(lambda: hash(their_record))
    for duplicate in (copy.copy, copy.deepcopy, lambda it: pickle.loads(pickle.dumps(it))):  # noqa: S301 - our own
        mine = outcome(lambda duplicate=duplicate: repr(duplicate(record)))  # type: ignore[misc]
        assert mine == outcome(lambda duplicate=duplicate: repr(duplicate(their_record)))  # type: ignore[misc]
    if first is None:
        return
    changed = {first: "other" if isinstance(arguments.get(first), str) else sample("str", 99)}
    replaced = outcome(lambda: struct.replace(record, **changed))
    their_replaced = outcome(lambda: dataclasses.replace(their_record, **changed))
    assert replaced[0] == their_replaced[0]
    if replaced[0] == "made":
        assert repr(replaced[1]) == repr(their_replaced[1])
        assert (replaced[1] == record) == (their_replaced[1] == their_record)
    assigned = outcome(lambda: setattr(record, first, "x"))
    assert assigned == outcome(lambda: setattr(their_record, first, "x"))  # frozen: the same error, same words
    assert outcome(lambda: delattr(record, first)) == outcome(lambda: delattr(their_record, first))
    if assigned[0] == "raised":
        assert isinstance(outcome_error(lambda: setattr(record, first, "x")), AttributeError)


def outcome_error(action: Callable[[], object]) -> BaseException | None:
    try:
        action()
    except BaseException as error:  # noqa: BLE001
        return error
    return None


def both(body: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A class body (``@dataclass...`` included) run with kb.struct and with dataclasses."""
    made = []
    for decorators in (struct, dataclasses):
        namespace: dict[str, Any] = {"dataclass": decorators.dataclass, "field": decorators.field,
                                     "__name__": "tests.test_struct"}
        made.append(outcome(lambda namespace=namespace: exec(body, namespace) or namespace))  # type: ignore[misc]
    (how, ours), (their_how, theirs) = made
    assert how == their_how, (ours, theirs)
    if how == "raised":
        assert ours.split(":")[0] == theirs.split(":")[0], (ours, theirs)
        return {}, {}
    return ours, theirs


@pytest.mark.parametrize("body", [
    "@dataclass\nclass A:\n    x: list = []",  # a mutable default
    "@dataclass\nclass A:\n    x: int = 1\n    y: int",  # a field without a default after one with
    "@dataclass\nclass A:\n    x: int = field(default=1, default_factory=int)",
    "@dataclass(frozen=True)\nclass A:\n    x: int\n@dataclass\nclass B(A):\n    y: int = 0",
    "@dataclass\nclass A:\n    x: int\n@dataclass(frozen=True)\nclass B(A):\n    y: int = 0",
    "@dataclass(slots=True)\nclass A:\n    __slots__ = ('x',)\n    x: int",
])
def test_mistakes_raise_as_in_dataclasses(body: str) -> None:
    ours, theirs = both(body)
    assert ours == theirs == {}


def test_inheritance_defaults_factories_and_post_init_as_in_dataclasses() -> None:
    body = """
@dataclass(frozen=True)
class Base:
    a: int
    b: str = "b"
    c: dict = field(default_factory=dict, compare=False, repr=False)
    def __post_init__(self):
        self.c["seen"] = self.a
@dataclass(frozen=True)
class Child(Base):
    d: tuple = ()
    e: list = field(default_factory=list, init=False, repr=False, compare=False)
    b: str = "changed"
class Plain(Child):
    pass
@dataclass
class Mutable:
    x: int = 0
    y: list = field(default_factory=list)
"""
    ours, theirs = both(body)
    for module in (ours, theirs):
        child = module["Child"](1, d=(2,))
        module["made"] = [repr(child), child.c, child.e, child == module["Child"](1, d=(2,)), hash(child),
                          [f.name for f in (struct if module is ours else dataclasses).fields(child)]]
        plain = module["Plain"](3)
        plain_error = outcome(lambda plain=plain: setattr(plain, "a", 4))
        plain_other = outcome(lambda plain=plain: setattr(plain, "other", 4))
        mutable = module["Mutable"]()
        mutable.x = 5
        module["after"] = [repr(plain), plain_error, plain_other, repr(mutable), mutable.__hash__ is None]
    assert ours["made"] == theirs["made"]
    assert ours["after"] == theirs["after"]
    assert ours["made"][0] == "Child(a=1, b='changed', d=(2,))"
    assert outcome(lambda: struct.replace(ours["Child"](1), e=[])) == outcome(
        lambda: dataclasses.replace(theirs["Child"](1), e=[]))


def test_fields_and_replace_refuse_what_is_no_record() -> None:
    assert outcome(lambda: struct.fields(object()))[0] == "raised"
    assert outcome(lambda: struct.replace(object()))[0] == "raised"


def test_what_it_does_not_do_is_refused_not_done_wrong() -> None:
    for annotation in ("ClassVar[int]", "typing.ClassVar[int]", "InitVar[int]", "KW_ONLY"):
        body = f"@dataclass\nclass A:\n    x: '{annotation}' = 0"
        error = outcome(lambda body=body: exec(body, {"dataclass": struct.dataclass}))  # type: ignore[misc]
        assert error[0] == "raised" and error[1].startswith("TypeError") and "not supported" in error[1]


def test_the_methods_are_compiled_on_first_use_and_then_are_the_class_s_own() -> None:
    namespace: dict[str, Any] = {"dataclass": struct.dataclass}
    exec("@dataclass(frozen=True, slots=True)\nclass A:\n    x: int\n    y: int = 2\nclass B(A):\n    pass",  # noqa: S102
         namespace)
    a_class, b_class = namespace["A"], namespace["B"]
    stand_in = vars(a_class)["__init__"]
    assert stand_in.__code__.co_varnames[:3] == ("self", "args", "kwargs")  # a stand-in, not the compiled method
    first = b_class(1)  # through a subclass: compiled for A, the class that has the fields
    compiled = vars(a_class)["__init__"]
    assert compiled is not stand_in and compiled.__code__.co_varnames[:3] == ("self", "x", "y")
    assert "__init__" not in vars(b_class)
    assert stand_in(object.__new__(a_class), 5) is None  # a stand-in kept elsewhere runs the compiled method
    assert repr(first) == "B(x=1, y=2)" and first == b_class(1) and hash(first) == hash((1, 2))
    assert vars(a_class)["__hash__"].__code__.co_names.count("hash") == 1


def test_no_module_of_policyx_imports_dataclasses() -> None:
    """One way to make a record class in the house: kb/struct.py (docs/architecture.md, "Performance twins")."""
    importing = [str(path.relative_to(PACKAGE.parent)) for path in sorted(PACKAGE.rglob("*.py"))
                 if re.search(r"^\s*(from dataclasses import|import dataclasses)", path.read_text(encoding="utf-8"),
                              re.MULTILINE)]
    assert importing == []
