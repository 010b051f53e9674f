"""The pure query functions, called directly on the bundled knowledge base."""

from __future__ import annotations

import pytest

from policyx.cli.runtime import ExitCode, exit_code
from policyx.kb.errors import NothingFound, UnknownIdError, UsageError
from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase
from policyx.views.compare import compare, compare_listing, compare_rows
from policyx.views.listing import COLLECTIONS, Filters, list_listing, sort_records, tag_records
from policyx.views.lookup import entry_ids
from policyx.views.search import match_spans, search, search_listing
from policyx.views.show import show_listing
from policyx.views.tree import argument_tree


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


def ids(kb: KnowledgeBase, collection: str = "positions", **filters: object) -> list[str]:
    listing = list_listing(kb, collection, Filters(**filters))  # type: ignore[arg-type]
    return [r["id"] for r in listing.records]


# --------------------------------------------------------------------------
# list


def test_positions_are_grouped_by_question_in_question_file_order(kb: KnowledgeBase) -> None:
    listing = list_listing(kb, "positions", Filters())
    assert listing.group_by == "question"
    questions = [r["question"] for r in listing.records]
    order = [q.id for q in kb.questions]
    assert questions == sorted(questions, key=order.index)
    assert listing.groups["criminalizing-johns"] == kb.questions[2].text


def test_every_collection_lists_every_entry_in_file_order(kb: KnowledgeBase) -> None:
    for collection in ("arguments", "questions", "actors", "sources", "models"):
        assert ids(kb, collection) == [e.id for e in getattr(kb, collection)]
    assert entry_ids(kb) == list(kb.ids)


def test_question_filter_on_positions_and_arguments(kb: KnowledgeBase) -> None:
    assert ids(kb, question="criminalizing-johns") == ["criminalize-johns", "do-not-criminalize-johns"]
    arguments = ids(kb, "arguments", question="criminalizing-johns")
    assert arguments == [
        "johns-dangerous-for-girls", "johns-help-escape", "johns-focus-hides-problem",
        "stops-blaming-victim", "addresses-the-crime",
    ]
    # arguments are found through their root position, however deep the rebuttal
    assert "criminalization-creates-dichotomy" in ids(kb, "arguments", question="trafficking-bifurcation")


def test_repeated_tags_must_all_hold(kb: KnowledgeBase) -> None:
    assert ids(kb, "arguments", tags=("johns",)) == [
        "johns-dangerous-for-girls", "johns-help-escape", "johns-focus-hides-problem",
        "stops-blaming-victim", "addresses-the-crime",
    ]
    assert ids(kb, "arguments", tags=("johns", "safety")) == ["johns-dangerous-for-girls", "johns-help-escape"]


def test_by_filters_holders_and_authors(kb: KnowledgeBase) -> None:
    assert ids(kb, by="group") == ["decriminalize-sex-work", "decriminalization-not-soon"]
    assert ids(kb, "arguments", by="group-member") == ["minors-still-profitable"]


def test_for_and_against_direct_and_deep(kb: KnowledgeBase) -> None:
    assert ids(kb, "arguments", for_="end-bifurcation") == ["trafficking-intertwined", "sex-work-is-labor"]
    assert ids(kb, "arguments", for_="end-bifurcation", deep=True) == [
        "trafficking-intertwined", "sex-work-is-labor", "exploitation-as-control", "mixed-trafficking-experiences",
    ]
    assert ids(kb, "arguments", against="end-bifurcation") == ["society-responds-differently"]
    assert ids(kb, "arguments", against="end-bifurcation", deep=True) == [
        "society-responds-differently", "criminalization-creates-dichotomy",
    ]
    # a rebuttal of an argument
    assert ids(kb, "arguments", against="reduce-trafficker-incentive") == ["minors-still-profitable"]


def test_filters_combine(kb: KnowledgeBase) -> None:
    assert ids(kb, "arguments", for_="decriminalize-sex-work", deep=True, type="definitional") == [
        "narrow-victim-category", "voluntary-entry-excluded",
    ]
    assert ids(kb, "arguments", question="criminalizing-johns", by="individual-for-johns", tags=("enforcement",)) == [
        "addresses-the-crime"
    ]


