"""`policyx export --format html`: the classroom page, read back as HTML.

The page is parsed strictly (tests/htmltree.py) and compared with the
knowledge base: one tree item per position and argument, nested under what it
answers; every text escaped; the Content-Security-Policy allowing exactly
the inline style and script; the palettes reaching WCAG AA. What a browser
makes of it is in tests/test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from policyx.kb.load import build as build_kb
from policyx.kb.load import bundled_path, load
from policyx.kb.model import Argument, KnowledgeBase, Position
from policyx.output.cells import one_line
from policyx.output.html import CONTRAST_PAIRS, PALETTES, page_script, page_style, render_html
from policyx.views.argmap import select
from tests.chromium import assert_not_blank
from tests.clirun import run_cli as cli
from tests.htmltree import Element, parse

#: Text that tries to become markup or script in a page: tags, event
#: handlers, quotes that end attributes, the end of the style and script
#: elements, comments, entities, a javascript: URL, control characters.
HOSTILE = (
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> "><svg onload=alert(1)> '
    "' onmouseover='alert(2)' </style></script><!-- x --> &amp; &lt;b&gt; javascript:alert(3) "
    "\u202eevil \x1b[31mred\ttab\nline"
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


@pytest.fixture(scope="module")
def page(kb: KnowledgeBase) -> str:
    return render_html(kb)


def hostile_kb() -> KnowledgeBase:
    data: dict[str, Any] = {
        "version": 1,
        "title": HOSTILE,
        "sources": [{"id": "src", "title": HOSTILE, "author": HOSTILE, "event": HOSTILE,
                     "url": "javascript:alert(3)"}],
        "actors": [{"id": "a1", "name": HOSTILE}, {"id": "a2", "name": "two", "stands_for": "several"}],
        "models": [{"id": "m1", "name": HOSTILE, "summary": HOSTILE, "also_known_as": [HOSTILE]}],
        "questions": [{"id": "q1", "text": HOSTILE, "quote": HOSTILE, "source": "src", "tags": [HOSTILE]}],
        "positions": [
            {"id": "p1", "question": "q1", "claim": HOSTILE, "held_by": ["a1"], "agreement": "individual",
             "quote": HOSTILE, "source": "src", "tags": [HOSTILE, "plain"], "models": ["m1"], "note": HOSTILE},
        ],
        "arguments": [
            {"id": "x1", "claim": HOSTILE, "for": "p1", "by": "a1", "type": "empirical", "quote": HOSTILE,
             "source": "src", "tags": [HOSTILE], "note": HOSTILE},
            {"id": "x2", "claim": HOSTILE, "against": "x1", "by": "a2"},
        ],
    }
    return build_kb(data, "hostile.yaml")


def treeitems(root: Element) -> list[Element]:
    return root.all(role="treeitem")


def claim_of(item: Element) -> str:
    return item.one(cls="claim", id=f"claim-{item.attrs['data-id']}").text()


# --------------------------------------------------------------------------
# The command


def test_export_html_writes_the_page(tmp_path: Path, page: str) -> None:
    shown = cli("export", "-f", "html")
    assert shown.exit_code == 0 and shown.stderr == ""
    assert shown.stdout == page
    target = tmp_path / "debate.html"
    written = cli("export", "-f", "html", "-o", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    assert written.stderr == f"wrote {target} (html)\n"
    assert target.read_text(encoding="utf-8") == page


def test_same_knowledge_base_same_bytes(kb: KnowledgeBase, page: str) -> None:
    assert render_html(load(bundled_path())) == page
    keep = select(kb, tag="minors")
    assert render_html(kb, keep) == render_html(kb, set(keep))


def test_the_bundled_page_is_small_and_fetches_nothing(page: str) -> None:
    assert len(page.encode("utf-8")) < 100 * 1024  # the README says so
    root = parse(page)
    assert root.all("link") == [] and root.all("img") == [] and root.all("iframe") == []
    assert all("src" not in e.attrs for e in root.iter())
    assert all(e.attrs["href"].startswith("#") for e in root.all("a"))
    style = page_style()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\(|WebSocket|eval|innerHTML)\b", page_script())


def test_content_security_policy_allows_only_the_inline_style_and_script(page: str) -> None:
    root = parse(page)
    [script], [style] = root.all("script"), root.all("style")
    csp = root.one("meta", http_equiv="Content-Security-Policy").attrs["content"]
    rules = {part.split()[0]: part.split()[1:] for part in csp.split(";")}

    def allows(code: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"

    assert rules["default-src"] == ["'none'"]
    assert rules["script-src"] == [allows(script.text())] and script.text() == page_script()
    assert rules["style-src"] == [allows(style.text())] and style.text() == page_style()
    assert rules["base-uri"] == ["'none'"] and rules["form-action"] == ["'none'"]
    assert "unsafe" not in csp
    # the character set first, then the policy, before anything it governs
    head = [child for child in root.one("head").children if isinstance(child, Element)]
    assert head[0].attrs == {"charset": "utf-8"}
    assert head[1].attrs.get("http-equiv") == "Content-Security-Policy"


# --------------------------------------------------------------------------
# The map


def test_every_position_and_argument_is_a_tree_item_under_what_it_answers(kb: KnowledgeBase, page: str) -> None:
    root = parse(page)
    items = {item.attrs["data-id"]: item for item in treeitems(root)}
    assert list(items) == [e for e in page_order(kb) if e in items]
    assert set(items) == {p.id for p in kb.positions} | {a.id for a in kb.arguments}
    for entry_id, item in items.items():
        entry = kb.get(entry_id)
        assert isinstance(entry, (Position, Argument))
        assert claim_of(item) == entry.claim
        parent = item.up("treeitem")
        if isinstance(entry, Argument):
            assert parent is not None and parent.attrs["data-id"] == entry.target
            assert item.parent is not None and item.parent.attrs["role"] == "group"
            assert int(item.attrs["aria-level"]) == int(parent.attrs["aria-level"]) + 1
            assert item.classes() >= {"for" if entry.stance.value == "for" else "against"}
        else:
            assert parent is None and item.attrs["aria-level"] == "1"
            section = item.up("section")
            assert section is not None and section.attrs["id"] == entry.question
        # folding is offered exactly where there is something to fold
        assert ("aria-expanded" in item.attrs) == bool(kb.replies_to(entry_id))
        # its name says what it is (position, for, against) and what it claims
        assert item.attrs["aria-labelledby"] == f"kind-{entry_id} claim-{entry_id}"
        assert item.one(id=f"kind-{entry_id}").text() in ("Position", "+ for", "− against")


def page_order(kb: KnowledgeBase) -> list[str]:
    """Ids in the page's order: per question, each position then its tree depth first in file order."""
    order: list[str] = []
    for question in kb.questions:
        for position in (p for p in kb.positions if p.question == question.id):
            stack = [position.id]
            while stack:
                node = stack.pop()
                order.append(node)
                stack.extend(reversed([a.id for a in kb.replies_to(node)]))
    return order


