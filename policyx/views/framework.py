"""What stands: a knowledge base as a Dung framework, its labels, and why each label holds.

The adapter (:func:`framework_of`) is the only place that reads the knowledge base's model;
the semantics (:mod:`policyx.kb.semantics`) see only arguments and attacks. The choices, and
their reasons, are in docs/standing.md:

- every position and every argument is an argument in Dung's sense (a claim put forward, which
  may be attacked); questions are not (they claim nothing);
- an argument ``against`` an entry attacks it (a rebuttal), and so does a position ``against``
  another entry (version 2: contradicting claims); an undercut (``undercuts:``) attacks the
  argument whose step it denies; an attack on an argument resting on linked premises attacks that
  argument whole (it holds only with all of them); positions of one question do not otherwise
  attack each other (they are answers side by side, several of which may stand);
- restatements and acts are no attacks: a restating entry is labelled on its own;
- supports carry no attack: an argument ``for`` an entry is an argument of its own, labelled like
  any other, but neither its defeat defeats what it supports nor does it attack what its target
  attacks (Cayrol & Lagasquie-Schiex's secondary and supported attacks are not added).

Everything here is derived, never recorded: every label a user sees says so.
"""

from __future__ import annotations

from ..kb.model import Argument, KnowledgeBase, Position, Stance
from ..kb.semantics import (
    CREDULOUS,
    IN,
    OUT,
    REJECTED,
    SEMANTICS,
    SKEPTICAL,
    UNDECIDED,
    Extensions,
    Framework,
    extensions,
    grounded,
)
from ..kb.semantics import TooHard as TooHard  # what standing_of raises, named where it is called from
from ..kb.struct import dataclass, field

#: the labels of each semantics, in the order verdicts count them
LABELS: dict[str, tuple[str, ...]] = {
    "grounded": (IN, UNDECIDED, OUT),
    "preferred": (SKEPTICAL, CREDULOUS, REJECTED),
    "stable": (SKEPTICAL, CREDULOUS, REJECTED),
}
#: the semantics a label belongs to (``list``'s ``standing`` filter: skeptical and the like mean preferred)
SEMANTICS_OF: dict[str, str] = {IN: "grounded", OUT: "grounded", UNDECIDED: "grounded",
                                SKEPTICAL: "preferred", CREDULOUS: "preferred", REJECTED: "preferred"}
#: how long preferred and stable may search by default, in seconds
TIME_LIMIT = 5.0


def framework_of(kb: KnowledgeBase) -> tuple[Framework, dict[tuple[str, str], str]]:
    """The framework of ``kb``: positions then arguments, in file order; each attack with its kind:
    ``rebuts`` (an argument or a position against an entry's claim), ``undercuts`` (against the
    step from an argument to what it answers: version 2's ``undercuts:``), ``undermines`` (against
    an argument resting on linked premises: it falls with any of them)."""
    ids = [p.id for p in kb.positions] + [a.id for a in kb.arguments]
    kinds: dict[tuple[str, str], str] = {}
    for position in kb.positions:
        for target in position.against:  # ARGUMENT.PREMISE: it undermines that argument
            entry, dot, _ = target.partition(".")
            kinds[(position.id, entry)] = "undermines" if dot else "rebuts"
    for argument in kb.arguments:
        for stance, target in argument.relations:
            if stance is not Stance.AGAINST:
                continue  # supports attack nothing (see the module's docstring)
            attacked = kb.get(target)
            if target == argument.undercuts:
                kinds[(argument.id, target)] = "undercuts"
            elif isinstance(attacked, Argument) and attacked.premises:
                kinds[(argument.id, target)] = "undermines"
            else:
                kinds[(argument.id, target)] = "rebuts"
    return Framework(ids, kinds), kinds


