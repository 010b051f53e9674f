"""The whole knowledge base as data: JSON, YAML (the file's own schema) and CSV.

JSON and YAML write the schema of ``positions.yaml`` itself: ``version``,
``title`` and the six collections, each entry with the YAML field names
(``for:``/``against:`` on arguments, not the derived stance/target), fields
left out of the file left out here too. So ``policyx --kb export.yaml`` reads
back the same entries: nothing is lost. (JSON is YAML too: ``--kb export.json``
works as well.) Text is never changed.

CSV is one table for spreadsheets: a ``kind`` column (source, actor, model,
question, position, argument), then the union of every collection's fields;
lists are joined with ", " as in ``policyx list --format csv``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..kb.hints import exported_by
from ..kb.library import Library
from ..kb.model import Argument, Entry, Kind, KnowledgeBase
from ..kb.records import RECORD_FIELDS, RECORD_FIELDS_V2, to_record
from ..kb.schema import DERIVED_FIELDS
from .cells import one_line
from .spreadsheet import write_csv

HEADER = (
    "# policyx knowledge base, schema version {version} (written by `{made}`).\n"
    "# Quotes are verbatim from the sources; tags, types and models are interpretation.\n"
)


def _header(version: int) -> str:
    return HEADER.format(version=version, made=one_line(exported_by("--format", "yaml")))


def _filtered(kb: KnowledgeBase, kind: Kind, keep: set[str] | None) -> list[Entry]:
    entries = list(kb.collection(kind))
    if keep is None or kind not in (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS):
        return entries
    return [e for e in entries if e.id in keep]


def _schema_entry(entry: Entry, kb: KnowledgeBase) -> dict[str, Any]:
    """The entry as the YAML file writes it: no derived fields, no empty ones (and in a
    library, which knowledge base it comes from)."""
    record = to_record(entry, kb.version)
    if isinstance(entry, Argument):
        for name in DERIVED_FIELDS:
            record.pop(name)
    for name in ("acts", "premises"):  # version 2: each act and premise without its empty fields
        if record.get(name):
            record[name] = [{k: v for k, v in item.items() if v is not None} for item in record[name]]
    record["kb"] = kb.kb_of(entry.id)
    return {key: value for key, value in record.items() if value is not None and value != []}


def kb_document(kb: KnowledgeBase, keep: set[str] | None = None) -> dict[str, Any]:
    """The knowledge base (or the part ``keep`` selects) as plain data in the file's schema.

    Sources, actors and models are always kept whole: positions and arguments
    refer to them, and a filtered export must still load.
    """
    document: dict[str, Any] = {"version": kb.version}
    if kb.title is not None:
        document["title"] = kb.title
    for kind in Kind:
        entries = _filtered(kb, kind, keep)
        if entries:
            document[kind.value] = [_schema_entry(e, kb) for e in entries]
    return document


def render_json(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    return json.dumps(kb_document(kb, keep), ensure_ascii=False, indent=2) + "\n"


def render_yaml(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    from ..kb.yamledit import dump_yaml  # lazy: PyYAML

    return _header(kb.version) + dump_yaml(kb_document(kb, keep))


CSV_COLUMNS: tuple[str, ...] = ("kind",) + tuple(
    dict.fromkeys(name for kind in Kind for name in RECORD_FIELDS[kind])
)
#: A version-2 knowledge base's columns: version 1's, then version 2's fields
CSV_COLUMNS_V2: tuple[str, ...] = ("kind",) + tuple(
    dict.fromkeys(name for kind in Kind for name in RECORD_FIELDS_V2[kind])
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def render_csv(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    base = CSV_COLUMNS_V2 if kb.version >= 2 else CSV_COLUMNS
    columns = (*base, "kb") if isinstance(kb, Library) else base

    def rows() -> Iterator[list[str]]:
        yield list(columns)
        for kind in Kind:
            for entry in _filtered(kb, kind, keep):
                record = to_record(entry, kb.version)
                record["kind"] = kind.singular
                record["kb"] = kb.kb_of(entry.id)
                yield [_cell(record.get(column)) for column in columns]

    return write_csv(rows())

