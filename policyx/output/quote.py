"""``policyx quote``'s passages: one per line, ``quote:``/``source:`` pairs to paste, or JSON."""

from __future__ import annotations

import json

from ..kb.passages import SourcePassage


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_plain(found: list[SourcePassage]) -> str:
    """``FILE:LINE:COL<tab>SIMILARITY<tab>TEXT`` per passage (line breaks in the text as spaces)."""
    return "".join(f"{f.file}:{f.passage.line}:{f.passage.column}\t{f.passage.score:.1f}\t{_one_line(f.passage.text)}\n"
                   for f in found)


def render_yaml(found: list[SourcePassage]) -> str:
    """Per passage, a comment saying where it is, then ``quote:`` (and ``source:``) to paste."""
    from ..kb.yamledit import format_scalar  # lazy: PyYAML, only for this format

    blocks = []
    for f in found:
        block = f"# {f.file}:{f.passage.line}:{f.passage.column}, similarity {f.passage.score:.1f}\n"
        block += f"quote: {format_scalar(_one_line(f.passage.text))}\n"
        if f.source is not None:
            block += f"source: {f.source}\n"
        blocks.append(block)
    return "\n".join(blocks)


def render_json(found: list[SourcePassage]) -> str:
    rows = [{"source": f.source, "file": f.file, "line": f.passage.line, "column": f.passage.column,
             "score": f.passage.score, "text": f.passage.text} for f in found]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
