"""`policyx explore` on a version-2 graph, driven through Textual's pilot: every target and its
relation, linked premises, undercuts, restatements, contradictions and acts in the entry pane;
references (never copies, never an endless tree) for arguments reached twice or round a circle
of attacks; the derived standing, computed once and only when an entry needs it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from textual.widgets.tree import TreeNode

from policyx.explore.app import DebateTree, ExploreApp
from policyx.kb.model import KnowledgeBase
from policyx.kb.store import open_kb
from tests.conftest import write_kb

Flow = Callable[[ExploreApp, Pilot[None]], Awaitable[None]]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph" / "uniforms-v2.yaml"

#: a circle of three attacks under one position, and words that look like markup
CIRCLE = """\
version: 2
title: "[bold]A circle[/bold]"
actors:
  - {id: x, name: "[red]Xena[/red]", stands_for: one}
questions:
  - {id: q, text: "Which one?"}
positions:
  - {id: p, question: q, claim: "P [b]holds[/b].", acts: [{by: x, act: asserts}]}
arguments:
  - {id: a1, claim: "A1 attacks P.", against: [p, a3]}
  - {id: a2, claim: "A2 attacks A1.", against: a1}
  - {id: a3, claim: "A3 attacks A2.", against: a2}
"""


def uniforms() -> KnowledgeBase:
    return open_kb(FIXTURE)


def drive(flow: Flow, kb: KnowledgeBase, start: str | None = None) -> ExploreApp:
    app = ExploreApp(kb, start)

    async def run() -> None:
        async with app.run_test(size=(120, 60)) as pilot:
            await pilot.pause()
            await flow(app, pilot)

    asyncio.run(run())
    return app


def tree(app: ExploreApp) -> DebateTree:
    return app.query_one(DebateTree)


def pane(app: ExploreApp) -> str:
    rendered = app.query_one("#detail", Static).content
    assert isinstance(rendered, Text)  # data as rich Text, never markup
    return rendered.plain


def link_ids(app: ExploreApp) -> list[tuple[str, str]]:
    options = app.query_one("#links", OptionList)
    found = []
    for n in range(options.option_count):
        option = options.get_option_at_index(n)
        prompt = option.prompt
        assert isinstance(prompt, Text) and option.id is not None
        found.append((option.id, prompt.plain))
    return found


async def unfold_all(app: ExploreApp, pilot: Pilot[None]) -> list[TreeNode[str]]:
    """Unfold every node that can be (a finite tree ends: references are leaves)."""
    for _ in range(50):
        closed = [n for n in _nodes(tree(app).root) if n.allow_expand and not n.is_expanded]
        if not closed:
            return _nodes(tree(app).root)
        for node in closed:
            node.expand()
        await pilot.pause()
    raise AssertionError("the tree never stopped unfolding")


def _nodes(root: TreeNode[str]) -> list[TreeNode[str]]:
    found, stack = [], list(reversed(root.children))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return found


def plain(node: TreeNode[str]) -> str:
    return node.label.plain


# -- 1. the entry pane -----------------------------------------------------------------


def test_an_argument_with_two_targets_shows_both_with_its_relations_and_acts() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        text = pane(app)
        assert "answers: for yes-uniforms; for same-clothes" in text
        links = dict(link_ids(app))
        assert "+ for yes-uniforms" in links["yes-uniforms"] and "+ for same-clothes" in links["same-clothes"]
        assert "restated by cheaper" in links["cheaper"]
        # the one who challenged it does not hold it; the challenge comes with its own quote
        assert "asserted by (holds it) a parent" in text
        assert "challenged by a teacher\nquote (verified) from Minutes of the uniforms meeting" in text
        assert "«Who pays for them?»" in text
        assert "challenged by (holds it)" not in text

    drive(flow, uniforms(), "cost")


def test_linked_premises_are_one_reason_each_with_its_quote() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        text = pane(app)
        assert "one reason, 2 linked premises (they hold only together):" in text
        first = text.index("1. Teasing about clothes starts from differences.")
        second = text.index("2. Uniforms remove the differences.")
        assert first < text.index("«Kids get picked on for what they wear.»") < second
        assert second < text.index("«With uniforms everyone looks the same.»")
        assert ("teasing-moves", "undercuts teasing-moves: Teasing moves to shoes and bags.") in [
            (i, p.split(". ", 1)[1]) for i, p in link_ids(app)]

    drive(flow, uniforms(), "same-clothes")


def test_an_undercut_names_the_step_it_attacks() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        text = pane(app)
        assert "undercuts: the step from same-clothes to yes-uniforms (its inference, not its claim)" in text
        assert [i for i, _ in link_ids(app)] == ["same-clothes"]

    drive(flow, uniforms(), "teasing-moves")


def test_restatements_contradictions_and_who_disputed() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert ("cost", "2. restates cost: Uniforms cost families less than a wardrobe.") in link_ids(app)
        await pilot.press("1")  # follow: yes-uniforms
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "yes-uniforms"
        text = pane(app)
        assert "held by: a parent" in text and "held by: a teacher" not in text
        assert "disputed by a teacher" in text and "«I do not think so.»" in text
        assert any(i == "no-uniforms" and "contradicted by position no-uniforms" in p for i, p in link_ids(app))
        await pilot.press("b")
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "cheaper"

    drive(flow, uniforms(), "cheaper")


def test_words_that_look_like_markup_are_shown_as_they_are(tmp_path: Path) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        text = pane(app)
        assert "P [b]holds[/b]." in text and "asserted by (holds it) [red]Xena[/red]" in text

    drive(flow, open_kb(write_kb(tmp_path, CIRCLE)), "p")


# -- 2. the tree: references, undercuts, linked premises --------------------------------


def test_an_argument_reached_twice_is_a_reference_that_enter_follows() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        nodes = await unfold_all(app, pilot)
        whole = [n.data for n in nodes if n.id not in app.refs and n.id not in app.premises]
        assert len(whole) == len(set(whole))  # each entry shown whole once
        refs = [n for n in nodes if n.id in app.refs and n.data not in ("yes-uniforms", "no-uniforms")]
        assert [(n.data, n.parent.data if n.parent else None) for n in refs] == [
            ("cost", "same-clothes"), ("choice-matters", "costs-hidden")]
        cost_ref = refs[0]
        assert "↪ see cost under yes-uniforms" in plain(cost_ref) and not cost_ref.allow_expand
        tree(app).move_cursor(cost_ref)
        await pilot.pause()
        await pilot.press("enter")
        node = tree(app).cursor_node
        assert node is not None and node.data == "cost" and node.id not in app.refs
        assert node.parent is not None and node.parent.data == "yes-uniforms"
        await pilot.press("b")  # back to the entry above the reference
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "same-clothes"

    drive(flow, uniforms())


def test_enter_j_in_one_burst_on_a_reference_goes_there_then_one_down() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        nodes = await unfold_all(app, pilot)
        (cost_ref,) = [n for n in nodes if n.id in app.refs and n.data == "cost"]
        tree(app).move_cursor(cost_ref)
        await pilot.pause()
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("j", "j"))
        await pilot.pause()
        whole = app.nodes["cost"]
        node = tree(app).cursor_node
        assert node is not None and node is tree(app).get_node_at_line(whole.line + 1)

    drive(flow, uniforms())


def test_contradicting_positions_show_in_the_tree_as_references_enter_follows() -> None:
    """`against` between positions: under each, a reference to the other, worded as `show` and
    `map` word it (contradicts / contradicted by position); Enter goes there, b comes back."""

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await unfold_all(app, pilot)
        yes_ref = tree(app).nodes["yes-uniforms"].children[0]
        no_ref = tree(app).nodes["no-uniforms"].children[0]
        assert yes_ref.id in app.refs and no_ref.id in app.refs and not no_ref.allow_expand
        assert plain(yes_ref) == ("contradicted by position ↪ see no-uniforms under require:"
                                  " The school should not require uniforms.")
        assert plain(no_ref) == "contradicts ↪ see yes-uniforms under require: The school should require uniforms."
        # each position is still shown whole once, under its question
        whole = [n.data for n in _nodes(tree(app).root) if n.id not in app.refs and n.id not in app.premises]
        assert whole.count("yes-uniforms") == whole.count("no-uniforms") == 1
        tree(app).move_to(no_ref)
        await pilot.pause()
        await pilot.press("enter")
        node = tree(app).cursor_node
        assert node is not None and node.data == "yes-uniforms" and node.id not in app.refs
        assert "contradicted by position no-uniforms" in [p.split(". ", 1)[1].split(":")[0] for _, p in link_ids(app)]
        await pilot.press("b")
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "no-uniforms"

    drive(flow, uniforms())


MUTUAL = """\
version: 2
questions:
  - {id: q, text: "Which one?"}
