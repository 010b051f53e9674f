"""The classroom page: the debate as one self-contained HTML file.

For a projector and for print: per question, the argument map as a nested
list (an ARIA tree) with every position, argument and rebuttal in the HTML, so
the page reads with scripts disabled; the inline script (classroom.js) only
adds folding, keyboard navigation, search and projector mode, and the inline
style sheet (classroom.css, with the palettes below in front) gives light and
dark schemes, projector mode and a print handout (everything unfolded,
quotes and sources as footnotes, a page per question).

Nothing is fetched: the style and the script are inline, and a
Content-Security-Policy meta tag allows exactly them, by their sha256 hashes,
and nothing else (no other script, style, image, font, frame or connection).
Knowledge-base text is data: every piece goes through :func:`text`, which
makes control and direction-override characters visible and escapes it for
HTML (quotes too, for attributes); no knowledge-base text reaches the script.
The same knowledge base gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path

from ..kb.hints import exported_by
from ..kb.model import Actor, KnowledgeBase, Source, Stance, StandsFor
from ..views import graph
from ..views.argmap import agreement_summary, build_map, holders_text
from ..views.framework import standing_of
from ..views.tree import ArgumentNode, PositionNode, QuestionNode, walk
from . import htmlgraph
from .cells import one_line

_HERE = Path(__file__).resolve().parent

#: Colours by scheme; each pair in CONTRAST_PAIRS is text on a background the
#: page draws it on. Light and dark follow the system's preference; the
#: projector palettes are the strongest contrast of each.
PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "fg": "#1b1b1b", "bg": "#ffffff", "muted": "#555555", "link": "#1f4e9c", "focus": "#1f4e9c",
        "rule": "#8c8c8c", "field-bg": "#ffffff", "position": "#1f4e79", "position-bg": "#eef4fa",
        "for": "#1e6b2e", "against": "#b0241b", "interp-fg": "#4b2e83", "interp-bg": "#efe9f8",
        "derived-fg": "#6b4400", "derived-bg": "#fbf0d9", "hit-bg": "#fff1b8", "undecided": "#8a5000",
    },
    "dark": {
        "fg": "#e9e9e9", "bg": "#15171a", "muted": "#aab0b8", "link": "#8cb8ff", "focus": "#8cb8ff",
        "rule": "#6b7078", "field-bg": "#1f2226", "position": "#8ec1f0", "position-bg": "#1b2530",
        "for": "#74d08a", "against": "#ff8f85", "interp-fg": "#d2bfff", "interp-bg": "#2d2640",
        "derived-fg": "#f3cf85", "derived-bg": "#3a2e12", "hit-bg": "#463c10", "undecided": "#f0b44c",
    },
    "projector-light": {
        "fg": "#000000", "bg": "#ffffff", "muted": "#2e2e2e", "link": "#0a3a8c", "focus": "#0a3a8c",
        "rule": "#555555", "field-bg": "#ffffff", "position": "#0b3563", "position-bg": "#ffffff",
        "for": "#0c4f1c", "against": "#8c150e", "interp-fg": "#3a1f6e", "interp-bg": "#ffffff",
        "derived-fg": "#4d3000", "derived-bg": "#ffffff", "hit-bg": "#fff1b8", "undecided": "#5c3800",
    },
    "projector-dark": {
        "fg": "#ffffff", "bg": "#000000", "muted": "#dddddd", "link": "#a9caff", "focus": "#a9caff",
        "rule": "#aaaaaa", "field-bg": "#000000", "position": "#b5d8ff", "position-bg": "#000000",
        "for": "#8ef0a2", "against": "#ffaaa3", "interp-fg": "#e3d6ff", "interp-bg": "#000000",
        "derived-fg": "#ffe0a0", "derived-bg": "#000000", "hit-bg": "#302a00", "undecided": "#ffc45c",
    },
}

#: (text colour, background) pairs drawn on the page: each must reach WCAG AA
#: (4.5:1) in every palette, 7:1 (AAA) in the projector palettes.
CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    ("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("position", "bg"), ("for", "bg"), ("against", "bg"),
    ("fg", "position-bg"), ("muted", "position-bg"), ("link", "position-bg"), ("position", "position-bg"),
    ("interp-fg", "interp-bg"), ("derived-fg", "derived-bg"), ("fg", "field-bg"), ("bg", "fg"),
    ("fg", "hit-bg"), ("muted", "hit-bg"), ("link", "hit-bg"), ("position", "hit-bg"), ("for", "hit-bg"),
    ("against", "hit-bg"), ("undecided", "bg"), ("undecided", "hit-bg"),
)

_STANDS_FOR = {
    StandsFor.ONE: "one person", StandsFor.SEVERAL: "several people", StandsFor.WHOLE_GROUP: "the whole group",
}


def text(value: str) -> str:
    """Knowledge-base text for HTML content or an attribute: one line, control
    and direction-override characters visible, ``<>&"'`` escaped."""
    return html.escape(one_line(value), quote=True)


