"""policyx's own parser of the common subset of Argdown, for when the Argdown CLI is not installed.

It writes the same JSON as ``argdown json`` (the parts
:mod:`policyx.importers.argdown` reads), for this subset of the syntax:

- headings ``# Title`` (sections, nested by level), YAML front matter between
  ``===`` lines (skipped), comments ``<!-- -->``, ``/* */`` and ``//`` (to the end of the line);
- statements ``[Title]: text`` (and references ``[Title]``), untitled
  paragraphs, arguments ``<Title>: text`` (and references ``<Title>``);
- relations indented under what they answer: ``+`` ``-`` ``_`` (incoming
  support, attack, undercut; also ``<+`` ``<-`` ``<_``), ``+>`` ``->`` ``_>``
  (outgoing), ``><`` (contradictory), nested to any depth;
- premise-conclusion structures: ``(1) text`` lines after an argument's title,
  ``--`` / ``----`` / ``-- rule --`` inference lines;
- text: tags ``#tag`` ``#(two words)``, ``**bold**`` ``__bold__`` ``*italic*``
  ``_italic_`` and ``[links](url)`` (kept as their words), backslash escapes,
  Argdown's special characters (``:heart:`` or ``.heart.`` becomes ❤, ``.->.`` →:
  the shortcodes of Argdown 1.7.5, others stay as written), trailing ``{data}``;
  text continues over the lines that follow. Tag ranges count UTF-16 code units, as
  Argdown's (JavaScript's) do.

Not read (the Argdown CLI reads them): statement numbering in relation trees, the
configuration in front matter (and shortcodes it defines).
"""

from __future__ import annotations

import re
from typing import Any

from ..kb.struct import dataclass, field

# Every pattern here scans at most to the next place where another match of its own could start
# (a link's text stops at '[', its URL at '[' and spaces, a tag's words at '#'), so that reading
# a text is linear in its length whatever it holds ('[' 200,000 times, '/*' never closed).
_COMMENTS = (("<!--", "-->"), ("/*", "*/"))
_LINE_COMMENT = re.compile(r"(?:^|(?<=\s))//.*$", re.M)  # not the // of a URL
_HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
_RELATION = re.compile(r"(\+>|->|_>|<\+|<-|<_|><|\+|-|_)[ \t]+(.*)")
_ELEMENT = re.compile(r"(\[([^\]\n]+)\]|<([^>\n]+)>)(?::[ \t]*(.*)|[ \t]*\Z)")
_PCS = re.compile(r"\((\d+)\)[ \t]+(.*)")
_TOKEN = re.compile(
    r"\\(?P<escaped>.)"
    r"|(?P<tag>#\([^)#\n]*\)|#[\w-]+)"
    r"|\[(?P<link>[^\[\]\n]*)\]\([^)\[\s]*\)"
    r"|(?P<bold>\*\*|__)"
    r"|(?P<italic>(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*]))"
    r"|(?P<special>\.\S+?\.|:\S+?:)",  # a '.' or ':' run ends at the next of its kind
    re.S,
)

# Argdown's special characters (@argdown/core 1.7.5, plugins/shortcodes.js): ".name." and
# ":name:" give the same character, except where the second column differs.
_SHORTCODES_BOTH: dict[str, str] = {
    "A": "∀", "E": "∃", "O": "\U0001d5e2", "P": "\U0001d5e3", "->": "→", "<->": "↔", "~": "¬",
    "^": "∧", "v": "∨", "v_": "⊻", "<>": "◇", "[]": "◻", "happy": "😀", "smiley": "☺", "laugh": "😆",
    "lol": "😆", "rofl": "🤣", "joy": "😂", "heart": "❤", "?": "❓", "question": "❓", "love": "😍",
    "wink": "😉", "shush": "🤫", "meh": "😐", "eye-roll": "🙄", "sad": "😢", "disappointed": "😞",
    "scream": "😱", "+1": "👍", "up": "👍", "-1": "👎", "down": "👎", "think": "🤔", "star": "⭐",
    "y": "✔", "agree": "✔", "n": "❌", "disagree": "❌",
}
SHORTCODES: dict[str, str] = {
    **{f"{mark}{name}{mark}": char for name, char in _SHORTCODES_BOTH.items() for mark in ".:"},
    ":smile:": "☺\ufe0f", ".smile.": "☺",
}


