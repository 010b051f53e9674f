"""Entry point of the ``policyx`` command and ``python -m policyx``."""

from __future__ import annotations


def main() -> None:
    from .cli import run

    run()


if __name__ == "__main__":
    main()
