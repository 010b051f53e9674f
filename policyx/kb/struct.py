"""policyx's record classes: ``dataclasses``' decorator, for what policyx uses of it, made cheaply.

Every command starts by defining the record classes (the model, the views' trees and
listings, the errors). ``dataclasses`` compiles each generated method with an ``exec`` of
its own and imports ``inspect`` (``ast``, ``dis``, ``tokenize``...): about 20 ms of the 57 ms
a warm ``policyx list -f json`` took (benchmarks/twins.py, docs/architecture.md). Here making a
class compiles nothing: its ``__init__``, and its ``__eq__`` and ``__hash__``, are stand-ins that
compile the real methods (the source ``dataclasses`` writes, so the same bytecode and speed) when
first called, and a command calls few of them (a warm run builds its entries without
``__init__``); ``__repr__`` and the frozen guards are shared functions. Until a class's
``__init__`` has run once, ``inspect.signature`` of it shows ``(*args, **kwargs)``.

It does what ``dataclasses.dataclass`` does for the options policyx uses, and the same way
(tests/test_struct.py holds every record class of policyx to what ``dataclasses`` makes of the
same class body): ``frozen``, ``slots``, ``eq``, ``repr``; defaults; :func:`field` with
``default``, ``default_factory``, ``init``, ``repr``, ``compare``; ``__post_init__``; fields
inherited from a record base class; ``__match_args__``; copy and pickle; :func:`replace` and
:func:`fields`; for mypy, ``typing.dataclass_transform``. Not supported (a TypeError says so):
``ClassVar``, ``InitVar``, ``KW_ONLY``, ``order``, ``kw_only``, a field named ``self``. The
docstring written for a class without one lists its fields without their types.
"""

from __future__ import annotations

from functools import partial

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T")
else:
    def dataclass_transform(**_: object) -> object:
        return lambda function: function


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


#: no default, no factory
MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """Assigning to (or deleting) a field of a frozen record (dataclasses' error of that name)."""


class Field:
    """One field of a record class, as :func:`fields` gives it (what policyx reads of
    ``dataclasses.Field``: name, type, default, default_factory, init, repr, compare)."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool, compare: bool) -> None:
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r}, default_factory="
                f"{self.default_factory!r}, init={self.init}, repr={self.repr}, compare={self.compare})")


if TYPE_CHECKING:
    @overload
    def field(*, default: _T, init: bool = True, repr: bool = True, compare: bool = True) -> _T: ...
    @overload
    def field(*, default_factory: Callable[[], _T], init: bool = True, repr: bool = True,
              compare: bool = True) -> _T: ...
    @overload
    def field(*, init: bool = True, repr: bool = True, compare: bool = True) -> Any: ...


def field(*, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True, repr: bool = True,
          compare: bool = True) -> Any:
    """A field with options, as ``dataclasses.field`` (the options policyx uses)."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare)


