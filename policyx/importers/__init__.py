"""Foreign argument data -> policyx knowledge bases: AIF JSON, Argdown, Kialo, arggraph XML, Carneades.

:func:`import_files` detects each file's format from its content (not only
its name), converts it, and returns an :class:`ImportResult`: the knowledge
base as the plain data its YAML file holds, the source texts its quotes come
from, and a summary of what was read and what became of it. :func:`kb_from_text`
does the same in memory for ``--kb`` (a foreign file read directly). Nothing
here prints, and only the Argdown CLI (when installed) is run.

This module imports nothing until a name is used: :func:`is_foreign` runs
on every load of a knowledge base, and the start-up time counts.
"""

from __future__ import annotations

import os
from importlib import import_module

from ..kb.errors import NotArgumentData

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from ..kb.model import KnowledgeBase
    from .common import ImportResult, Summary
    from .dispatch import FORMATS, InputFile, decode, detect, import_files, kb_from_text, to_yaml

__all__ = ["FORMATS", "ImportResult", "InputFile", "Summary", "decode", "detect", "import_files",
           "is_foreign", "kb_from_text", "read_foreign", "to_yaml"]

_WHERE = {"ImportResult": "common", "Summary": "common", "FORMATS": "dispatch", "InputFile": "dispatch",
          "decode": "dispatch", "detect": "dispatch", "import_files": "dispatch", "kb_from_text": "dispatch",
          "to_yaml": "dispatch"}

_ARGDOWN_SUFFIXES = (".argdown", ".ad")


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)


def read_foreign(text: str, path: str) -> KnowledgeBase | None:
    """The knowledge base of an AIF, Argdown or Kialo file, converted in memory; None for any other
    file (a YAML knowledge base is the loader's)."""
    kind = _foreign_kind(text, path)  # the whole path: a broken file found while sniffing is named by it
    if kind is None:
        return None
    if kind == "argdown":
        _no_transcript(path)
    from .dispatch import kb_from_text  # lazy: the importers

    return kb_from_text(text, path)


def _no_transcript(path: str) -> None:
    """Raise NotArgumentData for a forum's transcript (NAME.txt beside the nodeset NAME.json, as
    corpora ship them) whose lines read as Argdown ("[deleted]: words"): it is its nodeset's text,
    no document of its own (as ``policyx import`` of the folder takes it), whichever Argdown
    reader is installed; a library's folder skips it with a note."""
    stem, suffix = os.path.splitext(path)
    nodeset = stem + ".json"
    if suffix.lower() in (".txt", ".html", ".htm") and os.path.isfile(nodeset):
        shown = os.path.basename(nodeset)
        raise NotArgumentData(path, f"the text of the nodeset {shown} beside it, not an Argdown document",
                              f"give {shown}, its argument data (an Argdown document is read as one"
                              " when named .argdown)")


def is_foreign(text: str, name: str) -> bool:
    """Whether a ``--kb`` file is AIF, Argdown or Kialo rather than a policyx YAML file (``name``: its
    path as messages show it; only its suffix decides)."""
    return _foreign_kind(text, name) is not None


def _foreign_kind(text: str, name: str) -> str | None:
    """The format of a ``--kb`` file that is not a policyx YAML file, or None."""
    head = text.lstrip("\ufeff \t\r\n")[:16]
    argdown_name = name.lower().endswith(_ARGDOWN_SUFFIXES)
    if not argdown_name and (head.startswith(("version:", "#", "---", "title:")) or not head):
        return None  # how a knowledge base starts: not even the JSON parse
    from .dispatch import detect  # lazy: the importers

    kind = detect(text, name)
    return kind if kind in ("aif", "argdown-json", "argdown", "kialo", "microtexts", "carneades") else None
