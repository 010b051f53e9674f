"""An arggraph (microtexts) or an Argdown document that policyx would refuse to load is refused
before it is converted, and nothing is written (issue 18, item 12), as tests/test_import_limits.py
checks it for AIF, Kialo and Carneades: the loader's limit (schema.MAX_VALUES), lowered here so
that small files reach it."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from policyx.importers import InputFile, common, dispatch, import_files, microtexts
from policyx.importers.argdown_limits import least_values as argdown_least_values
from policyx.importers.argdown_text import parse
from policyx.importers.dispatch import parse_json
from policyx.kb import schema
from policyx.kb.errors import KnowledgeBaseError
from tests.clirun import run_cli as cli
from tests.test_import_graphs import ARGGRAPH
from tests.test_import_microtexts import arggraph

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def true_count(name: str, text: str) -> int:
    """The YAML values of the knowledge base the file makes, counted as the loader counts them."""
    result = import_files([InputFile(name, text.encode("utf-8"))])
    return common.count_values(result.document, 10**9)


# --------------------------------------------------------------------------- microtexts

#: one ADU of two EDUs, one of an EDU that is blank but for another, an ADU inside a comment and
#: the word "<adu" in an EDU's words (neither is an ADU), an unknown element
ODD = """<?xml version="1.0"?>
<!-- <adu id="z" type="pro"/> -->
<arggraph id="odd">
  <edu id="e1"><![CDATA[Cities should ban cars <adu> from the centre]]></edu>
  <edu id="e2"><![CDATA[on Sundays.]]></edu>
  <edu id="e3"> </edu><edu id="e4">It is quieter.</edu>
  <note>not in the scheme</note>
  <adu id="a1" type="pro"/><adu id="a2" type="opp"/>
  <edge id="c1" src="e2" trg="a1" type="seg"/><edge id="c2" src="e1" trg="a1" type="seg"/>
  <edge id="c3" src="e3" trg="a2" type="seg"/><edge id="c4" src="e4" trg="a2" type="seg"/>
  <edge id="c5" src="a2" trg="a1" type="sup"/>
