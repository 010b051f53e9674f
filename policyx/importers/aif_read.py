"""Reading AIF JSON: the file's structure checked, its ids as text, and who said what.

:func:`read_map` checks one file and returns its nodes, edges, locutions and
participants; :func:`speaker_words` splits an L-node's text into its speaker and
words (``"Name : words"``, ``"Name :words"``, ``"Name: words"``, nested
prefixes, ``"Name says 'words'"``). :mod:`policyx.importers.aif` converts.
"""

from __future__ import annotations

import re
from typing import Any

from ..kb.struct import dataclass, field
from .common import clean, fail, kind_of_value, one_line

#: a person's name: up to four words, each capitalised ("Ben Unknown", "CL", "Dr. O'Neill")
_NAME = re.compile(r"[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}")

# "Name : words" or "Name: words": a speaker's name is short and is no sentence.
# ("Name :words", AIFdb's spacing with the space lost after the colon, too)
_PREFIX = re.compile(r"\s*([^:\n?!\"\u201c\u201d]{1,60}?)(\s?):(?:[ \t]+|(?<=\s:)(?=\S))")
# "Name says 'words'": a locution that reports its speaker in the third person
_SAYS = re.compile(r"\s*([A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}) says:?[ \t]*(['\"\u2018\u201c])(.*?)"
                   r"['\"\u2019\u201d]?[ \t]*\Z", re.S)


@dataclass(slots=True)
class Node:
    key: str
    id: str
    type: str
    text: str
    file: str
    order: int
    #: the scheme an S-node names beside its text (AIFdb's ``scheme``), when it is text
    scheme: str | None = None


@dataclass
class Map:
    """One AIF file, checked and with its ids as text."""

    name: str
    nodes: dict[str, Node]
    edges: list[tuple[str, str, str]]  # (edge id, from id, to id)
    persons: dict[str, str]  # L-node (or I-node) id -> personID
    names: dict[str, str]  # personID -> name
    missing: list[tuple[str, str]] = field(default_factory=list)  # (edge id, node id it names)
    warnings: list[str] = field(default_factory=list)  # what the summary says about the file


def is_aif(data: Any) -> bool:
    return isinstance(unwrap(data), dict) and "nodes" in unwrap(data)


def unwrap(data: Any) -> Any:
    """AIF itself, also inside OVA's and AIFdb's wrappers ({"AIF": {...}, "text": ...})."""
    if isinstance(data, dict) and "nodes" not in data:
        for key in ("AIF", "aif"):
            if isinstance(data.get(key), dict):
                return data[key]
    return data


def as_id(value: Any) -> str | None:
    if type(value) is str:  # the usual case first (a file has tens of thousands of ids)
        return value.strip() or None
    if type(value) is int:
        return str(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float, str)):
        text = str(value).strip()
        return text or None
    return None


