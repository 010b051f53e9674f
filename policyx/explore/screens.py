"""The explorer's other screens: help, filters, the comparison, the choice of knowledge base."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..output.cells import STANCE_MARK, STANCE_STYLE, one_line

#: the keys, as ``?`` and docs/explore.md list them
KEYS: tuple[tuple[str, str], ...] = (
    ("up/down, k/j", "move in the tree"),
    ("right/l, left/h", "unfold; fold or go to the parent"),
    ("Enter, Space", "fold or unfold the entry; on a reference (see ID), go where it is shown whole"),
    ("g, G", "the first, the last entry"),
    ("Tab, Shift+Tab", "move between the tree, the entry (to scroll it) and its links"),
    ("Enter on a link, 1-9", "follow a link (what it answers, what answers it)"),
    ("Backspace, b", "back where you came from"),
    ("/", "search as you type (Enter keeps the matches, Esc leaves)"),
    ("n, N", "the next, the previous match"),
    ("f", "filter: tag, actor, stance, claim type, unanswered"),
    ("m", "mark an entry to compare (two at most)"),
    ("c", "compare the two marked entries side by side"),
    ("y", "copy the entry's id"),
    ("s", "switch between the knowledge bases of a library"),
    ("t", "light or dark colours (for a light or a dark terminal)"),
    ("?", "this help"),
    ("q", "quit"),
)


_CLOSE: list[BindingType] = [Binding("escape,q", "dismiss_none", "Close")]


#: narrower than this (columns), a screen puts one thing under another rather than beside it
NARROW = 60


class _Modal(ModalScreen[Any]):
    BINDINGS: ClassVar[list[BindingType]] = _CLOSE
    DEFAULT_CSS = """
    _Modal { align: center middle; }
    _Modal > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
                        border: round $primary; background: $surface; padding: 0 1; }
    """

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class HelpScreen(_Modal):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss_none", "Close")]

    def __init__(self, keys: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 2))
        if self.app.size.width < NARROW:  # beside the keys, 10 columns were left: each key above its words
            grid.add_column(overflow="fold")
            for key, what in self.keys:
                grid.add_row(Text.assemble((key, "bold"), "\n  ", what))
        else:
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for key, what in self.keys:
                grid.add_row(key, what)
        with Vertical():
            yield Label(Text("Keys (the mouse works too: click to select, unfold, follow a link)", style="bold"))
            with VerticalScroll():
                yield Static(grid, id="help")
        yield Footer()


def _options(values: list[str]) -> list[tuple[Text, str]]:
    return [(Text(one_line(v)), v) for v in values]


class FilterScreen(_Modal):
    """Tag, actor, stance, claim type (one value each, or any), and unanswered objections."""

    LABELS: ClassVar[dict[str, str]] = {"tag": "tag", "by": "actor", "stance": "stance", "type": "claim type"}

    def __init__(self, choices: dict[str, list[str]], chosen: dict[str, str], unanswered: bool) -> None:
        """``choices``: what each filter can be set to (:func:`policyx.views.browse.filter_choices`)."""
        super().__init__()
        self.choices = choices
        self.chosen = chosen
        self.unanswered = unanswered

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Filters: the tree keeps what matches them all", style="bold"))
            for name, values in self.choices.items():
                yield Select(_options(values), prompt=f"any {self.LABELS[name]}", id=f"filter-{name}",
                             value=self.chosen.get(name, Select.NULL))
            # a Select, not a Checkbox: a checkbox's state is its colour alone, lost with NO_COLOR
            yield Select([(Text("only unanswered objections (attacks nobody attacked)"), "yes")],
                         prompt="answered or not", id="filter-unanswered",
                         value="yes" if self.unanswered else Select.NULL)
            with Horizontal(id="filter-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")
        yield Footer()

    DEFAULT_CSS = """
    FilterScreen Select { margin: 0 0; }
    #filter-buttons { height: auto; }
    """

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        chosen: dict[str, str] = {}
        for name in self.choices:
            value = self.query_one(f"#filter-{name}", Select).value
            if isinstance(value, str):
                chosen[name] = value
        self.dismiss((chosen, self.query_one("#filter-unanswered", Select).value == "yes"))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(({}, False))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def _side_text(side: dict[str, Any]) -> Text:
    out = Text()
    out.append(side["kind"], style="bold reverse")
    out.append(" ")
    out.append(one_line(side["id"]), style="bold cyan")
    out.append("\n" + one_line(side["claim"]) + "\n", style="bold")
    out.append("question: ", style="bold")
    out.append(one_line(side["question"]["text"]) + "\n")
    role = f"held by ({side['agreement']})" if side["agreement"] else "argued by"
    for actor in side["holders"]:
        out.append(f"{role}: ", style="bold")
        out.append(one_line(actor["name"]) + "\n")
    if side["distinct_tags"]:
        out.append("its own tags (interpretation): ", style="bold")
        out.append(one_line(", ".join(side["distinct_tags"])) + "\n")
    for section, title in (("for", "for it"), ("against", "against it"),
                           ("unanswered", "objections nobody answered")):
        out.append(f"\n{title} ({len(side[section])})\n", style="bold underline")
        for item in side[section]:
            out.append("  " * (item["depth"] - 1 if "depth" in item else 0))
            out.append(STANCE_MARK[item["stance"]] + " ", style=STANCE_STYLE[item["stance"]])
            out.append(one_line(item["id"]), style="cyan")
            out.append(": " + one_line(item["claim"]) + "\n")
    return out


def _clash_text(structure: dict[str, Any]) -> Text:
    out = Text()
    out.append(f"clashes ({len(structure['clashes'])})", style="bold underline")
    if structure["shared_tags"]:
        out.append("   shared tags (interpretation): ", style="bold")
        out.append(one_line(", ".join(structure["shared_tags"])))
    for clash in structure["clashes"]:
        out.append("\n")
        out.append(one_line(clash["side"]), style="cyan")
        out.append("'s side ")
        out.append(one_line(clash["id"]), style="cyan")
        out.append(" " + STANCE_MARK[clash["stance"]] + " ", style=STANCE_STYLE[clash["stance"]])
        out.append(one_line(clash["target"]), style="cyan")
        out.append(": " + one_line(clash["claim"]))
    return out


class CompareScreen(_Modal):
    """Two entries side by side (``policyx compare``'s structure), their clashes below."""

    DEFAULT_CSS = """
    CompareScreen > Vertical { width: 100%; max-width: 100%; height: 100%; max-height: 100%; }
    #sides { height: 1fr; }
    #sides > VerticalScroll { width: 1fr; padding: 0 1; }
    #clashes { height: auto; max-height: 40%; border-top: solid $primary; }
    """

    def __init__(self, structure: dict[str, Any]) -> None:
        super().__init__()
        self.structure = structure

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="sides"):
                for side in self.structure["sides"]:
                    with VerticalScroll():
                        yield Static(_side_text(side), classes="side")
            with VerticalScroll(id="clashes"):
                yield Static(_clash_text(self.structure))
        yield Footer()


class LibraryScreen(_Modal):
    """Which knowledge base of the library the tree shows ("" for all)."""

    def __init__(self, names: list[str], current: str | None) -> None:
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("every knowledge base"))]
        options += [Option(Text(one_line(name))) for name in self.names]
        with Vertical():
            yield Label(Text("Show the questions of", style="bold"))
            yield OptionList(*options, id="members")
        yield Footer()

    def on_mount(self) -> None:
        members = self.query_one("#members", OptionList)
        members.highlighted = 0 if self.current is None else self.names.index(self.current) + 1
        members.focus()

    @on(OptionList.OptionSelected, "#members")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option_index == 0 else self.names[event.option_index - 1])
