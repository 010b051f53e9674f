"""Opening a knowledge base for a command (the cache lives here)."""

from __future__ import annotations

from pathlib import Path

from .load import load
from .model import KnowledgeBase


def open_kb(path: Path, use_cache: bool = True) -> KnowledgeBase:
    """Load and validate ``path``. (The speed issue adds the cache here.)"""
    return load(path)
