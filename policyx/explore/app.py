"""The explorer: a Textual app with the debate as a tree on the left, the entry in full on the right.

Tree nodes are made when their parent is unfolded (:class:`policyx.views.browse.Outline`
answers one node's children at a time), so the first screen costs the questions alone,
whatever the size of the knowledge base.
"""

from __future__ import annotations

from dataclasses import replace
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
from ..kb.model import Argument, Kind, KnowledgeBase, kind_of
from ..output.cells import one_line
from ..views.browse import (
    TREE_KINDS,
    Branch,
    Detail,
    Outline,
    Searcher,
    SourceTexts,
    Standings,
    detail,
    links,
    make_filters,
    members,
    relation_to,
)
from ..views.search import search_terms
from .screens import CompareScreen, FilterScreen, HelpScreen, LibraryScreen
from .text import detail_text, label, link_text, premise_label, reference

#: above this many positions and arguments, standing is worked out in a thread the first time it
#: is needed (about a second for 22,500 arguments), so that no key waits for it
STANDING_IN_THREAD = 2000

#: the keys, as ``?`` and docs/explore.md list them
KEYS: tuple[tuple[str, str], ...] = (
    ("up/down, k/j", "move in the tree"),
    ("right/l, left/h", "unfold; fold or go to the parent"),
    ("Enter, Space", "fold or unfold the entry; on a reference (see ID), go where it is shown whole"),
    ("g, G", "the first, the last entry"),
    ("Tab, Shift+Tab", "move between the tree, the entry (to scroll it) and its links"),
    ("Enter on a link, 1-9", "follow a link (what it answers, what answers it)"),
    ("Backspace, b", "back where you came from"),
    ("/", "search as you type (Enter keeps the matches, Esc leaves)"),
    ("n, N", "the next, the previous match"),
    ("f", "filter: tag, actor, stance, claim type, unanswered"),
    ("m", "mark an entry to compare (two at most)"),
    ("c", "compare the two marked entries side by side"),
    ("y", "copy the entry's id"),
    ("s", "switch between the knowledge bases of a library"),
    ("t", "light or dark colours (for a light or a dark terminal)"),
    ("?", "this help"),
    ("q", "quit"),
)


