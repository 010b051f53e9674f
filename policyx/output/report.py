"""``policyx check``'s report: one line per problem and a summary, or one JSON document."""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any

from .. import __version__
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
        """The ``--format json`` document (its structure is documented in docs/reference.md)."""
        kb = self.kb
        return {
            "path": self.path,
            "valid": self.ok,
            "errors": self.errors,
            "warnings": self.warning_count,
            "counts": {} if kb is None else {k.value: len(kb.collection(k)) for k in Kind},
            "problems": [p.as_dict() for p in self.problems],
        }


def summary(report: Report) -> str:
    """The last line of a report: ok (with the counts), failed under --strict, or invalid."""
    kb = report.kb
    path = shown_path(report.path)  # a newline in the file's name cannot start a line of its own
    if kb is not None and report.ok:
        counts = ", ".join(f"{len(kb.collection(k))} {k.value}" for k in Kind)
        return f"ok: {path}: {counts}; {report.warning_count} warning(s)"
    if kb is not None and not report.errors:
        return f"failed (--strict counts warnings): {path}: {report.warning_count} warning(s)"
    return f"invalid: {path}: {report.errors} error(s), {report.warning_count} warning(s)"


def render_text(report: Report) -> str:
    """One line per problem, then a summary line (all of it a message, for stderr)."""
    lines = [f"{problem.severity}: {problem}" for problem in report.problems]
    return "\n".join([*lines, summary(report)]) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# For CI: GitHub Actions annotations, and SARIF for code scanning


def _github_data(text: str) -> str:
    # workflow commands end at a newline: escape it (and the escape character itself)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """One GitHub Actions workflow command per problem (``::error file=...,line=...::message``),
    so a pull request shows each on its line, then the summary as a plain line."""
    lines = []
    for problem in report.problems:
        properties = [f"file={_github_property(problem.path or report.path)}"]
        if problem.line is not None:
            properties.append(f"line={problem.line}")
            if problem.column is not None:
                properties.append(f"col={problem.column}")
        title = f"policyx check: {problem.entry}" if problem.entry else "policyx check"
        properties.append(f"title={_github_property(title)}")
        message = problem.message + (f" ({problem.hint})" if problem.hint else "")
        lines.append(f"::{problem.severity} {','.join(properties)}::{_github_data(message)}")
    return "\n".join([*lines, summary(report)]) + "\n"


#: the SARIF rules: one per severity (the messages say what is wrong, the hints what to do)
_SARIF_RULES = {
    "error": ("invalid", "The knowledge base is invalid here: it cannot be read, or a quote is not verbatim."),
    "warning": ("advice", "Worth fixing: a missing quote, a position nobody argued for, an unchecked source."),
}


def _artifact_uri(path: str) -> str:

    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return PurePath(path).as_posix()


def render_sarif(report: Report) -> str:
    """The report as SARIF 2.1.0 (one run of the tool ``policyx``): for GitHub code scanning
    and the other tools that read static-analysis results."""

    results = []
    for problem in report.problems:
        rule, _ = _SARIF_RULES.get(problem.severity, _SARIF_RULES["error"])
        location: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(problem.path or report.path)}}
        if problem.line is not None:
            region: dict[str, int] = {"startLine": problem.line}
            if problem.column is not None:
                region["startColumn"] = problem.column
            location["region"] = region
        text = problem.message + (f" ({problem.hint})" if problem.hint else "")
        result: dict[str, Any] = {
            "ruleId": rule,
            "level": "warning" if problem.severity == "warning" else "error",
            "message": {"text": text},
            "locations": [{"physicalLocation": location}],
        }
        if problem.entry:
            result["properties"] = {"entry": problem.entry}
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policyx",
                "version": __version__,
                "rules": [
                    {"id": rule, "shortDescription": {"text": text}, "defaultConfiguration": {"level": level}}
                    for level, (rule, text) in _SARIF_RULES.items()
                ],
            }},
            "invocations": [{"executionSuccessful": True, "exitCode": 0 if report.ok else 3}],
            "results": results,
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
