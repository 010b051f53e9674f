"""A file that cannot be read, or YAML past the limits: the problem, worded for a teacher.

:func:`line_col` turns an offset into a line and a column. All of this runs on the
error path only: a valid file never pays for it.
"""

from __future__ import annotations

import os

from . import schema
from .errors import KnowledgeBaseError, Problem
from .hints import option, variable
from .model import Source


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


# --------------------------------------------------------------------------
# A file that cannot be read


def fail(path: str, message: str, hint: str | None = None) -> KnowledgeBaseError:
    """The error of a file that cannot be read at all: one problem, no line."""
    return KnowledgeBaseError([Problem(message, path, hint=hint)])


def missing_hint() -> str:
    """What to do about a knowledge base file that does not exist (a caller whose paths the
    knowledge base option does not choose, such as ``diff OLD NEW``, replaces it)."""
    return f"check the path, {option('kb')} and {variable('kb')}"


def unreadable(shown: str, exc: OSError) -> KnowledgeBaseError:
    """The error of a file the system will not give us."""
    if isinstance(exc, IsADirectoryError):
        return fail(shown, "the path is a directory, not a knowledge base file", "give the path of a .yaml file")
    if isinstance(exc, FileNotFoundError):
        if shown == "-":  # the usual spelling of standard input: not a file name here
            return fail(shown, "no such file", f"to read standard input, give {option('kb')} /dev/stdin")
        return fail(shown, "no such file", missing_hint())
    if isinstance(exc, PermissionError):
        return fail(shown, "permission denied", "make the file readable")
    return fail(shown, f"cannot be read: {exc.strerror or exc}")


def binary(shown: str) -> KnowledgeBaseError:
    return fail(shown, "the file is binary, not YAML text", "give the path of a .yaml file")


def not_utf8(shown: str, data: bytes, exc: UnicodeDecodeError) -> KnowledgeBaseError:
    """The error of a file that is not UTF-8 text, at the first byte that is not."""
    before = data[: exc.start].decode("utf-8", "replace")
    line, column = line_col(before, len(before))
    byte = data[exc.start: exc.start + 1]
    try:  # the usual culprit: a file saved by a Windows editor
        guess = f", {byte.decode('cp1252')!r} in Windows-1252"
    except UnicodeDecodeError:
        guess = ""
    message = f"the file is not valid UTF-8 text (byte 0x{byte[0]:02x}{guess})"
    return KnowledgeBaseError([Problem(message, shown, line, column, hint="save the file as UTF-8: in most "
                                       "editors, 'Save as' with the encoding 'UTF-8'")])


def too_large(shown: str, size: int | None) -> KnowledgeBaseError:
    what = f"is {size} bytes" if size is not None else "is larger than the limit"
    return fail(shown, f"{what}; the limit for a knowledge base is {_size(schema.MAX_FILE_BYTES)}",
                "split it into several knowledge bases")


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count} bytes" + (f" ({count // mib} MiB)" if count >= mib and count % mib == 0 else "")


_RELATIVE = "it is relative to the knowledge base file's folder"
_SOURCE_FILE_ERRORS: dict[str, tuple[str, str]] = {
    "no such file": ("does not exist", f"fix the source's 'file': {_RELATIVE}"),
    "the path is a directory, not a knowledge base file": (
        "is a directory", f"'file' names the source's text file, not a folder: {_RELATIVE}"),
    "the file is binary, not YAML text": (
        "is a binary file", "'file' names the source's plain text, saved as UTF-8 (not a PDF or Word file)"),
}


def source_file_problem(kb_path: str, source: Source, problem: Problem) -> Problem:
    """A problem of reading a knowledge base file, reworded for a source's text file."""
    # the knowledge base's wording names "the file" as its subject: here the subject is the source's file
    message, hint = _SOURCE_FILE_ERRORS.get(problem.message, (problem.message.removeprefix("the file "), problem.hint))
    if problem.message == "no such file" and "\\" in (source.file or ""):
        hint = "write '/' between folders, also on Windows (e.g. 'sources/report.txt'): " + _RELATIVE
    elif problem.message == "no such file" and os.path.exists(kb_path) and not os.path.isfile(kb_path):
        hint = ("a knowledge base read from a pipe or a device has no folder of its own: give the folder"
                " its source texts are in with " + option("sources") + " DIR")
    if problem.line is not None:  # a place in the source's text, not in the knowledge base
        message += f" at line {problem.line}, column {problem.column}"
    return Problem(f"source {source.id!r}: file {problem.path} {message}", kb_path,
                   entry=source.id, hint=hint, field="file")


# --------------------------------------------------------------------------
# YAML past the limits


def too_many_values(path: str) -> Problem:
    return Problem(f"more than {schema.MAX_VALUES:,} YAML values: too large for a knowledge base", path,
                   hint="split it into several knowledge bases")


def depth_problem(text: str, path: str, brackets: bool = True) -> Problem:
    """Nesting too deep; with ``brackets``, where the brackets first nest deeper than schema.MAX_DEPTH."""
    if not brackets:
        return Problem("nesting too deep", path, hint="a knowledge base needs four levels of nesting")
    depth, line, column = 0, None, None
    for at, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > schema.MAX_DEPTH:
                line, column = line_col(text, at)
                break
        elif char in "]}":
            depth -= 1
    return Problem(f"nesting deeper than {schema.MAX_DEPTH} levels of brackets", path, line, column,
                   hint="a knowledge base needs four levels of nesting")