class DebateTree(Tree[str]):
    """The tree with a terminal user's keys: hjkl, g/G."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l,right", "unfold", "Unfold", show=False),
        Binding("h,left", "fold", "Fold", show=False),
        Binding("g,home", "first", "Top", show=False),
        Binding("G,end", "last", "Bottom", show=False),
    ]

    def action_unfold(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            if node.is_expanded and node.children:
                self.move_cursor(node.children[0])
            else:
                node.expand()

    def action_fold(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_first(self) -> None:
        self.move_cursor_to_line(0)

    def action_last(self) -> None:
        lines = len(self._tree_lines)
        if lines:
            self.move_cursor_to_line(lines - 1)


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
    CSS = """
    #panes { height: 1fr; }
    #tree { width: 42%; min-width: 30; border-right: solid $primary; }
    #right { width: 1fr; }
    #detail-scroll { height: 1fr; padding: 0 1; }
    #links { height: auto; max-height: 6; border-top: solid $primary; }
    #status { height: 1; background: $panel; padding: 0 1; }
    #search { height: 1; border: none; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("slash", "search", "Search"),
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
        self.texts = SourceTexts(kb, sources)
        #: standing (derived), computed the first time a position or argument is shown
        self.standings = Standings(kb)
        self.searcher = Searcher(kb)
        self.nodes: dict[str, TreeNode[str]] = {}
        #: version 2: the tree's references (an argument shown whole elsewhere), by node:
        #: (the node, its branch, the entry above it)
        self.refs: dict[int, tuple[TreeNode[str], Branch, str]] = {}
        #: linked premises shown under their argument: (the node, number, count, claim)
        self.premises: dict[int, tuple[TreeNode[str], int, int, str]] = {}
        self.loaded: set[str] = set()
        self.current: str | None = None
        self.shown: Detail | None = None
        self.history: list[str] = []
        self.marked: list[str] = []
        self.terms: list[str] = []
        self.hits: list[str] = []
        self.hit = -1
        self.chosen: dict[str, str] = {}
        self.unanswered = False

    # -- building ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            tree = DebateTree(Text(self.kb.title or "the debate"), id="tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with Vertical(id="right"):
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
                yield OptionList(id="links")
        yield Static(id="status")
        yield SearchInput(placeholder="/ to search", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.build_tree()
        tree = self.query_one(DebateTree)
        tree.focus()
        if self.start is not None:
            self.go(self.start)
        elif tree.root.children:
            self.move_to(tree.root.children[0])

    def build_tree(self) -> None:
        tree = self.query_one(DebateTree)
        tree.clear()
        self.nodes.clear()
        self.refs.clear()
        self.premises.clear()
        self.loaded.clear()
        for question in self.outline.questions():
            self._add(tree.root, question.id)
        self.say(self._summary())

    def _add(self, parent: TreeNode[str], entry_id: str) -> TreeNode[str]:
        entry = self.kb.get(entry_id)
        assert entry is not None
        node = parent.add(self._label(entry_id), data=entry_id, allow_expand=self.outline.has_children(entry_id))
        self.nodes[entry_id] = node
        return node

    def load(self, node: TreeNode[str]) -> None:
        """Make a node's children, the first time it is unfolded."""
        entry_id = node.data
        if entry_id is None or entry_id in self.loaded or node.id in self.refs or node.id in self.premises:
            return
        self.loaded.add(entry_id)
        entry = self.kb.get(entry_id)
        if isinstance(entry, Argument):
            count = len(entry.premises)
            for at, premise in enumerate(entry.premises, 1):
                leaf = node.add_leaf(premise_label(at, count, premise.claim, self.terms), data=entry_id)
                self.premises[leaf.id] = (leaf, at, count, premise.claim)
        for branch in self.outline.branches(entry_id):
            if branch.ref:
                ref = node.add_leaf(self._reference(branch, entry_id), data=branch.entry.id)
                self.refs[ref.id] = (ref, branch, entry_id)
            else:
                self._add(node, branch.entry.id)

    def _reference(self, branch: Branch, above: str) -> Text:
        assert isinstance(branch.entry, Argument)
        home = self.outline.parent(branch.entry.id)
        # "above" when the entry is shown whole on the way up to here (a circle of attacks)
        on_the_way = home is not None and branch.entry.id in self.outline.path(above)
        return reference(branch.entry, branch.relation, None if on_the_way else home, self.terms)

    def _label(self, entry_id: str) -> Text:
        entry = self.kb.get(entry_id)
        assert entry is not None
        dim = self.outline.visible is not None and entry_id not in self.outline.matched
        # in a library showing every knowledge base, a question says which it comes from
        where = self.kb.kb_of(entry_id) if self.outline.member is None and kind_of(entry) is Kind.QUESTIONS else None
        above = self.outline.parent(entry_id) if isinstance(entry, Argument) and self.kb.version >= 2 else None
        relation = relation_to(entry, above) if isinstance(entry, Argument) and above is not None else None
        return label(entry, self.terms, entry_id in self.marked, dim, where, relation)

    def relabel(self) -> None:
        """Labels again (search terms, marks changed), for the nodes made so far."""
        for entry_id, node in self.nodes.items():
            node.set_label(self._label(entry_id))
        for node, branch, above in self.refs.values():
            node.set_label(self._reference(branch, above))
        for node, at, count, claim in self.premises.values():
            node.set_label(premise_label(at, count, claim, self.terms))

    # -- moving --------------------------------------------------------------

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.load(event.node)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data is not None:
            self.show(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        """Enter on a reference: go where the argument is shown whole (b comes back above it)."""
        found = self.refs.get(event.node.id)
        if found is None:
            return
        _node, branch, above = found
        self.history.append(above)
        self.go(branch.entry.id)
        self.query_one(DebateTree).focus()

    @on(OptionList.OptionSelected, "#links")
    def _link(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.follow(event.option.id)

    def move_to(self, node: TreeNode[str]) -> None:
        tree = self.query_one(DebateTree)
        tree._tree_lines  # noqa: B018 (lines are built lazily: a node's line is known once they are)
        tree.move_cursor(node)
        tree.scroll_to_node(node, animate=False)
        if node.data is not None and node.data != self.current:
            self.show(node.data)

    def reveal(self, entry_id: str) -> bool:
        """Unfold the tree down to an entry and put the cursor on it; False when the tree
        does not show it (not a question, position or argument, or filtered out)."""
        if not self.outline.in_tree(entry_id):
            return False
        path = self.outline.path(entry_id)
        for step in path[:-1]:
            node = self.nodes.get(step)
            if node is None:
                return False
            self.load(node)
            if not node.is_expanded:  # (expand() rebuilds every line of the tree, even when open)
                node.expand()
        node = self.nodes.get(entry_id)
        if node is None:
            return False
        self.move_to(node)
        return True

    def go(self, entry_id: str) -> None:
        """Show an entry: in the tree when it is there, else in the detail pane alone."""
        if not self.reveal(entry_id):
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
        self.query_one(DebateTree).focus()

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
        options = self.query_one("#links", OptionList)
        options.clear_options()
        options.add_options([Option(link_text(n, link), id=link.id)
                             for n, link in enumerate(links(self.shown), start=1)])
        if options.option_count:
            options.highlighted = 0

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
        self.query_one(DebateTree).focus()

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
            self.marked = [*self.marked, self.current][-2:]
        for entry_id in before.symmetric_difference(self.marked):  # only the labels that change
            if entry_id in self.nodes:
                self.nodes[entry_id].set_label(self._label(entry_id))
        self.say(f"marked: {', '.join(self.marked) or 'none'}" + ("; c compares them" if len(self.marked) == 2 else ""))

    def action_compare(self) -> None:
        ids = list(self.marked)
        if len(ids) == 1 and self.current is not None and self.current not in ids:
            ids.append(self.current)
        if len(ids) != 2:
            self.say("mark two positions or arguments with m, then c compares them")
            return
        from ..views.compare import compare

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
            tree = self.query_one(DebateTree)
            if self.current is not None and self.reveal(self.current):
                return
            if tree.root.children:
                self.move_to(tree.root.children[0])

        self.push_screen(FilterScreen(self.kb, self.chosen, self.unanswered), done)

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
            tree = self.query_one(DebateTree)
            if tree.root.children:
                self.move_to(tree.root.children[0])

        self.push_screen(LibraryScreen(names, self.outline.member), done)

    # -- search --------------------------------------------------------------

    def action_search(self) -> None:
        self.say("/ search: type words; Enter keeps the matches (n, N move), Esc leaves")
        # always on screen (opening it changes no layout, so nothing else is drawn again)
        self.query_one("#search", SearchInput).focus()

    def end_search(self) -> None:
        self.query_one(DebateTree).focus()

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
        hits = self.searcher.search(text, lambda: worker.is_cancelled)
        if hits is not None and not worker.is_cancelled:
            self.call_from_thread(self.found, text, search_terms(text), hits)

    def found(self, text: str, terms: list[str], hits: list[str]) -> None:
        if self.query_one("#search", SearchInput).value != text:
            return  # typed on since: a newer search comes
        self.terms, self.hits, self.hit = terms, hits, -1
        self.relabel()
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
        self.go(entry_id)
        shown = "" if self.outline.in_tree(entry_id) else " (hidden by the filter)"
        self.say(f"match {self.hit + 1} of {len(self.hits)}: {entry_id}{shown}; n, N for the next, the previous")
