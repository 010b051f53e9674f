"""`policyx export`: every format parses back and carries the knowledge base's nodes and relations.

Each format is read back through its own structure (JSON, YAML, CSV with the
standard library or PyYAML, DOT with pydot, Argdown and AIF through their
documented structure) and counted against the knowledge base: one node per
position and argument, one relation per argument. Where the real tools are
installed (Graphviz's ``dot``, the Argdown CLI in tools/node_modules) they are
run too; otherwise those tests are skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from policyx.cli.app import run
from policyx.kb import hints
from policyx.kb.load import build as build_kb
from policyx.kb.load import bundled_path, load, parse_yaml
from policyx.kb.model import Argument, Kind, KnowledgeBase, Stance
from policyx.kb.records import to_record
from policyx.output.aif import aif_document
from policyx.output.argdown import MAX_NESTING, argdown_text, render_argdown
from policyx.output.cells import file_line, one_line
from policyx.output.diagrams import (
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    dot_string,
    mermaid_text,
    render_dot,
    render_mermaid,
)
from policyx.output.handout import render_handout
from policyx.output.kbdump import CSV_COLUMNS, render_csv, render_json, render_yaml
from policyx.output.registry import format_names
from policyx.views.argmap import select
from tests.clirun import Outcome
from tests.clirun import run_cli as cli

REPO = Path(__file__).resolve().parent.parent
ARGDOWN = REPO / "tools" / "node_modules" / ".bin" / "argdown"

#: Text that tries to break every syntax we write: quotes, brackets, markup of
#: Rich/Markdown/Argdown/Mermaid/DOT, comments, entities, escapes, newlines,
#: control and direction-override characters.
HOSTILE = (
    'He said "hi" & [b]bold[/b] <script>x</script> #tag *a* _b_ `c` {d: 1} \\N \\ e.g. :smile: '
    "a.b.c -- +> <- // no comment /* x */ <!-- y --> end; %% mm [x](http://e.invalid) &amp; #35; \n"
    "second line\ttab \x1b[31mred\x1b[0m \u202eevil |pipe| === ] )"
)




@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


def hostile_kb() -> KnowledgeBase:
    """A small knowledge base whose every text is HOSTILE, with a rebuttal chain."""
    data: dict[str, Any] = {
        "version": 1,
        "title": HOSTILE,
        "sources": [{"id": "src", "title": HOSTILE, "author": HOSTILE}],
        "actors": [{"id": "a1", "name": HOSTILE}, {"id": "a2", "name": "second: actor"}],
        "models": [{"id": "m1", "name": HOSTILE, "summary": HOSTILE, "also_known_as": [HOSTILE]}],
        "questions": [{"id": "q1", "text": HOSTILE, "quote": HOSTILE, "source": "src", "tags": ["plain", "two words"]}],
        "positions": [
            {"id": "p1", "question": "q1", "claim": HOSTILE, "held_by": ["a1"], "agreement": "individual",
             "quote": HOSTILE, "source": "src", "tags": ["t1", "odd) tag", HOSTILE], "models": ["m1"],
             "note": HOSTILE},
            {"id": "p2", "question": "q1", "claim": "yes", "held_by": ["a2"], "agreement": "individual"},
        ],
        "arguments": [
            {"id": "x1", "claim": HOSTILE, "for": "p1", "by": "a1", "type": "empirical", "quote": HOSTILE,
             "source": "src", "tags": ["t1"], "note": HOSTILE},
            {"id": "x2", "claim": HOSTILE, "against": "x1", "by": "a2", "type": "normative"},
            {"id": "x3", "claim": "123", "for": "x2"},
            {"id": "x4", "claim": "null", "against": "p2", "by": "a1", "quote": "on", "source": "src"},
        ],
    }
    return build_kb(data, "hostile.yaml")


def counts(kb: KnowledgeBase) -> tuple[int, int, int]:
    """(positions + arguments, supports, attacks)"""
    supports = sum(1 for a in kb.arguments if a.stance is Stance.FOR)
    return len(kb.positions) + len(kb.arguments), supports, len(kb.arguments) - supports


# --------------------------------------------------------------------------
# The command


def test_every_format_exports_from_the_cli(kb: KnowledgeBase) -> None:
    for fmt in format_names("export"):
        result = cli("export", "--format", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert result.stdout.strip(), fmt
        assert result.stderr == ""


def test_unknown_format_is_a_usage_error_with_a_suggestion() -> None:
    result = cli("export", "-f", "mermiad")
    assert result.exit_code == 2
    assert "mermaid" in result.stderr and result.stdout == ""
    assert "Traceback" not in result.stderr


def test_output_file_gets_the_same_text_as_stdout(tmp_path: Path) -> None:
    target = tmp_path / "debate.dot"
    result = cli("export", "-f", "dot", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert str(target) in result.stderr
    assert target.read_text(encoding="utf-8") == cli("export", "-f", "dot").stdout


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("export", "-f", "json", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code != 0
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_question_filter_keeps_one_question(kb: KnowledgeBase) -> None:
    data = json.loads(cli("export", "-f", "json", "--question", "criminalizing-johns").stdout)
    assert [q["id"] for q in data["questions"]] == ["criminalizing-johns"]
    assert {p["id"] for p in data["positions"]} == {"criminalize-johns", "do-not-criminalize-johns"}
    assert len(data["arguments"]) == 5
    # what positions and arguments refer to is kept whole, so the export still loads
    assert len(data["actors"]) == len(kb.actors) and len(data["sources"]) == len(kb.sources)


def test_tag_filter_keeps_tagged_entries_and_their_path_to_the_question(kb: KnowledgeBase) -> None:
    keep = select(kb, tag="minors")
    assert {"protect-minors", "minors-still-profitable"} <= keep
    # the chain up to the question, so the tree still hangs together
    assert {"light-and-regulation", "reduce-trafficker-incentive", "decriminalize-sex-work",
            "decriminalizing-prostitution"} <= keep
    assert "criminalize-johns" not in keep and "fear-keeps-problems-hidden" not in keep
    dot = cli("export", "-f", "dot", "--tag", "minors").stdout
    assert '"protect-minors" ->' in dot and "criminalize-johns" not in dot


def test_filters_that_match_nothing_exit_1() -> None:
    result = cli("export", "-f", "json", "--tag", "no-such-tag")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no-such-tag" in result.stderr
    result = cli("export", "-f", "json", "-q", "criminalising-johns")
    assert result.exit_code == 1 and "did you mean 'criminalizing-johns'" in result.stderr


# --------------------------------------------------------------------------
# json / yaml / csv: the knowledge base itself


def _schema_records(kb: KnowledgeBase, kind: Kind) -> list[dict[str, Any]]:
    out = []
    for entry in kb.collection(kind):
        record = to_record(entry)
        if isinstance(entry, Argument):
            del record["stance"], record["target"]
        out.append({k: v for k, v in record.items() if v is not None and v != []})
    return out


def test_json_export_is_the_schema_with_every_entry(kb: KnowledgeBase) -> None:
    data = json.loads(render_json(kb))
    assert data["version"] == 1 and data["title"] == kb.title
    for kind in Kind:
        assert data[kind.value] == _schema_records(kb, kind)
    assert all(("for" in a) != ("against" in a) for a in data["arguments"])


def test_yaml_export_loads_back_with_kb_and_gives_the_same_records(tmp_path: Path) -> None:
    shutil.copytree(bundled_path().parent / "sources", tmp_path / "sources")
    exported = tmp_path / "export.yaml"
    assert cli("export", "-f", "yaml", "-o", str(exported)).exit_code == 0
    for kind in Kind:
        original = cli("list", kind.value, "-f", "json")
        again = cli("--kb", str(exported), "list", kind.value, "-f", "json")
        assert original.exit_code == again.exit_code == 0, again.stderr
        assert json.loads(again.stdout) == json.loads(original.stdout), kind
    # the sources are found beside it, so every quote still checks
    checked = cli("check", str(exported))
    assert checked.exit_code == 0, checked.stderr


def test_a_filtered_yaml_export_is_a_valid_knowledge_base(tmp_path: Path) -> None:
    exported = tmp_path / "johns.yaml"
    assert cli("export", "-f", "yaml", "-q", "criminalizing-johns", "-o", str(exported)).exit_code == 0
    part = load(exported)
    assert [q.id for q in part.questions] == ["criminalizing-johns"]
    assert len(part.positions) == 2 and len(part.arguments) == 5


def test_json_export_also_loads_back(tmp_path: Path, kb: KnowledgeBase) -> None:
    exported = tmp_path / "export.json"
    exported.write_text(render_json(kb), encoding="utf-8")
    again = load(exported)
    for kind in Kind:
        assert again.collection(kind) == kb.collection(kind)


def test_yaml_export_is_plain_yaml_with_the_json_content(kb: KnowledgeBase) -> None:
    assert yaml.safe_load(render_yaml(kb)) == json.loads(render_json(kb))


def test_yaml_round_trip_keeps_hostile_text_unchanged() -> None:
    kb = hostile_kb()
    text = render_yaml(kb)
    assert yaml.safe_load(text)["positions"][0]["claim"] == HOSTILE
    again = build_kb(parse_yaml(text, "again.yaml"), "again.yaml", text)
    assert again.title == HOSTILE
    for kind in Kind:
        assert again.collection(kind) == kb.collection(kind), kind


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml")
def test_yaml_export_is_written_by_libyaml(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python dumper took 5 s of an export of 20,000 arguments; libyaml 1 s."""
    used: list[Any] = []
    real_dump = yaml.dump

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(kwargs.get("Dumper"))
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(yaml, "dump", spy)
    pure = yaml.safe_dump(json.loads(render_json(kb)), sort_keys=False, allow_unicode=True, width=100)
    assert render_yaml(kb).split("\n", 2)[2] == pure  # the same text as before, after the header
    assert used[-1] is yaml.CSafeDumper


