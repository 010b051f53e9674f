"""The explorer: a Textual app with the debate as a tree on the left (:mod:`.debatetree`, made
lazily), the entry in full on the right, search as you type, a history, marks and the keys.
"""

from __future__ import annotations

from time import sleep
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from ..kb.errors import PolicyxError
from ..kb.model import KnowledgeBase, kind_of
from ..kb.struct import replace
from ..output.cells import one_line
from ..views.browse import TREE_KINDS, Branch, Outline, filter_choices, make_filters, members
from ..views.compare import compare
from ..views.entrydetail import Detail, SourceTexts, Standings, detail, links
from ..views.livesearch import Searcher
from ..views.search import search_terms
from .debatetree import DebateTree
from .screens import KEYS, NARROW, CompareScreen, FilterScreen, HelpScreen, LibraryScreen
from .text import detail_text, link_text

#: above this many positions and arguments, standing is worked out in a thread the first time it
#: is needed (about a second for 22,500 arguments), so that no key waits for it
STANDING_IN_THREAD = 2000

#: above this many positions and arguments, a source's text (for a quote in its context) is
#: read and indexed in a thread the first time it is needed (tens of ms for a long one)
SOURCES_IN_THREAD = 2000

#: seconds a search waits for the next letter before it starts (a burst of letters, one search)
SEARCH_PAUSE = 0.03

class SearchInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Leave", show=False)]

    def action_leave(self) -> None:
        app = self.app
        assert isinstance(app, ExploreApp)
        app.end_search()