def test_each_question_has_its_heading_tree_and_footnotes(kb: KnowledgeBase, page: str) -> None:
    root = parse(page)
    sections = root.one("main").all("section", cls="question")
    assert [s.attrs["id"] for s in sections] == [q.id for q in kb.questions]
    quoted = 0
    for number, (section, question) in enumerate(zip(sections, kb.questions, strict=True), start=1):
        assert section.one("h2").text() == f"{number}. {question.text}"
        assert section.one(role="tree").attrs["aria-label"] == f"Argument map: {question.text}"
        notes = section.all("section", cls="footnotes")
        entries = [kb.get(e) for e in page_order(kb)]
        quotes = [e.quote for e in entries if isinstance(e, (Position, Argument)) and e.quote
                  and (e.question if isinstance(e, Position) else _question_of(kb, e)) == question.id]
        if quotes:
            [footnotes] = notes
            texts = [li.text() for li in footnotes.all("li")]
            assert [t.rsplit("” — ", 1)[0].removeprefix("“") for t in texts] == quotes
            assert footnotes.one("ol").attrs["start"] == str(quoted + 1)
            quoted += len(quotes)
    assert quoted == sum(1 for e in (*kb.positions, *kb.arguments) if e.quote)
    # every quote on demand on screen, with its source
    for details in root.all("details", cls="quote"):
        assert details.one("summary").text() == "Quote"
        assert "source 1 (Hayley Pine)" in details.one("footer").text()


def _question_of(kb: KnowledgeBase, argument: Argument) -> str:
    target = kb.get(argument.target)
    while isinstance(target, Argument):
        target = kb.get(target.target)
    assert isinstance(target, Position)
    return target.question


def test_interpretation_and_derived_summaries_are_marked(kb: KnowledgeBase, page: str) -> None:
    root = parse(page)
    for item in treeitems(root):
        entry = kb.get(item.attrs["data-id"])
        assert isinstance(entry, (Position, Argument))
        entry_box = item.children[0]
        assert isinstance(entry_box, Element) and "entry" in entry_box.classes()
        marked = entry_box.all("p", cls="interp")
        if entry.tags or getattr(entry, "type", None) or getattr(entry, "models", ()):
            [interp] = marked
            assert interp.one(cls="interp-label").text() == "interpretation"
            assert [t.text() for t in interp.all(cls="tag")] == [f"#{t}" for t in entry.tags]
        # nothing interpretive outside the marked paragraph
        rest = entry_box.text().replace(marked[0].text() if marked else "", "")
        assert not any(f"#{t}" in rest for t in entry.tags)
    for outcome in root.all("p", cls="outcome"):
        assert outcome.one(cls="derived-label").text() == "derived from the knowledge base"
        assert "not a recorded outcome" in outcome.text()
    background = root.one("section", cls="background")
    assert "interpretation" in background.one("h2").text() and "Not the session's words" in background.text()
    assert [dt.attrs["id"] for dt in background.all("dt")] == [f"model-{m.id}" for m in kb.models]


