"""CSV, and the tables a spreadsheet opens made safe to open (``--csv-safe``).

Apart from the other data formats so that only a run that writes CSV imports the csv module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..views.listing import Listing
from .data import cell_rows, record_columns


def render_csv(listing: Listing) -> str:
    columns = record_columns(listing)
    return write_csv([columns, *cell_rows(listing.records, columns)])


def write_csv(rows: Iterable[list[str]]) -> str:
    """Rows as CSV text, one ``\\n`` per row, fields quoted when they need it.

    Python's csv module quotes a field holding a line feed but not one holding a lone
    carriage return (only the line terminator's characters count), and every CSV reader
    takes that CR for the end of a row: a row holding one is written fully quoted.
    The rows are written at once, in C, and only when the text holds a carriage return
    (which only a cell can put there) again row by row (a look at every cell of 10,000 rows
    for a CR cost a third of the writing)."""
    table = rows if isinstance(rows, list) else list(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    text = out.getvalue()
    if "\r" not in text:
        return text
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in table:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    return out.getvalue()


#: how a cell starts that a spreadsheet runs as a formula ("CSV injection", OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def defuse_formulas(text: str, fmt: str) -> str:
    """CSV (``fmt`` "csv") or TSV text with every cell a spreadsheet would run as a formula
    (one starting with =, +, -, @, a tab or a carriage return) preceded by an apostrophe, which
    spreadsheets take to mean "text" (``--csv-safe``). Other cells keep their exact bytes."""
    if fmt == "tsv":
        return "\n".join("\t".join(_defused(cell) for cell in line.split("\t")) for line in text.split("\n"))

    return write_csv([_defused(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline="")))