def test_csv_is_one_table_with_a_kind_column(kb: KnowledgeBase) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(kb))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS and CSV_COLUMNS[0] == "kind"
    assert Counter(r["kind"] for r in rows) == {k.singular: len(kb.collection(k)) for k in Kind}
    by_id = {r["id"]: r for r in rows}
    assert by_id["minors-still-profitable"]["against"] == "reduce-trafficker-incentive"
    assert by_id["minors-still-profitable"]["stance"] == "against"
    assert by_id["end-bifurcation"]["tags"] == "bifurcation, labor"


def test_csv_keeps_hostile_text() -> None:
    kb = hostile_kb()
    rows = list(csv.DictReader(io.StringIO(render_csv(kb))))
    assert [r["claim"] for r in rows if r["id"] == "x1"] == [HOSTILE]


# --------------------------------------------------------------------------
# DOT


def _pydot_graph(text: str) -> Any:
    with warnings.catch_warnings():
        # pydot 4 still calls pyparsing's camelCase API, which pyparsing 3.3 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        pydot = pytest.importorskip("pydot", reason="pydot is in the test extras: pip install -e '.[test]'")
        graphs = pydot.graph_from_dot_data(text)
    assert graphs and len(graphs) == 1
    return graphs[0]


def _dot_nodes(graph: Any) -> dict[str, Any]:
    nodes = {}
    for sub in [graph, *graph.get_subgraphs()]:
        for node in sub.get_nodes():
            name = node.get_name().strip('"')
            if name not in ("node", "edge", "graph"):
                nodes[name] = node
    return nodes


