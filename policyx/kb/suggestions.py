"""Did-you-mean hints for many mistakes against many ids: the ids indexed once.

:func:`did_you_mean` compares a word with every choice; a
knowledge base with thousands of ids and many misspelt references needs the
same answers for less work.
"""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` closest to ``word`` in spelling, if any is close enough."""
    import difflib  # lazy: only a mistake needs it (start-up time)

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    match = closest(word, choices)
    return f"did you mean {match!r}?" if match is not None else None


#: Words people write for a choice, and the choice they mean: spelling alone would suggest
#: 'practical' for 'factual', or nothing for 'unanimous'.
SYNONYMS: dict[str, str] = {
    # claim types
    "factual": "empirical", "fact": "empirical", "facts": "empirical", "evidence": "empirical",
    "statistical": "empirical", "descriptive": "empirical", "observational": "empirical",
    "moral": "normative", "ethical": "normative", "value": "normative", "values": "normative",
    "prescriptive": "normative", "evaluative": "normative",
    "definition": "definitional", "conceptual": "definitional", "semantic": "definitional",
    "prediction": "predictive", "forecast": "predictive", "speculative": "predictive",
    "pragmatic": "practical", "feasibility": "practical", "policy": "practical",
    # agreement levels
    "unanimous": "consensus", "unanimity": "consensus", "agreed": "consensus",
    "wide": "broad", "widespread": "broad", "majority": "broad", "most": "broad", "general": "broad",
    "split": "divided", "mixed": "divided", "contested": "divided", "disagreement": "divided",
    "single": "individual", "minority": "individual", "personal": "individual",
    # stances
    "pro": "for", "support": "for", "supports": "for", "con": "against", "attack": "against", "attacks": "against",
    # how many an actor stands for
    "many": "several", "some": "several", "group": "whole-group", "all": "whole-group", "everyone": "whole-group",
}


def suggest_choice(word: str, choices: Iterable[str]) -> str | None:
    """'did you mean ...?' for a value that is not one of ``choices``: a word people use for
    one of them (``factual`` -> ``empirical``), else the closest spelling; None if neither."""
    allowed = list(choices)
    meant = SYNONYMS.get(word.strip().lower())
    if meant in allowed:
        return f"did you mean {meant!r}?"
    return did_you_mean(word, allowed)




class Suggestions:
    """:func:`did_you_mean` over many choices, for many words: the choices are indexed
    once, by length, and a word is compared only with those whose length lets them reach
    difflib's cutoff (its ratio is at most 2 * shorter / (sum of lengths), so a choice
    much longer or shorter can never be close enough). Same answers, far fewer comparisons."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.by_length: dict[int, list[str]] = {}
        for choice in choices:
            self.by_length.setdefault(len(choice), []).append(choice)
        self._known: str | None = None

    def did_you_mean(self, word: str) -> str | None:
        """What :func:`did_you_mean` answers, found with fewer comparisons: difflib's cheap
        upper bound (quick_ratio) for the choices of a fitting length, then its dear ratio
        in decreasing order of that bound, stopping once no bound can beat the best."""
        import difflib  # lazy: only a mistake needs it

        n = len(word)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        bounds: list[tuple[float, str]] = []
        for m, choices in self.by_length.items():
            if 20 * min(n, m) < 6 * (n + m):  # 2 * min / (n + m) < 0.6: never close enough
                continue
            for choice in choices:
                matcher.set_seq1(choice)
                bound = matcher.quick_ratio()
                if bound >= CUTOFF:
                    bounds.append((bound, choice))
        bounds.sort(reverse=True)
        best: tuple[float, str] | None = None
        for bound, choice in bounds:
            if best is not None and bound < best[0]:
                break
            matcher.set_seq1(choice)
            score = matcher.ratio()
            if score >= CUTOFF and (best is None or (score, choice) > best):
                best = (score, choice)  # as get_close_matches ranks: score, then the choice
        return f"did you mean {best[1]!r}?" if best is not None else None

    def some(self, count: int = 8) -> str:
        """A few of the choices, sorted ('a, b, c, ...'), for a hint that names what exists."""
        if self._known is None:
            every = sorted(c for cs in self.by_length.values() for c in cs)
            self._known = ", ".join(every[:count]) + (", ..." if len(every) > count else "")
        return self._known
