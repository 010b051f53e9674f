"""The only module that reads files: YAML -> validated :class:`KnowledgeBase`.

Loading is two-speed on purpose. The happy path parses with libyaml's C loader
(when available) and builds plain Python data without keeping any position
marks, because marks cost time on large files. Only when something is wrong
do we parse the file a second time, into nodes, to turn each problem's path
(``arguments[3].against``) into a line and column. Errors are rare and small;
valid files are common and may be large.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from . import schema
from .errors import KnowledgeBaseError, Problem
from .model import (
    Actor,
    Argument,
    Entry,
    Kind,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    Source,
    Stance,
)
from .schema import FIELDS, ID_PATTERN, SCHEMA_VERSION, TOP_LEVEL, FieldSpec
from .yamlread import TooDeep, TooManyValues, gc_paused, read_yaml, safe_loader, short_tag, yaml_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

PathKey = tuple[str | int, ...]


def _read_text(path: Path) -> str:
    shown = str(path)
    try:
        if path.is_dir():
            raise _fail(shown, "is a directory, not a knowledge base file", "give the path of a .yaml file")
        size = path.stat().st_size
        if size > schema.MAX_FILE_BYTES:
            raise _too_large(shown, size)
        with path.open("rb") as handle:
            # read one byte past the cap: /dev/zero, pipes and growing files report no honest size
            data = handle.read(schema.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        if shown == "-":  # the usual spelling of standard input: not a file name here
            raise _fail(shown, "no such file", "to read standard input, give --kb /dev/stdin") from None
        raise _fail(shown, "no such file", "check the path, --kb and POLICYX_KB") from None
    except PermissionError:
        raise _fail(shown, "permission denied", "make the file readable") from None
    except OSError as exc:
        raise _fail(shown, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > schema.MAX_FILE_BYTES:
        raise _too_large(shown, None)
    if b"\0" in data:
        raise _fail(shown, "is a binary file, not YAML text", "give the path of a .yaml file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start: exc.start].decode("utf-8", "replace")) + 1
        byte = data[exc.start: exc.start + 1]
        try:  # the usual culprit: a file saved by a Windows editor
            guess = f", {byte.decode('cp1252')!r} in Windows-1252"
        except UnicodeDecodeError:
            guess = ""
        message = f"is not valid UTF-8 text (byte 0x{byte[0]:02x}{guess})"
        raise KnowledgeBaseError([Problem(message, shown, line, column, hint="save the file as UTF-8: in most "
                                          "editors, 'Save as' with the encoding 'UTF-8'")]) from None


def _too_large(shown: str, size: int | None) -> KnowledgeBaseError:
    what = f"is {size} bytes" if size is not None else "is larger than the limit"
    return _fail(shown, f"{what}; the limit for a knowledge base is {_size(schema.MAX_FILE_BYTES)}",
                 "split it into several knowledge bases")


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count} bytes" + (f" ({count // mib} MiB)" if count >= mib and count % mib == 0 else "")


def _fail(path: str, message: str, hint: str | None = None) -> KnowledgeBaseError:
    return KnowledgeBaseError([Problem(message, path, hint=hint)])


def _depth_problem(text: str, path: str) -> Problem:
    """Where the brackets first nest deeper than schema.MAX_DEPTH (the error path only)."""
    depth, line, column = 0, None, None
    for at, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > schema.MAX_DEPTH:
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                break
        elif char in "]}":
            depth -= 1
    return Problem(f"nesting deeper than {schema.MAX_DEPTH} levels of brackets", path, line, column,
                   hint="a knowledge base needs four levels of nesting")


def parse_yaml(text: str, path: str) -> Any:
    """Parse YAML text into plain data, or raise KnowledgeBaseError with a location."""
    yaml = yaml_module()
    # Parsing allocates objects by the hundred thousand and frees none, so the
    # cyclic garbage collector would run again and again over a growing heap that
    # holds no cycles. Pausing it saves ~10% on the event reader, and makes the
    # strict loader (1.7 million nodes for 100,000 arguments) about 5x faster.
    with gc_paused():
        try:
            return read_yaml(text)
        except TooManyValues:
            problem = Problem(f"more than {schema.MAX_VALUES:,} YAML values: too large for a knowledge base", path,
                              hint="split it into several knowledge bases")
        except TooDeep as exc:
            problem = _depth_problem(text, path) if exc.brackets else Problem(
                "nesting too deep", path, hint="a knowledge base needs four levels of nesting")
        except yaml.YAMLError as exc:
            problem = yaml_problem(exc, text, path)
    raise KnowledgeBaseError([problem])


# --------------------------------------------------------------------------
# YAML errors -> problems a teacher can act on (the error path only)

_CONTROL_NAMES = {0x07: "BEL", 0x08: "backspace", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def yaml_problem(exc: Any, text: str, path: str) -> Problem:
    """Turn a PyYAML/libyaml error into one Problem with a location, a clear message and a hint."""
    yaml = yaml_module()
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        name = _CONTROL_NAMES.get(code)
        shown = f"U+{code:04X}" + (f" ({name})" if name else "")
        at = text.find(chr(code))
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        column = at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else None
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


def _with_entry(problem: Problem, text: str) -> Problem:
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


#: Last element of a key path that names a mapping key itself (an unknown key), not its value.
KEY = "\0key"


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


def comment_cuts(kb: KnowledgeBase) -> list[Problem]:
    """Warnings for text fields that a ' #' cut short (see _COMMENT_CUT), at most
    schema.MAX_PROBLEMS. The entry is the nearest '- id:' above: one pass over the text,
    however large the file."""
    try:
        text = _read_text(Path(kb.path))
    except KnowledgeBaseError:
        return []
    starts: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _ENTRY_START.finditer(text)]
    problems = []
    for match in itertools.islice(_COMMENT_CUT.finditer(text), schema.MAX_PROBLEMS):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text.count("\n", 0, match.start()) + 1
        column = match.start(2) - line_start + 1
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


def locate_entries(kb: KnowledgeBase, problems: list[Problem]) -> list[Problem]:
    """Give problems found after validation (by entry id) a line and column."""
    if not any(p.entry and p.line is None for p in problems):
        return problems
    try:
        text = _read_text(Path(kb.path))
    except KnowledgeBaseError:
        return problems
    where: dict[str, PathKey] = {}
    for kind in Kind:
        for index, entry in enumerate(kb.collection(kind)):
            where[entry.id] = (kind.value, index)
    paths: list[PathKey | None] = []
    for problem in problems:
        base = where.get(problem.entry or "")
        paths.append(None if base is None else (*base, problem.field) if problem.field else base)
    return locate(text, problems, paths)


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


# --------------------------------------------------------------------------
# Validation: plain data -> records, collecting every problem


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    import difflib  # here, not at the top: only mistakes need it (start-up time)

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


class _Validator:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.paths: list[PathKey | None] = []
        self.dropped = 0
        # ids that an entry claims but does not get (a duplicate, or a non-kebab id
        # whose kebab form is suggested): references to them are not reported again
        self.claimed: list[tuple[Kind, str]] = []

    def problem(
        self, key_path: PathKey | None, message: str, entry: str | None = None,
        hint: str | None = None,
    ) -> None:
        if len(self.problems) < schema.MAX_PROBLEMS:
            self.problems.append(Problem(message, self.path, entry=entry, hint=hint))
            self.paths.append(key_path)
        else:
            self.dropped += 1

    def run(self, data: Any) -> dict[Kind, list[dict[str, Any]]]:
        records: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in Kind}
        if data is None:
            self.problem(None, "the file is empty", hint="start from the bundled positions.yaml")
            return records
        if not isinstance(data, dict):
            self.problem((), f"the top level must be a mapping of collections, not {_type_name(data)}",
                         hint="start the file with 'version: 1'")
            return records
        for key in data:
            if key not in TOP_LEVEL:
                hint = did_you_mean(str(key), TOP_LEVEL) or f"allowed keys: {', '.join(TOP_LEVEL)}"
                self.problem((key, KEY), f"unknown top-level key {key!r}", hint=hint)
        version = data.get("version")
        if version is None:
            self.problem((), "missing 'version'", hint="add 'version: 1' at the top")
        elif isinstance(version, str) and version.strip() == str(SCHEMA_VERSION):
            self.problem(("version",), f"'version' must be the number {SCHEMA_VERSION}, not the text {version!r}",
                         hint=f"write 'version: {SCHEMA_VERSION}' without quotes")
        elif version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem(("version",), f"unsupported schema version {version!r}", hint="this policyx reads version 1")
        title = data.get("title")
        if title is not None and not isinstance(title, str):
            self.problem(("title",), "'title' must be a string")
        seen: dict[str, tuple[Kind, int]] = {}
        for kind in Kind:
            items = data.get(kind.value)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem((kind.value,), f"'{kind.value}' must be a list of entries, not {_type_name(items)}",
                             hint=f"write each entry as '- id: ...' under '{kind.value}:'")
                if isinstance(items, dict) and isinstance(items.get("id"), str):  # one entry without its '- '
                    self.claimed.append((kind, items["id"]))
                continue
            clean = _clean_entry(kind)
            for index, item in enumerate(items):
                record = clean(index, item, seen)
                if record is None:  # something is wrong: the full check words it
                    record = self.entry(kind, index, item, seen)
                else:  # the bookkeeping entry() does for a valid entry (keep the two in step)
                    seen[record["id"]] = (kind, index)
                if record is not None:
                    records[kind].append(record)
        # Every well-formed id by collection, valid entry or not (both the fast and
        # the full check record ids in `seen`): references to an entry that has its
        # own problem are not reported again as unknown.
        declared: dict[Kind, set[str]] = {kind: set() for kind in Kind}
        for entry_id, (kind, _) in seen.items():
            declared[kind].add(entry_id)
        for kind, entry_id in self.claimed:
            declared[kind].add(entry_id)
        self.references(records, declared)
        return records

    def entry(
        self, kind: Kind, index: int, item: Any, seen: dict[str, tuple[Kind, int]]
    ) -> dict[str, Any] | None:
        where: PathKey = (kind.value, index)
        name = f"{kind.singular} #{index + 1}"
        if not isinstance(item, dict):
            hint = None
            if isinstance(item, str) and ID_PATTERN.match(item):  # `- parents`: an id alone
                hint = f"write '- id: {item}' and its fields below it"
                self.claimed.append((kind, item))
            self.problem(where, f"{name} must be a mapping of fields, not {_type_name(item)}", hint=hint)
            return None
        raw_id = item.get("id")
        entry_id: str | None = None
        if raw_id is None:
            self.problem(where, f"{name} has no 'id'", hint="add a unique kebab-case id")
        elif not isinstance(raw_id, str):
            self.problem((*where, "id"), f"{name}: 'id' must be a string, not {_type_name(raw_id)}",
                         hint="quote it or use words, e.g. 'id: arg-12'" + (
                             "; YAML reads yes, no, on, off, true and false as booleans"
                             if isinstance(raw_id, bool) else ""))
        elif not ID_PATTERN.match(raw_id):
            hint = "use lowercase letters, digits and single hyphens"
            folded = unicodedata.normalize("NFKD", raw_id).encode("ascii", "ignore").decode()  # é -> e
            kebab = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
            if ID_PATTERN.match(kebab):
                hint += f", e.g. {kebab!r}"
                self.claimed.append((kind, kebab))
            self.problem((*where, "id"), f"{kind.singular} {raw_id!r}: id is not kebab-case",
                         entry=raw_id, hint=hint)
        else:
            entry_id = raw_id
            if raw_id in seen:
                other_kind, other_index = seen[raw_id]
                self.problem((*where, "id"), f"{kind.singular} {raw_id!r}: duplicate id, already used by "
                             f"{other_kind.singular} #{other_index + 1}",
                             entry=raw_id, hint="ids must be unique across the whole file")
                self.claimed.append((kind, raw_id))
                entry_id = None  # not kept: with a second entry under one id, every reference would be ambiguous
            else:
                seen[raw_id] = (kind, index)
        label = f"{kind.singular} {raw_id!r}" if isinstance(raw_id, str) and raw_id else name
        specs = FIELDS[kind]
        known = {spec.name: spec for spec in specs}
        ok = entry_id is not None
        for key in item:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"allowed: {', '.join(known)}"
                self.problem((*where, key, KEY), f"{label}: unknown field {key!r}", entry_id, hint)
                ok = False
        record: dict[str, Any] = {}
        for spec in specs:
            if spec.name == "id":  # checked above
                if entry_id is not None:
                    record["id"] = entry_id
                continue
            value = item.get(spec.name)
            if value is None:
                if spec.required:
                    self.problem(where, f"{label}: missing required field {spec.name!r}", entry_id,
                                 _missing_hint(spec))
                    ok = False
                continue
            checked = self.value(spec, value, (*where, spec.name), label, entry_id)
            if checked is None:
                ok = False
            else:
                record[spec.name] = checked
        if kind is Kind.ARGUMENTS:
            has_for, has_against = "for" in record, "against" in record
            if has_for and has_against:
                self.problem(where, f"{label}: has both 'for' and 'against'", entry_id, "keep exactly one")
                ok = False
            elif not has_for and not has_against:
                if item.get("for") is None and item.get("against") is None:  # else: already reported
                    self.problem(where, f"{label}: needs 'for: ID' or 'against: ID'", entry_id,
                                 "name the position or argument it bears on")
                ok = False
        if kind in (Kind.POSITIONS, Kind.ARGUMENTS, Kind.QUESTIONS) and "quote" in record and "source" not in record:
            self.problem((*where, "quote"), f"{label}: has a quote but no 'source'", entry_id,
                         "add 'source: ID' naming where the quote comes from")
            ok = False
        record["__index"] = index
        return record if ok else None

    def value(self, spec: FieldSpec, value: Any, where: PathKey, label: str, entry_id: str | None) -> Any:
        import datetime  # only entries in doubt get here; a valid file never pays for it

        if spec.kind in ("str", "ref", "enum"):
            if spec.name == "date" and isinstance(value, (datetime.date, datetime.datetime)):
                return value.isoformat()  # `date: 2024-05-01` is what an author means
            if not isinstance(value, str) or isinstance(value, bool):
                if spec.enum is not None:
                    hint = "one of: " + ", ".join(member.value for member in spec.enum)
                    if isinstance(value, bool):
                        hint += "; YAML reads yes, no, on, off, true and false as booleans"
                elif spec.kind == "ref":
                    hint = "write one id; to name several, use several entries"
                elif not isinstance(value, (list, dict)):
                    hint = "put the value in quotes"
                else:
                    hint = f"write '{spec.name}' as one text"
                if spec.kind == "ref" and isinstance(value, (bool, int, float, datetime.date)):
                    hint = "put the id in quotes: YAML reads yes, no, on, off, numbers and dates as other types"
                self.problem(where, f"{label}: '{spec.name}' must be a string, not {_type_name(value)}", entry_id, hint)
                return None
            if not value.strip():
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                             "fill it in" if spec.required else "fill it in, or remove the line")
                return None
            if spec.kind == "enum":
                assert spec.enum is not None
                allowed = [member.value for member in spec.enum]
                if value not in allowed:
                    hint = did_you_mean(value, allowed) or f"one of: {', '.join(allowed)}"
                    self.problem(where, f"{label}: '{spec.name}' is {value!r}, not one of {', '.join(allowed)}",
                                 entry_id, hint)
                    return None
                return spec.enum(value)
            return value
        if spec.kind in ("strlist", "reflist"):
            if isinstance(value, str) and spec.kind == "reflist":
                value = [value]
            if not isinstance(value, list):
                self.problem(where, f"{label}: '{spec.name}' must be a list, not {_type_name(value)}", entry_id,
                             f"write '{spec.name}: [a, b]'")
                return None
            items: list[str] = []
            for position, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.problem((*where, position), f"{label}: '{spec.name}' items must be non-empty strings, "
                                 f"not {_type_name(item)}", entry_id, _QUOTE_HINTS.get(_type_name(item)))
                    return None
                items.append(item)
            if spec.required and not items:
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                             f"name at least one, e.g. '{spec.name}: [an-id]'" if spec.kind == "reflist"
                             else "give at least one item")
                return None
            return tuple(items)
        raise AssertionError(spec.kind)  # pragma: no cover

    def references(self, records: dict[Kind, list[dict[str, Any]]], ids: dict[Kind, set[str]]) -> None:
        bad: set[str] = set()
        pools: dict[tuple[Kind, ...], set[str]] = {}  # one pool per kind of reference, not per record
        for kind in Kind:
            refs = [spec for spec in FIELDS[kind] if spec.kind in ("ref", "reflist")]
            for spec in refs:
                if spec.refs not in pools:
                    pools[spec.refs] = set().union(*(ids[k] for k in spec.refs))
            for record in records[kind]:
                for spec in refs:
                    if spec.name not in record:
                        continue
                    pool = pools[spec.refs]
                    values = record[spec.name] if spec.kind == "reflist" else (record[spec.name],)
                    for position, value in enumerate(values):
                        if value in pool:
                            continue
                        what = " or ".join(k.singular for k in spec.refs)
                        where: PathKey = (kind.value, record["__index"], spec.name)
                        if spec.kind == "reflist":
                            where = (*where, position)
                        other = next((k for k in Kind if k not in spec.refs and value in ids[k]), None)
                        if other is not None:  # `for:` naming a question, `held_by:` naming a position...
                            self.problem(
                                where, f"{kind.singular} {record['id']!r}: {spec.name} {value!r} is "
                                f"{_a(other)}, not {' or '.join(_a(k) for k in spec.refs)}", record["id"],
                                f"'{spec.name}' takes the id of {' or '.join(_a(k) for k in spec.refs)}",
                            )
                            bad.add(record["id"])
                            continue
                        known = ", ".join(sorted(pool)[:8]) + (", ..." if len(pool) > 8 else "")
                        hint = did_you_mean(value, pool) or (
                            f"known {' and '.join(k.value for k in spec.refs)}: {known}" if pool
                            else f"add the {what} first")
                        self.problem(
                            where,
                            f"{kind.singular} {record['id']!r}: {spec.name} {value!r} names no {what}",
                            record["id"], hint,
                        )
                        bad.add(record["id"])
        self.cycles(records[Kind.ARGUMENTS], bad)
        for kind in Kind:
            records[kind] = [r for r in records[kind] if r["id"] not in bad]

    def cycles(self, arguments: list[dict[str, Any]], bad: set[str]) -> None:
        target: dict[str, str] = {a["id"]: a["for"] if "for" in a else a["against"] for a in arguments}
        index: dict[str, int] = {a["id"]: a["__index"] for a in arguments}
        index_of: dict[str, int] = {a["id"]: position for position, a in enumerate(arguments)}
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to end at a position
        for start in target:
            walk: list[str] = []
            node = start
            while node in target and state.get(node) is None:
                state[node] = 1
                walk.append(node)
                node = target[node]
            if node in target and state.get(node) == 1:
                loop = walk[walk.index(node):]
                first = min(loop, key=lambda i: index[i])
                chain = " -> ".join([*loop, node])
                if len(loop) == 1:
                    stance = "for" if "for" in arguments[index_of[first]] else "against"
                    self.problem(("arguments", index[first], stance), f"argument {first!r}: answers itself "
                                 f"('{stance}: {first}')", first, "name the position or argument it answers")
                else:
                    self.problem(("arguments", index[first]), f"argument {first!r}: rebuttal cycle {chain}", first,
                                 "an argument must lead, through for/against, to a position")
                bad.update(loop)
            for item in walk:
                state[item] = 2


_STR_FIELD, _ENUM_FIELD, _LIST_FIELD, _REFLIST_FIELD = range(4)
_CLEAN_ENTRY: dict[Kind, Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]] = {}


def _clean_entry(kind: Kind) -> Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]:
    """The hot loop of validation: ``clean(index, item, seen)`` returns the record of
    an entry with nothing wrong, exactly as :meth:`_Validator.entry` would, and
    None at the first doubt, for ``entry`` to check (and word) in full. It has
    no side effects: the caller does entry()'s bookkeeping for a valid entry."""
    if kind in _CLEAN_ENTRY:
        return _CLEAN_ENTRY[kind]
    codes = {"str": _STR_FIELD, "ref": _STR_FIELD, "enum": _ENUM_FIELD, "strlist": _LIST_FIELD,
             "reflist": _REFLIST_FIELD}
    specs = [
        (spec.name, codes[spec.kind], spec.required, {m.value: m for m in spec.enum} if spec.enum else {})
        for spec in FIELDS[kind]
    ]
    known = frozenset(spec.name for spec in FIELDS[kind])
    one_target = kind is Kind.ARGUMENTS
    quoted = kind in (Kind.POSITIONS, Kind.ARGUMENTS, Kind.QUESTIONS)
    match = ID_PATTERN.match

    def clean(index: int, item: Any, seen: dict[str, tuple[Kind, int]]) -> dict[str, Any] | None:
        if type(item) is not dict:
            return None
        raw_id = item.get("id")
        if type(raw_id) is not str or raw_id in seen or match(raw_id) is None or not known.issuperset(item):
            return None
        record: dict[str, Any] = {}
        for name, code, required, members in specs:
            value = item.get(name)
            if value is None:
                if required:
                    return None
                continue
            if code == _STR_FIELD:
                if type(value) is not str or not value.strip():
                    return None
            elif code == _ENUM_FIELD:
                value = members.get(value) if type(value) is str else None
                if value is None:
                    return None
            else:
                if code == _REFLIST_FIELD and type(value) is str:
                    value = [value]
                if type(value) is not list or (required and not value):
                    return None
                for part in value:
                    if type(part) is not str or not part.strip():
                        return None
                value = tuple(value)
            record[name] = value
        if one_target and ("for" in record) == ("against" in record):
            return None
        if quoted and "quote" in record and "source" not in record:
            return None
        record["__index"] = index
        return record

    _CLEAN_ENTRY[kind] = clean
    return clean