def _dot_unescape(label: str) -> str:
    body = label[1:-1]
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(" " if body[i + 1] == "n" else body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out).replace("&amp;", "&")


def test_dot_has_a_node_per_position_and_argument_and_an_edge_per_argument(kb: KnowledgeBase) -> None:
    graph = _pydot_graph(render_dot(kb))
    nodes = _dot_nodes(graph)
    n_nodes, supports, attacks = counts(kb)
    assert len(nodes) == n_nodes
    assert set(nodes) == {e.id for e in (*kb.positions, *kb.arguments)}
    edges = graph.get_edges()
    assert len(edges) == len(kb.arguments)
    styles = Counter((e.get("style"), e.get("label").strip('"')) for e in edges)
    assert styles == {("solid", "supports"): supports, ("dashed", "attacks"): attacks}
    # every edge goes from the argument to what it answers
    assert {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in edges} == {
        (a.id, a.target) for a in kb.arguments
    }
    clusters = graph.get_subgraphs()
    assert len(clusters) == len(kb.questions)
    assert all(c.get_name().startswith("cluster_") for c in clusters)


def test_dot_escapes_hostile_text() -> None:
    kb = hostile_kb()
    text = render_dot(kb)
    graph = _pydot_graph(text)
    nodes = _dot_nodes(graph)
    assert len(nodes) == 6 and len(graph.get_edges()) == 4
    label = _dot_unescape(nodes["x2"].get("label"))
    # the claim, then the author line; wrapping only replaced spaces by line breaks
    assert label.startswith(one_line(HOSTILE))
    assert "\x1b" not in text and "\u202e" not in text


needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (apt-get install graphviz)"
)


def _svg_count(svg: str, cls: str) -> int:
    root = ET.fromstring(svg)
    return sum(1 for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == cls)


@needs_dot
@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_dot_renders_with_graphviz(which: str, kb: KnowledgeBase) -> None:
    source = kb if which == "bundled" else hostile_kb()
    done = subprocess.run(["dot", "-Tsvg"], input=render_dot(source), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Error" not in done.stderr
    assert _svg_count(done.stdout, "node") == counts(source)[0]
    assert _svg_count(done.stdout, "edge") == len(source.arguments)
    assert _svg_count(done.stdout, "cluster") == len(source.questions)


# --------------------------------------------------------------------------
# Mermaid

_MERMAID_NODE = re.compile(r'^    ([ap]_[a-z0-9_]+)\["([^"]*)"\]$')
_MERMAID_EDGE = re.compile(r"^  (a_[a-z0-9_]+) (-->\|supports\||-\.->\|attacks\|) ([ap]_[a-z0-9_]+)$")


def _mermaid_parse(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]], list[str]]:
    lines = text.splitlines()
    assert lines[1] == "flowchart BT"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    depth = 0
    other: list[str] = []
    for line in lines[2:]:
        if line.startswith("  subgraph "):
            assert re.fullmatch(r'  subgraph q_[a-z0-9_]+\["[^"]*"\]', line), line
            depth += 1
        elif line == "  end":
            depth -= 1
        elif (node := _MERMAID_NODE.match(line)) is not None:
            assert depth == 1, line
            nodes[node.group(1)] = node.group(2)
        elif (edge := _MERMAID_EDGE.match(line)) is not None:
            edges.append((edge.group(1), edge.group(2), edge.group(3)))
        else:
            other.append(line)
    assert depth == 0
    return nodes, edges, other


