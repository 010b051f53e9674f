"""Detect each file's format, convert it with its importer, gather the results.

See :mod:`policyx.importers` for the entry points.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from ..kb import schema
from ..kb.errors import KnowledgeBaseError
from ..kb.hints import command, option
from ..kb.load import build
from ..kb.struct import dataclass
from . import aif, argdown_text, carneades
from .aif import Map, import_aif, is_aif
from .aif_limits import within_limits as aif_within_limits
from .argdown import INSTALL, find_cli, import_argdown_json, is_argdown_json, run_cli
from .argdown_limits import within_limits as argdown_within_limits
from .carneades import import_carneades, is_carneades, looks_like_carneades
from .common import Builder, ImportResult, fail, one_line, within_limits
from .kialo import import_kialo, is_kialo
from .kialo_limits import within_limits as kialo_within_limits
from .microtexts import import_arggraph, is_arggraph
from .microtexts import within_limits as arggraph_within_limits

if TYPE_CHECKING:
    from ..kb.model import KnowledgeBase

#: The formats ``--from`` takes, and what each reads.
FORMATS: dict[str, str] = {
    "aif": "AIF JSON (AIFdb, OVA, Araucaria)",
    "argdown": "Argdown: a .argdown document, or the JSON `argdown json` writes",
    "kialo": "a Kialo discussion exported as text",
    "microtexts": "the arggraph XML of the argumentative microtext corpus",
    "carneades": "a Carneades 4 argument graph (YAML)",
}
#: What each detected kind is called in the summary.
_READ_AS = {"microtexts": "arggraph XML", "carneades": "Carneades YAML"}
ARGDOWN_SUFFIXES = (".argdown", ".ad")
#: The schema version an import writes: 2 holds the graph (linked premises, undercuts, several targets,
#: contradictions, restatements, acts); 1 bends it into trees.
WRITES = 2
_ARGDOWN_LINE = re.compile(r"^(?:\[[^\]\n]+\]|<[^>\n]+>):[ \t]", re.M)
_YAML_KB = re.compile(r"^version:", re.M)


@dataclass(frozen=True)
class InputFile:
    name: str  # as messages name it
    data: bytes


#: byte order marks of the encodings a Windows tool may save text in, longest first (UTF-32's starts as UTF-16's)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def decode(name: str, data: bytes) -> str:
    """The file's text (UTF-8, or UTF-16 or UTF-32 with a byte order mark); a located error for
    a binary file or one that is not UTF-8."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        try:
            text = data.decode(encoding)  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError as exc:
            raise fail(name, f"starts as {encoding.upper()} text but is not valid {encoding.upper()} "
                       f"(at byte {exc.start:,})", "save the file as UTF-8") from None
        if "\0" in text:
            raise fail(name, "is a binary file, not AIF, Argdown or Kialo text",
                       "give an AIF .json file, an .argdown document or a Kialo .txt export")
        return text
    if b"\0" in data[:1 << 16] or b"\0" in data:
        raise fail(name, "is a binary file, not AIF, Argdown or Kialo text",
                   "give an AIF .json file, an .argdown document or a Kialo .txt export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        raise fail(name, f"is not valid UTF-8 text (byte 0x{data[exc.start]:02x})",
                   "save the file as UTF-8", line=line, column=column) from None


#: The most digits a JSON integer may have: node ids and counts need a few; Python refuses to
#: convert more than 4,300 (and the work grows with the square of the length).
MAX_DIGITS = 100


class _LongNumber(ValueError):
    """A JSON integer of more than MAX_DIGITS digits (its text)."""


def _int(digits: str) -> int:
    if len(digits) > MAX_DIGITS + 1 or len(digits.lstrip("-")) > MAX_DIGITS:
        raise _LongNumber(digits)
    return int(digits)


def parse_json(text: str) -> Any:
    """JSON text as data, integers bounded (a _LongNumber beyond MAX_DIGITS)."""
    return json.loads(text, parse_int=_int)


