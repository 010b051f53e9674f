"""The classroom page in a real browser: headless Chromium.

Two command-line runs (--dump-dom, --print-to-pdf) and one browser driven
over the DevTools protocol (tests/chromium.py) for what needs a page that
lives: keys, the search box, the projector button, the colour schemes, print
media, scripts disabled, and a knowledge base that tries to inject script.
Skipped, saying why, where Chromium is not installed (.ci/run installs it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policyx.kb.load import build as build_kb
from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase, Position, Stance
from policyx.output.cells import one_line
from policyx.output.html import PALETTES, render_html
from tests.chromium import Browser, assert_not_blank, find_chromium, run_once
from tests.clirun import run_cli as cli
from tests.htmltree import parse
from tests.test_html import HOSTILE, contrast, hostile_kb

BINARY = find_chromium()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="Chromium is not installed (apt-get install chromium): the page is not run in a browser"
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


@pytest.fixture(scope="module")
def pages(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    page = render_html(kb)
    broken = page.replace("root.classList.add(\"js\");", "root.classList.add(\"js\"); ", 1)
    assert broken != page
    texts = {"debate": page, "hostile": render_html(hostile_kb()), "tampered": broken}
    for name, text in texts.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in texts}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert BINARY is not None
    driven = Browser(BINARY, tmp_path_factory.mktemp("chromium"))
    try:
        driven.open_page()
        yield driven
    finally:
        driven.close()


def fresh(browser: Browser, page: Path, width: int = 1280, height: int = 800) -> None:
    """``page`` loaded anew: the viewport given, light scheme, screen media, scripts on, no events."""
    browser.send("Emulation.setScriptExecutionDisabled", {"value": False})
    browser.viewport(width, height)
    browser.media()
    browser.events.clear()
    browser.load(page.as_uri())
    if browser.evaluate("localStorage.length"):  # projector mode remembered by an earlier test
        browser.evaluate("localStorage.clear()")
        browser.load(page.as_uri())


def shown(browser: Browser, selector: str = '[role="treeitem"]') -> list[str]:
    """data-id (or id) of the elements matching ``selector`` that are rendered."""
    return list(browser.evaluate(
        f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
        ".filter(e => e.getClientRects().length > 0).map(e => e.dataset.id || e.id)"
    ))


def focused(browser: Browser) -> str:
    return str(browser.evaluate("document.activeElement.dataset.id || document.activeElement.id"))


def problems(browser: Browser) -> list[str]:
    """What the page logged as an error or a violation (console, exceptions, CSP)."""
    found = []
    for event in browser.events:
        if event["method"] == "Runtime.exceptionThrown":
            found.append(event["params"]["exceptionDetails"]["text"])
        elif event["method"] == "Log.entryAdded" and event["params"]["entry"]["level"] in ("error", "warning"):
            found.append(event["params"]["entry"]["text"])
        elif event["method"] == "Runtime.consoleAPICalled" and event["params"]["type"] in ("error", "warning"):
            found.append(json.dumps(event["params"]["args"]))
    return found


# --------------------------------------------------------------------------
# Chromium's command-line modes


def test_the_dom_holds_every_claim_after_the_script_ran(kb: KnowledgeBase, pages: dict[str, Path],
                                                        browser: Browser) -> None:
    # (what `chromium --dump-dom` prints; asked of the driven browser, which is already running)
    fresh(browser, pages["debate"])
    dom = parse(browser.evaluate("document.documentElement.outerHTML"))
    claims = [e.text() for e in dom.all(cls="claim")]
    assert sorted(claims) == sorted(e.claim for e in (*kb.positions, *kb.arguments))
    assert [e.text() for e in dom.all(cls="qtext")] == [q.text for q in kb.questions]
    assert "js" in dom.one("html").classes() and "hidden" not in dom.one(id="controls").attrs  # the script ran


def pdf_pages(data: bytes) -> int:
    assert data.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_print_to_pdf_gives_a_pdf_with_a_page_per_question(kb: KnowledgeBase, pages: dict[str, Path],
                                                           tmp_path: Path, browser: Browser) -> None:
    assert BINARY is not None
    pdf = tmp_path / "debate.pdf"  # the command line docs/guide.md gives
    run_once(BINARY, ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", pages["debate"].as_uri()], tmp_path)
    assert pdf_pages(pdf.read_bytes()) >= len(kb.questions) + 1  # the legal models start a page too
    # three questions short enough to share a page still get one each
    three = build_kb({
        "version": 1,
        "actors": [{"id": "a", "name": "A"}],
        "questions": [{"id": f"q{n}", "text": f"Question {n}?"} for n in (1, 2, 3)],
        "positions": [{"id": f"p{n}", "question": f"q{n}", "claim": f"Yes {n}.", "held_by": "a",
                       "agreement": "individual"} for n in (1, 2, 3)],
    }, "three.yaml")
    small = tmp_path / "three.html"
    small.write_text(render_html(three), encoding="utf-8")
    fresh(browser, small)  # printed by the driven browser, as the command line prints
    assert pdf_pages(browser.pdf()) == 3


# --------------------------------------------------------------------------
# The page, driven


def test_the_page_runs_under_its_own_policy_and_nothing_else(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["debate"])
    assert browser.evaluate("document.documentElement.classList.contains('js')")
    assert browser.evaluate("document.getElementById('controls').hidden") is False
    assert problems(browser) == []
    # one byte more in the script and the policy blocks it: the hashes are what let it run
    fresh(browser, pages["tampered"])
    assert not browser.evaluate("document.documentElement.classList.contains('js')")
    assert any("Content Security Policy" in problem for problem in problems(browser)), problems(browser)


def test_keys_move_and_fold(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["debate"])
    browser.evaluate("document.querySelector('[role=treeitem]').focus()")
    assert focused(browser) == "end-bifurcation"
    browser.key("ArrowDown", "ArrowDown", 40)
    assert focused(browser) == "trafficking-intertwined"
    browser.key("ArrowDown", "ArrowDown", 40)
    assert focused(browser) == "exploitation-as-control"
    browser.key("ArrowLeft", "ArrowLeft", 37)  # a leaf: to its parent
    assert focused(browser) == "trafficking-intertwined"
    browser.key("ArrowLeft", "ArrowLeft", 37)  # open: folds it
    assert browser.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    assert "exploitation-as-control" not in shown(browser)
    browser.key("ArrowDown", "ArrowDown", 40)  # past the folded children
    assert focused(browser) == "sex-work-is-labor"
    browser.key("ArrowUp", "ArrowUp", 38)
    browser.key("Enter", "Enter", 13)  # Enter unfolds again
    assert {"exploitation-as-control", "mixed-trafficking-experiences"} <= set(shown(browser))
    browser.key("Home", "Home", 36)
    browser.key("Enter", "Enter", 13)  # the position folds with its whole tree
    assert focused(browser) == "end-bifurcation" and "trafficking-intertwined" not in shown(browser)
    # one tab stop per tree: the item last focused
    assert browser.evaluate("document.querySelectorAll('[role=tree]')[0].querySelectorAll('[tabindex=\"0\"]')"
                            ".length") == 1
    browser.key(" ", "Space", 32)  # Space opens the quote
    assert browser.evaluate("document.activeElement.querySelector('details.quote').open") is True


def test_slash_focuses_search_and_it_filters_as_you_type(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["debate"])
    everything = shown(browser)
    browser.key("/", "Slash", 191)
    assert focused(browser) == "search"
    browser.send("Input.insertText", {"text": "johns safety"})
    expected = cli("search", "johns", "safety", "-f", "ids").stdout.split()  # what `policyx search` finds
    hits = browser.evaluate("Array.from(document.querySelectorAll('.hit')).map(e => e.dataset.id)")
    assert hits == expected == ["johns-dangerous-for-girls", "johns-help-escape"]
    # the hits and the positions they answer; nothing else, and only their question
    assert shown(browser) == ["criminalize-johns", "johns-dangerous-for-girls", "do-not-criminalize-johns",
                              "johns-help-escape"]
    assert shown(browser, "main > .question") == ["criminalizing-johns"]
    assert browser.evaluate("document.getElementById('search-status').textContent") == (
        f"2 of {len(everything)} entries match, in 1 question")
    browser.send("Input.insertText", {"text": " zzzz"})
    assert shown(browser) == [] and "Nothing matches" in browser.evaluate(
        "document.getElementById('search-status').textContent")
    browser.key("Escape", "Escape", 27)
    assert shown(browser) == everything
    assert browser.evaluate("document.getElementById('search').value") == ""


def test_screenshots_at_1280x800_and_in_projector_mode(browser: Browser, pages: dict[str, Path],
                                                       tmp_path: Path) -> None:
    fresh(browser, pages["debate"])
    normal = browser.screenshot()
    (tmp_path / "1280x800.png").write_bytes(normal)
    assert_not_blank(normal, 1280, 800)
    size = browser.evaluate("parseFloat(getComputedStyle(document.querySelector('.claim')).fontSize)")
    browser.click("#projector")
    assert browser.evaluate("document.documentElement.classList.contains('projector')")
    assert browser.evaluate("document.getElementById('projector').getAttribute('aria-pressed')") == "true"
    assert browser.evaluate("parseFloat(getComputedStyle(document.querySelector('.claim')).fontSize)") >= 1.5 * size
    browser.viewport(1024, 768)
    projected = browser.screenshot()
    (tmp_path / "projector-1024x768.png").write_bytes(projected)
    assert_not_blank(projected, 1024, 768)
    assert projected != normal


def _rgb(css: str) -> str:
    """'rgb(21, 23, 26)' as '#15171a'."""
    parts = [int(float(x)) for x in re.findall(r"[\d.]+", css)[:3]]
    return "#" + "".join(f"{x:02x}" for x in parts)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_system_colour_scheme_chooses_the_palette(browser: Browser, pages: dict[str, Path], scheme: str) -> None:
    fresh(browser, pages["debate"])
    browser.media(scheme=scheme)
    for palette in (scheme, f"projector-{scheme}"):
        if palette.startswith("projector"):
            browser.click("#projector")
        colour, background = (_rgb(value) for value in browser.evaluate(
            "[getComputedStyle(document.querySelector('.claim')).color,"
            " getComputedStyle(document.body).backgroundColor]"
        ))
        assert (colour, background) == (PALETTES[palette]["fg"], PALETTES[palette]["bg"])
        assert contrast(colour, background) >= (7 if palette.startswith("projector") else 4.5)


def test_print_media_unfolds_everything_and_hides_the_controls(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["debate"])
    everything = shown(browser)
    browser.click("#fold-all")
    browser.key("/", "Slash", 191)
    browser.send("Input.insertText", {"text": "minors"})
    assert len(shown(browser)) < len(everything)
    browser.media("print", scheme="dark")
    assert shown(browser) == everything
    # black on white paper, whatever the screen's scheme
    colours = browser.evaluate("[getComputedStyle(document.body).color,"
                               " getComputedStyle(document.body).backgroundColor,"
                               " getComputedStyle(document.querySelector('.who')).color]")
    assert [_rgb(c) for c in colours] == ["#000000", "#ffffff", PALETTES["light"]["muted"]]
    assert shown(browser, "#controls, .twisty, details.quote") == []
    assert len(shown(browser, "main > .question")) == browser.evaluate("document.querySelectorAll('main > .question')"
                                                                        ".length")
    notes = browser.evaluate("document.querySelectorAll('.footnotes li').length")
    assert notes > 0 and len(shown(browser, ".footnotes li")) == notes and len(shown(browser, ".fnref")) == notes
    breaks = browser.evaluate("Array.from(document.querySelectorAll('main > section'))"
                              ".map(s => getComputedStyle(s).breakBefore)")
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}


def test_without_scripts_the_whole_tree_shows(browser: Browser, pages: dict[str, Path], kb: KnowledgeBase) -> None:
    fresh(browser, pages["debate"])
    everything = shown(browser)
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.load(pages["debate"].as_uri())
    assert not browser.evaluate("document.documentElement.classList.contains('js')")
    assert shown(browser) == everything and len(everything) == len(kb.positions) + len(kb.arguments)
    assert shown(browser, "#controls, .twisty") == []
    assert len(shown(browser, "details.quote summary")) == sum(1 for e in (*kb.positions, *kb.arguments) if e.quote)


def test_script_and_event_handlers_in_the_knowledge_base_stay_text(browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["hostile"])
    browser.evaluate("document.querySelector('[role=treeitem]').focus()")
    browser.key(" ", "Space", 32)  # open a quote: its text is hostile too
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 300, "y": 300})
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.scripts.length") == 1
    assert browser.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    handlers = browser.evaluate("Array.from(document.querySelectorAll('*')).flatMap(e => e.getAttributeNames())"
                                ".filter(n => n.startsWith('on'))")
    assert handlers == []
    claims = browser.evaluate("Array.from(document.querySelectorAll('.claim')).map(e => e.textContent)")
    assert claims == [one_line(HOSTILE)] * 3
    assert browser.evaluate("document.title") == one_line(HOSTILE)
    assert not [e for e in browser.events if e["method"] == "Page.javascriptDialogOpening"]
    assert problems(browser) == []  # not even a blocked attempt: nothing tried to run


def test_assistive_technology_sees_a_tree_of_named_items(browser: Browser, pages: dict[str, Path],
                                                         kb: KnowledgeBase) -> None:
    """Chromium's accessibility tree: one tree per question, one item per entry, named by
    what it is and claims, with its level and its folded state."""
    fresh(browser, pages["debate"])

    def items(role: str = "treeitem") -> dict[str, dict[str, Any]]:
        browser.send("Accessibility.enable")
        nodes = browser.send("Accessibility.getFullAXTree")["nodes"]
        browser.send("Accessibility.disable")
        return {n["name"]["value"]: {p["name"]: p["value"].get("value") for p in n.get("properties", [])}
                for n in nodes if n.get("role", {}).get("value") == role and not n.get("ignored")}

    assert list(items("tree")) == [f"Argument map: {q.text}" for q in kb.questions]
    entries = (*kb.positions, *kb.arguments)
    kinds = {e.id: "Position" if isinstance(e, Position) else "+ for" if e.stance is Stance.FOR else "− against"
             for e in entries}
    name = {e.id: f"{kinds[e.id]} {e.claim}" for e in entries}
    everything = items()
    assert sorted(everything) == sorted(name.values())
    for entry in entries:
        assert everything[name[entry.id]].get("expanded") == (True if kb.replies_to(entry.id) else None)
    assert [everything[name[p.id]]["level"] for p in kb.positions] == [1] * len(kb.positions)
    browser.evaluate("document.querySelector('[role=treeitem]').focus()")
    browser.key("Enter", "Enter", 13)
    folded = items()
    first = kb.positions[0].id
    assert folded[name[first]]["expanded"] is False
    assert len(everything) - len(folded) == arguments_under(kb, first)


def arguments_under(kb: KnowledgeBase, entry_id: str) -> int:
    replies = kb.replies_to(entry_id)
    return len(replies) + sum(arguments_under(kb, reply.id) for reply in replies)


# --------------------------------------------------------------------------
# Projector mode on a projector (1024x768) and search that scrolls


def first_screen(browser: Browser) -> list[str]:
    """data-id of the entries whose top is within the window, below the sticky controls."""
    return list(browser.evaluate(
        "(() => { const top = document.getElementById('controls').offsetHeight;"
        " return Array.from(document.querySelectorAll('[role=\"treeitem\"]')).filter(e => {"
        " const r = e.firstElementChild.getBoundingClientRect();"
        " return r.height > 0 && r.top >= top && r.bottom <= innerHeight; }).map(e => e.dataset.id); })()"
    ))


@pytest.mark.parametrize("question", [None, "criminalizing-johns"])
def test_projector_mode_starts_at_the_map_and_is_kept_in_the_url(browser: Browser, kb: KnowledgeBase,
                                                                  tmp_path: Path, question: str | None) -> None:
    page = tmp_path / "page.html"
    cli("export", "-f", "html", "-o", str(page), *(["-q", question] if question else []))
    arguments = {a.id for a in kb.arguments}
    fresh(browser, page, 1024, 768)
    assert not set(first_screen(browser)) & arguments  # the title, how to read, the questions, the sources
    browser.click("#projector")
    assert browser.evaluate("location.hash") == "#projector"
    screen = first_screen(browser)
    assert set(screen) & arguments, screen  # an argument on the first screen
    first = kb.questions[0].id if question is None else question
    assert browser.evaluate("document.querySelector('main > .question').id") == first
    # remembered on reload
    browser.evaluate("location.reload()")
    browser.wait_for("Page.loadEventFired")
    assert browser.evaluate("document.documentElement.classList.contains('projector')")
    assert set(first_screen(browser)) & arguments
    # off: the URL and the next load say so
    browser.click("#projector")
    assert browser.evaluate("location.hash") == ""
    assert browser.evaluate("localStorage.getItem('policyx-projector')") == "0"
    browser.load(page.as_uri())
    assert not browser.evaluate("document.documentElement.classList.contains('projector')")
    # chosen by the URL, in a browser that never saw the page
    browser.evaluate("localStorage.clear()")
    browser.load("about:blank")
    browser.load(page.as_uri() + "#projector")
    assert browser.evaluate("document.documentElement.classList.contains('projector')")
    assert browser.evaluate("document.getElementById('projector').getAttribute('aria-pressed')") == "true"
    assert set(first_screen(browser)) & arguments
    assert problems(browser) == []
    browser.evaluate("localStorage.clear()")


def test_search_scrolls_to_the_first_match_as_you_type_and_n_goes_to_the_next(
        browser: Browser, pages: dict[str, Path]) -> None:
    fresh(browser, pages["debate"], 1024, 768)
    legend = browser.evaluate("document.querySelector('.keys').textContent")
    assert "n to the next match" in legend and "scrolls to the first match as you type" in legend
    browser.key("/", "Slash", 191)
    browser.send("Input.insertText", {"text": "johns safety"})
    assert focused(browser) == "search"  # typing goes on
    assert "johns-dangerous-for-girls" in first_screen(browser)  # scrolled to the first match
    browser.key("Enter", "Enter", 13)
    assert focused(browser) == "johns-dangerous-for-girls"
    browser.key("n", "KeyN", 78)
    assert focused(browser) == "johns-help-escape"
    assert "johns-help-escape" in first_screen(browser)
    browser.key("n", "KeyN", 78)  # round again
    assert focused(browser) == "johns-dangerous-for-girls"
    browser.key("N", "KeyN", 78)
    assert focused(browser) == "johns-help-escape"
    assert problems(browser) == []