def test_mermaid_flowchart_structure(kb: KnowledgeBase) -> None:
    nodes, edges, other = _mermaid_parse(render_mermaid(kb))
    n_nodes, supports, attacks = counts(kb)
    assert len(nodes) == n_nodes
    assert Counter(kind for _, kind, _ in edges) == {"-->|supports|": supports, "-.->|attacks|": attacks}
    assert all(line.lstrip().startswith(("classDef ", "class ", "linkStyle ")) for line in other), other
    link_styles = [line for line in other if line.lstrip().startswith("linkStyle")]
    styled = sorted(int(i) for line in link_styles for i in line.split()[1].split(","))
    assert styled == list(range(len(edges)))


def test_mermaid_escapes_hostile_text() -> None:
    nodes, edges, _ = _mermaid_parse(render_mermaid(hostile_kb()))
    assert len(nodes) == 6 and len(edges) == 4
    label = nodes["a_x1"]
    assert '"' not in label and "<script>" not in label and "`" not in label
    # '#' is always written as an entity, so data cannot spell one
    assert re.sub(r"#(35|37|quot|lt|gt|amp|96);", "", label).count("#") == 0
    assert "\x1b" not in label and "\n" not in label


HAVE_MERMAID = shutil.which("node") is not None and (REPO / "tools" / "node_modules" / "mermaid").exists()
needs_mermaid = pytest.mark.skipif(not HAVE_MERMAID, reason="Mermaid is not installed for node (npm ci --prefix tools)")


FANS = [MERMAID_MAX_EDGES, MERMAID_MAX_EDGES + 1]


@pytest.fixture(scope="module")
def fan_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Outcome]:
    """``policyx export -f mermaid`` of a knowledge base of N arguments for one position: N edges."""
    folder = tmp_path_factory.mktemp("fans")
    done = {}
    for edges in FANS:
        source = folder / f"fan{edges}.json"
        source.write_text(render_json(fan_kb(edges)), encoding="utf-8")
        done[edges] = cli("--kb", str(source), "export", "-f", "mermaid")
    hints.use_options(())  # the commands a later diagram's header names have no --kb of these runs
    return done


