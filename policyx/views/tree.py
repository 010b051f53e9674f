"""The one tree model: question -> positions -> arguments for and against -> rebuttals.

The map, the handout, the diagrams, the interchange exports, ``show`` and
``compare`` all walk these nodes, so they agree on what is shown and in which
order (file order). Trees are built and walked without recursion: a chain of
rebuttals can be as deep as a knowledge base makes it, deeper than Python's
recursion limit.

A knowledge base of schema version 2 is a graph: an argument may answer several entries,
and attacks may run in a circle. The walk still gives a tree: an argument reached a
second time is a reference node (``ref``: shown as "see ID above", with no replies of its
own), and each node says how it bears on the node above it (``stance``, ``undercut``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from ..kb.model import Actor, Argument, KnowledgeBase, Position, Question, Stance
from ..kb.struct import dataclass, field


@dataclass
class ArgumentNode:
    """An argument and the arguments that answer it (supports and attacks, file order)."""

    argument: Argument
    by: Actor | None
    replies: list[ArgumentNode] = field(default_factory=list)
    #: how it bears on the node above (None: its own stance, as in version 1)
    relation: Stance | None = None
    #: it attacks the step of the argument above, not its claim
    undercut: bool = False
    #: reached before in the same walk: a reference to the node shown above, not a copy
    ref: bool = False

    @property
    def id(self) -> str:
        return self.argument.id

    @property
    def stance(self) -> Stance:
        """How the argument bears on the node above it."""
        return self.argument.stance if self.relation is None else self.relation


@dataclass
class PositionNode:
    position: Position
    holders: tuple[Actor, ...]
    replies: list[ArgumentNode] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.position.id


@dataclass
class QuestionNode:
    question: Question
    positions: list[PositionNode] = field(default_factory=list)
    #: every position of the question, also those a filter left out of
    #: ``positions``: the outcome is the whole question's, not the excerpt's
    every_position: list[Position] = field(default_factory=list)
    #: in a library, the name of the knowledge base it comes from
    kb: str | None = None

    @property
    def id(self) -> str:
        return self.question.id


@dataclass
class DebateMap:
    questions: list[QuestionNode]
    #: the knowledge base it maps (renderers word version 2's links from it)
    kb: KnowledgeBase | None = None
    #: ``map``'s ``standing`` option: each position's and argument's derived grounded label (views/framework.py)
    standing: dict[str, str] | None = None

    def positions(self) -> Iterator[PositionNode]:
        for question in self.questions:
            yield from question.positions

    def arguments(self) -> Iterator[tuple[ArgumentNode, PositionNode | ArgumentNode]]:
        """Every argument with the node it answers, depth first, file order."""
        for position in self.positions():
            for node, parent, _depth in walk(position):
                if isinstance(node, ArgumentNode):
                    assert parent is not None
                    yield node, parent



Node = PositionNode | ArgumentNode


def walk(root: Node, max_depth: int | None = None) -> Iterator[tuple[Node, Node | None, int]]:
    """Pre-order walk: (node, parent, depth) with the root at depth 0. Iterative.
    Nodes at ``max_depth`` are yielded but not descended into."""
    stack: list[tuple[Node, Node | None, int]] = [(root, None, 0)]
    while stack:
        node, parent, depth = stack.pop()
        yield node, parent, depth
        if max_depth is None or depth < max_depth:
            stack.extend((child, node, depth + 1) for child in reversed(node.replies))


def reply_nodes(
    kb: KnowledgeBase, entry_id: str, keep: set[str] | None = None, actors: dict[str, Actor] | None = None,
    seen: set[str] | None = None,
) -> list[ArgumentNode]:
    """The arguments answering ``entry_id``, each with its own replies nested (file order);
    with ``keep``, only the arguments whose ids it holds. An argument met again (in
    ``seen``, which a caller may share between walks) is a reference node."""
    # who made each argument: by the id index when no table is given (a table of every actor made
    # for each call cost `show` of a question with 1,700 positions, 1,351 actors, 0.07 s)
    who: Callable[[str], Actor | None] = actors.get if actors is not None else partial(_actor, kb)
    if kb.version >= 2:
        return _graph_nodes(kb, entry_id, keep, who, {entry_id} if seen is None else seen)
    roots: list[ArgumentNode] = []
    stack: list[tuple[str, list[ArgumentNode]]] = [(entry_id, roots)]
    seen = set() if seen is None else seen
    while stack:
        parent_id, replies = stack.pop()
        for reply in kb.replies_to(parent_id):
            if (keep is not None and reply.id not in keep) or reply.id in seen:  # the loader refuses cycles
                continue
            seen.add(reply.id)
            child = ArgumentNode(reply, who(reply.by) if reply.by else None)
            replies.append(child)
            stack.append((reply.id, child.replies))
    return roots


def _actor(kb: KnowledgeBase, actor_id: str) -> Actor | None:
    entry = kb.get(actor_id)
    return entry if isinstance(entry, Actor) else None


def _graph_nodes(kb: KnowledgeBase, entry_id: str, keep: set[str] | None, who: Callable[[str], Actor | None],
                 seen: set[str]) -> list[ArgumentNode]:
    """reply_nodes of a graph: built in the order shown (pre-order), so that the first
    time an argument is met it is shown whole, and every later time it is a reference
    to the one above."""
    roots: list[ArgumentNode] = []
    stack: list[tuple[Argument, str, list[ArgumentNode]]] = [
        (reply, entry_id, roots) for reply in reversed(kb.replies_to(entry_id))]
    seen.add(entry_id)
    while stack:
        reply, parent_id, replies = stack.pop()
        if keep is not None and reply.id not in keep:
            continue
        stance = next(s for s, target in reply.relations if target == parent_id)
        child = ArgumentNode(reply, who(reply.by) if reply.by else None, relation=stance,
                             undercut=reply.undercuts == parent_id, ref=reply.id in seen)
        replies.append(child)
        if not child.ref:
            seen.add(reply.id)
            stack.extend((answer, reply.id, child.replies) for answer in reversed(kb.replies_to(reply.id)))
    return roots


@dataclass(frozen=True)
class TreeNode:
    """An argument in the tree under an entry: ``depth`` 1 replies to the entry itself."""

    argument: Argument
    depth: int
    #: +1 when the argument supports the tree's root, -1 when it attacks it
    polarity: int
    #: the entry it answers here (a version-2 argument may answer several)
    parent: str = ""
    #: its node in the walk (how it bears on ``parent``; a reference to one above)
    node: ArgumentNode | None = None


def argument_tree(kb: KnowledgeBase, entry_id: str) -> list[TreeNode]:
    """Every argument bearing on ``entry_id``, rebuttals nested, depth first in file order:
    the walk of :func:`reply_nodes`, with each argument's polarity towards the root."""
    nodes: list[TreeNode] = []
    polarity: dict[str, int] = {entry_id: 1}
    for root in reply_nodes(kb, entry_id):
        for node, parent, depth in walk(root):
            assert isinstance(node, ArgumentNode)
            above = polarity[parent.id if parent is not None else entry_id]
            sign = above * (1 if node.stance is Stance.FOR else -1)
            if not node.ref:
                polarity[node.id] = sign
            nodes.append(TreeNode(node.argument, depth + 1, sign, parent.id if parent is not None else entry_id, node))
    return nodes


def subtree_ids(kb: KnowledgeBase, entry_id: str) -> set[str]:
    return {node.argument.id for node in argument_tree(kb, entry_id)}