def test_agreement_type_and_match(kb: KnowledgeBase) -> None:
    assert ids(kb, agreement="individual") == ["criminalize-johns", "do-not-criminalize-johns"]
    assert ids(kb, "arguments", type="normative") == ["sex-work-is-labor", "stops-blaming-victim"]
    # case-insensitive, over claim and quote: "shadows" is only in quotes
    assert ids(kb, "arguments", match="SHADOWS") == ["fear-keeps-problems-hidden", "johns-focus-hides-problem"]


def test_sort_and_reverse(kb: KnowledgeBase) -> None:
    assert ids(kb, sort="id") == sorted(p.id for p in kb.positions)
    assert ids(kb, sort="id", reverse=True) == sorted((p.id for p in kb.positions), reverse=True)
    listing = list_listing(kb, "positions", Filters(sort="id"))
    assert listing.group_by is None  # a sort replaces the grouping


def test_sort_keeps_ties_in_order_and_missing_values_last() -> None:
    records = [{"id": "a", "n": None}, {"id": "b", "n": 2}, {"id": "c", "n": 1}, {"id": "d", "n": 2}]
    assert [r["id"] for r in sort_records(records, "n")] == ["c", "b", "d", "a"]
    assert [r["id"] for r in sort_records(records, "n", reverse=True)] == ["b", "d", "c", "a"]


def test_tags_listing_counts_each_collection(kb: KnowledgeBase) -> None:
    records = {r["tag"]: r for r in tag_records(kb)}
    johns = records["johns"]
    assert (johns["questions"], johns["positions"], johns["arguments"]) == (1, 2, 5)
    assert johns["count"] == 8
    listing = list_listing(kb, "tags", Filters(sort="count", reverse=True))
    counts = [r["count"] for r in listing.records]
    assert counts == sorted(counts, reverse=True)
    assert listing.id_field == "tag"


def test_unknown_id_suggests_the_nearest(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownIdError) as info:
        list_listing(kb, "arguments", Filters(against="criminalize-john"))
    assert info.value.message == "no position or argument 'criminalize-john' (did you mean 'criminalize-johns'?)"
    assert exit_code(info.value) == ExitCode.NOT_FOUND


def test_wrong_kind_of_id_is_a_usage_error(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match="'group' is an actor, not a question"):
        list_listing(kb, "positions", Filters(question="group"))


@pytest.mark.parametrize(
    ("collection", "filters", "message"),
    [
        ("arguments", Filters(agreement="broad"), "--agreement does not apply to arguments"),
        ("positions", Filters(type="empirical"), "--type does not apply to positions"),
        ("arguments", Filters(deep=True, tags=("johns",)), "--deep needs --for ID or --against ID"),
        ("positions", Filters(agreement="wide"), "no agreement level 'wide'"),
        ("arguments", Filters(type="empiric"), "no claim type 'empiric' (did you mean 'empirical'?)"),
        ("positions", Filters(sort="clam"), "cannot sort positions by 'clam' (did you mean 'claim'?)"),
        ("postions", Filters(), "no collection 'postions' (did you mean 'positions'?)"),
    ],
)
def test_bad_filters_are_usage_errors(kb: KnowledgeBase, collection: str, filters: Filters, message: str) -> None:
    with pytest.raises(UsageError) as info:
        list_listing(kb, collection, filters)
    assert message in info.value.message
    assert exit_code(info.value) == ExitCode.USAGE


def test_nothing_found_names_a_misspelt_tag(kb: KnowledgeBase) -> None:
    with pytest.raises(NothingFound, match="no entry has the tag 'jonhs' \\(did you mean 'johns'\\?\\)"):
        list_listing(kb, "positions", Filters(tags=("jonhs",)))
    with pytest.raises(NothingFound, match="no arguments match --tag johns --type definitional; "
                       "without --tag johns, 2 arguments match: policyx list arguments --type definitional"):
        list_listing(kb, "arguments", Filters(tags=("johns",), type="definitional"))


def test_filters_know_when_only_arguments_can_answer() -> None:
    assert Filters(for_="x").wants_arguments
    assert Filters(type="empirical").wants_arguments
    assert not Filters(tags=("johns",)).wants_arguments
    assert "tags" in COLLECTIONS