def _palette_css() -> str:
    def block(name: str) -> str:
        return " ".join(f"--{key}: {value};" for key, value in PALETTES[name].items())

    return (
        f":root {{ color-scheme: light dark; {block('light')} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root {{ {block('dark')} }} }}\n"
        f".projector {{ {block('projector-light')} }}\n"
        f"@media (prefers-color-scheme: dark) {{ .projector {{ {block('projector-dark')} }} }}\n"
        # paper is white whatever the screen's scheme
        f"@media print {{ :root, .projector {{ {block('light')} }} }}\n"
    )


def page_style() -> str:
    """The page's whole style sheet, as inlined."""
    return _palette_css() + (_HERE / "classroom.css").read_text(encoding="utf-8")


def page_script() -> str:
    """The page's whole script, as inlined."""
    return (_HERE / "classroom.js").read_text(encoding="utf-8")


def csp_hash(code: str) -> str:
    """The CSP source expression that allows exactly this inline ``code``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


class _Page:
    """The knowledge base being rendered, and the footnotes gathered so far."""

    def __init__(self, kb: KnowledgeBase, filtered: bool) -> None:
        self.kb = kb
        self.source_number = {s.id: n for n, s in enumerate(kb.sources, start=1)}
        self.footnotes: list[str] = []
        #: on a filtered page, how many arguments the knowledge base records under each entry
        self.recorded = _recorded_under(kb) if filtered else {}
        #: ``export -f html --standing``: each position's and argument's derived label
        self.labels: dict[str, str] = {}

    def source_ref(self, source_id: str | None) -> str:
        """'source 1 (author)', linked to the list of sources; '' when there is none."""
        source = self.kb.get(source_id) if source_id else None
        if not isinstance(source, Source):
            return ""
        number = self.source_number[source.id]
        author = f" ({text(source.author)})" if source.author else ""
        return f'<a href="#source-{number}">source {number}</a>{author}'

    def quote(self, quote: str | None, who: list[Actor], source: str | None) -> tuple[str, str]:
        """(the footnote mark, the quote to open on demand) for an entry; ('', '') without a quote."""
        if not quote:
            return "", ""
        names = ", ".join(text(actor.name) for actor in who)
        where = self.source_ref(source)
        if where and names:
            attribution = f"{where}, giving the view of {names}"
        else:
            attribution = where or names or "unattributed"
        words = f"<p>“{text(quote)}”</p><footer>— {attribution}</footer>"
        self.footnotes.append(f"“{text(quote)}” — {attribution}")
        number = len(self.footnotes)
        mark = f'<sup class="fnref"><a href="#note-{number}">{number}</a></sup>'
        return mark, f'<details class="quote"><summary>Quote</summary><blockquote>{words}</blockquote></details>'

    def take_footnotes(self, first: int) -> list[str]:
        """The footnotes from number ``first`` on, as an ordered list for print."""
        notes = self.footnotes[first - 1:]
        if not notes:
            return []
        items = "".join(f'<li id="note-{n}">{note}</li>' for n, note in enumerate(notes, start=first))
        return [f'<section class="footnotes" aria-label="Quotes and sources"><h3>Quotes and sources</h3>'
                f'<ol start="{first}">{items}</ol></section>']


def _interpretation(kind_word: str | None, tags: tuple[str, ...], models: list[str]) -> str:
    """Claim type, legal models and tags, labelled as interpretation ('' when there are none)."""
    parts: list[str] = []
    if kind_word:
        parts.append(f"type: {text(kind_word)}")
    if models:
        parts.append("leans towards: " + ", ".join(text(m) for m in models))
    if tags:
        parts.append("tags: " + " ".join(f'<span class="tag">#{text(t)}</span>' for t in tags))
    if not parts:
        return ""
    return f'<p class="interp"><span class="interp-label">interpretation</span> {" · ".join(parts)}</p>'


def _recorded_under(kb: KnowledgeBase) -> dict[str, int]:
    """How many arguments answer each position and argument, directly or through rebuttals."""
    if kb.version >= 2:
        return {entry_id: graph.count_under(kb, entry_id) for entry_id in [*(p.id for p in kb.positions),
                                                                        *(a.id for a in kb.arguments)]}
    order: list[str] = []  # every entry before the arguments answering it
    stack = [p.id for p in kb.positions]
    while stack:
        entry = stack.pop()
        order.append(entry)
        stack.extend(reply.id for reply in kb.replies_to(entry))
    counts: dict[str, int] = {}
    for entry in reversed(order):
        counts[entry] = sum(1 + counts[reply.id] for reply in kb.replies_to(entry))
    return counts


def _entry(page: _Page, node: PositionNode | ArgumentNode, shown_below: int) -> str:
    """The visible part of one tree item: what it is, its claim, who, interpretation, quote."""
    kb = page.kb
    if isinstance(node, PositionNode):
        p = node.position
        head = f'<span class="kind" id="kind-{text(node.id)}">Position</span>'
        claim = p.claim
        agreed = p.agreement.value if p.agreement else "not recorded"
        who = f"held by {text(holders_text(node))} · agreement: {text(agreed)}"
        interp = _interpretation(None, p.tags, [m.name for m in kb.models if m.id in p.models])
        note, quoted = p.note, page.quote(p.quote, list(node.holders), p.source)
    else:
        a = node.argument
        head = (f'<span class="stance for" id="kind-{text(node.id)}">+ for</span>' if node.stance is Stance.FOR
                else f'<span class="stance against" id="kind-{text(node.id)}">− against</span>')
        if node.undercut:
            head = f'<span class="stance against" id="kind-{text(node.id)}">− undercuts</span>'

        claim = a.claim
        who = ""
        if node.by is not None:
            widely = _STANDS_FOR.get(node.by.stands_for)
            who = f"by {text(node.by.name)}" + (f" · {widely}" if widely else "")
        interp = _interpretation(a.type.value if a.type else None, a.tags, [])
        note, quoted = a.note, page.quote(a.quote, [node.by] if node.by else [], a.source)
    mark, quote = quoted
    replies = len(node.replies)
    folded = f' <span class="folded-count">({replies} folded)</span>' if replies else ""
    parts = [
        '<div class="entry">',
        f'<p class="head"><span class="twisty" aria-hidden="true"></span>{head}'
        f'<span class="claim" id="claim-{text(node.id)}">{text(claim)}</span>{mark}{folded}</p>',
    ]
    if who:
        parts.append(f'<p class="who">{who}</p>')
    if node.id in page.labels:  # the word, coloured as the stances are (in: for, out: against)
        label = page.labels[node.id]
        parts.append(f'<p class="standing standing-{label}"><span class="derived-label">derived</span>'
                     f' standing (grounded semantics): <strong>{label}</strong></p>')
    parts.append(interp)
    if note:
        parts.append(f'<p class="note">Note: {text(note)}</p>')
    if kb.version >= 2:
        parts += htmlgraph.parts(kb, node, page.quote, text)
    left_out = page.recorded.get(node.id, 0) - shown_below
    if left_out > 0:
        parts.append(f'<p class="left-out">({left_out} more argument{"s" if left_out != 1 else ""} recorded, '
                     "left out by the filter.)</p>")
    parts += [quote, "</div>"]
    return "".join(parts)


def _tree(page: _Page, question: QuestionNode) -> list[str]:
    """The question's positions and arguments as nested lists with ARIA tree roles."""
    label = text(question.question.text)
    out = [f'<ul class="tree" role="tree" aria-label="Argument map: {label}">']
    for position in question.positions:
        nodes = list(walk(position))
        below: dict[int, int] = {}  # arguments shown under each node (for "left out by the filter")
        for node, _parent, _depth in reversed(nodes):
            below[id(node)] = sum(1 + below[id(child)] for child in node.replies)
        open_items: list[PositionNode | ArgumentNode] = []
        for node, _parent, depth in nodes:
            while len(open_items) > depth:
                out.append("</ul></li>" if open_items.pop().replies else "</li>")
            if isinstance(node, PositionNode):
                classes = "position"
            else:
                classes = "for" if node.stance is Stance.FOR else "against"
            if isinstance(node, ArgumentNode) and node.ref:  # shown above: a link, no second id
                out.append(f'<li role="treeitem" class="{classes} leaf ref" aria-level="{depth + 1}">'
                           + htmlgraph.reference(node, text))
                open_items.append(node)
                continue
            expanded = ' aria-expanded="true"' if node.replies else ""
            out.append(
                f'<li role="treeitem" id="entry-{text(node.id)}" data-id="{text(node.id)}"'
                f' class="{classes}{"" if node.replies else " leaf"}" aria-level="{depth + 1}"{expanded}'
                f' aria-labelledby="kind-{text(node.id)} claim-{text(node.id)}">'
                + _entry(page, node, below[id(node)])
                + ('<ul role="group">' if node.replies else "")
            )
            open_items.append(node)
        while open_items:
            out.append("</ul></li>" if open_items.pop().replies else "</li>")
    out.append("</ul>")
    return out


