"""policyx's own errors: each carries a message a user can act on. Their kind says what went
wrong; the command line chooses the exit status of each kind (policyx.cli.runtime.exit_code)."""

from __future__ import annotations

from .struct import dataclass


def shown_path(path: object) -> str:
    """A file's path as a message shows it: a newline in the name is written ``\\n``, so
    that it cannot start a line that looks like a message of its own. (The one writer of
    messages shows every other control character as an escape.)"""
    return str(path).replace("\n", "\\n")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a knowledge base file."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    entry: str | None = None
    hint: str | None = None
    severity: str = "error"
    #: the entry's field the problem is about, used to find its line
    field: str | None = None

    def __str__(self) -> str:
        where = shown_path(self.path) if self.path else "<knowledge base>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        # raw text: the CLI's one writer of messages (say) makes it safe for a terminal
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "entry": self.entry,
            "message": self.message,
            "hint": self.hint,
        }


class PolicyxError(Exception):
    """Base of every error policyx reports to a user without a traceback."""


    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KnowledgeBaseError(PolicyxError):
    """The knowledge base file cannot be read or does not validate."""


    def __init__(self, problems: list[Problem], not_shown: int = 0) -> None:
        self.problems = problems
        #: errors found beyond the reporting cap; ``problems`` ends with a line that says how many
        self.not_shown = not_shown
        super().__init__("\n".join(str(p) for p in problems))


class NotArgumentData(KnowledgeBaseError):
    """The file is no argument data at all (a corpus's transcript that reads as Argdown): an error
    when given by name; in a library's folder, skipped with ``reason``."""

    def __init__(self, path: str, reason: str, hint: str) -> None:
        super().__init__([Problem(f"is {reason}", path, hint=hint)])
        self.reason = reason


class UsageError(PolicyxError):
    """An option or argument that cannot be honoured as given (exit 2, like Click's usage errors)."""



class UnknownIdError(PolicyxError):
    """An id given on the command line names no entry."""



class NothingFound(PolicyxError):
    """A query matched nothing (exit 1, like grep)."""



class OutputError(PolicyxError):
    """Standard output cannot be written (a full disk, a closed descriptor); not a broken pipe."""

