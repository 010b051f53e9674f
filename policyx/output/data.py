"""Data formats: plain, json, jsonl, tsv, yaml, markdown, ids (csv: output/spreadsheet.py).

All carry the same records and none imports Rich (start-up time). The
formats scripts read (json, jsonl, csv, tsv, yaml) never change the text of a
record; those a person reads on a terminal too (plain, markdown, ids) show
control and direction-override characters as visible escapes (policyx.output.cells).
"""

from __future__ import annotations

import json
from itertools import chain
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

from ..views.listing import Listing, Record
from .cells import cell_text, indent_level, markdown_rows, markdown_text, shown_as_is, standing_mark, terminal_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


def record_columns(listing: Listing) -> list[str]:
    """Every field of the records, in order of first appearance (rows of several kinds differ);
    with no record, the listing's ``fields`` (the same header as when there are records)."""
    # every key of every record, first seen first, in C (a Python loop over a corpus's
    # 200,000 keys cost 25 ms)
    return list(dict.fromkeys(chain.from_iterable(listing.records))) or list(listing.fields or listing.columns)


def cell_rows(records: list[Record], columns: list[str]) -> list[list[str]]:
    """Each record's ``columns`` as :func:`~policyx.output.cells.cell_text` writes them, with no
    call for a text or a null (most cells)."""
    text = cell_text
    return [[value if type(value) is str else "" if value is None or value == [] else text(value)
             for value in map(record.get, columns)] for record in records]


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(value: Any) -> str:
    """A value as one tab-separated cell: its text (:func:`~policyx.output.cells.cell_text`) with
    tabs, newlines, carriage returns and backslashes escaped, so the row stays one line."""
    return cell_text(value).translate(_TSV_ESCAPES)


def _tsv_lines(rows: list[list[str]], width: int) -> str:
    """The rows as TSV lines, each cell's tabs, newlines, carriage returns and backslashes
    escaped, joined by ``\\n`` (none after the last). The rows are joined at once with two
    joints no cell holds (checked by counting them), escaped with four replaces and the joints
    made tabs and newlines, in C (escaping each cell cost a call each); when a cell holds a
    joint, each cell is escaped."""
    text = "\x01".join(map("\x00".join, rows))
    if (text.count("\x00") != len(rows) * max(width - 1, 0) or text.count("\x01") != max(len(rows) - 1, 0)
            or any(len(row) != width for row in rows)):
        return "\n".join(["\t".join([cell.translate(_TSV_ESCAPES) for cell in row]) for row in rows])
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            .replace("\x00", "\t").replace("\x01", "\n"))


def render_json(listing: Listing) -> str:
    if listing.meta:
        return json.dumps(listing.meta, ensure_ascii=False, indent=2) + "\n"
    return dumps_records(listing.records) + "\n"


class _JsonDumpsOnly(Exception):
    """A value json.dumps writes in a way this writer does not (a type it does not know)."""


def dumps_records(records: list[Record]) -> str:
    """``json.dumps(records, ensure_ascii=False, indent=2)``, byte for byte, faster.

    With ``indent`` the json module falls back from its C encoder to Python
    for every value; this lays records out itself, flat ones (scalars, lists
    of strings) and nested ones (a version-2 argument's ``premises`` and
    ``acts``: lists of dicts) alike, and lets the C string encoder do the
    escaping: about 2x faster. A type json.dumps writes otherwise: json.dumps.
    """
    if not records:
        return "[]"
    return "[\n" + _laid_out(records) + "\n]"


#: records laid out and written at a time by :func:`stream_json`
_CHUNK = 1000


def stream_json(listing: Listing, width: int | None = None, color: bool = False) -> Iterator[str]:
    """:func:`render_json`'s text in pieces of :data:`_CHUNK` records, written as they are made:
    a long listing is never held whole as one string (and its bytes), which cost a warm
    ``list arguments -f json`` of 18,000 arguments a quarter of its output time (``width`` and
    ``color``: unused, as for every stream of a format not drawn for a terminal)."""
    records = listing.records
    if listing.meta or len(records) <= _CHUNK:
        yield render_json(listing)
        return
    for start in range(0, len(records), _CHUNK):
        yield ("[\n" if start == 0 else ",\n") + _laid_out(records[start:start + _CHUNK])
    yield "\n]\n"


