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
AIF += sorted((FIXTURES / "import" / "nodesets").glob("*.json"))
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


SCHEMES = ("RA", "CA", "MA")


def aif_counts(path: Path) -> dict[str, int]:
    """An independent count from the AIF file itself (what arguebuf's statistics count): the
    RA, CA and MA scheme nodes, and the claims: I-nodes with words (each id once), where a
    linked inference (an RA of several premises) counts its premises once each, as the claim
    it makes together, and an I-node that is only such a premise is not counted again."""
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {str(n["nodeID"]): n for n in data["nodes"]}
    kinds = [n["type"] for n in nodes.values()]
    feeds: dict[str, set[str]] = {}
    targets: set[str] = set()
    for edge in data["edges"]:
        source, target = str(edge["fromID"]), str(edge["toID"])
        if nodes.get(target, {}).get("type") in SCHEMES:
            feeds.setdefault(source, set()).add(target)
        if nodes.get(source, {}).get("type") in SCHEMES:
            targets.add(target)
    words = {i for i, n in nodes.items() if n["type"] == "I" and n.get("text", "").strip()}
    premises = {s: {i for i in words if s in feeds.get(i, ())} for s, n in nodes.items() if n["type"] == "RA"}
    linked = {s for s, group in premises.items() if len(group) > 1}
    # a claim of its own: the conclusion of something, a premise of an unlinked node, or alone
    standalone = {i for i in words if i in targets or not feeds.get(i, set()) <= linked}
    claims = len(standalone) + sum(len(premises[s]) for s in linked)
    return {"claims": claims, "RA": kinds.count("RA"), "CA": kinds.count("CA"), "MA": kinds.count("MA")}


@pytest.mark.parametrize("path", AIF, ids=lambda p: p.name)
def test_an_aif_file_s_figures_equal_a_count_of_its_nodes(path: Path) -> None:
    [debate, _] = stats(["--kb", str(path)])
    nodes = aif_counts(path)
    # a linked argument's claim is its premises together: its I-nodes are the premises
    assert debate["positions"] + debate["arguments"] - debate["linked"] + debate["premises"] == nodes["claims"]
    assert (debate["supports"], debate["attacks"], debate["restatements"]) == (nodes["RA"], nodes["CA"], nodes["MA"])


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
    from policyx.kb import libcache
    from policyx.kb.cachefolder import cache_dir
    from policyx.kb.libopen import include_roots

    monkeypatch.setattr(libcache, "RACY_NS", 0)  # the files were written just now: keep it all the same
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


@pytest.mark.parametrize(("by", "width", "folded"), [("debate", 200, False), ("actor", 120, False),
                                                     ("debate", 120, True), ("debate", 80, True)])
def test_a_table_of_counts_sizes_its_columns_by_their_numbers(by: str, width: int, folded: bool) -> None:
    # columns of numbers are as wide as their header, not a text column's 12 to 20: at 200 columns
    # every figure of a debate has its column (unanswered share was folded under the name), and
    # folded ones keep the name's column wide enough to be read
    from policyx.kb.load import load
    from policyx.output.registry import render
    from policyx.views.stats import stats_listing

    listing = stats_listing(load(bundled_path()), by)
    out = render("table", listing, width=width)
    header, rule = out.splitlines()[:2]
    assert len(rule) <= width and (" · " in out) is folded, out
    if not folded:
        labels = [c.replace("_", " ") for c in listing.columns]
        assert header.split() == " ".join(labels).split(), header
    else:  # what is folded goes under the first column, at least 28 wide
        assert header.index(header.split()[1]) >= 28
    kept = len(header.split("   "))  # columns stand 3 spaces apart at least; a header's words, 1
    assert kept >= {"debate": {200: 14, 120: 9, 80: 5}, "actor": {120: 7}}[by][width]
