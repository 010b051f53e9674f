"""The argument tree under an entry: every argument bearing on it, rebuttals nested."""

from __future__ import annotations

from dataclasses import dataclass

from ..kb.model import (
    Argument,
    KnowledgeBase,
    Stance,
)


@dataclass(frozen=True)
class TreeNode:
    """An argument in the tree under an entry: ``depth`` 1 replies to the entry itself."""

    argument: Argument
    depth: int
    #: +1 when the argument supports the tree's root, -1 when it attacks it
    polarity: int


def argument_tree(kb: KnowledgeBase, entry_id: str) -> list[TreeNode]:
    """Every argument bearing on ``entry_id``, rebuttals nested, depth first in file order."""
    nodes: list[TreeNode] = []
    # Iterative depth-first walk: deep rebuttal chains must not hit the recursion limit.
    stack: list[tuple[Argument, int, int]] = [
        (a, 1, 1 if a.stance is Stance.FOR else -1) for a in reversed(kb.replies_to(entry_id))
    ]
    seen: set[str] = set()
    while stack:
        argument, depth, polarity = stack.pop()
        if argument.id in seen:  # defensive: the loader refuses cycles
            continue
        seen.add(argument.id)
        nodes.append(TreeNode(argument, depth, polarity))
        for reply in reversed(kb.replies_to(argument.id)):
            sign = 1 if reply.stance is Stance.FOR else -1
            stack.append((reply, depth + 1, polarity * sign))
    return nodes


def subtree_ids(kb: KnowledgeBase, entry_id: str) -> set[str]:
    return {node.argument.id for node in argument_tree(kb, entry_id)}
