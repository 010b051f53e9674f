"""Dung's semantics (policyx.kb.semantics) against a brute force that enumerates every subset.

The brute force follows the definitions word for word (Dung 1995): conflict-free, admissible,
complete, grounded = the least complete set, preferred = the maximal admissible sets, stable =
conflict-free and attacking everything outside. It shares no code with the module under test.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.semantics import (
    CREDULOUS,
    IN,
    OUT,
    REJECTED,
    SKEPTICAL,
    UNDECIDED,
    Framework,
    TooHard,
    extensions,
    grounded,
)
from tests.fuzz import examples


def _subsets(args: list[str]) -> list[frozenset[str]]:
    return [frozenset(c) for r in range(len(args) + 1) for c in combinations(args, r)]


class Brute:
    """Every subset of the arguments, tested against the definitions (sets as bit masks)."""

    def __init__(self, args: list[str], attacks: set[tuple[str, str]]) -> None:
        self.args = args
        bit = {a: 1 << i for i, a in enumerate(args)}
        self.everything = (1 << len(args)) - 1
        #: per argument: the mask of its attackers, and of what it attacks
        self.attackers = [sum(bit[a] for a, b in attacks if b == x) for x in args]
        self.hits = [sum(bit[b] for a, b in attacks if a == x) for x in args]
        self.subsets = range(1 << len(args))

    def attacked_by(self, s: int) -> int:
        out = 0
        for i, hits in enumerate(self.hits):
            if s >> i & 1:
                out |= hits
        return out

    def conflict_free(self, s: int) -> bool:
        return not self.attacked_by(s) & s

    def defends(self, s: int, i: int) -> bool:
        return not self.attackers[i] & ~self.attacked_by(s)

    def admissible(self, s: int) -> bool:
        return self.conflict_free(s) and all(self.defends(s, i) for i in range(len(self.args)) if s >> i & 1)

    def complete(self) -> list[int]:
        return [s for s in self.subsets if self.admissible(s)
                and all(s >> i & 1 for i in range(len(self.args)) if self.defends(s, i))]

    def named(self, s: int) -> frozenset[str]:
        return frozenset(a for i, a in enumerate(self.args) if s >> i & 1)

    def grounded(self) -> frozenset[str]:
        found = self.complete()
        least = [s for s in found if all(s & t == s for t in found)]
        assert len(least) == 1
        return self.named(least[0])

    def preferred(self) -> list[frozenset[str]]:
        adm = [s for s in self.subsets if self.admissible(s)]
        return [self.named(s) for s in adm if not any(s != t and s & t == s for t in adm)]

    def stable(self) -> list[frozenset[str]]:
        return [self.named(s) for s in self.subsets if self.conflict_free(s)
                and self.attacked_by(s) | s == self.everything]

    def hit_by(self, names: frozenset[str]) -> frozenset[str]:
        return self.named(self.attacked_by(sum(1 << i for i, a in enumerate(self.args) if a in names)))


def _verdict(exts: list[frozenset[str]], x: str) -> str:
    k = sum(x in e for e in exts)
    return SKEPTICAL if exts and k == len(exts) else CREDULOUS if k else REJECTED


@st.composite
def frameworks(draw: st.DrawFn, most: int = 8) -> tuple[list[str], set[tuple[str, str]]]:
    """Up to ``most`` arguments, attacks of any density: self-attacks, odd and even cycles abound."""
    n = draw(st.integers(min_value=0, max_value=most))
    args = [f"a{i}" for i in range(n)]
    pairs = [(a, b) for a in args for b in args]
    percent = draw(st.sampled_from([5, 10, 20, 35, 50]))
    rng = draw(st.randoms(use_true_random=False))
    return args, {p for p in pairs if rng.randrange(100) < percent}


def _check(args: list[str], attacks: set[tuple[str, str]]) -> None:
    brute = Brute(args, attacks)
    framework = Framework(args, sorted(attacks))
    labels = grounded(framework)
    g = brute.grounded()
    hit = brute.hit_by(g)
    assert labels == [IN if a in g else OUT if a in hit else UNDECIDED for a in args]
    for semantics, exts in (("preferred", brute.preferred()), ("stable", brute.stable())):
        found = extensions(framework, semantics, ground=labels)
        assert found.count == len(exts), (semantics, args, attacks)
        if exts:
            assert found.labels == [_verdict(exts, a) for a in args], (semantics, args, attacks)
            # each argument's share of the extensions (its tally counts those of its own part)
            assert [k * len(exts) for k, _ in found.tallies] == [
                sum(a in e for e in exts) * m for a, (_, m) in zip(args, found.tallies, strict=True)]
        else:
            assert found.labels == [REJECTED] * len(args)


@settings(max_examples=examples(2500), deadline=None)
@given(frameworks())
def test_agrees_with_brute_force(framework: tuple[list[str], set[tuple[str, str]]]) -> None:
    _check(*framework)


def _fw(attacks: str, extra: str = "") -> tuple[list[str], set[tuple[str, str]]]:
    pairs = {(p[0], p[-1]) for p in attacks.split()}
    args = sorted({a for pair in pairs for a in pair} | set(extra))
    return args, pairs


TEXTBOOK = {
    # name: (attacks as "ab" = a attacks b, grounded in, preferred extensions, stable extensions)
    "unattacked": ("", "a", {"a"}, [{"a"}], [{"a"}]),
    "reinstatement": ("ba cb", "", {"a", "c"}, [{"a", "c"}], [{"a", "c"}]),
    "even cycle (2)": ("ab ba", "", set(), [{"a"}, {"b"}], [{"a"}, {"b"}]),
    "even cycle (4)": ("ab bc cd da", "", set(), [{"a", "c"}, {"b", "d"}], [{"a", "c"}, {"b", "d"}]),
    "odd cycle (3)": ("ab bc ca", "", set(), [set()], []),
    "self-attack": ("aa", "", set(), [set()], []),
    "self-attack attacking": ("aa ab", "", set(), [set()], []),
    "self-attacker attacked": ("aa ba", "", {"b"}, [{"b"}], [{"b"}]),
    "floating defeat": ("ab ba ac bc cd", "", set(), [{"a", "d"}, {"b", "d"}], [{"a", "d"}, {"b", "d"}]),
    "odd cycle and a way out": ("ab bc ca da", "", {"d", "b"}, [{"b", "d"}], [{"b", "d"}]),
}


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_textbook_cases(name: str) -> None:
    attacks, extra, ground, preferred, stable = TEXTBOOK[name]
    args, pairs = _fw(attacks, extra)
    framework = Framework(args, sorted(pairs))
    labels = grounded(framework)
    assert {a for a, lab in zip(args, labels, strict=True) if lab == IN} == ground
    for semantics, exts in (("preferred", preferred), ("stable", stable)):
        found = extensions(framework, semantics)
        assert found.count == len(exts)
        want = [frozenset(e) for e in exts]
        assert found.labels == ([_verdict(want, a) for a in args] if want else [REJECTED] * len(args))
    _check(args, pairs)


def test_floating_defeat_separates_the_semantics() -> None:
    """d is undecided in the grounded labelling, yet in every preferred extension: the textbook
    case where the sceptical semantics differ."""
    args, pairs = _fw("ab ba ac bc cd")
    framework = Framework(args, sorted(pairs))
    assert dict(zip(args, grounded(framework), strict=True))["d"] == UNDECIDED
    assert dict(zip(args, extensions(framework, "preferred").labels, strict=True)) == {
        "a": CREDULOUS, "b": CREDULOUS, "c": REJECTED, "d": SKEPTICAL}


def test_independent_cycles_cost_one_search_each() -> None:
    """2,000 separate two-cycles have 2^2000 preferred extensions; the verdict comes at once."""
    args = [f"x{i}" for i in range(4000)]
    attacks = [(args[i], args[i ^ 1]) for i in range(4000)]
    found = extensions(Framework(args, attacks), "preferred", seconds=5)
    assert found.count == 2 ** 2000
    assert set(found.labels) == {CREDULOUS}


def test_a_hard_framework_stops_with_a_clear_message() -> None:
    import random

    rng = random.Random(7)
    args = [f"x{i}" for i in range(400)]
    attacks = {(rng.choice(args), rng.choice(args)) for _ in range(1200)}
    attacks = {(a, b) for a, b in attacks if a != b}
    with pytest.raises(TooHard) as caught:
        extensions(Framework(args, sorted(attacks)), "preferred", seconds=0.05)
    assert "did not finish within 0.05 s" in str(caught.value)


def test_deep_chains_need_no_recursion() -> None:
    args = [f"x{i}" for i in range(50_000)]
    attacks = list(zip(args, args[1:], strict=False))
    labels = grounded(Framework(args, attacks))
    assert labels[0] == IN and labels[1] == OUT and labels[-1] == (IN if len(args) % 2 else OUT)


def test_an_attack_naming_no_argument_is_refused() -> None:
    with pytest.raises(KeyError):
        Framework(["a"], [("a", "b")])


@settings(max_examples=examples(1500), deadline=None)
@given(frameworks())
def test_asking_each_argument_agrees_with_brute_force(framework: tuple[list[str], set[tuple[str, str]]]) -> None:
    """Past ENUMERATE_AT_MOST candidates a part's labels come from a search per argument, not from
    counting extensions: forced here on every framework, the labels must not change."""
    from unittest import mock

    from policyx.kb import semantics

    args, attacks = framework
    brute = Brute(args, attacks)
    with mock.patch.object(semantics, "ENUMERATE_AT_MOST", 0):
        for name, exts in (("preferred", brute.preferred()), ("stable", brute.stable())):
            found = extensions(Framework(args, sorted(attacks)), name)
            if exts:
                assert found.labels == [_verdict(exts, a) for a in args], (name, args, attacks)
            else:
                assert found.count == 0 and found.labels == [REJECTED] * len(args)