_LITERALS = {None: "null", True: "true", False: "false"}
_INFINITY = float("inf")
#: "\n" and the indentation of each depth (a value deeper than these: computed)
_LINES = tuple("\n" + "  " * depth for depth in range(16))


def _scalar(value: Any) -> str:
    """A value that is no str, dict, list or tuple, as json.dumps writes it."""
    if value is None or value is True or value is False:
        return _LITERALS[value]
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value == _INFINITY:
            return "Infinity"
        if value == -_INFINITY:
            return "-Infinity"
        return float.__repr__(value)
    raise _JsonDumpsOnly  # a subclass (an IntEnum...), a type json.dumps does not know: json.dumps


def _key(key: Any) -> str:
    """A key that is no str, as json.dumps writes it (it turns numbers, booleans and None into text)."""
    if type(key) is float or key is True or key is False or key is None or type(key) is int:
        return encode_basestring(_scalar(key))
    raise _JsonDumpsOnly


def _nested(value: Any, depth: int) -> str:
    """A dict, list or tuple whose opening bracket stands at ``depth``: its items one deeper."""
    if not value:
        return "{}" if type(value) is dict else "[]"
    line = _LINES[depth + 1] if depth < 15 else "\n" + "  " * (depth + 1)
    close = _LINES[depth] if depth < 16 else "\n" + "  " * depth
    if type(value) is dict:
        return "{" + line + ("," + line).join(_items(value, depth + 1)) + close + "}"
    first = type(value[0])
    if first is str:
        try:  # most lists are of strings: encoded in one call
            return "[" + line + ("," + line).join(map(encode_basestring, value)) + close + "]"
        except TypeError:
            pass
    elif first is dict and all(type(item) is dict and item for item in value):  # premises, acts
        inner = "{" + _LINES[depth + 2] if depth < 14 else "{\n" + "  " * (depth + 2)
        between = "," + inner[1:]
        end = line + "}"
        return "[" + line + ("," + line).join(
            [inner + between.join(_items(item, depth + 2)) + end for item in value]) + close + "]"
    return "[" + line + ("," + line).join([_value(item, depth + 1) for item in value]) + close + "]"


def _items(value: dict[Any, Any], depth: int) -> list[str]:
    """A dict's ``"key": value`` texts, the values standing at ``depth``."""
    items = []
    for key, item in value.items():
        key = encode_basestring(key) if type(key) is str else _key(key)
        kind = type(item)
        if kind is str:
            items.append(key + ": " + encode_basestring(item))
        elif item is None:
            items.append(key + ": null")
        elif kind is list or kind is dict or kind is tuple:
            items.append(key + ": " + _nested(item, depth))
        else:
            items.append(key + ": " + _scalar(item))
    return items


