"""How many examples the property tests (Hypothesis) try.

Each property names the number of examples a thorough run tries (``examples(600)``). The
everyday run (the README's ``pytest``, CI) tries a third of it, at least 30: Hypothesis keeps
every failing example in ``.hypothesis/`` and tries it first in every later run, so a finding
is not lost, and most findings come early. Before a release, or after changing a reader or the
cache, run them all::

    POLICYX_FUZZ=thorough pytest        # every property its full count
    POLICYX_FUZZ=2000 pytest            # 2000 examples each
"""

from __future__ import annotations

import os

from hypothesis import settings

_CHOSEN = os.environ.get("POLICYX_FUZZ", "").strip()


def examples(thorough: int) -> int:
    """The examples to try of a property whose thorough run tries ``thorough``."""
    if _CHOSEN == "thorough":
        return thorough
    if _CHOSEN.isdigit() and int(_CHOSEN) > 0:
        return int(_CHOSEN)
    return max(30, thorough // 3)


#: the properties that name no count (Hypothesis's own default is 100)
settings.register_profile("policyx", max_examples=examples(100))
settings.load_profile("policyx")