def _json(name: str, text: str) -> Any:
    try:
        return parse_json(text)
    except _LongNumber as exc:
        digits = str(exc)
        at = text.find(digits)
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        raise fail(name, f"holds a number of {len(digits.lstrip('-')):,} digits, more than the {MAX_DIGITS} an AIF or"
                   " Argdown file needs", "node ids and numbers are short: fix or remove this one",
                   line=line, column=column) from None
    except json.JSONDecodeError as exc:
        cut = _unclosed(text)
        message = f"is not valid JSON ({exc.msg})" + ("; it ends too soon" if cut else "")
        hint = "the file looks cut short: download or export it again" if cut else "fix the JSON at that place"
        raise fail(name, message, hint, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise fail(name, "is JSON nested too deeply to read", "give an AIF or Argdown JSON file") from None


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _unclosed(text: str) -> bool:
    """Whether JSON text ends before its brackets (or its last string) close: a file cut short."""
    bare = _STRING.sub("", text)
    opened = bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]")
    return opened > 0 or bare.count('"') % 2 == 1


def detect(text: str, name: str = "") -> str | None:
    """``aif``, ``argdown-json``, ``argdown`` or ``kialo`` from the content (and an
    ``.argdown`` name); None when it is none of them. Cheap: at most a JSON parse."""
    kind, _ = _sniff(text, name)
    return kind


def _sniff(text: str, name: str) -> tuple[str | None, Any]:
    head = text.lstrip("\ufeff \t\r\n")
    if PurePath(name).suffix.lower() in ARGDOWN_SUFFIXES:
        return "argdown", None
    if head.startswith(("{", "[")):
        try:
            data = parse_json(text)
        except (json.JSONDecodeError, RecursionError, _LongNumber):
            if head.startswith("{") or PurePath(name).suffix.lower() == ".json":
                return "broken-json", None
            if not _ARGDOWN_LINE.search(head[: 1 << 16]):
                return None, None  # "[00:01] Speaker: ...": a transcript, no JSON
            data = None  # "[Title]: text": an Argdown document, read on below
        else:
            if is_sadface(data):
                return "sadface", data
            if is_aif(data):
                return "aif", data
            if is_argdown_json(data):
                return "argdown-json", data
            return None, data
    if head.startswith("<"):
        return ("microtexts", None) if is_arggraph(head) else (None, None)
    if is_kialo(head[:4096] if not head.startswith("Discussion") else head):
        return "kialo", None
    sample = head[: 1 << 16]
    if looks_like_carneades(sample) and not _YAML_KB.search(sample):
        data = carneades.parse(name, text)
        if is_carneades(data):
            return "carneades", data
    if _ARGDOWN_LINE.search(sample) and not _YAML_KB.search(sample):
        return "argdown", None
    return None, None