def _value(value: Any, depth: int) -> str:
    """Any value, standing at ``depth``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict or kind is list or kind is tuple:
        return _nested(value, depth)
    return _scalar(value)


def _laid_out(records: list[Record]) -> str:
    """The records as ``json.dumps(records, ensure_ascii=False, indent=2)`` lays them out inside
    its brackets (each record's layout depends on itself alone)."""
    parts: list[str] = []
    keys: dict[str, str] = {}  # key -> its indented, encoded prefix (a few distinct keys)
    try:
        for record in records:
            if type(record) is not dict or not record:  # no record (json.dumps writes anything)
                parts.append("  " + _value(record, 1))
                continue
            fields = []
            for key, value in record.items():
                prefix = keys.get(key)
                if prefix is None:
                    if type(key) is str:
                        prefix = keys[key] = "    " + encode_basestring(key) + ": "
                    else:
                        prefix = "    " + _key(key) + ": "
                kind = type(value)
                if kind is str:  # most values: no call
                    fields.append(prefix + encode_basestring(value))
                elif value is None:
                    fields.append(prefix + "null")
                elif kind is list:
                    if not value:
                        fields.append(prefix + "[]")
                    elif type(value[0]) is str:
                        try:  # most lists are of strings: encoded in one call
                            fields.append(prefix + "[\n      " + ",\n      ".join(map(encode_basestring, value))
                                          + "\n    ]")
                        except TypeError:
                            fields.append(prefix + _nested(value, 2))
                    else:
                        fields.append(prefix + _nested(value, 2))
                elif kind is dict or kind is tuple:
                    fields.append(prefix + _nested(value, 2))
                elif kind is int:  # counts (stats' records are mostly counts): no call through _scalar
                    fields.append(prefix + int.__repr__(value))
                else:
                    fields.append(prefix + _scalar(value))
            parts.append("  {\n" + ",\n".join(fields) + "\n  }")
    except (_JsonDumpsOnly, RecursionError):  # json.dumps writes it, or says why it cannot
        return json.dumps(records, ensure_ascii=False, indent=2)[2:-2]
    return ",\n".join(parts)


def render_jsonl(listing: Listing) -> str:
    """One ``json.dumps(record, ensure_ascii=False)`` a line, by one C encoder made once (json.dumps
    with an option makes an encoder and its C encoder for each record)."""
    encoder = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:  # no C speedups
        return "".join([encoder.encode(record) + "\n" for record in listing.records])
    # the arguments JSONEncoder.iterencode gives it; its markers (circular references) are
    # empty again after each record
    encode = c_make_encoder({}, encoder.default, encode_basestring, None, encoder.key_separator,
                            encoder.item_separator, False, False, True)
    join = "".join
    return "".join([join(encode(record, 0)) + "\n" for record in listing.records])


def render_ids(listing: Listing) -> str:
    """Each id once, in order (rows without an id, such as a compare's tags, have none; a summary
    row, such as stats' total, is no id)."""
    field = listing.id_field
    values = [record.get(field) for record in listing.records[:len(listing.records) - listing.summary_rows]]
    seen = dict.fromkeys([value if type(value) is str else str(value) for value in values if value is not None])
    text = "".join([value + "\n" for value in seen])
    if shown_as_is(text):  # no id holds what a terminal does not show as itself (nearly always)
        return text
    return "".join(f"{value}\n" for value in dict.fromkeys(map(terminal_text, seen)))


def render_plain(listing: Listing) -> str:
    """One record per line, the table's columns, tab-separated, no header, never truncated.

    Tabs, newlines and backslashes are escaped (``\\t``, ``\\n``, ``\\\\``) so each
    record stays on one line. Plain is the default when piped but also what a
    user sees with ``-f plain`` on a terminal, so control and direction-override
    characters are escaped too (policyx.output.cells).
    """
    columns = list(listing.columns) or record_columns(listing)
    rows = cell_rows(listing.records, columns)
    if not rows:
        return ""
    text = _tsv_lines(rows, len(columns))
    if shown_as_is(text):  # no cell holds what a terminal would not show as itself (nearly always)
        return text + "\n"
    return "".join([(line if shown_as_is(line) else "\t".join([terminal_text(cell.translate(_TSV_ESCAPES))
                                                                for cell in row])) + "\n"
                    for line, row in zip(text.split("\n"), rows, strict=True)])


def render_tsv(listing: Listing) -> str:
    columns = record_columns(listing)
    rows = cell_rows(listing.records, columns)
    header = "\t".join(columns)
    return header + "\n" + _tsv_lines(rows, len(columns)) + "\n" if rows else header + "\n"


def render_yaml(listing: Listing) -> str:
    from ..kb.yamledit import dump_yaml  # lazy: PyYAML

    return dump_yaml(listing.meta if listing.meta else listing.records)


def _md_cell(value: Any) -> str:
    # Markdown is read on a terminal as often as rendered (`show -f markdown`): control
    # characters are shown, not sent, and markup in the data is escaped (never live HTML).
    return markdown_text(cell_text(value))



def _md_code(value: Any) -> str:
    return f"`{terminal_text(cell_text(value).replace('`', ''))}`"


def _show_markdown(listing: Listing) -> str:
    """``show`` as a nested list: each entry, its fields, then its tree of arguments."""
    lines: list[str] = []
    for row in listing.records:
        depth = int(row.get("depth") or 0)
        if depth == 0:
            if lines:
                lines.append("")
            lines.append(f"- {_md_code(row['id'])} ({row['kind']}): {_md_cell(row.get('claim'))}")
            for name, value in row.items():
                if name in ("id", "kind", "root", "depth", "parent", "claim", "for", "against") or value in (None, []):
                    continue
                if name in ("text", "name", "title") and value == row.get("claim"):
                    continue
                if name == "chain":  # what an argument answers, up to its question
                    lines.append("  - chain:")
                    lines.extend(f"    - {s['relation']} {s['kind']} {_md_code(s['id'])}: {_md_cell(s['text'])}"
                                 for s in value)
                    continue
                label = name.replace("_", " ")
                shown = _md_cell(value)
                # standing is derived, never recorded: marked as the tree rows mark it
                lines.append(f"  - {label}: {standing_mark(shown) if name == 'standing' else shown}")
            if row["kind"] == "question" and not row.get("outcome"):
                lines.append("  - outcome: none recorded")
            if any(r.get("root") == row["id"] and r.get("depth") for r in listing.records):
                heading = {"question": "positions", "actor": "held and argued", "model": "positions leaning towards it"}
                lines.append(f"  - {heading.get(row['kind'], 'arguments')}:")
            continue
        relation = row.get("stance") or row["kind"]
        by = f" ({_md_cell(row['who'])})" if row.get("who") else ""
        level, deeper = indent_level(depth)
        indent = "  " * (level + 1)
        target = row.get("target")
        on = f" (on {_md_code(target)})" if target and target != row.get("parent") else ""
        mark = f" {standing_mark(row['standing'])}" if row.get("standing") and not row.get("ref") else ""
        lines.append(f"{indent}- {deeper}{relation} {_md_code(row['id'])}{on}{mark}: {_md_cell(row.get('claim'))}{by}")
    return "\n".join(lines) + "\n"


def _compare_markdown(listing: Listing) -> str:
    """``compare`` as a side-by-side table, then the shared tags and the clashes."""
    data = listing.meta
    sides = data["sides"]

    def items(entries: list[dict[str, Any]]) -> str:
        return "<br>".join(f"{_md_code(e['id'])} ({e['stance']} {_md_code(e['target'])}): {_md_cell(e['claim'])}"
                           for e in entries) or "none"

    rows: list[tuple[str, list[str]]] = [
        ("kind", [s["kind"] for s in sides]),
        ("question", [f"{_md_code(s['question']['id'])}: {_md_cell(s['question']['text'])}" for s in sides]),
        ("claim", [_md_cell(s["claim"]) for s in sides]),
        ("held by", ["<br>".join(f"{_md_cell(h['name'])} ({_md_code(h['id'])})" for h in s["holders"]) or "none"
                     for s in sides]),
        ("agreement", [_md_cell(s["agreement"] or f"{s['stance']} {s['target']}") for s in sides]),
        ("for", [items(s["for"]) for s in sides]),
        ("against", [items(s["against"]) for s in sides]),
        ("unanswered objections", [items(s["unanswered"]) for s in sides]),
        ("tags", [_md_cell(s["tags"]) or "none" for s in sides]),
        ("distinct tags", [_md_cell(s["distinct_tags"]) or "none" for s in sides]),
    ]
    if any("kb" in s for s in sides):  # a library: which knowledge base each side is from
        rows.insert(1, ("kb", [_md_cell(s.get("kb")) for s in sides]))
    lines = [f"## Compare {', '.join(data['compared'])}", ""]
    lines.append("| | " + " | ".join(_md_code(s["id"]) for s in sides) + " |")
    lines.append("|---|" + "|".join("---" for _ in sides) + "|")
    lines.extend(f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows)
    lines += ["", f"Shared tags: {_md_cell(data['shared_tags']) or 'none'}", "", "### Clashes", ""]
    if not data["clashes"]:
        lines.append("None: no argument of one side attacks another side.")
    for clash in data["clashes"]:
        lines.append(f"- {_md_code(clash['id'])} (side {_md_code(clash['side'])}) attacks {_md_code(clash['target'])}"
                     f" (side {_md_code(clash['other'])}): {_md_cell(clash['claim'])}"
                     + (f" (by {_md_code(clash['by'])})" if clash["by"] else ""))
    return "\n".join(lines) + "\n"


def render_markdown(listing: Listing) -> str:
    if listing.view == "show":
        return _show_markdown(listing)
    if listing.view == "compare" and listing.meta:
        return _compare_markdown(listing)
    columns = record_columns(listing)
    lines = []
    if listing.title:
        lines += [f"## {_md_cell(listing.title)}", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines += markdown_rows(cell_rows(listing.records, columns))
    return "\n".join(lines) + "\n"


