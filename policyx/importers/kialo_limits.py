"""The loader's limits applied to a Kialo export before it is converted: an export whose knowledge base
policyx would refuse to read is refused at once, and nothing is built or written.

:func:`least_values` is a lower bound of the YAML values (``schema.MAX_VALUES`` counts them) of the
knowledge base one export makes, found in one pass over the text with no claim objects built,
stopping as soon as the bound passes the limit (so its memory is bounded by the limit, not the
file). It counts only the claims that surely become an entry of their own: the thesis (``1.``) and
every ``Pro:`` or ``Con:`` claim with words on its numbered line, not a ``-> See`` link, whose
parent came before it and is counted too (left out when its parent is, and so is what answers it).
Each holds at least an argument's values: its mapping, ``id``, ``claim``, ``for`` or ``against``,
``quote`` and ``source``. In a discussion with several theses (``1.1. Thesis: ...``) the top claim
is the question (no entry), its theses are counted, its Pros and Cons are not. Whatever else the
knowledge base holds only adds to it, so an export refused here can never make a knowledge base
policyx reads (tests/test_import_limits.py holds the bound below the true count). The true count,
once converted, is checked again before anything is written (``common.within_limits``).
"""

from __future__ import annotations

import itertools
import re

from ..kb import schema
from .common import too_large

#: the fewest values of the entry a claim makes (an argument: mapping, id, claim, for, quote, source)
PER_ENTRY = 6
#: a numbered line (as kialo._LINE reads one), its text up to the end of the line; after a line feed
#: (a literal first: the regex engine looks for it fast), the first line is matched on its own
_CLAIM = re.compile(r"\n((?:\d+\.)+)[ \t]+(?:((?i:Pro|Con|Thesis))[ \t]*:[ \t]*)?"
                    "([^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*)")
_THESIS = re.compile(r"\n(\d+\.)\d+\.[ \t]+(?i:Thesis)[ \t]*:")
_WORD = re.compile(r"\w")


def least_values(text: str, limit: int | None = None) -> tuple[int, int, int]:
    """(the claims counted, the fewest YAML values their knowledge base holds, the line of the last
    claim counted) of a Kialo export, stopping once the values pass ``limit``."""
    multi = {match.group(1) for match in _THESIS.finditer(text)}  # top claims asking the question
    placed: set[str] = set()
    claims = values = end = 0
    first = _CLAIM.match("\n" + (text[:text.find("\n")] if "\n" in text else text))
    for match in itertools.chain((first,) if first else (), _CLAIM.finditer(text)):
        number, stance, words = match.groups()
        top = number.count(".") == 1
        if number in placed or not _WORD.search(words) or words.lstrip().startswith("->"):
            continue
        parent = number[: number[:-1].rfind(".") + 1]
        thesis = stance is not None and stance.lower() == "thesis"
        if top and number in multi:  # the question: no entry of its own, but its theses are positions
            placed.add(number)
            continue
        if not top and (parent not in placed or (not thesis if parent in multi else stance is None or thesis)):
            continue
        placed.add(number)
        claims += 1
        values += PER_ENTRY
        end = match.start(1) - 1 if match is first else match.start(1)
        if limit is not None and values > limit:
            break
    return claims, values, text.count("\n", 0, end) + 1


def within_limits(name: str, text: str) -> None:
    """Refuse, before any of its work, a Kialo export whose knowledge base would hold more YAML
    values than policyx reads (``schema.MAX_VALUES``)."""
    limit = schema.MAX_VALUES  # read here, not bound at import: tests lower it
    if text.count("\n") * PER_ENTRY <= limit:
        return  # too few lines to pass it (a claim is a line)
    claims, least, line = least_values(text, limit)
    if least > limit:
        raise too_large(name, f"its first {claims:,} claims, up to this line, already make", least,
                        "split the discussion into several exports (a branch each) and import them one at a time,"
                        " or import a part of it", line=line)
