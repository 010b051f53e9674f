"""What a read command shows: records of one shape, plus how a table should show them."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

Record = dict[str, "Any"]  # a string: typing is not imported at run time


@dataclass(frozen=True)
class Listing:
    """What a read command shows: records plus how a table should show them."""

    records: list[Record]
    #: columns a table or plain line shows, in order (all record keys when empty)
    columns: tuple[str, ...] = ()
    title: str | None = None
    #: extra, command-specific structure (e.g. compare); json and yaml show it instead of the records
    meta: dict[str, Any] = field(default_factory=dict)
    #: which command's layout a table or markdown uses: "list", "show", "search" or "compare"
    view: str = "list"
    #: tables: one section per value of this field, headed by ``groups[value]``
    group_by: str | None = None
    groups: dict[str, str] = field(default_factory=dict)
    #: search: words to highlight (word prefixes, lower case)
    highlight: tuple[str, ...] = ()
    #: the field ``ids`` prints
    id_field: str = "id"


