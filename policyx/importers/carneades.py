"""Carneades 4 argument graphs (YAML) -> a policyx knowledge base.

A Carneades file has ``statements`` (id -> text, or ``{text, assumed, ...}``),
``issues`` (id -> ``{positions: [statement ids], standard}``), ``arguments``
(id -> ``{conclusion, premises, undercutter, scheme, ...}``; premises a list,
or a mapping of roles such as ``major``/``minor`` to statements) and
``assumptions`` (statement ids accepted unless argued against). The mapping
(docs/import.md gives the reasons):

- every statement is a claim, its text the quote (the statements in file order
  are the source); a statement that bears on nothing is a position;
- an issue is a question, its positions the positions answering it;
- an argument's premises support its conclusion together (linked premises),
  unless its scheme is ``convergent`` or ``cumulative`` (each premise counts on
  its own); an argument with no premises stands as an entry of its own;
- an undercutter attacks the argument's step, not its conclusion (an undercut);
- assumptions are said in the claim's note; ``tests``, ``argument_schemes``
  and weights (what Carneades computes) are counted as left out.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from ..kb import schema
from ..kb.yamlread import yaml_module
from .common import Builder, clean, fail, one_line, too_large
from .graphplace import place
from .shape import Act, Claim, Graph, Relation

_STATEMENTS = re.compile(r"^statements[ \t]*:", re.M)
#: Schemes whose premises each count on their own (Carneades 4's convergent and cumulative weighing).
INDEPENDENT = ("convergent", "cumulative")
#: How Carneades 4 names a statement's complement: ``¬p`` is the negation of ``p``.
NEGATION = "\u00ac"
_KNOWN = ("meta", "statements", "issues", "arguments", "assumptions", "tests", "argument_schemes", "language",
          "references")


def looks_like_carneades(text: str) -> bool:
    return bool(_STATEMENTS.search(text[: 1 << 16]))


def is_carneades(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("statements"), dict) and "version" not in data


def parse(name: str, text: str) -> Any:

    yaml = yaml_module()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise fail(name, f"is not valid YAML ({getattr(exc, 'problem', None) or 'cannot be read'})",
                   "fix the YAML at that place", line=mark.line + 1 if mark else None,
                   column=mark.column + 1 if mark else None) from None
    except RecursionError:
        raise fail(name, "is YAML nested too deeply to read", "give a Carneades argument graph") from None


#: what every statement with words holds at least, as an entry or a linked premise (schema version 2:
#: every claim is one or the other): its mapping and its ``claim``
PER_STATEMENT = 2
_WORD = re.compile(r"\w")


def within_limits(name: str, data: Any) -> None:
    """Refuse, before any of its entries is built, a Carneades graph whose knowledge base (version 2)
    would hold more YAML values than policyx reads (``schema.MAX_VALUES``): each statement with
    words becomes an entry or a linked premise, so holds at least PER_STATEMENT values."""
    limit = schema.MAX_VALUES  # read here, not bound at import: tests lower it
    statements = data.get("statements") if isinstance(data, dict) else None
    if not isinstance(statements, dict) or len(statements) * PER_STATEMENT <= limit:
        return
    worded = sum(1 for value in statements.values()
                 if isinstance(text := value.get("text") if isinstance(value, dict) else value, str)
                 and _WORD.search(text))
    if worded * PER_STATEMENT > limit:
        raise too_large(name, f"its {worded:,} statements with text would make", worded * PER_STATEMENT,
                        "split the graph into several files and import them one at a time, or import a part of it")


def _ids(value: Any) -> list[str]:
    """Statement ids from a list, a mapping of roles to ids, or one id."""
    if isinstance(value, dict):
        return [clean(v).strip() for v in value.values() if not isinstance(v, (dict, list))]
    if isinstance(value, list):
        return [clean(v).strip() for v in value if not isinstance(v, (dict, list))]
    return [clean(value).strip()] if value is not None and not isinstance(value, bool) else []


def _roles(value: Any) -> dict[str, str]:
    return {clean(v).strip(): clean(k) for k, v in value.items()} if isinstance(value, dict) else {}


def import_carneades(name: str, data: Any, builder: Builder) -> str:
    """Add the argument graph to ``builder``; returns its title."""
    if not is_carneades(data):
        raise fail(name, "is YAML but not a Carneades argument graph: it has no 'statements' mapping",
                   "give a Carneades 4 YAML file (statements, arguments, issues)")
    summary = builder.summary
    stem, label = PurePath(name).stem, PurePath(name).name
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    title = one_line(clean(meta.get("title"))) or f"Carneades argument graph {label}"
    texts: dict[str, str] = {}
    assumed: set[str] = set(_ids(data.get("assumptions")))
    stally = summary.tally("Carneades statements")
    for key, value in data["statements"].items():
        stally.read += 1
        ident = clean(key).strip()
        text = one_line(clean(value.get("text") if isinstance(value, dict) else value))
        if not text:
            stally.leave("with no text")
            summary.warn(f"{name}: statement {ident!r} has no text; left out")
            continue
        texts[ident] = text
        if isinstance(value, dict) and value.get("assumed") is True:
            assumed.add(ident)
    sections = summary.tally("Carneades sections")
    sections.read += len(data)
    sections.add("read (meta, statements, issues, arguments, assumptions)",
                 sum(1 for k in ("meta", "statements", "issues", "arguments", "assumptions") if k in data))
    for left in sorted(set(data) - set(_KNOWN), key=str):
        sections.leave(f"{clean(left)!r} (not part of Carneades 4's format)")
    for what in ("tests", "argument_schemes", "language", "references"):
        if what in data:
            sections.leave(
                f"{what} (what Carneades computes or weighs; policyx records the arguments, not their evaluation)")
    default = builder.question(stem, f"What is argued in {label}?")
    if not texts:
        summary.warn(f"{name}: no claims (no statements with text): an empty debate, its question only")
        return title
    source = builder.source(f"{stem} text", f"{label}: the text of its statements, in file order",
                            "\n\n".join(texts.values()), url=_url(meta.get("source")))
    v1 = builder.version < 2  # version 1 needs a holder of every position: the file's author, made so

    def author() -> str:
        return builder.actor(f"carneades-author:{name}", f"the author of {label}",
                             description=f"{label} names no one who holds its statements.")

    claims: dict[str, Claim] = {}
    for ident, text in texts.items():
        note = "Assumed in the Carneades model: accepted unless argued against." if ident in assumed else None
        claims[f"s:{ident}"] = Claim(f"s:{ident}", text, f"statement {ident!r}", seed=_seed(ident),
                                     fallback=f"statement {ident}", quote=text, source=source, note=note,
                                     acts=[Act(author(), "asserts", text, source)] if v1 else [])
    _issues(name, data.get("issues"), claims, builder)
    relations = _arguments(name, data.get("arguments"), claims, texts, author() if v1 else None, builder, assumed)
    relations += _complements(claims, summary.tally("Carneades statements"))
    placed = place(Graph(name, claims, relations, default, author, support_circles="position", unheld=not v1),
                   builder, summary.tally("Carneades relations (premise -> conclusion)"))
    if not any(p.get("question") == default for p in builder.collections["positions"]):
        builder.collections["questions"] = [q for q in builder.collections["questions"] if q["id"] != default]
    stally.add("positions", len(placed.position_keys & {k for k in claims if k.startswith("s:")}))
    stally.add("claims of arguments", sum(1 for k in placed.entry_of if k.startswith("s:") and
                                          k not in placed.position_keys))
    return title


def _seed(ident: str) -> str:
    """A statement id as an id's seed ('¬app(a1)' gives nothing readable: the text does then)."""
    return "" if not re.fullmatch(r"[A-Za-z][\w\-]*", ident) or re.fullmatch(r"s\d+", ident) else ident


