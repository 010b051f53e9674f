"""What every importer shares: the result, the summary, ids, and the builder of a knowledge base.

An importer turns a foreign file into the plain data a policyx YAML file holds
(``document``), plus the texts its quotes come from (``sources``: file name ->
text, written next to the knowledge base so that ``policyx check`` verifies
every quote), plus a :class:`Summary` of what was read, what it became and
what was left out and why. Nothing here reads or writes files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..kb import schema
from ..kb.errors import KnowledgeBaseError, Problem
from ..kb.struct import dataclass, field

#: Words an id is made of at most, and its usual length (a longer first word is cut).
ID_WORDS = 5
ID_LENGTH = 40


def fail(path: str, message: str, hint: str | None = None, line: int | None = None,
         column: int | None = None, entry: str | None = None) -> KnowledgeBaseError:
    """The one-line error of a file that cannot be imported (exit status 3)."""
    return KnowledgeBaseError([Problem(message, path, line, column, entry=entry, hint=hint)])


# --------------------------------------------------------------------------
# Text


_SPACE = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc]")
_WORD = re.compile(r"[a-z0-9]+")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines too) as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def clean(value: Any) -> str:
    """A value read from a foreign file as text a knowledge base and a source file can hold.

    Numbers become their digits; ``true``, ``false``, lists and objects, which are no text,
    become "" (never Python's spelling of them: a caller that must tell, such as an AIF
    node's text, checks :func:`kind_of_value` first); NUL (which no text file may contain)
    and lone surrogates (which UTF-8 cannot encode) become U+FFFD; anything else is kept.
    """
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    text: str = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text)
    return text


def kind_of_value(value: Any) -> str | None:
    """What a JSON value that should be text is instead (``a list``), or None when it is text
    (a string, or null: no text)."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "no text"


#: Words an id does not end with ("teachers-can-confiscate", not "teachers-can-confiscate-a").
_TRAILING = frozenset("a an and as at but by for from if in into is it its of on or so than that the their "
                      "then this to was were will with".split())


#: A terminal's control sequences, whole: CSI (``ESC [ 31m``, or the one-byte ``\x9b``), OSC
#: (``ESC ] ... BEL`` or ``ESC \``, also ``\x9d``), DCS/SOS/PM/APC strings, two-byte escapes,
#: then any other control character. Each pattern stops where the next sequence could start.
_CONTROL_SEQUENCES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[ -/]*[0-~]?"
    "|[\x00-\x1f\x7f-\x9f]"
)


def without_control_sequences(text: str) -> str:
    """``text`` without terminal control sequences, each removed whole (``\x1b[31mred`` is
    ``red``, not ``31mred``), and without any other control character (a space instead)."""
    return _CONTROL_SEQUENCES.sub(lambda m: " " if len(m.group(0)) == 1 and m.group(0) in "\t\n\r\f\v" else "",
                                  text)


def kebab(text: str) -> str:
    """The kebab-case form of the first words of ``text`` ('' when it has no Latin letters or
    digits); terminal control sequences in it are no words."""
    # (a printable text holds no control character, and NFKD leaves ASCII as it is: nothing to scan)
    plain = _APOSTROPHES.sub("", text if text.isprintable() else without_control_sequences(text))
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    length = -1  # of the words joined by "-"
    for found in _WORD.finditer(plain.lower()):  # (the first words only: a claim may be long)
        word = found.group()
        if len(words) == ID_WORDS or (words and length + 1 + len(word) > ID_LENGTH):
            break
        words.append(word[:ID_LENGTH])
        length += 1 + len(words[-1])
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return "-".join(words)


class IdMaker:
    """Readable ids, unique across the whole knowledge base (as the schema requires)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._last: dict[str, int] = {}  # base -> the last number given to it: every lower one is taken

    def make(self, seed: str, fallback: str) -> str:
        """The kebab-case of ``seed`` (else of ``fallback``), with ``-2``, ``-3``... if taken (the
        first number free: counted on from the last one given, so 100,000 claims of the same
        words cost 100,000 steps, not 5 billion)."""
        base = kebab(seed) or kebab(fallback) or "entry"
        made, count = base, self._last.get(base, 1)
        while made in self.used:
            count += 1
            made = f"{base}-{count}"
        self._last[base] = count
        self.used.add(made)
        return made


# --------------------------------------------------------------------------
# The summary: per kind of node or relation, what was read and what it became


@dataclass
class Tally:
    """One kind of thing read (``I-nodes``, ``Pro/Con lines``): how many, what became of them."""

    kind: str
    read: int = 0
    became: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        if count:
            self.became[what] = self.became.get(what, 0) + count

    def leave(self, why: str, count: int = 1) -> None:
        if count:
            self.left_out[why] = self.left_out.get(why, 0) + count

    def line(self) -> str:
        """``I-nodes: 9 read -> positions: 5, claims of arguments: 4; left out: with no text: 1``."""
        text = f"{self.kind}: {self.read} read"
        if self.became:
            text += " -> " + ", ".join(f"{what}: {n}" for what, n in self.became.items())
        if self.left_out:
            text += "; left out: " + ", ".join(f"{why}: {n}" for why, n in self.left_out.items())
        return text


@dataclass
class Summary:
    """What an import read, per file and per kind; and its warnings (each one line)."""

    files: list[tuple[str, str]] = field(default_factory=list)  # (name, how it was read)
    tallies: dict[str, Tally] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def tally(self, kind: str) -> Tally:
        if kind not in self.tallies:
            self.tallies[kind] = Tally(kind)
        return self.tallies[kind]

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def lines(self) -> list[str]:
        """The summary as lines for stderr: files, then one line per kind, then warnings."""
        out = [f"read {name} ({how})" for name, how in self.files]
        out += ["  " + t.line() for t in self.tallies.values() if t.read or t.became or t.left_out]
        # (a kind is listed once something of it was read or made)
        out += [f"warning: {w}" for w in self.warnings]
        return out


@dataclass
class ImportResult:
    """A converted knowledge base: the YAML file's data, the source texts it quotes, the summary."""

    document: dict[str, Any]
    sources: dict[str, str]
    summary: Summary


