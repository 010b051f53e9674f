"""What every importer shares: ids, detection of the format, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyx.importers import detect, is_foreign
from policyx.importers.common import IdMaker, Tally, kebab
from policyx.kb.load import bundled_path
from tests.clirun import run_cli as cli
from tests.importing import FIXTURES

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "made"), [
    ("Sixteen-year-olds should get the vote", "sixteen-year-olds-should-get"),
    ("Teachers can already confiscate a phone", "teachers-can-already-confiscate"),  # not "...-a"
    ("Don't ban the car", "dont-ban-the-car"),
    ("Égalité des chances à l'école", "egalite-des-chances-a-lecole"),
    ("  --  Spaces, *marks* & [brackets]!  ", "spaces-marks-brackets"),
    ("Antidisestablishmentarianismusweltanschauungsverein is long", "antidisestablishmentarianismusweltanscha"),
    ("Налоги надо снизить", ""),
    ("The", "the"),
])
def test_ids_are_kebab_case_from_the_first_words(text: str, made: str) -> None:
    assert kebab(text) == made


def test_ids_are_unique_and_fall_back_when_the_text_has_no_latin_letters() -> None:
    ids = IdMaker()
    made = [ids.make("Cars are loud", "claim 1"), ids.make("Cars are loud!", "claim 2"),
            ids.make("Налоги", "claim 12"), ids.make("", "")]
    assert made == ["cars-are-loud", "cars-are-loud-2", "claim-12", "entry"]


def test_a_tally_says_what_was_read_what_it_became_and_what_was_left_out() -> None:
    tally = Tally("AIF I-nodes", read=3)
    tally.add("positions")
    tally.add("claims of arguments", 2)
    tally.leave("empty and unlinked", 0)  # nothing of it: not shown
    assert tally.line() == "AIF I-nodes: 3 read -> positions: 1, claims of arguments: 2"
    tally.leave("with no text")
    assert tally.line().endswith("; left out: with no text: 1")


@pytest.mark.parametrize(("name", "kind"), [
    ("voting-age-dialogue.json", "aif"), ("ova-cycle-lanes.json", "aif"), ("debate.argdown.json", "argdown-json"),
    ("debate.argdown", "argdown"), ("phones-in-school.txt", "kialo"), ("kialo-variations.txt", "kialo"),
    ("nodesets/README.txt", None),
])
def test_the_format_is_told_from_the_content(name: str, kind: str | None) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect(text, "no-telling-suffix") == kind or (kind == "argdown" and detect(text, name) == kind)


def test_policyx_knowledge_bases_are_never_taken_for_foreign_files(tmp_path: Path) -> None:
    for path in (bundled_path(), REPO / "docs" / "examples" / "uniforms" / "debate.yaml"):
        assert not is_foreign(path.read_text(encoding="utf-8"), path.name)
    exported = tmp_path / "kb.json"
    assert cli("export", "-f", "json", "-o", str(exported)).exit_code == 0
    assert not is_foreign(exported.read_text(encoding="utf-8"), exported.name)  # JSON is YAML: --kb reads it
    assert cli("--kb", str(exported), "list", "questions", "-f", "ids").stdout.splitlines()[0] == \
        "trafficking-bifurcation"
