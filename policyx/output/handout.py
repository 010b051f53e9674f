"""A printable Markdown handout of the debate.

Per question: the question and the words that raised it, the outcome the
source records (if any) and how widely the positions were held (derived), then
each position with who held it and how widely, its quote with attribution,
and its arguments for and against as a nested list (rebuttals under what
they answer). It ends with the background legal models, marked as not the
session's words. Knowledge-base text is escaped for Markdown (and control
characters made visible), so a claim cannot turn into a link, HTML or a
heading.
"""

from __future__ import annotations

from ..kb.hints import command
from ..kb.model import Actor, KnowledgeBase, Source, Stance
from ..views import graph
from ..views.argmap import agreement_summary, build_map, holders_text
from ..views.framework import standing_of
from ..views.tree import ArgumentNode, DebateMap, PositionNode, QuestionNode, walk
from .cells import indent_level, markdown_text
from .diff import code_span


def _source_entry(source: Source) -> str:
    """A source in the list at the top: title, author, event."""
    text = f"*{markdown_text(source.title)}*"
    if source.author:
        text += f", {markdown_text(source.author)}"
    if source.event and source.event not in source.title:
        text += f"; {markdown_text(source.event)}"
    return text


def _source_ref(kb: KnowledgeBase, source_id: str | None) -> str:
    """A short citation: the source's number in the list at the top, and its author."""
    numbers = {s.id: n for n, s in enumerate(kb.sources, start=1)}
    source = kb.get(source_id) if source_id else None
    if not isinstance(source, Source):
        return ""
    return f"source {numbers[source.id]}" + (f" ({markdown_text(source.author)})" if source.author else "")


def _quotes_sentence(kb: KnowledgeBase, debate: DebateMap) -> str:
    """What the handout can say of its quotes: checked against the sources' texts (when the
    knowledge base was opened for a command, kb.quotes), and which are not verbatim."""
    check = kb.quotes
    if check is None:
        return "Quotes are the source's words as the knowledge base records them (not checked here)."
    shown = {q.id for q in debate.questions} | {n.id for p in debate.positions() for n, _, _ in walk(p)}
    wrong = [entry for entry, _, _ in check.not_verbatim if entry in shown]
    parts = ["Quotes are the source's own words, each checked against the source's text."]
    if wrong:
        them = "it differs" if len(wrong) == 1 else "they differ"
        parts = [f"Quotes are the source's own words, except {len(wrong)} marked **not verbatim**: {them}"
                 f" from the source's text as recorded ({code_span(command('check'))} shows where)."]
    if check.unchecked:
        names = ", ".join(markdown_text(source) for source, _ in check.unchecked)
        parts.append(f"The quotes from {names} could not be checked: the source's text was not found.")
    return " ".join(parts)


def _not_verbatim(kb: KnowledgeBase, entry: str | None, field: str = "quote") -> str:
    """The mark after the attribution of a quote found not verbatim in its source."""
    if entry is None or kb.quotes is None or kb.quotes.verbatim_at(entry, field):
        return ""
    return " — **not verbatim** in the source's text"


def _quote(kb: KnowledgeBase, quote: str | None, who: list[Actor], source: str | None, indent: str,
           entry: str | None = None, field: str = "quote") -> list[str]:
    if not quote:
        return []
    # The quote is the source's wording, not a transcript of the speaker: name
    # the source as the author of the words and the actor as whose view it gives.
    names = ", ".join(markdown_text(actor.name) for actor in who)
    where = _source_ref(kb, source)
    if where and names:
        attribution = f"{where}, giving the view of {names}"
    else:
        attribution = where or names or "unattributed"
    attribution += _not_verbatim(kb, entry, field)
    return [f"{indent}> “{markdown_text(quote)}”  \n{indent}> — {attribution}"]


def _outcome_lines(kb: KnowledgeBase, question: QuestionNode) -> list[str]:
    """The outcome the knowledge base records (with its quote), or that it records none;
    then how widely the positions were held, labelled as derived, never as the outcome."""
    q = question.question
    if q.outcome is not None:
        out = [f"**Outcome** (as the source records it): {markdown_text(q.outcome)}"]
        if q.outcome_quote:
            where = _source_ref(kb, q.outcome_source)
            mark = _not_verbatim(kb, q.id, "outcome_quote")
            out += ["", f"> “{markdown_text(q.outcome_quote)}”" + (f"  \n> — {where}{mark}" if where else mark)]
    else:
        out = ["**Outcome:** none recorded (the knowledge base records no outcome for this question)."]
    summary = agreement_summary(question).describe(lambda claim: f"“{markdown_text(claim)}”")
    return [*out, "", f"*How widely the positions were held (derived from the knowledge base, not an outcome"
                      f" the source records):* {_sentence(summary)}"]


