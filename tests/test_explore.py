"""`policyx explore`: every key and flow, driven through Textual's pilot as a user presses them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.table import Table
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from policyx.explore.app import KEYS, DebateTree, ExploreApp
from policyx.explore.screens import CompareScreen, FilterScreen, HelpScreen, LibraryScreen
from policyx.explore.text import MATCH_STYLE, QUOTE_STYLE
from policyx.kb.load import bundled_path
from policyx.kb.model import KnowledgeBase
from policyx.kb.store import open_kb
from policyx.views.browse import TREE_KINDS
from policyx.views.search import search
from tests.conftest import write_kb

Flow = Callable[[ExploreApp, Pilot[None]], Awaitable[None]]


def bundled() -> KnowledgeBase:
    return open_kb(bundled_path())


def drive(flow: Flow, kb: KnowledgeBase | None = None, start: str | None = None,
          size: tuple[int, int] = (100, 32)) -> ExploreApp:
    app = ExploreApp(kb or bundled(), start)

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await flow(app, pilot)

    asyncio.run(run())
    return app


def tree(app: ExploreApp) -> DebateTree:
    return app.query_one(DebateTree)


def cursor(app: ExploreApp) -> str | None:
    node = tree(app).cursor_node
    return None if node is None else node.data


def detail(app: ExploreApp) -> Text:
    rendered = app.query_one("#detail", Static).content
    assert isinstance(rendered, Text)
    return rendered


def status(app: ExploreApp) -> str:
    return str(app.query_one("#status", Static).content)


async def searched(app: ExploreApp, pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await app.workers.wait_for_complete()
    await pilot.pause()


# -- the first screen ----------------------------------------------------------------


def test_the_tree_opens_folded_to_the_questions() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        roots = tree(app).root.children
        assert [n.data for n in roots] == [q.id for q in app.kb.questions]
        assert not any(n.is_expanded for n in roots)
        assert cursor(app) == "trafficking-bifurcation"
        assert "Should sex trafficking and labor trafficking" in detail(app).plain
        # nothing under the questions is made before it is unfolded
        assert set(app.nodes) == {q.id for q in app.kb.questions}

    drive(flow)


def test_it_opens_at_an_id_with_the_way_down_unfolded() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert cursor(app) == "stops-blaming-victim"
        assert app.nodes["criminalizing-johns"].is_expanded and app.nodes["criminalize-johns"].is_expanded
        assert not app.nodes["trafficking-bifurcation"].is_expanded
        assert "no longer blames the victim" in detail(app).plain

    drive(flow, start="stops-blaming-victim")


# -- moving and folding ----------------------------------------------------------------


@pytest.mark.parametrize(("down", "up"), [("j", "k"), ("down", "up")])
def test_moving_down_and_up(down: str, up: str) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press(down, down)
        assert cursor(app) == "criminalizing-johns"
        await pilot.press(up)
        assert cursor(app) == "decriminalizing-prostitution"
        assert "Should certain prostitution offences be decriminalized?" in detail(app).plain

    drive(flow)


@pytest.mark.parametrize("key", ["enter", "space"])
def test_enter_and_space_fold_and_unfold(key: str) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", key)
        node = app.nodes["criminalizing-johns"]
        assert node.is_expanded
        assert [c.data for c in node.children] == ["criminalize-johns", "do-not-criminalize-johns"]
        await pilot.press(key)
        assert not node.is_expanded

    drive(flow)


@pytest.mark.parametrize(("unfold", "fold"), [("l", "h"), ("right", "left")])
def test_right_unfolds_and_enters_left_folds_and_climbs(unfold: str, fold: str) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", unfold)
        assert app.nodes["criminalizing-johns"].is_expanded and cursor(app) == "criminalizing-johns"
        await pilot.press(unfold)
        assert cursor(app) == "criminalize-johns"
        await pilot.press(fold)  # folded already: up to the question
        assert cursor(app) == "criminalizing-johns"
        await pilot.press(fold)
        assert not app.nodes["criminalizing-johns"].is_expanded

    drive(flow)


def test_g_and_shift_g_go_to_the_first_and_the_last_entry() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("G")
        assert cursor(app) == "decriminalization-timing"
        await pilot.press("g")
        assert cursor(app) == "trafficking-bifurcation"

    drive(flow)


# -- the detail pane -------------------------------------------------------------------


def test_the_detail_shows_the_quote_inside_its_source_with_what_is_interpretation() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        text = detail(app)
        plain = text.plain
        assert "held by: another individual (for criminalizing johns)" in plain
        assert "tags (interpretation): johns, enforcement" in plain
        assert "models (interpretation): buyer-criminalization" in plain
        assert "quote (verified)" in plain
        # the sentence before and the one after, the quote marked between them
        assert ("This discussion caused the most back and forth. While one individual stated that it could be"
                " dangerous for the girls, «another thought that it was currently the best option.» The individual"
                " against the criminalization of “johns” stated") in plain
        quote = "another thought that it was currently the best option."
        start = plain.index(quote)
        assert any(span.style == QUOTE_STYLE and span.start <= start < span.end for span in text.spans)

    drive(flow, start="criminalize-johns")


def test_a_quote_not_verbatim_says_so(tmp_path: Path) -> None:
    (tmp_path / "talk.txt").write_text("First we met. The law failed them. Then we left.", encoding="utf-8")
    path = write_kb(tmp_path, KB.replace("The law failed them.", "The law failed everyone."))
    kb = open_kb(path)

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert "quote (not verbatim)" in detail(app).plain
        assert "not found verbatim in the source's text" in detail(app).plain

    drive(flow, kb, start="p1")


# -- search ------------------------------------------------------------------------------


def test_search_as_you_type_ranks_as_policyx_search_and_n_moves() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await searched(app, pilot, "slash", *"buy")
        expected = [h.entry.id for h in search(app.kb, "buy", TREE_KINDS)]
        assert app.hits == expected and len(expected) > 2
        assert cursor(app) == expected[0]
        await searched(app, pilot, *"ers victim")  # narrowing: one more letter, one more word
        expected = [h.entry.id for h in search(app.kb, "buyers victim", TREE_KINDS)]
        assert app.hits == expected
        await searched(app, pilot, *["backspace"] * 7)
        assert app.hits == [h.entry.id for h in search(app.kb, "buyers", TREE_KINDS)]
        await pilot.press("enter")
        assert app.focused is tree(app)
        await pilot.press("n")
        assert cursor(app) == app.hits[1] and "match 2 of" in status(app)
        await pilot.press("N", "N")
        assert cursor(app) == app.hits[-1]
        # matches highlighted in the tree and in the detail
        label = app.nodes[app.hits[0]].label
        assert any(span.style == MATCH_STYLE for span in label.spans)
        assert any(span.style == MATCH_STYLE for span in detail(app).spans)

    drive(flow)


def test_a_search_cleared_leaves_no_highlight_and_many_matches_keep_the_best(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from policyx.views.livesearch import Searcher

    monkeypatch.setattr(Searcher, "LIMIT", 2)

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await searched(app, pilot, "slash", *"buyers")
        labels = {i: n.label for i, n in app.nodes.items()}
        highlighted = [i for i, label in labels.items() if any(s.style == MATCH_STYLE for s in label.spans)]
        assert highlighted and len(highlighted) < len(labels)
        expected = [h.entry.id for h in search(app.kb, "buyers", TREE_KINDS)]
        assert app.hits == expected[:2] and app.matches == len(expected) == 3
        assert f"match 1 of the best 2 of 3 (more words narrow it): {expected[0]}" in status(app)
        app.debate.search_for([])  # what a search emptied does
        assert not any(s.style == MATCH_STYLE for n in app.nodes.values() for s in n.label.spans)
        # only the labels it changed were made again
        assert [i for i in labels if app.nodes[i].label is not labels[i]] == highlighted
        await searched(app, pilot, *["backspace"] * 6)
        assert not any(s.style == MATCH_STYLE for n in app.nodes.values() for s in n.label.spans)

    drive(flow)


def test_search_escape_leaves_and_nothing_found_says_so() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await searched(app, pilot, "slash", *"zzzq")
        assert app.hits == [] and "nothing matches 'zzzq'" in status(app)
        await pilot.press("escape")
        assert app.focused is tree(app)

    drive(flow)


def test_keys_typed_in_one_burst_reach_the_search_and_then_the_tree() -> None:
    """A terminal sends what a fast typist (or a paste, or ssh) types as one read: every key is
    queued before the first is handled. '/' must take the next letters into the search, and
    Enter give the keys after it back to the tree (focus moved then, not after the queue)."""

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        for key, character in [("slash", "/"), *((c, c) for c in "buyers"), ("enter", "\r"), ("l", "l")]:
            app.post_message(events.Key(key, character))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#search", Input).value == "buyers"
        assert app.hits == [h.entry.id for h in search(app.kb, "buyers", TREE_KINDS)]
        assert app.focused is tree(app)
        assert any(node.is_expanded for node in tree(app).root.children)  # the tree took 'l' (not the search)

    drive(flow, size=(80, 24))


def test_l_l_in_one_burst_unfolds_and_steps_onto_the_first_child() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        first = tree(app).root.children[0]
        for _ in range(2):
            app.post_message(events.Key("l", "l"))
        await pilot.pause()
        assert first.is_expanded and cursor(app) == first.children[0].data

    drive(flow)


def expanded(app: ExploreApp) -> set[str]:
    """The entries whose node is unfolded and on view (every node above it unfolded too)."""
    found: set[str] = set()
    todo = list(tree(app).root.children)
    while todo:
        node = todo.pop()
        if node.is_expanded and node.data is not None:
            found.add(node.data)
            todo += node.children
    return found


def test_search_as_you_type_folds_back_what_earlier_letters_unfolded_but_not_what_the_user_did() -> None:
    """'bu' unfolds the way to its first match; 'buy' matches nothing there: after each key the
    tree shows the current query's matches (the branches unfolded by the search all lead to
    one), and a branch the user unfolded by hand stays unfolded."""

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "j", "l")  # the last question, unfolded by hand
        by_hand = cursor(app)
        assert by_hand is not None and expanded(app) == {by_hand}
        await searched(app, pilot, "slash", "b", "u")
        opened_for_bu = expanded(app) - {by_hand}
        assert opened_for_bu and cursor(app) == app.hits[0]
        # the question it unfolded, folded and unfolded again by hand (in one burst): the user's now
        (kept,) = [e for e in opened_for_bu if len(app.outline.path(e)) == 1]
        await pilot.press("enter")
        tree(app).move_cursor(app.nodes[kept])
        await pilot.pause()
        app.post_message(events.Key("h", "h"))
        app.post_message(events.Key("l", "l"))
        await pilot.pause()
        await pilot.press("slash", "end")  # back in the search, after its 'bu'
        by_hand_too = {by_hand, kept}
        for letter in "yers":
            await searched(app, pilot, letter)
            under = {up for hit in app.hits for up in app.outline.path(hit)[:-1]}
            assert expanded(app) - by_hand_too <= under, letter  # nothing unfolded that leads to no match
            assert kept in expanded(app) and by_hand in expanded(app)
            assert cursor(app) == app.hits[0]
        assert not (opened_for_bu - by_hand_too) & expanded(app)
        await searched(app, pilot, *["backspace"] * 6)  # the search emptied: what it unfolded is folded
        assert expanded(app) == {by_hand, kept}

    drive(flow)


def test_enter_j_in_one_burst_unfolds_and_steps_onto_the_first_child() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        first = tree(app).root.children[0]
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("j", "j"))
        await pilot.pause()
        assert first.is_expanded and cursor(app) == first.children[0].data
        app.post_message(events.Key("k", "k"))
        app.post_message(events.Key("space", " "))
        app.post_message(events.Key("j", "j"))
        await pilot.pause()
        assert not first.is_expanded and cursor(app) == tree(app).root.children[1].data

    drive(flow)


# -- links and history -------------------------------------------------------------------


def test_follow_a_link_with_enter_and_come_back_with_backspace_or_b() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        links = app.query_one("#links", OptionList)
        ids = [links.get_option_at_index(i).id for i in range(links.option_count)]
        assert ids == ["criminalizing-johns", "johns-dangerous-for-girls", "johns-focus-hides-problem",
                       "stops-blaming-victim", "addresses-the-crime"]
        await pilot.press("tab")
        assert app.focused is app.query_one("#detail-scroll")  # to scroll a long entry
        await pilot.press("tab")
        assert app.focused is links
        await pilot.press("down", "enter")  # the first rebuttal
        assert cursor(app) == "johns-dangerous-for-girls" and app.focused is tree(app)
        await pilot.press("1")  # what it answers
        assert cursor(app) == "criminalize-johns"
        await pilot.press("3")
        assert cursor(app) == "johns-focus-hides-problem"
        await pilot.press("backspace")
        assert cursor(app) == "criminalize-johns"
        await pilot.press("b")
        assert cursor(app) == "johns-dangerous-for-girls"
        await pilot.press("b", "b")
        assert cursor(app) == "criminalize-johns" and "nothing to go back to" in status(app)

    drive(flow, start="criminalize-johns")


def test_the_mouse_selects_unfolds_and_follows() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.click(DebateTree, offset=(4, 2))  # the third question's line
        await pilot.pause()
        assert cursor(app) == "criminalizing-johns"
        await pilot.click(OptionList, offset=(6, 1))  # its first link: a position
        await pilot.pause()
        assert cursor(app) == "criminalize-johns"

    drive(flow)


# -- filters, compare, copy, switch, help, quit --------------------------------------------


def test_filters_keep_what_matches_and_what_leads_to_it() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        # the stance filter, by keyboard: tab to it, open it, the first value ("for")... no: "against"
        await pilot.press("tab", "tab", "enter", "down", "down", "enter")
        await pilot.pause()
        await pilot.click("#apply")
        await pilot.pause()
        assert app.chosen == {"stance": "against"}
        kept = {a.id for a in app.kb.arguments if a.stance.value == "against"}
        assert app.outline.matched == kept
        assert "match the filter" in status(app)
        questions = {app.outline.path(a)[0] for a in kept}
        assert [n.data for n in tree(app).root.children] == [q.id for q in app.kb.questions if q.id in questions]
        assert 0 < len(questions) < len(app.kb.questions)
        # what leads to a match is shown dimmed, the matches as they are
        assert app.nodes[next(iter(questions))].label.spans[-1].style == "dim"
        await pilot.press("f")
        await pilot.click("#clear")
        await pilot.pause()
        assert app.outline.visible is None and len(tree(app).root.children) == 4

    drive(flow)


def test_the_unanswered_filter() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("f")
        await pilot.click("#filter-unanswered")  # opens the choice: nothing highlighted yet
        await pilot.press("down", "down", "enter")
        await pilot.click("#apply")
        await pilot.pause()
        assert app.unanswered is True
        from policyx.views.filtering import unanswered

        expected = {a.id for a in app.kb.arguments if unanswered(app.kb, a)}
        assert expected and app.outline.matched == expected
        assert all(n.data in app.outline.visible for n in tree(app).root.children)

    drive(flow)


def test_compare_two_marked_entries_side_by_side() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("c")
        assert "mark two" in status(app)
        await pilot.press("m", "j", "m")
        assert app.marked == ["criminalize-johns", "do-not-criminalize-johns"]
        assert app.nodes["criminalize-johns"].label.plain.startswith("* ")
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        sides = [str(s.content) for s in app.screen.query(".side").results(Static)]
        assert sides[0].startswith("position criminalize-johns") and sides[1].startswith(
            "position do-not-criminalize-johns")
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)

    drive(flow, start="criminalize-johns")


def test_y_copies_the_id() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("y")
        assert app.clipboard == "stops-blaming-victim"
        assert "copied stops-blaming-victim" in status(app)

    drive(flow, start="stops-blaming-victim")


def test_help_lists_every_key() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        grid = app.screen.query_one("#help", Static).content
        assert isinstance(grid, Table)
        assert [list(column.cells) for column in grid.columns] == [[k for k, _ in KEYS], [w for _, w in KEYS]]
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)

    drive(flow)


def test_q_quits() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # the app is closing (None until it exits): q asked it to

    app = drive(flow)
    assert app.return_code == 0


def test_a_library_switches_between_its_knowledge_bases(tmp_path: Path) -> None:
    from policyx.kb.libopen import open_library

    (tmp_path / "talk.txt").write_text("First we met. The law failed them. Then we left.", encoding="utf-8")
    write_kb(tmp_path, KB, "one.yaml")
    write_kb(tmp_path, KB.replace("id: q1", "id: q9").replace("question: q1", "question: q9"), "two.yaml")
    kb = open_library([tmp_path])

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert [n.label.plain[:8] for n in tree(app).root.children] == ["[one] ? ", "[two] ? "]
        await pilot.press("s")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("down", "down", "enter")  # "two"
        await pilot.pause()
        assert [n.data for n in tree(app).root.children] == ["q9"]
        await pilot.press("s", "up", "up", "enter")  # every knowledge base
        await pilot.pause()
        assert len(tree(app).root.children) == 2

    drive(flow, kb)


# -- data is never markup ------------------------------------------------------------------

KB = """\
version: 1
sources:
  - id: talk
    title: A talk
    file: talk.txt