#: What to do about a value YAML read as something other than the text the author typed.
_QUOTE_HINTS = {
    "a boolean": "YAML reads yes, no, on, off, true and false as booleans: put the item in quotes, e.g. [\"on\"]",
    "a number": "put the item in quotes to keep it as text",
    "a date": "put the item in quotes to keep it as text",
}


def _a(kind: Kind) -> str:
    """'an actor', 'a position'."""
    return ("an " if kind.singular[0] in "aeiou" else "a ") + kind.singular


def _missing_hint(spec: FieldSpec) -> str:
    """What to write for a required field that is missing: its name and what it holds."""
    what = spec.doc.rstrip(".")
    hint = f"add '{spec.name}:', {what[:1].lower()}{what[1:]}"
    if spec.enum is not None:
        hint += ": one of " + ", ".join(member.value for member in spec.enum)
    return hint


def _type_name(value: Any) -> str:
    import datetime

    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return {
        dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
        set: "a set", tuple: "a list", bytes: "binary data", datetime.date: "a date", datetime.datetime: "a date",
    }.get(type(value), type(value).__name__)


def _build(path: str, version: int, title: str | None, records: dict[Kind, list[dict[str, Any]]]) -> KnowledgeBase:
    def clean(record: dict[str, Any]) -> dict[str, Any]:
        fields = dict(record)
        del fields["__index"]
        return fields

    def argument(record: dict[str, Any]) -> Argument:
        fields = clean(record)
        if "for" in fields:
            fields["stance"], fields["target"] = Stance.FOR, fields.pop("for")
        else:
            fields["stance"], fields["target"] = Stance.AGAINST, fields.pop("against")
        return Argument(**fields)

    makers: dict[Kind, Callable[[dict[str, Any]], Entry]] = {
        Kind.SOURCES: lambda r: Source(**clean(r)),
        Kind.ACTORS: lambda r: Actor(**clean(r)),
        Kind.MODELS: lambda r: LegalModel(**clean(r)),
        Kind.QUESTIONS: lambda r: Question(**clean(r)),
        Kind.POSITIONS: lambda r: Position(**clean(r)),
        Kind.ARGUMENTS: argument,
    }
    collections = {kind.value: tuple(makers[kind](r) for r in records[kind]) for kind in Kind}
    return KnowledgeBase(path=path, version=version, title=title, **collections)  # type: ignore[arg-type]