# --------------------------------------------------------------------------
# trees and show


def test_argument_tree_nests_rebuttals_with_polarity(kb: KnowledgeBase) -> None:
    tree = argument_tree(kb, "end-bifurcation")
    assert [(n.argument.id, n.depth, n.polarity) for n in tree] == [
        ("trafficking-intertwined", 1, 1),
        ("exploitation-as-control", 2, 1),
        ("mixed-trafficking-experiences", 2, 1),
        ("sex-work-is-labor", 1, 1),
        ("society-responds-differently", 1, -1),
        # an attack on an attack supports the position
        ("criminalization-creates-dichotomy", 2, 1),
    ]


def test_show_rows_carry_the_tree(kb: KnowledgeBase) -> None:
    listing = show_listing(kb, ["decriminalize-sex-work"])
    rows = listing.records
    assert rows[0]["id"] == "decriminalize-sex-work" and rows[0]["depth"] == 0 and rows[0]["parent"] is None
    assert rows[0]["who"] == ["the group"]
    depth = {r["id"]: r["depth"] for r in rows}
    assert depth["voluntary-entry-excluded"] == 4
    parent = {r["id"]: r["parent"] for r in rows}
    assert parent["minors-still-profitable"] == "reduce-trafficker-incentive"
    assert all(r["root"] == "decriminalize-sex-work" for r in rows)
    assert len(rows) == 1 + len(argument_tree(kb, "decriminalize-sex-work"))


def test_show_question_lists_positions_then_their_arguments(kb: KnowledgeBase) -> None:
    rows = show_listing(kb, ["criminalizing-johns"]).records
    assert [(r["id"], r["depth"]) for r in rows[:3]] == [
        ("criminalizing-johns", 0), ("criminalize-johns", 1), ("johns-dangerous-for-girls", 2),
    ]
    assert rows[0]["claim"] == kb.questions[2].text


def test_show_several_ids_and_unknown_ones(kb: KnowledgeBase) -> None:
    rows = show_listing(kb, ["session-report", "individual-for-johns", "buyer-criminalization"]).records
    assert [(r["id"], r["depth"], r["root"]) for r in rows] == [
        ("session-report", 0, "session-report"),
        # an actor: the positions held, then the arguments made
        ("individual-for-johns", 0, "individual-for-johns"),
        ("criminalize-johns", 1, "individual-for-johns"),
        ("stops-blaming-victim", 1, "individual-for-johns"),
        ("addresses-the-crime", 1, "individual-for-johns"),
        # a legal model: the positions leaning towards it
        ("buyer-criminalization", 0, "buyer-criminalization"),
        ("criminalize-johns", 1, "buyer-criminalization"),
    ]
    # an unknown id among known ones is kept for the command to report after the output
    listing = show_listing(kb, ["criminalize-johns", "criminalize-john"])
    assert listing.records[0]["id"] == "criminalize-johns"
    assert listing.problems == ("no entry 'criminalize-john' (did you mean 'criminalize-johns'?)",)
    with pytest.raises(UnknownIdError, match="no entry 'criminalize-john' \\(did you mean 'criminalize-johns'\\?\\)"):
        show_listing(kb, ["criminalize-john"])


# --------------------------------------------------------------------------
# search


def test_search_ranks_claims_above_quotes(kb: KnowledgeBase) -> None:
    hits = search(kb, "shadows")
    # "shadows" occurs only in quotes
    assert {h.entry.id for h in hits} == {"fear-keeps-problems-hidden", "johns-focus-hides-problem"}
    assert all(h.field == "quote" for h in hits)
    hits = search(kb, "johns")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].score > hits[-1].score
    # a claim or tag match outranks an entry that only names johns in a quote
    assert kind_rank(hits, "johns-help-escape") < kind_rank(hits, "individual-against-johns")


def kind_rank(hits: list, entry_id: str) -> int:  # type: ignore[type-arg]
    return [h.entry.id for h in hits].index(entry_id)