actors:
  - id: someone
    name: "[red]Someone[/red]"
questions:
  - id: q1
    text: "Is [bold]this[/bold] a \\x1b[31mquestion?"
positions:
  - id: p1
    question: q1
    claim: "It is [link=http://x]so[/link]."
    held_by: [someone]
    agreement: individual
    quote: The law failed them.
    source: talk
"""


def test_text_from_the_knowledge_base_is_never_markup(tmp_path: Path) -> None:
    (tmp_path / "talk.txt").write_text("First we met. The law failed them. Then we left.", encoding="utf-8")
    kb = open_kb(write_kb(tmp_path, KB))

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert app.nodes["q1"].label.plain == "? q1: Is [bold]this[/bold] a \\x1b[31mquestion?"
        await pilot.press("enter", "j")
        assert cursor(app) == "p1"
        plain = detail(app).plain
        assert "It is [link=http://x]so[/link]." in plain and "held by: [red]Someone[/red]" in plain
        assert "First we met. «The law failed them.» Then we left." in plain

    drive(flow, kb)


# -- the command ---------------------------------------------------------------------------


def test_explore_in_a_pipe_says_it_needs_a_terminal() -> None:
    done = subprocess.run([sys.executable, "-m", "policyx", "explore"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == ""
    assert "explore is a full-screen app: it needs a terminal" in done.stderr
    assert "Traceback" not in done.stderr


def test_explore_without_textual_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import policyx.explore

    monkeypatch.setattr(policyx.explore, "available", lambda: False)
    from policyx.cli.app import run

    with pytest.raises(SystemExit) as exited:
        run(["explore"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert 'explore needs Textual, which is not installed: pip install "textual>=8.2,<9"' in err


@pytest.mark.parametrize("argv", [["list"], ["show", "criminalize-johns"], ["search", "buyers"], ["map"],
                                  ["explore", "--help"], ["help", "explore"]])
def test_no_other_command_imports_textual(argv: list[str]) -> None:
    code = ("import sys\nfrom policyx.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('TEXTUAL=' + repr(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert done.stdout  # the command ran and printed
    assert "TEXTUAL=[]" in done.stderr


def test_completion_does_not_import_textual() -> None:
    code = ("import sys\nfrom policyx.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write('TEXTUAL=' + repr(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n")
    env = {"_POLICYX_COMPLETE": "complete_bash", "COMP_WORDS": "policyx explore crim", "COMP_CWORD": "2",
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "criminalize-johns" in done.stdout
    assert "TEXTUAL=[]" in done.stderr


#: the student's tour as the README tells it, in the order this test presses the keys
README_TOUR = ["`policyx\nexplore`", "`/buyers` Enter", "`l l`", "`m j m c`", "(Esc\ncloses)", "`k 2`", "`b`", "`q`"]


def test_the_readme_tells_the_students_tour_this_test_takes() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    at = [readme.find(step) for step in README_TOUR]
    assert -1 not in at and at == sorted(at), dict(zip(README_TOUR, at, strict=True))


def test_the_students_tour_of_docs_explore_md() -> None:
    """docs/explore.md's tour (and the README's, :data:`README_TOUR`), key by key at 80x24 (the
    keyboard alone): open the bundled debate, find the clash over buyers, read both sides' quotes
    inside the report, compare them, follow a rebuttal (its quote in the report too) and come back."""

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert [n.data for n in tree(app).root.children] == [q.id for q in app.kb.questions]  # 1. folded
        await searched(app, pilot, "slash", *"buyers")  # 2.
        assert cursor(app) == "criminalizing-johns" and "match 1 of 3" in status(app)
        await pilot.press("enter")
        assert app.focused is tree(app)
        await pilot.press("l", "l")  # 3.
        assert cursor(app) == "criminalize-johns"
        text = detail(app).plain
        assert "held by: another individual (for criminalizing johns)" in text
        assert "quote (verified) from" in text
        assert ("While one individual stated that it could be dangerous for the girls, «another thought that it"
                " was currently the best option.» The individual against the criminalization of “johns” stated"
                " that they are potentially a resource for the women being trafficked, and at times help them"
                " escape.") in text
        await pilot.press("m", "j")  # 4. the other side
        assert cursor(app) == "do-not-criminalize-johns"
        text = detail(app).plain
        assert "quote (verified) from" in text
        assert ("«The individual against the criminalization of “johns”» stated that they are potentially a"
                " resource for the women being trafficked") in text
        await pilot.press("m", "c")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)
        await pilot.press("k")  # 5. a rebuttal
        assert cursor(app) == "criminalize-johns"
        await pilot.press("2")
        assert cursor(app) == "johns-dangerous-for-girls"
        text = detail(app).plain
        assert "Criminalizing johns could be dangerous for the girls." in text
        assert "quote (verified) from" in text and "«While one individual stated that it could be dangerous" in text
        await pilot.press("b")  # 6. and back
        assert cursor(app) == "criminalize-johns"
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0

    drive(flow, size=(80, 24))


@pytest.mark.parametrize(("start", "shown"), [("session-report", "source session-report"),
                                              ("attendees", "actor attendees")])
def test_opened_at_an_entry_outside_the_tree_shows_it(start: str, shown: str) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert detail(app).plain.startswith(shown)

    drive(flow, start=start)


def test_t_switches_between_light_and_dark() -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        assert app.current_theme.dark
        await pilot.press("t")
        assert not app.current_theme.dark and app.theme == "textual-light"
        await pilot.press("t")
        assert app.current_theme.dark

    drive(flow)


@pytest.mark.parametrize("opens", [("question_mark",), ("f",), ("m", "j", "m", "c")])
def test_q_closes_every_dialog_as_esc_does(opens: tuple[str, ...]) -> None:
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press(*opens)
        await pilot.pause()
        assert isinstance(app.screen, (HelpScreen, FilterScreen, CompareScreen))
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is app.screen_stack[0] and app.return_code is None  # closed; the app runs on

    drive(flow, start="criminalize-johns")


def test_a_big_debate_reads_a_source_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above SOURCES_IN_THREAD entries, a quote's source is read away from the keys: the pane
    shows the quote at once, says the source is being read, then shows it inside its source."""
    import threading

    from policyx.explore import app as explore_app
    from policyx.views.entrydetail import SourceTexts

    monkeypatch.setattr(explore_app, "SOURCES_IN_THREAD", 0)  # as if the debate were big
    gate = threading.Event()
    real = SourceTexts.read

    def slow(self: SourceTexts, source: object) -> object:
        assert gate.wait(30)
        return real(self, source)  # type: ignore[arg-type]

    monkeypatch.setattr(SourceTexts, "read", slow)

    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("j")  # answered at once: the next position, its source not read yet
        assert cursor(app) == "do-not-criminalize-johns"
        text = detail(app).plain
        assert "«The individual against the criminalization of “johns”»" in text
        assert "(the source's text around it is not shown: the source is being read)" in text
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = detail(app).plain
        assert "being read" not in text
        assert "«The individual against the criminalization of “johns”» stated that they are" in text

    drive(flow, start="criminalize-johns")


