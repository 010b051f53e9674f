"""What the explorer draws, as Rich ``Text``: a knowledge base's words are data, never markup.

Every string from a knowledge base or a source goes into a ``Text`` as plain text, made
safe first (:func:`policyx.output.cells.one_line` and ``terminal_text``: control and
direction-override characters shown as escapes), so a claim holding ``[bold]`` or an
escape code shows as those characters. Styles say nothing on their own: stances carry
their words (``+ for``, ``− against``), search matches stay readable without colour
(underlined and bold, which survive NO_COLOR's monochrome).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from ..kb.model import Argument, Entry, Position, Question
from ..output.cells import STANCE_MARK, STANCE_STYLE, one_line, terminal_text
from ..views.entrydetail import Detail, Link, QuoteInSource
from ..views.lookup import main_text
from ..views.search import match_spans

#: how a search match is shown: bold and underlined, so that it shows without colour too
MATCH_STYLE = "bold underline"
#: how a quote is shown inside its source's text
QUOTE_STYLE = "bold reverse"
LABEL_STYLE = "bold"
#: marks what is our interpretation, not the session's words
INTERPRETATION = "interpretation"


def highlighted(text: str, terms: Iterable[str], style: str = "") -> Text:
    """Safe ``text`` with each word a search term begins shown as a match."""
    out = Text(text, style=style)
    for start, end in match_spans(text, terms):
        out.stylize(MATCH_STYLE, start, end)
    return out


def label(entry: Entry, terms: Iterable[str] = (), marked: bool = False, dim: bool = False,
          kb: str | None = None, relation: str | None = None) -> Text:
    """A tree node: the stance of an argument, the id, the claim (one line); ``kb``: in a
    library, the knowledge base a question comes from; ``relation``: how an argument bears on
    the entry above it (version 2: ``for``, ``against`` or ``undercuts``)."""
    out = Text()
    if kb is not None:
        out.append(f"[{one_line(kb)}] ", style="dim")
    if marked:
        out.append("* ", style="bold")
    if isinstance(entry, Argument):
        stance = relation or entry.stance.value
        out.append(STANCE_MARK.get(stance, stance) + " ", style=STANCE_STYLE.get(stance, "magenta"))
    elif isinstance(entry, Position):
        out.append("position ", style="bold")
    elif isinstance(entry, Question):
        out.append("? ", style="bold")
    out.append_text(highlighted(one_line(entry.id), terms, "dim" if dim else "cyan"))
    out.append(": ")
    out.append_text(highlighted(one_line(main_text(entry)), terms, "dim" if dim else ""))
    return out


def reference(entry: Position | Argument, relation: str, home: str | None, terms: Iterable[str] = ()) -> Text:
    """A tree node for an entry shown whole elsewhere (an argument reached twice, a position
    another contradicts): its relation, ``see ID above`` or ``see ID under HOME``, and its
    claim; Enter goes there."""
    out = Text()
    out.append(STANCE_MARK.get(relation, relation) + " ", style=STANCE_STYLE.get(relation, "magenta"))
    out.append("↪ see ", style="bold")
    out.append_text(highlighted(one_line(entry.id), terms, "cyan"))
    out.append(f" under {one_line(home)}" if home else " above", style="bold")
    out.append(": ")
    out.append_text(highlighted(one_line(main_text(entry)), terms, "dim"))
    return out


def premise_label(at: int, count: int, claim: str, terms: Iterable[str] = ()) -> Text:
    """A tree leaf under a linked argument: one part of its one reason."""
    out = Text()
    out.append(f"& linked premise {at} of {count}: ", style="bold")
    out.append_text(highlighted(one_line(claim), terms))
    return out


def _quote(quote: QuoteInSource, terms: Iterable[str]) -> Text:
    out = Text()
    where = one_line(quote.source_title or quote.source or "no source")
    name = "quote" if quote.field == "quote" or quote.field.endswith(".quote") else quote.field.replace("_", " ")
    out.append(name, style=LABEL_STYLE)
    out.append(f" ({quote.verified}) from ")
    out.append(where, style="italic")
    out.append("\n")
    out.append_text(highlighted(terminal_text(quote.before), terms, "dim"))
    out.append("«", style="bold")
    out.append_text(highlighted(terminal_text(quote.quote), terms, QUOTE_STYLE))
    out.append("»", style="bold")
    out.append_text(highlighted(terminal_text(quote.after), terms, "dim"))
    if quote.note:
        out.append(f"\n(the source's text around it is not shown: {one_line(quote.note)})", style="italic")
    return out


def link_text(number: int, link: Link) -> Text:
    out = Text()
    out.append(f"{number}. " if number < 10 else "   ")
    mark = STANCE_MARK.get(link.relation, link.relation)
    out.append(mark + " ", style=STANCE_STYLE.get(link.relation, "bold"))
    out.append(one_line(link.id), style="cyan")
    out.append(": " + one_line(link.text))
    return out


def detail_text(found: Detail, terms: Iterable[str] = ()) -> Text:
    """The right-hand pane: an entry in full."""
    terms = list(terms)
    out = Text()
    out.append(found.kind, style="bold reverse")
    out.append(" ")
    out.append(one_line(found.entry.id), style="bold cyan")
    if found.kb:
        out.append(f"  (in {one_line(found.kb)})", style="dim")
    out.append("\n\n")
    out.append_text(highlighted(terminal_text(found.text), terms, "bold"))
    out.append("\n")
    for role, name in found.who:
        out.append(f"\n{role}: ", style=LABEL_STYLE)
        out.append_text(highlighted(one_line(name), terms))
    for name, value in found.facts:
        out.append(f"\n{name}: ", style=LABEL_STYLE)
        out.append_text(highlighted(terminal_text(value), terms))
    for name, value in found.interpretation:
        out.append(f"\n{name.replace('_', ' ')} ", style=LABEL_STYLE)
        out.append(f"({INTERPRETATION})", style="italic")
        out.append(": ")
        out.append_text(highlighted(one_line(value), terms))
    if found.standing is not None:
        name, why = found.standing
        out.append("\nstanding ", style=LABEL_STYLE)
        out.append("(derived, grounded)", style="italic")
        out.append(": ")
        out.append(one_line(name), style="bold")
        if why:
            out.append(f" ({one_line(why)})")
    for quote in found.quotes:
        out.append("\n\n")
        out.append_text(_quote(quote, terms))
    if found.premises:
        out.append(f"\n\none reason, {len(found.premises)} linked premises (they hold only together):",
                   style=LABEL_STYLE)
        for at, (claim, part) in enumerate(found.premises, 1):
            out.append(f"\n{at}. ", style=LABEL_STYLE)
            out.append_text(highlighted(terminal_text(claim), terms))
            if part is not None:
                out.append("\n")
                out.append_text(_quote(part, terms))
    if found.acts:
        out.append("\n\nwho took part:", style=LABEL_STYLE)
        for word, name, said in found.acts:
            out.append(f"\n{word} ", style=LABEL_STYLE)
            out.append_text(highlighted(one_line(name), terms))
            if said is not None:
                out.append("\n")
                out.append_text(_quote(said, terms))
    return out
