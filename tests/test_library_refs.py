"""A library whose members share ids: every reference of every shape follows the qualified id.

Ids that several members use become NAME:id in the merged knowledge base, and so must every
reference to them inside their member: one id, a list (``against``, ``restates``), a premise
(``ARGUMENT.PREMISE``), an argument's further targets, its premises' restatements, and each
act's person and source. A reference left plain named nothing (a crash in ``standing`` and
``show`` on the US2016 corpus, whose nodesets share ids and speakers).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from policyx.cli.session import READERS
from policyx.kb.libopen import open_library
from policyx.kb.library import Library
from policyx.kb.model import Argument, Position, premise_ref
from policyx.kb.store import open_kb
from tests.clirun import run_program


@pytest.fixture(autouse=True)
def _builtin_argdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """debate.argdown is read with policyx's own parser, not a Node process of the Argdown CLI at
    each uncached read (a second each); the two readers are held together in test_import_argdown.py."""
    monkeypatch.setenv("POLICYX_ARGDOWN", "builtin")

GRAPH = Path(__file__).resolve().parent / "fixtures" / "graph"
FIXTURES = ("premises-v2.yaml", "uniforms-v2.yaml")


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """Each version-2 fixture twice (a/ and b/): every id of one is an id of its twin."""
    for twin in ("a", "b"):
        (tmp_path / twin).mkdir()
        shutil.copy(GRAPH / "minutes.txt", tmp_path / twin / "minutes.txt")
        for name in FIXTURES:
            shutil.copy(GRAPH / name, tmp_path / twin / f"{twin}-{name}")
    return tmp_path


def references(library: Library) -> list[tuple[str, str]]:
    """(entry id, reference) of every id an entry names."""
    found: list[tuple[str, str]] = []
    for entry in (*library.questions, *library.positions, *library.arguments):
        named = [*entry.restates, *(act.by for act in entry.acts), *(a.source for a in entry.acts if a.source)]
        if isinstance(entry, Position):
            named += [entry.question, *entry.against, *entry.held_by]
        if isinstance(entry, Argument):
            named += [target for _, target in entry.references]
            named += [r for p in entry.premises for r in (*p.restates, p.by, p.source) if r]
            named += [r for r in (entry.by, entry.undercuts, entry.source) if r]
        found += [(entry.id, reference) for reference in named]
    return found


def test_every_reference_names_an_entry_of_the_library(twins: Path) -> None:
    library = open_library([twins], use_cache=False, readers=READERS)
    assert library.qualified("sleep-short") == ("a-premises-v2:sleep-short", "b-premises-v2:sleep-short")
    kinds = {"restates", "against", "premise"}
    shapes: set[str] = set()
    for entry_id, reference in references(library):
        target, premise = premise_ref(reference)
        assert target in library.ids, f"{entry_id} names {reference!r}, which is not in the library"
        assert entry_id.partition(":")[0] == target.partition(":")[0], (entry_id, reference)  # its own twin's
        if premise:
            shapes.add("premise")
    position = library.get("a-premises-v2:keep-time")
    assert isinstance(position, Position) and position.against == ("a-premises-v2:sleep-short.teens-late",)
    drowsy = library.get("b-premises-v2:drowsy")
    assert isinstance(drowsy, Argument)
    assert drowsy.restates == ("b-premises-v2:tired-mornings", "b-premises-v2:sleep-short.early-short")
    phones = library.get("a-premises-v2:phones")
    assert isinstance(phones, Argument) and [t for _, t in phones.relations] == [
        "a-premises-v2:sleep-short", "a-premises-v2:body-clock"]
    shapes |= {"restates", "against"}
    assert shapes == kinds


@pytest.mark.parametrize("command", [["standing"], ["show", "a-premises-v2:keep-time"], ["map"],
                                     ["list", "arguments", "-f", "json"], ["stats"]])
def test_commands_read_a_library_of_twins(twins: Path, command: list[str]) -> None:
    done = run_program(["--kb", str(twins), *command])
    assert done.exit_code == 0, done.stderr
    assert "internal error" not in done.stderr


def _by_debate(kb: list[str], *args: str) -> Counter[str]:
    """How many records `policyx list ARGS` prints for each debate of a library."""
    done = run_program([*kb, "--no-cache", "list", *args, "-f", "json"])
    if done.exit_code == 1 and not done.stdout:
        return Counter()
    assert done.exit_code == 0, done.stderr
    return Counter(record["kb"] for record in json.loads(done.stdout))


def test_stats_of_each_debate_is_what_list_prints_of_it_in_the_library(twins: Path) -> None:
    """Each debate's figures, and the whole's, are what `list` prints in the library itself,
    where the twins' ids are qualified (and a Kialo, an Argdown and an AIF file are members too)."""
    for name in ("kialo-theses.txt", "debate.argdown", "voting-age-dialogue.json"):
        shutil.copy(GRAPH.parent / "import" / name, twins / name)
    kb = ["--kb", str(twins)]
    done = run_program([*kb, "--no-cache", "stats", "-f", "json"])
    assert done.exit_code == 0, done.stderr
    records = json.loads(done.stdout)
    debates, total = records[:-1], records[-1]
    assert len(debates) == 7
    counted = {field: _by_debate(kb, *args) for field, args in (
        ("questions", ("questions",)), ("positions", ("positions",)), ("arguments", ("arguments",)),
        ("for", ("arguments", "--stance", "for")), ("against", ("arguments", "--stance", "against")),
        ("unanswered", ("arguments", "--unanswered")))}
    for record in debates:
        assert {f: record[f] for f in counted} == {f: counted[f][record["debate"]] for f in counted}, record["debate"]
    assert {f: total[f] for f in counted} == {f: sum(c.values()) for f, c in counted.items()}


SPEAKER = """version: 2
title: Debate {n}
actors:
  - {{id: pat, name: Pat, stands_for: one}}
questions:
  - id: q-{n}
    text: Question {n}?
    acts:
      - {{by: pat, act: asks}}
positions:
  - id: p-{n}
    question: q-{n}
    claim: Position {n}.
    acts:
      - {{by: pat, act: asserts}}
"""


def test_a_warm_library_makes_each_member_again_as_its_file_reads(twins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm, the library comes whole from its cache and a member is made again from it, its
    ids put back: every reference, acts' people included, is the member's own again (two
    debates that share only a speaker: the acts are all that names a renamed id)."""
    from policyx.kb import cacherows

    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # the files were written just now: keep it all the same
    for n in ("one", "two"):
        (twins / f"speaker-{n}.yaml").write_text(SPEAKER.format(n=n), encoding="utf-8")
    open_library([twins], readers=READERS)  # the cache written
    warm = open_library([twins], readers=READERS)
    assert not warm.built  # it came whole from the cache
    for member in warm.members:
        alone = open_kb(Path(member.path), use_cache=False, readers=READERS, roots=(str(twins),))
        for kind in ("questions", "positions", "arguments", "actors"):
            assert getattr(member.kb, kind) == getattr(alone, kind), (member.name, kind)
