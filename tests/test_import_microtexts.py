"""The arggraph (microtexts) reader on hostile input (issue "Hardening III", items 11-12): linear in
the file, its work counted (the times are in benchmarks/huge_arggraph.py), and XML that would
expand entities or fetch files refused before it is parsed."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest

from policyx.importers import InputFile, import_files, microtexts
from policyx.kb.errors import KnowledgeBaseError
from tests.clirun import run_cli as cli
from tests.importing import by_claim, convert, text_inputs


def arggraph(edus: int) -> str:
    """``edus`` EDUs, one ADU each (every seventh of two), each supporting (every fifth, the
    opponent's, rebutting) the ADU a third of its number; every eleventh an added premise (add) of
    the edge before it, every thirteenth an undercut (und) of it."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<arggraph id="g" topic_id="big_one" stance="pro">\n']
    out += [f'<edu id="e{k}"><![CDATA[Reason {k} holds.]]></edu>\n' for k in range(edus)]
    adus: list[list[int]] = []
    k = 0
    while k < edus:
        two = len(adus) % 7 == 3 and k + 1 < edus
        adus.append([k, k + 1] if two else [k])
        k += 2 if two else 1
    out += [f'<adu id="a{i}" type="{"opp" if i % 5 == 4 else "pro"}"/>\n' for i in range(len(adus))]
    edges = [(f"e{p}", f"a{i}", "seg") for i, parts in enumerate(adus) for p in parts]
    for i in range(1, len(adus)):
        if i % 11 == 0:
            edges.append((f"a{i}", f"c{len(edges) - 1}", "add"))
        elif i % 13 == 0:
            edges.append((f"a{i}", f"c{len(edges) - 1}", "und"))
        else:
            edges.append((f"a{i}", f"a{(i - 1) // 3}", "reb" if i % 5 == 4 else "sup"))
    out += [f'<edge id="c{n}" src="{s}" trg="{t}" type="{kind}"/>\n' for n, (s, t, kind) in enumerate(edges)]
    return "".join(out) + "</arggraph>\n"


def calls_made(work: Callable[[], object]) -> int:
    """The functions (Python's and C's) ``work`` calls: a count of its work, never a time."""
    made = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal made
        if event in ("call", "c_call"):
            made += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return made


# --------------------------------------------------------------------------
# linear: 20,000 EDUs took 9.5 s, 40,000 four times that; the work counted says it is linear at any size


def test_quotes_are_compared_in_place_never_searched_for(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[int] = []
    real = microtexts._stands
    monkeypatch.setattr(microtexts, "_stands", lambda text, start, source: compared.append(len(text)) or
                        real(text, start, source))
    text = arggraph(20_000)
    result = import_files([InputFile("g.xml", text.encode("utf-8"))])
    (source,) = result.sources.values()
    assert len(compared) == text.count("<adu ")  # one comparison per ADU...
    assert sum(compared) <= len(source)  # ...of its own words: the source text once in all, not once per ADU
    quotes = {e.get("quote") for a in result.document["arguments"] for e in (a, *a.get("premises", ()))}
    assert "Reason 3 holds. Reason 4 holds." in quotes  # the two EDUs of ADU a3, where they stand


def test_the_work_of_an_import_doubles_with_the_file() -> None:
    small, large = arggraph(1_000), arggraph(2_000)
    made = [calls_made(lambda t=t: import_files([InputFile("g.xml", t.encode("utf-8"))]))  # type: ignore[misc]
            for t in (small, large)]
    assert 1.9 < made[1] / made[0] < 2.1


def test_an_adus_edus_are_gathered_in_the_order_of_the_text_whatever_the_order_of_its_edges() -> None:
    text = """<arggraph id="x">
      <edu id="e1"><![CDATA[Buses should be free,]]></edu>
      <edu id="e2"><![CDATA[says the mayor,]]></edu>
      <edu id="e3"><![CDATA[because fares keep people home.]]></edu>
      <edu id="e4"><![CDATA[   ]]></edu>
      <adu id="a1" type="pro"/><adu id="a2" type="pro"/><adu id="a3" type="opp"/>
      <edge id="c1" src="e3" trg="a1" type="seg"/><edge id="c2" src="e1" trg="a1" type="seg"/>
      <edge id="c3" src="e2" trg="a2" type="seg"/><edge id="c4" src="e4" trg="a3" type="seg"/>
      <edge id="c5" src="e2" trg="a3" type="seg"/>
      <edge id="c6" src="a2" trg="a1" type="sup"/><edge id="c7" src="a3" trg="a1" type="reb"/>
    </arggraph>"""
    kb, result = convert(text_inputs("x.xml", text))
    (claim,) = by_claim(kb, "Buses should be free, because fares keep people home.")
    assert claim.quote == "Buses should be free,"  # its EDUs do not stand together: its first one's words
    said = by_claim(kb, "says the mayor,")  # a3: a blank EDU adds no text (no leading space), and a2
    assert [e.quote for e in said] == ["says the mayor,"] * 2  # and a3, the same words, stay two entries


def test_an_adu_of_blank_edus_only_is_a_located_error() -> None:
    text = ("<arggraph><edu id='e1'> </edu><edu id='e2'>\t</edu><adu id='a1' type='pro'/>"
            "<edge id='c1' src='e1' trg='a1' type='seg'/><edge id='c2' src='e2' trg='a1' type='seg'/></arggraph>")
    with pytest.raises(KnowledgeBaseError, match="ADU 'a1' has no text") as caught:
        import_files(text_inputs("blank.xml", text))
    assert caught.value.problems[0].entry == "a1"


# --------------------------------------------------------------------------
# XML that would expand entities (a "billion laughs") or fetch files: refused before parsing

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE arggraph [\n <!ENTITY a "' + "a" * 50 + '">\n'
          + "".join(f' <!ENTITY {c} "{("&" + p + ";") * 10}">\n' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
          + ']>\n<arggraph id="b"><edu id="e1">&i;</edu><adu id="a1" type="pro"/>'
          '<edge id="c1" src="e1" trg="a1" type="seg"/></arggraph>\n')
EXTERNAL = ('<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE arggraph SYSTEM "http://example.invalid/a.dtd" [\n'
            ' <!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n<arggraph id="x"><edu id="e1">&secret;</edu>'
            '<adu id="a1" type="pro"/><edge id="c1" src="e1" trg="a1" type="seg"/></arggraph>\n')


@pytest.mark.parametrize(("text", "where"), [(LAUGHS, "2:1"), (EXTERNAL, "3:1")])
@pytest.mark.parametrize("told", [False, True])
def test_a_dtd_is_refused_located_before_any_entity_is_expanded_or_fetched(
    tmp_path: Path, text: str, where: str, told: bool,
) -> None:
    source = tmp_path / "graph.xml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "kb.yaml"
    result = cli("import", str(source), "-o", str(out), *(["--from", "microtexts"] if told else []))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr == (f"policyx: {source}:{where}: is XML with a document type declaration (DTD), which"
                             " policyx does not read (remove the <!DOCTYPE ...> and <!ENTITY ...> declarations)\n")
    assert not out.parent.exists()


def test_the_billion_laughs_take_no_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    monkeypatch.setattr(microtexts.ET, "fromstring", lambda text: parsed.append(text))
    tracemalloc.start()
    try:
        with pytest.raises(KnowledgeBaseError, match="document type declaration"):
            import_files(text_inputs("laughs.xml", LAUGHS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert parsed == []  # never given to the XML parser: expanded, &i; would be 5,000,000,000 characters
    assert peak < 1 << 20


def test_a_dtd_in_a_large_file_is_refused_before_the_adus_are_counted() -> None:
    text = LAUGHS.replace("</arggraph>", "<adu id='x' type='pro'/>" * 500_000 + "</arggraph>")
    with pytest.raises(KnowledgeBaseError, match=r"laughs\.xml:2:1: is XML with a document type declaration"):
        import_files(text_inputs("laughs.xml", text))


def test_an_entity_never_declared_is_a_located_error() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        import_files(text_inputs("x.xml", "<arggraph>\n<edu id='e1'>&secret;</edu></arggraph>"))
    assert str(caught.value.problems[0]).startswith("x.xml:2:14: is not well-formed XML (undefined entity)")
