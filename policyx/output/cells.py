"""Text from a knowledge base is data: make it safe to show on a terminal.

Rich strips only some control codes and passes ESC through, so data could
move the cursor, retitle the window or hide text. Every renderer that writes
to a terminal (table, tree, plain) passes data through :func:`terminal_text`;
data formats (json, csv, yaml...) keep the text unchanged.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata

# Characters a terminal does not show as themselves, each shown as a visible escape instead
# (``\x07``, ``\u200b``, ``\U000e0041``), so that the text on screen is the text in the data:
# - C0 controls except tab and newline, DEL, C1 controls (Cc): escape codes, a bell, a carriage
#   return or backspace that overwrites what came before;
# - the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
#   U+202A..U+202E, U+2066..U+2069), which reorder what a reader sees ("Trojan Source");
# - invisible format characters (Cf) that can hide text or make two different texts look
#   alike: zero-width space, word joiner, U+FEFF, the soft hyphen, invisible operators,
#   the tag characters U+E0000.. that spell out text no one sees, interlinear annotations,
#   Arabic number signs, shorthand and musical format controls and the rest of the category;
# - the line and paragraph separators U+2028/U+2029 (Zl, Zp), which some terminals and
#   str.splitlines() take for line breaks: a cell's text could start a table line of its own.
# The zero-width joiner and non-joiner (U+200D, U+200C) are kept where they join: between two
# letters, marks or symbols outside ASCII (Persian and Indic words, emoji sequences), where they
# only shape what is there; anywhere else (beside ASCII, a space, the text's ends) they hide
# nothing useful and are shown as escapes. (The ranges hold every Cc, Cf, Zl and Zp character
# of Unicode 15.1; tests check the list against the running Python's unicodedata.)
# The rest of what Unicode calls default-ignorable (drawn as nothing) is escaped too: the Hangul
# fillers (letters no one sees: an "empty" name), Khmer's two invisible vowels and the unassigned
# U+FFF0..U+FFF8. Variation selectors (emoji and text presentation, ideographic variants,
# Mongolian's) and the combining grapheme joiner are kept where they select: right after a
# character outside ASCII, or a keycap's digit, # or *; at a text's start, after a space, a
# control, another ASCII character or another selector (a run of selectors after one emoji can
# spell out hidden bytes) they are escaped.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_JOINERS = "\u200c\u200d"
#: the ASCII characters an emoji keycap starts with (``1\ufe0f\u20e3``)
_KEYCAPS = frozenset("0123456789#*")
#: the selectors: kept right after a character they can modify (see above)
_SELECTORS = re.compile("[\u034f\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _kept(text: str, at: int) -> bool:
    """Whether the character of :data:`_UNSAFE` at ``text[at]`` is kept: a joiner that joins, a
    selector right after a character it can modify."""
    char = text[at]
    if char in _JOINERS:
        return _joins(text, at)
    if _SELECTORS.match(char) is None or at == 0:
        return False
    before = text[at - 1]
    if before < "\x80":  # ASCII takes no selector but a keycap's (1️⃣, #️⃣): any other hides
        return before in _KEYCAPS
    return not before.isspace() and _UNSAFE.match(before) is None


def _joins(text: str, at: int) -> bool:
    """Whether the joiner at ``text[at]`` stands between two letters, marks or symbols outside ASCII."""
    if at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    if before < "\x80" or after < "\x80":
        return False
    return unicodedata.category(before)[0] in "LMS" and unicodedata.category(after)[0] in "LMS"


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if _kept(match.string, match.start()):
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def terminal_text(text: str) -> str:
    """``text`` with every control, direction-override or invisible format character shown as
    an escape (see :data:`_UNSAFE`)."""
    return _UNSAFE.sub(_visible, text)


def shown_as_is(text: str) -> bool:
    """Whether :func:`terminal_text` leaves ``text`` (and so each part of it: a whole chunk of
    joined cells may be tested at once) as it is: it holds no character of :data:`_UNSAFE`.
    A search or two in C, where escaping each cell costs a call each (a listing's 200,000 cells)."""
    if text.isascii():
        return _UNSAFE_ASCII.search(text) is None
    return _UNSAFE_BMP.search(text) is None and (not _astral(text) or _UNSAFE_ASTRAL.search(text) is None)


# _UNSAFE's class scans 5x slower for holding characters beyond U+FFFF: those are looked for apart,
# in a text holding any (an encoding to UTF-16 says so in C, at a fraction of a scan's cost)
_ASTRAL_AT = _UNSAFE.pattern.index("\U000110bd")
assert _UNSAFE.pattern.startswith("[\x00-\x08\x0b-\x1f\x7f-\x9f") and max(_UNSAFE.pattern[:_ASTRAL_AT]) <= "\uffff"
_UNSAFE_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_UNSAFE_BMP = re.compile(_UNSAFE.pattern[:_ASTRAL_AT] + "]")
_UNSAFE_ASTRAL = re.compile("[" + _UNSAFE.pattern[_ASTRAL_AT:])


def _astral(text: str) -> bool:
    """Whether ``text`` holds a character beyond U+FFFF (two UTF-16 units each)."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def one_line(text: str) -> str:
    """Terminal-safe and on one line (tabs and newlines become spaces)."""
    return " ".join(terminal_text(text).split())


#: What a file for other programs escapes (Argdown, which policyx imports back): the controls that
#: would act in an editor or a terminal and the direction controls that reorder a line. Invisible
#: format characters stay: they are data a round trip must keep (on a terminal, the export's
#: terminal-safe pass shows them as escapes).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def file_line(text: str) -> str:
    """On one line for a file other programs read back: controls and direction controls as
    escapes, whitespace (U+2028 too) as single spaces, every other character kept."""
    return " ".join(_CONTROLS.sub(_visible, text).split())


def terminal_json(text: str) -> str:
    """JSON text with the same characters as JSON ``\\uXXXX`` escapes: still valid
    JSON that loads to the same data, and safe to show on a terminal."""
    return _UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if _kept(match.string, match.start()):
        return char
    return json.dumps(char)[1:-1] if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"  # a surrogate pair


# --------------------------------------------------------------------------
# Values as text, the same in every format

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def cell_text(value: Any, sep: str = ", ") -> str:
    """A field's value as text: lists joined by ``sep``, null as '', booleans as true/false
    (as JSON writes them), mappings as JSON."""
    if type(value) is str:  # most values
        return value
    if value is None:
        return ""
    if type(value) is list:  # a text's items with no call
        return sep.join([v if type(v) is str else cell_text(v) for v in value])
    if isinstance(value, list):
        return sep.join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):  # one encoder for all (json.dumps with options makes one per call)
        return _json_text(value)
    return str(value)


_json_text = json.JSONEncoder(ensure_ascii=False).encode


def column_label(name: str) -> str:
    """A field's name as a column heading (``held_by`` -> ``held by``)."""
    return name.replace("_", " ")


# --------------------------------------------------------------------------
# Markdown: one escaper for every Markdown policyx writes (list/show/compare/search
# tables and the handout), so data is never markup, HTML or a live image there

#: the characters Markdown reads as markup, each escaped by a backslash: the backslash first
#: (the others' escapes hold one)
_MARKUP_CHARS = "\\`*_{}[]<>#|!~&"
_LINE_START = re.compile(r"^([-+=]|\d+[.)])(?=\s|$)")


#: what :func:`markdown_text` would change in a text: a character :func:`terminal_text` escapes,
#: a markup character, whitespace that is not one space between words (one_line's split and
#: join), a line start Markdown reads as a list or heading. A text with none is its own Markdown.


def markdown_cell(text: str) -> str:
    """:func:`markdown_text`, with no work for a text it leaves as it is (most cells)."""
    return text if not text or ("\x00" not in text and _as_is(text)) else markdown_text(text)


#: what stands between the cells of a column joined to be looked at at once (a character
#: :func:`terminal_text` escapes, so one no cell holds as it is)
_JOINT = "\x00"
#: the whitespace other than the space (what str.split() splits on; tests hold it to str.isspace)
OTHER_SPACES = "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MARKUP = re.escape(_MARKUP_CHARS)
#: any character that :func:`markdown_text` changes or drops, the joint aside (those beyond U+FFFF:
#: :data:`_UNSAFE_ASTRAL`); in ASCII
_MD_CHAR = re.compile("[\x01-\x08" + _UNSAFE.pattern[4:_ASTRAL_AT] + _MARKUP + OTHER_SPACES + "]")
_MD_ASCII = re.compile("[\x01-\x08\x0b-\x1f\x7f" + _MARKUP + "\t\n\r]")
#: a cell starting as a Markdown list item or heading does (after a joint: each cell's start)
_MD_START = re.compile(r"\x00(?:[-+=]|\d+[.)])(?=[\s\x00]|$)")


def _as_is(text: str) -> bool:
    """Whether each of the cells joined in ``text`` by :data:`_JOINT` (which the caller counted:
    none holds one) is its own Markdown: no character markdown_text escapes or drops, no two
    spaces, no space at a cell's start or end, no start of a list item or heading."""
    if text.isascii():
        if _MD_ASCII.search(text) is not None:
            return False
    elif _MD_CHAR.search(text) is not None or (_astral(text) and _UNSAFE_ASTRAL.search(text) is not None):
        return False
    return ("  " not in text and text[:1] != " " and text[-1:] != " " and " \x00" not in text
            and "\x00 " not in text and _MD_START.search(_JOINT + text) is None)


def markdown_rows(rows: list[list[str]]) -> list[str]:
    """Each row as a Markdown table line, ``| cell | cell |``, every cell :func:`markdown_text`.

    Most cells are their own Markdown, and those that are not are most of a few columns (the
    JSON of a premise): each column is looked at a chunk of cells at a time, joined by
    :data:`_JOINT` (a few searches in C over the whole), and a chunk holding a cell that
    markdown_text would change is made a cell at a time."""
    width = len(rows[0]) if rows else 0
    if width == 0 or any(len(row) != width for row in rows):
        return ["| " + " | ".join(map(markdown_cell, row)) + " |" for row in rows]
    columns: list[list[str]] = []
    for cells in zip(*rows, strict=True):
        column: list[str] = []
        for start in range(0, len(cells), _MD_CHUNK):
            chunk = cells[start:start + _MD_CHUNK]
            text = _JOINT.join(chunk)
            if text.count(_JOINT) == len(chunk) - 1 and _as_is(text):
                column += chunk
            else:
                column += map(markdown_cell, chunk)
        columns.append(column)
    return ["| " + " | ".join(row) + " |" for row in zip(*columns, strict=True)]


#: cells of a column looked at at once by :func:`markdown_rows`
_MD_CHUNK = 256


def markdown_text(text: str) -> str:
    """Inline Markdown text: one line, control characters visible, every markup character
    (emphasis, links and images, HTML tags and entities, table pipes) escaped."""
    escaped = one_line(text)
    for char in _MARKUP_CHARS:  # in C (a regex's sub called Python for each)
        if char in escaped:
            escaped = escaped.replace(char, "\\" + char)
    return _LINE_START.sub(r"\\\1", escaped)


# --------------------------------------------------------------------------
# Stances: the words, marks and styles every renderer uses

#: how an argument's stance is marked in trees and outlines
STANCE_MARK: dict[str, str] = {"for": "+ for", "against": "− against"}
#: Rich styles of the stances (green supports, red attacks)
STANCE_STYLE: dict[str, str] = {"for": "green", "against": "red"}


# --------------------------------------------------------------------------
# Standing: derived, never recorded (views/framework.py), so marked as such wherever it is shown

#: the colour of each derived label (green, red, amber as Carneades draws them), always beside
#: the word, never instead of it
STANDING_STYLE: dict[str, str] = {"in": "bold green", "out": "bold red", "undecided": "bold yellow"}


def standing_mark(label: str) -> str:
    """A position's or argument's derived label as trees show it beside an id: ``[in, derived]``."""
    return f"[{label}, derived]"


# --------------------------------------------------------------------------
# Deep trees: indentation stops at one level, a marker says how deep an entry is

#: The deepest level a tree or an outline indents to. A chain of rebuttals may be thousands
#: of levels deep: indenting every level made the output grow with the square of the input
#: (a 2 MB file gave 901 MB of Markdown) and pushed the text off any screen. Entries deeper
#: than this are drawn at this level, each marked with its depth (:func:`indent_level`).
MAX_INDENT = 10


def indent_level(depth: int) -> tuple[int, str]:
    """The level at which to draw an entry ``depth`` levels deep, and the marker to put before
    it: ``""`` down to :data:`MAX_INDENT`, ``"(depth N) "`` below, where the chain goes deeper
    than the indentation shows."""
    if depth <= MAX_INDENT:
        return depth, ""
    return MAX_INDENT, f"(depth {depth}) "


# --------------------------------------------------------------------------
# Punctuation for a terminal that cannot show it (LC_ALL=C, a Latin-1 console)

#: ASCII look-alikes of the punctuation policyx and knowledge bases use: text for people
#: reads better as "quote" - x than as \u201cquote\u201d \u2014 x
LOOKALIKES: dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "--", "\u2015": "--", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00b7": "-", "\u2022": "*",
    "\u2192": "->", "\u2190": "<-", "\u2191": "^", "\u2193": "v",
}
_LOOKALIKE_ERRORS = "policyx-lookalikes"


def _lookalike(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = error.object[error.start:error.end]
    return "".join(LOOKALIKES.get(c) or (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
                   for c in part), error.end


def for_encoding(text: str, encoding: str) -> str:
    """``text`` as ``encoding`` can show it: punctuation it cannot encode as its ASCII
    look-alike, anything else it cannot encode as a visible ``\\u`` escape (never lost)."""

    try:
        codecs.lookup_error(_LOOKALIKE_ERRORS)
    except LookupError:
        codecs.register_error(_LOOKALIKE_ERRORS, _lookalike)
    return text.encode(encoding, _LOOKALIKE_ERRORS).decode(encoding)
