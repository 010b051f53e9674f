"""Data formats: plain, json, jsonl, csv, tsv, yaml, markdown, ids.

All carry the same records; none imports Rich (start-up time), and none
changes the text of a record: these are the formats scripts read.
"""

from __future__ import annotations

import json
from typing import Any

from . import Listing, Record


def _columns(listing: Listing) -> list[str]:
    if listing.records:
        return list(listing.records[0].keys())
    return list(listing.columns)


def _cell(value: Any) -> str:
    """A field as one line of text: lists joined by ', ', null as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict,)):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return str(value)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_cell(value: Any) -> str:
    return _cell(value).translate(_TSV_ESCAPES)


def render_json(listing: Listing) -> str:
    if listing.meta:
        return json.dumps(listing.meta, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(listing.records, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(listing: Listing) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listing.records)


def render_ids(listing: Listing) -> str:
    return "".join(f"{r['id']}\n" for r in listing.records)


def render_plain(listing: Listing) -> str:
    """One record per line, tab-separated, no header; tabs and newlines escaped.

    Plain is the default when piped but also what a user sees with ``-f plain`` on a
    terminal, so control and direction-override characters are escaped too (policyx.safe).
    """
    from ..safe import terminal_text

    columns = list(listing.columns) or _columns(listing)
    return "".join("\t".join(terminal_text(_tsv_cell(r.get(c))) for c in columns) + "\n" for r in listing.records)


def render_tsv(listing: Listing) -> str:
    columns = _columns(listing)
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_tsv_cell(r.get(c)) for c in columns) for r in listing.records)
    return "\n".join(lines) + "\n"


def render_csv(listing: Listing) -> str:
    import csv
    import io

    columns = _columns(listing)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in listing.records:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


def render_yaml(listing: Listing) -> str:
    import yaml

    data: Any = listing.meta if listing.meta else listing.records
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text


def _md_cell(value: Any) -> str:
    text = _cell(value).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())


def render_markdown(listing: Listing) -> str:
    columns = _columns(listing)
    lines = []
    if listing.title:
        lines += [f"## {_md_cell(listing.title)}", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines.extend("| " + " | ".join(_md_cell(r.get(c)) for c in columns) + " |" for r in listing.records)
    return "\n".join(lines) + "\n"


def records_of(listing: Listing) -> list[Record]:
    return listing.records
