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

import itertools
import re
from collections.abc import Callable, Iterable

from . import schema
from .errors import KnowledgeBaseError, Problem
from .model import Kind, KnowledgeBase, Source
from .schema import FIELDS, ID_PATTERN, TOP_LEVEL, FieldSpec
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
        return fail(shown, "the path is a directory, not a knowledge base file", "give the path of a .yaml file")
    if isinstance(exc, FileNotFoundError):
        if shown == "-":  # the usual spelling of standard input: not a file name here
            return fail(shown, "no such file", "to read standard input, give --kb /dev/stdin")
        return fail(shown, "no such file", "check the path, --kb and POLICYX_KB")
    if isinstance(exc, PermissionError):
        return fail(shown, "permission denied", "make the file readable")
    return fail(shown, f"cannot be read: {exc.strerror or exc}")


def binary(shown: str) -> KnowledgeBaseError:
    return fail(shown, "the file is binary, not YAML text", "give the path of a .yaml file")


def not_utf8(shown: str, data: bytes, exc: UnicodeDecodeError) -> KnowledgeBaseError:
    """The error of a file that is not UTF-8 text, at the first byte that is not."""
    before = data[: exc.start].decode("utf-8", "replace")
    line, column = line_col(before, len(before))
    byte = data[exc.start: exc.start + 1]
    try:  # the usual culprit: a file saved by a Windows editor
        guess = f", {byte.decode('cp1252')!r} in Windows-1252"
    except UnicodeDecodeError:
        guess = ""
    message = f"the file is not valid UTF-8 text (byte 0x{byte[0]:02x}{guess})"
    return KnowledgeBaseError([Problem(message, shown, line, column, hint="save the file as UTF-8: in most "
                                       "editors, 'Save as' with the encoding 'UTF-8'")])