def _sentence(text: str) -> str:
    """``text`` ended with a full stop, unless it ends with one already (inside its closing quote)."""
    return text if text.rstrip("”’\"')").endswith((".", "!", "?")) else f"{text}."


def _argument_lines(kb: KnowledgeBase, node: ArgumentNode, depth: int, labels: dict[str, str]) -> list[str]:
    argument = node.argument
    level, deeper = indent_level(depth)  # a deep chain stays as wide as MAX_INDENT levels
    indent = "  " * (level - 1)
    if kb.version >= 2:
        return _graph_argument_lines(kb, node, indent, deeper, labels)
    word = "For" if argument.stance is Stance.FOR else "Against"
    line = f"{indent}- {deeper}**{word}:** {markdown_text(argument.claim)}"
    details = []
    if node.by is not None:
        details.append(markdown_text(node.by.name))
    if argument.type is not None:
        details.append(f"type: {argument.type.value}")
    if argument.id in labels:
        details.append(f"standing (derived): {labels[argument.id]}")
    if details:
        line += f" ({'; '.join(details)})"
    lines = [line]
    quote = _quote(kb, argument.quote, [node.by] if node.by else [], argument.source, indent + "  ", argument.id)
    if quote:
        lines.append("")
        lines.extend(quote)
        lines.append("")
    return lines


_WORDS = {"for": "For", "against": "Against", "undercuts": "Undercuts"}


def _graph_argument_lines(
    kb: KnowledgeBase, node: ArgumentNode, indent: str, deeper: str, labels: dict[str, str],
) -> list[str]:
    """An argument of a version-2 knowledge base: how it bears on the one above (for,
    against, undercuts), or a reference to where it was shown; its linked premises, each
    with its quote; restatements and who asserted, asked or disputed it."""
    argument = node.argument
    word = _WORDS[graph.relation_word(node)]
    if node.ref:
        return [f"{indent}- {deeper}**{word}:** {markdown_text(argument.id)} (see {markdown_text(argument.id)} above)"]
    line = f"{indent}- {deeper}**{word}:** {markdown_text(argument.claim)} ({markdown_text(argument.id)})"
    details = [markdown_text(node.by.name)] if node.by is not None else []
    if argument.type is not None:
        details.append(f"type: {argument.type.value}")
    if node.undercut:
        details.append(markdown_text(graph.undercut_text(kb, node)))
    details += [markdown_text(note) for note in graph.notes(kb, argument)]
    if argument.id in labels:
        details.append(f"standing (derived): {labels[argument.id]}")
    if details:
        line += f" ({'; '.join(details)})"
    lines = [line]
    quote = _quote(kb, argument.quote, [node.by] if node.by else [], argument.source, indent + "  ", argument.id)
    if quote:
        lines += ["", *quote, ""]
    actors = {a.id: a for a in kb.actors}
    for at, premise in enumerate(argument.premises):
        lines.append(f"{indent}  - Linked premise {at + 1} of {len(argument.premises)}: {markdown_text(premise.claim)}")
        who = [actors[premise.by]] if premise.by in actors else []
        quote = _quote(kb, premise.quote, who, premise.source, indent + "    ", argument.id, f"premises[{at}].quote")
        if quote:
            lines += ["", *quote, ""]
    return lines


