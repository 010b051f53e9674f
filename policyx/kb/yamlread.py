"""Reading YAML text into plain data, fast when the text is plain, strictly otherwise.

Loading is two-speed on purpose. The happy path builds plain Python data
straight from libyaml's events (:func:`read_plain`), without composing nodes
or keeping position marks, because both cost time on large files. Anything
unusual (an anchor, a tag, a duplicate key, a syntax error) goes to the strict
loader (:func:`strict_loader`): PyYAML's safe loader, refusing aliases and
duplicate keys, whose result or error is what the caller gets.

PyYAML itself is imported on first use: a command served by the cache never
needs it. Nothing here words a problem for a user: errors leave as PyYAML's
own, or as :class:`TooManyValues` and :class:`TooDeep`; policyx.kb.problems
words them.
"""

from __future__ import annotations

import gc
import re
from itertools import accumulate

from . import schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def yaml_module() -> Any:
    import yaml  # lazy: PyYAML, which commands that hit the cache never need

    return yaml


def safe_loader(pure: bool = False) -> Any:
    """PyYAML's safe loader class: libyaml's (CSafeLoader) when PyYAML was built
    with it, else the pure-Python one, which ``pure`` asks for."""
    yaml = yaml_module()
    return yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def read_yaml(text: str) -> Any:
    """Plain data from YAML text: the fast reader's, else the strict loader's.

    Raises :class:`TooManyValues`, :class:`TooDeep` or PyYAML's YAMLError."""
    # Brackets could nest deeper than schema.MAX_DEPTH (they may also just sit inside
    # strings): then the real depth of the parsed data decides, and the strict
    # parse uses PyYAML's pure-Python loader, whose recursion Python bounds
    # (RecursionError below), rather than libyaml's composer, which recurses in C.
    suspicious = ("[" in text or "{" in text) and too_deep(text)
    try:
        data = read_plain(text)
        if _ESCAPED_SURROGATE.search(text) and _holds_surrogate(data):
            raise NotPlain  # only a pure-Python reader builds one: the strict loader refuses it, located
    except NotPlain:  # anything unusual: the strict loader decides (and its errors are worded)
        # It builds a node per value before it can be stopped: count them first.
        count, anchor = count_values(text, anchors=True)
        if count > schema.MAX_VALUES:
            raise TooManyValues from None
        try:
            loader = strict_loader(suspicious)(text)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
        except RecursionError:
            raise TooDeep(suspicious) from None
        if anchor is not None:  # a lone anchor (no alias uses it): refused all the same, and located
            yaml = yaml_module()
            raise yaml.composer.ComposerError(None, None, ANCHOR_REFUSED, anchor) from None
    if suspicious and data_depth(data) > schema.MAX_DEPTH:
        raise TooDeep(True)
    return data


#: a lone surrogate (U+D800-U+DFFF): not a character, and nothing can encode it
_SURROGATE = re.compile("[\ud800-\udfff]")
#: how YAML text can spell one (UTF-8 text itself cannot hold one)
_ESCAPED_SURROGATE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})")