positions:
  - {id: p1, question: q, claim: "One.", against: p2}
  - {id: p2, question: q, claim: "Two.", against: p1}
"""


def test_a_mutual_attack_is_one_reference_each_way(tmp_path: Path) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await unfold_all(app, pilot)
        assert [plain(n) for n in tree(app).nodes["p1"].children] == [
            "contradicts and is contradicted by ↪ see p2 under q: Two."]
        assert [plain(n) for n in tree(app).nodes["p2"].children] == [
            "contradicts and is contradicted by ↪ see p1 under q: One."]

    drive(flow, open_kb(write_kb(tmp_path, MUTUAL)))


def test_undercuts_and_linked_premises_show_in_the_tree() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        nodes = await unfold_all(app, pilot)
        under = [plain(n) for n in nodes if n.parent is not None and n.parent.data == "same-clothes"]
        assert under[:2] == ["& linked premise 1 of 2: Teasing about clothes starts from differences.",
                             "& linked premise 2 of 2: Uniforms remove the differences."]
        assert under[2].startswith("undercuts teasing-moves: Teasing moves to shoes and bags.")

    drive(flow, uniforms())


def test_a_circle_of_attacks_ends_in_a_reference(tmp_path: Path) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        nodes = await unfold_all(app, pilot)
        shown = [(n.data, n.id in app.refs) for n in nodes]
        assert shown == [("q", False), ("p", False), ("a1", False), ("a2", False), ("a3", False), ("a1", True)]
        ref = nodes[-1]
        assert "↪ see a1 above" in plain(ref) and ref.parent is not None and ref.parent.data == "a3"
        tree(app).move_cursor(ref)
        await pilot.pause()
        await pilot.press("enter")
        node = tree(app).cursor_node
        assert node is not None and node.data == "a1" and node.parent is not None and node.parent.data == "p"

    drive(flow, open_kb(write_kb(tmp_path, CIRCLE)))


def test_the_circle_is_reached_from_the_entry_it_loops_through(tmp_path: Path) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        node = tree(app).cursor_node
        ups = []
        while node is not None and node.data is not None:
            ups.append(node.data)
            node = node.parent
        assert ups == ["a3", "a2", "a1", "p", "q"]  # opened at ID: down the one way, no loop
        assert "answers: against a2" in pane(app)

    drive(flow, open_kb(write_kb(tmp_path, CIRCLE)), "a3")


# -- 3. standing, derived, computed once on first use ------------------------------------


def test_standing_is_derived_and_computed_once_when_first_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    from policyx.views import framework

    calls: list[str] = []
    real = framework.standing_of

    def counted(kb: KnowledgeBase, semantics: str = "grounded", seconds: float = 10.0) -> framework.Standing:
        calls.append(semantics)
        return real(kb, semantics)

    monkeypatch.setattr(framework, "standing_of", counted)

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert calls == []  # the first screen (a question) does not label the debate
        assert "standing" not in pane(app)
        await pilot.press("l", "j")  # unfold the question, down to its first position
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "yes-uniforms"
        assert "standing (derived, grounded): out (attacked by no-uniforms, which is in)" in pane(app)
        await pilot.press("j")
        assert "standing (derived, grounded): in (nothing attacks it)" in pane(app)
        assert calls == ["grounded"]

    drive(flow, uniforms())


def test_a_big_debate_works_its_standing_out_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from policyx.explore import app as explore_app
    from policyx.views.entrydetail import Standings

    monkeypatch.setattr(explore_app, "STANDING_IN_THREAD", 0)  # as if the debate were big
    gate = threading.Event()
    real = Standings.compute

    def slow(self: Standings) -> None:
        assert gate.wait(30)
        real(self)

    monkeypatch.setattr(Standings, "compute", slow)

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("l", "j")  # answered at once, while the labels are worked out
        assert tree(app).cursor_node is not None and tree(app).cursor_node.data == "yes-uniforms"
        assert "standing (derived, grounded): being worked out\n" in pane(app)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "standing (derived, grounded): out (attacked by no-uniforms, which is in)" in pane(app)

    drive(flow, uniforms())