def render_handout(kb: KnowledgeBase, keep: set[str] | None = None, standing: bool = False) -> str:
    debate = build_map(kb, keep)
    labels: dict[str, str] = {}
    if standing:  # export --standing: each position's and argument's derived label
        labels = standing_of(kb).labels
    out: list[str] = [f"# {markdown_text(kb.title or 'Debate handout')}", ""]
    if kb.sources:
        out.append("Sources:")
        out.append("")
        out.extend(f"{n}. {_source_entry(s)}" for n, s in enumerate(kb.sources, start=1))
        out.append("")
    models = list(kb.models)
    if keep is not None:  # a handout on part of the debate: only the models its positions lean towards
        used = {m for node in debate.positions() for m in node.position.models}
        models = [m for m in models if m.id in used]
    added = "Tags, claim types and the legal models at the end are" if models else "Tags and claim types are"
    out.append(
        f"> **How to read this handout.** {_quotes_sentence(kb, debate)} Claims restate them in one "
        f"neutral sentence. An outcome is given only where the source records one. {added} an "
        "*interpretation* added for teaching; they are not the session's words."
    )
    for number, question in enumerate(debate.questions, start=1):
        q = question.question
        out += ["", f"## {number}. {markdown_text(q.text)}", ""]
        if question.kb is not None:  # a library: which debate the question was
            out += [f"From the knowledge base *{markdown_text(question.kb)}*.", ""]
        if q.quote:
            where = _source_ref(kb, q.source)
            mark = _not_verbatim(kb, q.id)
            out.append(f"> “{markdown_text(q.quote)}”" + (f"  \n> — {where}{mark}" if where else mark))
            out.append("")
        notes = graph.notes(kb, q)
        if notes:
            out += [f"{markdown_text('; '.join(notes)).capitalize()}.", ""]
        out.extend(_outcome_lines(kb, question))
        for position in question.positions:
            out += ["", *_position_lines(kb, position, labels)]
    if models:
        out += ["", "## Background: legal models", ""]
        out.append("> Not the session's words: short definitions added for teaching, to place the positions.")
        out.append("")
        for model in models:
            line = f"- **{markdown_text(model.name)}**"
            if model.also_known_as:
                line += f" (also known as {', '.join(markdown_text(a) for a in model.also_known_as)})"
            out.append(f"{line}: {markdown_text(model.summary)}")
    return "\n".join(out).rstrip("\n") + "\n"


def _position_lines(kb: KnowledgeBase, position: PositionNode, labels: dict[str, str]) -> list[str]:
    p = position.position
    out = [f"### Position: {markdown_text(p.claim)}", ""]
    agreed = p.agreement.value if p.agreement else "not recorded"
    facts = [f"Held by {markdown_text(holders_text(position))}; agreement: {agreed}."]
    facts += [f"{markdown_text(note[0].upper() + note[1:])}." for note in graph.notes(kb, p)]
    if p.models:
        names = [m.name for m in kb.models if m.id in p.models]
        facts.append(f"Leans towards (interpretation): {', '.join(markdown_text(n) for n in names)}.")
    if p.note:
        facts.append(f"Note: {markdown_text(p.note)}")
    if p.id in labels:
        facts.append(f"Standing (derived, grounded semantics; see {code_span(command('standing'))}): {labels[p.id]}.")
    # one fact a line when rendered: Markdown joins plain lines into one paragraph
    out += [line + "  " for line in facts[:-1]] + facts[-1:]
    quote = _quote(kb, p.quote, list(position.holders), p.source, "", p.id)
    if quote:
        out += ["", *quote]
    arguments = [(node, depth) for node, _parent, depth in walk(position) if isinstance(node, ArgumentNode)]
    left_out = _recorded_under(kb, p.id) - len({node.id for node, _ in arguments})
    if arguments:
        out += ["", "Arguments:", ""]
        for node, depth in arguments:
            out.extend(_argument_lines(kb, node, depth, labels))
        if left_out:
            out += ["", f"({left_out} more argument{'s' if left_out != 1 else ''} recorded, left out by the filter.)"]
    elif left_out:
        out += ["", f"No arguments shown: the filter left out the {left_out} recorded."]
    else:
        out += ["", "No arguments recorded."]
    return _tidy(out)


def _recorded_under(kb: KnowledgeBase, entry_id: str) -> int:
    """How many arguments answer ``entry_id``, directly or through rebuttals (in a graph,
    each once: references to one shown above are not counted again)."""
    if kb.version >= 2:
        return graph.count_under(kb, entry_id)
    count, stack = 0, [entry_id]
    while stack:
        replies = kb.replies_to(stack.pop())
        count += len(replies)
        stack.extend(reply.id for reply in replies)
    return count


def _tidy(lines: list[str]) -> list[str]:
    """No two blank lines in a row, none at the end."""
    tidy: list[str] = []
    for line in lines:
        if line == "" and (not tidy or tidy[-1] == ""):
            continue
        tidy.append(line)
    while tidy and tidy[-1] == "":
        tidy.pop()
    return tidy