def _holds_surrogate(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


class NotPlain(Exception):
    """Something the fast reader leaves to the strict loader."""


class TooManyValues(Exception):
    """The document holds more than schema.MAX_VALUES values."""


class TooDeep(Exception):
    """Lists and mappings nest deeper than a knowledge base may (``brackets``: the
    raw text's brackets nest deeper than schema.MAX_DEPTH, so they can say where)."""

    def __init__(self, brackets: bool) -> None:
        super().__init__("nesting too deep")
        self.brackets = brackets


# --------------------------------------------------------------------------
# The fast reader


_STR = "tag:yaml.org,2002:str"
_SCALARS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_NO_KEY = object()
_SHORT = 40  # the longest plain scalar whose tag is remembered


def read_plain(text: str) -> Any:
    """Plain data from YAML text, exactly as the strict loader builds it, or NotPlain.

    The strict loader composes the whole file into nodes (each with two
    position marks) and then constructs data from them: for 100,000
    arguments that is about 1.7 million nodes, most of the time and memory
    of a load. A valid knowledge base is plain (mappings with string keys,
    sequences, untagged scalars), so this builds the data straight from
    libyaml's events, with SafeConstructor's own tag resolution and scalar
    constructors, and never holds more than one event. At anything else (an
    anchor, an alias, a tag, a duplicate or non-string key, a merge key, a
    second document, a syntax error) it raises :class:`NotPlain` and the
    strict loader reads the text again: its result, or its error and the
    error's location, is what the caller gets.
    """
    yaml = yaml_module()
    events = yaml.events
    loader = safe_loader()(text)
    try:
        if loader.yaml_path_resolvers or type(loader.get_event()) is not events.StreamStartEvent:
            raise NotPlain
        event = loader.get_event()
        if type(event) is events.StreamEndEvent:
            return None  # no document: what get_single_node gives
        if type(event) is not events.DocumentStartEvent:
            raise NotPlain
        root = _read_document(loader, events)
        if type(loader.get_event()) is not events.StreamEndEvent:
            raise NotPlain  # another document: the strict loader refuses it
        return root
    except yaml.YAMLError:
        raise NotPlain from None
    finally:
        loader.dispose()


def _read_document(loader: Any, events: Any) -> Any:
    """The root value of the document whose start the loader has just given.

    The hot loop: one pass per event. Scalars are handled here; the rarer
    events (a collection's start or end, the document's end) by _structure."""
    get, scalar_event, scalar = loader.get_event, events.ScalarEvent, _scalar_reader(loader)
    document: list[Any] = []
    stack: list[tuple[Any, Any]] = []
    container: Any = document  # the mapping or list being filled
    key: Any = _NO_KEY  # in a mapping: the key waiting for its value
    budget = schema.MAX_VALUES  # values left before the file is too big to be a knowledge base
    while container is not None:
        event = get()
        if type(event) is not scalar_event:
            container, key, budget = _structure(event, events, stack, container, key, budget)
            continue
        value = scalar(event)
        if type(container) is list:
            container.append(value)
        elif key is _NO_KEY:
            if type(value) is not str or value in container:
                raise NotPlain  # a key that is not text, or a duplicate: the strict loader words it
            key = value
            continue
        else:
            container[key] = value
            key = _NO_KEY
        budget -= 1
        if budget < 0:
            raise TooManyValues
    return document[0]


def _structure(event: Any, events: Any, stack: list[tuple[Any, Any]], container: Any, key: Any,
               budget: int) -> tuple[Any, Any, int]:
    """(container, key, budget) after an event that is not a scalar; container None: the document ended."""
    kind = type(event)
    if kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
        container, key = stack.pop()
        return container, key, budget
    if kind is events.DocumentEndEvent:
        return None, key, budget
    if kind is not events.MappingStartEvent and kind is not events.SequenceStartEvent:
        raise NotPlain  # an alias
    if event.anchor is not None or event.tag is not None or (key is _NO_KEY and type(container) is dict):
        raise NotPlain  # an anchor, a tag, or a list or mapping as a key
    if budget <= 0:
        raise TooManyValues
    value: Any = {} if kind is events.MappingStartEvent else []
    if type(container) is list:
        container.append(value)
    else:
        container[key] = value
    stack.append((container, _NO_KEY))
    return value, _NO_KEY, budget - 1


def _scalar_reader(loader: Any) -> Any:
    """``scalar(event)``: the value of a scalar event as the strict loader constructs
    it (plain scalars resolved as the composer resolves them), or NotPlain."""
    constructors = {tag: loader.yaml_constructors[tag] for tag in _SCALARS}
    resolve, scalar_node = loader.resolve, yaml_module().ScalarNode
    # A plain scalar's tag depends on its text alone, and short texts (keys, ids,
    # enum values) come back again and again: resolving one is dearer than a lookup.
    tags: dict[str, str] = {}

    def scalar(event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise NotPlain
        value = event.value
        if not event.implicit[0]:  # quoted, or a block scalar: text
            return value
        tag = tags.get(value)
        if tag is None:
            tag = resolve(scalar_node, value, event.implicit)
            if len(value) <= _SHORT:
                tags[value] = tag
        if tag == _STR:
            return value
        if tag not in constructors:
            raise NotPlain
        try:
            return constructors[tag](loader, scalar_node(tag, value))
        except (ValueError, TypeError, OverflowError):
            # e.g. an integer of thousands of digits: the strict loader words it, with its line and column
            raise NotPlain from None

    return scalar


# --------------------------------------------------------------------------
# The strict loader


_LOADERS: dict[bool, type] = {}


def strict_loader(pure: bool = False) -> type:
    """The strict loader class: libyaml's C loader, or PyYAML's pure-Python one."""
    if pure not in _LOADERS:
        _LOADERS[pure] = _make_loader_class(yaml_module(), pure)
    return _LOADERS[pure]


def _make_loader_class(yaml: Any, pure: bool = False) -> type:
    base = safe_loader(pure)

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        """SafeLoader that refuses duplicate keys and aliases."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    "YAML aliases (*name) are not allowed in a knowledge base; write the value out",
                    node.start_mark,
                )
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                # PyYAML's constructors raise these for `2024-13-45`, `!!int abc`, huge ints...
                raise _bad_value_error(yaml, node, exc) from None

        def construct_scalar(self, node: Any) -> Any:
            value = super().construct_scalar(node)
            if isinstance(value, str) and _SURROGATE.search(value):
                # libyaml refuses such an escape ("\\ud800") as it reads it; PyYAML's pure-Python
                # reader (used for deep brackets) builds it, and exports would crash on it later
                raise yaml.constructor.ConstructorError(
                    None, None, "found invalid Unicode character escape code (a lone surrogate, such as"
                    " \\ud800, is not a character)", node.start_mark,
                )
            return value

        def flatten_mapping(self, node: Any) -> None:
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<:` merges another mapping in, silently
                    raise yaml.constructor.ConstructorError(
                        None, None, "YAML merge keys (<<) are not allowed in a knowledge base; write the fields"
                        " out in the entry itself", key_node.start_mark,
                    )
            super().flatten_mapping(node)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # PyYAML refuses unhashable keys itself
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r} in a mapping", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep)

    return StrictLoader


def _bad_value_error(yaml: Any, node: Any, exc: Exception) -> Exception:
    """A constructor crash on one scalar (``2024-13-45``, ``!!int abc``) as a located YAML error."""
    kind = {"timestamp": "date", "int": "integer", "bool": "boolean", "float": "number"}.get(
        short_tag(str(node.tag)).lstrip("!"), short_tag(str(node.tag)))
    value = node.value if isinstance(node.value, str) else ""
    shown = value if len(value) <= 40 else value[:37] + "..."
    detail = f" ({str(exc).split(';')[0].split(':')[0]})" if isinstance(exc, (ValueError, OverflowError)) else ""
    message = f"{shown!r} is not a valid {kind}{detail}"
    error: Exception = yaml.constructor.ConstructorError(None, None, message, node.start_mark)
    return error


def short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


# --------------------------------------------------------------------------
# Limits


#: the words of a YAML anchor's error (problems.py gives its hint)
ANCHOR_REFUSED = "YAML anchors (&name) are not allowed in a knowledge base"


def count_values(text: str, anchors: bool = False) -> Any:
    """How many values the YAML text holds, counted on libyaml's events (no nodes
    are built), stopping one past schema.MAX_VALUES. Syntax errors end the count: the
    strict loader then words them. ``anchors``: also the mark of the first anchor (None: none)."""
    yaml = yaml_module()
    events = yaml.events
    values = (events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent, events.AliasEvent)
    loader = safe_loader()(text)
    count = 0
    anchor = None
    try:
        while count <= schema.MAX_VALUES and loader.check_event():
            event = loader.get_event()
            if isinstance(event, values):
                count += 1
                if anchor is None and type(event) is not events.AliasEvent and event.anchor is not None:
                    anchor = event.start_mark
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return (count, anchor) if anchors else count


#: every byte but the brackets (deleted before the brackets are counted)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
#: what each bracket does to the depth
_DEPTH_STEP = [0] * 256
for _open, _close in (b"[]", b"{}"):
    _DEPTH_STEP[_open], _DEPTH_STEP[_close] = 1, -1


def too_deep(text: str) -> bool:
    """Could the brackets nest deeper than schema.MAX_DEPTH? (Counts brackets in strings too.)

    In C and in a few copies of the text at most: a regular expression that removed the
    rest kept one object per gap between brackets (3 GB for 120 MB of '[] [] []'), and a
    loop over the brackets in Python took seconds."""
    if text.count("[") + text.count("{") <= schema.MAX_DEPTH:
        return False

    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > schema.MAX_DEPTH


def data_depth(data: Any) -> int:
    """How deeply lists and mappings nest in parsed data (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth + 1)
            stack.extend((item, depth + 1) for item in value)
    return deepest


# --------------------------------------------------------------------------
# The garbage collector, paused while a file is parsed


class gc_paused:  # noqa: N801  (used as a statement: with gc_paused())
    """Pause the cyclic garbage collector in a block (re-entrant)."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()
