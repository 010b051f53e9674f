"""`policyx stats`: every count equals what `policyx list` prints on the same knowledge base (a
YAML file, a version-2 graph, each importer's fixtures, a library of mixed formats), and the
figures of an AIF file equal an independent count of its nodes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policyx.kb.load import bundled_path
from tests.clirun import run_cli, run_program

FIXTURES = Path(__file__).parent / "fixtures"
AIF = [FIXTURES / "import" / name for name in
       ("araucaria-library.json", "nested-prefixes.json", "ova-cycle-lanes.json", "voting-age-dialogue.json")]
AIF += sorted((FIXTURES / "import" / "nodesets").glob("*.json")) + [FIXTURES / "import" / "stats-shapes.json"]
SINGLE = [bundled_path(), FIXTURES / "graph" / "uniforms-v2.yaml", FIXTURES / "import" / "debate.argdown",
          FIXTURES / "import" / "kialo-theses.txt", *AIF]


@pytest.fixture(autouse=True)
def _builtin_argdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every count here reads debate.argdown again (`--no-cache`): with policyx's own parser, not a
    Node process of the Argdown CLI each time (1.3 s a read; the two readers are held together
    in test_import_argdown.py)."""
    monkeypatch.setenv("POLICYX_ARGDOWN", "builtin")


def stats(kb: list[str], per: str = "debate", cache: bool = False) -> list[dict[str, Any]]:
    out = run_cli(*kb, *(() if cache else ("--no-cache",)), "stats", "--per", per, "-f", "json")
    assert out.exit_code == 0, out.stderr
    records: list[dict[str, Any]] = json.loads(out.stdout)
    return records


def count(kb: list[str], *args: str) -> int:
    """How many records `policyx list ARGS` prints (none found: exit 1, nothing on stdout)."""
    out = run_cli(*kb, "--no-cache", "list", *args, "-f", "json")
    if out.exit_code == 1 and not out.stdout:
        return 0
    assert out.exit_code == 0, out.stderr
    return len(json.loads(out.stdout))


def assert_matches_list(kb: list[str], record: dict[str, Any]) -> None:
    for collection in ("questions", "positions", "arguments", "actors", "sources", "models"):
        assert record[collection] == count(kb, collection), collection
    assert record["for"] == count(kb, "arguments", "--stance", "for")
    assert record["against"] == count(kb, "arguments", "--stance", "against")
    assert record["unanswered"] == count(kb, "arguments", "--unanswered")
    assert record["for"] + record["against"] == record["arguments"]


@pytest.mark.parametrize("path", SINGLE, ids=lambda p: p.name)
def test_every_count_is_what_list_prints(path: Path) -> None:
    kb = ["--kb", str(path)]
    debate, total = stats(kb)
    assert (debate["scope"], total["scope"], total["debate"]) == ("debate", "total", "(total)")
    assert {k: v for k, v in debate.items() if k not in ("scope", "debate")} == \
        {k: v for k, v in total.items() if k not in ("scope", "debate")}
    assert_matches_list(kb, total)


@pytest.mark.parametrize("path", [bundled_path(), FIXTURES / "graph" / "uniforms-v2.yaml", AIF[3]],
                         ids=lambda p: p.name)
def test_per_question_and_per_actor_are_what_list_prints(path: Path) -> None:
    kb = ["--kb", str(path)]
    questions = stats(kb, "question")
    assert [q["question"] for q in questions] == [q["id"] for q in json.loads(
        run_cli(*kb, "list", "questions", "-f", "json").stdout)]
    for question in questions:
        assert question["positions"] == count(kb, "positions", "-q", question["question"])
        assert question["arguments"] == count(kb, "arguments", "-q", question["question"])
        assert question["unanswered"] == count(kb, "arguments", "-q", question["question"], "--unanswered")
        levels = sum(v for k, v in question.items() if k.startswith("agreement_"))
        assert levels == question["positions"]
    for actor in stats(kb, "actor"):
        who = actor["actor"]
        assert actor["held"] == count(kb, "positions", "--by", who)
        assert actor["made"] == count(kb, "arguments", "--by", who)
        for field, option in (("asked", "--asked-by"), ("disputed", "--disputed-by")):
            assert actor[field] == sum(count(kb, c, option, who) for c in ("questions", "positions", "arguments"))


