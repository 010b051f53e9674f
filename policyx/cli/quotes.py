"""The warning a command gives when quotes it shows are not verbatim in their sources.

Every command opens its knowledge base through the cache (:func:`policyx.kb.store.open_kb`),
which compares each quote with its source when it loads the file and keeps the result;
this module only words it, once per run, naming the entries shown whose quotes differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..kb.hints import command
from ..kb.model import KnowledgeBase, kind_of
from .runtime import say

#: how many entries a warning names before it says how many more there are
NAMED = 5


def warn_unverified(kb: KnowledgeBase, shown: Iterable[str] | None = None) -> None:
    """Say on stderr which of the ``shown`` entries (all when None) have a quote that is not
    verbatim in its source; nothing when every one is."""
    if kb.quotes is None or not kb.quotes.not_verbatim:
        return
    wanted = None if shown is None else set(shown)
    ids = list(dict.fromkeys(e for e, _, _ in kb.quotes.not_verbatim if wanted is None or e in wanted))
    if not ids:
        return
    named = []
    for entry_id in ids[:NAMED]:
        entry = kb.get(entry_id)
        named.append(f"{kind_of(entry).singular} {entry_id!r}" if entry is not None else repr(entry_id))

    more = f" and {len(ids) - NAMED} more" if len(ids) > NAMED else ""
    what = "the quote of" if len(ids) == 1 else "the quotes of"
    verb = "is" if len(ids) == 1 else "are"
    say(f"policyx: warning: {what} {', '.join(named)}{more} {verb} not verbatim in the source"
        f" (`{command('check')}` shows where)")
