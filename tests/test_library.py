"""A library of debates: several knowledge bases read together.

Folders (recursive, with what is skipped and why), repeated --kb, POLICYX_KB
with several paths, config.toml, short names, ids shared by several knowledge
bases (NAME:id), the ``kb`` field, ``list kbs``, and every read command across
the library.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from policyx.cli.selection import select
from policyx.kb.errors import UsageError
from policyx.kb.libfolders import expand
from policyx.kb.libopen import open_library
from policyx.kb.library import Library, Member, member_names, merge
from policyx.kb.load import bundled_path, load_text
from policyx.kb.model import Kind
from policyx.views.lookup import get_entry
from tests.clirun import Outcome, run_cli

HEARING_1 = """\
version: 1
title: First hearing
sources:
  - id: minutes
    title: Minutes of the first hearing
    file: sources/first.txt
actors:
  - id: council
    name: The council
questions:
  - id: curfew
    text: Should the city have a curfew for minors?
positions:
  - id: no-curfew
    question: curfew
    claim: There should be no curfew.
    held_by: council
    agreement: broad
    quote: no curfew
    source: minutes
arguments:
  - id: rights
    claim: A curfew restricts the rights of minors.
    for: no-curfew
    by: council
    tags: [rights]
"""

HEARING_2 = """\
version: 1
title: Second hearing
actors:
  - id: council
    name: The council, a year later
  - id: police
    name: The police
questions:
  - id: patrols
    text: Should the police patrol at night?
positions:
  - id: more-patrols
    question: patrols
    claim: There should be more patrols at night.
    held_by: police
    agreement: individual