# --------------------------------------------------------------------------
# Building the knowledge base


class Builder:
    """Collects entries from one or more foreign files into one knowledge base document.

    Ids are made here, so that several files never produce the same id twice;
    actors are kept once per key (a speaker who appears in several maps is one
    actor).
    """

    def __init__(self, sources_dir: str | None = "sources", version: int = 1) -> None:
        self.version = version  # the schema version written: 2 holds the graph, 1 trees
        self.ids = IdMaker()
        self.summary = Summary()
        self.sources_dir = sources_dir
        self.texts: dict[str, str] = {}
        self.collections: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("sources", "actors", "questions", "positions", "arguments")
        }
        self._actors: dict[str, str] = {}
        self._files: set[str] = set()

    def source(self, name: str, title: str, text: str, **extra: str) -> str:
        """Add a source whose text is ``text``; returns its id. The text is written to
        ``<sources_dir>/<name>.txt`` (``name`` is made unique and file-safe)."""
        source_id = self.ids.make(name, "source")
        entry: dict[str, Any] = {"id": source_id, "title": one_line(title) or source_id}
        entry.update({k: v for k, v in extra.items() if v})
        if self.sources_dir is not None:
            file_name = f"{self.sources_dir}/{source_id}.txt"
            self._files.add(file_name)
            self.texts[file_name] = text if text.endswith("\n") or not text else text + "\n"
            entry["file"] = file_name
        self.collections["sources"].append(entry)
        return source_id

    def actor(self, key: str, name: str, stands_for: str = "unknown", description: str | None = None) -> str:
        """The id of the actor known as ``key``, added the first time."""
        if key in self._actors:
            return self._actors[key]
        actor_id = self.ids.make(name, "speaker")
        entry: dict[str, Any] = {"id": actor_id, "name": one_line(name) or actor_id, "stands_for": stands_for}
        if description:
            entry["description"] = description
        self.collections["actors"].append(entry)
        self._actors[key] = actor_id
        return actor_id

    def question(self, seed: str, text: str, **extra: Any) -> str:
        question_id = self.ids.make(seed, "question")
        entry: dict[str, Any] = {"id": question_id, "text": one_line(text) or question_id}
        entry.update({k: v for k, v in extra.items() if v})
        self.collections["questions"].append(entry)
        return question_id

    def position(self, entry: dict[str, Any]) -> None:
        self.collections["positions"].append(entry)

    def argument(self, entry: dict[str, Any]) -> None:
        self.collections["arguments"].append(entry)

    def result(self, title: str | None) -> ImportResult:
        document: dict[str, Any] = {"version": self.version}
        if title:
            document["title"] = title
        for name, entries in self.collections.items():
            if entries:
                document[name] = entries
        return ImportResult(document, dict(self.texts), self.summary)


def count_values(document: Any, limit: int) -> int:
    """How many YAML values ``document`` makes as the loader counts them (each mapping, list
    and scalar value; keys are not counted), stopping once past ``limit``: iterative, any depth."""
    count = 0
    todo = [document]
    while todo and count <= limit:
        value = todo.pop()
        count += 1
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return count


def too_large(name: str, making: str, least: int, hint: str, line: int | None = None) -> KnowledgeBaseError:
    """The early refusal of an import file whose knowledge base would hold more YAML values than
    policyx reads: ``making`` says what was counted (``its 12 claims would make``), ``least`` the
    lower bound of the values it found."""
    return fail(name, f"is too large to import: {making} a knowledge base of at least {least:,} YAML values, more"
                f" than the {schema.MAX_VALUES:,} policyx reads (MAX_VALUES); nothing was written", hint, line=line)


def within_limits(name: str, document: dict[str, Any]) -> None:
    """Raise the located error of an import whose knowledge base policyx would refuse to read
    (more YAML values than ``schema.MAX_VALUES``): nothing of it is written."""

    if count_values(document, schema.MAX_VALUES) > schema.MAX_VALUES:
        entries = sum(len(v) for v in document.values() if isinstance(v, list))
        raise fail(name, f"would make a knowledge base of {entries:,} entries and more than "
                   f"{schema.MAX_VALUES:,} YAML values, more than policyx reads (MAX_VALUES), so it is not written",
                   "import fewer files at a time, or a part of the map")


def agreement_of(holders: Iterable[str]) -> str:
    """No foreign format records how widely a claim was held: ``individual`` for one
    holder; ``divided`` for several (the level that claims no agreement the file does
    not record). See docs/import.md."""
    return "individual" if len(set(holders)) <= 1 else "divided"