def _url(value: Any) -> str:
    text = clean(value).strip() if isinstance(value, str) else ""
    first = text.split()[0] if text else ""
    return first if first.startswith(("http://", "https://")) else ""


def _issues(name: str, issues: Any, claims: dict[str, Claim], builder: Builder) -> None:
    tally = builder.summary.tally("Carneades issues")
    for key, issue in (issues or {}).items() if isinstance(issues, dict) else ():
        tally.read += 1
        ident = clean(key).strip()
        members = [f"s:{i}" for i in _ids(issue.get("positions") if isinstance(issue, dict) else None)]
        known = [m for m in members if m in claims]
        if not known:
            tally.leave("with no position among the statements")
            builder.summary.warn(f"{name}: issue {ident!r} names no statement; left out")
            continue
        text = " or ".join(f"'{claims[m].claim}'" for m in known)
        question = builder.question(f"issue {ident}", f"Which holds: {text}?")
        for member in known:
            claims[member].question = question
        tally.add("questions (their positions the statements they list)")


def _complements(claims: dict[str, Claim], tally: Any) -> list[Relation]:
    """A statement and its complement (Carneades 4 writes the negation of ``p`` as ``¬p``) attack
    each other; both stay positions when they bear on nothing else (as an issue's positions do)."""
    relations: list[Relation] = []
    for key in list(claims):
        other = f"s:{key[2:].removeprefix(NEGATION)}"
        if key.startswith(f"s:{NEGATION}") and other in claims and other != key:
            for a, b in ((key, other), (other, key)):
                relations.append(Relation(f"{a}><{b}", a, b, "against", f"statements {b[2:]!r} and {a[2:]!r}"))
                claims[a].position = True
            tally.add("complementary pairs (p and ¬p), which attack each other")
    return relations


