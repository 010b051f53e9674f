"""Entry point of the ``policyx`` command and ``python -m policyx``."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # A run is short and its data (entries, records, rows) holds no reference
    # cycles, so reference counting frees everything; the cyclic collector would
    # only walk hundreds of thousands of fresh records again and again (it took
    # more than half the time of listing 100,000 arguments as JSON).
    gc.disable()
    # The read commands and most tab completions skip Typer (start-up time), and
    # machine formats skip Rich too; everything else, and anything unusual, goes
    # to the Typer CLI.
    if os.environ.get("_POLICYX_COMPLETE"):  # the shell asks for completions (Tab)
        from .cli.fastcomplete import try_complete  # lazy: the front end that runs

        code = try_complete(os.environ)
    else:
        from .cli.fast import try_run  # lazy: the front end that runs

        code = try_run(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli.app import run  # lazy: the front end that runs

    run()


if __name__ == "__main__":
    main()
