"""Shell completion: the values an option or argument can take, from the active knowledge base.

A completion must never print an error: any failure completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..kb.model import Agreement, ClaimType, Kind, KnowledgeBase
from ..kb.records import COLLECTIONS, RECORD_FIELDS, TAG_FIELDS
from ..output.registry import FormatKind, format_names
from ..views.lookup import all_tags, entry_ids
from .session import Session


def _completion_kb(ctx: Any) -> KnowledgeBase | None:
    """The knowledge base (or library) named by --kb (before or after the command), $POLICYX_KB,
    the config file, or the bundled one."""
    try:
        root = ctx.find_root() if ctx is not None else None
        session = Session()
        before = root.params.get("kb") if root is not None and root.params else None
        after = getattr(root, "obj", None)
        session.kb_options = tuple(before or ())
        if isinstance(after, Session) and after.kb_options:
            session.kb_options += after.kb_options  # --kb after the command's name
        return session.kb()
    except Exception:  # noqa: BLE001  (a completion quietly offers nothing)
        return None


def _ids(kinds: tuple[Kind, ...]) -> Callable[[Any, str], list[str]]:
    def complete(ctx: Any, incomplete: str) -> list[str]:
        kb = _completion_kb(ctx)
        if kb is None:
            return []

        return [i for i in entry_ids(kb, kinds) if i.startswith(incomplete)]

    return complete


def complete_tag(ctx: Any, incomplete: str) -> list[str]:
    kb = _completion_kb(ctx)
    if kb is None:
        return []

    # one completion per tag: a tag with a newline would otherwise become two
    return [t for t in all_tags(kb) if t.startswith(incomplete) and "\n" not in t]


def complete_collection(incomplete: str) -> list[str]:
    return [c for c in COLLECTIONS if c.startswith(incomplete)]


def complete_format(incomplete: str) -> list[str]:
    return [f for f in format_names(FormatKind.LISTING) if f.startswith(incomplete)]


def complete_export_format(incomplete: str) -> list[str]:
    return [f for f in format_names(FormatKind.EXPORT) if f.startswith(incomplete)]


def complete_check_format(incomplete: str) -> list[str]:
    return [f for f in format_names(FormatKind.CHECK) if f.startswith(incomplete)]


def complete_quote_format(incomplete: str) -> list[str]:
    return [f for f in format_names(FormatKind.QUOTE) if f.startswith(incomplete)]


def complete_diff_format(incomplete: str) -> list[str]:
    return [f for f in format_names(FormatKind.DIFF) if f.startswith(incomplete)]


def complete_import_format(incomplete: str) -> list[str]:
    from ..importers.dispatch import FORMATS  # lazy: the importers, for this one completion

    return [name for name in FORMATS if name.startswith(incomplete)]


def complete_agreement(incomplete: str) -> list[str]:
    return [a.value for a in Agreement if a.value.startswith(incomplete)]


def complete_stance(incomplete: str) -> list[str]:
    return [s for s in ("for", "against") if s.startswith(incomplete)]


def complete_type(incomplete: str) -> list[str]:
    return [t.value for t in ClaimType if t.value.startswith(incomplete)]


def complete_sort(ctx: Any, incomplete: str) -> list[str]:
    """The fields of the collection being listed (every field when it is unknown)."""
    params = getattr(ctx, "params", None) or {}
    # while completing, Click leaves the positional argument unparsed in ctx.args
    collection = params.get("collection") or next(iter(getattr(ctx, "args", None) or ()), None)
    if collection is None:
        wants_arguments = any(params.get(n) for n in ("for_", "against", "deep", "stance", "unanswered", "type"))
        collection = "arguments" if wants_arguments else "positions"
    if collection == "tags":
        fields: list[str] = list(TAG_FIELDS)
    elif collection in {k.value for k in Kind}:
        fields = list(RECORD_FIELDS[Kind(collection)])
    else:
        fields = list(dict.fromkeys([*(f for k in Kind for f in RECORD_FIELDS[k]), *TAG_FIELDS]))
    return [f for f in fields if f.startswith(incomplete)]


complete_id = _ids(())
complete_claim_id = _ids((Kind.POSITIONS, Kind.ARGUMENTS))
complete_question = _ids((Kind.QUESTIONS,))
complete_actor = _ids((Kind.ACTORS,))
complete_source = _ids((Kind.SOURCES,))

#: what Opt.complete and Arg.complete name -> the completion function
COMPLETERS: dict[str, Callable[..., list[str]]] = {
    "id": complete_id,
    "claim": complete_claim_id,
    "question": complete_question,
    "actor": complete_actor,
    "tag": complete_tag,
    "collection": complete_collection,
    "format": complete_format,
    "export-format": complete_export_format,
    "check-format": complete_check_format,
    "quote-format": complete_quote_format,
    "diff-format": complete_diff_format,
    "import-format": complete_import_format,
    "source": complete_source,
    "agreement": complete_agreement,
    "type": complete_type,
    "stance": complete_stance,
    "sort": complete_sort,
}
