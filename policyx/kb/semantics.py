"""Dung's semantics of an abstract argumentation framework: arguments and attacks, nothing else.

Pure and independent of the knowledge base's model: :mod:`policyx.views.standing` builds a
:class:`Framework` from a knowledge base (which entries are arguments, which relations attack),
so the model can change without touching this module. Definitions (Dung 1995): a set S is
*conflict-free* when no member attacks a member; S *defends* a when S attacks every attacker of
a; S is *admissible* when conflict-free and defending each member; *complete* when admissible and
holding every argument it defends; the *grounded* extension is the least complete set, the
*preferred* extensions the maximal admissible sets, the *stable* extensions the conflict-free sets
attacking every argument outside them (there may be none).

- :func:`grounded` labels in linear time (the queue algorithm: an argument whose attackers are
  all ``out`` is ``in``, one attacked by an ``in`` argument is ``out``, the rest ``undecided``).
- :func:`extensions` enumerates preferred or stable extensions by a labelling search with
  pruning (after Modgil & Caminada 2009 and Nofal, Atkinson & Dunne 2014), only over what the
  grounded labelling leaves undecided, one weakly connected part at a time (the extensions of
  independent parts combine freely, so a framework of a thousand separate cycles costs a
  thousand small searches, not 2^1000 leaves). A time limit stops it with :class:`TooHard`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence

from .errors import NothingFound
from .hints import option

IN, OUT, UNDECIDED = "in", "out", "undecided"
SKEPTICAL, CREDULOUS, REJECTED = "skeptical", "credulous", "rejected"
SEMANTICS = ("grounded", "preferred", "stable")

# search labels
_BLANK, _IN, _OUT, _MUST_OUT, _UNDEC = 0, 1, 2, 3, 4


class TooHard(NothingFound):
    """The search for extensions did not finish within its time limit (the command line exits 1:
    no answer found)."""

    def __init__(self, semantics: str, seconds: float, size: int, found: int, advice: str | None = None) -> None:
        """``advice``: what to try instead, for a command without ``standing``'s options (``list``)."""
        self.semantics, self.seconds, self.size, self.found = semantics, seconds, size, found
        advice = advice or (f"{option('semantics')} grounded (always fast), a longer {option('time_limit')}, or a"
                            f" part of the debate ({option('question')})")
        NothingFound.__init__(
            self, f"{semantics} semantics did not finish within {seconds:g} s: it was searching among {size}"
            f" undecided arguments tangled in cycles of attacks ({found} candidate extensions found before stopping);"
            f" try {advice}")


class Framework:
    """Arguments (ids, in order) and attacks (attacker, attacked) between them."""

    __slots__ = ("ids", "index", "attackers", "targets")

    def __init__(self, ids: Iterable[str], attacks: Iterable[tuple[str, str]]) -> None:
        self.ids: tuple[str, ...] = tuple(ids)
        self.index: dict[str, int] = {a: i for i, a in enumerate(self.ids)}
        if len(self.index) != len(self.ids):
            raise ValueError("an argument is named twice")
        self.attackers: list[list[int]] = [[] for _ in self.ids]
        self.targets: list[list[int]] = [[] for _ in self.ids]
        index = self.index
        seen: set[tuple[int, int]] = set()
        for source, target in attacks:
            pair = (index[source], index[target])  # KeyError: an attack names no argument
            if pair in seen:
                continue
            seen.add(pair)
            self.attackers[pair[1]].append(pair[0])
            self.targets[pair[0]].append(pair[1])

    def __len__(self) -> int:
        return len(self.ids)

    def attacks(self) -> list[tuple[str, str]]:
        return [(self.ids[a], self.ids[b]) for b, sources in enumerate(self.attackers) for a in sources]


def grounded(framework: Framework) -> list[str]:
    """The grounded labelling, one label per argument (in the framework's order), in time linear in
    the arguments and attacks."""
    attackers, targets = framework.attackers, framework.targets
    n = len(framework.ids)
    live = [len(a) for a in attackers]  # attackers not (yet) out
    label: list[str | None] = [None] * n
    queue = [i for i in range(n) if not live[i]]
    for i in queue:
        label[i] = IN
    while queue:
        x = queue.pop()
        for y in targets[x]:
            if label[y] is not None:
                continue
            label[y] = OUT
            for z in targets[y]:
                live[z] -= 1
                if not live[z] and label[z] is None:
                    label[z] = IN
                    queue.append(z)
    return [UNDECIDED if lab is None else lab for lab in label]


