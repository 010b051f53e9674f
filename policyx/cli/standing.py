"""``policyx standing``: which positions and arguments stand, and why (derived labels)."""

from __future__ import annotations

from typing import Any

import typer

from ..kb.errors import UsageError
from ..kb.hints import command, option
from ..views.listing import Filters
from ..views.standing import standing_listing, why_listing
from .options import STANDING_FILTERS, SUMMARIES
from .output import emit
from .params import takes
from .runtime import say
from .session import session_of

app = typer.Typer()

@app.command("standing", short_help=SUMMARIES["standing"])
@takes("standing")
def standing_command(ctx: typer.Context, entry: str | None = None, **chosen: Any) -> None:
    """Which positions and arguments stand, by Dung's semantics (derived, not recorded).

    Every position and argument is an argument of an abstract framework;
    an argument against an entry attacks it; supports attack nothing.
    Grounded (the default) labels each in, out or undecided: in when every
    attacker is out, out when an attacker is in. Preferred and stable label
    each skeptical (in every extension), credulous (in some) or rejected
    (in none); stable may have no extension at all, and says so. On a tree
    of arguments (the bundled debate) every semantics agrees with grounded.
    On a terminal: a table per question, headed by a one-line verdict.
    See docs/standing.md for the definition.

    \b
    Examples:
      policyx standing
      policyx standing -q criminalizing-johns
      policyx standing criminalize-johns
      policyx standing criminalize-johns --why
      policyx standing --label out -f ids
      policyx standing --semantics preferred -f json
    """
    session = session_of(ctx)
    semantics = chosen.get("semantics")
    semantics = "grounded" if semantics is None else semantics  # "" is a mistake, said as such
    seconds = _seconds(chosen.get("time_limit"))
    fmt = chosen.get("fmt")
    if chosen.get("why"):
        if entry is None:
            raise UsageError(f"--why explains one entry's label: give its id ({command('standing', 'ID', '--why')})")
        ignored = [k for k in ("label", *STANDING_FILTERS) if chosen.get(k)]
        if ignored:  # they choose entries, and --why has one already: said, not silently dropped
            raise UsageError(f"--why explains the label of the entry given; {', '.join(map(option, ignored))}"
                             f" choose entries and do not go with it ({command('standing', entry, '--why')})")
        emit(session, why_listing(session.kb(), entry, semantics, seconds), fmt)
        return
    given: dict[str, Any] = {k: tuple(chosen[k]) for k in STANDING_FILTERS if chosen.get(k)}
    filters = Filters(**given)
    labels = tuple(chosen.get("label") or ())
    only = (entry,) if entry is not None else ()
    listing = standing_listing(session.kb(), semantics, filters, labels, seconds, only)
    emit(session, listing, fmt)
    if listing.title and "has no" in listing.title:
        say(f"policyx: note: {listing.title.rsplit('): ', 1)[1]}")


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None

    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 10**6:
        raise UsageError(f"--time-limit takes a number of seconds above 0 and at most 1000000, not {value!r}")
    return seconds
