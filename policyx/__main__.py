"""Entry point of the ``policyx`` command and ``python -m policyx``."""

from __future__ import annotations

import sys


def main() -> None:
    # Simple machine-format reads skip Typer and Rich entirely (start-up time);
    # everything else, and anything unusual, goes to the Typer CLI.
    from .fast import try_run

    code = try_run(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli import run

    run()


if __name__ == "__main__":
    main()