def utf16_length(text: str) -> int:
    """``len(text)`` in JavaScript: characters beyond U+FFFF count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if char > "\uffff")

# relation marker -> (type, whether it points from the child to its parent)
_MARKERS: dict[str, tuple[str, bool]] = {
    "+": ("support", True), "<+": ("support", True), "-": ("attack", True), "<-": ("attack", True),
    "_": ("undercut", True), "<_": ("undercut", True),
    "+>": ("support", False), "->": ("attack", False), "_>": ("undercut", False), "><": ("contradictory", False),
}


def _is_inference(line: str) -> bool:
    """``--``, ``----`` or ``-- rule --`` (a line stripped of its indent)."""
    line = line.rstrip(" \t")
    return line.startswith("--") and (not line.strip("-") or (len(line) >= 4 and line.endswith("--")))


def _without_data(raw: str) -> str:
    """``raw`` without a trailing ``{data}`` (and the spaces around it)."""
    end = raw.rstrip()
    start = end.rfind("{")
    if not end.endswith("}") or start < 0 or "}" in end[start + 1:-1]:
        return raw
    return raw[:start].rstrip()


def _strip_comments(text: str) -> str:
    """``text`` with its ``<!-- -->`` and ``/* */`` comments replaced by the newlines they held
    (the first comment to open wins; an opening never closed is text), in one pass."""
    out: list[str] = []
    at = 0
    opened = {start: text.find(start) for start, _ in _COMMENTS}
    while True:
        live = [(where, start, end) for start, end in _COMMENTS if (where := opened[start]) >= 0]
        if not live:
            break
        where, start, end = min(live)
        close = text.find(end, where + len(start))
        if close < 0:  # never closed: neither is any later one of this kind
            opened[start] = -1
            continue
        close += len(end)
        out += (text[at:where], "\n" * text.count("\n", where, close))
        at = close
        for kind, _ in _COMMENTS:
            if 0 <= opened[kind] < at:
                opened[kind] = text.find(kind, at)
    out.append(text[at:])
    return "".join(out)


def read_text(raw: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    """(text, tag ranges, tags) of a statement's raw text, as the Argdown CLI gives them."""
    raw = _without_data(raw)
    out: list[str] = []
    ranges: list[dict[str, Any]] = []
    tags: list[str] = []
    length = 0
    at = 0
    for match in _TOKEN.finditer(raw):
        out.append(raw[at:match.start()])
        length += utf16_length(raw[at:match.start()])
        at = match.end()
        if match.group("escaped") is not None:
            piece = match.group("escaped")
        elif match.group("tag") is not None:
            piece = match.group("tag")
            tag = piece[2:-1] if piece.startswith("#(") else piece[1:]
            spaced = raw[match.end():match.end() + 1] in (" ", "\t")  # Argdown's tag token takes one
            stop = length + utf16_length(piece) - (0 if spaced else 1)
            ranges.append({"type": "tag", "start": length, "stop": stop, "tag": tag})
            tags.append(tag)
        elif match.group("link") is not None:
            piece = match.group("link")
        elif match.group("special") is not None:
            piece = SHORTCODES.get(match.group("special"), match.group("special"))
        else:
            piece = ""
        out.append(piece)
        length += utf16_length(piece)
    out.append(raw[at:])
    return "".join(out), ranges, list(dict.fromkeys(tags))


@dataclass
class _Member:
    kind: str  # "s" | "a"
    title: str
    role: str
    line: int
    column: int
    section: str | None
    raw: list[str] = field(default_factory=list)
    reference: bool = False
    argument: str | None = None  # for statements in a premise-conclusion structure


