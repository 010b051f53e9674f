"""An AIF map policyx would refuse to load is refused before it is converted, and nothing is written
(issue 18, item 12): the loader's limits (schema.MAX_VALUES), lowered here so that small maps reach them."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from policyx.importers import InputFile, aif_limits, common, dispatch, import_files
from policyx.importers import aif as aif_module
from policyx.importers.aif_limits import least_values
from policyx.importers.dispatch import parse_json
from policyx.importers.kialo_limits import least_values as kialo_least_values
from policyx.importers.kialo_limits import within_limits as kialo_within_limits
from policyx.kb import schema
from policyx.kb.errors import KnowledgeBaseError
from tests.clirun import run_cli as cli

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def chain(claims: int) -> dict[str, object]:
    """Claims and inferences only (Araucaria): each claim a reason for the one before it."""
    nodes: list[dict[str, object]] = [{"nodeID": "0", "type": "I", "text": "Claim 0"}]
    edges: list[dict[str, object]] = []
    for k in range(1, claims):
        nodes += [{"nodeID": str(2 * k), "type": "I", "text": f"Claim {k}"},
                  {"nodeID": str(2 * k - 1), "type": "RA", "text": "Default Inference"}]
        edges += [{"fromID": str(2 * k), "toID": str(2 * k - 1)}, {"fromID": str(2 * k - 1), "toID": str(2 * k - 2)}]
    return {"nodes": nodes, "edges": edges}


def dialogue(exchanges: int, linked: bool = False) -> dict[str, object]:
    """AIFdb's dialogue: per exchange two locutions anchoring two claims, a transition, the inference
    from the reply to the opener (with ``linked``, a second premise beside the reply's claim)."""
    nodes: list[dict[str, object]] = []
    edges: list[tuple[str, str]] = []
    for x in range(exchanges):
        b = f"x{x}-"
        for k, who in enumerate(("Ann", "Bob")):
            nodes += [{"nodeID": f"{b}L{k}", "type": "L", "text": f"{who} : words {x} {k}"},
                      {"nodeID": f"{b}Y{k}", "type": "YA", "text": "Asserting"},
                      {"nodeID": f"{b}I{k}", "type": "I", "text": f"words {x} {k}"}]
            edges += [(f"{b}L{k}", f"{b}Y{k}"), (f"{b}Y{k}", f"{b}I{k}")]
        nodes += [{"nodeID": f"{b}T", "type": "TA", "text": "Default Transition"},
                  {"nodeID": f"{b}R", "type": "RA", "text": "Default Inference"},
                  {"nodeID": f"{b}A", "type": "YA", "text": "Arguing"}]
        edges += [(f"{b}L0", f"{b}T"), (f"{b}T", f"{b}L1"), (f"{b}I1", f"{b}R"), (f"{b}R", f"{b}I0"),
                  (f"{b}T", f"{b}A"), (f"{b}A", f"{b}R")]
        if linked:
            nodes.append({"nodeID": f"{b}P", "type": "I", "text": f"a further premise {x}"})
            edges.append((f"{b}P", f"{b}R"))
    return {"nodes": nodes, "edges": [{"fromID": a, "toID": c} for a, c in edges]}


def true_count(data: object, name: str = "map.json") -> int:
    """The YAML values of the knowledge base the map makes, counted as the loader counts them."""
    result = import_files([InputFile(name, json.dumps(data).encode("utf-8"))])
    return common.count_values(result.document, 10**9)


#: texts that are no words, a number's digits, a duplicate node, OVA's wrapper, a type written loosely
ODD = {"AIF": {"nodes": [
    {"nodeID": 1, "type": "I", "text": "A claim"}, {"nodeID": 1, "type": "I", "text": "A claim"},
    {"nodeID": "2", "type": " i ", "text": "\u00a0\u2003 "}, {"nodeID": "3", "type": "I", "text": 42},
    {"nodeID": "4", "type": "RA", "text": "Default Inference"}, {"id": "5", "type": "ra", "text": "Inference"},
    {"nodeID": "6", "type": "I", "text": "Another"}],
    "edges": [{"fromID": "3", "toID": "4"}, {"fromID": "4", "toID": "1"}, {"fromID": 6, "toID": "5"},
              {"fromID": "5", "toID": "9"}]}}

MAPS = {
    "chain": chain(40),
    "odd": ODD,
    "dialogue": dialogue(12),
    "dialogue with linked premises": dialogue(12, linked=True),
    **{path.name: parse_json(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.rglob("*.json"))
       if "nodeID" in path.read_text(encoding="utf-8")},
}


@pytest.mark.parametrize("name", list(MAPS))
def test_the_early_bound_never_exceeds_what_the_knowledge_base_holds(name: str) -> None:
    claims, least = least_values(MAPS[name])
    assert claims > 0 and 0 < least <= true_count(MAPS[name], name)


def test_the_bound_is_close_for_a_map_of_claims_and_inferences() -> None:
    claims, least = least_values(chain(40))
    assert (claims, least) == (40, 240)  # mapping, id, claim, for (or question), quote, source
    assert true_count(chain(40)) - least < 30  # the rest: the file's title, question, source, its author


def test_an_over_limit_map_is_refused_before_it_is_read_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 200)
    read: list[str] = []
    monkeypatch.setattr(aif_module, "read_map", lambda name, data: read.append(name))
    source = tmp_path / "corpus.json"
    source.write_text(json.dumps(chain(40)), encoding="utf-8")
    kb = tmp_path / "out" / "kb.yaml"
    kb.parent.mkdir()
    result = cli("import", str(source), "-o", str(kb))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"policyx: {source}: is too large to import: its 40 claims")
    assert "at least 240 YAML values, more than the 200 policyx reads (MAX_VALUES); nothing was written" \
        in result.stderr
    assert "import them as a library" in result.stderr and "Traceback" not in result.stderr
    assert read == []  # refused from the parsed JSON: no node was built
    assert list(kb.parent.iterdir()) == []  # no knowledge base, no sources folder
    listed = cli("--kb", str(source), "list", "-f", "ids")  # --kb reading the map directly: the same refusal
    assert listed.exit_code == 3 and "(MAX_VALUES); nothing was written" in listed.stderr and listed.stdout == ""


