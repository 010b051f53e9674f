"""Entry point of the ``policyx`` command and ``python -m policyx``."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # A run is short and its data (entries, records, rows) holds no reference
    # cycles, so reference counting frees everything; the cyclic collector would
    # only walk hundreds of thousands of fresh records again and again (it took
    # more than half the time of listing 100,000 arguments as JSON).
    gc.disable()
    # Simple machine-format reads skip Typer and Rich entirely (start-up time);
    # everything else, and anything unusual, goes to the Typer CLI.
    from .cli.fast import try_run

    code = try_run(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli.app import run

    run()


if __name__ == "__main__":
    main()