@pytest.fixture(scope="module")
def mermaid_read(kb: KnowledgeBase, fan_exports: dict[int, Outcome],
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each diagram the tests give Mermaid's own parser, and what it made of it ({"parsed": ...} or
    {"error": its message}): one Node run for all of them (tools/mermaid-check.mjs --each), where
    each start of Node and Mermaid took half a second."""
    if not HAVE_MERMAID:
        return {}
    folder = tmp_path_factory.mktemp("mermaid")
    texts = {"bundled": render_mermaid(kb), "hostile": render_mermaid(hostile_kb()),
             **{f"fan{n}": fan_exports[n].stdout for n in FANS}}
    for name, text in texts.items():
        (folder / f"{name}.mmd").write_text(text, encoding="utf-8")
    done = subprocess.run(["node", str(REPO / "tools" / "mermaid-check.mjs"), "--each",
                           *(str(folder / f"{name}.mmd") for name in texts)],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(folder / f"{name}.mmd") for name in texts]
    return {name: (texts[name], line) for name, line in zip(texts, lines, strict=True)}


@needs_mermaid
@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_mermaid_parses_with_mermaid_itself(which: str, kb: KnowledgeBase,
                                            mermaid_read: dict[str, tuple[str, dict[str, Any]]]) -> None:
    source = kb if which == "bundled" else hostile_kb()
    text, read = mermaid_read[which]
    assert text == render_mermaid(source)
    assert "error" not in read, read["error"]
    parsed = read["parsed"]
    assert parsed["type"].startswith("flowchart") and parsed["subgraphs"] == len(source.questions)
    mid = {p.id: "p_" + p.id.replace("-", "_") for p in source.positions}
    mid.update({a.id: "a_" + a.id.replace("-", "_") for a in source.arguments})
    assert set(parsed["vertices"]) == set(mid.values())
    assert sorted((e["from"], e["to"], e["text"], e["stroke"]) for e in parsed["edges"]) == sorted(
        (mid[a.id], mid[a.target], "supports" if a.stance is Stance.FOR else "attacks",
         "normal" if a.stance is Stance.FOR else "dotted")
        for a in source.arguments
    )


def fan_kb(arguments: int, claim: str = "c") -> KnowledgeBase:
    """One position with ``arguments`` arguments for it: that many edges."""
    data = {"version": 1, "questions": [{"id": "q", "text": "Q?"}], "actors": [{"id": "a", "name": "A"}],
            "positions": [{"id": "p", "question": "q", "claim": "P", "held_by": ["a"], "agreement": "individual"}],
            "arguments": [{"id": f"x{i}", "claim": f"{claim} {i}", "for": "p"} for i in range(arguments)]}
    return build_kb(data, "fan.yaml")


@pytest.mark.parametrize("edges", FANS)
def test_mermaid_export_over_the_edge_limit_says_so(edges: int, fan_exports: dict[int, Outcome],
                                                   mermaid_read: dict[str, tuple[str, dict[str, Any]]]) -> None:
    result = fan_exports[edges]
    assert result.exit_code == 0 and result.stdout.count("-->|supports|") == edges
    if edges > MERMAID_MAX_EDGES:
        assert result.stderr.startswith(f"note: the flowchart has {edges} edges (Mermaid draws at most 500")
        assert "--question or --tag" in result.stderr
    else:
        assert "edges" not in result.stderr
    if HAVE_MERMAID:  # the limit is Mermaid's
        text, read = mermaid_read[f"fan{edges}"]
        assert text == result.stdout
        assert ("error" in read) == (edges > MERMAID_MAX_EDGES), read
        assert (edges > MERMAID_MAX_EDGES) == ("Edge limit exceeded" in read.get("error", ""))


def test_mermaid_export_over_the_text_limit_says_so(tmp_path: Path) -> None:
    small = cli("export", "-f", "mermaid")
    assert small.exit_code == 0 and small.stderr == ""
    source = tmp_path / "fan.json"
    source.write_text(render_json(fan_kb(400, "a claim of ordinary length " * 4)), encoding="utf-8")  # 400 edges
    result = cli("--kb", str(source), "export", "-f", "mermaid")
    assert len(result.stdout) > MERMAID_MAX_TEXT
    assert result.stderr == (
        f"note: the flowchart has {len(result.stdout)} characters (Mermaid draws at most 50,000:"
        " 'Maximum text size in diagram exceeded'), too much for mermaid.live and GitHub;"
        " export part of the debate with --question or --tag, or use -f dot\n"
    )


# --------------------------------------------------------------------------
# Argdown

_ARGDOWN_UNESCAPE = re.compile(r"\\(.)")


def test_argdown_structure(kb: KnowledgeBase) -> None:
    text = render_argdown(kb)
    statements = re.findall(r"^\[([a-z0-9-]+)\]: ", text, re.M)
    arguments = re.findall(r"^ +([+-]) <([a-z0-9-]+)>: ", text, re.M)
    headings = re.findall(r"^# ", text, re.M)
    assert statements == [p.id for q in kb.questions for p in kb.positions if p.question == q.id]
    assert len(arguments) == len(kb.arguments)
    stance = {a.id: ("+" if a.stance is Stance.FOR else "-") for a in kb.arguments}
    assert all(stance[name] == sign for sign, name in arguments)
    assert len(headings) == len(kb.questions)
    # rebuttals nest: indented one level deeper than what they answer
    lines = text.splitlines()
    where = {m.group(2): i for i, line in enumerate(lines) if (m := re.match(r"^( *)[+-] <([a-z0-9-]+)>", line))}
    dichotomy = lines[where["criminalization-creates-dichotomy"]]
    society = lines[where["society-responds-differently"]]
    assert len(dichotomy) - len(dichotomy.lstrip()) == len(society) - len(society.lstrip()) + 2
    # tags carried over
    assert "[end-bifurcation]: The distinction" in text and "#bifurcation #labor" in text


def test_argdown_text_escapes_every_markup_character() -> None:
    escaped = argdown_text(HOSTILE)
    assert _ARGDOWN_UNESCAPE.sub(r"\1", escaped) == one_line(HOSTILE)
    # nothing that opens Argdown syntax is left unescaped
    bare = re.sub(r"\\.", "", escaped)
    assert not re.search(r"[\[\]<>#*_{}@/=]|[.:]\S", bare), bare


needs_argdown = pytest.mark.skipif(
    not ARGDOWN.exists(), reason="the Argdown CLI is not installed (npm ci --prefix tools)"
)


def _argdown_json(tmp_path: Path, text: str) -> dict[str, Any]:
    source = tmp_path / "debate.argdown"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(ARGDOWN), "json", str(source), str(out)],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
    result: dict[str, Any] = json.loads((out / "debate.json").read_text(encoding="utf-8"))
    return result


@needs_argdown
def test_argdown_parses_with_the_reference_cli(tmp_path: Path, kb: KnowledgeBase) -> None:
    data = _argdown_json(tmp_path, render_argdown(kb))
    assert set(data["statements"]) == {p.id for p in kb.positions}
    assert set(data["arguments"]) == {a.id for a in kb.arguments}
    relations = {(r["from"], r["to"], r["relationType"]) for r in data["relations"]}
    assert relations == {
        (a.id, a.target, "support" if a.stance is Stance.FOR else "attack") for a in kb.arguments
    }
    assert len(data["relations"]) == len(kb.arguments)
    tags = set(data["tags"])  # a mapping tag -> {tag, cssClass, color...}
    assert {t for e in (*kb.positions, *kb.arguments) for t in e.tags} <= tags


def chain_kb(length: int) -> KnowledgeBase:
    """One position answered by a chain of ``length`` rebuttals, stances alternating."""
    arguments = [
        {"id": f"x{i}", "claim": f"claim {i}", ("for" if i % 2 else "against"): f"x{i - 1}" if i else "p"}
        for i in range(length)
    ]
    data = {"version": 1, "questions": [{"id": "q", "text": "Q?"}], "actors": [{"id": "a", "name": "A"}],
            "positions": [{"id": "p", "question": "q", "claim": "P", "held_by": ["a"], "agreement": "individual"}],
            "arguments": arguments}
    return build_kb(data, "chain.yaml")


def test_argdown_breaks_a_long_chain_into_blocks_that_name_what_they_answer() -> None:
    text = render_argdown(chain_kb(250))
    indents = [len(line) - len(line.lstrip()) for line in text.splitlines()]
    assert max(indents) == 2 * (MAX_NESTING - 1)
    lines = text.splitlines()
    start = lines.index(f"<x{MAX_NESTING - 1}>: claim {MAX_NESTING - 1}")
    assert lines[start - 1] == "" and lines[start + 1] == f"  +> <x{MAX_NESTING - 2}>"
    assert lines[start + 2] == f"  - <x{MAX_NESTING}>: claim {MAX_NESTING}"


@needs_argdown
def test_argdown_cli_parses_a_chain_deeper_than_its_stack(tmp_path: Path) -> None:
    """The reference parser overflowed its stack on about 400 nested levels."""
    kb = chain_kb(450)
    data = _argdown_json(tmp_path, render_argdown(kb))
    relations = {(r["from"], r["to"], r["relationType"]) for r in data["relations"]}
    assert relations == {(a.id, a.target, "support" if a.stance is Stance.FOR else "attack") for a in kb.arguments}
    assert set(data["statements"]) == {"p"} and len(data["relations"]) == 450


@needs_argdown
def test_argdown_cli_reads_hostile_text_back_unchanged(tmp_path: Path) -> None:
    kb = hostile_kb()
    data = _argdown_json(tmp_path, render_argdown(kb))
    assert len(data["statements"]) == 2 and len(data["arguments"]) == 4 and len(data["relations"]) == 4
    description = data["arguments"]["x1"]["members"][0]["text"]
    assert description.startswith(one_line(HOSTILE))
    statement = data["statements"]["p1"]["members"][0]
    assert statement["text"].startswith(one_line(HOSTILE))
    assert set(statement["tags"]) == {"t1", "odd\ufe5a tag", one_line(HOSTILE).replace(")", "\ufe5a")}


# --------------------------------------------------------------------------
# AIF


def _aif_check(doc: dict[str, Any], kb: KnowledgeBase) -> None:
    assert set(doc) == {"nodes", "edges", "locutions", "participants"}
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    assert len(nodes) == len(doc["nodes"])
    assert all(set(n) == {"nodeID", "text", "type"} for n in doc["nodes"])
    assert all(set(e) == {"edgeID", "fromID", "toID", "formEdgeID"} for e in doc["edges"])
    assert all(e["fromID"] in nodes and e["toID"] in nodes for e in doc["edges"])
    types = Counter(n["type"] for n in doc["nodes"])
    n_nodes, supports, attacks = counts(kb)
    assert types["I"] == n_nodes and types["RA"] == supports and types["CA"] == attacks
    assert types["L"] == types["YA"] == len(doc["locutions"])
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for e in doc["edges"]:
        out_of.setdefault(e["fromID"], []).append(e["toID"])
        into.setdefault(e["toID"], []).append(e["fromID"])
    claims = {e.claim for e in (*kb.positions, *kb.arguments)}
    relations = Counter()
    for node in doc["nodes"]:
        if node["type"] in ("RA", "CA"):
            (premise,), (conclusion,) = into[node["nodeID"]], out_of[node["nodeID"]]
            assert nodes[premise]["type"] == nodes[conclusion]["type"] == "I"
            relations[(nodes[premise]["text"], node["type"], nodes[conclusion]["text"])] += 1
        if node["type"] == "I":
            assert node["text"] in claims
    text_of = {e.id: e.claim for e in (*kb.positions, *kb.arguments)}
    assert relations == Counter(
        (a.claim, "RA" if a.stance is Stance.FOR else "CA", text_of[a.target]) for a in kb.arguments
    )
    people = {p["participantID"] for p in doc["participants"]}
    for locution in doc["locutions"]:
        assert nodes[locution["nodeID"]]["type"] == "L" and locution["personID"] in people
        (ya,) = out_of[locution["nodeID"]]
        assert nodes[ya]["type"] == "YA" and [nodes[i]["type"] for i in out_of[ya]] == ["I"]


def test_aif_json_follows_the_aifdb_structure(kb: KnowledgeBase) -> None:
    doc = json.loads(cli("export", "-f", "aif").stdout)
    _aif_check(doc, kb)
    quoted = sum(1 for a in kb.arguments if a.quote and a.by) + sum(
        1 for p in kb.positions if p.quote and len(p.held_by) == 1
    )
    assert len(doc["locutions"]) == quoted
    names = {p["firstname"] for p in doc["participants"]}
    assert "one group member" in names


def test_aif_keeps_hostile_text_exactly() -> None:
    kb = hostile_kb()
    doc = aif_document(kb)
    _aif_check(doc, kb)
    assert any(n["text"] == HOSTILE for n in doc["nodes"] if n["type"] == "I")


# --------------------------------------------------------------------------
# Markdown handout


def test_handout_has_every_question_position_and_argument(kb: KnowledgeBase) -> None:
    text = render_handout(kb)
    assert text.count("\n## ") == len(kb.questions) + 1  # + the background models
    assert text.count("### Position: ") == len(kb.positions)
    assert text.count("- **For:** ") + text.count("- **Against:** ") == len(kb.arguments)
    assert "Not the session's words" in text and "*interpretation*" in text
    # the outcome is the one the knowledge base records, with the source's words ...
    johns = text.split("Should buyers")[1].split("\n## ")[0]
    assert "**Outcome** (as the source records it): The discussion caused the most back and forth;" in johns
    assert "> “This discussion caused the most back and forth. While one individual stated" in johns
    # ... and how widely the positions were held is labelled as derived, never as the outcome
    assert ("*How widely the positions were held (derived from the knowledge base, not an outcome the source"
            " records):* divided: the positions were each held by different people, none broadly.") in johns
    assert "**Outcome:** divided" not in text and "**Outcome:** broad agreement" not in text
    # quotes are the source's words, giving the view of the actor
    assert "1. *Innovations In The Fight Against Human Trafficking: Considering" in text  # the source list
    assert "> — source 1 (Hayley Pine), giving the view of one group member" in text
    assert "> — one group member" not in text  # never as if the actor had said the report's words
    # a rebuttal is nested under what it answers
    nested = r"^- \*\*For:\*\* Regulating the industry.*\n(?:.*\n)*?  - \*\*Against:\*\* Trafficking people"
    assert re.search(nested, text, re.M)


def test_handout_of_one_question_golden() -> None:
    text = cli("export", "-f", "markdown", "-q", "criminalizing-johns").stdout
    path = Path(__file__).parent / "golden" / "handout-criminalizing-johns.md"
    if os.environ.get("POLICYX_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    # only the legal models its positions lean towards
    assert "Buyer criminalization" in text and "Full criminalization" not in text


def test_handout_escapes_markdown_and_control_characters() -> None:
    text = render_handout(hostile_kb())
    assert "\x1b" not in text and "\u202e" not in text
    assert "<script>" not in text and "[x](http" not in text
    assert "\\<script\\>" in text and "\\[x\\](http" in text
    # a newline in data cannot start a line (a heading, list item or quote) of its own
    assert not re.search(r"^\W*second line", text, re.M)
    assert "He said \"hi\" \\& \\[b\\]bold" in text


@needs_dot
def test_docs_diagram_is_current(kb: KnowledgeBase) -> None:
    """docs/debate.svg is what `policyx export -f dot | dot -Tsvg` draws today."""
    svg = REPO / "docs" / "debate.svg"
    if not svg.exists():
        pytest.skip("docs/debate.svg not generated (run tools/make_docs_images.py)")
    assert _svg_count(svg.read_text(encoding="utf-8"), "node") == counts(kb)[0]


# --------------------------------------------------------------------------
# The escapes, for any text


@given(st.text())
def test_escapes_hold_for_any_text(text: str) -> None:
    flat = file_line(text)  # what a file for other programs keeps: invisible format characters too
    # Argdown: reversible, and nothing that opens syntax is left bare
    escaped = argdown_text(text)
    assert _ARGDOWN_UNESCAPE.sub(r"\1", escaped) == flat
    assert not re.search(r"[\[\]<>#*_{}@/=\\]|[.:]\S", re.sub(r"\\.", "", escaped))
    # DOT: the string cannot end early or span lines
    inner = dot_string(text)[1:-1]
    assert '"' not in re.sub(r"\\.", "", inner) and "\n" not in inner
    assert (len(inner) - len(inner.rstrip("\\"))) % 2 == 0  # no lone backslash before the closing quote
    # Mermaid: no quote, bracket or backtick, and every '#' starts one of our entities
    label = mermaid_text(flat)
    assert not set(label) & set('"<>`')
    assert "#" not in re.sub(r"#(35|37|quot|lt|gt|amp|96);", "", label)
    assert "%" not in label  # no "%%{init: ...}%%" directive


def test_data_commands_do_not_import_rich() -> None:
    """Rich is imported only to draw a tree (start-up time)."""
    code = (
        "import sys\n"
        "from policyx.cli.app import run\n"
        "try:\n"
        "    run(['export', '-f', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m == 'rich' or m.startswith('rich.') or m.endswith('kbdump')]\n"
        "sys.stderr.write(' '.join(sorted(loaded)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "POLICYX_KB": ""})
    assert json.loads(done.stdout)["version"] == 1
    assert done.stderr == "policyx.output.kbdump"


def test_format_names_complete_in_the_shell() -> None:
    runner = CliRunner()
    env = {"_POLICYX_COMPLETE": "complete_bash", "COMP_WORDS": "policyx export -f m", "COMP_CWORD": "3"}
    with runner.isolation(env=env) as (out, _err, _):
        with pytest.raises(SystemExit):
            run(["export", "-f", "m"])
        sys.stdout.flush()
        assert out.getvalue().decode().split() == ["markdown", "mermaid"]


TERMINAL_KB = """\
version: 1
title: "t \\x1b]0;owned\\x07 \\x9b2J \\u202eevil"
actors:
  - {id: a, name: "A \\x1b[2J"}