def test_a_map_past_the_limit_only_once_converted_is_refused_before_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = dialogue(12)
    _, least = least_values(data)
    limit = true_count(data) - 1
    assert least <= limit  # the early bound lets it through: the count of the converted map refuses it
    monkeypatch.setattr(schema, "MAX_VALUES", limit)
    source = tmp_path / "talk.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = cli("import", str(source), "-o", str(tmp_path / "out" / "kb.yaml"))
    assert result.exit_code == 3
    assert f"more than {limit:,} YAML values, more than policyx reads (MAX_VALUES), so it is not written" \
        in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["chain", "dialogue"])
def test_a_map_at_the_limit_is_written_and_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    data = MAPS[name]
    limit = true_count(data)  # exactly the values its knowledge base holds
    monkeypatch.setattr(schema, "MAX_VALUES", limit)
    source = tmp_path / "map.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    kb = tmp_path / "kb.yaml"
    assert cli("import", str(source), "-o", str(kb)).exit_code == 0
    checked = cli("--kb", str(kb), "check")
    assert checked.exit_code == 0 and "ok:" in checked.stdout + checked.stderr
    monkeypatch.setattr(schema, "MAX_VALUES", limit - 1)  # one value fewer: check refuses what was written...
    refused = cli("--kb", str(kb), "check")
    assert refused.exit_code == 3 and f"more than {limit - 1:,} YAML values" in refused.stderr
    again = cli("import", str(source), "-o", str(tmp_path / "again.yaml"))  # ...and so does import, writing nothing
    assert again.exit_code == 3 and not (tmp_path / "again.yaml").exists()


