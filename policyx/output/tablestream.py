"""A long Rich table drawn in pieces, byte for byte as Rich draws it whole.

Rich lays out a table before it prints a line of it: it measures every cell
of every row to size the columns, then renders each cell through several
layers of generic renderables. For 10,000 rows that is seconds of silence on
a terminal. :class:`StreamedTable` (through :func:`stream_parts`) instead

1. sizes the columns once, from all the rows, by Rich's own algorithm: it
   measures the cells' text (the longest line and the longest word of each,
   as ``Text.__rich_measure__`` does) and lets Rich lay out a *proxy* table
   of the same columns holding, per column, two cells with the same extremes
   (so the same measurement), drawn with the real box except for a ``|``
   between the cells of its rows, which shows the widths Rich chose;
2. takes the title, the header and its rule from that proxy (they are drawn
   as the real table draws them);
3. draws each row itself: a cell of one-cell characters in one style per line
   wrapped by :func:`wrap_text` as ``Text.wrap`` wraps it, any other cell by
   ``Text.wrap`` itself, its lines padded as Rich's
   ``Padding`` does, cells joined by the box's column divider, rows separated
   by the box's blank "leading" line, each segment styled by ``Style.render``
   as the console would, and trailing blanks stripped as
   :func:`policyx.output.console.drawn` does;

and yields the text a few rows at a time. A test compares the joined pieces
with the whole table drawn by Rich for many listings, widths and with and
without colour. When a table is outside what this module draws (options such
as lines between rows, a footer or vertical padding; widths it cannot read),
it says so before anything is drawn and the caller draws the table whole.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from rich import box as boxes
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, OverflowMethod, RenderableType
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.table import Table
from rich.text import Text

#: rows in the first piece (a screenful: the reader sees something at once), then per piece
FIRST_ROWS = 24
ROWS_PER_PIECE = 200


class NotStreamable(Exception):
    """This table must be drawn whole by Rich (see the module's docstring)."""


#: Characters one cell wide to Rich (a test checks each against ``rich.cells.cell_len``) and
#: newlines: text made only of these is measured by ``len`` and wrapped by :func:`wrap_text`.
SINGLE_CELL = "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e"
_SIMPLE = re.compile(f"[\n{SINGLE_CELL}]*")


def _simple(plain: str) -> bool:
    """One cell per character (no tabs to expand, no wide or zero-width characters)."""
    return _SIMPLE.fullmatch(plain) is not None


def _measure(texts: Iterable[str]) -> tuple[int, int]:
    """Rich's measurement of a column's cells: (longest word of any cell, longest line of any cell).

    As ``Text.__rich_measure__``: a cell without words counts its longest line as its word.
    The column's cells are measured together (maxima of maxima), in a few passes in C.
    """
    cells = list(texts)
    joined = "\n".join(cells)
    size = len if _simple(joined) else cell_len
    maximum = max(map(size, joined.splitlines()), default=0)
    minimum = max(map(size, joined.split()), default=0)
    for blank in (cell for cell in cells if not cell.strip()):
        minimum = max(minimum, max(map(size, blank.splitlines()), default=0))
    return minimum, maximum


_WORD = re.compile(r"\s*\S+\s*")


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` (one line of :data:`SINGLE_CELL` characters) wrapped at ``width`` as Rich's
    ``Text.wrap`` with ``overflow="fold"`` wraps it: a break before a word that does not fit, a
    word longer than a line folded across lines, blanks beyond the width dropped at a line's end."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # fold the word (with its trailing blanks) into pieces a line wide
            for piece_start in range(start, end, width):
                if piece_start:
                    breaks.append(piece_start)
                offset = min(width, end - piece_start)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(text)]
    lines = []
    for begin, stop in zip(bounds, bounds[1:], strict=False):
        line = text[begin:stop]
        if len(line) > width:  # Text.rstrip_end: trailing blanks beyond the width go
            excess = len(line) - width
            blanks = len(line) - len(line.rstrip())
            line = line[: len(line) - min(blanks, excess)]
            line = line[:width]  # Text.truncate (fold): what still overflows is cut
        lines.append(line)
    return lines


def _proxy_cells(minimum: int, maximum: int) -> tuple[str, str]:
    """Two cells whose measurements have the extremes ``minimum`` (word) and ``maximum`` (line)."""
    word = "x" * minimum
    if maximum <= minimum:
        return word, word
    return word, "x" + " " * (maximum - 1)  # a one-letter word, one line ``maximum`` long


def _copy_frame(frame: Table, box: boxes.Box) -> Table:
    """An empty copy of ``frame`` (its settings and columns, no rows) with another box."""
    table = copy.deepcopy(frame)
    table.box = box
    return table


#: the characters of a head rule (Rich's ASCII box, which a terminal that is not UTF-8 gets, included)
_RULE = frozenset("─-+")


def _probe_box(box: boxes.Box | None) -> boxes.Box:
    """``box`` with "|" between the cells of body rows: the head, its rule and the header
    are drawn as ``box`` draws them."""
    if box is None:
        raise NotStreamable("no box")
    lines = str(box).splitlines()
    for index in (3, 6):  # the vertical lines of the body's rows and of the last row
        lines[index] = lines[index][:2] + "|" + lines[index][3:]
    return boxes.Box("\n".join(lines) + "\n", ascii=box.ascii)


def _draw(console: Console, renderable: RenderableType) -> list[str]:
    """The lines ``console`` draws for ``renderable`` (trailing blanks kept)."""
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().split("\n")[:-1]


def _finish(lines: list[str]) -> str:
    """Lines as :func:`policyx.output.console.drawn` leaves them: no trailing blanks."""
    return "".join(line.rstrip() + "\n" for line in "".join(line + "\n" for line in lines).splitlines())


class _Column:
    __slots__ = ("width", "inner", "left", "right", "overflow", "no_wrap")

    def __init__(
        self, width: int, inner: int, left: int, right: int, overflow: OverflowMethod | None, no_wrap: bool,
    ) -> None:
        self.width, self.inner, self.left, self.right = width, inner, " " * left, " " * right
        self.overflow = overflow
        self.no_wrap = no_wrap


class Rows(Protocol):
    """The rows of a table: built one at a time, and their text without building them."""

    def __len__(self) -> int: ...

    def texts(self, index: int) -> Iterable[str]:
        """The plain text of every cell of column ``index``, row by row."""
        ...

    def cells(self, row: int) -> Sequence[Text]:
        """The cells of row ``row``."""
        ...


class StreamedTable:
    """One table, its columns sized from all its rows, ready to be drawn a few rows at a time.

    Creating it raises :class:`NotStreamable` when Rich must draw the table whole.
    """

    def __init__(self, console: Console, frame: Table, rows: Rows, color: bool) -> None:
        self.console = console
        self.rows = rows
        self.color_system = ColorSystem.STANDARD if color else None
        self._styles: dict[object, Style] = {}
        if (not frame.show_header or frame.show_footer or frame.caption or frame.width or frame.min_width
                or frame.row_styles or console.get_style(frame.style or "") or frame.border_style
                or frame.show_lines or frame.show_edge or frame.collapse_padding or frame.box is None):
            raise NotStreamable("table options")
        count = len(frame.columns)
        top, right, bottom, left = frame.padding
        if top or bottom:
            raise NotStreamable("vertical padding")
        # 1. the widths Rich gives the columns, from a proxy table with the same columns and
        # measurements, drawn with the real box but "|" between the cells of its rows
        extremes = [_measure(rows.texts(index)) for index in range(count)]
        proxies = [_proxy_cells(low, high) for low, high in extremes]
        proxy = _copy_frame(frame, _probe_box(frame.box))
        for which in (0, 1):
            proxy.add_row(*(Text(pair[which]) for pair in proxies))
        drawn = _draw(console, proxy)
        # 2. title, header and rule are the real ones, up to the rule; the line after it is
        # the proxy's first row, whose "|" show the widths Rich chose
        rule = next((i for i, line in enumerate(drawn) if line and set(line) <= _RULE), None)
        if rule is None or rule + 1 >= len(drawn):
            raise NotStreamable("no head rule")
        widths = [len(part) for part in drawn[rule + 1].split("|")]
        if len(widths) != count or sum(widths) + count - 1 > console.width:
            raise NotStreamable("widths")
        self.head = drawn[: rule + 1]
        # 3. how each column's cells are drawn (as Table: Padding around each cell's text)
        self.columns: list[_Column] = []
        for index, (column, width) in enumerate(zip(frame.columns, widths, strict=True)):
            pad_left = 0 if index == 0 and not frame.pad_edge else left
            pad_right = 0 if index == count - 1 and not frame.pad_edge else right
            inner = width - pad_left - pad_right
            styled = console.get_style(column.style or "")
            if inner < 1 or column.vertical != "top" or column.justify != "left" or styled:
                raise NotStreamable(f"column {column.header!r}")
            self.columns.append(_Column(width, inner, pad_left, pad_right, column.overflow, column.no_wrap))
        box = frame.box.substitute(console.options, safe=console.safe_box)
        self.divider, self.last_divider = box.mid_vertical, box.foot_vertical
        self.leading = box.get_row(widths, "mid", edge=False) * frame.leading if frame.leading else None

    def _style(self, style: StyleType) -> Style:
        found = self._styles.get(style)
        if found is None:
            found = self._styles[style] = self.console.get_style(style)
        return found

    def _line(self, segments: Iterable[Segment]) -> str:
        color_system = self.color_system
        if color_system is None:
            return "".join(segment.text for segment in segments)
        return "".join(
            style.render(text, color_system=color_system) if style else text for text, style, _ in segments
        )

    def cell(self, cell: Text, column: _Column) -> list[str]:
        """The cell's lines, each ``column.inner`` cells wide, as Rich renders a Text in a column
        (``Text.__rich_console__``: wrapped and padded by ``Text.wrap``, each line's own style
        under its spans)."""
        inner = column.inner
        no_wrap = column.no_wrap if cell.no_wrap is None else cell.no_wrap
        overflow = cell.overflow or column.overflow
        if cell.justify is None and (no_wrap or overflow == "fold"):
            lines = self._simple_cell(cell, inner, no_wrap)
            if lines is not None:
                return lines
        wrapped = cell.wrap(
            self.console, inner, justify=cell.justify or "left", overflow=overflow,
            tab_size=cell.tab_size or self.console.tab_size or 8, no_wrap=no_wrap,
        )
        out = []
        for line in wrapped:
            if line.spans:
                segments = list(line.render(self.console))
            else:
                segments = [Segment(line.plain, self._style(line.style) if line.style else None)]
            if cell_len(line.plain) != inner:
                segments = Segment.adjust_line_length(segments, inner)
            out.append(self._line(segments))
        return out or [" " * inner]

    def _simple_cell(self, cell: Text, inner: int, no_wrap: bool) -> list[str] | None:
        """The lines of a cell whose every line is one-cell characters in one style (ids, claims,
        the dim line of folded fields), wrapped as ``Text.wrap`` does; None for any other cell."""
        plain = cell.plain
        if not _simple(plain):
            return None
        base = self._style(cell.style) if cell.style else None
        spans = cell.spans
        out: list[str] = []
        start = 0
        for piece in plain.split("\n"):
            end = start + len(piece)
            style = base
            for span in spans:
                if span.end <= start or span.start >= end or span.start == span.end:
                    continue
                if span.start > start or span.end < end:
                    return None  # a style on part of a line (search highlights): Rich's to wrap
                style = Style.combine([style or Style.null(), self._style(span.style)])
            if no_wrap:
                if len(piece) > inner:
                    return None
                lines = [piece]
            else:
                lines = wrap_text(piece, inner)
            for line in lines:
                pad = " " * (inner - len(line))
                if style is base:  # the padding is in the cell's style too
                    out.append(self._line([Segment(line + pad, base)]))
                else:  # a span's style covers the text only
                    out.append(self._line([Segment(line, style), Segment(pad, base)]))
            start = end + 1
        return out

    def row(self, cells: Sequence[Text], last: bool) -> list[str]:
        """The lines of one row (and the blank leading line after it, unless it is the last)."""
        drawn = [
            [column.left + line + column.right for line in self.cell(cell, column)]
            for cell, column in zip(cells, self.columns, strict=True)
        ]
        height = max(map(len, drawn))
        divider = self.last_divider if last else self.divider
        lines = [
            divider.join(
                lines[line_no] if line_no < len(lines) else " " * column.width
                for lines, column in zip(drawn, self.columns, strict=True)
            )
            for line_no in range(height)
        ]
        if self.leading is not None and not last:
            lines.append(self.leading)
        return lines

    def pieces(self, first_rows: int = FIRST_ROWS, rows_per_piece: int = ROWS_PER_PIECE) -> Iterator[str]:
        """Title, header and the first rows, then ``rows_per_piece`` rows at a time."""
        lines = list(self.head)
        count = len(self.rows)
        limit = first_rows
        for index in range(count):
            lines.extend(self.row(self.rows.cells(index), index == count - 1))
            if index + 1 >= limit:
                yield _finish(lines)
                lines = []
                limit = index + 1 + rows_per_piece
        if lines:
            yield _finish(lines)


def stream_parts(
    parts: Sequence[tuple[Table, Rows] | RenderableType], console: Console, color: bool,
    whole: Callable[[], str],
) -> Iterator[str]:
    """Tables (an empty frame and its rows' cells) and other renderables one after another, as
    ``console.print(Group(...))`` draws them; ``whole()`` draws it all at once instead when a
    table cannot be streamed (decided before anything is yielded)."""
    prepared: list[StreamedTable | RenderableType] = []
    for part in parts:
        if isinstance(part, tuple):
            frame, rows = part
            try:
                prepared.append(StreamedTable(console, frame, rows, color))
            except NotStreamable:
                yield whole()
                return
        else:
            prepared.append(part)
    for item in prepared:
        if isinstance(item, StreamedTable):
            yield from item.pieces()
        else:
            yield _finish(_draw(console, item))
