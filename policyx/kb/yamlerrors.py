"""A YAML error as a problem a teacher can act on: the first rule that knows it words it."""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import Problem
from .readerrors import line_col
from .schema import FIELDS, TOP_LEVEL
from .yamlhints import missing_colon
from .yamlread import safe_loader, short_tag, yaml_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


# --------------------------------------------------------------------------
# YAML errors -> problems a teacher can act on

_CONTROL_NAMES = {0x07: "BEL", 0x08: "backspace", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def yaml_problem(exc: Any, text: str, path: str) -> Problem:
    """Turn a PyYAML/libyaml error into one Problem with a location, a clear message and a hint."""
    yaml = yaml_module()
    if isinstance(exc, yaml.reader.ReaderError):
        return _control_character(exc, text, path)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", path,
                       hint="fix the YAML syntax")
    error = _MarkedError(exc, text)
    message, hint, mark = next(worded for rule in _RULES if (worded := rule(error)) is not None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return Problem(message, path, line, column, hint=hint)


def _control_character(exc: Any, text: str, path: str) -> Problem:
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    name = _CONTROL_NAMES.get(code)
    shown = f"U+{code:04X}" + (f" ({name})" if name else "")
    at = text.find(chr(code))
    line, column = line_col(text, at) if at >= 0 else (None, None)
    return Problem(f"control character {shown} is not allowed in YAML text", path, line, column,
                   hint='remove it, or write it as an escape inside double quotes, e.g. "\\x1b"')


class _MarkedError:
    """What a located YAML error says, read once for the rules below."""

    def __init__(self, exc: Any, text: str) -> None:
        self.text = text
        self.problem: str = exc.problem or exc.context or "invalid YAML"
        self.context: str = exc.context or ""
        self.mark: Any = exc.problem_mark or exc.context_mark
        self.opened: Any = exc.context_mark  # where the construct being parsed began
        lines = text.splitlines()
        #: the line and the character the error points at ("" past the end)
        self.line = lines[self.mark.line] if self.mark is not None and self.mark.line < len(lines) else ""
        at = self.mark.column if self.mark is not None else len(self.line)
        self.char = self.line[at] if at < len(self.line) else ""
        opened = self.opened.line if self.opened is not None else -1  # where the construct began
        self.opened_line = lines[opened] if 0 <= opened < len(lines) else ""


if TYPE_CHECKING:
    #: A rule words the errors it knows: (message, hint, mark to report), or None for the next rule.
    _Worded = tuple[str, str, Any]
_LOST_INDICATOR = ("did not find expected '-' indicator", "did not find expected key")


def _tab(e: _MarkedError) -> _Worded | None:
    if "tab" in e.problem or "'\\t'" in e.problem or (e.char == "\t" and "cannot start any token" in e.problem):
        return "a tab character where YAML needs spaces", "indent with spaces, not tabs", e.mark
    return None


def _cannot_start(e: _MarkedError) -> _Worded | None:
    if "cannot start any token" not in e.problem:
        return None
    return (f"{e.char!r} cannot start a value" if e.char else e.problem), "put the value in quotes", e.mark


def _unclosed_quote(e: _MarkedError) -> _Worded | None:
    if "quoted scalar" in e.context and "end of stream" in e.problem and e.opened is not None:
        return ("unclosed quote: this quoted text never ends",
                "add the closing quote; inside \"...\" write \\\" for a quote mark, inside '...' write ''", e.opened)
    return None


def _unclosed_flow(e: _MarkedError) -> _Worded | None:
    if not e.context.startswith("while parsing a flow") or "did not find expected" not in e.problem or (
            e.opened is None):
        return None
    # The wording names what was being parsed ("a flow node" at the end of the file names neither):
    # the bracket is the one actually left open, the innermost before the error.
    opener, opened = _open_bracket(e.text, e.mark) or ("[" if "sequence" in e.context else "{", e.opened)
    close = "]" if opener == "[" else "}"
    where = f"line {e.mark.line + 1}, column {e.mark.column + 1}" if e.mark is not None else "the end"
    message = f"unclosed '{opener}': expected ',' or '{close}' at {where}"
    return message, f"close it with '{close}', and separate items with ','", opened


def _open_bracket(text: str, mark: Any) -> tuple[str, Any] | None:
    """The innermost '[' or '{' still open where the error is (its character and mark), from
    PyYAML's own tokens (brackets inside quotes and comments are no brackets); None if none is."""
    yaml = yaml_module()
    tokens = yaml.tokens
    opened: list[tuple[str, Any]] = []
    end = (mark.line, mark.column) if mark is not None else None
    try:
        for token in yaml.scan(text, Loader=safe_loader()):
            if end is not None and (token.start_mark.line, token.start_mark.column) >= end:
                break
            if isinstance(token, (tokens.FlowSequenceStartToken, tokens.FlowMappingStartToken)):
                opened.append(("[" if isinstance(token, tokens.FlowSequenceStartToken) else "{",
                               token.start_mark))
            elif isinstance(token, (tokens.FlowSequenceEndToken, tokens.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


def _moved_top_level(e: _MarkedError) -> _Worded | None:
    if e.problem not in _LOST_INDICATOR or not re.match(_MOVED_TOP_LEVEL, e.line):
        return None
    key = e.line.strip().split(":")[0]
    return f"'{key}:' is indented", f"start '{key}:' at the beginning of the line, like 'version:'", e.mark


def _misindented(e: _MarkedError) -> _Worded | None:
    if e.problem in _LOST_INDICATOR and e.context.startswith("while parsing a block"):
        return ("this line is not indented like the lines above it",
                "indent with spaces: the '- ' of every entry at one column, "
                "and an entry's fields at the column of its 'id'", e.mark)
    return None


def _tag(e: _MarkedError) -> _Worded | None:
    if "could not determine a constructor" not in e.problem:
        return None
    tag = e.problem.split("tag ")[-1].strip("'\"")
    hint = "policyx reads plain data only and runs nothing; remove the tag"
    return f"YAML tag {short_tag(tag)} refused", hint, e.mark


def _words(says: str, message: str | None, hint: str) -> Callable[[_MarkedError], _Worded | None]:
    """A rule for an error whose problem contains ``says`` (or, with a leading '^', starts with
    it): ``message``, or the problem itself when None, and ``hint``."""
    def rule(e: _MarkedError) -> _Worded | None:
        found = e.problem.startswith(says[1:]) if says.startswith("^") else says in e.problem
        return (message or e.problem, hint, e.mark) if found else None

    return rule


def _as_is(e: _MarkedError) -> _Worded:
    """The last rule: PyYAML's own words, with where the construct began."""
    message = e.problem
    if e.context and e.opened is not None and e.opened is not e.mark:
        message += f" ({e.context} started at line {e.opened.line + 1}, column {e.opened.column + 1})"
    return message, "fix the YAML syntax", e.mark



#: In order: the first rule that knows the error words it.
_RULES: tuple[Callable[[_MarkedError], _Worded | None], ...] = (
    _tab, _cannot_start, _unclosed_quote, _unclosed_flow, missing_colon, _moved_top_level, _misindented,
    _words("mapping values are not allowed", "a ':' where YAML does not expect a key",
           "check the indentation, or put text containing ': ' in quotes"),
    _tag,
    _words("exceeded maximum nesting depth", "nesting too deep for a knowledge base",
           "a knowledge base needs four levels of nesting"),
    _words("unhashable key", "a list or mapping used as a key", "keys must be plain words such as 'claim'"),
    _words("^duplicate key", None, "keep one: YAML would silently drop all but the last"),
    _words("^YAML anchors", None, "remove the &name: a knowledge base writes each value out in full, where it is used"),
    _words("^YAML aliases", "YAML anchors and aliases (&name, *name) are not allowed in a knowledge base",
           "this anchored value is used again through an alias: write it out in full where it is used"),
    _words(" is not a valid ", None, "put the value in quotes to keep it as text"),
    _words("another document", "more than one YAML document in the file",
           "a knowledge base is one document: remove the '---'"),
    _as_is,
)



#: top-level keys no entry has as a field ('name:' and 'title:' indented are an entry's fields)
_MOVED_TOP_LEVEL = r"^[ \t]+(" + "|".join(
    key for key in TOP_LEVEL if all(spec.name != key for specs in FIELDS.values() for spec in specs)) + r"):"
