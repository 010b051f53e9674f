"""`policyx info`'s formats: what it found, as lines for people or as one JSON document."""

from __future__ import annotations

import json
from typing import Any

from ..kb.hints import command
from ..kb.model import KnowledgeBase, kind_of
from .cells import one_line


def render_json(found: dict[str, Any], kb: KnowledgeBase) -> str:
    return json.dumps(found, ensure_ascii=False, indent=2) + "\n"


def render_unread(where: dict[str, Any], problem: str, fmt: str) -> str:
    """What ``info`` found when the knowledge base it found cannot be read: which files, chosen
    by what; the problem itself goes to stderr (and, in JSON, under ``problem``)."""
    if fmt == "json":
        return json.dumps({**where, "problem": problem}, ensure_ascii=False, indent=2) + "\n"
    rows = [("knowledge base", f"{where['path']} ({where['origin']})"),
            *((("project", project["file"] + ("" if project["used"] else f" (not used: {project['why']})")),)
              if (project := where["project"]) else ()),
            *((("sources folder", where["sources"]),) if where["sources"] else ()),
            ("problem", "it cannot be read (below, on stderr)")]
    width = max(len(label) for label, _ in rows)
    return "".join(f"{label.ljust(width)}  {one_line(value)}\n" for label, value in rows)


def _named(kb: KnowledgeBase, entry_id: str) -> str:
    entry = kb.get(entry_id)
    return f"{kind_of(entry).singular} {entry_id!r}" if entry is not None else repr(entry_id)


def _quotes_line(kb: KnowledgeBase, quotes: dict[str, Any] | None) -> str:
    if quotes is None:
        return "not checked"
    line = f"{quotes['verbatim']} verbatim in their sources"
    wrong = list(dict.fromkeys(item["entry"] for item in quotes["not_verbatim"]))
    if wrong:
        line += f"; {len(quotes['not_verbatim'])} not verbatim: {', '.join(_named(kb, e) for e in wrong)}" \
                f" ({command('check')} shows where)"
    for item in quotes["unchecked"]:
        line += f"; not checked: {item['why']}"
    if not wrong and not quotes["unchecked"]:
        line += ", every one checked"
    return line


def render_text(found: dict[str, Any], kb: KnowledgeBase) -> str:
    counts = ", ".join(f"{n} {name}" for name, n in found["counts"].items())
    caches = found["cache"] if isinstance(found["cache"], list) else [found["cache"]]
    code = found["policyx"]
    where = "installed in site-packages: edits in a clone change nothing until it is installed again" \
        if code["installed"] else "a source checkout or an editable install: edits show at once"
    rows = [
        ("knowledge base", f"{found['path']} ({found['origin']})"),
        *((("project", f"{project['file']}" + ("" if project["used"] else f" (not used: {project['why']})")),)
          if (project := found["project"]) else ()),
        *((("sources folder", found["sources"] + (" (no such folder)" if found.get("sources_missing") else "")),)
          if found["sources"] else ()),
        ("title", found["title"] or "(none)"),
        ("entries", counts),
        ("quotes", _quotes_line(kb, found["quotes"])),
        *(("cache", f"{cache['file']} ({cache['state']})" if cache["file"] else cache["state"]) for cache in caches),
        ("policyx", f"{code['version']}, from {code['package']} ({where})"),
    ]

    width = max(len(label) for label, _ in rows)
    return "".join(f"{label.ljust(width)}  {one_line(value)}\n" for label, value in rows)
