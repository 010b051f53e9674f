"""Rewrite some text values of a YAML file in place, changing nothing else.

A writer's file has comments, an order, quoting styles and line breaks of
their own; loading and dumping it again would lose them all. Instead each
value to change is found with PyYAML's node marks (character offsets in the
text), and only the characters of that value are replaced, written in the
style it already had (plain, 'single', "double", ``|`` literal or ``>``
folded), with the escapes that style needs. A value the style cannot hold
(plain text with ``: `` in it, say) is written in double quotes. The result is
parsed again and must hold the same data but for the changed values, or
nothing is rewritten.

No I/O and no printing.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import Any

import yaml
from yaml.emitter import Emitter

from . import schema
from .errors import PolicyxError
from .struct import dataclass
from .yamlread import safe_loader, too_deep

Key = str | int


@dataclass(frozen=True)
class ValueEdit:
    """Replace the text value at ``path`` (keys and list indices), which must now be ``old``."""

    path: tuple[Key, ...]
    old: str
    new: str


@dataclass(frozen=True)
class EditedValue:
    """Where an edited value starts in the file (1-based), and the style it was written in."""

    line: int
    column: int
    style: str


class EditError(PolicyxError):
    """The values cannot be rewritten safely (the file changed, or a value is not a text)."""


_STYLES = {None: "plain", "'": "single-quoted", '"': "double-quoted", "|": "literal", ">": "folded"}
_DOUBLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def edit_values(text: str, edits: list[ValueEdit]) -> tuple[str, list[EditedValue]]:
    """``text`` with each edit made, and where each edited value is. Raises EditError."""
    new_text, results = edit_values_partly(text, edits)
    for result in results:
        if isinstance(result, EditError):
            raise result
    return new_text, [r for r in results if isinstance(r, EditedValue)]


def edit_values_partly(text: str, edits: list[ValueEdit]) -> tuple[str, list[EditedValue | EditError]]:
    """``text`` with each edit that can be made safely made, and for each edit where its value
    is, or why it was not made (one value that cannot be rewritten leaves the others to be).
    Raises EditError only when the file cannot be read at all."""
    if text.startswith("\ufeff"):  # libyaml's marks do not count a byte-order mark: edit what follows it
        bare, outcomes = edit_values_partly(text[1:], edits)
        return "\ufeff" + bare, outcomes
    root = _compose(text)
    results: list[EditedValue | EditError] = []
    replacements: list[tuple[int, int, str] | None] = []
    for edit in edits:
        try:
            start, end, written, where = _replacement(text, root, edit)
        except EditError as exc:
            results.append(exc)
            replacements.append(None)
        else:
            results.append(where)
            replacements.append((start, end, written))
    made = [(r, e) for r, e in zip(replacements, edits, strict=True) if r is not None]
    try:
        new_text = _apply(text, [r for r, _ in made])
        _verify(text, new_text, [e for _, e in made])
        return new_text, results
    except EditError:
        pass
    # together they would change other data: keep each that is safe on its own, one by one
    new_text = text
    for index, edit in enumerate(edits):
        if replacements[index] is None:
            continue
        try:
            start, end, written, _ = _replacement(new_text, _compose(new_text), edit)
            attempt = _apply(new_text, [(start, end, written)])
            _verify(new_text, attempt, [edit])
        except EditError as exc:
            results[index] = exc
        else:
            new_text = attempt
    return new_text, results


def _replacement(text: str, root: Any, edit: ValueEdit) -> tuple[int, int, str, EditedValue]:
    node, flow = _find(root, edit.path)
    if not isinstance(node, yaml.ScalarNode) or node.value != edit.old:
        raise EditError(f"the value at {_shown(edit.path)} is not the text expected; check the file again")
    if text[node.start_mark.index:node.start_mark.index + 1] in ("&", "!"):
        raise EditError(f"the value at {_shown(edit.path)} carries a YAML anchor or tag (&name, !tag), which a"
                        " knowledge base may not hold; remove it")
    start, end, written, style = _render(text, node, edit.new, flow)
    return start, end, written, EditedValue(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _apply(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, written in sorted(replacements, reverse=True):
        text = text[:start] + written + text[end:]
    return text


def _reading(text: str) -> tuple[str, Any]:
    """The text to parse and the loader to parse it with: the one ``check`` reads with.

    libyaml's (CSafeLoader), whose marks count characters as Python does, unless its
    collections nest deeper than a knowledge base may (its composer recurses in C; then
    PyYAML's pure loader, whose recursion Python bounds). The pure loader gets each tab as
    a space: the same length, so the same offsets. libyaml takes a tab where YAML separates
    (``quote:<TAB>words``), PyYAML's pure reader does not; in what libyaml reads, a tab is
    never indentation, so the structure is the same."""
    loader = safe_loader()
    if ("[" in text or "{" in text) and too_deep(text) and _nests_too_deep(text, loader):
        loader = yaml.SafeLoader
    return (text.replace("\t", " ") if loader is yaml.SafeLoader else text), loader


def _nests_too_deep(text: str, loader: Any) -> bool:
    """Whether the collections nest deeper than schema.MAX_DEPTH, told from the parser's events
    (no recursion); brackets in quoted text do not count."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > schema.MAX_DEPTH:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False  # composing it says what is wrong
    return False


def _compose(text: str) -> Any:
    readable, loader = _reading(text)
    try:
        return yaml.compose(readable, Loader=loader)
    except yaml.YAMLError as exc:
        raise EditError(f"the file is not valid YAML any more ({exc.__class__.__name__})") from None
    except RecursionError:
        raise EditError(f"the file's lists or mappings nest deeper than {schema.MAX_DEPTH} levels") from None


def _shown(path: tuple[Key, ...]) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")


def _find(root: Any, path: tuple[Key, ...]) -> tuple[Any, bool]:
    """The node at ``path``, and whether it sits inside a flow collection ([...] or {...})."""
    node, flow = root, False
    for key in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            flow = flow or bool(node.flow_style)
            node = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            flow = flow or bool(node.flow_style)
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                    node = value_node
                    break
            else:
                raise EditError(f"the file has no value at {_shown(path)}")
        else:
            raise EditError(f"the file has no value at {_shown(path)}")
    return node, flow


def _render(text: str, node: Any, new: str, flow: bool) -> tuple[int, int, str, str]:
    """(start, end, replacement, style name) for writing ``new`` in place of ``node``'s value."""
    start, end = node.start_mark.index, node.end_mark.index
    style = node.style or None  # libyaml's plain style is "", the pure loader's None
    newline = "\r\n" if "\r\n" in text[start:text.find("\n", end) + 1 or len(text)] else "\n"
    if style in ("|", ">"):
        return (*_block(text, node, new, newline), _STYLES[style])
    lines = text[start:end].split("\n")
    if len(lines) > 1:  # a value over several lines: wrap the new one as wide, indented alike
        indent = len(lines[1]) - len(lines[1].lstrip(" "))
        width = max(len(line.rstrip("\r")) for line in lines[1:])
        width = max(width, node.start_mark.column + len(lines[0].rstrip("\r")))
    else:
        indent = width = 0
    for candidate in (style, "'", '"'):
        written = _scalar(new, candidate, flow)
        if written is not None:
            if width and len(new) > 0:
                written = _wrap(written, candidate, node.start_mark.column, indent, width, newline)
            return start, end, written, _STYLES[candidate]
    raise AssertionError("double quotes hold any text")


def format_scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar: plain when YAML reads it back as this text, else
    in single quotes, else in double quotes with escapes."""
    for style in (None, "'", '"'):
        written = _scalar(value, style, flow=False)
        if written is not None:
            return written
    raise AssertionError("double quotes hold any text")


def _scalar(value: str, style: str | None, flow: bool) -> str | None:
    """``value`` written in ``style`` on one line, or None when that style cannot hold it."""
    if style == '"':
        return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'
    if _NOT_PRINTABLE.search(value) or "\n" in value:
        return None
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    analysis = Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(value)
    allowed = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return value if allowed and not analysis.empty and resolved == "tag:yaml.org,2002:str" else None


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _DOUBLE_ESCAPES:
        return _DOUBLE_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"


def _wrap(written: str, style: str | None, column: int, indent: int, width: int, newline: str) -> str:
    """A one-line scalar broken at spaces into lines of at most ``width`` (as the original was);
    YAML folds each break back into one space. Not at a space a break would lose (two in a row,
    or one escaped)."""
    words = written.split(" ")
    if any(not word for word in words[1:-1]) or (style == '"' and "\\ " in written):
        return written
    lines: list[str] = []
    line = ""
    for word in words:
        room = width - (column if not lines else indent)
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if style is None and any(part[:1] in "#-?:,[]{}&*!|>'\"%@`" or part.startswith("- ") for part in lines[1:]):
        return written  # a continuation line must not look like the start of something else
    return (newline + " " * indent).join(lines)


def _block(text: str, node: Any, new: str, newline: str) -> tuple[int, int, str]:
    """Replace the content lines of a | or > block, keeping its header and the blank lines after it."""
    header_end = text.index("\n", node.start_mark.index) + 1
    lines = text[header_end:node.end_mark.index].split("\n")
    content = [line for line in lines if line.strip()]
    if not content or _NOT_PRINTABLE.search(new):
        raise EditError("a block value that cannot be rewritten in place")
    indent = len(content[0]) - len(content[0].lstrip(" "))  # also with an indentation indicator (|2)
    last = max(i for i, line in enumerate(lines) if line.strip())
    end = header_end + sum(len(line) + 1 for line in lines[:last]) + len(lines[last].rstrip("\r"))
    width = max(len(line.rstrip("\r")) for line in content)
    if len(content) > 1:
        wrapped = textwrap.wrap(new, width=max(width - indent, 20), break_long_words=False, break_on_hyphens=False)
    else:
        wrapped = [new]
    body = newline.join(" " * indent + line for line in wrapped)
    return header_end, end, body


def _child(value: Any, key: Key) -> Any:
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return None


def _verify(old_text: str, new_text: str, edits: list[ValueEdit]) -> None:
    """The new text must hold the old data with only the edited values changed."""
    try:  # each as check reads it: what is compared is the structure and the other values
        old = yaml.load(*_reading(old_text))  # noqa: S506 (a safe loader)
        new = yaml.load(*_reading(new_text))  # noqa: S506
    except (yaml.YAMLError, RecursionError):
        raise EditError("rewriting the values would make the YAML invalid; nothing was changed") from None
    for edit in edits:
        holder: Any = old
        for key in edit.path[:-1]:
            holder = holder[key]
        got: Any = new
        for key in edit.path:
            got = _child(got, key)
        if not isinstance(got, str) or " ".join(got.split()) != " ".join(edit.new.split()):
            raise EditError(f"rewriting the value at {_shown(edit.path)} would change it; nothing was changed")
        holder[edit.path[-1]] = got
    if old != new:
        raise EditError("rewriting the values would change other data; nothing was changed")


def dump_yaml(data: Any) -> str:
    """``data`` as the YAML policyx writes (an import, an export, ``-f yaml``): keys in their order,
    text as it is (no escapes for what is not ASCII), lines folded at 100 characters; by libyaml's
    dumper when PyYAML has it, about 4x faster on a large knowledge base or listing (the pure one
    took most of the 5 s an export of 20,000 arguments cost, and 6 s of a `list -f yaml` of a
    corpus). Both write the same YAML for ordinary text; they may fold a very long escaped line
    at different places, which loads back the same."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return text
