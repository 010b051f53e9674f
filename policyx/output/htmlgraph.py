"""What a version-2 knowledge base adds to the HTML page (policyx.output.html): the step
an undercut attacks, linked premises with their quotes, restatements and contradictions,
each person's act, and a link to a node shown above instead of a copy. ``text`` is the
page's escaper and ``quote`` its quote builder, passed in so that this module needs
nothing of the page's."""

from __future__ import annotations

from collections.abc import Callable

from ..kb.model import Actor, KnowledgeBase, Question
from ..views import graph
from ..views.tree import ArgumentNode, PositionNode

Quote = Callable[[str | None, list[Actor], str | None], tuple[str, str]]


def parts(kb: KnowledgeBase, node: PositionNode | ArgumentNode, quote: Quote, text: Callable[[str], str]) -> list[str]:
    """What a version-2 entry adds: the step an undercut attacks, its linked premises (each
    with its quote), restatements and contradictions, and each person's act."""
    entry = node.position if isinstance(node, PositionNode) else node.argument
    out = []
    if isinstance(node, ArgumentNode) and node.undercut:
        out.append(f'<p class="note">{text(graph.undercut_text(kb, node))}</p>')
    premises = getattr(entry, "premises", ())
    if premises:
        actors = {a.id: a for a in kb.actors}
        items = []
        for premise in premises:
            mark, quoted = quote(premise.quote, [actors[premise.by]] if premise.by in actors else [], premise.source)
            items.append(f"<li>{text(premise.claim)}{mark}{quoted}</li>")
        out.append(f'<div class="premises"><p class="who">linked premises: the reason holds only with all '
                   f'{len(premises)}</p><ol>{"".join(items)}</ol></div>')
    links = graph.link_notes(kb, entry)
    if links:
        out.append(f'<p class="who">{text("; ".join(links))}</p>')
    acts = graph.act_lines(kb, entry)
    if acts:
        out.append('<ul class="acts">' + "".join(f"<li>{text(act)}</li>" for act in acts) + "</ul>")
    return out


def question_notes(kb: KnowledgeBase, question: Question) -> list[str]:
    """A question's restatements and acts (who asked it), as phrases."""
    return graph.link_notes(kb, question) + graph.act_lines(kb, question)


def reference(node: ArgumentNode, text: Callable[[str], str]) -> str:
    """A node reached a second time: a link to where it is shown, not a copy."""
    word = graph.relation_word(node)
    mark = {"for": "+ for", "against": "− against", "undercuts": "− undercuts"}[word]
    return (f'<div class="entry"><p class="head"><span class="stance {"for" if word == "for" else "against"}">'
            f'{mark}</span> <a href="#entry-{text(node.id)}">see {text(node.id)} above</a></p></div>')
