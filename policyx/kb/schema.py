"""The schema of a knowledge base file, as data.

One table, :data:`FIELDS`, says which fields each collection's entries have,
what each holds and which are required. Everything else about the shape of
an entry is derived from it: both validators (:mod:`policyx.kb.validate`), the
JSON Schema (:mod:`policyx.kb.jsonschema`), the records every data format
carries (:mod:`policyx.kb.records`) and the enum sets; tests check that the
model's classes and docs/schema.md agree with it.

The limits a knowledge base file must keep are here too. Code reads them as
``schema.MAX_...`` at the moment it needs them, so each is one setting.
"""

from __future__ import annotations

import re
from enum import Enum

from .model import ActKind, Agreement, ClaimType, Kind, Stance, StandsFor
from .struct import dataclass, replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: The newest schema version; every version in SCHEMA_VERSIONS loads.
SCHEMA_VERSION = 2
SCHEMA_VERSIONS: tuple[int, ...] = (1, 2)

# --------------------------------------------------------------------------
# Limits (documented in docs/reference.md, "Limits")

#: Largest knowledge base file we read: 3.5x the ~36 MiB of the speed
#: benchmark's 100,000 arguments; memory grows with the file.
MAX_FILE_BYTES = 128 * 1024 * 1024
#: Deepest nesting of [ ] / { } we accept (counted on the raw text); a knowledge base needs 4.
MAX_DEPTH = 64
#: Most YAML values (scalars, lists, mappings) a knowledge base may hold: about
#: 110,000 arguments. It bounds the memory and time of a load whatever the file
#: holds: a file of tiny values costs far more per byte than real entries.
MAX_VALUES = 2_000_000
#: At most this many problems are reported for one file.
MAX_PROBLEMS = 50
#: ``include:``: files included at most this deep (a file, its includes, theirs...), and at
#: most this many files in all for one knowledge base (sharing actors needs one or two).
MAX_INCLUDE_DEPTH = 16
MAX_INCLUDES = 256

#: What an id looks like: kebab-case.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


# --------------------------------------------------------------------------
# The field table


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "str" | "strlist" | "enum" | "ref" | "reflist" | "records"
    required: bool = False
    enum: type[Enum] | None = None
    refs: tuple[Kind, ...] = ()
    doc: str = ""
    #: our reading of the source (tags, claim types, legal models), not its words
    interpretation: bool = False
    #: the schema version that introduced the field
    since: int = 1
    #: a "ref" that takes a list of ids too from this schema version on (0: never)
    many_since: int = 0
    #: a "records" field's items: their fields
    items: tuple[FieldSpec, ...] = ()
    #: required in version 1 only (version 2 may leave it out)
    required_until: int = 0
    #: a reference that may name one premise of a linked argument, ``ARGUMENT.PREMISE`` (version 2)
    premises: bool = False


def _f(name: str, kind: str = "str", required: bool = False, **kw: Any) -> FieldSpec:
    return FieldSpec(name, kind, required, **kw)


#: The fields of one of a version-2 entry's ``acts:`` (schema version 2).
ACT_FIELDS: tuple[FieldSpec, ...] = (
    _f("by", "ref", required=True, refs=(Kind.ACTORS,), doc="The actor who acted."),
    _f("act", "enum", required=True, enum=ActKind,
       doc="What they did: asserts, agrees, concedes (these three make them hold the claim), asks, "
           "challenges or disagrees."),
    _f("quote", doc="Their verbatim words."),
    _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
)
#: The fields of one of an argument's linked ``premises:`` (schema version 2).
PREMISE_FIELDS: tuple[FieldSpec, ...] = (
    _f("claim", required=True, doc="The premise in one neutral sentence."),
    _f("quote", doc="Verbatim words of the source stating the premise."),
    _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
    _f("by", "ref", refs=(Kind.ACTORS,), doc="Actor who stated the premise."),
    _f("id", "ref", doc="Its id within the argument (kebab-case), for others to name it as ARGUMENT.ID."),
    _f("restates", "reflist", refs=(Kind.POSITIONS, Kind.ARGUMENTS), premises=True,
       doc="Ids of the entries (or premises, ARGUMENT.ID) this premise says again in other words."),
)
_ACTS = _f("acts", "records", items=ACT_FIELDS, since=2,
           doc="What people did with the claim: who asserted, agreed, conceded, asked, challenged or "
               "disagreed, each with their own quote and source (version 2).")


def _restates(*kinds: Kind) -> FieldSpec:
    return _f("restates", "ref", refs=kinds, since=2, many_since=2, premises=Kind.ARGUMENTS in kinds,
              doc="Id of an entry this one says again in other words, or a list of ids (version 2)"
              + ("; ARGUMENT.PREMISE names one premise of a linked argument." if Kind.ARGUMENTS in kinds else "."))


FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    Kind.SOURCES: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("title", required=True, doc="Title of the source."),
        _f("author", doc="Who wrote it."),
        _f("event", doc="The event it reports on."),
        _f("file", doc="Path of the source's text, relative to the knowledge base file; "
           "quotes are checked against it."),
        _f("date", doc="Date of the source, free text (ISO 8601 preferred)."),
        _f("url", doc="Where the source can be read."),
    ),
    Kind.ACTORS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("name", required=True, doc="Who spoke, as the source identifies them."),
        _f("stands_for", "enum", enum=StandsFor, doc="How many people the actor stands for."),
        _f("description", doc="Who this is, in the source's terms."),
    ),
    Kind.MODELS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("name", required=True, doc="Name of the legal model."),
        _f("summary", required=True, doc="Background definition (interpretation, not the source's words)."),
        _f("also_known_as", "strlist", doc="Other names of the model."),
        _f("tags", "strlist", interpretation=True, doc="Tags for filtering (interpretation)."),
    ),
    Kind.QUESTIONS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("text", required=True, doc="The question, neutrally worded."),
        _f("quote", doc="Verbatim words of the source that raise the question."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", interpretation=True, doc="Tags for filtering (interpretation)."),
        _f("outcome", doc="What the question came to, as the source records it, in one neutral sentence "
           "(e.g. 'No decision was reached.'); leave it out when the source records none."),
        _f("outcome_quote", doc="Verbatim words of the source recording the outcome."),
        _f("outcome_source", "ref", refs=(Kind.SOURCES,), doc="Source of the outcome's quote."),
        _restates(Kind.QUESTIONS),
        _ACTS,
    ),
    Kind.POSITIONS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("question", "ref", required=True, refs=(Kind.QUESTIONS,), doc="The question this position answers."),
        _f("claim", required=True, doc="The position in one neutral sentence."),
        _f("held_by", "reflist", required=True, refs=(Kind.ACTORS,), required_until=1,
           doc="Actors who held it (version 2: may be left out when acts say who asserted or agreed)."),
        _f("agreement", "enum", required=True, enum=Agreement, required_until=1,
           doc="How widely it was held (version 2: may be left out when the source does not say)."),
        _f("quote", doc="Verbatim words of the source stating the position."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", interpretation=True, doc="Tags for filtering (interpretation)."),
        _f("models", "reflist", refs=(Kind.MODELS,), interpretation=True,
           doc="Legal models the position leans towards (interpretation)."),
        _f("note", doc="Editor's note: context the quote does not carry."),
        _f("against", "reflist", refs=(Kind.POSITIONS, Kind.ARGUMENTS), since=2, premises=True,
           doc="Ids of the positions or arguments this position contradicts (version 2; "
               "ARGUMENT.PREMISE names one premise of a linked argument)."),
        _restates(Kind.POSITIONS, Kind.ARGUMENTS),
        _ACTS,
    ),
    Kind.ARGUMENTS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("claim", required=True, doc="The reason or objection in one neutral sentence."),
        _f("for", "ref", refs=(Kind.POSITIONS, Kind.ARGUMENTS), many_since=2, premises=True,
           doc="Id of the position or argument this supports (exactly one of for/against; "
               "version 2: a list of ids, both may be given, and ARGUMENT.PREMISE names one premise "
               "of a linked argument)."),
        _f("against", "ref", refs=(Kind.POSITIONS, Kind.ARGUMENTS), many_since=2, premises=True,
           doc="Id of the position or argument this attacks (exactly one of for/against; "
               "version 2: a list of ids, both may be given, and ARGUMENT.PREMISE names one premise "
               "of a linked argument)."),
        _f("by", "ref", refs=(Kind.ACTORS,), doc="Actor who made the argument."),
        _f("type", "enum", enum=ClaimType, interpretation=True, doc="Claim type, for teaching (interpretation)."),
        _f("quote", doc="Verbatim words of the source making the argument."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", interpretation=True, doc="Tags for filtering (interpretation)."),
        _f("note", doc="Editor's note: context the quote does not carry."),
        _f("undercuts", "ref", refs=(Kind.ARGUMENTS,), since=2,
           doc="Id of an argument whose step to its target this one attacks, not its claim (version 2; "
               "it may stand instead of for/against)."),
        _f("premises", "records", items=PREMISE_FIELDS, since=2,
           doc="Linked premises: the reason holds only with all of them together, each with its own "
               "quote (version 2)."),
        _restates(Kind.ARGUMENTS, Kind.POSITIONS),
        _ACTS,
    ),
}