def _arguments(name: str, arguments: Any, claims: dict[str, Claim], texts: dict[str, str], author: str | None,
               builder: Builder, assumed: set[str]) -> list[Relation]:
    tally = builder.summary.tally("Carneades arguments")
    relations: list[Relation] = []
    first_of: dict[str, str] = {}
    undercutters: list[tuple[str, str]] = []
    concluding: dict[str, list[Relation]] = {}  # a statement -> the relations of the arguments concluding it
    for key, argument in (arguments or {}).items() if isinstance(arguments, dict) else ():
        tally.read += 1
        ident = clean(key).strip()
        if not isinstance(argument, dict):
            tally.leave("not a mapping")
            continue
        conclusion = f"s:{clean(argument.get('conclusion')).strip()}"
        if conclusion not in claims:
            tally.leave("with no conclusion among the statements")
            builder.summary.warn(f"{name}: argument {ident!r} concludes no statement the file holds; left out")
            continue
        premises = [f"s:{p}" for p in _ids(argument.get("premises"))]
        missing = [p for p in premises if p not in claims]
        if missing:
            builder.summary.warn(f"{name}: argument {ident!r} names premise {missing[0][2:]!r}, which the file "
                                 "does not hold; that premise is left out")
            premises = [p for p in premises if p in claims]
        scheme = clean(argument.get("scheme")).strip()
        roles = _roles(argument.get("premises"))
        if not premises:  # an argument of no premises: itself an entry, standing for its conclusion
            own = f"a:{ident}"
            claims[own] = Claim(own, f"Argument {ident} of {PurePath(name).name}, with no premises, for: "
                                f"{texts[conclusion[2:]]}", f"argument {ident!r}", fallback=f"argument {ident}",
                                note="Carneades argument with no premises: it holds its conclusion unless undercut.",
                                acts=[Act(author, "asserts")] if author else [])
            premises = [own]
        linked = scheme.lower() not in INDEPENDENT
        for premise in premises:
            relation = Relation(f"{ident}>{premise}", premise, conclusion, "for", f"argument {ident!r}",
                                group=ident if linked else f"{ident}>{premise}")
            relations.append(relation)
            first_of.setdefault(ident, relation.key)
            concluding.setdefault(conclusion, []).append(relation)
            role = roles.get(premise[2:])
            if role and premise in claims:
                said = f"The premise '{role}' of Carneades argument {ident}."
                note = claims[premise].note
                claims[premise].note = f"{note} {said}" if note else said
        tally.add("linked premises of one inference" if linked and len(premises) > 1 else
                  f"premises each counting on its own (scheme {scheme})" if len(premises) > 1 else
                  "inferences of one premise")
        undercutter = clean(argument.get("undercutter")).strip()
        if undercutter:
            undercutters.append((ident, f"s:{undercutter}"))
    for ident, undercutter in undercutters:
        if undercutter not in claims:
            tally.leave("undercutters naming no statement the file holds")
            continue
        # Carneades accepts an undercutter when it is assumed or an argument for it holds: so the
        # undercut comes from the assumption itself, and from each argument concluding it (its
        # inference attacks the step too: Dung's attack, as the file's arguments simulate it)
        sources = [(undercutter, f"{ident}~{undercutter}")] if undercutter[2:] in assumed else []
        sources += [(r.source, r.group or r.key) for r in concluding.get(undercutter, [])]
        keys: set[str] = set()
        for source, group in sources:  # (a premise of two arguments that conclude the undercutter: a key each)
            key = f"{ident}~{source}" if f"{ident}~{source}" not in keys else f"{ident}~{group}~{source}"
            keys.add(key)
            relations.append(Relation(key, source, first_of[ident], "against",
                                      f"the undercutter of argument {ident!r}", group=group))
        if sources:
            tally.add("undercutters (an attack on the argument's step, not its conclusion)")
            continue
        tally.leave("undercutters neither assumed nor concluded by an argument (Carneades: out, so no attack)")
        said = f"Carneades names it the undercutter of argument {ident}; nothing argues for it and it is not assumed."
        note = claims[undercutter].note
        claims[undercutter].note = f"{note} {said}" if note else said
    return relations