class Extensions:
    """What the preferred or stable extensions say of each argument."""

    def __init__(self, semantics: str, count: int | None, labels: list[str], tallies: list[tuple[int, int]],
                 blocking: tuple[str, ...] = ()) -> None:
        self.semantics = semantics
        #: stable, no extension: the arguments of a part that has none (it holds an odd cycle)
        self.blocking = blocking
        #: how many extensions there are (0: none, possible for stable only; None: too many to count)
        self.count = count
        #: skeptical (in every extension), credulous (in some), rejected (in none), per argument
        self.labels = labels
        #: per argument: (extensions of its part that hold it, extensions of its part); (1, 1) for an
        #: argument the grounded labelling settles in, (0, 1) for one it settles out; (-1, -1) for one
        #: of a part with too many extensions to count
        self.tallies = tallies


#: past this many candidate extensions of one part, labels come from one question per argument
#: (is it in some extension? left out of some?) instead of counting every extension
ENUMERATE_AT_MOST = 2000


class _Clock:
    def __init__(self, semantics: str, seconds: float) -> None:
        self.semantics, self.seconds = semantics, seconds
        self.deadline = time.monotonic() + seconds

    def check(self, size: int, found: int) -> None:
        if time.monotonic() > self.deadline:
            raise TooHard(self.semantics, self.seconds, size, found)


def extensions(framework: Framework, semantics: str, seconds: float = 5.0,
               ground: Sequence[str] | None = None) -> Extensions:
    """The preferred or stable extensions' verdict on each argument; :class:`TooHard` after
    ``seconds``. ``ground``: the grounded labelling, when already computed."""
    if semantics not in ("preferred", "stable"):
        raise ValueError(f"no semantics {semantics!r}")
    ground = grounded(framework) if ground is None else ground
    n = len(framework.ids)
    tallies: list[tuple[int, int]] = [(1, 1) if lab == IN else (0, 1) for lab in ground]
    labels = [SKEPTICAL if lab == IN else REJECTED for lab in ground]
    clock = _Clock(semantics, seconds)
    stable = semantics == "stable"
    total: int | None = 1
    for part in _parts(framework, ground):
        found: list[frozenset[int]] = []
        for leaf in _leaves(framework, part, stable, clock):
            found.append(leaf)
            if len(found) > ENUMERATE_AT_MOST:
                break
        if not found:  # stable only: one part without a stable extension leaves the whole without one
            blocking = tuple(framework.ids[x] for x in part)
            return Extensions(semantics, 0, [REJECTED] * n, [(0, 0)] * n, blocking)
        if len(found) > ENUMERATE_AT_MOST:  # too many to count: ask of each argument
            total = None
            for x, label in _ask(framework, part, stable, clock, found).items():
                labels[x], tallies[x] = label, (-1, -1)
            continue
        found = found if stable else _maximal(found)
        total = None if total is None else total * len(found)
        counts = dict.fromkeys(part, 0)
        for extension in found:
            for x in extension:
                counts[x] += 1
        for x, k in counts.items():
            tallies[x] = (k, len(found))
            labels[x] = SKEPTICAL if k == len(found) else CREDULOUS if k else REJECTED
    return Extensions(semantics, total, labels, tallies)


def _ask(framework: Framework, part: list[int], stable: bool, clock: _Clock,
         seen: list[frozenset[int]]) -> dict[int, str]:
    """Each argument's label without counting extensions: credulous when some extension holds it
    (a search with it held in), sceptical when none leaves it out (a search with it left out).
    Preferred semantics is directional (Baroni & Giacomin 2007), so its questions about an argument
    look only at what can reach it by attacks; stable is not, and looks at the whole part."""
    credulous: set[int] = set()
    left_out: set[int] = set()  # left out of some extension: not sceptical
    if stable:  # every candidate of the stable search is a stable extension
        for leaf in seen:
            credulous |= leaf
            left_out.update(x for x in part if x not in leaf)
    else:  # admissible sets: their members are in some preferred extension
        for leaf in seen:
            credulous |= leaf
    verdict: dict[int, str] = {}
    for x in part:
        scope = part if stable else _ancestors(framework, x, part)
        if x not in credulous:
            holding = next(_leaves(framework, scope, stable, clock, start_in=(x,)), None)
            if holding is None:
                verdict[x] = REJECTED
                continue
            credulous |= holding
        if x not in left_out:
            for leaf in _leaves(framework, scope, stable, clock, start_out=(x,)):
                if stable or _preferred(framework, scope, leaf, clock):
                    left_out.update(y for y in scope if y not in leaf)
                    break
        verdict[x] = CREDULOUS if x in left_out else SKEPTICAL
    return verdict