def fields_of(kind: Kind, version: int) -> tuple[FieldSpec, ...]:
    """The fields an entry of ``kind`` may have in a file of schema ``version``."""
    return _BY_VERSION[version][kind]


def _in_version(spec: FieldSpec, version: int) -> FieldSpec:

    if spec.many_since and version >= spec.many_since:
        spec = replace(spec, kind="reflist")
    if spec.required_until and version > spec.required_until:
        spec = replace(spec, required=False)
    if spec.premises and version < 2:
        spec = replace(spec, premises=False)
    return spec


_BY_VERSION: dict[int, dict[Kind, tuple[FieldSpec, ...]]] = {
    version: {kind: tuple(_in_version(spec, version) for spec in specs if spec.since <= version)
              for kind, specs in FIELDS.items()}
    for version in SCHEMA_VERSIONS
}
#: The fields a version-1 file knows (what version 1 always had).
FIELDS_V1: dict[Kind, tuple[FieldSpec, ...]] = _BY_VERSION[1]

#: Collections that are wholly our interpretation (background), not the source's.
INTERPRETATION_KINDS: tuple[Kind, ...] = (Kind.MODELS,)

TOP_LEVEL: dict[str, str] = {
    "version": "Schema version: 1, or 2 for argument graphs (linked premises, undercuts, several targets, "
               "restatements, acts).",
    "title": "Title of the knowledge base.",
    "name": "Short name of the knowledge base in a library (NAME:id), kebab-case; default: the file's name.",
    "include": "Files of actors and legal models shared with other knowledge bases, read in first "
               "(a path or a list; relative to this file's folder).",
    **{kind.value: f"List of {kind.value}." for kind in Kind},
}
#: What a file that others include may hold: shared actors and legal models.
INCLUDED_TOP_LEVEL: tuple[str, ...] = ("version", "title", "include", Kind.ACTORS.value, Kind.MODELS.value)


# --------------------------------------------------------------------------
# Derived from the table

#: The field an argument names its target in, by stance: ``for:`` supports it,
#: ``against:`` attacks it. The model holds the two as ``stance`` and ``target``.
#: This is the one place where the file's for/against meets the model's stance/target.
TARGET_FIELD: dict[Stance, str] = {Stance.FOR: "for", Stance.AGAINST: "against"}
#: The model's fields for what an argument's for/against says (records carry both).
DERIVED_FIELDS: tuple[str, str] = ("stance", "target")


_SUPPORTS, _ATTACKS = TARGET_FIELD.items()


def stance_and_target(fields: Mapping[str, Any]) -> tuple[Stance, str]:
    """The stance and target of an argument from its fields, which name exactly one
    of for/against (KeyError if neither)."""
    stance, name = _SUPPORTS if _SUPPORTS[1] in fields else _ATTACKS
    return stance, fields[name]


#: The enum of each field that holds one, by name (a name means the same enum in
#: every collection), and the model's derived ``stance``.
ENUM_FIELDS: dict[str, type[Enum]] = {
    **{spec.name: spec.enum for specs in FIELDS.values() for spec in specs if spec.enum is not None},
    DERIVED_FIELDS[0]: Stance,
}
#: Fields that hold a list of texts or ids (tuples in the model, lists in records).
LIST_FIELDS: frozenset[str] = frozenset(
    spec.name for specs in FIELDS_V1.values() for spec in specs if spec.kind in ("strlist", "reflist")
)
#: The quotes of each collection and the field naming each one's source: a quote must name
#: its source (a question's ``quote``, and its ``outcome_quote``, ``outcome_source``).
QUOTE_SOURCES: dict[Kind, tuple[tuple[str, str], ...]] = {
    kind: tuple(
        (quote, quote.removesuffix("quote") + "source")
        for quote in (spec.name for spec in FIELDS_V1[kind])
        if quote.endswith("quote") and quote.removesuffix("quote") + "source" in {s.name for s in FIELDS_V1[kind]}
    )
    for kind in Kind
}
#: Collections whose entries may quote a source.
QUOTED_KINDS: tuple[Kind, ...] = tuple(kind for kind in Kind if QUOTE_SOURCES[kind])
#: Collections whose entries answer another through exactly one of for/against.
ANSWERING_KINDS: tuple[Kind, ...] = tuple(
    kind for kind in Kind if set(TARGET_FIELD.values()) <= {spec.name for spec in FIELDS_V1[kind]}
)
#: Version 2's fields that hold a list of records (acts, premises), by name, with their items' fields.
RECORD_LISTS: dict[str, tuple[FieldSpec, ...]] = {
    spec.name: spec.items for specs in FIELDS.values() for spec in specs if spec.kind == "records"
}
