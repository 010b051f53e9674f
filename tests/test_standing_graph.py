"""``policyx standing`` on a version-2 debate (cycles, floating defeat, an undercut), and the
Dung-style examples of Carneades 4, rebuilt here as small frameworks of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyx.kb.load import load
from policyx.kb.semantics import IN, OUT, UNDECIDED, Framework, extensions, grounded
from policyx.views.framework import framework_of, standing_of

from .clirun import run_cli

TOWN = Path(__file__).parent.parent / "docs" / "examples" / "town" / "debate.yaml"


def _labels(semantics: str) -> dict[str, str]:
    result = run_cli("--kb", str(TOWN), "standing", "--semantics", semantics, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {r["id"]: r["label"] for r in json.loads(result.stdout)}


def test_the_page_colours_every_grounded_label_and_writes_its_word() -> None:
    """The classroom page: green in, red out, amber undecided (as Carneades draws them), each with
    its word, never colour alone."""
    page = run_cli("--kb", str(TOWN), "export", "-f", "html", "--standing").stdout
    style = page.split("<style")[1].split("</style>")[0]
    colours = {label: style.split(f".standing-{label} strong {{ color: var(--")[1].split(")")[0]
               for label in ("in", "out", "undecided")}
    assert colours == {"in": "for", "out": "against", "undecided": "undecided"}
    assert "--undecided: #" in style
    assert ('<p class="standing standing-undecided"><span class="derived-label">derived</span> standing'
            ' (grounded semantics): <strong>undecided</strong></p>') in page


def test_the_framework_reads_every_attack_of_the_graph() -> None:
    framework, kinds = framework_of(load(str(TOWN)))
    assert kinds[("empty-because-rare", "empty-buses")] == "undercuts"
    assert kinds[("levy", "fees-pay")] == kinds[("fees-pay", "levy")] == "rebuts"
    assert ("trade", "deliveries") in kinds and ("trade", "ban") in kinds
    assert len(framework.attacks()) == 14  # 4 in the odd cycle, 3 + 5 in the even ones, 2 at the buses


def test_grounded_leaves_the_cycles_undecided_and_reinstates_through_the_undercut() -> None:
    assert _labels("grounded") == {
        "ban": "undecided", "trade": "undecided", "noise": "undecided", "deliveries": "undecided",
        "no-ban": "undecided", "air": "undecided", "filters": "undecided",
        "free-parking": "undecided", "cost": "undecided", "fees-pay": "undecided", "levy": "undecided",
        "more-buses": "in", "empty-buses": "out", "empty-because-rare": "in",
    }


def test_preferred_separates_the_odd_cycle_the_even_one_and_floating_defeat() -> None:
    labels = _labels("preferred")
    assert {labels[i] for i in ("ban", "trade", "noise", "deliveries")} == {"rejected"}  # odd cycle
    assert {labels[i] for i in ("no-ban", "air", "filters")} == {"credulous"}  # even cycle
    assert (labels["free-parking"], labels["cost"]) == ("skeptical", "rejected")  # floating defeat
    assert labels["more-buses"] == "skeptical"


def test_stable_says_there_is_no_stable_extension() -> None:
    result = run_cli("--kb", str(TOWN), "standing", "--semantics", "stable", "-f", "json")
    assert result.exit_code == 0
    assert "the debate has no stable extension, so every entry is rejected" in result.stderr
    records = json.loads(result.stdout)
    assert {r["label"] for r in records} == {"rejected"}
    assert "no choice among ban, trade, noise, deliveries" in records[0]["why"]


def test_why_names_the_cycle_that_leaves_it_undecided() -> None:
    result = run_cli("--kb", str(TOWN), "standing", "ban", "--why", "-f", "json")
    rows = json.loads(result.stdout)
    assert rows[0]["why"] == ("derived (grounded semantics): attacked by trade, undecided; an odd cycle of attacks"
                              " (deliveries -> noise -> trade -> deliveries) that nothing settles")
    assert [(r["id"], r["relation"]) for r in rows] == [
        ("ban", "this"), ("trade", "attacks it (rebuts)"), ("deliveries", "in the cycle"), ("noise", "in the cycle")]


def test_why_names_the_undercut() -> None:
    rows = json.loads(run_cli("--kb", str(TOWN), "standing", "empty-buses", "--why", "-f", "json").stdout)
    assert rows[0]["why"] == "derived (grounded semantics): attacked by empty-because-rare (undercuts), which is in"
    assert rows[1]["relation"] == "attacks it (undercuts)"


def test_the_verdict_per_question() -> None:
    listing = run_cli("--kb", str(TOWN), "standing", "--semantics", "preferred", "-f", "json")
    assert listing.exit_code == 0
    from policyx.views.standing import standing_listing

    groups = standing_listing(load(str(TOWN)), "preferred").groups
    assert groups["ban-cars"].endswith("(derived: 0 of 2 positions stand in every preferred extension;"
                                       " 1 in some; 1 in none)")
    assert groups["parking"].endswith("(derived: 1 of 1 position stands in every preferred extension)")


def test_list_and_show_carry_the_label() -> None:
    listed = run_cli("--kb", str(TOWN), "list", "arguments", "--standing", "out", "-f", "ids")
    assert listed.stdout.split() == ["empty-buses"]
    credulous = run_cli("--kb", str(TOWN), "list", "--standing", "credulous", "-f", "ids")
    assert credulous.stdout.split() == ["no-ban"]
    shown = json.loads(run_cli("--kb", str(TOWN), "show", "ban", "-f", "json").stdout)
    assert shown[0]["standing"] == "undecided" and shown[0]["why"].startswith("standing derived")


def test_standing_of_matches_the_semantics_module() -> None:
    kb = load(str(TOWN))
    framework, _ = framework_of(kb)
    assert list(standing_of(kb).labels.values()) == grounded(framework)


# The Dung-style examples of Carneades 4 (its examples folder), rebuilt as frameworks. Carneades
# labels statements; a statement is in when it is an assumption nothing defeats or the conclusion
# of an argument that is in, out otherwise. An argument whose premises are neither assumed nor
# concluded by any argument cannot be built (structured argumentation, as in ASPIC+): it is left
# out of the framework. An undercutter's argument attacks the argument it undercuts.

CARNEADES = {
    # dung-reinstatement: Dung's own {a, b, c} with b attacking a and c attacking b, written as
    # undercutters (statement ua: "a does not apply", concluded by b; ub concluded by c)
    "dung-reinstatement": (["a", "b", "c"], [("b", "a"), ("c", "b")], {"a": "p", "b": "ua", "c": "ub"},
                           {"in": {"p", "ub"}, "out": {"ua", "uc"}}, {"p", "ua", "ub", "uc"}, set()),
    # tweety: a1 (bird, birds fly -> flies) undercut by a4 (ill -> a1 does not apply); a2 and a3
    # rest on penguin and ostrich, never assumed nor concluded, so cannot be built
    "tweety": (["a1", "a4"], [("a4", "a1")], {"a1": "flies", "a4": "not-app-a1"},
               {"in": {"bird", "ill", "not-app-a1", "birdsFly"}, "out": {"penguin", "ostrich", "not-flies", "flies"}},
               {"flies", "not-flies", "bird", "birdsFly", "penguin", "ostrich", "ill", "not-app-a1"},
               {"bird", "birdsFly", "ill"}),
    # toulmin: a3 (assumed) concludes that Harry is no longer British, which a1.2 turns into the
    # undercutter of a1 (born in Bermuda, so British); a2 concludes a1's warrant from its backing
    "toulmin": (["a1", "a1.2", "a2", "a3"], [("a1.2", "a1")],
                {"a1": "s11521", "a1.2": "not-app-a1", "a2": "s11519", "a3": "s11518"},
                {"in": {"s11520", "s11519", "s11518", "s11517", "s11516", "s11515", "not-app-a1"}, "out": {"s11521"}},
                {"s11520", "s11519", "s11518", "s11517", "s11516", "s11515", "not-app-a1", "s11521"},
                {"s11520", "s11517", "s11516", "s11515"}),
    # unsupported: one statement, no argument, not assumed
    "unsupported": ([], [], {}, {"out": {"p"}}, {"p"}, set()),
}


@pytest.mark.parametrize("name", list(CARNEADES))
def test_carneades_dung_examples(name: str) -> None:
    arguments, attacks, conclusion, expected, statements, assumptions = CARNEADES[name]
    framework = Framework(arguments, attacks)
    labels = dict(zip(arguments, grounded(framework), strict=True))
    accepted = set(assumptions) | {conclusion[a] for a in arguments if labels[a] == IN}
    assert accepted == expected.get("in", set())
    assert statements - accepted == expected.get("out", set())
    # on these the semantics agree: one preferred extension, the grounded one, and it is stable
    for semantics in ("preferred", "stable"):
        found = extensions(framework, semantics)
        assert found.count == 1
        assert [lab == "skeptical" for lab in found.labels] == [labels[a] == IN for a in arguments]


def test_carneades_loops_do_not_fit_dung() -> None:
    """even-loop and support-loop (a1: p -> q, a2: q -> p, nothing assumed) are undecided in
    Carneades; with no attack between them a Dung framework has nothing to say: built from their
    premises neither argument exists, and taken as given both are in. So they are left out."""
    framework = Framework(["a1", "a2"], [])
    assert grounded(framework) == [IN, IN]  # not Carneades' undecided
    assert OUT not in grounded(framework) and UNDECIDED not in grounded(framework)


def test_a_search_too_long_says_what_the_command_in_use_can_try(monkeypatch: pytest.MonkeyPatch) -> None:
    # list has no --semantics nor --time-limit: its advice names what it has, and standing's command
    from policyx.kb.semantics import TooHard
    from policyx.views import framework

    def too_hard(kb: object, semantics: str = "grounded", seconds: float = 5.0) -> object:
        raise TooHard(semantics, 5.0, 320, 0)

    monkeypatch.setattr(framework, "standing_of", too_hard)
    town = str(TOWN)
    listed = run_cli("--kb", town, "list", "arguments", "--standing", "skeptical")
    assert listed.exit_code == 1 and "did not finish within 5 s" in listed.stderr
    assert f"policyx --kb {town} standing --semantics preferred --time-limit 60" in listed.stderr
    assert "--standing in, out or undecided" in listed.stderr and "a longer --time-limit" not in listed.stderr
    monkeypatch.setattr("policyx.views.standing.standing_of", too_hard)
    stood = run_cli("--kb", town, "standing", "--semantics", "preferred")
    assert stood.exit_code == 1 and "try --semantics grounded (always fast), a longer --time-limit" in stood.stderr