def _ancestors(framework: Framework, x: int, part: list[int]) -> list[int]:
    """``x`` and every argument of ``part`` from which a chain of attacks leads to it, sorted."""
    inside = set(part)
    seen = {x}
    stack = [x]
    while stack:
        for y in framework.attackers[stack.pop()]:
            if y in inside and y not in seen:
                seen.add(y)
                stack.append(y)
    return sorted(seen)


def _preferred(framework: Framework, scope: list[int], admissible: frozenset[int], clock: _Clock) -> bool:
    """Whether an admissible set is maximal in ``scope``: no argument it neither holds nor attacks
    joins it in a larger admissible set."""
    hit = {y for x in admissible for y in framework.targets[x]}
    for y in scope:
        if y not in admissible and y not in hit and next(
                _leaves(framework, scope, False, clock, start_in=(*admissible, y)), None) is not None:
            return False
    return True


def _parts(framework: Framework, ground: Sequence[str]) -> list[list[int]]:
    """The weakly connected parts of what the grounded labelling leaves undecided, each sorted.
    An undecided argument is attacked by no ``in`` argument, and ``out`` ones are in no
    extension, so each part's extensions are those of the part alone."""
    undecided = [lab == UNDECIDED for lab in ground]
    seen = [False] * len(ground)
    parts = []
    for start, open_ in enumerate(undecided):
        if not open_ or seen[start]:
            continue
        seen[start] = True
        part, stack = [], [start]
        while stack:
            x = stack.pop()
            part.append(x)
            for y in (*framework.attackers[x], *framework.targets[x]):
                if undecided[y] and not seen[y]:
                    seen[y] = True
                    stack.append(y)
        parts.append(sorted(part))
    return parts