class _Parser:
    def __init__(self) -> None:
        self.statements: dict[str, dict[str, Any]] = {}
        self.arguments: dict[str, dict[str, Any]] = {}
        self.relations: list[dict[str, Any]] = []
        self.sections: list[dict[str, Any]] = []
        self.section_stack: list[dict[str, Any]] = []
        self.members: list[_Member] = []
        self.untitled = 0
        self.headings = 0
        self.tags: dict[tuple[str, str], set[str]] = {}

    @property
    def section(self) -> str | None:
        return self.section_stack[-1]["id"] if self.section_stack else None

    def heading(self, level: int, raw: str, line: int) -> None:
        text, ranges, tags = read_text(raw.strip())
        self.headings += 1
        section = {"type": "section", "id": f"s{self.headings}", "level": level,
                   "title": text.strip(), "children": [], "ranges": ranges, "tags": tags, "startLine": line}
        while self.section_stack and self.section_stack[-1]["level"] >= level:
            self.section_stack.pop()
        (self.section_stack[-1]["children"] if self.section_stack else self.sections).append(section)
        self.section_stack.append(section)

    def element(self, text: str, role: str, line: int, column: int) -> _Member:
        """A statement or argument from ``[T]: text``, ``<T>``, ``plain text``..."""
        match = _ELEMENT.match(text)
        if match is None:
            self.untitled += 1
            member = _Member("s", f"Untitled {self.untitled}", role, line, column, self.section, [text])
        else:
            kind = "s" if match.group(2) is not None else "a"
            title = (match.group(2) or match.group(3) or "").strip()
            body = match.group(4)
            member = _Member(kind, title, "argument-description" if kind == "a" else role, line, column,
                             self.section, [body] if body is not None else [], reference=body is None)
        self.members.append(member)
        return member

    def pcs_statement(self, text: str, argument: str, line: int, column: int) -> _Member:
        member = self.element(text, "premise", line, column)
        if member.kind == "a":  # "(1) <X>" is no statement: read it as text
            self.members.pop()
            self.untitled += 1
            member = _Member("s", f"Untitled {self.untitled}", "premise", line, column, self.section, [text])
            self.members.append(member)
        member.argument = argument
        member.reference = False
        return member

    def relate(self, kind: str, source: _Member, target: _Member) -> None:
        types = {"s": "equivalence-class", "a": "argument"}
        self.relations.append({"type": "relation", "relationType": kind, "from": source.title,
                               "fromType": types[source.kind], "to": target.title, "toType": types[target.kind]})

    def finish(self, pcs: dict[str, list[_Member]], inferences: dict[str, list[int]]) -> dict[str, Any]:
        for title, statements in pcs.items():
            after = inferences.get(title, [])
            for index, member in enumerate(statements):
                if after and index == len(statements) - 1:
                    member.role = "main-conclusion"
                elif index in after:
                    member.role = "intermediary-conclusion"
        for member in self.members:
            text, ranges, tags = read_text(" ".join(part.strip() for part in member.raw)) if member.raw \
                else ("", [], [])
            record: dict[str, Any] = {"type": "statement", "role": member.role, "title": member.title,
                                      "text": text.strip(), "ranges": ranges, "tags": tags,
                                      "startLine": member.line, "startColumn": member.column,
                                      "section": member.section}
            if member.reference:
                record["isReference"] = True
            if member.argument is not None:
                record["argumentTitle"] = member.argument
            collection = self.statements if member.kind == "s" else self.arguments
            element = collection.setdefault(member.title, {
                "type": "equivalence-class" if member.kind == "s" else "argument", "title": member.title,
                "members": [], "relations": [], "tags": [], "section": member.section, "pcs": [],
            })
            element["members"].append(record)
            known = self.tags.setdefault((member.kind, member.title), set())
            for tag in tags:  # the element's tags: each once, in order of first use
                if tag not in known:
                    known.add(tag)
                    element["tags"].append(tag)
            if member.kind == "s" and member.role == "top-level-statement":
                element["isUsedAsTopLevelStatement"] = True
            if member.kind == "s" and member.role == "relation-statement":
                element["isUsedAsRelationStatement"] = True
            if member.argument is not None and member.argument in self.arguments:
                self.arguments[member.argument]["pcs"].append(record)
        for statement in self.statements.values():
            statement.pop("pcs")
        return {"statements": self.statements, "arguments": self.arguments, "relations": self.relations,
                "sections": self.sections}


def parse(text: str) -> dict[str, Any]:
    """The JSON ``argdown json`` would write for ``text`` (the subset in this module's docstring)."""
    text = _strip_comments(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINE_COMMENT.sub("", text)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "===":  # YAML front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "==="), None)
        start = end + 1 if end is not None else 0
    parser = _Parser()
    stack: list[tuple[int, _Member]] = []  # (indent, element) of the relation tree being read
    current: _Member | None = None  # the member whose text a following line continues
    argument: str | None = None  # the argument a premise-conclusion structure would belong to
    pcs: dict[str, list[_Member]] = {}
    inferences: dict[str, list[int]] = {}
    in_pcs = in_inference = False
    for number in range(start, len(lines)):
        line = lines[number].rstrip()
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if in_inference:  # "--", the inference rule over several lines, "--"
            in_inference = not re.fullmatch(r"-{2,}", stripped)
            continue
        if not stripped or stripped.startswith("//"):
            current = None if not stripped else current
            continue
        if indent == 0 and (heading := _HEADING.match(stripped)):
            parser.heading(len(heading.group(1)), heading.group(2), number + 1)
            stack, current, argument, in_pcs = [], None, None, False
            continue
        relation = _RELATION.match(stripped) if indent > 0 else None
        if relation and stack and not (in_pcs and _is_inference(stripped)):
            while len(stack) > 1 and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1]
            child = parser.element(relation.group(2), "relation-statement", number + 1, indent + 1)
            kind, incoming = _MARKERS[relation.group(1)]
            parser.relate(kind, child, parent) if incoming else parser.relate(kind, parent, child)
            stack.append((indent, child))
            current = child
            continue
        if indent > 0 and current is not None:
            current.raw.append(stripped)
            continue
        if argument is not None and (pcs_line := _PCS.match(stripped)):
            member = parser.pcs_statement(pcs_line.group(2), argument, number + 1, indent + 1)
            pcs.setdefault(argument, []).append(member)
            stack, current, in_pcs = [(indent, member)], member, True
            continue
        if in_pcs and argument is not None and _is_inference(stripped):
            inferences.setdefault(argument, []).append(len(pcs.get(argument, [])))
            in_inference, current = stripped == "--", None
            continue
        if current is not None and current.column == 1 and not in_pcs and not _ELEMENT.match(stripped) \
                and current.role in ("top-level-statement", "argument-description"):
            current.raw.append(stripped)  # a paragraph continues
            continue
        member = parser.element(stripped, "top-level-statement", number + 1, indent + 1)
        argument = member.title if member.kind == "a" else None
        in_pcs = False
        stack, current = [(0, member)], member
    return parser.finish(pcs, inferences)