def test_a_map_too_small_to_reach_the_limit_skips_the_early_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every node a claim of six values could not pass MAX_VALUES: the early pass is not made (it cost
    about 7% of an ordinary import); one node more than that, and it is."""
    counted: list[int] = []
    real = aif_limits.least_values
    monkeypatch.setattr(aif_limits, "least_values", lambda data: counted.append(1) or real(data))
    data = chain(40)  # 79 nodes
    monkeypatch.setattr(schema, "MAX_VALUES", 79 * 6)
    aif_limits.within_limits("map.json", data)
    assert counted == []
    monkeypatch.setattr(schema, "MAX_VALUES", 79 * 6 - 1)
    aif_limits.within_limits("map.json", data)  # counted now, and still within: 240 values at least
    assert counted == [1]


# --------------------------------------------------------------------------- Kialo


def kialo(claims: int, links: bool = False) -> str:
    """A Kialo export: the thesis, then Pro and Con claims three to a parent (with ``links``, every
    tenth one a '-> See' link, and a claim of no words and one over two lines)."""
    lines = ["Discussion Title: Should the voting age be lowered?", "", "1. The voting age should be lowered."]
    numbers = ["1."]
    for k in range(1, claims):
        number = f"{numbers[(k - 1) // 3]}{(k - 1) % 3 + 1}."
        numbers.append(number)
        side = "Pro" if k % 2 else "Con"
        words = f"-> See {numbers[k // 2]}" if links and k % 10 == 0 else f"Reason number {k} \\(says who\\)"
        lines.append(f"{number} {side}: {words}")
    if links:
        lines += ["1.1.1.1.1. Pro:", "1.1.1.1.2. Con: a claim", "that runs over two lines"]
    return "\n".join(lines) + "\n"


def kialo_count(text: str) -> int:
    result = import_files([InputFile("talk.txt", text.encode("utf-8"))])
    return common.count_values(result.document, 10**9)


@pytest.mark.parametrize("text", [kialo(40), kialo(40, links=True), kialo(3), kialo(1),
                                  "Discussion Title: Q?\n\n1. Top.\n1.1. Thesis: Yes.\n1.1.1. Pro: Because.\n"
                                  "1.2. Pro: Of the question.\n1.3. Thesis: No.\n",
                                  *[path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.txt"))
                                    if "Discussion" in path.read_text(encoding="utf-8")[:200]]])
def test_the_kialo_bound_never_exceeds_what_the_knowledge_base_holds(text: str) -> None:
    claims, least, _ = kialo_least_values(text)
    assert claims > 0 and 0 < least <= kialo_count(text)


def test_the_kialo_bound_is_close_for_a_plain_discussion() -> None:
    claims, least, line = kialo_least_values(kialo(40))
    assert (claims, least, line) == (40, 240, 42)
    assert kialo_count(kialo(40)) - least < 40  # the rest: the question, the source, the author, a thesis's own


def test_an_over_limit_kialo_export_is_refused_before_it_is_read_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 200)
    built: list[str] = []
    monkeypatch.setattr(dispatch, "import_kialo", lambda name, text, builder: built.append(name) or "")
    source = tmp_path / "talk.txt"
    source.write_text(kialo(40), encoding="utf-8")
    kb = tmp_path / "out" / "kb.yaml"
    kb.parent.mkdir()
    result = cli("import", str(source), "-o", str(kb))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"policyx: {source}:36: is too large to import: its first 34 claims, up to"
                                    " this line, already make a knowledge base of at least 204 YAML values, more"
                                    " than the 200 policyx reads (MAX_VALUES); nothing was written")
    assert "Traceback" not in result.stderr
    assert built == []  # refused from the text: no claim was built
    assert list(kb.parent.iterdir()) == []
    listed = cli("--kb", str(source), "list", "-f", "ids")
    assert listed.exit_code == 3 and "(MAX_VALUES); nothing was written" in listed.stderr and listed.stdout == ""


def test_the_kialo_count_stops_at_the_limit_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    text = kialo(60_000)
    monkeypatch.setattr(schema, "MAX_VALUES", 6_000)
    tracemalloc.start()
    try:
        with pytest.raises(KnowledgeBaseError, match="at least 6,006 YAML values"):
            kialo_within_limits("talk.txt", text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(text) // 10  # a thousand claims' numbers, not the file's 60,000


def test_a_kialo_export_at_the_limit_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = kialo(40)
    monkeypatch.setattr(schema, "MAX_VALUES", kialo_count(text))
    source = tmp_path / "talk.txt"
    source.write_text(text, encoding="utf-8")
    assert cli("import", str(source), "-o", str(tmp_path / "kb.yaml")).exit_code == 0


def test_a_kialo_claim_numbered_twice_is_counted_once_and_its_own_error_is_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "1. Thesis words.\n1.1. Pro: a reason.\n1.1. Pro: the same number.\n"
    assert kialo_least_values(text)[:2] == (2, 12)
    monkeypatch.setattr(schema, "MAX_VALUES", 12)
    with pytest.raises(KnowledgeBaseError, match="numbered twice"):
        import_files([InputFile("talk.txt", text.encode("utf-8"))])


# --------------------------------------------------------------------------- Carneades


def carneades_graph(statements: int) -> str:
    lines = ["meta:", "  title: Helmets", "statements:"]
    lines += [f"  s{k}: Statement number {k}." for k in range(statements)]
    lines += ["  blank: '  '", "arguments:"]
    lines += [f"  a{k}: {{conclusion: s{k - 1}, premises: [s{k}]}}" for k in range(1, statements)]
    lines += ["  linked: {conclusion: s0, premises: [s1, s2]}"]
    return "\n".join(lines) + "\n"


def test_the_carneades_bound_never_exceeds_what_the_knowledge_base_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    text = carneades_graph(30)
    result = import_files([InputFile("graph.yml", text.encode("utf-8"))])
    true = common.count_values(result.document, 10**9)
    assert true >= 60  # 30 statements with words: at least 60 values
    monkeypatch.setattr(schema, "MAX_VALUES", 60)  # at the bound: not refused early, but once converted
    with pytest.raises(KnowledgeBaseError, match="so it is not written"):
        import_files([InputFile("graph.yml", text.encode("utf-8"))])
    monkeypatch.setattr(schema, "MAX_VALUES", 59)
    with pytest.raises(KnowledgeBaseError, match="its 30 statements with text would make a knowledge base of at least"
                       " 60 YAML values, more than the 59 policyx reads"):
        import_files([InputFile("graph.yml", text.encode("utf-8"))])


def test_an_over_limit_carneades_graph_is_refused_before_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 50)
    built: list[str] = []
    monkeypatch.setattr(dispatch, "import_carneades", lambda name, data, builder: built.append(name) or "")
    source = tmp_path / "graph.yml"
    source.write_text(carneades_graph(30), encoding="utf-8")
    result = cli("import", str(source), "-o", str(tmp_path / "out" / "kb.yaml"))
    assert result.exit_code == 3 and built == [] and not (tmp_path / "out").exists()
    assert result.stderr.startswith(f"policyx: {source}: is too large to import: its 30 statements with text")