</arggraph>
"""

GRAPHS = {"fixture": ARGGRAPH, "odd": ODD, "one ADU": "<arggraph><edu id='e'>Yes.</edu><adu id='a' type='pro'/>"
          "<edge id='c' src='e' trg='a' type='seg'/></arggraph>", **{f"generated {n}": arggraph(n) for n in (30, 300)}}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_the_arggraph_bound_never_exceeds_what_the_knowledge_base_holds(name: str) -> None:
    adus, least, _ = microtexts.least_values(GRAPHS[name])
    assert adus > 0 and least == adus * microtexts.PER_ADU <= true_count("graph.xml", GRAPHS[name])


def test_the_arggraph_bound_counts_only_the_adus_of_the_root() -> None:
    assert microtexts.least_values(ODD) == (2, 10, 8)  # not the commented one, nor the word in CDATA
    assert microtexts.least_values("<other><adu id='a'/></other>")[0] == 0


def test_an_over_limit_arggraph_is_refused_before_it_is_parsed_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 200)
    parsed: list[str] = []
    monkeypatch.setattr(microtexts, "_parse", lambda name, text: parsed.append(name))
    source = tmp_path / "graph.xml"
    source.write_text(arggraph(60), encoding="utf-8")
    kb = tmp_path / "out" / "kb.yaml"
    kb.parent.mkdir()
    result = cli("import", str(source), "-o", str(kb))
    assert result.exit_code == 3 and result.stdout == ""
    line = 2 + 60 + 41  # the declaration, the root, the EDUs: the 41st ADU's line
    assert result.stderr.startswith(f"policyx: {source}:{line}: is too large to import: its first 41 ADUs, up to this"
                                    " line, already make a knowledge base of at least 205 YAML values, more than the"
                                    " 200 policyx reads (MAX_VALUES); nothing was written (split the arggraph")
    assert parsed == []  # refused from the text: no element, no claim built
    assert list(kb.parent.iterdir()) == []
    listed = cli("--kb", str(source), "list", "-f", "ids")
    assert listed.exit_code == 3 and "(MAX_VALUES); nothing was written" in listed.stderr and listed.stdout == ""


def test_an_arggraph_at_the_limit_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = arggraph(60)
    limit = true_count("graph.xml", text)
    monkeypatch.setattr(schema, "MAX_VALUES", limit)
    source = tmp_path / "graph.xml"
    source.write_text(text, encoding="utf-8")
    assert cli("import", str(source), "-o", str(tmp_path / "kb.yaml")).exit_code == 0
    monkeypatch.setattr(schema, "MAX_VALUES", limit - 1)  # past it only once converted: refused then
    again = cli("import", str(source), "-o", str(tmp_path / "again.yaml"))
    assert again.exit_code == 3 and "so it is not written" in again.stderr and not (tmp_path / "again.yaml").exists()


def test_the_arggraph_count_stops_at_the_limit_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    text = arggraph(60_000)
    monkeypatch.setattr(schema, "MAX_VALUES", 5_000)
    tracemalloc.start()
    try:
        with pytest.raises(KnowledgeBaseError, match="at least 5,005 YAML values"):
            microtexts.within_limits("graph.xml", text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(text) // 2  # the parser's chunk and counters, not the file's elements


def test_a_small_arggraph_skips_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[int] = []
    real = microtexts.least_values
    monkeypatch.setattr(microtexts, "least_values", lambda text, limit=None: counted.append(1) or real(text, limit))
    monkeypatch.setattr(schema, "MAX_VALUES", 3 * microtexts.PER_ADU)
    microtexts.within_limits("odd.xml", ODD)  # four "<adu": 20 values were each one an ADU
    assert counted == [1]
    monkeypatch.setattr(schema, "MAX_VALUES", 4 * microtexts.PER_ADU)
    microtexts.within_limits("odd.xml", ODD)
    assert counted == [1]  # not counted: it could not pass


# --------------------------------------------------------------------------- Argdown


def document(statements: int) -> str:
    """Titled statements, each a reason for the first, some with tags, every tenth an argument
    with a premise-conclusion structure, and prose between them."""
    lines = ["# Should towns set a 20 mph limit?", "", "[S0]: Towns should set a 20 mph limit. #transport", ""]
    for k in range(1, statements):
        lines.append(f"[S0]\n  + [S{k}]: Reason number {k} for it." + (" #safety" if k % 3 == 0 else ""))
        if k % 10 == 0:
            lines += ["", f"<A{k}>", "", f"(1) [P{k}]: Premise {k}.", f"(2) Premise {k} b.", "----",
                      f"(3) [S{k}]", ""]
        lines += ["", "Some prose between them, with no title.", ""] if k % 7 == 0 else [""]
    return "\n".join(lines) + "\n"


DOCUMENTS = {
    "generated 40": parse(document(40)),
    "generated 5": parse(document(5)),
    "tags only": parse("[T]: #a #b\n[U]: words\n  + [V]: more words\n"),
    **{p.name: parse(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.argdown"))},
    **{p.name: parse_json(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.argdown.json"))},
}


def argdown_count(data: object) -> int:
    return true_count("doc.json", json.dumps(data))  # as the JSON `argdown json` writes


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_argdown_bound_never_exceeds_what_the_knowledge_base_holds(name: str) -> None:
    counted, least = argdown_least_values(DOCUMENTS[name])
    assert counted > 0 and 0 < least <= argdown_count(DOCUMENTS[name])


def test_the_argdown_bound_counts_what_surely_becomes_an_entry() -> None:
    assert argdown_least_values(DOCUMENTS["tags only"]) == (2, 10)  # [T] is tags only: no claim
    counted, least = argdown_least_values(DOCUMENTS["generated 40"])
    assert (counted, least) == (37 + 3, 37 * 5 + 3 * 3)  # S0-S39 but the conclusions S10-S30 of A10-A30, and those


def test_an_over_limit_argdown_document_is_refused_before_any_claim_is_built_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 150)
    built: list[str] = []
    monkeypatch.setattr(dispatch, "import_argdown_json", lambda name, data, builder: built.append(name))
    source = tmp_path / "speed.argdown"
    source.write_text(document(40), encoding="utf-8")
    kb = tmp_path / "out" / "kb.yaml"
    kb.parent.mkdir()
    result = cli("import", str(source), "-o", str(kb))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith(f"policyx: {source}: is too large to import: its 40 statements and arguments"
                                    " with titles would make a knowledge base of at least 194 YAML values, more than"
                                    " the 150 policyx reads (MAX_VALUES); nothing was written (split the document")
    assert built == [] and list(kb.parent.iterdir()) == []


def test_the_json_argdown_writes_is_refused_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 10)
    source = tmp_path / "debate.argdown.json"
    source.write_bytes((FIXTURES / "debate.argdown.json").read_bytes())
    result = cli("import", str(source), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3 and "is too large to import" in result.stderr
    assert not (tmp_path / "kb.yaml").exists()


def test_an_argdown_document_at_the_limit_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = document(40)
    monkeypatch.setattr(schema, "MAX_VALUES", true_count("speed.argdown", text))
    source = tmp_path / "speed.argdown"
    source.write_text(text, encoding="utf-8")
    assert cli("import", str(source), "-o", str(tmp_path / "kb.yaml")).exit_code == 0
