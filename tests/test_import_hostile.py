"""Hostile input to the importers (and to --kb of a foreign file): huge numbers, values that are
no text, other encodings, files that are no files, inputs built to make a reader quadratic,
huge maps, and text that holds escape codes or another program's syntax. Each is a located
error (status 3) or data kept as data; never a crash, a hang or Python's repr."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policyx.importers import InputFile, common, import_files, to_yaml
from policyx.importers import aif as aif_module
from policyx.importers.argdown_text import parse
from policyx.importers.common import IdMaker
from policyx.kb import schema
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.load import load_text
from tests.clirun import run_cli as cli


def aif(*nodes: dict[str, object], edges: tuple[dict[str, object], ...] = ()) -> str:
    return json.dumps({"nodes": list(nodes), "edges": list(edges)})


def failure(name: str, data: str | bytes) -> str:
    """The one problem importing ``data`` as the file ``name`` gives."""
    with pytest.raises(KnowledgeBaseError) as caught:
        import_files([InputFile(name, data if isinstance(data, bytes) else data.encode("utf-8"))])
    (problem,) = caught.value.problems
    return str(problem)


# --------------------------------------------------------------------------
# numbers of thousands of digits


@pytest.mark.parametrize("how", ["import", "--kb"])
def test_an_aif_node_id_of_5000_digits_is_a_located_error(tmp_path: Path, how: str) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"nodes": [\n  {"nodeID": ' + "9" * 5000 + ', "text": "A", "type": "I"}], "edges": []}\n',
                    encoding="utf-8")
    result = cli("import", str(path), "-o", str(tmp_path / "kb.yaml")) if how == "import" else \
        cli("--kb", str(path), "list")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith(f"policyx: {path}:2:")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "kb.yaml").exists()


def test_the_json_reader_says_where_the_long_number_is() -> None:
    text = '{"nodes": [\n  {"nodeID": 1, "text": "A", "type": "I"},\n  {"nodeID": -' + "1" * 4301 + "}]}"
    assert failure("map.json", text) == (
        "map.json:3:14: holds a number of 4,301 digits, more than the 100 an AIF or Argdown file needs"
        " (node ids and numbers are short: fix or remove this one)")


def test_a_kialo_number_of_5000_digits_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("Discussion Title: T\n\n1. Thesis.\n1.1. Pro: Yes.\n1." + "7" * 5000 + ". Con: No.\n",
                    encoding="utf-8")
    result = cli("import", str(path), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3
    assert result.stderr == (f"policyx: {path}:5: claim number 1.77777777...777777777. (5,003 characters) has a part"
                             " longer than 9 digits (Kialo numbers claims 1., 1.1., 1.2. ...: fix the number)\n")


# --------------------------------------------------------------------------
# values that are no text; encodings


def test_an_aif_text_that_is_a_number_is_read_as_its_digits_with_a_warning() -> None:
    text = aif({"nodeID": "n1", "text": 42, "type": "I"})
    result = import_files([InputFile("map.json", text.encode("utf-8"))])
    assert result.document["positions"][0]["claim"] == "42"
    assert "warning: map.json: node 'n1': its 'text' is the number 42, read as its digits" in result.summary.lines()


@pytest.mark.parametrize(("value", "said"), [
    (True, "the boolean true"), (False, "the boolean false"), (["a", "b"], "a list"), ({"a": 1}, "an object"),
])
def test_an_aif_text_that_is_no_string_is_an_error_naming_its_node(value: object, said: str) -> None:
    text = aif({"nodeID": "n1", "text": "Fine", "type": "I"}, {"nodeID": "n7", "text": value, "type": "I"})
    assert failure("map.json", text) == (
        f"map.json: node 'n7' (nodes[1]): its 'text' is {said}, not text (give every node's 'text' as a JSON string)")


def test_a_node_type_that_is_no_string_is_an_error_too() -> None:
    text = aif({"nodeID": "n1", "text": "Fine", "type": ["I"]})
    assert failure("map.json", text) == (
        "map.json: node 'n1' (nodes[0]): its 'type' is a list, not text (give every node's 'type' as a JSON string)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_read(tmp_path: Path, encoding: str) -> None:
    text = aif({"nodeID": "1", "text": "Cafés should open late", "type": "I"})
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # 'utf-16' and 'utf-32' write their own BOM
    path = tmp_path / "map.json"
    path.write_bytes((bom + text).encode(encoding))
    result = cli("import", str(path), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "claim: Cafés should open late" in (tmp_path / "kb.yaml").read_text(encoding="utf-8")


def test_a_utf16_knowledge_base_is_told_to_be_saved_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes("version: 1\n".encode("utf-16"))
    result = cli("--kb", str(path), "list")
    assert result.exit_code == 3
    assert result.stderr == f"policyx: {path}: the file is UTF-16 text, not UTF-8 (save it as UTF-8 (a BOM is fine))\n"


def test_broken_utf16_is_told_to_be_saved_as_utf8() -> None:
    assert failure("map.json", b"\xff\xfe{\x00\x00\xd8") == (
        "map.json: starts as UTF-16 text but is not valid UTF-16 (at byte 4) (save the file as UTF-8)")


# --------------------------------------------------------------------------
# input files that cannot be read, or are no files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_nobody_writes_to_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "map.json")
    result = cli("import", str(tmp_path / "map.json"), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"policyx: {tmp_path / 'map.json'}: is empty")


def test_a_device_is_refused(tmp_path: Path) -> None:
    result = cli("import", "/dev/zero", "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3
    assert result.stderr == ("policyx: /dev/zero: is a device, not a file (give AIF, Argdown or Kialo files, or a"
                             " folder of them)\n")


def test_an_unreadable_file_or_folder_is_status_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "map.json").write_text(aif({"nodeID": "1", "text": "A", "type": "I"}), encoding="utf-8")

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)  # as an unprivileged user meets a file mode 000 (root reads it anyway)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # (what a command line parser would ask)
    monkeypatch.setattr(Path, "iterdir", denied)
    result = cli("import", str(tmp_path / "map.json"), "-o", str(tmp_path / "kb.yaml"))
    assert (result.exit_code, result.stderr) == (
        3, f"policyx: {tmp_path / 'map.json'}: permission denied (make the file readable)\n")
    result = cli("import", str(tmp_path / "maps"), "-o", str(tmp_path / "kb.yaml"))
    assert (result.exit_code, result.stderr) == (
        3, f"policyx: {tmp_path / 'maps'}: is a folder that cannot be listed: Permission denied"
        " (make the folder readable)\n")


# --------------------------------------------------------------------------
# linear readers: sizes at which a quadratic reader would run for minutes (the issue's
# figures: 200,000 '[' took over 2 minutes, 50,000 open comments 118 s), and the work counted
# where it can be; the times are in benchmarks/hostile_readers.py


def test_argdown_200000_open_brackets_are_read_as_text() -> None:
    data = parse("[A]: " + "[" * 200_000)
    (member,) = data["statements"]["A"]["members"]
    assert member["text"] == "[" * 200_000


def test_argdown_50000_comments_never_closed_are_text() -> None:
    data = parse("[A]: x /* " * 50_000 + "\n<!-- closed -->[B]: y <!-- never closed")
    assert data["statements"]["A"]["members"][0]["text"].count("[A]: x /") == 49_999
    assert data["statements"]["B"]["members"][0]["text"] == "y <!-- never closed"


@pytest.mark.parametrize("unit", ["[a](", "#(", "[a](b [", "#(a #"])
def test_argdown_links_and_tags_never_closed_are_text(unit: str) -> None:
    (member,) = parse("[A]: " + unit * 100_000 + " end")["statements"]["A"]["members"]
    assert member["text"].endswith(" end") and member["tags"] == []


def test_argdown_comments_links_tags_and_data_still_read_as_before() -> None:
    (member,) = parse("[A]: a [b](http://x) /* c */ d #(e f) <!-- g\n -->h {x: 1}")["statements"]["A"]["members"]
    assert (member["text"], member["tags"]) == ("a b  d #(e f) h", ["e f"])
    spaced = parse("[A]: a" + " " * 300_000 + "b {x: 1}")["statements"]["A"]["members"][0]["text"]
    assert spaced.split() == ["a", "b"]  # the {data} is gone, after 300,000 spaces


def test_argdown_tags_of_many_members_of_one_statement_are_gathered_once() -> None:
    data = parse("".join(f"[A]: claim #t{i % 1000}\n" for i in range(30_000)))
    assert data["statements"]["A"]["tags"] == [f"t{i}" for i in range(1000)]


class CountingSet(set[str]):
    lookups = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.lookups += 1
        return super().__contains__(item)


def test_ids_of_claims_with_the_same_words_take_one_lookup_each(monkeypatch: pytest.MonkeyPatch) -> None:
    made = IdMaker()
    made.used = CountingSet()
    CountingSet.lookups = 0
    ids = [made.make("The very same reason", "claim") for _ in range(5_000)]
    assert ids[:3] == ["the-very-same-reason", "the-very-same-reason-2", "the-very-same-reason-3"]
    assert len(set(ids)) == 5_000
    assert CountingSet.lookups <= 2 * 5_000  # was 12.5 million: each id tried every number before it


def test_kialo_siblings_of_the_same_words_take_one_id_lookup_each(monkeypatch: pytest.MonkeyPatch) -> None:
    CountingSet.lookups = 0

    class Counted(IdMaker):
        def __init__(self) -> None:
            super().__init__()
            self.used = CountingSet()

    monkeypatch.setattr(common, "IdMaker", Counted)
    claims = 5_000  # the 100,000 took 78 s; the lookups counted say it is linear at any size
    text = "Discussion Title: T\n\n1. The thesis.\n" + "".join(
        f"1.{i}. {'Pro' if i % 2 else 'Con'}: the very same reason\n" for i in range(1, claims + 1))
    result = import_files([InputFile("k.txt", text.encode("utf-8"))])
    arguments = result.document["arguments"]
    assert len(arguments) == claims and arguments[-1]["id"] == f"the-very-same-reason-{claims}"
    assert CountingSet.lookups <= 3 * claims


# --------------------------------------------------------------------------
# text that reaches other programs: ids, Argdown tags, Mermaid directives


@pytest.mark.parametrize(("text", "made"), [
    ("\x1b[31mevil claim\x1b[0m", "evil-claim"),
    ("\x9b1;31mred alert", "red-alert"),
    ("\x1b]8;;https://x.example/\x07linked\x1b]8;;\x07 words", "linked-words"),
    ("\x1bPq#0;2;0;0;0\x1b\\ sixel picture", "sixel-picture"),
    ("tab\tand\nnewline", "tab-and-newline"),
])
def test_ids_keep_no_fragment_of_an_escape_code(text: str, made: str) -> None:
    result = import_files([InputFile("map.json", aif({"nodeID": "1", "text": text, "type": "I"}).encode("utf-8"))])
    (position,) = result.document["positions"]
    assert position["id"] == made
    assert position["claim"].startswith(text.split("\n")[0][:1])  # the claim itself is the source's words


def test_a_tag_holding_a_parenthesis_survives_an_argdown_round_trip(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("version: 1\nactors:\n  - id: c\n    name: Council\nquestions:\n  - id: q\n    text: Curfew?\n"
                  "positions:\n  - id: p\n    question: q\n    claim: No curfew.\n    held_by: c\n"
                  "    agreement: broad\n    tags: ['odd) tag', 'a (b) c', plain]\n", encoding="utf-8")
    exported = cli("--kb", str(kb), "export", "-f", "argdown")
    assert exported.exit_code == 0, exported.stderr
    assert "#(odd\ufe5a tag)" in exported.stdout
    (tmp_path / "kb.argdown").write_text(exported.stdout, encoding="utf-8")
    back = cli("--kb", str(tmp_path / "kb.argdown"), "list", "positions", "-f", "json",
               env={"POLICYX_ARGDOWN": "builtin"})
    assert back.exit_code == 0, back.stderr
    (position,) = json.loads(back.stdout)
    assert position["tags"] == ["odd) tag", "a (b) c", "plain"]


def test_a_mermaid_directive_in_data_is_no_directive() -> None:
    from policyx.output.diagrams import mermaid_text

    label = mermaid_text("%%{init: {'securityLevel': 'loose'}}%% 50%")
    assert "%" not in label and label.startswith("#37;#37;{init") and label.endswith("50#37;")


def test_a_mermaid_export_holds_no_directive_from_data(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("version: 1\nactors:\n  - id: c\n    name: \"%%{init: {'theme': 'dark'}}%%\"\nquestions:\n"
                  "  - id: q\n    text: \"%%{init: {'theme': 'dark'}}%%\"\npositions:\n  - id: p\n    question: q\n"
                  "    claim: \"%%{init: {'securityLevel': 'loose'}}%% yes\"\n    held_by: c\n    agreement: broad\n",
                  encoding="utf-8")
    exported = cli("--kb", str(kb), "export", "-f", "mermaid")
    assert exported.exit_code == 0, exported.stderr
    assert "%%{" not in exported.stdout and "init" in exported.stdout
    assert all(line.startswith("%% policyx") or "%" not in line for line in exported.stdout.splitlines())


# --------------------------------------------------------------------------
# huge imports: the loader's limits apply before anything is written


def big_map(claims: int) -> str:
    """An AIF map of ``claims`` I-nodes, each but the first supporting the first (through an RA node)."""
    nodes: list[dict[str, object]] = [{"nodeID": "c0", "text": "The main claim", "type": "I"}]
    edges: list[dict[str, object]] = []
    for i in range(1, claims):
        nodes += [{"nodeID": f"c{i}", "text": f"Reason number {i}", "type": "I"},
                  {"nodeID": f"r{i}", "text": "Default Inference", "type": "RA"}]
        edges += [{"edgeID": f"e{i}a", "fromID": f"c{i}", "toID": f"r{i}"},
                  {"edgeID": f"e{i}b", "fromID": f"r{i}", "toID": "c0"}]
    return json.dumps({"nodes": nodes, "edges": edges})


def test_an_import_is_refused_exactly_when_the_loader_would_refuse_it(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = []
    for claims in range(70, 95):  # across the boundary, for the loader's limit as small as a test affords
        monkeypatch.setattr(schema, "MAX_VALUES", 10**9)
        result = import_files([InputFile("map.json", big_map(claims).encode("utf-8"))])
        text = to_yaml(result, ["map.json"])
        monkeypatch.setattr(schema, "MAX_VALUES", 500)
        try:
            load_text(text, "kb.yaml")
        except KnowledgeBaseError:
            loads = False
        else:
            loads = True
        try:
            common.within_limits("map.json", result.document)
        except KnowledgeBaseError:
            refused.append(claims)
            assert not loads, claims
        else:
            assert loads, claims
    assert refused and refused[0] > 70  # both sides of the boundary were tried


def test_a_refused_import_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 500)
    source = tmp_path / "map.json"
    source.write_text(big_map(100), encoding="utf-8")  # 100 claims of 6 values each at least: refused at once
    kb = tmp_path / "kb.yaml"
    result = cli("import", str(source), "-o", str(kb))
    assert result.exit_code == 3 and result.stderr.startswith(f"policyx: {source}: is too large to import")
    assert "at least 600 YAML values, more than the 500 policyx reads (MAX_VALUES); nothing was written" in \
        result.stderr
    assert not kb.exists() and not (tmp_path / "kb-sources").exists()  # nothing at all is written
    assert cli("--kb", str(source), "list").exit_code == 3  # nor read with --kb


def test_the_boundary_is_reached_within_the_sizes_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 500)
    codes = []
    for claims in (40, 140):
        source = tmp_path / f"map{claims}.json"
        source.write_text(big_map(claims), encoding="utf-8")
        codes.append(cli("import", str(source), "-o", str(tmp_path / f"kb{claims}.yaml")).exit_code)
    assert codes == [0, 3]


def test_a_knowledge_base_file_larger_than_the_loader_reads_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 4_000)
    source = tmp_path / "map.json"
    source.write_text(big_map(60), encoding="utf-8")
    result = cli("import", str(source), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3 and " bytes, more than the 0 MiB policyx reads (MAX_FILE_BYTES)" in result.stderr
    assert not (tmp_path / "kb.yaml").exists() and not (tmp_path / "kb-sources").exists()


def test_values_are_counted_as_the_loader_counts_them() -> None:
    document = {"version": 1, "positions": [{"id": "p", "tags": ["a", "b"]}]}
    # mapping, 1, list, mapping, "p", list, "a", "b" (keys are not counted, as the loader counts)
    assert common.count_values(document, 1_000) == 8
    assert common.count_values([[]] * 100, 10) == 11  # stops once past the limit


def test_a_map_of_too_many_claims_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_VALUES", 500)
    read: list[int] = []
    monkeypatch.setattr(aif_module, "read_map", lambda *args, **kwargs: read.append(1))
    assert failure("map.json", big_map(126)) == (
        "map.json: is too large to import: its 126 claims (I-nodes with text) would make a knowledge base of at least"
        " 756 YAML values, more than the 500 policyx reads (MAX_VALUES); nothing was written (split the map into"
        " several files and import them as a library, one knowledge base per file (policyx import FOLDER"
        " -o FOLDER-kb/), or import a part of the map)")
    assert read == []  # no node of it was built