def _outcome(page: _Page, question: QuestionNode) -> str:
    """The outcome the knowledge base records (with its quote), or that it records none; then
    how widely the positions were held, labelled as derived: never presented as the session's."""
    q = question.question
    if q.outcome is not None:
        recorded = ('<p class="recorded-outcome"><strong>Outcome</strong> (as the source records it): '
                    f"{text(q.outcome)}</p>")
        if q.outcome_quote:
            where = page.source_ref(q.outcome_source)
            cite = f"<footer>— {where}</footer>" if where else ""
            recorded += f'<blockquote class="qquote"><p>“{text(q.outcome_quote)}”</p>{cite}</blockquote>'
    else:
        recorded = '<p class="recorded-outcome"><strong>Outcome:</strong> none recorded in the knowledge base.</p>'
    notes = htmlgraph.question_notes(page.kb, q)
    if notes:
        recorded = '<ul class="acts">' + "".join(f"<li>{text(note)}</li>" for note in notes) + "</ul>" + recorded
    summary = agreement_summary(question).describe(lambda claim: f"“{text(claim)}”")
    return (f'{recorded}<p class="outcome"><span class="derived-label">derived from the knowledge base</span> '
            f"How widely the positions were held (not a recorded outcome): {summary}</p>")


def _question(page: _Page, number: int, question: QuestionNode) -> list[str]:
    q = question.question
    first_note = len(page.footnotes) + 1
    out = [
        f'<section class="question" id="{text(q.id)}" aria-labelledby="question-{text(q.id)}">',
        f'<h2 id="question-{text(q.id)}">{number}. <span class="qtext">{text(q.text)}</span></h2>',
        f'<p class="qid">question <code>{text(q.id)}</code></p>',
    ]
    tags = _interpretation(None, q.tags, [])
    if tags:
        out.append(tags)
    if q.quote:
        where = page.source_ref(q.source)
        cite = f"<footer>— {where}</footer>" if where else ""
        out.append(f'<blockquote class="qquote"><p>“{text(q.quote)}”</p>{cite}</blockquote>')
    out.append(_outcome(page, question))
    if question.positions:
        out.extend(_tree(page, question))
    else:
        out.append('<p class="muted">No positions recorded.</p>')
    out.extend(page.take_footnotes(first_note))
    out.append("</section>")
    return out


