"""A knowledge base's indexes (ids, replies, version 2's links and ways to a position) are made
when first asked, not when it is made: a warm run that lists arguments needs none of them.

Each must answer as the index made at once did (written out plainly here), on one file of each
version and on a library, built or read whole from its cache; threads asking at once (the
explorer's workers) must each get a whole index, and the knowledge base keep one of them.
"""

from __future__ import annotations

import copy
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from policyx.cli.session import READERS
from policyx.kb import cacherows
from policyx.kb.libopen import open_library
from policyx.kb.load import load, load_text
from policyx.kb.model import Argument, KnowledgeBase, Position, Question, premise_ref
from policyx.kb.struct import replace
from tests.clirun import run_program

GRAPH = Path(__file__).resolve().parent / "fixtures" / "graph"


def eager(kb: KnowledgeBase) -> dict[str, Any]:
    """The indexes as they were made when a knowledge base was made (the definition)."""
    by_id = {entry.id: entry for entry in kb.entries()}
    replies: dict[str, list[Argument]] = {}
    for argument in kb.arguments:
        replies.setdefault(argument.target, []).append(argument)
        for _, other in argument.also:
            answered = replies.setdefault(other, [])
            if not answered or answered[-1] is not argument:
                answered.append(argument)
    links: dict[str, list[tuple[str, str]]] = {}
    toward: dict[str, str] = {}
    if kb.version >= 2:
        claims: list[Question | Position | Argument] = [*kb.questions, *kb.positions, *kb.arguments]
        for entry in claims:
            for restated in entry.restates:
                links.setdefault(premise_ref(restated)[0], []).append(("restated by", entry.id))
        for argument in kb.arguments:
            for premise in argument.premises:
                for restated in premise.restates:
                    links.setdefault(premise_ref(restated)[0], []).append(("restated by", argument.id))
        for position in kb.positions:
            for target in position.against:
                links.setdefault(premise_ref(target)[0], []).append(("attacked by position", position.id))
        todo = [p.id for p in kb.positions]
        for entry_id in todo:
            for reply in replies.get(entry_id, ()):
                if reply.id not in toward:
                    toward[reply.id] = entry_id
                    todo.append(reply.id)
    return {"ids": by_id, "replies": {k: tuple(v) for k, v in replies.items()},
            "links": {k: tuple(v) for k, v in links.items()}, "toward": toward}


def answers(kb: KnowledgeBase) -> dict[str, Any]:
    """What the knowledge base answers, asked through its methods, for every id it has."""
    every = [*kb.ids, "no-such-id"]
    return {
        "ids": dict(kb.ids), "get": {i: kb.get(i) for i in every},
        "replies": dict(kb.replies), "replies_to": {i: kb.replies_to(i) for i in every},
        "links": {i: kb.links_to(i) for i in every if kb.links_to(i)},
        "toward": {a.id: kb.toward(a) for a in kb.arguments},
    }


def expected(kb: KnowledgeBase) -> dict[str, Any]:
    made = eager(kb)
    every = [*made["ids"], "no-such-id"]
    return {
        "ids": made["ids"], "get": {i: made["ids"].get(i) for i in every},
        "replies": made["replies"], "replies_to": {i: made["replies"].get(i, ()) for i in every},
        "links": made["links"],
        "toward": {a.id: made["toward"].get(a.id, a.target) for a in kb.arguments},
    }


def unmade(kb: KnowledgeBase) -> bool:
    return not any(map(kb._has_index, ("_by_id", "_replies", "_links", "_toward")))


#: the premises fixture, and an argument aimed at two premises of one argument (one reply to it),
#: and two that attack each other, the first also a position (its way there is not its target)
ROUNDABOUT = (GRAPH / "premises-v2.yaml").read_text(encoding="utf-8") + """\
  - {id: twice, claim: Both fail., against: [sleep-short.teens-late, sleep-short.early-short]}
  - {id: round, claim: Round., against: [back, start-later]}
  - {id: back, claim: Back., against: round}
"""


@pytest.mark.parametrize("name", ["premises-v2.yaml", "uniforms-v2.yaml", "roundabout"])
def test_a_version_2_file_answers_as_its_indexes_made_at_once(name: str) -> None:
    kb = load_text(ROUNDABOUT, str(GRAPH / "roundabout.yaml")) if name == "roundabout" else load(GRAPH / name)
    assert unmade(kb)
    found = answers(kb)
    assert found == expected(kb)
    assert found["links"] and kb._toward  # the graph's indexes are exercised, not empty
    assert kb._has_index("_by_id") and kb.ids is kb.ids  # made once, then kept
    if name == "roundabout":
        assert [a.id for a in kb.replies_to("sleep-short")].count("twice") == 1
        roundabout = kb.ids["round"]
        assert isinstance(roundabout, Argument) and kb.toward(roundabout) == "start-later" != roundabout.target


