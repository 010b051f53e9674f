"""``policyx check``'s report: one line per problem and a summary, or one JSON document."""

from __future__ import annotations

import json
from typing import Any

from ..kb.errors import Problem, shown_path
from ..kb.model import Kind, KnowledgeBase


class Report:
    """What ``check`` found in one knowledge base file."""

    def __init__(
        self, path: str, kb: KnowledgeBase | None, problems: list[Problem], *, not_shown: int = 0,
        hidden_warnings: int = 0, strict: bool = False,
    ) -> None:
        self.path = path
        self.kb = kb
        self.problems = problems
        # the line saying how many were not shown is no problem of its own: an error when
        # errors were left out (not_shown), else a warning
        self.errors = sum(p.severity == "error" for p in problems) + (not_shown - 1 if not_shown else 0)
        self.warnings = [p for p in problems if p.severity == "warning"]
        #: every warning, those not shown too
        self.warning_count = len(self.warnings) + hidden_warnings - (1 if hidden_warnings and not not_shown else 0)
        self.ok = not self.errors and not (strict and self.warning_count)

    def as_dict(self) -> dict[str, Any]:
        """The ``--format json`` document (its structure is documented in README.md)."""
        kb = self.kb
        return {
            "path": self.path,
            "valid": self.ok,
            "errors": self.errors,
            "warnings": self.warning_count,
            "counts": {} if kb is None else {k.value: len(kb.collection(k)) for k in Kind},
            "problems": [p.as_dict() for p in self.problems],
        }


def render_text(report: Report) -> str:
    """One line per problem, then a summary line (all of it a message, for stderr)."""
    lines = [f"{problem.severity}: {problem}" for problem in report.problems]
    kb = report.kb
    path = shown_path(report.path)  # a newline in the file's name cannot start a line of its own
    if kb is not None and report.ok:
        summary = ", ".join(f"{len(kb.collection(k))} {k.value}" for k in Kind)
        lines.append(f"ok: {path}: {summary}; {report.warning_count} warning(s)")
    elif kb is not None and not report.errors:
        lines.append(f"failed (--strict counts warnings): {path}: {report.warning_count} warning(s)")
    else:
        lines.append(f"invalid: {path}: {report.errors} error(s), {report.warning_count} warning(s)")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