def test_search_needs_every_word_and_matches_word_prefixes(kb: KnowledgeBase) -> None:
    ids_found = [h.entry.id for h in search(kb, "johns safety")]
    assert ids_found == ["johns-dangerous-for-girls", "johns-help-escape"]
    assert "criminalization-creates-dichotomy" in [h.entry.id for h in search(kb, "criminal")]
    assert search(kb, "johns zebra") == []


def test_search_covers_actor_names_and_tags(kb: KnowledgeBase) -> None:
    by_actor = [h for h in search(kb, "attendees") if h.entry.id == "sex-work-is-labor"]
    assert by_actor and "actor" in by_actor[0].matched
    assert "tags" in next(h for h in search(kb, "economics") if h.entry.id == "minors-still-profitable").matched


def test_search_listing_raises_nothing_found(kb: KnowledgeBase) -> None:
    with pytest.raises(NothingFound, match="nothing matches 'zebra'"):
        search_listing(kb, "zebra")
    with pytest.raises(UsageError):
        search_listing(kb, "  ,, ")
    listing = search_listing(kb, "Minors")
    assert listing.highlight == ("minors",)
    assert listing.records[0]["score"] >= listing.records[-1]["score"]


def test_match_spans_mark_word_prefixes_only() -> None:
    text = "Criminalizing johns; decriminalization"
    assert match_spans(text, ["criminal"]) == [(0, 8)]
    assert match_spans(text, ["johns", "decrim"]) == [(14, 19), (21, 27)]


# --------------------------------------------------------------------------
# compare


def test_compare_johns_finds_the_clashes_and_unanswered_objections(kb: KnowledgeBase) -> None:
    data = compare(kb, ["criminalize-johns", "do-not-criminalize-johns"])
    assert data["compared"] == ["criminalize-johns", "do-not-criminalize-johns"]
    assert data["same_question"] is True
    assert data["shared_tags"] == ["johns", "enforcement"]
    pro, con = data["sides"]
    assert pro["question"] == {"id": "criminalizing-johns", "text": kb.questions[2].text}
    assert pro["holders"] == [{"id": "individual-for-johns", "name": "another individual (for criminalizing johns)",
                               "stands_for": "one"}]
    assert pro["agreement"] == "individual"
    assert [a["id"] for a in pro["for"]] == ["stops-blaming-victim", "addresses-the-crime"]
    assert [a["id"] for a in pro["against"]] == ["johns-dangerous-for-girls", "johns-focus-hides-problem"]
    assert [a["id"] for a in pro["unanswered"]] == ["johns-dangerous-for-girls", "johns-focus-hides-problem"]
    assert con["unanswered"] == [] and [a["id"] for a in con["for"]] == ["johns-help-escape"]
    assert [(c["side"], c["id"], c["target"], c["other"]) for c in data["clashes"]] == [
        ("do-not-criminalize-johns", "johns-dangerous-for-girls", "criminalize-johns", "criminalize-johns"),
        ("do-not-criminalize-johns", "johns-focus-hides-problem", "criminalize-johns", "criminalize-johns"),
    ]


def test_compare_distinct_tags_and_answered_objections(kb: KnowledgeBase) -> None:
    data = compare(kb, ["end-bifurcation", "decriminalize-sex-work"])
    assert data["shared_tags"] == [] and data["same_question"] is False
    assert data["sides"][0]["distinct_tags"] == ["bifurcation", "labor"]
    # society-responds-differently is attacked in turn: answered
    assert data["sides"][0]["unanswered"] == []
    assert [a["id"] for a in data["sides"][0]["for"]][-1] == "criminalization-creates-dichotomy"
    # minors-still-profitable attacks a supporting argument and nothing attacks it
    assert [a["id"] for a in data["sides"][1]["unanswered"]] == ["minors-still-profitable"]
    assert data["clashes"] == []


def test_compare_arguments(kb: KnowledgeBase) -> None:
    data = compare(kb, ["johns-help-escape", "johns-dangerous-for-girls", "stops-blaming-victim"])
    first = data["sides"][0]
    assert first["kind"] == "argument" and first["stance"] == "for" and first["target"] == "do-not-criminalize-johns"
    assert first["agreement"] is None
    assert first["holders"][0]["id"] == "individual-against-johns"
    assert first["question"]["id"] == "criminalizing-johns"
    assert data["shared_tags"] == ["johns"]
    # johns-dangerous-for-girls attacks criminalize-johns, which is not one of the sides: no clash
    assert data["clashes"] == []


