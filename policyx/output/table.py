"""Rich tables and trees for a terminal: the one place (with its renderers) that imports Rich.

Every piece of knowledge-base text enters Rich as a :class:`rich.text.Text`
built from :func:`policyx.output.cells.terminal_text`, never as markup, so ``[bold]``
or an escape sequence in the data is shown literally. Tables fit the width
they are given: ids never break (their columns do not wrap and are as wide as
the longest id), claims wrap, and columns that do not fit are folded into the
main text column as a dim line instead of squeezing the ids. When the id column
alone leaves the text too little room, each record is stacked in one column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..kb.struct import replace
from ..views.listing import Listing, Record
from ..views.search import mark_matches, match_spans
from .cells import STANCE_STYLE, cell_text, column_label, terminal_text
from .console import ID_STYLE, console_for, drawn, text
from .entrytable import compare_view, show_view
from .tablestream import stream_parts

_plain = cell_text
_label = column_label

#: Columns holding one id (or another unbreakable token): never wrapped.
ID_COLUMNS = frozenset({
    "id", "question", "target", "by", "source", "parent", "root", "side", "other", "tag", "for", "against",
    "attacks",
})
#: Columns holding a list of ids: one per line, never broken.
ID_LIST_COLUMNS = frozenset({"held_by", "tags", "models", "also_known_as"})
#: Short values: never wrapped.
SHORT_COLUMNS = frozenset({
    "agreement", "stance", "type", "kind", "stands_for", "count", "score", "depth", "field", "section",
    "relation", "questions", "positions", "arguments", "date", "label",
})
#: Columns a table keeps even after others fold (and so even when the text is narrower for it):
#: what a row is about, and standing's answer (in, out, ...), never hidden in a folded line.
KEPT_COLUMNS = frozenset({"id", "label"})
#: The narrowest a wrapping text column may get before other columns are folded into it.
MIN_TEXT_WIDTH = 28
#: Narrower than this even with every other column folded, the text goes under the id instead.
MIN_SQUEEZED_WIDTH = 20
#: What each column costs besides its text: a space each side and the column separator.
PADDING = 3

def _highlight(value: Text, terms: Iterable[str]) -> Text:
    for start, end in match_spans(value.plain, terms):
        value.stylize("bold reverse", start, end)
    return value


def _token_width(records: list[Record], column: str, known: dict[str, int] | None = None) -> int:
    """Width of the longest unbreakable token of a column (its header included); ``known``:
    the widths already measured for these records (a plan and its tables ask alike)."""
    if known is not None and column in known:
        return known[column]
    items: list[Any] = []
    for record in records:
        value = record.get(column)
        if isinstance(value, list):
            items.extend(value)
        else:
            items.append(value)
    texts = [item if isinstance(item, str) else _plain(item) for item in items]
    widest = max(map(len, texts), default=0)
    joined = "".join(texts)
    if len(terminal_text(joined)) != len(joined):  # some need escapes: measure those as shown
        widest = max(len(terminal_text(text)) for text in texts)
    widest = max(widest, len(_label(column)))
    if known is not None:
        known[column] = widest
    return widest


def _numbers(records: list[Record], column: str) -> bool:
    """Every value of ``column`` is a number (stats' counts and means): sized as a short column, by
    its widest value or header, not given a text column's 12 to 20 (which folded half of stats'
    columns under the first even at 200 columns)."""
    return bool(records) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                 for v in (r.get(column) for r in records))


def _cell_plain(column: str, value: Any) -> str:
    """The text of :func:`_cell` (for sizing columns without building the cell)."""
    return terminal_text(_plain(value, "\n" if column in ID_LIST_COLUMNS else ", "))


def _cell(column: str, value: Any, terms: Iterable[str] = ()) -> Text:
    plain = _cell_plain(column, value)
    if column in ID_LIST_COLUMNS:
        return Text(plain, overflow="fold")
    if column == "stance":
        return Text(plain, style=STANCE_STYLE.get(_plain(value), ""), overflow="fold")
    if column == "id":
        return Text(plain, style=ID_STYLE, overflow="fold")
    cell = Text(plain, overflow="fold")
    return _highlight(cell, terms) if terms else cell


class Plan(NamedTuple):
    """How a list table lays out its columns (see :func:`_plan`)."""

    kept: list[str]
    folded: list[str]
    main: str | None
    #: about how wide the main column will be
    main_width: int
    #: too narrow for columns: one column, each record's first field (its id) on a line
    #: of its own, the main text below it and every other field folded under that
    stacked: bool = False
    #: one band of a table of figures too wide for the terminal (:func:`_bands`): the columns
    #: naming a row never wrap, each column of numbers is as wide as its widest number or
    #: the longest word of its header (which wraps)
    band: bool = False


def _plan(
    records: list[Record], columns: tuple[str, ...], width: int, main: str | None = None,
    known: dict[str, int] | None = None,
) -> Plan:
    """Which columns a table keeps, which it folds into the main text column, and which is main.

    The main column is the text column with the most text (the claim, a
    description) unless one is named. Columns are kept left to right while
    the main column keeps at least MIN_TEXT_WIDTH (less when all then fit and
    its texts are narrower); after the first that does not fit, the rest fold
    (so the order of the columns a reader sees never changes). Columns of
    numbers are short columns.
    """
    text_columns = [c for c in columns if c not in ID_COLUMNS | ID_LIST_COLUMNS | SHORT_COLUMNS
                    and not _numbers(records, c)]
    if main not in columns:
        main = max(text_columns, key=lambda c: sum(len(_plain(r.get(c))) for r in records), default=None)
    if main is None:
        if sum(_token_width(records, c, known) + PADDING for c in columns) <= width or not columns:
            return Plan(list(columns), [], None, 0)
        # Only ids and short values, and they do not fit side by side (list tags at 40 columns).
        return Plan(list(columns[:1]), list(columns[1:]), None, width, stacked=True)
    floor = _floor(records, main)
    kept, folded, used = _fit(records, columns, main, text_columns, width, floor, known)
    if folded and floor < MIN_TEXT_WIDTH:  # what folds goes under the main text: it keeps room to be read
        floor = MIN_TEXT_WIDTH
        kept, folded, used = _fit(records, columns, main, text_columns, width, floor, known)
    if width - (used - floor) < min(MIN_SQUEEZED_WIDTH, floor) and columns and columns[0] != main:
        # The id column alone leaves the text under MIN_SQUEEZED_WIDTH (a narrow terminal or a
        # long id): the text would be squeezed, down to a letter a line. Stack instead.
        first = columns[0]
        return Plan([first], [c for c in columns if c not in (first, main)], main, width, stacked=True)
    return Plan(kept, folded, main, max(floor, width - used + floor))


def _fit(records: list[Record], columns: tuple[str, ...], main: str, text_columns: list[str], width: int,
         floor: int, known: dict[str, int] | None) -> tuple[list[str], list[str], int]:
    """The columns kept left to right while the main one keeps ``floor``, those folded after the
    first that does not fit, and the width used."""
    kept: list[str] = []
    folded: list[str] = []
    used = floor + PADDING
    for column in columns:
        if column == main:
            kept.append(column)
            continue
        need = _token_width(records, column, known)
        if column in text_columns:
            need = max(min(need, 20), 12)
        need += PADDING
        if column in KEPT_COLUMNS or (not folded and used + need <= width):
            kept.append(column)
            used += need
        else:
            folded.append(column)
    return kept, folded, used


def _floor(records: list[Record], main: str) -> int:
    """The least width the main column keeps: MIN_TEXT_WIDTH, or less when none of its texts is as
    wide (a debate's name in stats): every column may then fit, none folding."""
    widest = len(_label(main))
    for record in records:
        widest = max(widest, len(_plain(record.get(main))))
        if widest >= MIN_TEXT_WIDTH:
            return MIN_TEXT_WIDTH
    return widest


class ListRows:
    """The rows of a list table: each row's cells are built only when it is drawn, and
    each column's text (to size the columns) is had without building any cell."""

    def __init__(self, records: list[Record], plan: Plan, terms: tuple[str, ...]) -> None:
        self.records = records
        self.plan = plan
        self.terms = terms

    def __len__(self) -> int:
        return len(self.records)

    def _extra(self, record: Record) -> str:
        return _folded_line(record, self.plan.folded)

    def texts(self, index: int) -> Iterator[str]:
        """The text of every cell of column ``index`` (what ``cells(row)[index].plain`` is)."""
        plan = self.plan
        if plan.stacked:
            for record in self.records:
                plain = terminal_text(_plain(record.get(plan.kept[0])))
                if plan.main:
                    plain += "\n" + _cell_plain(plan.main, record.get(plan.main))
                extra = self._extra(record)
                yield plain + "\n" + extra if extra else plain
            return
        column = plan.kept[index]
        for record in self.records:
            plain = _cell_plain(column, record.get(column))
            if column == plan.main and plan.folded:
                extra = self._extra(record)
                if extra:
                    plain += "\n" + extra
            yield plain

    def cells(self, row: int) -> list[Text]:
        record, plan, terms = self.records[row], self.plan, self.terms
        if plan.stacked:
            cell = Text.assemble(text(record.get(plan.kept[0]), ID_STYLE), overflow="fold")
            if plan.main:
                cell.append("\n")
                cell.append_text(_cell(plan.main, record.get(plan.main), terms))
            extra = self._extra(record)
            if extra:
                cell.append("\n")
                cell.append(extra, style="dim")
            return [cell]
        cells: list[Text] = []
        for column in plan.kept:
            cell = _cell(column, record.get(column), terms)
            if column == plan.main and plan.folded:
                extra = self._extra(record)
                if extra:
                    cell = Text.assemble(cell, "\n", Text(extra, style="dim"), overflow="fold")
            cells.append(cell)
        return cells


#: A table still empty and its rows: drawn whole by Rich (render_table) or a few rows
#: at a time (stream_table).
TablePart = tuple[Table, ListRows]


def _filled(part: TablePart | RenderableType) -> RenderableType:
    if not isinstance(part, tuple):
        return part
    table, rows = part
    for index in range(len(rows)):
        table.add_row(*rows.cells(index))
    return table


def _list_table(
    records: list[Record], plan: Plan, width: int,
    title: str | None = None, terms: Iterable[str] = (), widths: list[Record] | None = None,
    known: dict[str, int] | None = None,
) -> TablePart:
    """A table of records laid out by ``plan``; ``widths``: records that size the id
    columns (all groups of a grouped listing, so their columns line up); ``known``: the
    token widths already measured of those records (by ``_plan``)."""
    terms = tuple(terms)
    if plan.stacked:
        return _stacked_table(records, plan, title, terms)
    kept, folded, main, main_width = plan.kept, plan.folded, plan.main, plan.main_width
    sizing = widths if widths is not None else records
    # a blank line between rows once they take several lines, so each reads as one
    wraps = any(len(_plain(r.get(main))) > main_width for r in records) if main else False
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=main is not None,
        title=text(title, "bold") if title else None, title_justify="left",
        header_style="bold", show_lines=False, leading=1 if folded or wraps else 0,
    )
    for column in kept:
        if plan.band:
            if _numbers(sizing, column):
                table.add_column(_label(column), width=_figure_width(sizing, column), overflow="fold")
            else:
                table.add_column(_label(column), no_wrap=True, min_width=_token_width(sizing, column, known))
        elif column == main:
            table.add_column(_label(column), ratio=1, min_width=min(MIN_TEXT_WIDTH, width, main_width), overflow="fold")
        elif column in ID_COLUMNS or column in ID_LIST_COLUMNS or column in SHORT_COLUMNS or _numbers(sizing, column):
            table.add_column(_label(column), no_wrap=True, min_width=_token_width(sizing, column, known))
        else:
            table.add_column(_label(column), min_width=12, max_width=20, overflow="fold")
    return table, ListRows(records, plan, terms)