def fields(class_or_instance: Any) -> tuple[Field, ...]:
    """The fields of a record class (or of a record), in order, as ``dataclasses.fields``."""
    try:
        return tuple(class_or_instance.__record_fields__.values())
    except AttributeError:
        raise TypeError("must be called with a record class or instance") from None


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of ``obj`` with ``changes``, made through its ``__init__`` (so ``__post_init__``
    runs), as ``dataclasses.replace``."""
    record_fields: dict[str, Field] = getattr(obj, "__record_fields__", None)  # type: ignore[assignment]
    if record_fields is None:
        raise TypeError("replace() should be called on record instances")
    for name, spec in record_fields.items():
        if not spec.init:
            if name in changes:
                raise ValueError(f"field {name} is declared with init=False, it cannot be specified with replace()")
        elif name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def _repr(self: Any) -> str:
    names = self.__record_repr__
    return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"


def _getstate(self: Any) -> list[Any]:
    """A frozen record with slots, for copy and pickle (as in dataclasses: its guard refuses setattr)."""
    return [getattr(self, name) for name in self.__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__record_fields__, state):  # noqa: B905 - as dataclasses does
        object.__setattr__(self, name, value)


def _frozen_guard(made: list[Any], names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The frozen class's ``__setattr__`` and ``__delattr__``; ``made`` holds the class once it is made
    (with ``slots``, a new class)."""
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is made[0] or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(made[0], self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is made[0] or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(made[0], self).__delattr__(name)

    return __setattr__, __delattr__


def _on_first_use(cls: Any, made: list[Any], names: tuple[str, ...], make: Callable[[], dict[str, Any]]) -> None:
    """Stand-ins, in ``cls``, for its methods ``names``: the first call of any of them compiles them
    all (``make``), puts them in the class (``made[0]``, once made) and runs the real one. A command
    calls few of the methods of few classes (a warm run builds its entries without ``__init__``)."""
    def stand_in(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            cls = made[0]
            if cls.__dict__.get(name) is method:  # not compiled yet (else a subclass's own call reached it)
                for compiled_name, compiled in make().items():
                    setattr(cls, compiled_name, compiled)
            return cls.__dict__[name](self, *args, **kwargs)

        method.__name__ = name
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        return method

    for name in names:
        setattr(cls, name, stand_in(name))


def _methods(made: list[Any], specs: list[Field], frozen: bool, init: bool, eq: bool, hash: bool) -> dict[str, Any]:
    """The methods of the class ``made[0]``, as dataclasses writes them, compiled together: ``__init__``
    (parameters in field order, defaults, factories, ``__post_init__``), or ``__eq__`` and ``__hash__``."""
    cls = made[0]
    namespace: dict[str, Any] = {"MISSING": MISSING, "_set": object.__setattr__}
    lines: list[str] = []
    if init:
        parameters: list[str] = []
        body: list[str] = []
        for spec in specs:
            name = spec.name
            if spec.init:
                if spec.default is not MISSING:
                    namespace[f"_d_{name}"] = spec.default
                    parameters.append(f"{name}=_d_{name}")
                elif spec.default_factory is not MISSING:
                    parameters.append(f"{name}=MISSING")
                else:
                    parameters.append(name)
            if spec.default_factory is not MISSING:
                namespace[f"_f_{name}"] = spec.default_factory
                value = f"_f_{name}() if {name} is MISSING else {name}" if spec.init else f"_f_{name}()"
            elif spec.init:
                value = name
            elif spec.default is not MISSING:
                namespace[f"_d_{name}"] = spec.default
                value = f"_d_{name}"
            else:
                continue
            body.append(f" _set(self, {name!r}, {value})" if frozen else f" self.{name} = {value}")
        if hasattr(cls, "__post_init__"):
            body.append(" self.__post_init__()")
        lines += [f"def __init__(self, {', '.join(parameters)}):", *(body or [" pass"])]
    compared = [spec.name for spec in specs if spec.compare]
    mine, theirs = (f"({''.join(f'{who}.{name},' for name in compared)})" for who in ("self", "other"))
    if eq:
        lines += ["def __eq__(self, other):", " if other.__class__ is self.__class__:", f"  return {mine} == {theirs}",
                  " return NotImplemented"]
    if hash:
        lines += ["def __hash__(self):", f" return hash({mine})"]
    exec("\n".join(lines), namespace)  # noqa: S102 - the source is made here, from the class's own field names
    compiled: dict[str, Any] = {name: namespace[name] for name in ("__init__", "__eq__", "__hash__")
                                if name in namespace}
    for name, method in compiled.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
    return compiled


def _process(cls: Any, frozen: bool, slots: bool, eq: bool, repr: bool) -> Any:
    own: dict[str, Any] = cls.__dict__.get("__annotations__", {})
    specs: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        specs.update(base.__dict__.get("__record_fields__", {}))
    for name, annotation in own.items():
        if name == "self":
            raise TypeError(f"{cls.__qualname__}: a field named self is not supported by policyx.kb.struct")
        if isinstance(annotation, str) and annotation.strip("'\"").split("[")[0].rpartition(".")[2] in (
                "ClassVar", "InitVar", "KW_ONLY"):
            raise TypeError(f"{cls.__qualname__}.{name}: {annotation} is not supported by policyx.kb.struct")
        default = cls.__dict__.get(name, MISSING)
        spec = default if isinstance(default, Field) else Field(default, MISSING, True, True, True)
        if spec.default.__class__ in (list, dict, set):
            raise ValueError(f"mutable default {spec.default.__class__} for field {name} is not allowed:"
                             " use default_factory")
        spec.name, spec.type = name, annotation
        specs[name] = spec
        if isinstance(default, Field):  # the class attribute is the default, as in dataclasses
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    ordered = list(specs.values())
    seen_default = False
    for spec in ordered:
        if not spec.init:
            continue
        if spec.default is MISSING and spec.default_factory is MISSING:
            if seen_default:
                raise TypeError(f"non-default argument {spec.name!r} follows default argument")
        else:
            seen_default = True
    if slots and "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    # The methods go into the class before a class with slots is made from it, as in dataclasses.
    cls.__record_fields__ = specs
    cls.__record_repr__ = tuple(spec.name for spec in ordered if spec.repr)
    own_names = cls.__dict__
    explicit_hash = "__hash__" in own_names and not (own_names["__hash__"] is None and "__eq__" in own_names)
    made: list[Any] = [cls]
    if frozen:
        if any(base.__dict__.get("__record_frozen__") is False for base in cls.__mro__[1:]):
            raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
        cls.__setattr__, cls.__delattr__ = _frozen_guard(made, frozenset(specs))
    elif any(base.__dict__.get("__record_frozen__") for base in cls.__mro__[1:]):
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
    cls.__record_frozen__ = frozen
    if "__init__" not in own_names:
        _on_first_use(cls, made, ("__init__",), partial(_methods, made, ordered, frozen, True, False, False))
    compared = ("__eq__",) * (eq and "__eq__" not in own_names) + ("__hash__",) * (eq and frozen and not explicit_hash)
    if compared:
        _on_first_use(cls, made, compared,
                      partial(_methods, made, ordered, frozen, False, "__eq__" in compared, "__hash__" in compared))
    if repr and "__repr__" not in own_names:
        cls.__repr__ = _repr
    if eq and not frozen and not explicit_hash:
        cls.__hash__ = None
    setattr(cls, "__match_args__", tuple(spec.name for spec in ordered if spec.init))  # noqa: B010 - mypy will not see __match_args__ assigned
    if cls.__doc__ is None:
        cls.__doc__ = f"{cls.__name__}({', '.join(spec.name for spec in ordered if spec.init)})"
    if slots:
        if frozen and "__getstate__" not in own_names:
            cls.__getstate__, cls.__setstate__ = _getstate, _setstate
        inherited = {name for base in cls.__mro__[1:-1] for name in base.__dict__.get("__slots__", ())}
        namespace = dict(cls.__dict__)
        namespace["__slots__"] = tuple(spec.name for spec in ordered if spec.name not in inherited)
        for spec in ordered:
            namespace.pop(spec.name, None)
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        qualname = cls.__qualname__
        cls = made[0] = type(cls)(cls.__name__, cls.__bases__, namespace)
        cls.__qualname__ = qualname
    return cls


@dataclass_transform(field_specifiers=(field,))
def dataclass(cls: Any = None, /, *, frozen: bool = False, slots: bool = False, eq: bool = True,
              repr: bool = True) -> Any:
    """Make ``cls`` a record class, as ``dataclasses.dataclass`` with the same options would."""
    if cls is None:
        return lambda cls: _process(cls, frozen, slots, eq, repr)
    return _process(cls, frozen, slots, eq, repr)
