"""The loader's limits applied to an AIF map before it is converted: a map whose knowledge base
policyx would refuse to read is refused at once, located, and nothing is built or written.

:func:`least_values` is a lower bound of the YAML values (``schema.MAX_VALUES`` counts them)
that the knowledge base of one AIF file holds, read from its parsed JSON in one pass with no
node objects built: every claim (an I-node with words) is an entry of its own or a premise of
a linked argument, so it holds at least its mapping and its ``claim``; one that no inference can
make a linked premise is an entry, so also its ``id`` and its ``question`` or target; in a map
without locutions every claim quotes its own text (``quote`` and ``source``). Whatever else the
knowledge base holds only adds to it, so a map refused here can never make a knowledge base
policyx reads (tests/test_import_limits.py holds the bound below the true count). The true
count, once converted, is checked again before anything is written (``common.within_limits``).
"""

from __future__ import annotations

from typing import Any

from ..kb import schema
from .aif_read import as_id, unwrap
from .common import too_large

#: what every claim holds (its mapping, its ``claim``); an entry's ``id`` and ``question`` or target;
#: a claim quoting its own text: ``quote`` and ``source``
PER_CLAIM, PER_ENTRY, PER_QUOTE = 2, 2, 2
#: node types as files write them (no spaces, upper case): taken as they are
_PLAIN = frozenset(("I", "L", "RA", "CA", "MA", "YA", "TA", "PA"))
#: the inferences whose premises may be linked (one argument of several premises)
_GROUPS = ("RA", "CA")


def least_values(data: Any) -> tuple[int, int]:
    """(the claims, the fewest YAML values their knowledge base holds) of one AIF file's parsed JSON;
    (0, 0) for what is no map (the reader words its errors)."""
    data = unwrap(data)
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list):
        return 0, 0
    kinds: dict[str, str] = {}
    claims: set[str] = set()
    locutions = False
    for raw in nodes:
        if type(raw) is not dict:
            continue
        kind = raw.get("type")
        if type(kind) is not str:
            continue
        node_id = as_id(raw["nodeID"] if "nodeID" in raw else raw.get("id"))
        if node_id is None:
            continue
        kind = kinds[node_id] = kind if kind in _PLAIN else kind.strip().upper()
        if kind == "I":
            text = raw.get("text")  # words: what one_line(clean(text)) keeps is not empty
            if text.strip() if type(text) is str else type(text) in (int, float):
                claims.add(node_id)
        elif kind == "L":
            locutions = True
    # An inference with two or more premises (a locution may stand for its claim), or fed by another
    # inference (policyx's own export chains a linked argument's S-nodes), may make them linked premises.
    premises: dict[str, int] = {}
    chained: set[str] = set()
    edges = data.get("edges")
    edges = [e for e in edges if type(e) is dict] if isinstance(edges, list) else []
    for edge in edges:  # (two passes over the edges rather than a list of a million pairs)
        target = as_id(edge.get("toID"))
        if target is not None and kinds.get(target) in _GROUPS:
            source = kinds.get(as_id(edge.get("fromID")) or "")
            if source in ("I", "L"):
                premises[target] = premises.get(target, 0) + 1
            elif source is not None and source not in ("YA", "TA"):
                chained.add(target)
    linked = {s for s, n in premises.items() if n > 1} | chained
    maybe_premise = {source for edge in edges if (source := as_id(edge.get("fromID"))) in claims
                     and as_id(edge.get("toID")) in linked}
    per_claim = PER_CLAIM + (0 if locutions else PER_QUOTE)
    return len(claims), len(claims) * per_claim + (len(claims) - len(maybe_premise)) * PER_ENTRY


def within_limits(name: str, data: Any) -> None:
    """Refuse, before any of its work, an AIF file whose knowledge base would hold more YAML values
    than policyx reads (``schema.MAX_VALUES``)."""
    limit = schema.MAX_VALUES  # read here, not bound at import: tests lower it
    document = unwrap(data)
    nodes = document.get("nodes") if isinstance(document, dict) else None
    if isinstance(nodes, list) and len(nodes) * (PER_CLAIM + PER_QUOTE + PER_ENTRY) <= limit:
        return  # even were every node a claim, the bound could not pass the limit: no pass needed
    claims, least = least_values(data)
    if least > limit:
        raise too_large(name, f"its {claims:,} claims (I-nodes with text) would make", least,
                        "split the map into several files and import them as a library, one knowledge base per file"
                   " (policyx import FOLDER -o FOLDER-kb/), or import a part of the map")