def read_map(name: str, data: Any) -> Map:
    """Check one file's structure; raise a located error when it cannot be a map."""
    data = unwrap(data)
    if not isinstance(data, dict) or "nodes" not in data:
        raise fail(name, "is JSON but not AIF: it has no 'nodes'", "give an AIF file (nodes, edges)")
    if not isinstance(data["nodes"], list):
        raise fail(name, "'nodes' is not a list", "give the nodes as a list of {\"nodeID\", \"type\", \"text\"}")
    nodes: dict[str, Node] = {}
    warnings: list[str] = []
    for index, raw in enumerate(data["nodes"]):
        if not isinstance(raw, dict):
            raise fail(name, f"nodes[{index}] is not an object", "each node is {\"nodeID\", \"type\", \"text\"}")
        node_id = as_id(raw.get("nodeID", raw.get("id")))
        if node_id is None:
            raise fail(name, f"nodes[{index}] has no nodeID", "give every node a nodeID (a number or a text)")
        kind, text = raw.get("type"), raw.get("text")
        if type(kind) is not str or type(text) is not str:  # (both text: the usual case, no check)
            for key in ("type", "text"):
                odd = kind_of_value(raw.get(key))
                if odd is not None and odd.startswith("the number "):  # a number's digits are its text
                    warnings.append(f"{name}: node {node_id!r}: its {key!r} is {odd}, read as its digits")
                elif odd is not None:
                    raise fail(name, f"node {node_id!r} (nodes[{index}]): its {key!r} is {odd}, not text",
                               f"give every node's {key!r} as a JSON string", entry=node_id)
        scheme = raw.get("scheme")
        node = Node(node_id, node_id, clean(kind).strip().upper() or "?", clean(text), name, index,
                    one_line(scheme) or None if type(scheme) is str else None)
        earlier = nodes.get(node_id)
        if earlier is not None:
            if (earlier.type, earlier.text) != (node.type, node.text):
                raise fail(name, f"node {node_id!r} is defined twice, as {earlier.type} "
                           f"{_short(earlier.text)!r} and as {node.type} {_short(node.text)!r}",
                           "give each node its own nodeID", entry=node_id)
            continue  # an exact duplicate (counted by the caller as such)
        nodes[node_id] = node
    edges: list[tuple[str, str, str]] = []
    missing: list[tuple[str, str]] = []
    raw_edges = data.get("edges", [])
    if not isinstance(raw_edges, list):
        raise fail(name, "'edges' is not a list", "give the edges as a list of {\"fromID\", \"toID\"}")
    for index, raw in enumerate(raw_edges):
        if not isinstance(raw, dict):
            raise fail(name, f"edges[{index}] is not an object", "each edge is {\"fromID\", \"toID\"}")
        edge_id = as_id(raw.get("edgeID")) or f"#{index + 1}"
        ends = (as_id(raw.get("fromID")), as_id(raw.get("toID")))
        absent = [end if end is not None else "(none)" for end in ends if end not in nodes]
        if absent:
            missing.append((edge_id, absent[0]))
            continue
        edges.append((edge_id, ends[0], ends[1]))  # type: ignore[arg-type]
    persons: dict[str, str] = {}
    for raw in data.get("locutions") or ():
        if isinstance(raw, dict):
            node_id, person = as_id(raw.get("nodeID")), as_id(raw.get("personID"))
            if node_id is not None and person is not None:
                persons.setdefault(node_id, person)
    names: dict[str, str] = {}
    for raw in data.get("participants") or ():
        if isinstance(raw, dict):
            person = as_id(raw.get("participantID", raw.get("personID")))
            full = one_line(" ".join(clean(raw.get(k)) for k in ("firstname", "surname")))
            if person is not None and full:
                names[person] = full
    return Map(name, nodes, edges, persons, names, missing, warnings)


def _short(text: str, width: int = 40) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def group_maps(maps: list[Map]) -> list[list[int]]:
    """Files that hold the same I- or L-node (same id, type and text) are one map."""
    parent = list(range(len(maps)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str, str], int] = {}
    for index, one in enumerate(maps):
        for node in one.nodes.values():
            if node.type in ("I", "L") and node.text.strip():
                signature = (node.id, node.type, node.text)
                if signature in seen:
                    parent[root(index)] = root(seen[signature])
                else:
                    seen[signature] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(maps)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values())


def prefixes(text: str) -> tuple[list[str], list[str], list[str]]:
    """The speaker prefixes of an L-node's text (outermost first), whether each was
    written AIFdb's way (``Name : ``), and the words after each of them."""
    names: list[str] = []
    spaced: list[str] = []
    after: list[str] = []
    rest = text
    for _ in range(4):
        match = _PREFIX.match(rest) if ":" in rest else None  # (a prefix ends in a colon: most words have none)
        if match is None or len(match.group(1).split()) > 6:
            break
        names.append(match.group(1).strip())
        spaced.append(match.group(2))
        rest = rest[match.end():]
        after.append(rest)
    return names, spaced, after


def speaker_words(text: str, known: set[str], participant: str | None,
                  found: tuple[list[str], list[str], list[str]] | None = None) -> tuple[str | None, str]:
    """(the speaker, the words) of an L-node's text.

    The first prefix is always the speaker's (every L-node starts so); a further
    one is taken off only when it names a speaker too (the map's participants,
    or the first prefix of another L-node) or is a name written AIFdb's way,
    ``Name : `` (capitalised words). ``"M: CL : words"`` is CL's;
    ``"CL : Note: this"`` keeps ``Note: this``, ``"CL : it is 3 : 1"`` keeps ``it is 3 : 1``.
    ``found`` is :func:`prefixes` of the text, when the caller has it already.
    """
    if participant and text.lstrip().startswith(participant + ":"):  # the participant's own name, however long
        return participant, text.lstrip()[len(participant) + 1:].strip()
    names, spaced, after = found if found is not None else prefixes(text)
    take = 0
    for index, name in enumerate(names):
        if index == 0 or name in known or name == participant or (spaced[index] and _NAME.fullmatch(name)):
            take = index + 1
        else:
            break
    rest = after[take - 1] if take else text
    speaker = participant or (names[take - 1] if take else None)
    if not take:
        says = _SAYS.match(rest)
        if says is not None and says.group(3).strip():
            return participant or says.group(1), says.group(3).strip()
    return speaker, rest.strip()