def _figure_width(records: list[Record], column: str) -> int:
    """A column of numbers in a band: its widest number, or its header's longest word."""
    return max(max(len(_plain(r.get(column))) for r in records), *map(len, _label(column).split()))


def _figures(records: list[Record], columns: tuple[str, ...]) -> tuple[list[str], list[str]] | None:
    """A table of figures (stats): the columns naming a row, then the columns of numbers; None
    when the table is not one."""
    keys = []
    for column in columns:
        if _numbers(records, column):
            break
        keys.append(column)
    figures = list(columns[len(keys):])
    if not keys or not figures or not all(_numbers(records, c) for c in figures):
        return None
    return keys, figures


def _bands(records: list[Record], columns: tuple[str, ...], width: int, known: dict[str, int]) -> list[Plan] | None:
    """A table of figures too wide for ``width``: its numbers in bands, each a table of its own
    that repeats the naming columns, as few bands as fit and of even size, so that no figure is
    folded into a line of text (which wrapped inside the narrow naming column). None: not such a
    table, it fits as one, or the naming columns leave room for about one number a band."""
    split = _figures(records, columns)
    if split is None:
        return None
    keys, figures = split
    if sum(_token_width(records, c, known) + PADDING for c in columns) <= width:
        return None
    room = width - sum(_token_width(records, c, known) + PADDING for c in keys)
    need = {c: _figure_width(records, c) + PADDING for c in figures}
    if max(need.values()) > room:
        return None
    for count in range(1, len(figures) + 1):  # the fewest bands of even size that fit
        size, extra = divmod(len(figures), count)
        cuts = [sum(size + (i < extra) for i in range(k)) for k in range(count + 1)]
        bands = [figures[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        if all(sum(need[c] for c in band) <= room for band in bands):
            break
    if 2 * sum(len(band) == 1 for band in bands) > len(bands):  # mostly one number a band: the usual plan
        return None
    return [Plan([*keys, *band], [], None, 0, band=True) for band in bands]


def _folded_line(record: Record, folded: list[str]) -> str:
    return " · ".join(
        f"{_label(c)}: {terminal_text(_plain(record.get(c)))}" for c in folded if record.get(c) not in (None, [], "")
    )


def _stacked_table(records: list[Record], plan: Plan, title: str | None, terms: tuple[str, ...]) -> TablePart:
    """One column: the id on a line of its own (folded only if wider than the terminal),
    the main text below, the other fields dim under it."""
    (first,) = plan.kept
    header = f"{_label(first)} / {_label(plan.main)}" if plan.main else _label(first)
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True,
        title=text(title, "bold") if title else None, title_justify="left",
        header_style="bold", show_lines=False, leading=1,
    )
    table.add_column(header, ratio=1, overflow="fold")
    return table, ListRows(records, plan, terms)


def _list_parts(listing: Listing, width: int) -> list[TablePart | RenderableType]:
    parts = _list_tables(listing, width)
    if listing.derived and listing.records:  # interpretation is marked wherever it is shown
        return [text(terminal_text(listing.derived), "dim"), *parts]
    return parts


def _list_tables(listing: Listing, width: int) -> list[TablePart | RenderableType]:
    terms = listing.highlight
    if listing.group_by and listing.records:
        columns = tuple(c for c in listing.columns if c != listing.group_by)
        groups: dict[str, list[Record]] = {}
        for record in listing.records:
            groups.setdefault(_plain(record.get(listing.group_by)), []).append(record)
        known: dict[str, int] = {}  # token widths of listing.records, measured once
        plan = _plan(listing.records, columns, width, known=known)
        out: list[TablePart | RenderableType] = []
        for key, records in groups.items():
            heading = f"{key}: {listing.groups[key]}" if key in listing.groups else key
            if out:
                out.append(Text(""))
            out.append(_list_table(records, plan, width, heading, terms, widths=listing.records, known=known))
        return out
    main = "excerpt" if listing.view == "search" else None
    known = {}
    bands = _bands(listing.records, listing.columns, width, known)
    if bands:
        parts: list[TablePart | RenderableType] = []
        for band in bands:
            parts += [Text("")] if parts else []
            parts.append(_list_table(listing.records, band, width, known=known))
        return parts
    plan = _plan(listing.records, listing.columns, width, main, known)
    return [_list_table(listing.records, plan, width, None, terms, known=known)]


def _list_view(listing: Listing, width: int) -> list[RenderableType]:
    return [_filled(part) for part in _list_parts(listing, width)]


def stream_table(listing: Listing, width: int | None = None, color: bool = False) -> Iterator[str]:
    """:func:`render_table` in pieces, as they are drawn: a long list starts at once.

    A list's columns are sized once from all its records; the header comes first,
    then the rows a few at a time (:mod:`policyx.output.tablestream`). The pieces
    joined are exactly what :func:`render_table` returns. ``show`` and ``compare``
    are drawn whole.
    """
    if listing.view in ("show", "compare") and (listing.view == "show" or listing.meta):
        yield render_table(listing, width, color)
        return

    if listing.highlight and not color:  # as render_table does: no colour, matches marked [ ]
        listing = _marked(listing)
    console = console_for(width, color)
    parts = _list_parts(listing, console.width)
    yield from stream_parts(parts, console, color, lambda: render_table(listing, width, color))


def _marked(listing: Listing) -> Listing:
    """Without colour there is no style to highlight with: the matches in the excerpt are
    marked ``[`` ... ``]`` in the text itself (only there: the data formats keep the text)."""

    records = [
        {**record, "excerpt": mark_matches(record["excerpt"], listing.highlight)} if record.get("excerpt") else record
        for record in listing.records
    ]
    return replace(listing, records=records, highlight=())


def render_table(listing: Listing, width: int | None = None, color: bool = False) -> str:
    """The listing drawn for a terminal ``width`` columns wide (80 when unknown)."""
    console = console_for(width, color)
    width = console.width
    if listing.highlight and not color:
        listing = _marked(listing)
    if listing.view == "show":
        parts = show_view(listing, width)
    elif listing.view == "compare" and listing.meta:
        parts = compare_view(listing, width)
    else:
        parts = _list_view(listing, width)
    console.print(Group(*parts))
    return drawn(console)