def test_without_scripts_everything_is_there_and_the_controls_are_hidden(kb: KnowledgeBase, page: str) -> None:
    root = parse(page)
    assert "hidden" in root.one(id="controls").attrs
    # unfolded in the HTML itself; only the script folds
    assert all(item.attrs.get("aria-expanded", "true") == "true" for item in treeitems(root))
    text = root.one("main").text()
    for entry in (*kb.positions, *kb.arguments):
        assert entry.claim in text
        assert entry.quote is None or one_line(entry.quote) in text


def test_filtered_pages_keep_what_the_filter_keeps(kb: KnowledgeBase) -> None:
    for args, keep in ((["-q", "criminalizing-johns"], select(kb, "criminalizing-johns")),
                       (["--tag", "minors"], select(kb, tag="minors"))):
        result = cli("export", "-f", "html", *args)
        assert result.exit_code == 0, result.stderr
        root = parse(result.stdout)
        shown = {item.attrs["data-id"] for item in treeitems(root)}
        assert shown == keep - {q.id for q in kb.questions}
        assert {s.attrs["id"] for s in root.all("section", cls="question")} == keep & {q.id for q in kb.questions}
        assert "Part of the debate" in root.one(cls="excerpt").text()
    tagged = parse(cli("export", "-f", "html", "--tag", "minors").stdout)
    # the position keeps a word about what the filter left out of its tree
    [left_out] = tagged.one(data_id="decriminalize-sex-work").children[0].all(cls="left-out")
    assert re.fullmatch(r"\(\d+ more arguments recorded, left out by the filter\.\)", left_out.text())
    missing = cli("export", "-f", "html", "--tag", "no-such-tag")
    assert missing.exit_code == 1 and missing.stdout == ""


# --------------------------------------------------------------------------
# Escaping


def test_hostile_text_stays_text() -> None:
    root = parse(render_html(hostile_kb()))
    flat = one_line(HOSTILE)
    assert len(root.all("script")) == 1 and len(root.all("style")) == 1
    assert not [e.tag for e in root.iter() if e.tag in ("img", "svg", "iframe", "object", "embed", "link")]
    assert not [(e.tag, name) for e in root.iter() for name in e.attrs if name.startswith("on")]
    assert all(a.attrs["href"].startswith("#") for a in root.all("a"))  # no javascript: link
    assert root.one("title").text() == flat and root.one("h1").text() == flat
    for item in treeitems(root):
        assert claim_of(item) == flat
    assert root.one(role="tree").attrs["aria-label"] == f"Argument map: {flat}"
    assert "\x1b" not in root.text() and "\u202e" not in root.text()
    assert "\\x1b[31m" in flat and "\\u202e" in flat
    # the text is in the page as often as the knowledge base has it: nothing became markup
    assert root.one("main").text().count("window.__pwned = 2") >= 6


# --------------------------------------------------------------------------
# Colours


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the famous just-fails grey


@pytest.mark.parametrize("scheme", sorted(PALETTES))
def test_every_text_colour_reaches_aa_on_its_background(scheme: str) -> None:
    palette = PALETTES[scheme]
    floor = 7.0 if scheme.startswith("projector") else 4.5  # projector mode: AAA
    low = {(fg, bg): round(contrast(palette[fg], palette[bg]), 2) for fg, bg in CONTRAST_PAIRS
           if contrast(palette[fg], palette[bg]) < floor}
    assert low == {}
    # focus rings, stance bars and rules against the page: 3:1 (non-text contrast)
    for part in ("focus", "for", "against", "position", "rule"):
        assert contrast(palette[part], palette["bg"]) >= 3.0, part


def test_the_style_sheet_uses_only_palette_colours() -> None:
    style = page_style()
    used = set(re.findall(r"var\(--([a-z-]+)\)", style))
    assert used and all(used <= set(palette) for palette in PALETTES.values())
    assert all(set(palette) == set(PALETTES["light"]) for palette in PALETTES.values())
    # outside the palettes and print (black on white), no colour is written down
    sheet = style.split("\n", 5)[-1].split("@media print")[0]
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b", sheet)


def test_docs_screenshot_is_a_picture_of_the_page() -> None:
    """docs/classroom.png (tools/make_docs_images.py) is a 1280x800 screenshot, not a blank one."""
    picture = Path(__file__).resolve().parent.parent / "docs" / "classroom.png"
    assert_not_blank(picture.read_bytes(), 1280, 800)
    assert "(docs/classroom.png)" in (picture.parent.parent / "README.md").read_text(encoding="utf-8")