def is_sadface(data: Any) -> bool:
    """SADFace JSON (nodes of type atom and scheme, edges source_id -> target_id): not AIF, though it
    has ``nodes`` and ``edges`` too."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        return False
    if "sadface" in data or "analyst_name" in data or "analyst_email" in data:
        return True
    nodes = [n for n in data["nodes"][:50] if isinstance(n, dict)]
    listed = data.get("edges")
    edges = [e for e in (listed if isinstance(listed, list) else [])[:50] if isinstance(e, dict)]
    return bool(nodes) and all(str(n.get("type")) in ("atom", "scheme") for n in nodes) \
        and all("source_id" in e for e in edges)


def import_files(files: list[InputFile], fmt: str | None = None, title: str | None = None,
                 sources_dir: str | None = "sources", argdown_cli: str | None = None,
                 optional: frozenset[str] = frozenset(), version: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Convert ``files`` (in this order) into one knowledge base.

    ``fmt`` forces the format (``aif``, ``argdown``, ``kialo``) instead of
    detecting it; ``argdown_cli`` is the Argdown CLI to read ``.argdown``
    documents with (None: policyx's own parser); files named in ``optional``
    (found in a folder) are left out with a warning when they are none of the
    formats, instead of failing the import. ``progress(done, total)`` is
    called as the files are read (the command draws it; nothing here prints).
    """
    builder = Builder(sources_dir, WRITES if version is None else version)
    titles: list[str] = []
    maps: list[Map] = []
    plan: list[tuple[str, str, Any, str]] = []  # (name, kind, parsed JSON or None, text)
    stems: dict[str, list[str]] = {}  # the folder's files by stem, for a transcript's twin, in O(1) per file
    for file in files:
        if file.name in optional:
            stems.setdefault(PurePath(file.name).stem, []).append(file.name)
    for done, file in enumerate(files, 1):
        if progress is not None:
            progress(done, len(files))
        try:
            text = decode(file.name, file.data)
        except KnowledgeBaseError as exc:
            if file.name not in optional or PurePath(file.name).suffix.lower() == ".json":
                raise
            why = exc.problems[0].message.removeprefix("is ")
            builder.summary.warn(f"{file.name}: {why}: no argument data policyx reads; left out")
            continue
        kind, data = _sniff(text, file.name)
        if fmt is not None:
            kind, data = _forced(file.name, fmt, kind, data, text)
        elif file.name in optional and transcript_of(file.name, kind, stems):
            kind = None  # "[deleted]: words" is a line of Argdown too: beside its nodeset, it is its text
        if kind == "broken-json":
            _json(file.name, text)  # raises the located error
        if kind in (None, "sadface"):
            if file.name in optional:
                what = "SADFace JSON, which policyx does not read" if kind else "no argument data policyx reads"
                twin = next((n for n in stems.get(PurePath(file.name).stem, ()) if n != file.name), None)
                if kind is None and twin is not None:
                    what = f"no argument data (the text of {PurePath(twin).name}?)"
                builder.summary.warn(f"{file.name}: {what}; left out")
                continue
            raise _unknown(file.name, text, data)
        plan.append((file.name, kind, data, text))
    if not plan:
        raise fail(files[0].name if len(files) == 1 else "the files given",
                   "hold no argument data policyx reads (AIF, Argdown, Kialo, arggraph XML, Carneades YAML)",
                   "give AIF .json files, .argdown documents, Kialo exports, arggraph .xml or Carneades .yml files")
    for index, (name, kind, data, text) in enumerate(plan):
        if kind == "aif":
            aif_within_limits(name, data)  # before any node is built: the loader's limits, from the JSON
            plan[index] = (name, kind, None, "")  # the text and the parsed JSON are not needed any more...
            maps.append(aif.read_map(name, data))  # by its module: tests check it is not reached
            builder.summary.files.append((name, "AIF JSON"))
        elif kind == "kialo":
            kialo_within_limits(name, text)  # before any claim is built, as an AIF map's above
        elif kind == "microtexts":
            arggraph_within_limits(name, text)  # counted on the text, before it is parsed into elements
        elif kind == "carneades" and builder.version >= 2:  # (version 1's trees may leave claims out)
            if data is None:
                data = carneades.parse(name, text)
                plan[index] = (name, kind, data, text)
            carneades.within_limits(name, data)  # before any entry is built
    del data, text  # ...and their memory goes (no loop variable keeps them, nor the first loop's text)
    if maps:
        import_aif(maps, builder)
        titles += [f"AIF map {PurePath(m.name).name}" for m in maps]
    for name, kind, data, text in plan:
        if kind == "kialo":
            builder.summary.files.append((name, "a Kialo export"))
            titles.append(import_kialo(name, text, builder))
        elif kind == "microtexts":
            builder.summary.files.append((name, _READ_AS[kind]))
            titles.append(import_arggraph(name, text, builder))
        elif kind == "carneades":
            builder.summary.files.append((name, _READ_AS[kind]))
            titles.append(import_carneades(name, data if data is not None else carneades.parse(name, text), builder))
        elif kind in ("argdown", "argdown-json"):
            titles.append(_argdown(name, kind, data, text, builder, argdown_cli))
    heading = title or (titles[0] if len(plan) == 1 else f"Imported from {len(plan)} files: "
                        + ", ".join(PurePath(n).name for n, *_ in plan[:3]) + (", ..." if len(plan) > 3 else ""))
    result = builder.result(one_line(heading))
    within_limits(plan[0][0] if len(plan) == 1 else "the files given", result.document)
    return result


def transcript_of(name: str, kind: str | None, stems: dict[str, list[str]]) -> str | None:
    """The AIF nodeset (NAME.json found beside it) whose text a .txt file is, when its content is no
    format or reads as Argdown only by its lines ("[deleted]: words", a forum's transcript)."""
    path = PurePath(name)
    if path.suffix.lower() not in (".txt", ".html", ".htm") or kind not in (None, "argdown"):
        return None
    return next((n for n in stems.get(path.stem, ()) if PurePath(n).suffix.lower() == ".json"), None)


def _forced(name: str, fmt: str, kind: str | None, data: Any, text: str) -> tuple[str | None, Any]:
    wanted = {"aif": ("aif",), "argdown": ("argdown", "argdown-json"), "kialo": ("kialo",),
              "microtexts": ("microtexts",), "carneades": ("carneades",)}[fmt]
    if kind in wanted:
        return kind, data
    if fmt == "argdown" and not text.lstrip().startswith("{"):
        return "argdown", None  # any text is an Argdown document
    if kind == "broken-json":
        return kind, data
    if fmt == "kialo":
        return "kialo", None  # the Kialo reader says what is wrong with the text
    if fmt == "aif" and data is not None and kind != "sadface":
        return "aif", data  # the AIF reader says what is missing
    if fmt in ("microtexts", "carneades"):
        return fmt, None  # its reader says what is wrong with the text
    return None, data