def test_a_version_1_file_has_no_links_and_answers_its_targets(kb_path: Path) -> None:
    kb = load(kb_path)
    assert kb.version == 1 and answers(kb) == expected(kb)
    assert kb._links == {} and kb._toward == {}
    with pytest.raises(AttributeError, match="no_such_field"):  # only the indexes are made when missing
        kb.no_such_field  # type: ignore[attr-defined]  # noqa: B018
    copied = copy.copy(kb)  # (copy asks for attributes a knowledge base has not: missing, as they should be)
    assert copied == kb and copied.ids == kb.ids and copied.toward(kb.arguments[0]) == kb.arguments[0].target


@pytest.fixture
def twins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each version-2 fixture twice: every id of one is an id of its twin (qualified in the library)."""
    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # kept whole at once (see test_library_warm)
    monkeypatch.setenv("POLICYX_ARGDOWN", "builtin")
    for twin in ("a", "b"):
        (tmp_path / twin).mkdir()
        shutil.copy(GRAPH / "minutes.txt", tmp_path / twin / "minutes.txt")
        for name in ("premises-v2.yaml", "uniforms-v2.yaml"):
            shutil.copy(GRAPH / name, tmp_path / twin / f"{twin}-{name}")
        (tmp_path / twin / f"{twin}-roundabout.yaml").write_text(ROUNDABOUT, encoding="utf-8")
    return tmp_path


def test_a_library_built_and_read_whole_answer_alike(twins: Path) -> None:
    built = open_library([twins], readers=READERS)
    warm = open_library([twins], readers=READERS)
    assert built.built and not warm.built
    assert unmade(warm)  # nothing asked yet: nothing made
    found = answers(warm)
    assert found == answers(built) == expected(warm)
    assert any(":" in entry_id for entry_id in found["ids"]) and found["links"]
    assert warm.get("a-premises-v2:keep-time") is warm.ids["a-premises-v2:keep-time"]
    # (a built library's replies once listed such an argument twice: its map and show too)
    assert [a.id for a in built.replies_to("a-roundabout:sleep-short")].count("a-roundabout:twice") == 1


def test_a_library_s_map_is_the_same_built_and_read_whole(twins: Path) -> None:
    built, warm = (run_program(["--kb", str(twins), "map"]) for _ in range(2))
    assert built.exit_code == warm.exit_code == 0
    assert built.stdout == warm.stdout and built.stdout.count("against a-roundabout:twice") == 1


def test_replace_makes_the_indexes_again_and_equality_ignores_them(kb_path: Path) -> None:
    kb = load(kb_path)
    ids = kb.ids
    again = replace(kb, quotes=None)
    assert unmade(again) and again == kb == load(kb_path)  # one index made, the other not
    assert again.ids == ids and again.ids is not ids


def test_threads_asking_at_once_each_get_a_whole_index_and_one_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load(GRAPH / "uniforms-v2.yaml")
    whole = expected(kb)
    # each thread waits inside the making until the other is in it too: both make the index
    inside = threading.Barrier(2, timeout=30)
    collection = KnowledgeBase.collection
    waited: set[str] = set()

    def meeting(self: KnowledgeBase, kind: Any) -> Any:
        name = threading.current_thread().name
        if name.startswith("asker") and name not in waited:
            waited.add(name)
            inside.wait()
        return collection(self, kind)

    monkeypatch.setattr(KnowledgeBase, "collection", meeting)
    got: dict[str, Any] = {}

    def ask(name: str) -> None:
        got[name] = (kb.ids, kb.toward(kb.arguments[-1]), kb.links_to(kb.arguments[0].id), kb.replies)

    threads = [threading.Thread(target=ask, args=(f"asker-{n}",), name=f"asker-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert waited == {"asker-0", "asker-1"} and len(got) == 2
    first, second = got["asker-0"], got["asker-1"]
    assert first[0] is not second[0]  # both made it...
    assert first[0] == second[0] == whole["ids"]  # ...whole, and the same
    assert kb.ids is first[0] or kb.ids is second[0]  # one of them is kept
    assert first[1:] == second[1:] == (whole["toward"][kb.arguments[-1].id],
                                       whole["links"].get(kb.arguments[0].id, ()), whole["replies"])