def _leaves(framework: Framework, part: list[int], stable: bool, clock: _Clock,
            start_in: Iterable[int] = (), start_out: Iterable[int] = ()) -> Iterator[frozenset[int]]:
    """The candidate extensions of the framework restricted to ``part`` (every preferred one among
    admissible sets that are not, or every stable one), one at a time, by a labelling search: each
    argument is branched ``in`` or not; propagation labels what the choices force, and prunes
    branches that cannot end admissible (an argument attacking an ``in`` one that nothing left can
    attack), nor maximal (an argument left out whose attackers are all ``out``), nor, for stable,
    attack every argument left out. ``start_in``, ``start_out``: arguments held in, left out."""
    local = {x: i for i, x in enumerate(part)}
    n = len(part)
    att = [[local[y] for y in framework.attackers[x] if y in local] for x in part]
    tgt = [[local[y] for y in framework.targets[x] if y in local] for x in part]
    label = [_BLANK] * n
    blank_att = [len(a) for a in att]  # attackers still blank
    out_att = [0] * n  # attackers out
    trail: list[tuple[int, int]] = []
    forced: list[int] = []
    # branch upstream first (strongly connected components in the order attacks flow), so that
    # each choice settles what lies downstream; within a component, the busiest argument first
    rank = _upstream_first(att, tgt)
    order = sorted(range(n), key=lambda i: (rank[i], -len(tgt[i]) - len(att[i]), i))

    pending: list[int] = []  # arguments to check once a step's labels are all set

    def change(y: int, new: int) -> None:
        old = label[y]
        trail.append((y, old))
        label[y] = new
        if old == _BLANK:
            for z in tgt[y]:
                blank_att[z] -= 1
        if new == _OUT:
            for z in tgt[y]:
                out_att[z] += 1
        if old == _BLANK or new == _OUT:
            pending.extend(tgt[y])
        pending.append(y)

    def settle() -> bool:
        ok = [check(z) for z in pending].count(False) == 0  # every check runs: each may force an argument in
        pending.clear()
        return ok

    def check(z: int) -> bool:
        lab = label[z]
        if lab == _IN or lab == _OUT:
            return True
        if out_att[z] == len(att[z]):  # nothing can attack it any more, nor does
            if lab == _BLANK:
                forced.append(z)
                return True
            return False  # left out although defended (not maximal), or attacking an in argument
        if blank_att[z] == 0:
            if lab == _MUST_OUT or (stable and lab == _UNDEC):
                return False  # it must be attacked, and nothing left can
            if stable and lab == _BLANK:
                forced.append(z)  # stable: what nothing can attack is in
        return True

    def set_in(x: int) -> bool:
        """x in: what it attacks out, what attacks it must go out; then the checks."""
        if x in tgt[x] or any(label[y] == _IN for y in att[x]) or any(label[y] == _IN for y in tgt[x]):
            pending.clear()
            return False
        change(x, _IN)
        for y in tgt[x]:
            if label[y] != _OUT:
                change(y, _OUT)
        for y in att[x]:
            if label[y] in (_BLANK, _UNDEC):
                change(y, _MUST_OUT)
        return settle()

    def leave_out(x: int) -> bool:
        change(x, _UNDEC)
        return settle()

    def propagate(ok: bool) -> bool:
        while ok and forced:
            z = forced.pop()
            if label[z] == _BLANK:
                ok = set_in(z)
        forced.clear()
        return ok

    def undo(mark: int) -> None:
        while len(trail) > mark:
            y, old = trail.pop()
            new = label[y]
            label[y] = old
            if old == _BLANK:
                for z in tgt[y]:
                    blank_att[z] += 1
            if new == _OUT:
                for z in tgt[y]:
                    out_att[z] -= 1

    for i in range(n):  # a self-attacking argument is in no admissible set
        if i in tgt[i]:
            change(i, _UNDEC)
    pending[:] = range(n)
    ok = propagate(settle())
    for x in start_out:
        if ok and label[local[x]] != _OUT:
            ok = propagate(leave_out(local[x])) if label[local[x]] == _BLANK else label[local[x]] != _IN
    for x in start_in:
        if ok and label[local[x]] != _IN:
            ok = propagate(set_in(local[x])) if label[local[x]] == _BLANK else False
    found = 0
    choices: list[tuple[int, int, int, int]] = []  # (trail mark, argument, position in order, branch)
    position = 0
    steps = 0
    while True:
        steps += 1
        if not steps & 1023:
            clock.check(n, found)
        if ok:
            while position < n and label[order[position]] != _BLANK:
                position += 1
            if position == n:  # every argument labelled: an admissible (for stable: stable) set
                found += 1
                yield frozenset(part[i] for i in range(n) if label[i] == _IN)
                ok = False
                continue
            x = order[position]
            choices.append((len(trail), x, position, 0))
            ok = propagate(set_in(x))
            continue
        if not choices:
            break
        mark, x, position, branch = choices.pop()
        undo(mark)
        forced.clear()
        pending.clear()
        if branch == 0:
            choices.append((mark, x, position, 1))
            ok = propagate(leave_out(x))


def _upstream_first(att: list[list[int]], tgt: list[list[int]]) -> list[int]:
    """Each argument's strongly connected component, numbered so that attacks go from lower to
    higher numbers between components (Tarjan's algorithm, without recursion)."""
    n = len(att)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    component = [-1] * n
    stack: list[int] = []
    found = 0
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if i < len(tgt[v]):
                work.append((v, i + 1))
                w = tgt[v][i]
                if index[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component[w] = found
                    if w == v:
                        break
                found += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    # Tarjan numbers components downstream first: reversed, attacks flow from low to high
    return [found - 1 - c for c in component]


def _maximal(sets: list[frozenset[int]]) -> list[frozenset[int]]:
    """Those of ``sets`` that no other holds, largest first, then in the order found."""
    ranked = sorted(sets, key=len, reverse=True)
    kept: list[frozenset[int]] = []
    for candidate in ranked:
        if not any(len(k) > len(candidate) and candidate < k for k in kept):
            kept.append(candidate)
    return kept