def _unknown(name: str, text: str, data: Any) -> Exception:
    if is_sadface(data):
        return fail(name, "is SADFace JSON (atoms and schemes), not AIF: policyx does not read SADFace",
                    "give an AIF map of the same argument (nodes with nodeID and type I, RA, CA...)")
    if data is not None:
        keys = ", ".join(sorted(map(str, data))[:5]) if isinstance(data, dict) else "a list"
        if isinstance(data, dict) and "version" in data and "positions" in data:
            return fail(name, "is already a policyx knowledge base (JSON)",
                        f"use it directly: {command(option('kb'), name, 'list', kb=False)}")
        return fail(name, f"is JSON, but neither AIF (nodes, edges) nor Argdown's JSON (statements, arguments); "
                    f"it holds {keys}", "give an AIF map or the JSON `argdown json` writes")
    if _YAML_KB.search(text[: 1 << 16]):
        return fail(name, "is already a policyx knowledge base (YAML)",
                    f"use it directly: {command(option('kb'), name, 'list', kb=False)}")
    if not text.strip():
        return fail(name, "is empty", "give an AIF .json file, an .argdown document or a Kialo .txt export")
    return fail(name, "is none of AIF JSON, Argdown (a .argdown document or its JSON), a Kialo export, "
                "microtexts arggraph XML or Carneades YAML",
                "if it is one of them, say which with --from aif|argdown|kialo|microtexts|carneades")


def _argdown(name: str, kind: str, data: Any, text: str, builder: Builder, cli: str | None) -> str:
    if kind == "argdown-json":
        builder.summary.files.append((name, "Argdown JSON"))
    elif cli is not None:
        data = run_cli(cli, text, name)
        builder.summary.files.append((name, f"Argdown, read by the Argdown CLI, {cli}"))
    else:
        data = argdown_text.parse(text)
        builder.summary.files.append((name, "Argdown, read by policyx's own parser of its common subset; "
                                      f"install the Argdown CLI for the whole syntax: {INSTALL}"))
    argdown_within_limits(name, data)  # read, but no claim built yet
    import_argdown_json(name, data, builder)
    return f"Argdown document {PurePath(name).name}"


def kb_from_text(text: str, path: str) -> KnowledgeBase:
    """A foreign file given to ``--kb``, converted in memory and validated (no source files,
    so its quotes cannot be checked there: ``policyx import`` writes them)."""
    result = import_files([InputFile(path, text.encode("utf-8"))], sources_dir=None, argdown_cli=find_cli())
    return build(result.document, path)


def to_yaml(result: ImportResult, origins: list[str], name: str = "FILE") -> str:
    """The knowledge base file ``policyx import`` writes as ``name`` (a comment header, then the
    data); the header says how to check it, run in its folder."""
    from ..kb.yamledit import dump_yaml  # lazy: PyYAML

    named = ", ".join(_visible(PurePath(o).name) for o in origins[:5]) + (", ..." if len(origins) > 5 else "")
    header = (
        f"# policyx knowledge base, schema version {result.document['version']}, written by `policyx import` from "
        f"{named}.\n"
        "# Claims restate the source's words; every quote is verbatim from the source text beside this file\n"
        f"# (`{one_line(command('check', name, options=False))}` verifies them); docs/import.md says how each"
        " format maps.\n"
    )
    text = header + dump_yaml(result.document)
    limit = schema.MAX_FILE_BYTES  # read here, not bound at import: tests lower it
    if len(text) > limit // 4 and len(text.encode("utf-8")) > limit:
        raise fail(named or "the files given", f"would make a knowledge base file of {len(text.encode('utf-8')):,}"
                   f" bytes, more than the {limit // (1024 * 1024)} MiB policyx reads (MAX_FILE_BYTES), so"
                   " it is not written", "import fewer files at a time, or a part of the map")
    return text


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(name: str) -> str:
    """A file name fit for a YAML comment: control characters (a newline would end the comment) as escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) <= 0xFF
                        else f"\\u{ord(m.group(0)):04x}", name)
