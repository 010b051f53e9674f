"""Helpers of the import tests: import fixtures the way `policyx import` does, and validate the result."""

from __future__ import annotations

from pathlib import Path

from policyx.importers import ImportResult, InputFile, import_files
from policyx.kb.check import check
from policyx.kb.load import build
from policyx.kb.model import Argument, KnowledgeBase, Position

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def inputs(*names: str) -> list[InputFile]:
    return [InputFile(name, (FIXTURES / name).read_bytes()) for name in names]


def convert(files: list[InputFile], **options: object) -> tuple[KnowledgeBase, ImportResult]:
    """Import ``files``; the result must load through policyx's own loader and every
    quote must be verbatim in the source texts the import wrote."""
    result = import_files(files, **options)  # type: ignore[arg-type]
    kb = build(result.document, "imported/kb.yaml")
    unverified = [p for p in check(kb, lambda s: result.sources[s.file or ""]) if p.field == "quote"]
    assert not unverified, [str(p) for p in unverified]
    for source in kb.sources:
        assert source.file in result.sources
    return kb, result


def imported(*names: str, **options: object) -> tuple[KnowledgeBase, ImportResult]:
    return convert(inputs(*names), **options)


def text_inputs(name: str, text: str | bytes) -> list[InputFile]:
    return [InputFile(name, text if isinstance(text, bytes) else text.encode("utf-8"))]


def by_claim(kb: KnowledgeBase, claim: str) -> list[Position | Argument]:
    found = [e for e in (*kb.positions, *kb.arguments) if e.claim == claim]
    assert found, f"no entry claims {claim!r}"
    return found


def relations(kb: KnowledgeBase) -> set[tuple[str, str, str]]:
    """(claim, stance, claim of the target) of every relation of every argument (a linked argument's:
    of each of its premises), and (claim, "against", ...) of every position's attack."""
    claims = {e.id: e.claim for e in (*kb.positions, *kb.arguments)}
    found = set()
    for a in kb.arguments:
        sources = [a.claim] + [p.claim for p in a.premises]
        found |= {(s, stance.value, claims[target]) for stance, target in a.relations for s in sources}
    found |= {(p.claim, "against", claims[t]) for p in kb.positions for t in p.against}
    return found