def test_the_graph_fixture_counts_its_undercuts_and_linked_premises() -> None:
    [debate, _] = stats(["--kb", str(FIXTURES / "graph" / "uniforms-v2.yaml")])
    out = run_cli("--kb", str(FIXTURES / "graph" / "uniforms-v2.yaml"), "list", "arguments", "-f", "json")
    arguments = json.loads(out.stdout)
    assert debate["linked"] == sum(1 for a in arguments if a.get("premises")) > 0
    assert debate["undercuts"] == sum(1 for a in arguments if a.get("undercuts")) > 0
    assert debate["premises"] == sum(len(a.get("premises") or ()) for a in arguments)


SCHEMES = ("RA", "CA", "MA", "PA")


def _aif(path: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {str(n["nodeID"]): n for n in data["nodes"]}
    return nodes, [(str(e["fromID"]), str(e["toID"])) for e in data["edges"]]


def aif_counts(path: Path) -> dict[str, int]:
    """What arguebuf's ``statistics`` counts on an AIF file, counted here from the file itself:
    atoms (I-nodes), scheme nodes (RA, CA, MA, PA) by kind, and edges between atoms and schemes
    (it leaves out L, YA and TA nodes, and every edge that touches one)."""
    nodes, edges = _aif(path)
    kinds = [n["type"] for n in nodes.values()]
    kept = {i for i, n in nodes.items() if n["type"] == "I" or n["type"] in SCHEMES}
    return {"atoms": kinds.count("I"), "schemes": sum(kinds.count(k) for k in SCHEMES),
            "edges": sum(1 for a, b in edges if a in kept and b in kept), **{k: kinds.count(k) for k in SCHEMES}}


def aif_shapes(path: Path) -> dict[str, int]:
    """The shapes of an AIF file where policyx's figures and arguebuf's part (docs/stats.md),
    counted from the file: I-nodes with no words (no claim in policyx); locutions (L-nodes) an RA,
    CA or MA links that anchor no I-node (each a claim in policyx); premise places of linked RAs
    (two or more premises) whose claim is also an entry of its own (a premise of an unlinked RA or
    CA) or a premise of an earlier linked RA (listed again there); and the links each kind of
    scheme makes: an RA or CA with a premise, one per conclusion (not an inference with no
    premise; a single premise's link to the same conclusion once); an MA, one per pair (restating
    claim, restated claim), each pair once."""
    nodes, edges = _aif(path)
    into: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for a, b in edges:
        if a in nodes and b in nodes:
            out.setdefault(a, []).append(b)
            into.setdefault(b, []).append(a)

    def kind(key: str) -> str:
        return str(nodes[key]["type"])

    def anchored(key: str) -> list[str]:
        return [c for ya in out.get(key, []) if kind(ya) == "YA" for c in out.get(ya, []) if kind(c) == "I"] + \
            [c for c in out.get(key, []) if kind(c) == "I"]

    inferences = [k for k in nodes if kind(k) in ("RA", "CA", "MA")]
    locutions = {k for s in inferences for k in (*into.get(s, []), *out.get(s, []))
                 if kind(k) == "L" and not anchored(k)}

    def ends(keys: list[str], schemes: bool = False) -> list[str]:
        found = [k if kind(k) == "I" or k in locutions or (schemes and kind(k) in ("RA", "CA")) else
                 (anchored(k) or [""])[0] if kind(k) == "L" else "" for k in keys]
        return list(dict.fromkeys(k for k in found if k))

    premises = {s: ends(into.get(s, [])) for s in inferences}
    linked = [s for s in inferences if kind(s) == "RA" and len(premises[s]) > 1]
    own = {p for s in inferences if kind(s) in ("RA", "CA") and s not in linked for p in premises[s]}
    seen: set[str] = set()
    repeated = 0
    for s in linked:
        repeated += sum(1 for p in premises[s] if p in own or p in seen)
        seen.update(premises[s])
    # a link aimed at a scheme with no premise leads nowhere; a single premise's link repeated is one
    single: set[tuple[str, str, str]] = set()
    links = {"RA": 0, "CA": 0}
    for s in inferences:
        if kind(s) == "MA" or not premises[s]:
            continue
        targets = [t for t in ends(out.get(s, []), True) if kind(t) not in ("RA", "CA") or premises[t]]
        if len(premises[s]) == 1:
            targets = [t for t in targets if (premises[s][0], t, kind(s)) not in single]
            single.update((premises[s][0], t, kind(s)) for t in targets)
        links[kind(s)] += len(targets)
    pairs = {(a, b) for s in inferences if kind(s) == "MA"
             for a in premises[s] for b in ends(out.get(s, [])) if a != b}
    empty = sum(1 for k in nodes if kind(k) == "I" and not str(nodes[k].get("text") or "").strip())
    return {"locution_claims": len(locutions), "repeated_premises": repeated, "empty_atoms": empty,
            "supports": links["RA"], "attacks": links["CA"], "restatements": len(pairs)}


@pytest.mark.parametrize("path", AIF, ids=lambda p: p.name)
def test_an_aif_file_s_figures_map_to_what_arguebuf_counts(path: Path) -> None:
    [debate, _] = stats(["--kb", str(path)])
    nodes, shapes = aif_counts(path), aif_shapes(path)
    # a linked argument is one entry whose claims are its premises; a locution an inference links is a
    # claim arguebuf does not count; a claim listed as a premise again is one atom; an empty I-node is
    # an atom and no claim
    claims = debate["positions"] + debate["arguments"] - debate["linked"] + debate["premises"]
    assert claims - shapes["locution_claims"] - shapes["repeated_premises"] + shapes["empty_atoms"] == nodes["atoms"]
    # supports, attacks and restatements are links, not scheme nodes (docs/stats.md)
    assert (debate["supports"], debate["attacks"], debate["restatements"]) == \
        (shapes["supports"], shapes["attacks"], shapes["restatements"])


def test_where_arguebuf_is_installed_its_figures_are_what_aif_counts_counts() -> None:
    """arguebuf is too heavy a dependency for the tests (aif_counts counts as it does: on the 499
    nodesets of US2016 the two agree on every file); where a developer has it, it says so here on
    each AIF fixture its loader reads (it needs every edge's ``edgeID``, and refuses a node id twice)."""
    arguebuf = pytest.importorskip("arguebuf")
    kinds = {"Support": "RA", "Attack": "CA", "Rephrase": "MA", "Preference": "PA"}
    compared = []
    for path in AIF:
        data = json.loads(path.read_text(encoding="utf-8"))
        ids = [str(node["nodeID"]) for node in data["nodes"]]
        if len(set(ids)) < len(ids) or not all("edgeID" in edge for edge in data["edges"]):
            continue
        graph = arguebuf.load.aif(data)
        figures = {"atoms": len(graph.atom_nodes), "schemes": len(graph.scheme_nodes), "edges": len(graph.edges),
                   **dict.fromkeys(SCHEMES, 0)}
        for node in graph.scheme_nodes.values():
            figures[kinds[type(node.scheme).__name__]] += 1
        assert aif_counts(path) == figures, path.name
        compared.append(path.name)
    assert "stats-shapes.json" in compared


def test_each_shape_where_policyx_and_arguebuf_part_is_counted() -> None:
    """A map of every such shape, with the figures counted by hand (and arguebuf's, as its
    ``statistics`` prints them on this file)."""
    path = FIXTURES / "import" / "stats-shapes.json"
    [debate, _] = stats(["--kb", str(path)])
    assert aif_counts(path) == {"atoms": 9, "schemes": 12, "edges": 26, "RA": 7, "CA": 2, "MA": 3, "PA": 0}
    assert aif_shapes(path) == {"locution_claims": 1, "repeated_premises": 3, "empty_atoms": 1,
                                "supports": 6, "attacks": 1, "restatements": 3}
    # 8 I-nodes with words (I-node 9 has none) and the locution "Uniforms look smart"; the claims of
    # I-nodes 2 (alone for 1, and with 3), 3 (with 2, and with 7, both for 1) and 7 (against 2, and
    # with 3) are listed again as a linked argument's premises
    assert (debate["positions"], debate["arguments"], debate["linked"], debate["premises"]) == (4, 6, 2, 4)
    # RA 13 has no premise, and CA 21 attacks only it (both left out); RA 22 repeats RA 10; RA 14 has
    # two conclusions; MA 18 repeats MA 17; MA 19 has two restating claims
    assert (debate["supports"], debate["attacks"], debate["restatements"]) == (6, 1, 3)
    assert count(["--kb", str(path)], "arguments", "--stance", "for") == debate["for"] == 5


def test_a_library_of_mixed_formats_counts_each_debate_and_the_whole(tmp_path: Path) -> None:
    library = tmp_path / "corpus"
    library.mkdir()
    for path in (bundled_path(), FIXTURES / "graph" / "uniforms-v2.yaml"):
        shutil.copy(path, library / path.name)
    foreign = [FIXTURES / "import" / "debate.argdown", FIXTURES / "import" / "kialo-theses.txt", AIF[3]]
    kb = ["--kb", str(library), *(word for path in foreign for word in ("--kb", str(path)))]
    records = stats(kb)
    debates, total = records[:-1], records[-1]
    files = {p.stem: p for p in (*library.iterdir(), *foreign)}
    assert [r["debate"] for r in debates] == ["positions", "uniforms-v2", "debate", "kialo-theses",
                                              "voting-age-dialogue"]
    assert total["scope"] == "total"
    assert_matches_list(kb, total)
    for record in debates:  # each debate as `list` counts it alone
        alone = stats(["--kb", str(files[record["debate"]])])[0]
        assert record == alone
    for field in ("questions", "positions", "arguments", "for", "against", "linked", "undercuts", "premises"):
        assert total[field] == sum(r[field] for r in debates), field


def test_a_library_kept_whole_counts_each_debate_as_list_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm, a library comes whole from its cache and its members are made again from it:
    every debate's figures are still what `list` counts on that file alone, and the whole's on
    the library."""
    from policyx.kb import cacherows, libcache
    from policyx.kb.cachefolder import cache_dir
    from policyx.kb.libopen import include_roots

    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # the files were written just now: keep it all the same
    library = tmp_path / "corpus"
    (library / "more").mkdir(parents=True)
    for path in (bundled_path(), FIXTURES / "graph" / "uniforms-v2.yaml", FIXTURES / "import" / "debate.argdown"):
        shutil.copy(path, library / path.name)
    for path in (FIXTURES / "import" / "kialo-theses.txt", AIF[3]):
        shutil.copy(path, library / "more" / path.name)
    kb = ["--kb", str(library)]
    built = stats(kb, cache=True)
    where = cache_dir()
    assert where is not None and (where / libcache.cache_name([library], include_roots([library]))).is_file()
    assert stats(kb, cache=True) == built == stats(kb)  # warm, kept whole; and without any cache
    files = {p.stem: p for p in library.rglob("*.*")}
    debates, total = built[:-1], built[-1]
    assert sorted(r["debate"] for r in debates) == sorted(files)
    for record in debates:
        alone = ["--kb", str(files[record["debate"]])]
        assert_matches_list(alone, record)
        assert record["scope"] == "debate"
    assert_matches_list(kb, total)
    for per in ("question", "actor"):
        assert stats(kb, per, cache=True) == stats(kb, per)


def test_every_format_and_a_wrong_group() -> None:
    for fmt in ("csv", "tsv", "yaml", "markdown", "plain", "jsonl"):
        out = run_cli("stats", "-f", fmt)
        assert out.exit_code == 0 and "positions" in out.stdout, (fmt, out.stderr)
    out = run_cli("stats", "--per", "speaker")
    assert out.exit_code == 2 and "debate, question, actor" in out.stderr and "Traceback" not in out.stderr
    again = run_cli("stats", "-f", "json")
    assert again.stdout == run_cli("stats", "-f", "json").stdout  # same input, same bytes


def test_an_empty_group_and_a_wrong_format_are_usage_errors_naming_stats() -> None:
    # an empty --per (a script's unset variable) is a mistake, not the default; both paths say so
    for env in ({}, {"POLICYX_NO_FASTPATH": "1"}):
        out = run_program(["stats", "--per", ""], env=env)
        assert (out.exit_code, out.stdout) == (2, ""), env
        assert "stats --per takes debate, question, actor, not ''" in out.stderr
    out = run_cli("stats", "-f", "xml")
    assert out.exit_code == 2 and "is not a format of list, show, compare, search, stats and standing" in out.stderr


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown"])
def test_the_header_is_the_same_with_no_record(tmp_path: Path, fmt: str) -> None:
    # a script reads the columns by name: an empty knowledge base keeps them all (not only the table's)
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\ntitle: Empty\n", encoding="utf-8")
    for args in (("stats",), ("stats", "--per", "question"), ("stats", "--per", "actor"), ("standing",),
                 ("list",), ("list", "arguments"), ("list", "questions"), ("list", "tags")):
        full = run_cli(*args, "-f", fmt)
        none = run_cli("--kb", str(empty), *args, "-f", fmt)
        assert full.exit_code == none.exit_code == 0, (args, none.stderr)
        header = [line for line in full.stdout.splitlines() if line][:2 if fmt == "markdown" else 1]
        assert [line for line in none.stdout.splitlines() if line][:len(header)] == header, args


def test_without_acts_what_a_file_records_as_someone_s_is_what_they_asserted() -> None:
    actors = stats([], "actor")  # the bundled knowledge base: version 1, no acts
    assert actors and all(a["asserted"] == a["held"] + a["made"] for a in actors)
    assert sum(a["asserted"] for a in actors) > 0
    voting = stats(["--kb", str(AIF[3])], "actor")  # acts: asking and disputing never assert
    data = json.loads(run_cli("--kb", str(AIF[3]), "list", "arguments", "-f", "json").stdout)
    data += json.loads(run_cli("--kb", str(AIF[3]), "list", "positions", "-f", "json").stdout)
    for actor in voting:
        explicit = sum(1 for e in data if any(a["by"] == actor["actor"] and a["act"] == "asserts"
                                              for a in e.get("acts") or ()))
        short = sum(1 for e in data if not e.get("acts") and actor["actor"] in (e.get("held_by") or [e.get("by")]))
        assert actor["asserted"] == explicit + short


@pytest.mark.parametrize(("by", "width"), [("debate", 200), ("actor", 120)])
def test_a_table_of_counts_sizes_its_columns_by_their_numbers(by: str, width: int) -> None:
    # columns of numbers are as wide as their header, not a text column's 12 to 20: at 200 columns
    # every figure of a debate has its column (unanswered share was folded under the name)
    from policyx.kb.load import load
    from policyx.output.registry import render
    from policyx.views.stats import stats_listing

    listing = stats_listing(load(bundled_path()), by)
    out = render("table", listing, width=width)
    lines = out.splitlines()
    if listing.derived:  # said above the table: which figures are interpretation
        assert lines.pop(0) == listing.derived
    header, rule = lines[:2]
    assert len(rule) <= width and " · " not in out, out
    labels = [c.replace("_", " ") for c in listing.columns]
    assert header.split() == " ".join(labels).split(), header


def _bands(screen: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each table of a terminal's stats: its header lines, and its rows split into cells."""
    bands = []
    for block in screen.strip("\n").split("\n\n"):
        lines = block.splitlines()
        rule = next(i for i, line in enumerate(lines) if line.startswith("───"))
        bands.append((lines[:rule], [line.split() for line in lines[rule + 1:]]))
    return bands


@pytest.mark.parametrize(("width", "most"), [(60, 4), (80, 3), (120, 2)])
def test_on_a_terminal_the_figures_come_in_bands_of_columns_never_folded_under_the_name(width: int,
                                                                                       most: int) -> None:
    """Too many figures for one table: they come in bands, each a table repeating the debate's
    name, every number in a column under its header (it was a dim line of "label: value" wrapped
    inside the name's narrow column, even at 120 columns)."""
    from tests.ptyrun import run_in_terminal

    two = ["--kb", str(bundled_path()), "--kb", str(FIXTURES / "graph" / "uniforms-v2.yaml")]
    seen = run_in_terminal("--no-pager", *two, "stats", env={"NO_COLOR": "1"}, columns=width)
    assert seen.exit_code == 0, seen.stderr
    assert " · " not in seen.screen and ": " not in seen.screen, seen.screen
    assert all(len(line) <= width for line in seen.screen.splitlines())
    # the shapes are interpretation, said above the table (the title only Markdown shows)
    above = seen.screen.split("debate")[0]
    assert " ".join(above.split()) == "counted from the entries; depth, branching and shares derived", seen.screen
    bands = _bands(seen.screen)
    assert 1 < len(bands) <= most, seen.screen
    records = json.loads(run_cli(*two, "stats", "-f", "json").stdout)
    names = [r["debate"] for r in records]
    figures = ["questions", "positions", "arguments", "for", "against", "linked", "undercuts", "actors", "sources",
               "depth_max", "depth_mean", "branching_mean", "unanswered_share"]
    headers = " ".join(" ".join(header) for header, _ in bands)
    for figure in figures:
        assert figure.replace("_", " ").split()[-1] in headers
    for at, record in enumerate(records):  # each row: the name, then its numbers, band after band
        assert all(rows[at][0] == names[at] for _, rows in bands)
        shown = [cell for _, rows in bands for cell in rows[at][1:]]
        assert shown == [str(record[f]) for f in figures], (record["debate"], shown)


def test_per_question_and_per_actor_are_counts_and_say_no_figure_is_derived() -> None:
    """Only the figures per debate hold derived shapes: the other tables neither say so above
    their rows on a terminal nor in their Markdown title."""
    from tests.ptyrun import run_in_terminal

    for by in ("question", "actor"):
        seen = run_in_terminal("--no-pager", "stats", "--per", by, env={"NO_COLOR": "1"}, columns=200)
        assert seen.exit_code == 0 and "derived" not in seen.screen, seen.screen
        assert run_cli("stats", "--per", by, "-f", "markdown").stdout.startswith(f"## stats by {by} (counted)\n")
    assert "derived" in run_cli("stats", "-f", "markdown").stdout.splitlines()[0]


@pytest.mark.parametrize("fast", [False, True], ids=["typer", "fast"])
def test_ids_are_the_debates_names_only_never_the_total_row(fast: bool) -> None:
    """`-f ids` is for xargs: the debates' names; the total is a sum, not a debate."""
    def ids(*args: str) -> str:
        out = run_program(list(args)) if fast else run_cli(*args)
        assert out.exit_code == 0, out.stderr
        return out.stdout

    two = ["--kb", str(bundled_path()), "--kb", str(FIXTURES / "graph" / "uniforms-v2.yaml")]
    assert ids(*two, "stats", "-f", "ids") == "positions\nuniforms-v2\n"
    assert ids("--kb", str(bundled_path()), "stats", "-f", "ids") == "positions\n"
    per_question = ids("--kb", str(bundled_path()), "stats", "--per", "question", "-f", "ids").splitlines()
    assert per_question[0] == "trafficking-bifurcation" and "(total)" not in per_question


@pytest.mark.parametrize("by", ["debate", "question", "actor"])
def test_bands_stream_as_they_are_drawn_whole(by: str) -> None:
    """A terminal gets the table a few rows at a time (tablestream): bands too, byte for byte."""
    from policyx.kb.load import load
    from policyx.output.table import render_table, stream_table
    from policyx.views.stats import stats_listing

    listing = stats_listing(load(bundled_path()), by)
    for width in (55, 60, 80, 120):
        for color in (False, True):
            assert "".join(stream_table(listing, width, color)) == render_table(listing, width, color)


@pytest.mark.parametrize("path", [bundled_path(), FIXTURES / "graph" / "uniforms-v2.yaml", AIF[0]],
                         ids=lambda p: p.name)
def test_debates_counted_at_once_are_each_debate_counted_alone(path: Path) -> None:
    """A library's debates are counted in one pass (stats.debate_records): the same figures as
    each debate's entries counted alone (debate_record), here for a file cut into three runs of
    each collection, where arguments answer arguments of another run."""
    from policyx.kb.load import load
    from policyx.kb.model import Kind
    from policyx.views.stats import debate_record, debate_records

    kb = load(path) if path.suffix == ".yaml" else _imported(path)
    cuts = [{kind: len(kb.collection(kind)) * share // 3 for kind in Kind} for share in (1, 2)]
    bounds = [dict.fromkeys(Kind, 0), *cuts, {kind: len(kb.collection(kind)) for kind in Kind}]
    runs = [{kind: end[kind] - start[kind] for kind in Kind} for start, end in zip(bounds, bounds[1:], strict=False)]
    parts = [{kind: kb.collection(kind)[start[kind]:end[kind]] for kind in Kind}
             for start, end in zip(bounds, bounds[1:], strict=False)]
    expected = [debate_record(kb, "debate", f"run {n}", part) for n, part in enumerate(parts)]
    assert debate_records(kb, [(f"run {n}", run) for n, run in enumerate(runs)]) == [
        *expected, debate_record(kb, "total", "(total)")]
    assert sum(r["arguments"] for r in expected) == len(kb.arguments) > 0


def _imported(path: Path) -> Any:
    from policyx.importers import read_foreign

    kb = read_foreign(path.read_text(encoding="utf-8"), str(path))
    assert kb is not None
    return kb
