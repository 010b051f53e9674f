"""Where a problem is: the entry a YAML error sits in (:func:`with_entry`), and the line and
column of a key path such as ``arguments[3].for`` (:func:`locate`, composing the text a second
time). Error path only: a valid file never pays for it.
"""

from __future__ import annotations

import re

from .errors import Problem
from .model import Kind, KnowledgeBase
from .problems import KEY, PathKey
from .schema import ID_PATTERN
from .yamlhints import other_line
from .yamlread import gc_paused, safe_loader, yaml_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any




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
    last = _last_match(re.compile(ENTRY_START), text, collection.end() if collection else 0, line_end)
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
_COLLECTION_START = r"(?m)^(" + "|".join(kind.value for kind in Kind) + r"):"
ENTRY_START = r"(?m)^[ \t]*-[ \t]+id:[ ]*[\"']?([a-z0-9-]+)"


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
                other_line(root, problem.message, _node_at), problem.path, mark.line + 1, mark.column + 1,
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


