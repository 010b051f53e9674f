"""The loader's limits applied to an Argdown document before it is converted: a document whose
knowledge base policyx would refuse to read is refused once read (by the Argdown CLI or policyx's
own parser, or given as the JSON ``argdown json`` writes), before any claim is built, and nothing
is written.

:func:`least_values` is a lower bound of the YAML values (``schema.MAX_VALUES`` counts them) of
the knowledge base one document makes, in one pass over its statements and arguments with no
claim built. It counts only what surely becomes an entry of its own (Argdown has no linked
premises outside an argument's own structure, so every claim kept is an entry):

- a statement with a title of its own (not Argdown's ``Untitled N``, which is prose unless
  related), a member with words once its tags are taken off, and no member in an argument's
  premise-conclusion structure (which may make it a part of that argument): its mapping, ``id``,
  ``claim``, ``quote`` and ``source`` (its first member's words, quoted);
- an argument with a title: its mapping, ``id`` and ``claim``.

Whatever else the knowledge base holds only adds to it, so a document refused here can never make
a knowledge base policyx reads (tests/test_import_early_limits.py holds the bound below the true
count). The true count, once converted, is checked again before anything is written
(``common.within_limits``).
"""

from __future__ import annotations

from typing import Any

from ..kb import schema
from .argdown import _AUTO_TITLE, _INSIDE, _strip_tags, _text
from .common import one_line, too_large

#: a statement's entry: mapping, id, claim, quote, source; an argument's: mapping, id, claim
PER_STATEMENT, PER_ARGUMENT = 5, 3


def least_values(data: Any) -> tuple[int, int]:
    """(the statements and arguments counted, the fewest YAML values their knowledge base holds) of
    an Argdown document's JSON; (0, 0) for what is no such JSON (the reader words its errors)."""
    statements = data.get("statements") if isinstance(data, dict) else None
    arguments = data.get("arguments") if isinstance(data, dict) else None
    if not isinstance(statements, dict) or not isinstance(arguments, dict):
        return 0, 0
    counted = 0
    for title, statement in statements.items():
        if not isinstance(statement, dict) or _AUTO_TITLE.match(title):
            continue
        members = [m for m in statement.get("members") or () if isinstance(m, dict)]
        if any(m.get("role") in _INSIDE for m in members):
            continue
        worded = next((m for m in members if _text(m).strip()), None)
        if worded is not None and ("#" not in _text(worded) or _strip_tags(worded)[0]):  # (no tag: words)
            counted += 1
    titled = sum(1 for title, argument in arguments.items() if isinstance(argument, dict) and one_line(title))
    return counted + titled, counted * PER_STATEMENT + titled * PER_ARGUMENT


def within_limits(name: str, data: Any) -> None:
    """Refuse, before any claim is built, an Argdown document whose knowledge base would hold more
    YAML values than policyx reads (``schema.MAX_VALUES``)."""
    limit = schema.MAX_VALUES  # read here, not bound at import: tests lower it
    if not isinstance(data, dict) or not isinstance(data.get("statements"), dict) \
            or not isinstance(data.get("arguments"), dict):
        return
    if len(data["statements"]) * PER_STATEMENT + len(data["arguments"]) * PER_ARGUMENT <= limit:
        return  # even were every one counted, the bound could not pass the limit: no pass needed
    counted, least = least_values(data)
    if least > limit:
        raise too_large(name, f"its {counted:,} statements and arguments with titles would make", least,
                        "split the document into several files (a section each) and import them one at a time,"
                   " or import a part of it")
