"""The one tree model: question -> positions -> arguments for and against -> rebuttals.

The map, the handout, the diagrams, the interchange exports, ``show`` and
``compare`` all walk these nodes, so they agree on what is shown and in which
order (file order). Trees are built and walked without recursion: a chain of
rebuttals can be as deep as a knowledge base makes it, deeper than Python's
recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..kb.model import Actor, Argument, KnowledgeBase, Position, Question, Stance


@dataclass
class ArgumentNode:
    """An argument and the arguments that answer it (supports and attacks, file order)."""

    argument: Argument
    by: Actor | None
    replies: list[ArgumentNode] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.argument.id


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
) -> list[ArgumentNode]:
    """The arguments answering ``entry_id``, each with its own replies nested (file order);
    with ``keep``, only the arguments whose ids it holds."""
    actors = {a.id: a for a in kb.actors} if actors is None else actors
    roots: list[ArgumentNode] = []
    stack: list[tuple[str, list[ArgumentNode]]] = [(entry_id, roots)]
    seen: set[str] = set()
    while stack:
        parent_id, replies = stack.pop()
        for reply in kb.replies_to(parent_id):
            if (keep is not None and reply.id not in keep) or reply.id in seen:  # the loader refuses cycles
                continue
            seen.add(reply.id)
            child = ArgumentNode(reply, actors.get(reply.by) if reply.by else None)
            replies.append(child)
            stack.append((reply.id, child.replies))
    return roots


@dataclass(frozen=True)
class TreeNode:
    """An argument in the tree under an entry: ``depth`` 1 replies to the entry itself."""

    argument: Argument
    depth: int
    #: +1 when the argument supports the tree's root, -1 when it attacks it
    polarity: int


def argument_tree(kb: KnowledgeBase, entry_id: str) -> list[TreeNode]:
    """Every argument bearing on ``entry_id``, rebuttals nested, depth first in file order:
    the walk of :func:`reply_nodes`, with each argument's polarity towards the root."""
    nodes: list[TreeNode] = []
    polarity: dict[str, int] = {entry_id: 1}
    for root in reply_nodes(kb, entry_id):
        for node, parent, depth in walk(root):
            assert isinstance(node, ArgumentNode)
            above = polarity[parent.id if parent is not None else entry_id]
            polarity[node.id] = above * (1 if node.argument.stance is Stance.FOR else -1)
            nodes.append(TreeNode(node.argument, depth + 1, polarity[node.id]))
    return nodes


def subtree_ids(kb: KnowledgeBase, entry_id: str) -> set[str]:
    return {node.argument.id for node in argument_tree(kb, entry_id)}
