"""The validators' vocabulary: key paths (where a problem is in the data) and the wording
they share (what a value is, what to write for a missing field).

The other concerns that lived here have modules of their own: reading errors
(:mod:`.readerrors`), YAML error wording (:mod:`.yamlerrors`), where a problem is
(:mod:`.locating`), the comment lint (:mod:`.commentlint`) and did-you-mean
(:mod:`.suggestions`).
"""

from __future__ import annotations

import sys

from .model import Kind
from .schema import FieldSpec

# did-you-mean lives in .suggestions; cli/ still imports these two from here
from .suggestions import CUTOFF as CUTOFF
from .suggestions import did_you_mean as did_you_mean

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Where a problem is in the data: keys and list indexes from the top, e.g. ("arguments", 3, "for").
PathKey = tuple[str | int, ...]
#: Last element of a key path that names a mapping key itself (an unknown key), not its value.
KEY = "\0key"


QUOTE_HINTS = {
    "a boolean": "YAML reads yes, no, on, off, true and false as booleans: put the item in quotes, e.g. [\"on\"]",
    "a number": "put the item in quotes to keep it as text",
    "a date": "put the item in quotes to keep it as text",
}


def a_kind(kind: Kind) -> str:
    """'an actor', 'a position'."""
    return ("an " if kind.singular[0] in "aeiou" else "a ") + kind.singular


def missing_hint(spec: FieldSpec) -> str:
    """What to write for a required field that is missing: its name and what it holds."""
    what = spec.doc.rstrip(".")
    hint = f"add '{spec.name}:', {what[:1].lower()}{what[1:]}"
    if spec.enum is not None:
        hint += ": one of " + ", ".join(member.value for member in spec.enum)
    return hint


def is_date(value: Any) -> bool:
    """A date or time as YAML reads ``2024-05-01``. Such a value exists only once PyYAML has
    loaded ``datetime``, so it is looked up rather than imported (a valid file never needs it)."""
    datetime = sys.modules.get("datetime")
    return datetime is not None and isinstance(value, datetime.date)  # a datetime is a date too


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if is_date(value):
        return "a date"
    return {
        dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
        set: "a set", tuple: "a list", bytes: "binary data",
    }.get(type(value), type(value).__name__)
