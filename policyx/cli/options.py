"""The options of the command line, as plain data: one definition each.

The global options and the options of ``list`` are declared here once; the
Typer parameters (:mod:`policyx.cli.params`) and the fast path's parser
(:mod:`policyx.cli.fast`) are both built from these tables, and a test checks
that the two agree. No Typer here, and nothing heavy: the fast path imports it.
"""

from __future__ import annotations


class Opt:
    """One option: its keyword, its spellings, and how it is parsed, shown and completed."""

    __slots__ = ("key", "flags", "metavar", "help", "flag", "multiple", "complete")

    def __init__(
        self, key: str, flags: tuple[str, ...], help: str, *, metavar: str | None = None,
        flag: bool = False, multiple: bool = False, complete: str | None = None,
    ) -> None:
        #: the keyword argument the command's function receives
        self.key = key
        #: spellings, long first (``("--question", "-q")``)
        self.flags = flags
        #: ``{formats}`` in it stands for the names of the read formats (from the format registry)
        self.help = help
        #: what the value is called in help (None for a flag)
        self.metavar = metavar
        #: a flag takes no value (its value is True when given)
        self.flag = flag
        #: may be repeated; the values form a tuple
        self.multiple = multiple
        #: what completes the value: a key of policyx.cli.complete.COMPLETERS
        self.complete = complete


#: Options every command accepts, before or after the command's name.
GLOBAL_OPTIONS: tuple[Opt, ...] = (
    Opt("kb", ("--kb",), "Knowledge base file or folder to read; repeat it for several (default: $POLICYX_KB,"
        " else the library of ~/.config/policyx/config.toml, else the bundled one).", metavar="PATH", multiple=True),
    Opt("no_cache", ("--no-cache",), "Do not read or write the cache of parsed knowledge bases.", flag=True),
    Opt("no_color", ("--no-color",), "No colour or styles, even on a terminal (also NO_COLOR=1).", flag=True),
    Opt("no_pager", ("--no-pager",), "Do not send long output on a terminal through a pager.", flag=True),
    Opt("sources", ("--sources",), "A folder, besides the knowledge base's own, that sources' files may be in"
        " (check reads no file outside these).", metavar="DIR"),
    Opt("csv_safe", ("--csv-safe",), "In CSV and TSV, start cells a spreadsheet would run as a formula"
        " (=, +, -, @) with an apostrophe.", flag=True),
)

#: The format option every read command takes.
FORMAT_OPTION = Opt(
    "fmt", ("--format", "-f"), "Output format: {formats} (default: table on a terminal, plain in a pipe).",
    metavar="FORMAT", complete="format",
)

#: The options of ``policyx list``, in the order --help shows them. Every filter may be
#: repeated: the values of one filter are alternatives (any of them), different filters
#: must all hold; only --tag wants all of its values (--any-tag: any of them).
LIST_OPTIONS: tuple[Opt, ...] = (
    Opt("question", ("--question", "-q"), "Only what bears on this question (repeat: any of them).",
        metavar="ID", multiple=True, complete="question"),
    Opt("tags", ("--tag", "-t"), "Only entries with this tag (repeat: all of them).", metavar="TAG",
        multiple=True, complete="tag"),
    Opt("any_tags", ("--any-tag",), "Only entries with this tag (repeat: any of them).", metavar="TAG",
        multiple=True, complete="tag"),
    Opt("by", ("--by",), "Only positions held by, or arguments made by, this actor (repeat: any of them).",
        metavar="ACTOR", multiple=True, complete="actor"),
    Opt("for_", ("--for",), "Only arguments for this position or argument (repeat: any of them).", metavar="ID",
        multiple=True, complete="claim"),
    Opt("against", ("--against",), "Only arguments against this position or argument (repeat: any of them).",
        metavar="ID", multiple=True, complete="claim"),
    Opt("deep", ("--deep",), "With --for/--against: include the whole tree of rebuttals.", flag=True),
    Opt("stance", ("--stance",), "Only arguments with this stance: for or against.", metavar="STANCE",
        multiple=True, complete="stance"),
    Opt("unanswered", ("--unanswered",), "Only objections that no argument attacks in turn.", flag=True),
    Opt("agreement", ("--agreement",),
        "Only positions held this widely: consensus, broad, divided, individual (repeat: any of them).",
        metavar="LEVEL", multiple=True, complete="agreement"),
    Opt("type", ("--type",),
        "Only arguments of this claim type: empirical, normative, definitional, predictive, practical"
        " (repeat: any of them).",
        metavar="TYPE", multiple=True, complete="type"),
    Opt("match", ("--match", "-m"), "Only entries whose claim or quote contains TEXT, any case (repeat: any of them).",
        metavar="TEXT", multiple=True),
    Opt("sort", ("--sort", "-s"), "Sort by this field (default: file order; tags by name).", metavar="FIELD",
        complete="sort"),
    Opt("reverse", ("--reverse", "-r"), "Reverse the order.", flag=True),
    Opt("limit", ("--limit",), "Show at most N entries (after sorting).", metavar="N"),
    FORMAT_OPTION,
)


def spellings(options: tuple[Opt, ...]) -> dict[str, Opt]:
    """Every spelling of ``options`` -> its option."""
    return {spelling: option for option in options for spelling in option.flags}


def hoist_global_options(argv: list[str]) -> list[str]:
    """``argv`` with the global options that follow the command's name moved before it.

    Teachers hand out aliases (``alias johns='policyx compare A B'``) and the README
    promises that options compose with them in any order, so ``johns --kb mine.yaml``
    must work as ``policyx --kb mine.yaml compare A B`` does. Order among the global
    options is kept (the later one wins, as in Click); ``--`` ends the search.
    """
    known = spellings(GLOBAL_OPTIONS)
    head: list[str] = []
    i = 0
    # the global options before the command, then the command's name
    while i < len(argv):
        token = argv[i]
        name = token.split("=", 1)[0]
        if name in known and token.startswith("--"):
            taken = 1 if known[name].flag or "=" in token else 2
            head.extend(argv[i:i + taken])
            i += taken
            continue
        break
    if i >= len(argv) or argv[i].startswith("-"):
        return list(argv)  # no command (help, --version, a typo): Click decides
    command, rest = argv[i], argv[i + 1:]
    moved: list[str] = []
    kept: list[str] = []
    j = 0
    while j < len(rest):
        token = rest[j]
        if token == "--":
            kept.extend(rest[j:])
            break
        name = token.split("=", 1)[0]
        if name in known and token.startswith("--"):
            taken = 1 if known[name].flag or "=" in token else 2
            moved.extend(rest[j:j + taken])
            j += taken
            continue
        kept.append(token)
        j += 1
    return [*head, *moved, command, *kept]