def _sources(kb: KnowledgeBase) -> list[str]:
    if not kb.sources:
        return []
    items = []
    for number, source in enumerate(kb.sources, start=1):
        line = f"<cite>{text(source.title)}</cite>"
        if source.author:
            line += f", {text(source.author)}"
        if source.event and source.event not in source.title:
            line += f"; {text(source.event)}"
        if source.date:
            line += f" ({text(source.date)})"
        if source.url and source.url.startswith(("https://", "http://")):
            line += f'. <a href="{text(source.url)}">{text(source.url)}</a>'
        elif source.url:
            line += f". {text(source.url)}"
        items.append(f'<li id="source-{number}">{line}</li>')
    return ['<section class="sources" aria-labelledby="sources-heading"><h2 id="sources-heading">Sources</h2>',
            f'<ol>{"".join(items)}</ol></section>']


def _models(kb: KnowledgeBase, used: set[str] | None) -> list[str]:
    models = [m for m in kb.models if used is None or m.id in used]
    if not models:
        return []
    out = ['<section class="background" aria-labelledby="models-heading">',
           '<h2 id="models-heading">Background: legal models <span class="interp-label">interpretation</span></h2>',
           "<p>Not the session's words: short definitions added for teaching, to place the positions.</p>", "<dl>"]
    for model in models:
        aka = f" (also known as {', '.join(text(a) for a in model.also_known_as)})" if model.also_known_as else ""
        out.append(f'<dt id="model-{text(model.id)}">{text(model.name)}{aka}</dt><dd>{text(model.summary)}</dd>')
    out += ["</dl>", "</section>"]
    return out


