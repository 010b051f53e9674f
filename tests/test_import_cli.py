"""`policyx import` and `--kb` on foreign files, as a user runs them; round trips through the exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policyx.importers import InputFile, import_files
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.load import build, bundled_path, load
from tests.clirun import run_cli as cli
from tests.fuzz import examples
from tests.importing import FIXTURES, convert, relations, text_inputs

ARGDOWN_CLI = Path(__file__).resolve().parent.parent / "tools" / "node_modules" / ".bin" / "argdown"
BUILTIN = {"POLICYX_ARGDOWN": "builtin"}


def fixture(tmp_path: Path, *names: str) -> list[str]:
    for name in names:
        source = FIXTURES / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return [str(tmp_path / name) for name in names]


def test_import_writes_a_knowledge_base_and_its_sources_that_check_passes(tmp_path: Path) -> None:
    (dialogue,) = fixture(tmp_path, "voting-age-dialogue.json")
    kb_path = tmp_path / "votes.yaml"
    done = cli("import", dialogue, "-o", str(kb_path))
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""  # the summary is a message: stderr
    assert f"read {dialogue} (AIF JSON)" in done.stderr
    assert f"wrote {kb_path} (1 sources, 3 actors, 1 questions, 2 positions, 6 arguments) and 1 source text(s) " \
        f"in {tmp_path / 'votes-sources'}/; every quote is verbatim in them" in done.stderr
    assert (tmp_path / "votes-sources" / "voting-age-dialogue-text.txt").is_file()
    checked = cli("check", str(kb_path))
    assert checked.exit_code == 0, checked.stderr
    # the one warning is truthful: an argument map records no outcome of its question
    assert checked.stderr.endswith("2 positions, 6 arguments; 1 warning(s)\n")
    assert "question 'voting-age-dialogue' has no recorded outcome" in checked.stderr
    listed = cli("--kb", str(kb_path), "list", "-f", "ids")
    assert listed.stdout.splitlines() == ["sixteen-year-olds-should-get", "the-voting-age-should-stay"]


def test_the_written_file_starts_with_a_header_and_loads_as_yaml(tmp_path: Path) -> None:
    (kialo,) = fixture(tmp_path, "phones-in-school.txt")
    assert cli("import", kialo, "-o", str(tmp_path / "kb.yaml"), "--title", "Phones").exit_code == 0
    text = (tmp_path / "kb.yaml").read_text(encoding="utf-8")
    assert text.startswith("# policyx knowledge base, schema version 2, written by `policyx import` from "
                           "phones-in-school.txt.\n")
    assert yaml.safe_load(text)["title"] == "Phones"
    assert load(tmp_path / "kb.yaml").title == "Phones"


def test_the_same_input_writes_the_same_bytes(tmp_path: Path) -> None:
    (folder,) = fixture(tmp_path, "nodesets")
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        assert cli("import", folder, "-o", str(tmp_path / name)).exit_code == 0
        text = (tmp_path / name).read_text(encoding="utf-8")  # the names it writes differ, and the header's check
        outputs.append(text.replace(name[0] + "-sources", "X").replace(f"check {name}", "check X"))
    assert outputs[0] == outputs[1]


def test_a_folder_is_one_knowledge_base_and_files_that_are_no_map_are_left_out(tmp_path: Path) -> None:
    (folder,) = fixture(tmp_path, "nodesets")
    done = cli("import", folder, "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 0, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if line.startswith("read ")] == [
        f"read {folder}/nodeset9.json (AIF JSON)", f"read {folder}/nodeset10.json (AIF JSON)",
        f"read {folder}/nodeset11.json (AIF JSON)"]  # 9 before 10: numbers sort by value
    assert f"warning: {folder}/README.txt: no argument data policyx reads; left out" in lines
    assert len(load(tmp_path / "kb.yaml").questions) == 2


def test_formats_mix_in_one_knowledge_base(tmp_path: Path) -> None:
    files = fixture(tmp_path, "voting-age-dialogue.json", "phones-in-school.txt", "debate.argdown")
    done = cli("import", *files, "-o", str(tmp_path / "kb.yaml"), env=BUILTIN)
    assert done.exit_code == 0, done.stderr
    kb = load(tmp_path / "kb.yaml")
    assert len(kb.questions) == 4 and len(kb.sources) == 3
    assert kb.title == "Imported from 3 files: voting-age-dialogue.json, phones-in-school.txt, debate.argdown"
    assert cli("check", str(tmp_path / "kb.yaml")).exit_code == 0


def test_from_forces_the_format(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("[Claim]: Something is so.\n  + <Reason>: Because.\n", encoding="utf-8")
    forced = cli("import", str(source), "-o", str(tmp_path / "kb.yaml"), "--from", "argdown", env=BUILTIN)
    assert forced.exit_code == 0, forced.stderr
    assert [a.claim for a in load(tmp_path / "kb.yaml").arguments] == ["Because."]
    wrong = cli("import", str(source), "-o", str(tmp_path / "kb.yaml"), "--from", "kialo")
    assert wrong.exit_code == 3
    assert "neither the discussion's title nor a numbered claim" in wrong.stderr


def test_a_format_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    done = cli("import", "x.json", "-o", str(tmp_path / "kb.yaml"), "--from", "aiff")
    assert done.exit_code == 2
    assert "'aiff' is not one of aif, argdown, kialo, microtexts, carneades; did you mean 'aif'?" in done.stderr


def test_the_output_must_be_a_file_or_a_library_folder(tmp_path: Path) -> None:
    (dialogue,) = fixture(tmp_path, "voting-age-dialogue.json")
    done = cli("import", dialogue, "-o", "-")
    assert done.exit_code == 2 and "--output needs a file name" in done.stderr
    # an existing folder asks for a library; one holding files no import wrote is refused
    done = cli("import", dialogue, "-o", str(tmp_path))
    assert done.exit_code == 2 and "voting-age-dialogue.json, which no earlier `policyx import` wrote" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voting-age-dialogue.json"]


def test_the_output_is_never_a_file_being_imported(tmp_path: Path) -> None:
    (dialogue,) = fixture(tmp_path, "voting-age-dialogue.json")
    before = Path(dialogue).read_bytes()
    done = cli("import", dialogue, "-o", dialogue)
    assert done.exit_code == 2 and "is a file being imported" in done.stderr
    assert Path(dialogue).read_bytes() == before


def test_entries_name_the_file_and_messages_its_path(tmp_path: Path) -> None:
    (dialogue,) = fixture(tmp_path, "ova-cycle-lanes.json")
    done = cli("import", dialogue, "-o", str(tmp_path / "kb.yaml"))
    assert f"warning: {dialogue}: edge 22" in done.stderr
    text = (tmp_path / "kb.yaml").read_text(encoding="utf-8")
    assert str(tmp_path) not in text  # the same file gives the same knowledge base wherever it lies
    assert "What is argued in ova-cycle-lanes.json?" in text and "the author of ova-cycle-lanes.json" in text


def test_an_output_that_cannot_be_written_is_exit_4(tmp_path: Path) -> None:
    (dialogue,) = fixture(tmp_path, "voting-age-dialogue.json")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    done = cli("import", dialogue, "-o", str(blocker / "kb.yaml"))
    assert done.exit_code == 4
    (line,) = done.stderr.splitlines()  # nothing was written: no summary, only the error
    assert line.startswith(f"policyx: cannot write {blocker}") and line.endswith(": Not a directory")


# --------------------------------------------------------------------------
# Bad input: one line naming the file (and line or node), what to do, exit 3


BAD: list[tuple[str, str | bytes, str]] = [
    ("cut.json", (FIXTURES / "voting-age-dialogue.json").read_text(encoding="utf-8")[:3000],
     r"cut.json:\d+:\d+: is not valid JSON \(.*\); it ends too soon \(the file looks cut short"),
    ("comma.json", '{"nodes": [{"nodeID": 1, "type": "I", "text": "a"},]}',
     r"comma.json:1:52: is not valid JSON \(Expecting value\) \(fix the JSON at that place\)"),
    ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     r"binary.json: is a binary file, not AIF, Argdown or Kialo"),
    ("latin1.txt", "Discussion Title: Caf\xe9\n".encode("latin-1"),
     r"latin1.txt:1:22: is not valid UTF-8 text \(byte 0xe9\) \(save the file as UTF-8\)"),
    ("notes.txt", "Just some notes,\nnot a debate.\n",
     r"notes.txt: is none of AIF JSON, Argdown .* say which with --from aif\|argdown\|kialo"),
    ("empty.json", "", r"empty.json: is empty"),
    ("other.json", '{"name": "x", "items": []}', r"other.json: is JSON, but neither AIF .* it holds items, name"),
    ("dupes.json", '{"nodes": [{"nodeID": 1, "type": "I", "text": "a"}, {"nodeID": 1, "type": "L", "text": "b"}]}',
     r"dupes.json: node '1' is defined twice, as I 'a' and as L 'b' \(give each node its own nodeID\)"),
    ("circle.json", json.dumps({"nodes": [{"nodeID": n, "type": t, "text": x} for n, t, x in
                                          [(1, "I", "a"), (2, "I", "b"), (3, "RA", ""), (4, "RA", "")]],
                                "edges": [{"fromID": a, "toID": b} for a, b in [(1, 3), (3, 2), (2, 4), (4, 1)]]}),
     r"circle.json: claims I-node 1, I-node 2 support each other in a circle.* \(remove one of the supports"),
    ("notext.json", json.dumps({"nodes": [{"nodeID": 1, "type": "I"}, {"nodeID": 2, "type": "I", "text": "b"},
                                          {"nodeID": 3, "type": "CA"}],
                                "edges": [{"fromID": 1, "toID": 3}, {"fromID": 3, "toID": 2}]}),
     r"notext.json: I-node '1' has no text, and a claim needs its words"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_located_line_and_exit_3(tmp_path: Path, name: str, content: str | bytes,
                                                   expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    done = cli("import", str(path), "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 3
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"policyx: {path}")
    import re

    assert re.search(expected, line), line
    assert not (tmp_path / "kb.yaml").exists()


def test_a_missing_input_file_and_a_policyx_knowledge_base_are_exit_3(tmp_path: Path) -> None:
    done = cli("import", str(tmp_path / "nope.json"), "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 3 and done.stderr == f"policyx: {tmp_path / 'nope.json'}: no such file (check the path)\n"
    done = cli("import", str(bundled_path()), "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 3
    assert "is already a policyx knowledge base (YAML) (use it directly: policyx --kb" in done.stderr


def test_an_edge_to_a_missing_node_is_a_warning_in_the_summary(tmp_path: Path) -> None:
    (ova,) = fixture(tmp_path, "ova-cycle-lanes.json")
    done = cli("import", ova, "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 0
    warning = f"warning: {ova}: edge 22 names node 99, which the file does not hold; left out"
    assert warning in done.stderr.splitlines()


# --------------------------------------------------------------------------
# --kb reads the foreign formats directly


@pytest.mark.parametrize("name", ["voting-age-dialogue.json", "phones-in-school.txt", "debate.argdown",
                                  "debate.argdown.json"])
def test_kb_reads_a_foreign_file_directly_as_its_import_would(tmp_path: Path, name: str) -> None:
    (path,) = fixture(tmp_path, name)
    assert cli("import", path, "-o", str(tmp_path / "kb.yaml"), env=BUILTIN).exit_code == 0
    imported = cli("--kb", str(tmp_path / "kb.yaml"), "list", "arguments", "-f", "json")
    direct = cli("--kb", path, "list", "arguments", "-f", "json", env=BUILTIN)
    cached = cli("--kb", path, "list", "arguments", "-f", "json", env=BUILTIN)
    uncached = cli("--no-cache", "--kb", path, "list", "arguments", "-f", "json", env=BUILTIN)
    assert direct.exit_code == 0, direct.stderr
    expected = [{k: v for k, v in a.items() if k != "source"} for a in json.loads(imported.stdout)]
    assert [{k: v for k, v in a.items() if k != "source"} for a in json.loads(direct.stdout)] == expected
    assert direct.stdout == cached.stdout == uncached.stdout
    assert direct.stderr == cached.stderr == uncached.stderr == ""


def test_kb_caches_a_foreign_file_like_a_yaml_one(tmp_path: Path) -> None:
    from policyx.kb.store import cache_file

    (path,) = fixture(tmp_path, "phones-in-school.txt")
    assert not cache_file(Path(path)).exists()
    first = cli("--kb", path, "list", "-f", "ids")
    assert cache_file(Path(path)).is_file()
    Path(path).write_text(Path(path).read_text(encoding="utf-8").replace("Schools should", "Schools must"),
                          encoding="utf-8")
    second = cli("--kb", path, "list", "-f", "ids")  # any change to the file is a new conversion
    assert first.stdout == "schools-should-ban-smartphones-during\n"
    assert second.stdout == "schools-must-ban-smartphones-during\n"


def test_kb_on_a_broken_foreign_file_is_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "broken.argdown"
    path.write_text("Just prose.\n", encoding="utf-8")
    done = cli("--kb", str(path), "list", env=BUILTIN)
    assert done.exit_code == 3
    assert done.stderr.startswith(f"policyx: {path}: has no statement with a title or a relation")


def test_show_compare_and_search_work_on_an_imported_debate(tmp_path: Path) -> None:
    (path,) = fixture(tmp_path, "voting-age-dialogue.json")
    shown = cli("--kb", path, "show", "sixteen-year-olds-should-get", "-f", "markdown")
    assert "  - held by: amira-khan, audience-member" in shown.stdout
    compared = cli("--kb", path, "compare", "sixteen-year-olds-should-get", "the-voting-age-should-stay", "-f", "json")
    assert compared.exit_code == 0, compared.stderr
    found = cli("--kb", path, "search", "tax", "-f", "ids")
    assert set(found.stdout.splitlines()[:2]) == {"most-sixteen-year-olds-earn", "at-sixteen-people-can-work"}


# --------------------------------------------------------------------------
# Round trips: policyx's own AIF and Argdown exports import back whole


def _export(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"export.{'json' if fmt == 'aif' else 'argdown'}"
    assert cli("export", "-f", fmt, "-o", str(out)).exit_code == 0
    return out


def _same_debate(original_path: Path, kb_path: Path, same_ids: bool) -> None:
    original, back = load(original_path), load(kb_path)
    assert {p.claim for p in back.positions} == {p.claim for p in original.positions}
    assert sorted(a.claim for a in back.arguments) == sorted(a.claim for a in original.arguments)
    assert relations(back) == relations(original) and len(back.arguments) == len(original.arguments)
    if same_ids:
        assert {(a.id, a.stance, a.target) for a in back.arguments} == \
            {(a.id, a.stance, a.target) for a in original.arguments}
        assert {p.id for p in back.positions} == {p.id for p in original.positions}


@pytest.mark.parametrize("fmt", ["aif", "argdown"])
def test_an_export_imports_back_with_every_position_argument_and_relation(tmp_path: Path, fmt: str) -> None:
    exported = _export(tmp_path, fmt)
    done = cli("import", str(exported), "-o", str(tmp_path / "back.yaml"), env=BUILTIN)
    assert done.exit_code == 0, done.stderr
    _same_debate(bundled_path(), tmp_path / "back.yaml", same_ids=fmt == "argdown")
    assert cli("check", str(tmp_path / "back.yaml")).exit_code == 0
    if fmt == "argdown":  # headings are the questions
        assert [q.text for q in load(tmp_path / "back.yaml").questions] == \
            [q.text for q in load(bundled_path()).questions]


def test_the_aif_export_keeps_speakers_and_quotes(tmp_path: Path) -> None:
    exported = _export(tmp_path, "aif")
    assert cli("import", str(exported), "-o", str(tmp_path / "back.yaml")).exit_code == 0
    original, back = load(bundled_path()), load(tmp_path / "back.yaml")
    quotes = {a.claim: a.quote for a in original.arguments}
    assert all(a.quote == quotes[a.claim] for a in back.arguments if a.quote)
    assert {a.name for a in back.actors} <= {a.name for a in original.actors}


@pytest.mark.skipif(not ARGDOWN_CLI.exists(), reason="the Argdown CLI is not installed (npm ci --prefix tools)")
def test_the_argdown_export_imports_back_through_the_argdown_cli(tmp_path: Path) -> None:
    exported = _export(tmp_path, "argdown")
    done = cli("import", str(exported), "-o", str(tmp_path / "back.yaml"), env={"POLICYX_ARGDOWN": str(ARGDOWN_CLI)})
    assert done.exit_code == 0, done.stderr
    assert "read by the Argdown CLI" in done.stderr
    _same_debate(bundled_path(), tmp_path / "back.yaml", same_ids=True)


# --------------------------------------------------------------------------
# Whatever a file holds, an import gives a valid knowledge base or a located error


_ids = st.one_of(st.integers(1, 9), st.integers(1, 9).map(str), st.sampled_from(["x", 1.0, 12]))
_node = st.fixed_dictionaries({"nodeID": _ids, "type": st.sampled_from(["I", "I", "I", "RA", "CA", "MA", "L", "YA",
                                                                        "TA", "X"]),
                               "text": st.one_of(st.sampled_from(["a", "b : c", "Ann : d", "M: Ann : e", "",
                                                                  "Asserting", "Pure Questioning", "Agreeing",
                                                                  "Disagreeing",
                                                                  "Ann :f", "Bo says 'g'"]),
                                                 st.text(max_size=8), st.integers())})
_edge = st.fixed_dictionaries({"fromID": _ids, "toID": st.one_of(_ids, st.none())})


@settings(max_examples=examples(300), deadline=None)
@given(nodes=st.lists(_node, min_size=1, max_size=12, unique_by=lambda n: str(n["nodeID"])),
       edges=st.lists(_edge, max_size=20))
def test_any_aif_graph_imports_or_fails_with_a_located_error(nodes: list[object], edges: list[object]) -> None:
    _imports_or_fails(json.dumps({"nodes": nodes, "edges": edges}), "map.json")


_kialo_line = st.tuples(st.sampled_from(["1.", "1.1.", "1.2.", "1.1.1.", "1.1.2.", "1.2.1.", "1.3.1.", "2."]),
                        st.sampled_from(["Pro: ", "Con: ", "Thesis: ", ""]),
                        st.one_of(st.text(max_size=10), st.sampled_from(["-> See 1.", "-> See 1.1.", "-> See 4.",
                                                                         "-> See 1.2.1.", r"a \(b\)"])))


@settings(max_examples=examples(300), deadline=None)
@given(lines=st.lists(_kialo_line, max_size=10, unique_by=lambda line: line[0]))
def test_any_kialo_text_imports_or_fails_with_a_located_error(lines: list[tuple[str, str, str]]) -> None:
    text = "\n".join(f"{number} {stance}{words}" for number, stance, words in lines)
    _imports_or_fails("Discussion Title: T\n\n" + text + "\n", "k.txt")


_argdown_line = st.builds(
    lambda indent, marker, element, words, tag: indent + marker + element + words + tag,
    st.sampled_from(["", "", "  ", "    ", "      "]),
    st.sampled_from(["", "+ ", "- ", "_ ", "+> ", "-> ", "_> ", ">< ", "<+ ", "(1) ", "(2) ", "----", "# "]),
    st.sampled_from(["", "[A]: ", "[B]: ", "[A]", "<C>: ", "<D>: ", "<C>", "[Untitled 1]: "]),
    st.one_of(st.sampled_from(["words", "more words", "**bold** _it_", r"\#x", "[l](u)", "@[A] said"]),
              st.text(alphabet="ab #*_\\[]<>:()", max_size=10)),
    st.sampled_from(["", " #t", " #(a b)"]),
)


@settings(max_examples=examples(300), deadline=None)
@given(lines=st.lists(st.one_of(_argdown_line, st.just("")), max_size=14))
def test_any_argdown_text_imports_or_fails_with_a_located_error(lines: list[str]) -> None:
    _imports_or_fails("\n".join(lines) + "\n", "d.argdown")


def _imports_or_fails(text: str, name: str) -> None:
    try:
        result = import_files(text_inputs(name, text))
    except KnowledgeBaseError as exc:
        assert exc.problems[0].path == name and exc.problems[0].hint
        return
    build(result.document, "kb.yaml")
    convert([InputFile(name, text.encode("utf-8"))])  # and every quote is verbatim in its source


_statement = st.sampled_from(["p", "q", "r", "s", "¬p", "x"])
_carneades_argument = st.fixed_dictionaries({
    "conclusion": _statement,
    "premises": st.one_of(st.lists(_statement, max_size=3), st.dictionaries(st.sampled_from(["major", "minor"]),
                                                                             _statement, max_size=2)),
    "scheme": st.sampled_from(["linked", "convergent", "cumulative", ""]),
    "undercutter": st.one_of(st.none(), _statement),
})


@settings(max_examples=examples(200), deadline=None)
@given(arguments=st.dictionaries(st.sampled_from(["a1", "a2", "a3", "a4"]), _carneades_argument, max_size=4),
       issue=st.lists(_statement, max_size=3))
@example(arguments={"a1": {"conclusion": "p", "premises": [], "scheme": "linked", "undercutter": None},
                    "a2": {"conclusion": "r", "premises": ["p", "r"], "scheme": "linked", "undercutter": "r"}},
         issue=[])  # a linked argument concluding one of its own premises: it was an internal error (70)
@example(arguments={"a1": {"conclusion": "p", "premises": [], "scheme": "linked", "undercutter": None},
                    "a3": {"conclusion": "p", "premises": ["p"], "scheme": "linked", "undercutter": None},
                    "a2": {"conclusion": "p", "premises": ["q", "p"], "scheme": "linked", "undercutter": "p"}},
         issue=[])  # one premise of two arguments that conclude an undercutter: two relations had one key (70)
def test_any_carneades_graph_imports_or_fails_with_a_located_error(arguments: dict[str, object],
                                                                   issue: list[str]) -> None:
    document = {"statements": {"p": "P", "q": "Q", "r": "R", "s": "S", "¬p": "not P"},
                "arguments": arguments, "issues": {"i1": {"positions": issue}}, "assumptions": ["q"]}
    _imports_or_fails(yaml.safe_dump(document, allow_unicode=True), "g.yml")