questions:
  - {id: q, text: "Q \\x1b[31mred?"}
positions:
  - {id: p, question: q, claim: "P \\x9b31m", held_by: [a], agreement: individual}
"""


@pytest.mark.parametrize("fmt", sorted(format_names("export")))
def test_export_to_a_terminal_sends_no_escape_codes_from_data(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "kb.yaml"
    source.write_text(TERMINAL_KB, encoding="utf-8")
    piped = cli("--kb", str(source), "export", "-f", fmt)
    assert piped.exit_code == 0
    monkeypatch.setattr("policyx.cli.session.Session.terminal", property(lambda self: True))
    # (html on a terminal says to write a file instead; -o - prints it all the same)
    shown = cli("--kb", str(source), "export", "-f", fmt, *(["-o", "-"] if fmt == "html" else []))
    assert shown.exit_code == 0
    assert not re.search("[\x1b\x07\x9b\u202e]", shown.stdout)
    if fmt == "csv":  # a pipe still gets the data unchanged
        assert "\x1b[2J" in piped.stdout and "\\x1b[2J" in shown.stdout
    if fmt in ("json", "aif"):  # still JSON, with the same data
        assert json.loads(shown.stdout) == json.loads(piped.stdout)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_into_another_folder_says_what_to_copy_for_check(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / "class" / f"debate.{fmt}"
    target.parent.mkdir()
    result = cli("export", "-f", fmt, "-q", "criminalizing-johns", "-o", str(target))
    assert result.exit_code == 0
    note = result.stderr.splitlines()[-1]
    assert note.startswith(f"note: {target}: source 'session-report' names file sources/session-report.txt")
    command = note.split("verify quotes: ")[1]
    subprocess.run(command, shell=True, check=True)
    checked = cli("check", str(target))
    assert checked.exit_code == 0, checked.stderr
    again = cli("export", "-f", fmt, "-o", str(target))  # the file is there now: nothing to say
    assert again.stderr == f"wrote {target} ({fmt})\n"


@pytest.mark.parametrize("fmt", ["yaml", "markdown"])
def test_export_refuses_to_overwrite_the_knowledge_base_it_reads(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / "positions.yaml"
    original = bundled_path().read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    result = cli("--kb", str(source), "export", "-f", fmt, "-o", str(tmp_path / "." / "positions.yaml"))
    assert result.exit_code == 2 and result.stdout == ""
    assert "is the knowledge base being read" in result.stderr and "choose another file name" in result.stderr
    assert source.read_text(encoding="utf-8") == original


def test_a_filtered_handout_says_when_arguments_were_left_out() -> None:
    """-t decriminalization keeps the decriminalization position but none of its 12 arguments."""
    text = cli("export", "-f", "markdown", "-t", "decriminalization").stdout
    decriminalize = text.split("### Position: Sex work should eventually")[1].split("###")[0]
    assert "No arguments shown: the filter left out the 12 recorded." in decriminalize
    assert "No arguments recorded." not in decriminalize
    not_soon = text.split("### Position: Decriminalization is not a viable")[1]
    assert "No arguments recorded." in not_soon  # it really has none
    partial = cli("export", "-f", "markdown", "-t", "minors").stdout
    assert "(8 more arguments recorded, left out by the filter.)" in partial
    assert "left out" not in cli("export", "-f", "markdown").stdout