def too_large(shown: str, size: int | None) -> KnowledgeBaseError:
    what = f"is {size} bytes" if size is not None else "is larger than the limit"
    return fail(shown, f"{what}; the limit for a knowledge base is {_size(schema.MAX_FILE_BYTES)}",
                "split it into several knowledge bases")


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count} bytes" + (f" ({count // mib} MiB)" if count >= mib and count % mib == 0 else "")


_RELATIVE = "it is relative to the knowledge base file's folder"
_SOURCE_FILE_ERRORS: dict[str, tuple[str, str]] = {
    "no such file": ("does not exist", f"fix the source's 'file': {_RELATIVE}"),
    "the path is a directory, not a knowledge base file": (
        "is a directory", f"'file' names the source's text file, not a folder: {_RELATIVE}"),
    "the file is binary, not YAML text": (
        "is a binary file", "'file' names the source's plain text, saved as UTF-8 (not a PDF or Word file)"),
}


def source_file_problem(kb_path: str, source: Source, problem: Problem) -> Problem:
    """A problem of reading a knowledge base file, reworded for a source's text file."""
    # the knowledge base's wording names "the file" as its subject: here the subject is the source's file
    message, hint = _SOURCE_FILE_ERRORS.get(problem.message, (problem.message.removeprefix("the file "), problem.hint))
    if problem.message == "no such file" and "\\" in (source.file or ""):
        hint = "write '/' between folders, also on Windows (e.g. 'sources/report.txt'): " + _RELATIVE
    if problem.line is not None:  # a place in the source's text, not in the knowledge base
        message += f" at line {problem.line}, column {problem.column}"
    return Problem(f"source {source.id!r}: file {problem.path} {message}", kb_path,
                   entry=source.id, hint=hint, field="file")


# --------------------------------------------------------------------------
# YAML past the limits


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
    close = "]" if "sequence" in e.context else "}"
    where = f"line {e.mark.line + 1}, column {e.mark.column + 1}" if e.mark is not None else "the end"
    message = f"unclosed '{'[' if close == ']' else '{'}': expected ',' or '{close}' at {where}"
    return message, f"close it with '{close}', and separate items with ','", e.opened


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


from .yamlhints import missing_colon  # noqa: E402  (a rule of its own module: this one is full)

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


def _entry_at(text: str, line: int, column: int | None) -> tuple[Kind, int, str | None] | None:
    """The entry (collection, index, id if known) holding ``line:column``, from the YAML events."""
    yaml = yaml_module()
    target = (line - 1, (column or 1) - 1)
    walk = _EntryWalk(yaml)
    found: tuple[str, int] | None = None
    try:
        for event in yaml.parse(text, Loader=safe_loader()):
            if found is None and (event.start_mark.line, event.start_mark.column) > target:
                found = walk.entry()
                if found is None:
                    break
            if found is not None and walk.entry() != found:
                break  # past the end of the entry
            walk.step(event)
    except yaml.YAMLError:
        pass
    found = found or walk.entry()
    kinds = {kind.value: kind for kind in Kind}
    if found is None or found[0] not in kinds:
        return None
    return kinds[found[0]], found[1], walk.ids.get(found)


class _Frame:
    """An open collection, while walking the events."""

    __slots__ = ("mapping", "key", "at_key", "items")

    def __init__(self, mapping: bool) -> None:
        self.mapping = mapping
        self.key: Any = None  # a mapping's current key
        self.at_key = mapping  # a mapping's next scalar is a key
        self.items = 0  # a sequence's items begun so far


class _EntryWalk:
    """Follows YAML events: which entry (collection, index) they are in, and the ids seen."""

    def __init__(self, yaml: Any) -> None:
        self.frames: list[_Frame] = []
        self.ids: dict[tuple[str, int], str] = {}
        self.ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        self.values = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
        self.mapping_start, self.sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent

    def entry(self) -> tuple[str, int] | None:
        """(collection key, index) when inside an entry: a mapping in a list under a top-level key."""
        frames = self.frames
        if len(frames) >= 3 and frames[0].mapping and not frames[1].mapping and frames[2].mapping:
            return (str(frames[0].key), frames[1].items - 1)
        return None

    def step(self, event: Any) -> None:
        if isinstance(event, self.ends):
            self.frames.pop()
        elif isinstance(event, self.values):
            if self.frames:
                self._fill(self.frames[-1], getattr(event, "value", None))
            if isinstance(event, (self.mapping_start, self.sequence_start)):
                self.frames.append(_Frame(isinstance(event, self.mapping_start)))

    def _fill(self, top: _Frame, value: Any) -> None:
        if not top.mapping:
            top.items += 1
        elif top.at_key:
            top.key, top.at_key = value, False
        else:
            top.at_key = True
            where = self.entry()
            if len(self.frames) == 3 and top.key == "id" and isinstance(value, str) and where is not None:
                self.ids[where] = value


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
    collection = _last_match(re.compile(_COLLECTION_START), text, 0, line_end)
    last = _last_match(re.compile(_ENTRY_START), text, collection.end() if collection else 0, line_end)
    if where is None:
        if collection is None or last is None or not re.compile(_IN_ENTRY).match(text, line_start):
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


# The patterns of the raw lines are compiled where they are used (re keeps them
# compiled): they serve the error path, which a start-up with a valid file never takes.
_IN_ENTRY = r"[ \t]|-[ \t]"  # how a line inside a collection starts
#: top-level keys no entry has as a field ('name:' and 'title:' indented are an entry's fields)
_MOVED_TOP_LEVEL = r"^[ \t]+(" + "|".join(
    key for key in TOP_LEVEL if all(spec.name != key for specs in FIELDS.values() for spec in specs)) + r"):"
_COLLECTION_START = r"(?m)^(" + "|".join(kind.value for kind in Kind) + r"):"
_ENTRY_START = r"(?m)^[ \t]*-[ \t]+id:[ ]*[\"']?([a-z0-9-]+)"


# --------------------------------------------------------------------------
# Where a problem is: its key path -> a line and column


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
# Text that YAML reads as a comment


#: `claim: Fix #1 first` is read by YAML as `claim: Fix` plus a comment: a plain (unquoted)
#: text value ends at the first ' #'. Found on the raw lines, as comments never reach the data.
_COMMENT_CUT = (
    r"(?m)^[ ]*(?:-[ ]+)?(quote|claim|text|note|title|name|summary|description|author|event):[ \t]+"
    # one space, then '#' and a word ("the #1 priority", "#MeToo"): a comment written on
    # purpose ("text  # why") usually has two spaces before and one after the '#'
    r"[^\s\"'|>&!*\[\]{}#%@`,?:-][^\n]*?[^ \t][ ](#)(?=[^\s#])"
)


def comment_cut_problems(kb: KnowledgeBase, text: str) -> list[Problem]:
    """Warnings for text fields that a ' #' cut short (see _COMMENT_CUT), at most
    schema.MAX_PROBLEMS. The entry is the nearest '- id:' above: one pass over the text,
    however large the file."""
    import bisect

    starts: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in re.finditer(_ENTRY_START, text)]
    problems = []
    for match in itertools.islice(re.finditer(_COMMENT_CUT, text), schema.MAX_PROBLEMS):
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


# --------------------------------------------------------------------------
# Wording shared by the validators


#: how close a choice must be to be suggested (difflib's ratio)
CUTOFF = 0.6


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` closest to ``word`` in spelling, if any is close enough."""
    import difflib  # here, not at the top: only mistakes need it (start-up time)

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    match = closest(word, choices)
    return f"did you mean {match!r}?" if match is not None else None


#: Words people write for a choice, and the choice they mean: spelling alone would suggest
#: 'practical' for 'factual', or nothing for 'unanimous'.
SYNONYMS: dict[str, str] = {
    # claim types
    "factual": "empirical", "fact": "empirical", "facts": "empirical", "evidence": "empirical",
    "statistical": "empirical", "descriptive": "empirical", "observational": "empirical",
    "moral": "normative", "ethical": "normative", "value": "normative", "values": "normative",
    "prescriptive": "normative", "evaluative": "normative",
    "definition": "definitional", "conceptual": "definitional", "semantic": "definitional",
    "prediction": "predictive", "forecast": "predictive", "speculative": "predictive",
    "pragmatic": "practical", "feasibility": "practical", "policy": "practical",
    # agreement levels
    "unanimous": "consensus", "unanimity": "consensus", "agreed": "consensus",
    "wide": "broad", "widespread": "broad", "majority": "broad", "most": "broad", "general": "broad",
    "split": "divided", "mixed": "divided", "contested": "divided", "disagreement": "divided",
    "single": "individual", "minority": "individual", "personal": "individual",
    # stances
    "pro": "for", "support": "for", "supports": "for", "con": "against", "attack": "against", "attacks": "against",
    # how many an actor stands for
    "many": "several", "some": "several", "group": "whole-group", "all": "whole-group", "everyone": "whole-group",
}


def suggest_choice(word: str, choices: Iterable[str]) -> str | None:
    """'did you mean ...?' for a value that is not one of ``choices``: a word people use for
    one of them (``factual`` -> ``empirical``), else the closest spelling; None if neither."""
    allowed = list(choices)
    meant = SYNONYMS.get(word.strip().lower())
    if meant in allowed:
        return f"did you mean {meant!r}?"
    return did_you_mean(word, allowed)


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
