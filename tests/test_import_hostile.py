"""Hostile input to the importers (and to --kb of a foreign file): huge numbers, values that are
no text, other encodings, files that are no files, inputs built to make a reader quadratic,
huge maps, and text that holds escape codes or another program's syntax. Each is a located
error (status 3) or data kept as data; never a crash, a hang or Python's repr."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policyx.importers import InputFile, import_files
from policyx.kb.errors import KnowledgeBaseError
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
    monkeypatch.setattr(Path, "iterdir", denied)
    result = cli("import", str(tmp_path / "map.json"), "-o", str(tmp_path / "kb.yaml"))
    assert (result.exit_code, result.stderr) == (
        3, f"policyx: {tmp_path / 'map.json'}: permission denied (make the file readable)\n")
    result = cli("import", str(tmp_path / "maps"), "-o", str(tmp_path / "kb.yaml"))
    assert (result.exit_code, result.stderr) == (
        3, f"policyx: {tmp_path / 'maps'}: is a folder that cannot be listed: Permission denied"
        " (make the folder readable)\n")
