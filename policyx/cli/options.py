"""The command line as plain data: every option and argument defined once.

An :class:`Opt` says everything about an option (spellings, what its value is and how it is
converted, what it sets, what completes it, its help); an :class:`Arg` the same about a
positional argument; :data:`COMMANDS` which of them each command takes. The Typer parameters
(:mod:`policyx.cli.params`), the fast path's parser (:mod:`policyx.cli.fast`) and shell
completion (:mod:`policyx.cli.fastcomplete`) are all built from these tables and read argv
with the one tokenizer here (:func:`take`). No Typer here, and nothing heavy: the fast path
imports it.
"""

from __future__ import annotations

from ..kb.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any


class Opt:
    """One option: its keyword, its spellings, and how it is parsed, shown and completed."""

    __slots__ = ("key", "flags", "metavar", "help", "flag", "multiple", "complete", "kind", "default", "required",
                 "minimum", "envvar", "action")

    def __init__(
        self, key: str, flags: tuple[str, ...], help: str, *, metavar: str | None = None,
        flag: bool = False, multiple: bool = False, complete: str | None = None,
        kind: str = "text", default: object = None, required: bool = False, minimum: int | None = None,
        envvar: str | None = None, action: str | None = None,
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
        #: what the value is: "text", "int" (a whole number of at least ``minimum``, converted
        #: by :meth:`convert` with policyx's wording) or "path" (a file to write)
        self.kind = kind
        #: the value when the option is not given (help shows it)
        self.default = default
        #: the option must be given
        self.required = required
        #: the least value of an "int" option
        self.minimum = minimum
        #: the environment variable read when the option is not given (by policyx.cli.selection,
        #: not by Click), named in messages
        self.envvar = envvar
        #: what the option does as soon as it is read, before any command, and then exits (a key
        #: of policyx.cli.params.ACTIONS: ``version`` prints the version); None: it only sets a value
        self.action = action

    def convert(self, value: Any) -> Any:
        """The value the command receives for what was typed (a usage error when it cannot be)."""
        if self.kind == "int" and isinstance(value, str):
            return whole_number(self.flags[0], value, least=self.minimum)
        if self.kind == "path" and isinstance(value, str):
            if not value:  # Path("") would be "." (the folder): say what was given instead
                raise UsageError(f"{self.flags[0]} is empty (''): give a file name")
            from pathlib import Path  # lazy: only an option that names a file (not completion)

            return Path(value)
        return value

    def help_text(self) -> str:
        """The help as ``--help`` (and shell completion) shows it: ``{formats}`` and
        ``{export_formats}`` filled in from the format registry."""
        if "{" not in self.help:
            return self.help
        from ..output.registry import FormatKind, format_names  # lazy: help only, not completion of names

        return self.help.replace("{formats}", ", ".join(format_names(FormatKind.LISTING))).replace(
            "{export_formats}", ", ".join(format_names(FormatKind.EXPORT)))


#: The commands, in the order ``policyx --help`` lists them, with the summary it shows
#: (each command module declares its command with ``short_help=SUMMARIES[name]``).
SUMMARIES: dict[str, str] = {
    "list": "List and filter entries (positions by default).",
    "show": "Show entries in full, with their argument trees.",
    "compare": "Compare positions or arguments side by side.",
    "search": "Search all entries' text, best matches first.",
    "stats": "Counts and shapes of the debates, per debate and in total.",
    "map": "The debate as a tree: positions, arguments, rebuttals.",
    "export": "A handout, a diagram (dot, mermaid), Argdown, AIF, or the data.",
    "quiz": "Quiz yourself on the debate (or print a quiz); a score at the end.",
    "check": "Validate a knowledge base, every quote against its source.",
    "init": "Start a knowledge base for some source texts.",
    "quote": "Find a source's exact words for approximate ones.",
    "import": "Import AIF, Argdown, Kialo, arggraph or Carneades files into a knowledge base.",
    "schema": "Print the JSON Schema of a knowledge base file.",
    "info": "Which knowledge base is in use, its counts, cache and quotes.",
    "diff": "What changed between two versions of a knowledge base.",
    "standing": "Which positions and arguments stand, and why (derived).",
    "explore": "Browse the debate in a full-screen terminal app.",
    "help": "Show the help of policyx or of one command.",
}

#: Options every command accepts, before or after the command's name.
GLOBAL_OPTIONS: tuple[Opt, ...] = (
    Opt("kb", ("--kb",), "Knowledge base file or folder to read; repeat it for several (default: $POLICYX_KB,"
        " else the library of ~/.config/policyx/config.toml, else the bundled one).", metavar="PATH", multiple=True,
        envvar="POLICYX_KB"),
    Opt("no_cache", ("--no-cache",), "Do not read or write the cache of parsed knowledge bases.", flag=True),
    Opt("no_color", ("--no-color",), "No colour or styles, even on a terminal (also NO_COLOR=1).", flag=True),
    Opt("no_pager", ("--no-pager",), "Do not send long output on a terminal through a pager.", flag=True),
    Opt("sources", ("--sources",), "A folder, besides the knowledge base's own, that sources' files may be in"
        " (check reads no file outside these).", metavar="DIR"),
    Opt("csv_safe", ("--csv-safe",), "In CSV and TSV, start cells a spreadsheet would run as a formula"
        " (=, +, -, @) with an apostrophe.", flag=True),
)

#: The options of ``policyx`` itself, before any command, that act at once and exit.
ROOT_OPTIONS: tuple[Opt, ...] = (
    Opt("version", ("--version", "-V"), "Print the version and exit.", flag=True, action="version"),
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
    Opt("asked_by", ("--asked-by",), "Only entries this actor asked about (version 2 acts; repeat: any of them).",
        metavar="ACTOR", multiple=True, complete="actor"),
    Opt("disputed_by", ("--disputed-by",),
        "Only entries this actor challenged or disagreed with (version 2 acts; repeat: any of them).",
        metavar="ACTOR", multiple=True, complete="actor"),
    Opt("undercuts", ("--undercuts",),
        "Only arguments attacking the step (not the claim) of this argument (version 2; repeat: any of them).",
        metavar="ID", multiple=True, complete="claim"),
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
    Opt("standing", ("--standing",), "Only positions and arguments with this derived label: in, out, undecided"
        " (grounded), skeptical, credulous, rejected (preferred) (repeat: any of them); see `policyx standing`.",
        metavar="LABEL", multiple=True),
    Opt("sort", ("--sort", "-s"), "Sort by this field (default: file order; tags by name).", metavar="FIELD",
        complete="sort"),
    Opt("reverse", ("--reverse", "-r"), "Reverse the order.", flag=True),
    Opt("limit", ("--limit",), "Show at most N entries (after sorting).", metavar="N", kind="int", minimum=1),
    FORMAT_OPTION,
)


#: ``show``, ``compare`` and ``search`` take only the format.
SHOW_OPTIONS: tuple[Opt, ...] = (FORMAT_OPTION,)
COMPARE_OPTIONS: tuple[Opt, ...] = (FORMAT_OPTION,)
SEARCH_OPTIONS: tuple[Opt, ...] = (
    Opt("kind", ("--kind", "-k"),
        "Only entries of this collection: positions, arguments, questions... (repeat: any of them).",
        metavar="KIND", multiple=True, complete="collection"),
    FORMAT_OPTION,
)

#: The tag and question that ``map``, ``export`` and ``quiz`` keep.
TAG_OPTION = Opt("tag", ("--tag", "-t"), "Only entries with this tag (and what links them to their question).",
                 metavar="TAG", complete="tag")
QUESTION_OPTION = Opt("question", ("--question", "-q"), "Only this question and what is under it.", metavar="ID",
                      complete="question")

#: The options of ``policyx map``.
#: The options of ``policyx stats``.
STATS_OPTIONS: tuple[Opt, ...] = (
    Opt("per", ("--per",), "Figures per debate (each, then the total; the default), per question or per actor.",
        metavar="GROUP"),
    FORMAT_OPTION,
)

MAP_OPTIONS: tuple[Opt, ...] = (
    TAG_OPTION,
    Opt("plain", ("--plain",), "An indented outline, even on a terminal.", flag=True),
    Opt("standing", ("--standing",), "Each node with its derived label (in, out, undecided).", flag=True),
)

#: The options of ``policyx export``, ``quiz`` and ``check`` (Typer runs them; the fast
#: path only completes their values).
EXPORT_OPTIONS: tuple[Opt, ...] = (
    Opt("fmt", ("--format", "-f"), "One of: {export_formats}.", metavar="FORMAT", complete="export-format",
        required=True),
    Opt("output", ("--output", "-o"), "Write to FILE instead of stdout.", metavar="FILE", kind="path"),
    QUESTION_OPTION,
    TAG_OPTION,
    Opt("force", ("--force",), "Replace --output FILE even when policyx did not write it, or it is a link (the"
        " link, not its target), read-only or hard-linked.", flag=True),
    Opt("standing", ("--standing",), "dot, mermaid, markdown, html: each entry's derived label (a word, coloured).",
        flag=True),
)
QUIZ_OPTIONS: tuple[Opt, ...] = (
    Opt("count", ("--count", "-n"), "How many questions (default: 5).", metavar="N", default="5", kind="int",
        minimum=1),
    Opt("seed", ("--seed", "-s"), "Same seed, same quiz (default: a new one, shown).", metavar="S", kind="int"),
    QUESTION_OPTION,
    Opt("tag", ("--tag", "-t"), "Only entries with this tag.", metavar="TAG", complete="tag"),
    Opt("printable", ("--print",), "Print the quiz as Markdown, with an answer key at the end, for a class.",
        flag=True),
    Opt("no_key", ("--no-key",), "With --print: the questions only (print the key apart with --key-only).",
        flag=True),
    Opt("key_only", ("--key-only",), "Print only the answer key of the quiz --print prints (same --seed).",
        flag=True),
    Opt("output", ("--output", "-o"), "With --print or --key-only: write to FILE instead of stdout.", metavar="FILE",
        kind="path"),
)
CHECK_OPTIONS: tuple[Opt, ...] = (
    Opt("fmt", ("--format", "-f"), "text (messages on stderr), or for CI on stdout: json (one document),"
        " github (GitHub Actions annotations) or sarif (SARIF 2.1.0, for code scanning).",
        metavar="FORMAT", complete="check-format", default="text"),
    Opt("strict", ("--strict",), "Fail on warnings too.", flag=True),
    Opt("fix", ("--fix",), "Rewrite each quote that nearly matches one passage of its source to the source's exact"
        " words; print the diff.", flag=True),
    Opt("dry_run", ("--dry-run",), "With --fix: print the diff, change nothing.", flag=True),
    Opt("watch", ("--watch",), "Check again each time the file or a source is saved (Ctrl-C to stop).", flag=True),
    Opt("force", ("--force",), "With --fix: rewrite the file even when it is read-only, hard-linked, another user's"
        " or a link (the link is replaced, never its target).", flag=True),
)

QUOTE_OPTIONS: tuple[Opt, ...] = (
    Opt("source", ("--source", "-s"), "Only this source.", metavar="ID", complete="source"),
    Opt("in_file", ("--in",), "Search this text file instead of the knowledge base's sources.", metavar="FILE"),
    Opt("limit", ("--limit", "-n"), "How many passages at most (default: 5).", metavar="N", default="5", kind="int",
        minimum=1),
    Opt("fmt", ("--format", "-f"), "plain, yaml (quote: and source: to paste) or json.", metavar="FORMAT",
        complete="quote-format", default="plain"),
)

INIT_OPTIONS: tuple[Opt, ...] = (
    Opt("output", ("--output", "-o"), "The file to write (an existing file only if policyx wrote it and it is"
        " unchanged since).", metavar="KB.yaml", required=True),
    Opt("force", ("--force",), "Replace KB.yaml even when policyx did not write it; a link is replaced, never"
        " followed.", flag=True),
)
IMPORT_OPTIONS: tuple[Opt, ...] = (
    Opt("given_output", ("--output", "-o"), "The knowledge base to write (its source texts go in KB-sources/"
        " beside it), or a folder (a name ending in /) to write a library: one knowledge base per file.",
        metavar="KB.yaml|FOLDER/", required=True),
    Opt("from_format", ("--from",), "aif, argdown, kialo, microtexts or carneades (default: told from each file's"
        " content).", metavar="FORMAT", complete="import-format"),
    Opt("title", ("--title",), "The knowledge base's title.", metavar="TEXT"),
    Opt("force", ("--force",), "Replace KB.yaml and its source texts even when policyx did not write them (or they"
        " changed since); links are replaced, never followed.", flag=True),
)
DIFF_OPTIONS: tuple[Opt, ...] = (
    Opt("fmt", ("--format", "-f"), "text (default on a terminal), plain (default in a pipe), json or markdown.",
        metavar="FORMAT", complete="diff-format"),
    Opt("label", ("--label", "-L"), "Name OLD (the first time) and NEW (the second) in the output, as diff -L does.",
        metavar="NAME", multiple=True),
    Opt("includes_from", ("--includes-from",), "Find the files OLD and NEW include in DIR, not beside them (for"
        " copies: git's temporary files, pipes).", metavar="DIR"),
)


def spellings(options: tuple[Opt, ...]) -> dict[str, Opt]:
    """Every spelling of ``options`` -> its option."""
    return {spelling: option for option in options for spelling in option.flags}


#: The filters of ``list`` that ``policyx standing`` shares (positions and arguments have them all).
STANDING_FILTERS = ("question", "tags", "any_tags", "by")

#: The options of ``policyx standing``: the semantics, the label wanted, the shared filters,
#: --why, the time limit and the format.
STANDING_OPTIONS: tuple[Opt, ...] = (
    Opt("semantics", ("--semantics",), "grounded (default: in, out, undecided), preferred or stable"
        " (skeptical, credulous, rejected).", metavar="NAME", default="grounded"),
    Opt("label", ("--label", "-l"), "Only entries with this label (repeat: any of them).", metavar="LABEL",
        multiple=True),
    *(option for option in LIST_OPTIONS if option.key in STANDING_FILTERS),
    Opt("why", ("--why",), "With an ID: explain its label (attackers, defenders, the cycle).", flag=True),
    Opt("time_limit", ("--time-limit",), "Seconds preferred and stable may search (default: 5).",
        metavar="SECONDS"),
    FORMAT_OPTION,
)



class Arg:
    """One positional argument: its keyword, how help shows it, and what completes it."""

    __slots__ = ("key", "metavar", "help", "many", "required", "complete", "kind")

    def __init__(
        self, key: str, metavar: str, help: str, *, many: bool = False, required: bool = False,
        complete: str | None = None, kind: str = "text",
    ) -> None:
        #: the keyword argument the command's function receives
        self.key = key
        self.metavar = metavar
        self.help = help
        #: one or more values (required; a tuple), else one value
        self.many = many
        #: the one value must be given (else it is optional)
        self.required = required
        #: "text", or "path": files (the command receives Paths; the shell completes file names)
        self.kind = kind
        #: what completes it: a key of policyx.cli.complete.COMPLETERS
        self.complete = complete


class Command:
    """What one command takes: its positional arguments and options, and the kind of format
    its --format names (policyx.output.registry.FormatKind), if it takes one."""

    __slots__ = ("arguments", "options", "spellings", "formats")

    def __init__(self, arguments: tuple[Arg, ...], options: tuple[Opt, ...], formats: str | None = None) -> None:
        self.arguments = arguments
        #: in the order --help shows them
        self.options = options
        #: every spelling -> its option
        self.spellings = spellings(options)
        self.formats = formats


#: Every command's arguments and options (the fast path runs those of cli/fast.RUNNERS).
COMMANDS: dict[str, Command] = {
    "list": Command((Arg("collection", "[COLLECTION]", "positions (default), arguments, questions, actors, sources,"
                         " models, tags or kbs.", complete="collection"),), LIST_OPTIONS, "listing"),
    "show": Command((Arg("ids", "ID...", "Ids of the entries to show.", many=True, complete="id"),), SHOW_OPTIONS,
                    "listing"),
    "compare": Command((Arg("ids", "ID ID [ID...]", "Two or more positions or arguments.", many=True,
                            complete="claim"),), COMPARE_OPTIONS, "listing"),
    "search": Command((Arg("words", "TEXT...", "Words to look for (all must occur).", many=True),), SEARCH_OPTIONS,
                      "listing"),
    "map": Command((Arg("question", "[QUESTION]", "One question's id (default: all).", complete="question"),),
                   MAP_OPTIONS),
    "stats": Command((), STATS_OPTIONS, "listing"),
    "export": Command((), EXPORT_OPTIONS),
    "quiz": Command((), QUIZ_OPTIONS),
    "standing": Command((Arg("entry", "[ID]", "Only this position or argument (with --why: why its label holds).",
                             complete="id"),), STANDING_OPTIONS, "listing"),
    "explore": Command((Arg("entry", "[ID]", "The entry to open the tree at (default: the questions, folded).",
                            complete="id"),), ()),
    "quote": Command((Arg("words", "WORDS...", "The words as you remember them.", many=True),), QUOTE_OPTIONS),
    "init": Command((Arg("sources", "SOURCE.txt...", "The source texts (UTF-8).", many=True),), INIT_OPTIONS),
    "import": Command((Arg("files", "FILE...", "AIF .json maps, .argdown documents (or their JSON), Kialo .txt"
                           " exports, arggraph .xml, Carneades .yml, or folders of them.", many=True, kind="path"),),
                      IMPORT_OPTIONS),
    "schema": Command((), ()),
    "info": Command((), (Opt("fmt", ("--format", "-f"), "text (default) or json.", metavar="FORMAT",
                             default="text"),)),
    "diff": Command((Arg("old", "OLD", "The old version: a file, - for stdin, or /dev/null.", required=True),
                     Arg("new", "NEW", "The new version: a file, - for stdin, or /dev/null.", required=True)),
                    DIFF_OPTIONS),
    "help": Command((Arg("command", "[COMMAND]", "A command's name (default: all)."),), ()),
    "check": Command((Arg("path", "[PATH]", "Knowledge base (or folder of them) to check (default: the active"
                          " one, or each of the library)."),), CHECK_OPTIONS),
}

GLOBAL_SPELLINGS = spellings(GLOBAL_OPTIONS)

#: each option's key -> its long spelling, over every table (a key is spelt alike wherever it is, tested):
#: the views and the domain name options by key, and the command line spells them (policyx.kb.hints.option)
SPELLINGS: dict[str, str] = {option.key: option.flags[0] for options in (
    GLOBAL_OPTIONS, *(command.options for command in COMMANDS.values())) for option in options}
#: each option's key -> the environment variable that stands in for it (``kb``: ``POLICYX_KB``)
VARIABLES: dict[str, str] = {option.key: option.envvar for option in GLOBAL_OPTIONS if option.envvar}


def take(args: Sequence[str], i: int, known: Mapping[str, Opt]) -> tuple[Opt, Any, int] | None:
    """The one tokenizer: (option, value, next index) for ``--flag``, ``--opt V``, ``--opt=V`` or
    ``-oV`` at ``args[i]`` (a flag's value is True); (option, None, end) when the words end
    before an option's value; None for anything unusual (an unknown option, a flag given a
    value, an empty value or one that looks like an option), which Click then words."""
    token = args[i]
    option = known.get(token)
    if option is not None and option.flag:
        return option, True, i + 1
    if option is not None:
        if i + 1 >= len(args):
            return option, None, len(args)
        value, after = args[i + 1], i + 2
    elif token.startswith("--") and "=" in token and token.split("=", 1)[0] in known:
        name, value = token.split("=", 1)
        option, after = known[name], i + 1
        if option.flag:
            return None
    elif len(token) > 2 and not token.startswith("--") and token[:2] in known and not known[token[:2]].flag:
        option, value, after = known[token[:2]], token[2:], i + 1
    else:
        return None
    if not value or value.startswith("-"):
        return None
    return option, value, after


def whole_number(option: str, value: str | None, *, least: int | None = None) -> int | None:
    """``value`` of ``option`` as a whole number (at least ``least``): a one-line usage error
    otherwise, in words rather than Click's (``x>=1``, ``not a valid int range``)."""
    if value is None:
        return None
    text = value.strip()
    digits = text[1:] if text.startswith("-") and least is None else text
    # the length first: int() refuses more than 4,300 digits with a ValueError
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 30 or (least is not None and int(text) < least):
        wanted = f"a whole number of {least} or more" if least is not None else "a whole number"
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise UsageError(f"{option} takes {wanted}, not {shown!r}")
    return int(text)