def build(data: Any, path: str, text: str | None = None) -> KnowledgeBase:
    """Validate plain data (as parsed from YAML) into a KnowledgeBase.

    ``text`` is the file's text, used only to locate problems by line.
    """
    validator = _Validator(path)
    records = validator.run(data)
    if validator.problems:
        problems = validator.problems
        if text is not None:
            problems = locate(text, problems, validator.paths)
            # file order reads best; problems without a line (file-level) first
            problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
        if validator.dropped:
            problems.append(Problem(
                f"{validator.dropped} more problem(s) not shown (at most {schema.MAX_PROBLEMS} are reported)",
                path, hint="fix these first, then check again",
            ))
        raise KnowledgeBaseError(problems, validator.dropped)
    return _build(path, SCHEMA_VERSION, data.get("title"), records)


# --------------------------------------------------------------------------
# Public entry points


def bundled_path() -> Path:
    """The bundled knowledge base: inside the package when installed from a
    wheel, at the repository's data/ in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "data" / "positions.yaml"
    return inside if inside.exists() else package.parent / "data" / "positions.yaml"


def resolve_path(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """--kb wins over POLICYX_KB, which wins over the bundled file (an empty
    POLICYX_KB counts as unset, as shells use it; an empty --kb is a mistake)."""
    if option is not None:
        if not option:
            from .errors import UsageError

            raise UsageError("--kb needs the path of a knowledge base file; it was given an empty one")
        return Path(option)
    env = environ.get("POLICYX_KB")
    if env:
        return Path(env)
    return bundled_path()


def display_path(path: Path) -> str:
    return str(path)


def load(path: Path | str) -> KnowledgeBase:
    """Read and validate a knowledge base file. Raises KnowledgeBaseError."""
    path = Path(path)
    shown = display_path(path)
    return load_text(_read_text(path), shown)


def load_text(text: str, path: str = "<string>") -> KnowledgeBase:
    """Parse and validate knowledge base text; ``path`` is only used in messages."""
    try:
        data = parse_yaml(text, path)
    except KnowledgeBaseError as exc:
        raise KnowledgeBaseError([_with_entry(p, text) for p in exc.problems]) from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        # last line of defence against a PyYAML constructor we have not seen fail yet
        raise KnowledgeBaseError([Problem(f"YAML that cannot be read as data ({type(exc).__name__}: {exc})",
                                          path, hint="simplify the YAML: plain mappings, lists and text")]) from None
    return build(data, path, text)


def source_path(kb: KnowledgeBase, source: Source) -> Path | None:
    if source.file is None:
        return None
    return Path(kb.path).parent / source.file


def read_source_text(kb: KnowledgeBase, source: Source) -> str:
    """The text of a source file, for quote checks. Raises KnowledgeBaseError."""
    path = source_path(kb, source)
    if path is None:
        raise KnowledgeBaseError([Problem(f"source {source.id!r} has no 'file'", kb.path, entry=source.id)])
    try:
        return _read_text(path)
    except KnowledgeBaseError as exc:
        problem = exc.problems[0]
        # _read_text words its errors for a knowledge base file; this is a source's text
        message, hint = _SOURCE_FILE_ERRORS.get(problem.message, (problem.message, problem.hint))
        if problem.message == "no such file" and "\\" in (source.file or ""):
            hint = "write '/' between folders, also on Windows (e.g. 'sources/report.txt'): " + _RELATIVE
        if problem.line is not None:  # a place in the source's text, not in the knowledge base
            message += f" at line {problem.line}, column {problem.column}"
        raise KnowledgeBaseError([
            Problem(f"source {source.id!r}: file {problem.path} {message}", kb.path,
                    entry=source.id, hint=hint, field="file")
        ]) from None


_RELATIVE = "it is relative to the knowledge base file's folder"
_SOURCE_FILE_ERRORS: dict[str, tuple[str, str]] = {
    "no such file": ("does not exist", f"fix the source's 'file': {_RELATIVE}"),
    "is a directory, not a knowledge base file": (
        "is a directory", f"'file' names the source's text file, not a folder: {_RELATIVE}"),
    "is a binary file, not YAML text": (
        "is a binary file", "'file' names the source's plain text, saved as UTF-8 (not a PDF or Word file)"),
}