@dataclass
class Standing:
    """The labels of one semantics over a knowledge base, and what explains them."""

    kb: KnowledgeBase
    semantics: str
    framework: Framework
    #: attack -> its kind (rebuts, undercuts, undermines)
    kinds: dict[tuple[str, str], str]
    #: the grounded labelling (every semantics' explanations start from it)
    ground: list[str]
    extensions: Extensions | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def no_extension(self) -> bool:
        """Stable semantics, and the framework has no stable extension."""
        return self.extensions is not None and self.extensions.count == 0

    def label(self, entry_id: str) -> str | None:
        return self.labels.get(entry_id)

    def grounded_label(self, entry_id: str) -> str:
        return self.ground[self.framework.index[entry_id]]

    def attackers(self, entry_id: str) -> list[str]:
        fw = self.framework
        return [fw.ids[i] for i in fw.attackers[fw.index[entry_id]]]

    def why(self, entry_id: str) -> str:
        """The label of ``entry_id`` in a sentence, in the debate's terms (ids)."""
        if self.extensions is None:
            return self._why_grounded(entry_id)
        return self._why_extensions(entry_id)

    def _why_grounded(self, entry_id: str) -> str:
        label = self.grounded_label(entry_id)
        attackers = self.attackers(entry_id)
        if label == IN:
            if not attackers:
                return "nothing attacks it"
            defenders = sorted({d for a in attackers for d in self.attackers(a) if self.grounded_label(d) == IN},
                               key=self.framework.index.__getitem__)
            return (f"every attacker is out ({', '.join(attackers)}), defeated by {_and(defenders)},"
                    f" which {'is' if len(defenders) == 1 else 'are'} in: reinstated")
        if label == OUT:
            winners = [self._named(a, entry_id) for a in attackers if self.grounded_label(a) == IN]
            return f"attacked by {_and(winners)}, which {'is' if len(winners) == 1 else 'are'} in"
        cycle = self.cycle(entry_id)
        open_ = [a for a in attackers if self.grounded_label(a) == UNDECIDED]
        parity = "an odd" if len(cycle) % 2 else "an even"
        shown = " -> ".join([*cycle, cycle[0]])
        head = f"attacked by {_and(open_)}, undecided; " if entry_id not in cycle else ""
        if len(cycle) == 1:
            return f"{head}{'it attacks' if cycle[0] == entry_id else f'{cycle[0]} attacks'} itself"
        return f"{head}{'in ' if entry_id in cycle else ''}{parity} cycle of attacks ({shown}) that nothing settles"

    def _named(self, attacker: str, attacked: str) -> str:
        """An attacker's id, with how it attacks unless it rebuts (``teasing-moves (undercuts)``)."""
        kind = self.kinds.get((attacker, attacked), "rebuts")
        return attacker if kind == "rebuts" else f"{attacker} ({kind})"

    def cycle(self, entry_id: str) -> list[str]:
        """A cycle of undecided arguments that leaves ``entry_id`` undecided, in the direction of
        attack (every undecided argument has an undecided attacker, so walking back finds one)."""
        seen: dict[str, int] = {}
        path: list[str] = []
        current = entry_id
        while current not in seen:
            seen[current] = len(path)
            path.append(current)
            current = next(a for a in self.attackers(current) if self.grounded_label(a) == UNDECIDED)
        loop = path[seen[current]:]
        loop.reverse()  # path follows attackers backwards: reversed, it follows the attacks
        return loop

    def _why_extensions(self, entry_id: str) -> str:
        assert self.extensions is not None
        name = self.semantics
        if self.no_extension:
            part = self.extensions.blocking
            shown = ", ".join(part[:6]) + (f" and {len(part) - 6} more" if len(part) > 6 else "")
            return (f"the debate has no {name} extension: no choice among {shown} attacks every one"
                    f" it leaves out (an odd cycle of attacks)")
        index = self.framework.index[entry_id]
        held, of = self.extensions.tallies[index]
        ground = self.ground[index]
        if ground == IN:
            return f"in every {name} extension: {self._why_grounded(entry_id)}"
        if ground == OUT:
            return f"in no {name} extension: {self._why_grounded(entry_id)}"
        if of < 0:  # a part with too many extensions to count: the label comes from two searches
            return {SKEPTICAL: f"in every {name} extension (too many to count) of its part of the debate",
                    CREDULOUS: f"in some {name} extensions of its part of the debate, not all (too many to count)",
                    }.get(self.labels[entry_id], f"in no {name} extension: never defended against"
                          f" {_and(self.attackers(entry_id))}")
        if held == of:
            return f"in every {name} extension ({of}) of its part of the debate, though undecided when grounded"
        if held:
            return f"in {held} of the {of} {name} extensions of its part of the debate"
        attackers = self.attackers(entry_id)
        among = f"in none of the {of} {name} extensions" if of != 1 else f"not in the one {name} extension"
        return f"{among} of its part of the debate: never defended against {_and(attackers)}"


def _and(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def standing_of(kb: KnowledgeBase, semantics: str = "grounded", seconds: float = TIME_LIMIT) -> Standing:
    """Label every position and argument of ``kb``; :class:`~policyx.kb.semantics.TooHard` when
    preferred or stable cannot finish within ``seconds``."""
    if semantics not in SEMANTICS:
        raise ValueError(semantics)
    framework, kinds = framework_of(kb)
    ground = grounded(framework)
    found = None if semantics == "grounded" else extensions(framework, semantics, seconds, ground)
    labels = dict(zip(framework.ids, ground if found is None else found.labels, strict=True))
    return Standing(kb, semantics, framework, kinds, ground, found, labels)


def verdict(standing: Standing, positions: list[Position]) -> str:
    """One line on a question's positions: ``2 of 3 positions stand; 1 undecided``."""
    counts = dict.fromkeys(LABELS[standing.semantics], 0)
    for position in positions:
        counts[standing.labels[position.id]] += 1
    n = len(positions)
    first, second, third = LABELS[standing.semantics]
    noun = "position" if n == 1 else "positions"
    if standing.no_extension:
        return f"no {standing.semantics} extension: nothing stands"
    if standing.semantics == "grounded":
        head = f"{counts[first]} of {n} {noun} {'stands' if counts[first] == 1 else 'stand'}"
        tail = [f"{counts[second]} undecided"] if counts[second] else []
        tail += [f"{counts[third]} out"] if counts[third] else []
    else:
        verb = "stands" if counts[first] == 1 else "stand"
        head = f"{counts[first]} of {n} {noun} {verb} in every {standing.semantics} extension"
        tail = [f"{counts[second]} in some"] if counts[second] else []
        tail += [f"{counts[third]} in none"] if counts[third] else []
    return "; ".join([head, *tail])
