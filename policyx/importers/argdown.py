"""Argdown (argdown.org) -> a policyx knowledge base.

Reads the JSON the Argdown CLI writes (``argdown json``: ``statements``,
``arguments``, ``relations``, ``sections``). An ``.argdown`` document is read
through the Argdown CLI when it is installed, else through policyx's own
parser of the common subset (:mod:`policyx.importers.argdown_text`), which
writes the same JSON. The mapping (docs/import.md gives the reasons):

- statements and arguments become entries; one that bears on nothing is a
  position, of the question its heading (section) asks, or of the document's;
- relations: ``support`` (and ``entails``) -> ``for``; ``attack``,
  ``undercut``, ``contrary`` -> ``against``; ``contradictory`` -> ``against``
  both ways;
- a statement that only serves inside an argument's premise-conclusion
  structure is that argument (its relations are the argument's, as Argdown's
  own map draws them), and the structure is kept in the argument's note;
- untitled statements with no relation are prose (Argdown's map leaves them
  out too): they stay in the source text, not in the entries;
- tags carry over (taken off the claim's text); the document's text, as
  Argdown reads it (markup resolved), is the source the quotes come from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePath
from typing import Any

from .argdown_tags import strip_tags
from .common import Builder, clean, fail, one_line
from .graphplace import place
from .shape import Claim, Graph, Relation

STANCES: dict[str, tuple[str, ...]] = {
    "support": ("for",), "entails": ("for",),
    "attack": ("against",), "undercut": ("undercuts",), "contrary": ("against",),
    "contradictory": ("against", "against-back"),
}
_AUTO_TITLE = re.compile(r"Untitled \d+\Z")
_INSIDE = ("premise", "main-conclusion", "intermediary-conclusion")

#: How to install the Argdown CLI, said when it is missing.
INSTALL = "npm install -g @argdown/cli"


def is_argdown_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("statements"), dict) \
        and isinstance(data.get("arguments"), dict)


# --------------------------------------------------------------------------
# The Argdown CLI


def find_cli(environ: dict[str, str] | None = None) -> str | None:
    """The Argdown CLI: ``$POLICYX_ARGDOWN`` (``builtin`` turns it off), ``argdown`` on
    PATH, or the copy ``npm ci --prefix tools`` installs in a source checkout."""
    env = os.environ if environ is None else environ
    chosen = env.get("POLICYX_ARGDOWN")
    if chosen is not None:
        return None if chosen in ("", "builtin") else chosen
    found = shutil.which("argdown")
    if found:
        return found
    checkout = Path(__file__).resolve().parents[2] / "tools" / "node_modules" / ".bin" / "argdown"
    return str(checkout) if checkout.exists() else None


def run_cli(cli: str, text: str, name: str) -> Any:
    """The JSON the Argdown CLI makes of ``text``. Raises a located error if it fails."""

    with tempfile.TemporaryDirectory(prefix="policyx-argdown-") as folder:
        document = Path(folder) / "document.argdown"
        document.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run(
                [cli, "json", str(document), folder], capture_output=True, text=True, timeout=300,
                check=False, env={**os.environ, "NO_COLOR": "1"},
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise fail(name, f"the Argdown CLI ({cli}) could not be run: {exc}",
                       "set POLICYX_ARGDOWN=builtin to use policyx's own parser") from None
        out = Path(folder) / "document.json"
        if done.returncode != 0 or not out.exists():
            said = next((line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()), "")
            raise fail(name, f"the Argdown CLI could not read it: {said or f'exit status {done.returncode}'}",
                       "fix the Argdown syntax (argdown.org/syntax)")
        return json.loads(out.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# Argdown JSON -> entries


def _text(member: dict[str, Any]) -> str:
    return clean(member.get("text")) if not member.get("isReference") else ""


#: How policyx's Argdown export writes a ')' inside a bracketed tag, which Argdown cannot escape
#: (policyx.output.argdown.TAG_PAREN): read back as ')'.
TAG_PAREN = "\ufe5a"


def _tag(value: Any) -> str:
    return clean(value).replace(TAG_PAREN, ")")


def _from_utf16(text: str, offsets: set[int]) -> list[int]:
    """The indexes in ``text`` of the characters at UTF-16 ``offsets`` (an emoji beyond U+FFFF
    counts twice there), in one pass over the text."""
    if text.isascii() or max(text) <= "\uffff":
        return list(offsets)
    wanted = sorted(offsets)
    found: list[int] = []
    units = 0
    for index, char in enumerate(text):
        while len(found) < len(wanted) and units >= wanted[len(found)]:
            found.append(index)
        if len(found) == len(wanted):
            return found
        units += 2 if char > "\uffff" else 1
    return found + [len(text)] * (len(wanted) - len(found))


def _strip_tags(member: dict[str, Any]) -> tuple[str, list[str]]:
    """The member's text without its tags (a trailing tag goes, an inline one keeps its
    word), and the tags. Argdown's own ``ranges`` say where the tags are: a ``#`` the
    author escaped is text. Their offsets count UTF-16 code units (JavaScript's string indices)."""
    text = _text(member)
    offsets = {r["start"] for r in member.get("ranges") or () if isinstance(r, dict)
               and r.get("type") == "tag" and isinstance(r.get("start"), int)}
    tags = [_tag(t) for t in member.get("tags") or () if clean(t)]
    return one_line(strip_tags(text, _from_utf16(text, offsets))), tags


class _Document:
    def __init__(self, name: str, data: dict[str, Any], builder: Builder) -> None:
        self.name, self.data, self.builder = name, data, builder
        self.summary = builder.summary
        self.statements: dict[str, Any] = {k: v for k, v in data["statements"].items() if isinstance(v, dict)}
        self.arguments: dict[str, Any] = {k: v for k, v in data["arguments"].items() if isinstance(v, dict)}
        self.sections: dict[str, tuple[str, str]] = {}  # id -> (title, where)
        self._flatten(data.get("sections") or [])

    def _flatten(self, sections: list[Any]) -> None:
        todo = list(sections)
        while todo:
            section = todo.pop(0)
            if not isinstance(section, dict):
                continue
            title, _ = _strip_tags({"text": section.get("title"), "ranges": section.get("ranges")})
            self.sections[str(section.get("id"))] = (title, f"line {section.get('startLine', '?')}")
            todo[0:0] = [c for c in section.get("children") or () if isinstance(c, dict)]

    def members(self, element: dict[str, Any]) -> list[dict[str, Any]]:
        return [m for m in element.get("members") or () if isinstance(m, dict)]

    def pcs(self, argument: dict[str, Any]) -> list[dict[str, Any]]:
        found = [s for s in argument.get("pcs") or () if isinstance(s, dict)]
        for member in self.members(argument):
            found = found or [s for s in member.get("pcs") or () if isinstance(s, dict)]
        return found

    def source_text(self) -> str:
        """The document's text as Argdown reads it: headings, then every statement and
        argument description, in the order of the document."""
        blocks: dict[tuple[int, int, str], str] = {}

        def add(line: Any, column: Any, text: str) -> None:
            if text.strip():
                at = (line if isinstance(line, int) else 0, column if isinstance(column, int) else 0, text)
                blocks.setdefault(at, text.strip())

        todo = list(self.data.get("sections") or [])
        while todo:
            section = todo.pop(0)
            if isinstance(section, dict):
                add(section.get("startLine"), 0, "#" * int(section.get("level") or 1) + " "
                    + clean(section.get("title")))
                todo[0:0] = [c for c in section.get("children") or () if isinstance(c, dict)]
        for element in (*self.statements.values(), *self.arguments.values()):
            for member in self.members(element):
                add(member.get("startLine"), member.get("startColumn"), _text(member))
        for argument in self.arguments.values():
            for statement in self.pcs(argument):
                add(statement.get("startLine"), statement.get("startColumn"), _text(statement))
        return "\n\n".join(blocks[k] for k in sorted(blocks))

    def run(self) -> None:
        builder, summary = self.builder, self.summary
        stem, label = PurePath(self.name).stem, PurePath(self.name).name  # entries name the file, not its path
        source = builder.source(f"{stem} text", f"{label}: the text of its statements and arguments, "
                                "as Argdown reads it (markup resolved), in the order of the document",
                                self.source_text())
        # where each statement belongs: itself, or the argument whose premise-conclusion structure it serves
        alias: dict[str, str] = {}
        inside: dict[str, str] = {}
        for title, statement in self.statements.items():
            roles = {m.get("role") for m in self.members(statement)}
            used_outside = bool(roles - set(_INSIDE) - {None}) or statement.get("isUsedAsTopLevelStatement") \
                or statement.get("isUsedAsRelationStatement")
            owners = [m.get("argumentTitle") for m in self.members(statement)
                      if m.get("role") in _INSIDE and m.get("argumentTitle") in self.arguments]
            if not used_outside and owners:
                inside[title] = str(owners[0])
                if any(m.get("role") != "premise" for m in self.members(statement)):
                    alias[f"s:{title}"] = f"a:{owners[0]}"
        relations = self.relations(alias)
        related = {r.source for r in relations} | {r.target for r in relations}
        claims: dict[str, Claim] = {}
        stally = summary.tally("Argdown statements")
        atally = summary.tally("Argdown arguments")
        questions: dict[str, str] = {}

        def question_of(section: Any) -> str:
            key = str(section) if str(section) in self.sections else ""
            if key not in questions:
                title = self.sections[key][0] if key else ""
                questions[key] = builder.question(title or f"{stem} argues", title or f"What does {label} argue?")
            return questions[key]

        entries: list[tuple[int, Claim, Any]] = []
        for title, statement in self.statements.items():
            stally.read += 1
            key = f"s:{title}"
            if key in alias or (title in inside and key not in related):
                stally.add("parts of an argument's premise-conclusion structure (in its note)")
                continue
            members = [m for m in self.members(statement) if _text(m).strip()]
            if not members:
                stally.leave("with no text")
                summary.warn(f"{self.name}: statement {title!r} has no text; left out")
                continue
            if key not in related and _AUTO_TITLE.match(title):
                stally.leave("untitled, with no relation (prose, as Argdown's own map leaves it out)")
                continue
            claim, tags = _strip_tags(members[0])
            tags += [_tag(t) for t in statement.get("tags") or ()]
            if not claim:
                stally.leave("with no text but tags")
                continue
            seed = "" if _AUTO_TITLE.match(title) else title
            made = Claim(key, claim, f"statement {title!r}", seed=seed, fallback=f"statement {title}",
                         quote=_text(members[0]).strip(), source=source, tags=tags)
            entries.append((_line(members[0]), made, members[0].get("section", statement.get("section"))))
        for title, argument in self.arguments.items():
            atally.read += 1
            members = [m for m in self.members(argument) if _text(m).strip()]
            structure = self.pcs(argument)
            conclusion = next((s for s in reversed(structure) if s.get("role") == "main-conclusion"), None)
            shown = members[0] if members else conclusion if conclusion and _text(conclusion).strip() else None
            claim, tags = _strip_tags(shown) if shown is not None else (one_line(title), [])
            tags += [_tag(t) for t in argument.get("tags") or ()]
            note = _structure_note(structure)
            if not (claim or one_line(title)):
                atally.leave("with no text and no title")
                continue
            made = Claim(f"a:{title}", claim or one_line(title), f"argument {title!r}",
                         seed="" if _AUTO_TITLE.match(title) else title, fallback=f"argument {title}",
                         quote=_text(shown).strip() if shown is not None else None,
                         source=source if shown is not None else None, tags=tags, note=note,
                         premises=[(_strip_tags(s)[0], _text(s).strip() or None) for s in structure
                                   if s.get("role") == "premise" and _strip_tags(s)[0]])
            line = _line(shown) if shown is not None else _line(argument)
            entries.append((line, made, (shown or {}).get("section", argument.get("section"))))
        if not entries:
            raise fail(self.name, "has no statement with a title or a relation, and no argument: nothing to import",
                       "give statements titles ([Title]: text) or relate them (+ reason, - objection)")
        entries.sort(key=lambda e: e[0])  # file order
        for _, made, section in entries:
            made.question = question_of(section)
            claims[made.key] = made
        kept = [r for r in relations if r.source in claims and r.target in claims]
        summary.tally("Argdown relations").leave("between a statement or argument left out and another",
                                                 len(relations) - len(kept))
        relations = kept
        holder: list[str] = []

        def author() -> str:
            if not holder:
                holder.append(builder.actor(f"argdown-author:{self.name}", f"the author of {label}",
                                            description=f"{label} names no speaker for its statements."))
            return holder[0]

        default = next(iter(claims.values())).question or question_of("")
        placed = place(Graph(self.name, claims, relations, default, author), builder,
                       summary.tally("Argdown relations, each way (a contradictory one counts twice)"))
        for made in claims.values():
            tally = stally if made.key.startswith("s:") else atally
            tally.add("positions" if made.key in placed.position_keys else "claims of arguments")

    def relations(self, alias: dict[str, str]) -> list[Relation]:
        tally = self.summary.tally("Argdown relations")
        raw = [r for r in self.data.get("relations") or () if isinstance(r, dict)]
        if not raw:  # older CLIs list relations only under their statements and arguments
            seen: set[tuple[Any, ...]] = set()
            for element in (*self.statements.values(), *self.arguments.values()):
                for r in element.get("relations") or ():
                    key = (r.get("from"), r.get("to"), r.get("relationType")) if isinstance(r, dict) else None
                    if key and key not in seen:
                        seen.add(key)
                        raw.append(r)
        made: list[Relation] = []
        for index, relation in enumerate(raw):
            tally.read += 1
            kind = str(relation.get("relationType", "")).lower()
            ends = [self.end(relation.get("from"), relation.get("fromType"), alias),
                    self.end(relation.get("to"), relation.get("toType"), alias)]
            where = f"the {kind or 'untyped'} relation from {relation.get('from')!r} to {relation.get('to')!r}"
            if kind not in STANCES:
                tally.leave(f"of a type policyx does not know ({kind or 'none'})")
                self.summary.warn(f"{self.name}: {where} is of no type policyx knows; left out")
                continue
            if None in ends:
                tally.leave("naming a statement or argument the document does not hold")
                self.summary.warn(f"{self.name}: {where} names what the document does not hold; left out")
                continue
            source, target = ends[0], ends[1]
            assert source is not None and target is not None
            for stance in STANCES[kind]:
                if stance == "undercuts" and not target.startswith("a:"):
                    stance = "against"  # an undercut names an argument (its inference); else it attacks a claim
                if stance == "against-back":
                    made.append(Relation(f"r{index}-back", target, source, "against", where + " (read back)"))
                else:
                    made.append(Relation(f"r{index}", source, target, stance, where))
        return made

    def end(self, title: Any, kind: Any, alias: dict[str, str]) -> str | None:
        title = clean(title)
        if kind in ("argument", "inference") or (kind is None and title in self.arguments):
            return f"a:{title}" if title in self.arguments else None
        if title in self.statements:
            return alias.get(f"s:{title}", f"s:{title}")
        return None


def _line(element: dict[str, Any] | None) -> int:
    line = (element or {}).get("startLine")
    return line if isinstance(line, int) else 1 << 30


def _structure_note(structure: list[dict[str, Any]]) -> str | None:
    """An argument's premise-conclusion structure, numbered as the document numbers it."""
    parts = []
    for number, statement in enumerate(structure, 1):
        text = one_line(_text(statement)).rstrip(" .;")
        if text:
            role = statement.get("role")
            parts.append(("therefore " if role in ("main-conclusion", "intermediary-conclusion") else "")
                         + f"({number}) {text}")
    return "Premise-conclusion structure in the document: " + "; ".join(parts) + "." if parts else None


def import_argdown_json(name: str, data: Any, builder: Builder) -> None:
    if not is_argdown_json(data):
        raise fail(name, "is JSON but not Argdown's: it has no 'statements' and 'arguments'",
                   "give the JSON that `argdown json` writes")
    document = _Document(name, data, builder)
    if not document.statements and not document.arguments:
        raise fail(name, "is an empty Argdown document: it has no statements or arguments",
                   "write at least one statement, [title]: text")
    document.run()
