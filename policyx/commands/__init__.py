"""CLI commands, one module per family; each registers on ``policyx.cli.app``."""