_CONTROLS = (
    '<div class="controls" id="controls" role="region" aria-label="Page controls" hidden>'
    '<label for="search">Search</label>'
    '<input id="search" type="search" autocomplete="off" spellcheck="false" aria-describedby="search-status"'
    ' aria-controls="main" placeholder="words to find (press /)">'
    '<button type="button" id="projector" aria-pressed="false">Projector mode</button>'
    '<button type="button" id="unfold-all">Unfold all</button>'
    '<button type="button" id="fold-all">Fold all</button>'
    '<p class="status" id="search-status" role="status" aria-live="polite"></p>'
    '<p class="keys">In a map: <kbd>↑</kbd> <kbd>↓</kbd> move, <kbd>→</kbd> <kbd>←</kbd> unfold and fold or go'
    " to the parent, <kbd>Enter</kbd> folds, <kbd>Space</kbd> shows the quote. <kbd>/</kbd> searches and"
    " scrolls to the first match as you type; <kbd>Enter</kbd> goes to it, then <kbd>n</kbd> to the next match"
    " (<kbd>Shift</kbd>+<kbd>N</kbd> the one before); <kbd>Esc</kbd> clears the search.</p>"
    "</div>"
)


def render_html(kb: KnowledgeBase, keep: set[str] | None = None, standing: bool = False) -> str:
    """The classroom page of ``kb`` (restricted to the ids in ``keep``), as one HTML document;
    with ``standing``, each position's and argument's derived label."""
    debate = build_map(kb, keep)
    page = _Page(kb, filtered=keep is not None)
    if standing:
        page.labels = standing_of(kb).labels
    title = text(kb.title or "Debate")
    body: list[str] = ['<a class="skip" href="#main">Skip to the debate</a>', _CONTROLS, "<header>",
                       f"<h1>{title}</h1>"]
    if keep is not None:
        body.append('<p class="excerpt">Part of the debate: the entries a filter kept, with what links them'
                    " to their question.</p>")
    body.append(
        '<div class="howto" role="note"><p><strong>How to read this page.</strong> Quotes are the source\'s own'
        ' words (<span class="screen-only">open one with <em>Quote</em></span><span class="print-only">in the'
        ' notes after each question</span>). Claims restate them in one neutral sentence. What is marked'
        ' <span class="interp-label">interpretation</span> (tags, claim types, legal models) was added for'
        " teaching; it is not the session's words. What is marked"
        ' <span class="derived-label">derived from the knowledge base</span> is worked out from how widely'
        " each position was held, not recorded in the source.</p></div>"
    )
    body.append('<div class="overview">')
    if debate.questions:
        links = "".join(f'<li><a href="#{text(q.id)}">{text(q.question.text)}</a></li>' for q in debate.questions)
        body.append(f'<nav aria-labelledby="contents-heading"><h2 id="contents-heading">Questions</h2>'
                    f"<ol>{links}</ol></nav>")
    body.extend(_sources(kb))
    body += ["</div>", "</header>", '<main id="main">']
    for number, question in enumerate(debate.questions, start=1):
        body.extend(_question(page, number, question))
    used = None if keep is None else {m for node in debate.positions() for m in node.position.models}
    body.extend(_models(kb, used))
    made = exported_by("--format", "html")
    body += ["</main>", f'<footer class="page-foot"><p>Made with <code>{text(made)}</code>.</p></footer>']
    style, script = page_style(), page_script()
    csp = (f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)};"
           " img-src 'none'; base-uri 'none'; form-action 'none'")
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{title}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, f"<script>{script}</script>", "</body>", "</html>"]) + "\n"