@pytest.mark.parametrize("width", [40, 50])
def test_a_narrow_terminal_stacks_the_entry_under_the_tree_at_full_width(width: int) -> None:
    # side by side at 40 columns the entry pane kept 7 (a word a line): stacked, it has them all
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        pane = app.query_one("#detail-scroll")
        assert pane.size.width >= width - 4, pane.size
        assert tree(app).size.width >= width - 2 and tree(app).region.bottom <= pane.region.y
        await pilot.resize_terminal(100, 24)  # wide again: side by side
        await pilot.pause()
        assert tree(app).region.right <= pane.region.x and pane.region.y == tree(app).region.y

    drive(flow, start="criminalize-johns", size=(width, 24))


def test_help_on_a_narrow_terminal_puts_each_key_above_its_words_whole() -> None:
    # beside the keys, 40 columns left the words 10 and cut them ("referen…"): a key a line, its words under it
    async def flow(app: ExploreApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        grid = app.screen.query_one("#help", Static).content
        assert isinstance(grid, Table) and len(grid.columns) == 1
        cells = [str(cell) for cell in grid.columns[0].cells]
        assert cells == [f"{k}\n  {w}" for k, w in KEYS]
        shown = "\n".join(line.text for line in app.screen.query_one("#help", Static).render_lines(
            app.screen.query_one("#help", Static).region.reset_offset))
        assert "…" not in shown

    drive(flow, size=(40, 60))