class ExploreApp(App[None]):
    """``policyx explore``."""

    TITLE = "policyx explore"
    ENABLE_COMMAND_PALETTE = False
    #: below 60 columns the entry goes under the tree, at full width (side by side it kept a few columns)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    CSS = """
    #panes { height: 1fr; }
    #tree { width: 42%; min-width: 30; border-right: solid $primary; }
    #right { width: 1fr; }
    Screen.-narrow #panes { layout: vertical; }
    Screen.-narrow #tree { width: 1fr; height: 2fr; min-width: 0; border-right: none; border-bottom: solid $primary; }
    Screen.-narrow #right { height: 3fr; }
    #detail-scroll { height: 1fr; padding: 0 1; }
    #links { height: auto; max-height: 6; border-top: solid $primary; }
    #status { height: 1; background: $panel; padding: 0 1; }
    #search { height: 1; border: none; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        # '/' and, in the search, Enter and Esc act as the app takes each key (priority), before it
        # hands on the next: keys typed in one burst (a paste, ssh) reach the widget focused by then
        Binding("slash", "search", "Search", priority=True),
        Binding("enter,escape", "leave_search", show=False, priority=True),
        Binding("n", "next_hit(1)", "Next", show=False),
        Binding("N", "next_hit(-1)", "Previous", show=False),
        Binding("backspace,b", "go_back", "Back"),
        Binding("f", "filters", "Filter"),
        Binding("m", "mark", "Mark", show=False),
        Binding("c", "compare", "Compare"),
        Binding("y", "copy", "Copy id", show=False),
        Binding("s", "switch", "Switch KB", show=False),
        Binding("t", "light_or_dark", "Light/dark", show=False),
        Binding("q", "quit", "Quit"),
        *(Binding(str(n), f"follow_number({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, kb: KnowledgeBase, start: str | None = None, sources: str | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.start = start
        self.outline = Outline(kb)
        #: a big knowledge base's sources are read in a thread the first time a quote needs one
        self.texts = SourceTexts(kb, sources, defer=len(kb.positions) + len(kb.arguments) > SOURCES_IN_THREAD)
        #: standing (derived), computed the first time a position or argument is shown
        self.standings = Standings(kb)
        self.searcher = Searcher(kb)
        self.debate = DebateTree(kb, self.outline, id="tree", on_reference=self._selected)
        self.current: str | None = None
        self.shown: Detail | None = None
        self.history: list[str] = []
        self.hits: list[str] = []
        #: how many entries the search matched (``hits`` keeps the best of them)
        self.matches = 0
        self.hit = -1
        self.chosen: dict[str, str] = {}
        self.choices: dict[str, list[str]] | None = None
        self.unanswered = False

    # -- building ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield self.debate
            with Vertical(id="right"):
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
                yield OptionList(id="links")
        yield Static(id="status")
        yield SearchInput(placeholder="/ to search", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.build_tree()
        tree = self.debate
        tree.focus()
        if self.start is not None:
            self.go(self.start)
        elif tree.root.children:
            self.move_to(tree.root.children[0])

    def build_tree(self) -> None:
        self.debate.build()
        self.say(self._summary())

    # the tree's state, as the app's (what the search and the marks change)
    @property
    def nodes(self) -> dict[str, TreeNode[str]]:
        return self.debate.nodes

    @property
    def refs(self) -> dict[int, tuple[TreeNode[str], Branch, str]]:
        return self.debate.refs

    @property
    def premises(self) -> dict[int, tuple[TreeNode[str], int, int, str]]:
        return self.debate.premises

    @property
    def terms(self) -> list[str]:
        return self.debate.terms

    @property
    def marked(self) -> list[str]:
        return self.debate.marked

    # -- moving --------------------------------------------------------------

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data is not None:
            self.show(event.node.data)

    def _selected(self, node: TreeNode[str]) -> None:
        """Enter on a reference: go where the argument is shown whole (b comes back above it);
        called by the tree at once (keys typed after Enter then start from there)."""
        found = self.refs.get(node.id)
        if found is None:
            return
        _node, branch, above = found
        self.history.append(above)
        self.go(branch.entry.id)
        self.debate.focus()

    @on(OptionList.OptionSelected, "#links")
    def _link(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.follow(event.option.id)

    def move_to(self, node: TreeNode[str]) -> None:
        self.debate.move_to(node)
        if node.data is not None and node.data != self.current:
            self.show(node.data)

    def reveal(self, entry_id: str, searching: bool = False) -> bool:
        """Unfold the tree down to an entry and put the cursor on it; False when the tree
        does not show it (not a question, position or argument, or filtered out)."""
        node = self.debate.reveal(entry_id, searching)
        if node is None:
            return False
        self.move_to(node)
        return True

    def go(self, entry_id: str, searching: bool = False) -> None:
        """Show an entry: in the tree when it is there, else in the detail pane alone."""
        if not self.reveal(entry_id, searching):
            entry = self.kb.get(entry_id)
            if entry is None:
                self.say(f"no entry {entry_id!r}")
                return
            if kind_of(entry) in TREE_KINDS:
                self.say(f"{entry_id} is hidden by the filter or the knowledge base chosen: f or s to change them")
            self.show(entry_id)

    def follow(self, entry_id: str) -> None:
        if self.current is not None and self.current != entry_id:
            self.history.append(self.current)
        self.go(entry_id)
        self.debate.focus()

    def show(self, entry_id: str) -> None:
        entry = self.kb.get(entry_id)
        if entry is None:
            return
        self.current = entry_id
        standings = self.standings
        if not standings.ready and standings.size > STANDING_IN_THREAD and standings.wanted(entry_id):
            self.work_out_standing()
            self.shown = replace(detail(self.kb, entry, self.texts), standing=standings.PENDING)
        else:
            self.shown = detail(self.kb, entry, self.texts, standings)
        self.query_one("#detail", Static).update(detail_text(self.shown, self.terms))
        self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)
        if self.texts.waiting:
            self.read_sources()
        options = self.query_one("#links", OptionList)
        options.clear_options()
        options.add_options([Option(link_text(n, link), id=link.id)
                             for n, link in enumerate(links(self.shown), start=1)])
        if options.option_count:
            options.highlighted = 0

    @work(thread=True, group="sources")
    def read_sources(self) -> None:
        """Read the sources the entry's quotes need away from the keys, then show it again."""
        if self.texts.read_waiting():
            self.call_from_thread(self._sources_ready)

    def _sources_ready(self) -> None:
        shown = self.shown
        if shown is not None and shown.entry.id == self.current and any(
                q.note == SourceTexts.READING for q in (*shown.quotes, *(q for _, _, q in shown.acts),
                                                       *(q for _, q in shown.premises)) if q is not None):
            self.show(shown.entry.id)

    @work(exclusive=True, thread=True, group="standing")
    def work_out_standing(self) -> None:
        """Label a big knowledge base away from the keys (once), then show the entry's label."""
        self.standings.compute()
        self.call_from_thread(self._standing_ready)

    def _standing_ready(self) -> None:
        shown = self.shown
        if shown is not None and self.standings.wanted(shown.entry.id):
            self.shown = replace(shown, standing=self.standings.of(shown.entry.id))
            self.query_one("#detail", Static).update(detail_text(self.shown, self.terms))

    def say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(one_line(message)))

    def _summary(self) -> str:
        what = f"{len(self.outline.questions())} questions"
        if self.outline.member is not None:
            what += f" in {self.outline.member}"
        if self.outline.visible is not None:
            what += f", {len(self.outline.matched)} entries match the filter (f to change it)"
        return what + "; ? for help"

    # -- actions -------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(KEYS))

    def action_go_back(self) -> None:
        if not self.history:
            self.say("nothing to go back to")
            return
        self.go(self.history.pop())
        self.debate.focus()

    def action_follow_number(self, number: int) -> None:
        found = links(self.shown) if self.shown is not None else []
        if 0 < number <= len(found):
            self.follow(found[number - 1].id)

    def action_copy(self) -> None:
        if self.current is not None:
            self.copy_to_clipboard(self.current)
            self.say(f"copied {self.current}")

    def action_mark(self) -> None:
        if self.current is None:
            return
        before = set(self.marked)
        if self.current in self.marked:
            self.marked.remove(self.current)
        else:
            self.debate.marked = [*self.marked, self.current][-2:]
        self.debate.relabel(before.symmetric_difference(self.marked))  # only the labels that change
        self.say(f"marked: {', '.join(self.marked) or 'none'}" + ("; c compares them" if len(self.marked) == 2 else ""))

    def action_compare(self) -> None:
        ids = list(self.marked)
        if len(ids) == 1 and self.current is not None and self.current not in ids:
            ids.append(self.current)
        if len(ids) != 2:
            self.say("mark two positions or arguments with m, then c compares them")
            return

        try:
            structure = compare(self.kb, ids)
        except PolicyxError as exc:
            self.say(exc.message)
            return
        self.push_screen(CompareScreen(structure))

    def action_filters(self) -> None:
        def done(result: tuple[dict[str, str], bool] | None) -> None:
            if result is None:
                return
            self.chosen, self.unanswered = result
            try:
                self.outline.set_filters(make_filters(self.chosen, self.unanswered))
            except PolicyxError as exc:
                self.say(exc.message)
                return
            self.build_tree()
            tree = self.debate
            if self.current is not None and self.reveal(self.current):
                return
            if tree.root.children:
                self.move_to(tree.root.children[0])

        if self.choices is None:  # (every tag in use: a pass over the knowledge base, made once)
            self.choices = filter_choices(self.kb)
        self.push_screen(FilterScreen(self.choices, self.chosen, self.unanswered), done)

    def action_light_or_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_switch(self) -> None:
        names = members(self.kb)
        if not names:
            self.say("one knowledge base in use: give --kb several times, or a folder, for a library")
            return

        def done(name: str | None) -> None:
            if name is None:
                return
            self.outline.member = name or None
            self.build_tree()
            tree = self.debate
            if tree.root.children:
                self.move_to(tree.root.children[0])

        self.push_screen(LibraryScreen(names, self.outline.member), done)

    # -- search --------------------------------------------------------------

    def action_search(self) -> None:
        self.say("/ search: type words; Enter keeps the matches (n, N move), Esc leaves")
        # always on screen (opening it changes no layout); focused now, not after the keys queued
        self.screen.set_focus(self.query_one("#search", SearchInput))
        if not self.searcher.ready:  # once '/' is drawn (the thread would slow the drawing)
            self.call_after_refresh(self.prepare_search)

    @work(exclusive=True, thread=True, group="index")
    def prepare_search(self) -> None:
        """The search's index, made while the first word is typed (once)."""
        self.searcher.prepare()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":  # not in a dialog (in the search: it stays there)
            return len(self.screen_stack) == 1
        return isinstance(self.focused, SearchInput) if action == "leave_search" else True

    def action_leave_search(self) -> None:
        self.end_search()

    def end_search(self) -> None:
        self.screen.set_focus(self.debate)  # at once: keys typed right after Enter are the tree's

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if search_terms(event.value):
            self.say(f"searching for {event.value!r}...")
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self.end_search()

    @work(exclusive=True, thread=True, group="search")
    def run_search(self, text: str) -> None:
        worker = get_current_worker()
        sleep(SEARCH_PAUSE)  # letters typed in a burst (or pasted) make one search, not one each
        if worker.is_cancelled:
            return
        found = self.searcher.search(text, lambda: worker.is_cancelled)
        if found is not None and not worker.is_cancelled:
            self.call_from_thread(self.found, text, search_terms(text), *found)

    def found(self, text: str, terms: list[str], hits: list[str], matches: int = -1) -> None:
        if self.query_one("#search", SearchInput).value != text:
            return  # typed on since: a newer search comes
        self.hits, self.hit = hits, -1
        self.matches = len(hits) if matches < 0 else matches
        self.debate.fold_back(hits)  # the tree shows this query's matches, not those of the letters before
        self.debate.search_for(terms)
        if not terms:
            self.say(self._summary())
            return
        if not hits:
            self.say(f"nothing matches {text!r}")
            return
        self.action_next_hit(1)

    def action_next_hit(self, step: int) -> None:
        if not self.hits:
            self.say("no matches: / searches")
            return
        self.hit = (self.hit + step) % len(self.hits)
        entry_id = self.hits[self.hit]
        self.go(entry_id, searching=True)
        shown = "" if self.outline.in_tree(entry_id) else " (hidden by the filter)"
        among = (f"{len(self.hits):,}" if self.matches == len(self.hits)
                 else f"the best {len(self.hits):,} of {self.matches:,} (more words narrow it)")
        self.say(f"match {self.hit + 1} of {among}: {entry_id}{shown}; n, N for the next, the previous")