arguments:
  - id: rights
    claim: Patrols restrict the rights of minors less than a curfew.
    for: more-patrols
    by: council
    tags: [rights]
  - id: cost
    claim: Patrols cost money.
    against: more-patrols
    by: council
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder: two hearings (one in a subfolder), a source text, a note, a hidden folder."""
    root = tmp_path / "hearings"
    (root / "sources").mkdir(parents=True)
    (root / "2025").mkdir()
    (root / ".git").mkdir()
    (root / "hearing-1.yaml").write_text(HEARING_1, encoding="utf-8")
    (root / "2025" / "hearing-2.yml").write_text(HEARING_2, encoding="utf-8")
    (root / "sources" / "first.txt").write_text("The council wants no curfew.\n", encoding="utf-8")
    (root / "notes.md").write_text("to do\n", encoding="utf-8")
    (root / ".git" / "config.yaml").write_text("not: a knowledge base\n", encoding="utf-8")
    return root


#: what a library's folder may hold
READ = ".yaml, .yml, .json, .argdown, .ad, .txt, .xml"


def cli(*args: str, env: dict[str, str | None] | None = None) -> Outcome:
    return run_cli(*args, env=env)


def ids(result: Outcome) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


# --------------------------------------------------------------------------
# which files: folders, --kb repeated, POLICYX_KB, config.toml


def test_a_folder_is_read_recursively_in_sorted_order(library: Path) -> None:
    files, skipped = expand([library])
    assert files == [library / "2025" / "hearing-2.yml", library / "hearing-1.yaml"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("notes.md", "not a .yaml or .yml file"), ("first.txt", "not a .yaml or .yml file"),
    ]


def test_hidden_files_and_folders_are_not_looked_in(library: Path) -> None:
    files, skipped = expand([library])
    assert all(".git" not in str(p) for p in [*files, *(Path(s.path) for s in skipped)])


def test_links_to_folders_are_not_followed_and_said_so(library: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "stray.yaml").write_text("version: 1\n", encoding="utf-8")
    (library / "self").symlink_to(".")  # a loop: "too many levels of symbolic links" once followed
    (library / "2025" / "up").symlink_to("..")
    (library / "out").symlink_to(outside)
    (library / "again").symlink_to("2025")
    (library / "nowhere.yaml").symlink_to("nowhere.yaml")  # a link to itself
    first = cli("--kb", str(library), "list", "questions", "-f", "ids")
    assert ids(first) == ["patrols", "curfew"]
    again = cli("--kb", str(library), "list", "questions", "-f", "ids")
    assert ids(again) == ["patrols", "curfew"] and again.stderr == ""  # said once; then list kbs' and info's
    result = cli("--kb", str(library), "list", "kbs", "-f", "ids")
    assert first.stderr.splitlines() == [line for line in result.stderr.splitlines() if "first.txt" not in line] == [
        f"policyx: note: skipped {library / '2025' / 'up'} (a link to a folder it is in (a loop): not followed)",
        f"policyx: note: skipped {library / 'again'} (a link to another folder of the library: not followed,"
        " its files are read there)",
        f"policyx: note: skipped {library / 'notes.md'} (not a file of a format policyx reads ({READ}))",
        f"policyx: note: skipped {library / 'nowhere.yaml'} (a link that leads nowhere"
        " (Too many levels of symbolic links))",
        f"policyx: note: skipped {library / 'out'} (a link to a folder outside the library: not followed)",
        f"policyx: note: skipped {library / 'self'} (a link to a folder it is in (a loop): not followed)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_a_library_is_skipped_with_a_note(library: Path) -> None:
    os.mkfifo(library / "pipe.yaml")  # nobody writes to it: reading it would wait for ever
    result = cli("--kb", str(library), "list", "questions", "-f", "ids")
    assert ids(result) == ["patrols", "curfew"]
    result = cli("--kb", str(library), "info")
    assert f"policyx: note: skipped {library / 'pipe.yaml'} (not a regular file but a pipe, a device or a socket:" \
        " not read)" in result.stderr.splitlines()


def test_a_library_says_which_files_it_skipped_and_why(library: Path) -> None:
    result = cli("--kb", str(library), "list", "questions", "-f", "ids")
    assert ids(result) == ["patrols", "curfew"]
    notes = [
        f"policyx: note: skipped {library / 'notes.md'} (not a file of a format policyx reads ({READ}))",
        f"policyx: note: skipped {library / 'sources' / 'first.txt'} (the text of source 'minutes' of hearing-1)",
    ]
    # a stray is said once, by the run that finds it (a member's source text is no news);
    # then `list kbs` and `info` list them all, and other commands keep quiet
    assert result.stderr.splitlines() == notes[:1]
    again = cli("--kb", str(library), "list", "questions", "-f", "ids")
    assert ids(again) == ["patrols", "curfew"] and again.stderr == ""
    assert cli("--kb", str(library), "list", "kbs", "-f", "ids").stderr.splitlines() == notes
    info = cli("--kb", str(library), "info")
    assert info.exit_code == 0 and info.stderr.splitlines() == notes


def test_kb_may_be_repeated_before_and_after_the_command(library: Path) -> None:
    one, two = library / "hearing-1.yaml", library / "2025" / "hearing-2.yml"
    assert ids(cli("--kb", str(one), "list", "questions", "--kb", str(two), "-f", "ids")) == ["curfew", "patrols"]
    assert ids(cli("--kb", str(two), "--kb", str(one), "list", "questions", "-f", "ids")) == ["patrols", "curfew"]


def test_the_same_file_twice_is_read_once(library: Path) -> None:
    one = library / "hearing-1.yaml"
    listed = json.loads(cli("--kb", str(one), "--kb", str(library), "list", "kbs", "-f", "json").stdout)
    assert [k["name"] for k in listed] == ["hearing-1", "hearing-2"]


def test_policyx_kb_holds_several_paths(library: Path) -> None:
    value = os.pathsep.join([str(library / "hearing-1.yaml"), "", str(library / "2025")])
    assert ids(cli("list", "questions", "-f", "ids", env={"POLICYX_KB": value})) == ["curfew", "patrols"]


def test_kb_wins_over_policyx_kb(library: Path) -> None:
    result = cli("--kb", str(library / "hearing-1.yaml"), "list", "questions", "-f", "ids",
                 env={"POLICYX_KB": str(library)})
    assert ids(result) == ["curfew"]


def _config(tmp_path: Path, text: str) -> dict[str, str | None]:
    home = tmp_path / "config-home"
    (home / "policyx").mkdir(parents=True, exist_ok=True)
    (home / "policyx" / "config.toml").write_text(text, encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(home)}


def test_config_toml_names_the_default_library(tmp_path: Path, library: Path) -> None:
    env = _config(tmp_path, f'library = ["{library / "hearing-1.yaml"}", "{library / "2025"}"]\n')
    assert ids(cli("list", "questions", "-f", "ids", env=env)) == ["curfew", "patrols"]
    # POLICYX_KB and --kb win over it
    assert ids(cli("list", "questions", "-f", "ids", env={**env, "POLICYX_KB": str(bundled_path())}))[0] == \
        "trafficking-bifurcation"


def test_config_paths_are_relative_to_its_folder_and_may_start_with_a_tilde(tmp_path: Path, library: Path) -> None:
    env = _config(tmp_path, 'library = "../../hearings/2025"\n')
    assert ids(cli("list", "questions", "-f", "ids", env=env)) == ["patrols"]
    env = {**_config(tmp_path, 'library = "~/hearings/hearing-1.yaml"\n'), "HOME": str(tmp_path)}
    assert select((), env).paths == (tmp_path / "hearings" / "hearing-1.yaml",)
    assert select((), env).library is False  # one file: not a library


def test_a_library_config_toml_names_that_is_missing_is_said_to_come_from_it(tmp_path: Path) -> None:
    env = _config(tmp_path, 'library = ["gone"]\n')
    result = cli("stats", env=env)
    config = tmp_path / "config-home" / "policyx" / "config.toml"
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith(f"policyx: {config.parent / 'gone'}: no such file"), result.stderr
    assert f"named by 'library' in {config}" in result.stderr and "POLICYX_KB" not in result.stderr


def test_without_a_config_file_the_bundled_knowledge_base(tmp_path: Path) -> None:
    chosen = select((), {"XDG_CONFIG_HOME": str(tmp_path / "none")})
    assert (chosen.paths, chosen.library, chosen.origin) == ((bundled_path(),), False, "bundled")


@pytest.mark.parametrize(("text", "message"), [
    ("library = [", "is not valid TOML: "),
    ("library = " + "[" * 10_000, "is not valid TOML: its arrays or tables are nested too deeply"),
    ('library = "hearings\\u0000x"\n', "'library' holds a path with a NUL character"),
    ('library = ["a", "b\\u0000"]\n', "'library' holds a path with a NUL character"),
    ("# " + "x" * 70_000 + "\n", "is larger than 64 KB, so it is not read"),
    ("libary = 'x'\n", "unknown key 'libary' (did you mean 'library'?); the keys are: library"),
    ("library = 3\n", "'library' must be a path or a list of paths"),
    ("library = []\n", "'library' must be a path or a list of paths"),
])
def test_a_mistake_in_config_toml_is_a_usage_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    env = _config(tmp_path, text)
    result = cli("list", "questions", env=env)
    assert result.exit_code == 2 and result.stdout == ""
    config = tmp_path / "config-home" / "policyx" / "config.toml"
    assert result.stderr.startswith(f"policyx: {config}: {message}")
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------
# names and shared ids


def test_short_names_are_stems_and_folders_tell_equal_stems_apart(tmp_path: Path) -> None:
    paths = [tmp_path / "2024" / "hearing.yaml", tmp_path / "2025" / "hearing.yaml", tmp_path / "other.yml"]
    assert member_names(paths) == ["2024/hearing", "2025/hearing", "other"]


def test_files_of_one_folder_that_differ_in_their_suffix_are_told_apart_by_it(tmp_path: Path) -> None:
    paths = [tmp_path / "nodeset1.json", tmp_path / "nodeset1.txt", tmp_path / "nodeset2.json",
             tmp_path / "a" / "nodeset2.json"]
    assert member_names(paths) == ["nodeset1.json", "nodeset1.txt", tmp_path.name + "/nodeset2", "a/nodeset2"]


def _library(*texts: tuple[str, str]) -> Library:
    return merge([Member(name, f"{name}.yaml", load_text(text, f"{name}.yaml")) for name, text in texts])


def test_ids_used_by_one_knowledge_base_stay_plain_shared_ones_are_qualified() -> None:
    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    assert [a.id for a in lib.arguments] == ["hearing-1:rights", "hearing-2:rights", "cost"]
    assert [a.id for a in lib.actors] == ["hearing-1:council", "hearing-2:council", "police"]
    # references inside a member follow its qualified ids
    assert lib.get("cost").by == "hearing-2:council"  # type: ignore[union-attr]
    assert lib.get("no-curfew").held_by == ("hearing-1:council",)  # type: ignore[union-attr]
    assert lib.qualified("rights") == ("hearing-1:rights", "hearing-2:rights")
    assert (lib.kb_of("cost"), lib.kb_of("hearing-1:rights"), lib.kb_of("curfew")) == ("hearing-2", "hearing-1",
                                                                                       "hearing-1")


def test_kbs_of_names_every_id_as_kb_of_does() -> None:
    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    asked: list[str | None] = [e.id for e in lib.entries()] + ["rights", "hearing-2:rights", "nothing", None]
    named = lib.kbs_of(asked)
    assert named == [None if i is None else lib.kb_of(i) for i in asked]
    assert named[-4:] == [None, "hearing-2", None, None] and "hearing-1" in named and "hearing-2" in named


@pytest.mark.parametrize("indexed", [True, False])
def test_kbs_of_a_listing_of_one_collection_names_it_from_that_collection_alone(indexed: bool) -> None:
    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    if indexed:  # (a search makes it first)
        assert lib.ids
    assert lib._has_index("_by_id") is indexed
    listed = [kind for kind in Kind if lib.collection(kind)]
    for kind in listed:
        asked = [e.id for e in lib.collection(kind)][::-1]  # (any order)
        assert lib.kbs_of(asked) == [lib.kb_of(i) for i in asked]
    assert len(listed) >= 4 and not lib._named  # each answered by its collection's names alone
    # first, middle and last of one collection, another's among them; an id of none; None
    arguments = [a.id for a in lib.arguments]
    for mixed in ([arguments[0], "police", arguments[1], arguments[2], arguments[2]],
                  [*arguments, "nothing"], [*arguments, None]):
        assert lib.kbs_of(mixed) == [None if i is None else lib.kb_of(i) for i in mixed]
    assert lib.kbs_of(["police"]) == ["hearing-2"] and lib.kbs_of(["cost", "nothing"]) == ["hearing-2", None]


def test_with_kb_names_names_the_records_whose_id_is_an_entry_s() -> None:
    """Every record gets ``kb``, last: an entry's knowledge base where its id is an entry's
    (a text), null where it has no id, names nothing, or is no text at all."""
    from policyx.views.library import with_kb_names
    from policyx.views.listing import Listing

    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    for odd in ("nothing", 7, ["cost"]):
        records: list[dict[str, object]] = [{"id": "cost"}, {"id": "hearing-1:rights", "x": 1}, {"x": 2},
                                            {"id": None}, {"id": odd}]
        named = with_kb_names(Listing(records, ("id",)), lib)
        assert [r.get("kb", "missing") for r in named.records] == ["hearing-2", "hearing-1", None, None, None]
        assert all(list(r)[-1] == "kb" for r in named.records) and named.columns == ("id", "kb")


def test_name_colon_id_always_works() -> None:
    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    assert get_entry(lib, "hearing-2:cost").id == "cost"  # unique: the plain id, through its name
    assert get_entry(lib, "hearing-1:rights").id == "hearing-1:rights"
    assert lib.get("hearing-1:cost") is None  # not hearing-1's


def test_a_shared_plain_id_is_a_usage_error_listing_the_qualified_ids() -> None:
    lib = _library(("hearing-1", HEARING_1), ("hearing-2", HEARING_2))
    with pytest.raises(UsageError) as caught:
        get_entry(lib, "rights")
    assert caught.value.message == ("'rights' is an id in several knowledge bases: say which"
                                    " (did you mean 'hearing-1:rights' or 'hearing-2:rights'?)")


def test_show_of_a_shared_id_on_the_command_line(library: Path) -> None:
    result = cli("--kb", str(library), "show", "rights")
    assert result.exit_code == 2 and result.stdout == ""
    assert "did you mean 'hearing-2:rights' or 'hearing-1:rights'?" in result.stderr
    shown = cli("--kb", str(library), "show", "hearing-1:rights", "-f", "json")
    assert json.loads(shown.stdout)[0]["id"] == "hearing-1:rights"
    unknown = cli("--kb", str(library), "show", "hearing-1:cots")
    assert unknown.exit_code == 1 and "no entry 'hearing-1:cots'" in unknown.stderr


def test_listings_print_qualified_ids_where_shared(library: Path) -> None:
    assert ids(cli("--kb", str(library), "list", "arguments", "-f", "ids")) == [
        "hearing-2:rights", "cost", "hearing-1:rights"]
    assert ids(cli("--kb", str(library), "list", "arguments", "--tag", "rights", "--by", "hearing-1:council",
                   "-f", "ids")) == ["hearing-1:rights"]


# --------------------------------------------------------------------------
# every format says which knowledge base an entry comes from


def test_json_and_csv_records_carry_the_kb_field(library: Path) -> None:
    records = json.loads(cli("--kb", str(library), "list", "arguments", "-f", "json").stdout)
    assert [(r["id"], r["kb"]) for r in records] == [
        ("hearing-2:rights", "hearing-2"), ("cost", "hearing-2"), ("hearing-1:rights", "hearing-1")]
    rows = list(csv.DictReader(io.StringIO(cli("--kb", str(library), "list", "positions", "-f", "csv").stdout)))
    assert [(r["id"], r["kb"]) for r in rows] == [("more-patrols", "hearing-2"), ("no-curfew", "hearing-1")]


def test_plain_lines_and_tables_end_with_the_kb(library: Path) -> None:
    lines = cli("--kb", str(library), "list", "questions").stdout.splitlines()
    assert lines == ["patrols\tShould the police patrol at night?\t\thearing-2",
                     "curfew\tShould the city have a curfew for minors?\t\thearing-1"]
    table = cli("--kb", str(library), "list", "questions", "-f", "table", env={"COLUMNS": "100"}).stdout.splitlines()
    assert table[0].split() == ["id", "text", "tags", "kb"]
    assert table[2].split()[0] == "patrols" and table[2].split()[-1] == "hearing-2"
    shown = cli("--kb", str(library), "show", "cost", "-f", "table", env={"COLUMNS": "100"}).stdout.splitlines()
    assert "kb        hearing-2" in shown  # the label column is as wide as "standing"


def test_one_knowledge_base_has_no_kb_field(kb_path: Path) -> None:
    records = json.loads(cli("--kb", str(kb_path), "list", "questions", "-f", "json").stdout)
    assert "kb" not in records[0]


def test_show_search_and_compare_say_the_kb(library: Path) -> None:
    shown = json.loads(cli("--kb", str(library), "show", "more-patrols", "-f", "json").stdout)
    assert [(r["id"], r["kb"]) for r in shown] == [("more-patrols", "hearing-2"), ("hearing-2:rights", "hearing-2"),
                                                  ("cost", "hearing-2")]
    found = json.loads(cli("--kb", str(library), "search", "rights", "-f", "json").stdout)
    assert sorted(r["kb"] for r in found) == ["hearing-1", "hearing-2"]
    compared = json.loads(cli("--kb", str(library), "compare", "no-curfew", "more-patrols", "-f", "json").stdout)
    assert [(s["id"], s["kb"], s["question"]["kb"]) for s in compared["sides"]] == [
        ("no-curfew", "hearing-1", "hearing-1"), ("more-patrols", "hearing-2", "hearing-2")]
    assert compared["same_question"] is False
    markdown = cli("--kb", str(library), "compare", "no-curfew", "more-patrols", "-f", "markdown").stdout
    assert "| kb | hearing-1 | hearing-2 |" in markdown.splitlines()
    table = cli("--kb", str(library), "compare", "no-curfew", "more-patrols", "-f", "table",
                env={"COLUMNS": "100"}).stdout
    assert "kb hearing-1" in table and "kb hearing-2" in table


def test_list_kbs_lists_each_with_its_counts(library: Path) -> None:
    listed = json.loads(cli("--kb", str(library), "list", "kbs", "-f", "json").stdout)
    assert listed == [
        {"name": "hearing-2", "path": str(library / "2025" / "hearing-2.yml"), "title": "Second hearing",
         "questions": 1, "positions": 1, "arguments": 2, "actors": 2, "models": 0, "sources": 0},
        {"name": "hearing-1", "path": str(library / "hearing-1.yaml"), "title": "First hearing",
         "questions": 1, "positions": 1, "arguments": 1, "actors": 1, "models": 0, "sources": 1},
    ]
    plain = cli("--kb", str(library), "list", "kbs", "--sort", "name").stdout.splitlines()
    assert plain[0].split("\t")[:4] == ["hearing-1", "1", "1", "1"]


def test_list_kbs_of_one_knowledge_base(kb_path: Path) -> None:
    listed = json.loads(cli("--kb", str(kb_path), "list", "kbs", "-f", "json").stdout)
    assert [(k["name"], k["arguments"]) for k in listed] == [("positions", 23)]


def test_list_kbs_takes_no_filters(library: Path) -> None:
    result = cli("--kb", str(library), "list", "kbs", "--tag", "x")
    assert result.exit_code == 2 and "--tag does not apply to kbs" in result.stderr


# --------------------------------------------------------------------------
# every command across the library


def test_map_export_and_quiz_work_across_the_library(library: Path) -> None:
    outline = cli("--kb", str(library), "map").stdout.splitlines()
    assert [line for line in outline if line.startswith("question")] == [
        "question patrols: Should the police patrol at night? (no outcome recorded; kb: hearing-2)",
        "question curfew: Should the city have a curfew for minors? (no outcome recorded; kb: hearing-1)",
    ]
    handout = cli("--kb", str(library), "export", "-f", "markdown").stdout
    assert "## 1. Should the police patrol at night?\n\nFrom the knowledge base *hearing-2*.\n" in handout
    assert "## 2. Should the city have a curfew for minors?\n\nFrom the knowledge base *hearing-1*.\n" in handout
    rows = list(csv.DictReader(io.StringIO(cli("--kb", str(library), "export", "-f", "csv").stdout)))
    assert [(r["kind"], r["id"], r["kb"]) for r in rows if r["kind"] == "argument"] == [
        ("argument", "hearing-2:rights", "hearing-2"), ("argument", "cost", "hearing-2"),
        ("argument", "hearing-1:rights", "hearing-1")]
    document = json.loads(cli("--kb", str(library), "export", "-f", "json").stdout)
    assert [(q["id"], q["kb"]) for q in document["questions"]] == [("patrols", "hearing-2"), ("curfew", "hearing-1")]
    argdown = cli("--kb", str(library), "export", "-f", "argdown").stdout
    assert "<hearing-1:rights>" in argdown and "<cost>" in argdown
    quiz = run_cli("--kb", str(library), "quiz", "--seed", "2", "-n", "2", input="1\n1\n")
    assert quiz.exit_code == 0 and "2/2." in quiz.stdout


def test_check_checks_each_knowledge_base_of_a_folder(library: Path) -> None:
    result = cli("check", str(library))
    assert result.exit_code == 0, result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("ok")] == ["ok", "ok"]
    reports = json.loads(cli("--kb", str(library), "check", "-f", "json").stdout)
    assert [Path(r["path"]).name for r in reports] == ["hearing-2.yml", "hearing-1.yaml"]


def test_an_invalid_member_is_a_located_error(library: Path) -> None:
    (library / "2025" / "hearing-2.yml").write_text(HEARING_2.replace("by: police", "by: polise"), encoding="utf-8")
    bad = HEARING_2.replace("held_by: police", "held_by: polise")
    (library / "2025" / "hearing-2.yml").write_text(bad, encoding="utf-8")
    result = cli("--kb", str(library), "list")
    assert result.exit_code == 3 and result.stdout == ""
    assert f"{library / '2025' / 'hearing-2.yml'}:" in result.stderr and "'polise'" in result.stderr


@pytest.mark.parametrize("name", ["graph.yml", "graph.yaml"])
def test_a_broken_carneades_file_of_a_folder_is_located_by_its_path(library: Path, name: str) -> None:
    # a file that looks like a Carneades graph (statements:) but is not valid YAML: the message
    # names it as the user can paste it (its folder too), not by its name alone
    (library / "2025" / name).write_text("meta:\n  title: x\nstatements:\n  s1: [\n", encoding="utf-8")
    for given in (str(library), str(library / "2025" / name)):
        result = cli("--kb", given, "stats")
        assert result.exit_code == 3 and result.stdout == ""
        assert result.stderr.startswith(f"policyx: {library / '2025' / name}:5:1: is not valid YAML"), result.stderr


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = cli("--kb", str(tmp_path), "list")
    assert result.exit_code == 3 and "is a folder with no knowledge base in it" in result.stderr


def test_open_library_merges_in_the_given_order(library: Path) -> None:
    lib = open_library(select((str(library / "hearing-1.yaml"), str(library / "2025")), {}).paths)
    assert [m.name for m in lib.members] == ["hearing-1", "hearing-2"]
    assert [q.id for q in lib.questions] == ["curfew", "patrols"]


@pytest.mark.parametrize("texts", [
    (("hearing-1", HEARING_1), ("hearing-2", HEARING_2)),
    (("a", bundled_path().read_text(encoding="utf-8")), ("b", bundled_path().read_text(encoding="utf-8")),
     ("c", HEARING_1)),
    (("only", HEARING_2),),
])
def test_the_merged_indexes_are_those_of_its_entries(texts: tuple[tuple[str, str], ...]) -> None:
    """merge() copies the members' indexes instead of rebuilding them: they must be what a
    knowledge base of the same entries builds itself."""
    from policyx.kb.model import Kind, KnowledgeBase

    lib = _library(*texts)
    plain = KnowledgeBase(path="", version=1, **{k.value: lib.collection(k) for k in Kind})  # type: ignore[arg-type]
    assert dict(lib.ids) == dict(plain.ids)
    assert dict(lib.replies) == dict(plain.replies)
    assert all(lib.get(entry.id) is entry for entry in lib.entries())
    # every reference resolves inside the library, to an entry of the same knowledge base
    for argument in lib.arguments:
        assert lib.kb_of(argument.target) == lib.kb_of(argument.id)
        assert argument.by is None or lib.kb_of(argument.by) == lib.kb_of(argument.id)
    for position in lib.positions:
        assert {lib.kb_of(a) for a in position.held_by} == {lib.kb_of(position.id)}
        assert lib.kb_of(position.question) == lib.kb_of(position.id)


def test_export_never_writes_over_a_file_of_the_library(library: Path, tmp_path: Path) -> None:
    member = library / "2025" / "hearing-2.yml"
    before = member.read_bytes()
    result = cli("--kb", str(library), "export", "-f", "yaml", "-o", str(member))
    assert result.exit_code == 2 and "is the knowledge base being read" in result.stderr
    assert member.read_bytes() == before
    (tmp_path / "out").mkdir()
    written = cli("--kb", str(library), "export", "-f", "json", "-o", str(tmp_path / "out" / "library.json"))
    assert written.exit_code == 0, written.stderr
    # each member's sources are looked for where that member is
    assert "cp " + str(library / "sources" / "first.txt") in written.stderr


def test_quote_searches_the_sources_of_every_knowledge_base(tmp_path: Path) -> None:
    council = bundled_path().parent.parent / "docs" / "examples" / "council"
    found = cli("--kb", str(council), "quote", "change nothing for now", "-f", "json", "-n", "2")
    assert found.exit_code == 0, found.stderr
    assert sorted(Path(p["file"]).name for p in json.loads(found.stdout)) == ["phones.txt", "start.txt"]


def test_check_fix_and_watch_take_one_file(library: Path, tmp_path: Path) -> None:
    result = cli("check", str(library), "--fix", "--dry-run")
    assert result.exit_code == 2 and "--fix and --watch work on one knowledge base" in result.stderr
    (tmp_path / "empty").mkdir()
    empty = cli("check", str(tmp_path / "empty"))
    assert empty.exit_code == 3 and "no knowledge base in it" in empty.stderr


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder"])
def test_a_config_toml_that_is_no_regular_file_is_refused_without_reading_it(tmp_path: Path, kind: str) -> None:
    # a link to /dev/zero would be read for ever (3 GB), a FIFO would block every command
    folder = tmp_path / "config-home" / "policyx"
    folder.mkdir(parents=True)
    config = folder / "config.toml"
    if kind == "dev-zero":
        config.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(config)
    else:
        config.mkdir()
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run([sys.executable, "-m", "policyx", "list", "questions", "-f", "ids"], capture_output=True,
                          text=True, timeout=60, env={**env, "XDG_CONFIG_HOME": str(tmp_path / "config-home")})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"policyx: {config}: is not a regular file (a device, a pipe or a folder)")
    assert "Traceback" not in done.stderr
