"""`policyx list` filters: a repeated filter means any of its values, different filters AND.

Run as a user runs them (tests/clirun.py, the full CLI; tests/test_startup.py runs
the same command lines through the fast path and compares).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase, Stance
from policyx.views.listing import Filters, list_listing
from tests.clirun import Outcome

Cli = Callable[..., Outcome]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


def ids(cli: Cli, *args: str) -> list[str]:
    done = cli("list", *args, "-f", "ids")
    assert done.exit_code == 0, done.stderr
    return done.stdout.split()


# (collection, option, two values): every single-valued filter of `list`
REPEATED = [
    ("arguments", "--type", "empirical", "normative"),
    ("arguments", "--by", "group", "individual-against-johns"),
    ("arguments", "-q", "criminalizing-johns", "trafficking-bifurcation"),
    ("positions", "--question", "criminalizing-johns", "trafficking-bifurcation"),
    ("positions", "--agreement", "broad", "individual"),
    ("arguments", "--for", "end-bifurcation", "decriminalize-sex-work"),
    ("arguments", "--against", "criminalize-johns", "end-bifurcation"),
    ("arguments", "--match", "johns", "underage"),
    ("arguments", "--stance", "for", "against"),
]


@pytest.mark.parametrize(("collection", "option", "one", "two"), REPEATED, ids=[r[1] for r in REPEATED])
def test_a_repeated_filter_keeps_any_of_its_values(cli: Cli, collection: str, option: str, one: str,
                                                   two: str) -> None:
    first, second = ids(cli, collection, option, one), ids(cli, collection, option, two)
    assert first and second and set(first) != set(second)
    both = ids(cli, collection, option, one, option, two)
    order = ids(cli, collection)  # file order, as every listing keeps it
    assert both == [i for i in order if i in set(first) | set(second)]


def test_an_alias_widened_with_its_own_filter_keeps_it(cli: Cli, kb: KnowledgeBase) -> None:
    # alias facts='policyx list arguments --type empirical'; `facts --type normative`
    widened = ids(cli, "arguments", "--type", "empirical", "--type", "normative")
    kinds = {kb.get(i).type.value for i in widened}  # type: ignore[union-attr]
    assert kinds == {"empirical", "normative"}


def test_different_filters_must_all_hold(cli: Cli, kb: KnowledgeBase) -> None:
    found = ids(cli, "arguments", "--type", "empirical", "--type", "normative", "--tag", "johns")
    expected = [a.id for a in kb.arguments if "johns" in a.tags and a.type is not None
                and a.type.value in ("empirical", "normative")]
    assert found == expected and 0 < len(found) < len(ids(cli, "arguments", "--tag", "johns"))


def test_tag_wants_all_of_its_values_and_any_tag_any_of_them(cli: Cli, kb: KnowledgeBase) -> None:
    all_of = ids(cli, "arguments", "--tag", "johns", "--tag", "safety")
    any_of = ids(cli, "arguments", "--any-tag", "minors", "--any-tag", "safety")
    assert all_of == [a.id for a in kb.arguments if {"johns", "safety"} <= set(a.tags)]
    assert any_of == [a.id for a in kb.arguments if {"minors", "safety"} & set(a.tags)]
    assert set(all_of) < set(any_of)


def test_unanswered_lists_objections_nothing_attacks(cli: Cli, kb: KnowledgeBase) -> None:
    found = ids(cli, "arguments", "--unanswered")
    expected = [a.id for a in kb.arguments if a.stance is Stance.AGAINST
                and not any(r.stance is Stance.AGAINST for r in kb.replies_to(a.id))]
    assert found == expected and "johns-dangerous-for-girls" in found
    # society-responds-differently is answered by criminalization-creates-dichotomy
    assert "society-responds-differently" not in found
    assert ids(cli, "--unanswered", "-q", "criminalizing-johns") == [
        "johns-dangerous-for-girls", "johns-focus-hides-problem",
    ]


def test_stance_and_limit(cli: Cli, kb: KnowledgeBase) -> None:
    against = ids(cli, "--stance", "against")  # an argument filter: lists arguments
    assert against == [a.id for a in kb.arguments if a.stance is Stance.AGAINST]
    assert ids(cli, "--stance", "against", "--limit", "2") == against[:2]
    assert ids(cli, "arguments", "--sort", "id", "--limit", "3") == sorted(a.id for a in kb.arguments)[:3]
    for bad in ("0", "-1", "two", "9" * 4301):
        done = cli("list", "--limit", bad)
        assert done.exit_code == 2 and "--limit takes a whole number of 1 or more" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_list_tags_is_sorted_by_name(cli: Cli) -> None:
    done = cli("list", "tags")
    tags = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert tags == sorted(tags) and len(tags) > 5


def test_nothing_found_says_what_would_have_matched(cli: Cli) -> None:
    done = cli("list", "--by", "unattributed")
    assert done.exit_code == 1 and done.stdout == ""
    assert done.stderr == ("policyx: no positions match --by unattributed; the same filters match"
                           " 10 arguments: policyx list arguments --by unattributed\n")
    done = cli("list", "arguments", "--tag", "johns", "--type", "definitional")
    assert "without --tag johns, 2 arguments match: policyx list arguments --type definitional" in done.stderr


def test_list_help_says_how_filters_combine(cli: Cli) -> None:
    done = cli("list", "--help", env={"COLUMNS": "200"})
    assert "repeat: any of them" in done.stdout and "repeat: all of them" in done.stdout
    for option in ("--any-tag", "--unanswered", "--stance", "--limit"):
        assert option in done.stdout


def test_filters_take_one_string_as_one_value(kb: KnowledgeBase) -> None:
    one = list_listing(kb, "arguments", Filters(type="empirical")).records
    assert one == list_listing(kb, "arguments", Filters(type=("empirical",))).records
