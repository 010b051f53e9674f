"""The explorer's left pane: the debate as a Textual ``Tree``, its nodes made when their parent
is first unfolded.

:class:`policyx.views.browse.Outline` answers one node's children at a time, so the first
screen costs the questions alone, whatever the size of the knowledge base. Only Textual's
public API is used (``Tree``, ``TreeNode``, their documented override points
``get_label_width`` and the ``scroll_home``/``scroll_end`` actions): a newer Textual should
not break it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..kb.model import Argument, Kind, KnowledgeBase, kind_of
from ..output.cells import one_line
from ..views.browse import Branch, Outline, relation_to
from ..views.lookup import main_text
from ..views.search import word_string
from .text import label, premise_label, reference


class DebateTree(Tree[str]):
    """The tree with a terminal user's keys (hjkl, g/G), made one unfolded node at a time.

    ``nodes``: the node showing each entry whole; ``refs``: the references (an entry shown
    whole elsewhere: a version-2 argument reached twice, a position another contradicts), by
    node id, with their branch and the entry above them; ``premises``: linked premises shown
    under their argument, by node id: (number, count, claim); ``opened``: the entries whose
    node the search unfolded (folded back when the search's matches no longer lie under them;
    what the user unfolded is theirs).

    Enter and Space fold or unfold at once, and Enter on a reference calls ``on_reference`` at
    once, not on a message handled after the keys already queued: 'Enter j' typed in one burst
    steps onto the first child, or below the entry the reference leads to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l,right", "unfold", "Unfold", show=False),
        Binding("h,left", "fold", "Fold", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, kb: KnowledgeBase, outline: Outline, id: str | None = None,  # noqa: A002
                 on_reference: Callable[[TreeNode[str]], None] | None = None) -> None:
        super().__init__(Text(one_line(kb.title or "the debate")), id=id)  # (hidden: show_root is off)
        self.auto_expand = False  # (Enter folds or unfolds in action_select_cursor, at once)
        self.on_reference = on_reference
        self.opened: set[str] = set()
        self.kb = kb
        self.outline = outline
        self.show_root = False
        self.guide_depth = 2
        self.nodes: dict[str, TreeNode[str]] = {}
        self.refs: dict[int, tuple[TreeNode[str], Branch, str]] = {}
        self.premises: dict[int, tuple[TreeNode[str], int, int, str]] = {}
        self.loaded: set[str] = set()
        #: the search's words (highlighted in the labels) and the marked entries
        self.terms: list[str] = []
        self.marked: list[str] = []
        #: each node's words (as views.search.word_string has them), to tell whose label a
        #: search changes
        self._words: dict[int, str] = {}

    # -- keys ------------------------------------------------------------------

    def action_unfold(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            if node.is_expanded and node.children:
                self.move_to(node.children[0])  # (its line known even when unfolded just now)
            else:
                self.load(node)  # now, not on NodeExpanded: an 'l' typed right after finds the children
                node.expand()

    def action_select_cursor(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        self.action_toggle_node()
        if node.id in self.refs and self.on_reference is not None:
            self.on_reference(node)
        self.post_message(Tree.NodeSelected(node))

    def action_toggle_node(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if node.is_expanded:
            self.opened.discard(node.data or "")  # folded by hand: unfolding it again is the user's
            node.collapse()
        else:
            self.load(node)  # its children now: a 'j' typed right after steps onto the first
            node.expand()

    def action_fold(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            self.opened.discard(node.data or "")
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def get_label_width(self, node: TreeNode[str]) -> int:
        """What ``render_label`` would measure, without drawing the label: the toggle and the text
        (Textual asks it of every line each time the tree changes)."""
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
        text = node.label
        return cell_len(icon) + (text.cell_len if isinstance(text, Text) else cell_len(text))

    # -- building --------------------------------------------------------------

    def build(self) -> None:
        """The questions again (a filter or the knowledge base shown changed)."""
        self.clear()
        self.nodes.clear()
        self.refs.clear()
        self.premises.clear()
        self.loaded.clear()
        self.opened.clear()
        self._words.clear()
        for question in self.outline.questions():
            self._add(self.root, question.id)

    def _add(self, parent: TreeNode[str], entry_id: str) -> TreeNode[str]:
        node = parent.add(self.label_of(entry_id), data=entry_id, allow_expand=self.outline.has_children(entry_id))
        self.nodes[entry_id] = node
        return node

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.load(event.node)

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
        home = self.outline.parent(branch.entry.id)
        # "above" when the entry is shown whole on the way up to here (a circle of attacks)
        on_the_way = home is not None and branch.entry.id in self.outline.path(above)
        return reference(branch.entry, branch.relation, None if on_the_way else home, self.terms)

    def label_of(self, entry_id: str) -> Text:
        entry = self.kb.get(entry_id)
        assert entry is not None
        outline = self.outline
        dim = outline.visible is not None and entry_id not in outline.matched
        # in a library showing every knowledge base, a question says which it comes from
        where = self.kb.kb_of(entry_id) if outline.member is None and kind_of(entry) is Kind.QUESTIONS else None
        above = outline.parent(entry_id) if isinstance(entry, Argument) and self.kb.version >= 2 else None
        relation = relation_to(entry, above) if isinstance(entry, Argument) and above is not None else None
        return label(entry, self.terms, entry_id in self.marked, dim, where, relation)

    def search_for(self, terms: list[str]) -> None:
        """Highlight ``terms`` in the labels: only the nodes holding a word that the old or
        the new terms begin are labelled again (a search changes a few labels of hundreds)."""
        keys = [" " + t for t in {*self.terms, *terms}]
        self.terms = terms
        for entry_id, node in self.nodes.items():
            if self._holds(node, entry_id, keys):
                node.set_label(self.label_of(entry_id))
        for node, branch, above in self.refs.values():
            if self._holds(node, branch.entry.id, keys):
                node.set_label(self._reference(branch, above))
        for node, at, count, claim in self.premises.values():
            if self._holds(node, claim, keys, claim):
                node.set_label(premise_label(at, count, claim, self.terms))

    def _holds(self, node: TreeNode[str], entry_id: str, keys: list[str], text: str | None = None) -> bool:
        words = self._words.get(node.id)
        if words is None:
            entry = self.kb.get(entry_id)
            shown = text if text is not None else f"{entry_id} {main_text(entry) if entry is not None else ''}"
            words = self._words[node.id] = word_string(shown)
        return any(key in words for key in keys)

    def relabel(self, ids: set[str]) -> None:
        """Those entries' labels again (their marks changed)."""
        for entry_id in ids:
            if entry_id in self.nodes:
                self.nodes[entry_id].set_label(self.label_of(entry_id))

    # -- moving ----------------------------------------------------------------

    def move_to(self, node: TreeNode[str]) -> None:
        """The cursor on ``node``, scrolled into view (even a node made or unfolded just now)."""
        # Textual lays the lines out when they are first needed after a change (on idle, or
        # when asked for one); `last_line` is the public way to ask, so the node's line is known
        self.last_line  # noqa: B018
        self.move_cursor(node)  # (and scrolls to it)

    def reveal(self, entry_id: str, searching: bool = False) -> TreeNode[str] | None:
        """Unfold the tree down to an entry; its node, or None when the tree does not show it
        (not a question, position or argument, or filtered out). ``searching``: the search
        unfolds it (what it unfolds is folded back when no match lies under it any more)."""
        if not self.outline.in_tree(entry_id):
            return None
        for step in self.outline.path(entry_id)[:-1]:
            node = self.nodes.get(step)
            if node is None:
                return None
            self.load(node)
            if not node.is_expanded:  # (expand() lays every line of the tree out again, even when open)
                node.expand()
                if searching:
                    self.opened.add(step)
        return self.nodes.get(entry_id)

    def fold_back(self, hits: list[str]) -> None:
        """Fold what the search unfolded with no match of ``hits`` under it any more (the
        outermost first; the cursor, if it was inside, goes up onto the node folded)."""
        if not self.opened:
            return
        under: set[str] = set()  # every entry with a match under it
        for hit in hits:
            up = self.outline.parent(hit)
            while up is not None and up not in under:
                under.add(up)
                up = self.outline.parent(up)
        cursor = self.cursor_node
        for entry_id in [e for e in self.opened if e not in under]:
            self.opened.discard(entry_id)
            node = self.nodes.get(entry_id)
            if node is None or not node.is_expanded:
                continue
            node.collapse()
            if cursor is not None and _inside(cursor, node):
                cursor = node
        if cursor is not None and cursor is not self.cursor_node:
            self.move_to(cursor)

    @on(Tree.NodeCollapsed)
    def _collapsed(self, event: Tree.NodeCollapsed[str]) -> None:
        node = event.node
        if not node.is_expanded and node.data is not None and self.nodes.get(node.data) is node:
            self.opened.discard(node.data)  # folded (by hand or by the search): unfolding it is the user's


def _inside(node: TreeNode[str], above: TreeNode[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is above:
            return True
        parent = parent.parent
    return False