def test_compare_refuses_too_few_repeated_or_wrong_ids(kb: KnowledgeBase) -> None:
    with pytest.raises(UsageError, match="at least two"):
        compare(kb, ["criminalize-johns"])
    with pytest.raises(UsageError, match="given twice"):
        compare(kb, ["criminalize-johns", "criminalize-johns"])
    with pytest.raises(UsageError, match="'group' is an actor, not a position or an argument"):
        compare(kb, ["criminalize-johns", "group"])
    with pytest.raises(UnknownIdError, match="did you mean 'criminalize-johns'"):
        compare(kb, ["criminalize-john", "do-not-criminalize-johns"])


def test_compare_rows_hold_every_fact_of_the_structure(kb: KnowledgeBase) -> None:
    listing = compare_listing(kb, ["criminalize-johns", "do-not-criminalize-johns"])
    data = listing.meta
    facts = len(data["shared_tags"]) + len(data["clashes"]) + sum(
        2 + len(s["holders"]) + len(s["for"]) + len(s["against"]) + len(s["distinct_tags"]) + len(s["unanswered"])
        for s in data["sides"]
    )
    assert len(listing.records) == facts == len(compare_rows(data))
    sections = [r["section"] for r in listing.records]
    assert sections.count("clash") == 2 and sections.count("unanswered") == 2 and sections.count("shared-tag") == 2


def test_search_excerpt_is_text_not_a_bare_tag(kb: KnowledgeBase) -> None:
    hit = next(h for h in search(kb, "minors") if h.entry.id == "protect-minors")
    assert hit.matched == ("id", "tags")
    assert (hit.field, hit.excerpt) == ("claim", kb.get("protect-minors").claim)  # type: ignore[union-attr]
    quote_hit = search(kb, "shadows")[0]
    assert quote_hit.field == "quote" and "shadows" in quote_hit.excerpt


# --------------------------------------------------------------------------
# filters combine as AND, whatever the combination (property-based)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzz import examples  # noqa: E402

_KB = load(bundled_path())
_ARGUMENT_FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "question": st.sampled_from([q.id for q in _KB.questions]),
        "tags": st.lists(st.sampled_from(sorted({t for a in _KB.arguments for t in a.tags})), max_size=2).map(tuple),
        "by": st.sampled_from([a.id for a in _KB.actors]),
        "for_": st.sampled_from([p.id for p in _KB.positions] + [a.id for a in _KB.arguments]),
        "type": st.sampled_from(["empirical", "normative", "definitional", "predictive", "practical"]),
        "match": st.sampled_from(["sex", "johns", "victim", "the", "zzz"]),
    },
)


def _ids_or_empty(filters: Filters) -> set[str]:
    try:
        return {r["id"] for r in list_listing(_KB, "arguments", filters).records}
    except NothingFound:
        return set()


@settings(max_examples=examples(150), deadline=None)
@given(_ARGUMENT_FILTERS, st.booleans())
def test_combined_filters_are_the_intersection_of_single_ones(options: dict[str, object], deep: bool) -> None:
    if deep and "for_" in options:
        options = {**options, "deep": True}
    combined = _ids_or_empty(Filters(**options))  # type: ignore[arg-type]
    expected = {a.id for a in _KB.arguments}
    for name, value in options.items():
        if name == "deep":
            continue
        single = {name: value, "deep": True} if name == "for_" and options.get("deep") else {name: value}
        expected &= _ids_or_empty(Filters(**single))  # type: ignore[arg-type]
    if "tags" in options:
        for tag in options["tags"]:  # type: ignore[attr-defined]
            expected &= _ids_or_empty(Filters(tags=(tag,)))
    assert combined == expected
    # and the result keeps file order
    if combined:
        order = [r["id"] for r in list_listing(_KB, "arguments", Filters(**options)).records]  # type: ignore[arg-type]
        file_order = [a.id for a in _KB.arguments if a.id in combined]
        assert order == file_order
