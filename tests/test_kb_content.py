"""The bundled knowledge base is faithful to its source (issue 2, section 3).

- every sentence of the report that carries a claim is quoted by some entry;
- every quote is verbatim in the report (typographic quotes and spacing aside);
- ids are kebab-case, every actor is used, every question answered, and the
  interpretation fields (tags, type) are present so filtering and teaching work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyx.kb.check import check, normalize_quote
from policyx.kb.load import load, read_source_text
from policyx.kb.model import Argument, KnowledgeBase, Position, Question
from policyx.kb.schema import ID_PATTERN


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    from policyx.kb.load import bundled_path

    return load(bundled_path())


def _quoted(kb: KnowledgeBase) -> list[Question | Position | Argument]:
    return [*kb.questions, *kb.positions, *kb.arguments]


#: words of the report that set the scene rather than carry a claim; the source entry's
#: `event` records them. Any other words left unquoted fail the coverage test.
SETTING = (
    "During the Open Source Innovation Development portion of the Innovations in the Fight "
    "Against Human Trafficking symposium,"
)


def _sentences_and_coverage(kb: KnowledgeBase) -> list[tuple[str, str, float]]:
    """(sentence, its unquoted words, share of its characters quoted) for each sentence of the body."""
    (source,) = kb.sources
    text = normalize_quote(read_source_text(kb, source))
    covered = [False] * len(text)
    for entry in _quoted(kb):
        if entry.quote is None:
            continue
        quote = normalize_quote(entry.quote)
        for match in re.finditer(re.escape(quote), text):
            covered[match.start():match.end()] = [True] * len(quote)
    body = text.index("During the Open Source")  # after the title and the byline
    result = []
    for match in re.finditer(r"[^.!?]+[.!?]+\"?", text[body:]):
        start, end = match.start() + body, match.end() + body
        sentence = text[start:end].strip()
        chars = [i for i in range(start, end) if not text[i].isspace()]
        share = sum(covered[i] for i in chars) / len(chars)
        unquoted = " ".join("".join(text[i] if not covered[i] else " " for i in range(start, end)).split())
        result.append((sentence, unquoted, share))
    return result


def test_every_sentence_of_the_report_is_quoted(kb: KnowledgeBase) -> None:
    sentences = _sentences_and_coverage(kb)
    assert len(sentences) == 29
    for sentence, unquoted, share in sentences:
        assert share >= 0.4, f"mostly unquoted: {sentence!r}"
        assert unquoted in ("", SETTING), f"words of the report no entry quotes: {unquoted!r} in {sentence!r}"


def test_the_setting_is_recorded_on_the_source(kb: KnowledgeBase) -> None:
    (source,) = kb.sources
    assert source.event is not None
    assert "Innovations in the Fight Against Human Trafficking symposium" in source.event
    assert "Open Source Innovation Development" in source.event
    assert source.author is not None and f"By: {source.author}" in read_source_text(kb, source)


def test_every_quote_is_verbatim(kb: KnowledgeBase) -> None:
    errors = [p for p in check(kb, lambda s: read_source_text(kb, s)) if p.severity == "error"]
    assert errors == []


def test_only_expected_warning(kb: KnowledgeBase) -> None:
    """The report gives no reason for its skepticism; every other entry is quoted and argued."""
    warnings = [p.message for p in check(kb, lambda s: read_source_text(kb, s)) if p.severity == "warning"]
    assert warnings == ["position 'decriminalization-not-soon' has no argument for it"]


def test_every_question_has_its_outcome_in_the_reports_words(kb: KnowledgeBase) -> None:
    (source,) = kb.sources
    text = normalize_quote(read_source_text(kb, source))
    for question in kb.questions:
        assert question.outcome and question.outcome_quote and question.outcome_source == source.id, question.id
        assert normalize_quote(question.outcome_quote) in text, question.id
    # the outcomes are what the report says, not what agreement levels suggest
    outcomes = {q.id: q.outcome for q in kb.questions}
    assert "back and forth" in (outcomes["criminalizing-johns"] or "")
    assert "skepticism" in (outcomes["decriminalization-timing"] or "").lower()


def test_every_argument_and_position_has_a_quote_and_source(kb: KnowledgeBase) -> None:
    for entry in _quoted(kb):
        assert entry.quote and entry.source == "session-report", entry.id


def test_ids_are_kebab_case(kb: KnowledgeBase) -> None:
    assert all(ID_PATTERN.match(entry_id) for entry_id in kb.ids)


def test_every_actor_is_used(kb: KnowledgeBase) -> None:
    used = {a.by for a in kb.arguments} | {actor for p in kb.positions for actor in p.held_by}
    assert {a.id for a in kb.actors} <= used


def test_every_question_is_answered(kb: KnowledgeBase) -> None:
    answered = {p.question for p in kb.positions}
    assert {q.id for q in kb.questions} == answered


def test_interpretation_fields_are_present(kb: KnowledgeBase) -> None:
    for argument in kb.arguments:
        assert argument.type is not None, argument.id
        assert argument.tags, argument.id
        assert argument.by is not None, argument.id
    for entry in [*kb.positions, *kb.questions, *kb.models]:
        assert entry.tags, entry.id
    assert all("background" in m.tags for m in kb.models)
    assert {model for p in kb.positions for model in p.models} <= {m.id for m in kb.models}


def test_claims_are_one_sentence(kb: KnowledgeBase) -> None:
    for entry in [*kb.positions, *kb.arguments]:
        assert entry.claim.endswith("."), entry.id
        assert not re.search(r"\. [A-Z]", entry.claim), f"{entry.id}: more than one sentence"


def test_source_file_ships_next_to_the_kb(kb: KnowledgeBase) -> None:
    (source,) = kb.sources
    assert source.file is not None
    assert (Path(kb.path).parent / source.file).is_file()
