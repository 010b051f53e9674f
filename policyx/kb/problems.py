"""How a problem is worded, and where it is.

Every message a teacher reads about a knowledge base file is written here:
what is wrong, in the file's own terms, and what to do about it (the hint).
And every problem's place: :func:`line_col` turns an offset into a line and a
column, :func:`locate` turns the key path of a problem (``arguments[3].for``)
into one, by composing the text a second time, and :func:`with_entry` names the
entry a YAML error sits in. All of this runs on the error path only: a valid
file never pays for it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

from . import schema
from .errors import KnowledgeBaseError, Problem
from .model import Kind, KnowledgeBase, Source
from .schema import ID_PATTERN, TOP_LEVEL, FieldSpec
from .yamlread import gc_paused, safe_loader, short_tag, yaml_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Where a problem is in the data: keys and list indexes from the top, e.g. ("arguments", 3, "for").
PathKey = tuple[str | int, ...]
#: Last element of a key path that names a mapping key itself (an unknown key), not its value.
KEY = "\0key"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


# --------------------------------------------------------------------------
# A file that cannot be read


def fail(path: str, message: str, hint: str | None = None) -> KnowledgeBaseError:
    """The error of a file that cannot be read at all: one problem, no line."""
    return KnowledgeBaseError([Problem(message, path, hint=hint)])


def unreadable(shown: str, exc: OSError) -> KnowledgeBaseError:
    """The error of a file the system will not give us."""
    if isinstance(exc, IsADirectoryError):
        return fail(shown, "is a directory, not a knowledge base file", "give the path of a .yaml file")
    if isinstance(exc, FileNotFoundError):
        if shown == "-":  # the usual spelling of standard input: not a file name here
            return fail(shown, "no such file", "to read standard input, give --kb /dev/stdin")
        return fail(shown, "no such file", "check the path, --kb and POLICYX_KB")
    if isinstance(exc, PermissionError):
        return fail(shown, "permission denied", "make the file readable")
    return fail(shown, f"cannot be read: {exc.strerror or exc}")


def binary(shown: str) -> KnowledgeBaseError:
    return fail(shown, "is a binary file, not YAML text", "give the path of a .yaml file")


def not_utf8(shown: str, data: bytes, exc: UnicodeDecodeError) -> KnowledgeBaseError:
    """The error of a file that is not UTF-8 text, at the first byte that is not."""
    before = data[: exc.start].decode("utf-8", "replace")
    line, column = line_col(before, len(before))
    byte = data[exc.start: exc.start + 1]
    try:  # the usual culprit: a file saved by a Windows editor
        guess = f", {byte.decode('cp1252')!r} in Windows-1252"
    except UnicodeDecodeError:
        guess = ""
    message = f"is not valid UTF-8 text (byte 0x{byte[0]:02x}{guess})"
    return KnowledgeBaseError([Problem(message, shown, line, column, hint="save the file as UTF-8: in most "
                                       "editors, 'Save as' with the encoding 'UTF-8'")])


def too_large(shown: str, size: int | None) -> KnowledgeBaseError:
    what = f"is {size} bytes" if size is not None else "is larger than the limit"
    return fail(shown, f"{what}; the limit for a knowledge base is {_size(schema.MAX_FILE_BYTES)}",
                 "split it into several knowledge bases")


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count} bytes" + (f" ({count // mib} MiB)" if count >= mib and count % mib == 0 else "")


def too_many_values(path: str) -> Problem:
    return Problem(f"more than {schema.MAX_VALUES:,} YAML values: too large for a knowledge base", path,
                   hint="split it into several knowledge bases")


def depth_problem(text: str, path: str, brackets: bool = True) -> Problem:
    """Nesting too deep; with ``brackets``, where the brackets first nest deeper than schema.MAX_DEPTH."""
    if not brackets:
        return Problem("nesting too deep", path, hint="a knowledge base needs four levels of nesting")
    depth, line, column = 0, None, None
    for at, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > schema.MAX_DEPTH:
                line, column = line_col(text, at)
                break
        elif char in "]}":
            depth -= 1
    return Problem(f"nesting deeper than {schema.MAX_DEPTH} levels of brackets", path, line, column,
                   hint="a knowledge base needs four levels of nesting")


# --------------------------------------------------------------------------
# YAML errors -> problems a teacher can act on

_CONTROL_NAMES = {0x07: "BEL", 0x08: "backspace", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def yaml_problem(exc: Any, text: str, path: str) -> Problem:
    """Turn a PyYAML/libyaml error into one Problem with a location, a clear message and a hint."""
    yaml = yaml_module()
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        name = _CONTROL_NAMES.get(code)
        shown = f"U+{code:04X}" + (f" ({name})" if name else "")
        at = text.find(chr(code))
        line, column = line_col(text, at) if at >= 0 else (None, None)
        return Problem(f"control character {shown} is not allowed in YAML text", path, line, column,
                       hint='remove it, or write it as an escape inside double quotes, e.g. "\\x1b"')
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", path,
                       hint="fix the YAML syntax")
    problem: str = exc.problem or exc.context or "invalid YAML"
    context: str = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    hint = "fix the YAML syntax"
    opened = exc.context_mark
    lines = text.splitlines()
    char = ""
    if mark is not None and mark.line < len(lines) and mark.column < len(lines[mark.line]):
        char = lines[mark.line][mark.column]
    if "tab" in problem or "'\\t'" in problem or (char == "\t" and "cannot start any token" in problem):
        message, hint = "a tab character where YAML needs spaces", "indent with spaces, not tabs"
    elif "cannot start any token" in problem:
        message = f"{char!r} cannot start a value" if char else problem
        hint = "put the value in quotes"
    elif "quoted scalar" in context and "end of stream" in problem and opened is not None:
        message, mark = "unclosed quote: this quoted text never ends", opened
        hint = "add the closing quote; inside \"...\" write \\\" for a quote mark, inside '...' write ''"
    elif context.startswith("while parsing a flow") and "did not find expected" in problem and opened is not None:
        close = "]" if "sequence" in context else "}"
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "the end"
        message = f"unclosed '{'[' if close == ']' else '{'}': expected ',' or '{close}' at {where}"
        mark, hint = opened, f"close it with '{close}', and separate items with ','"
    elif (problem in ("did not find expected '-' indicator", "did not find expected key") and mark is not None
          and mark.line < len(lines) and _MOVED_TOP_LEVEL.match(lines[mark.line])):
        key = lines[mark.line].strip().split(":")[0]
        message, hint = f"'{key}:' is indented", f"start '{key}:' at the beginning of the line, like 'version:'"
    elif problem in ("did not find expected '-' indicator", "did not find expected key") and context.startswith(
            "while parsing a block"):
        message = "this line is not indented like the lines above it"
        hint = ("indent with spaces: the '- ' of every entry at one column, "
                "and an entry's fields at the column of its 'id'")
    elif "mapping values are not allowed" in problem:
        message = "a ':' where YAML does not expect a key"
        hint = "check the indentation, or put text containing ': ' in quotes"
    elif "could not determine a constructor" in problem:
        tag = problem.split("tag ")[-1].strip("'\"")
        message = f"YAML tag {short_tag(tag)} refused"
        hint = "policyx reads plain data only and runs nothing; remove the tag"
    elif "exceeded maximum nesting depth" in problem:
        message, hint = "nesting too deep for a knowledge base", "a knowledge base needs four levels of nesting"
    elif "unhashable key" in problem:
        message, hint = "a list or mapping used as a key", "keys must be plain words such as 'claim'"
    elif problem.startswith("duplicate key"):
        message, hint = problem, "keep one: YAML would silently drop all but the last"
    elif problem.startswith("YAML aliases"):
        message = "YAML anchors and aliases (&name, *name) are not allowed in a knowledge base"
        hint = "this anchored value is used again through an alias: write it out in full where it is used"
    elif " is not a valid " in problem:
        message, hint = problem, "put the value in quotes to keep it as text"
    elif "another document" in problem:
        message, hint = "more than one YAML document in the file", "a knowledge base is one document: remove the '---'"
    else:
        message = problem
        if context and opened is not None and opened is not mark:
            message += f" ({context} started at line {opened.line + 1}, column {opened.column + 1})"
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem(message, path, line, column, hint=hint)


def _entry_at(text: str, line: int, column: int | None) -> tuple[Kind, int, str | None] | None:
    """The entry (collection, index, id if known) holding ``line:column``, from the YAML events."""
    yaml = yaml_module()
    target = (line - 1, (column or 1) - 1)
    kinds = {kind.value: kind for kind in Kind}
    # one frame per open collection: [is_mapping, current key, expecting a key, items begun]
    frames: list[list[Any]] = []
    ids: dict[tuple[str, int], str] = {}
    found: tuple[str, int] | None = None

    def entry() -> tuple[str, int] | None:
        if len(frames) >= 3 and frames[0][0] and not frames[1][0] and frames[2][0]:
            return (str(frames[0][1]), frames[1][3] - 1)
        return None

    try:
        for event in yaml.parse(text, Loader=safe_loader()):
            if found is None and (event.start_mark.line, event.start_mark.column) > target:
                found = entry()
                if found is None:
                    break
            if found is not None and entry() != found and len(frames) >= 3:
                break
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                if found is not None and len(frames) < 3:
                    break
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent,
                                      yaml.SequenceStartEvent)):
                continue
            value = getattr(event, "value", None)
            if frames:
                top = frames[-1]
                if top[0] and top[2]:
                    top[1], top[2] = value, False
                elif top[0]:
                    top[2] = True
                    if len(frames) == 3 and top[1] == "id" and isinstance(value, str) and entry() is not None:
                        where = entry()
                        assert where is not None
                        ids[where] = value
                else:
                    top[3] += 1
            if isinstance(event, yaml.MappingStartEvent):
                frames.append([True, None, True, 0])
            elif isinstance(event, yaml.SequenceStartEvent):
                frames.append([False, None, False, 0])
    except yaml.YAMLError:
        pass
    if found is None:
        found = entry()
    if found is None or found[0] not in kinds:
        return None
    return kinds[found[0]], found[1], ids.get(found)


def with_entry(problem: Problem, text: str) -> Problem:
    """Name the entry a YAML-level problem sits in (``argument 'x': ...``)."""
    if problem.line is None or problem.entry is not None or problem.message.endswith(":' is indented"):
        return problem
    where = _entry_at(text, problem.line, problem.column)
    # The parser stops at the error, often before it has read the entry's id (a tab in
    # the line after '- id: x'), after the entry before it (a tab before '- id: x'), or
    # outside any entry (a field indented one space too little): then the raw lines
    # name it, the last '- id:' at or above the error under the last collection key.
    line_start = 0
    for _ in range(problem.line - 1):
        line_start = text.find("\n", line_start) + 1
        if line_start == 0:
            break
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    collection = _last_match(_COLLECTION_START, text, 0, line_end)
    last = _last_match(_ENTRY_START, text, collection.end() if collection else 0, line_end)
    if where is None:
        if collection is None or last is None or not _IN_ENTRY.match(text, line_start):
            return problem  # a line at the top level ('---', 'title:') is in no entry
        where = (Kind(collection.group(1)), -1, None)
    kind, index, entry_id = where
    if last is not None and (entry_id is None or last.start() >= line_start or not ID_PATTERN.match(entry_id)):
        entry_id = last.group(1)
    label = f"{kind.singular} {entry_id!r}" if entry_id else f"{kind.singular} #{index + 1}"
    return Problem(f"{label}: {problem.message}", problem.path, problem.line, problem.column, entry_id,
                   problem.hint, problem.severity, problem.field)


def _last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 (the last one is wanted)
        pass
    return found


_IN_ENTRY = re.compile(r"[ \t]|-[ \t]")  # how a line inside a collection starts
_MOVED_TOP_LEVEL = re.compile(r"^[ \t]+(" + "|".join(TOP_LEVEL) + r"):")
_COLLECTION_START = re.compile(r"^(" + "|".join(kind.value for kind in Kind) + r"):", re.MULTILINE)
_ENTRY_START = re.compile(r"^[ \t]*-[ \t]+id:[ ]*[\"']?([a-z0-9-]+)", re.MULTILINE)


def _node_at(root: Any, key_path: PathKey) -> Any:
    """Walk composed YAML nodes along ``key_path``; stop at the deepest found."""
    yaml = yaml_module()
    node = root
    key_node_found = None
    for key in key_path:
        if key == KEY:
            return key_node_found or node
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and not isinstance(key, bool):
            if not 0 <= key < len(node.value):
                break
            node = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and _same_key(yaml, key_node, key):
                    node, key_node_found = value_node, key_node
                    break
            else:
                break
        else:
            break
    return node


def _same_key(yaml: Any, key_node: Any, key: Any) -> bool:
    if isinstance(key, str):
        return bool(key_node.value == key and key_node.tag.endswith(":str"))
    try:  # a key that YAML read as a number, boolean or null: compare what it means
        return bool(yaml.safe_load(key_node.value) == key) and key_node.value != ""
    except yaml.YAMLError:
        return False


#: `claim: Fix #1 first` is read by YAML as `claim: Fix` plus a comment: a plain (unquoted)
#: text value ends at the first ' #'. Found on the raw lines, as comments never reach the data.
_COMMENT_CUT = re.compile(
    r"^[ ]*(?:-[ ]+)?(quote|claim|text|note|title|name|summary|description|author|event):[ \t]+"
    # one space, then '#' and a word ("the #1 priority", "#MeToo"): a comment written on
    # purpose ("text  # why") usually has two spaces before and one after the '#'
    r"[^\s\"'|>&!*\[\]{}#%@`,?:-][^\n]*?[^ \t][ ](#)(?=[^\s#])", re.MULTILINE,
)


def comment_cut_problems(kb: KnowledgeBase, text: str) -> list[Problem]:
    """Warnings for text fields that a ' #' cut short (see _COMMENT_CUT), at most
    schema.MAX_PROBLEMS. The entry is the nearest '- id:' above: one pass over the text,
    however large the file."""
    starts: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _ENTRY_START.finditer(text)]
    problems = []
    for match in itertools.islice(_COMMENT_CUT.finditer(text), schema.MAX_PROBLEMS):
        line, column = line_col(text, match.start(2))
        at = bisect.bisect_right(starts, (match.start(), "\U0010ffff")) - 1
        entry = starts[at][1] if at >= 0 else None
        found = kb.get(entry) if entry else None
        label = f"{type(found).__name__.lower().replace('legal', '')} {entry!r}: " if found is not None else ""
        problems.append(Problem(
            f"{label}'{match.group(1)}' ends before ' #': YAML reads the rest of the line as a comment",
            kb.path, line, column, entry if found is not None else None,
            "put the whole text in quotes (\"...\") to keep the '#'", severity="warning", field=match.group(1),
        ))
    return problems


def locate(text: str, problems: list[Problem], paths: list[PathKey | None]) -> list[Problem]:
    """Fill in line and column of each problem from its key path (second parse)."""
    yaml = yaml_module()
    try:
        with gc_paused():  # composing holds every node of the file at once: see parse_yaml
            root = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return problems
    located = []
    for problem, key_path in zip(problems, paths, strict=True):
        if key_path is None or root is None or problem.line is not None:
            located.append(problem)
            continue
        mark = getattr(_node_at(root, key_path), "start_mark", None) or root.start_mark
        located.append(
            Problem(
                problem.message, problem.path, mark.line + 1, mark.column + 1,
                problem.entry, problem.hint, problem.severity, problem.field,
            )
        )
    return located


def entry_paths(kb: KnowledgeBase, problems: list[Problem]) -> list[PathKey | None]:
    """The key path of each problem found after validation (by entry id and field), for :func:`locate`."""
    where: dict[str, PathKey] = {}
    for kind in Kind:
        for index, entry in enumerate(kb.collection(kind)):
            where[entry.id] = (kind.value, index)
    paths: list[PathKey | None] = []
    for problem in problems:
        base = where.get(problem.entry or "")
        paths.append(None if base is None else (*base, problem.field) if problem.field else base)
    return paths


# --------------------------------------------------------------------------
# Wording shared by the validators


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    import difflib  # here, not at the top: only mistakes need it (start-up time)

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


#: What to do about a value YAML read as something other than the text the author typed.
QUOTE_HINTS = {
    "a boolean": "YAML reads yes, no, on, off, true and false as booleans: put the item in quotes, e.g. [\"on\"]",
    "a number": "put the item in quotes to keep it as text",
    "a date": "put the item in quotes to keep it as text",
}


def a_kind(kind: Kind) -> str:
    """'an actor', 'a position'."""
    return ("an " if kind.singular[0] in "aeiou" else "a ") + kind.singular


def missing_hint(spec: FieldSpec) -> str:
    """What to write for a required field that is missing: its name and what it holds."""
    what = spec.doc.rstrip(".")
    hint = f"add '{spec.name}:', {what[:1].lower()}{what[1:]}"
    if spec.enum is not None:
        hint += ": one of " + ", ".join(member.value for member in spec.enum)
    return hint


def type_name(value: Any) -> str:
    import datetime

    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return {
        dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
        set: "a set", tuple: "a list", bytes: "binary data", datetime.date: "a date", datetime.datetime: "a date",
    }.get(type(value), type(value).__name__)

_RELATIVE = "it is relative to the knowledge base file's folder"
_SOURCE_FILE_ERRORS: dict[str, tuple[str, str]] = {
    "no such file": ("does not exist", f"fix the source's 'file': {_RELATIVE}"),
    "is a directory, not a knowledge base file": (
        "is a directory", f"'file' names the source's text file, not a folder: {_RELATIVE}"),
    "is a binary file, not YAML text": (
        "is a binary file", "'file' names the source's plain text, saved as UTF-8 (not a PDF or Word file)"),
}


def source_file_problem(kb_path: str, source: Source, problem: Problem) -> Problem:
    """A problem of reading a knowledge base file, reworded for a source's text file."""
    message, hint = _SOURCE_FILE_ERRORS.get(problem.message, (problem.message, problem.hint))
    if problem.message == "no such file" and "\\" in (source.file or ""):
        hint = "write '/' between folders, also on Windows (e.g. 'sources/report.txt'): " + _RELATIVE
    if problem.line is not None:  # a place in the source's text, not in the knowledge base
        message += f" at line {problem.line}, column {problem.column}"
    return Problem(f"source {source.id!r}: file {problem.path} {message}", kb_path,
                   entry=source.id, hint=hint, field="file")
