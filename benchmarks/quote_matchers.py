#!/usr/bin/env python3
"""`policyx quote`: RapidFuzz against difflib, and the command's speed, each beside a floor.

    python benchmarks/quote_matchers.py              # bundled sources and a 5 MB source
    python benchmarks/quote_matchers.py --mb 20      # another size for the large source

1. Quality and speed of the two similarity libraries on the same pipeline
   (policyx.kb.passages: shortlist the sentences, align, move the edges by
   words): for each query, a paraphrase, a respelling or a changed word of a
   sentence whose right answer is known, is the best passage the right one?
   The large source is generated from the bundled sources' own words (so it is
   full of similar sentences) with the true sentences placed inside it.
2. `policyx quote` as a user runs it (a subprocess), on the bundled sources and
   on the large one, beside two floors measured in the same run: Python
   starting, reading the file and finding the words with ``str.find`` (the
   least any search can cost), and ``policyx --version`` (the CLI's start-up).

Targets (issue 14): `quote` within 0.3 s on the bundled sources, within 2 s on a 5 MB source.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyx.kb.passages import Matcher, PassageFinder, rapidfuzz_matcher  # noqa: E402
from policyx.kb.sourceindex import SourceIndex  # noqa: E402

REPORT = ROOT / "data" / "sources" / "session-report.txt"
MINUTES = ROOT / "docs" / "examples" / "uniforms" / "sources" / "minutes.txt"

#: (words a writer remembers, words the right passage must contain)
QUERIES: list[tuple[str, str]] = [
    ("the regulation of the industry would also cut a traffickers financial incentive",
     "reduce a trafficker’s financial incentive"),
    ("criminalising johns was an effective way of dealing with the problem", "effective means of dealing"),
    ("sex work should be seen as labour", "Sex work should be viewed as labor"),
    ("it could be dangerous for girls", "dangerous for the girls"),
    ("decriminalisation should inevitably happen", "decriminalization should inevitably occur"),
    ("labor trafficking victims have some recourse", "victims have some level of recourse"),
    ("Society responds differently to sex trafficking and labour trafficking", "Society responds to labor"),
    ("there was extreme scepticism that it was a viable option soon", "extreme skepticism that it was a viable"),
    ("johns are a resource for trafficked women and help them escape", "potentially a resource for the women"),
    ("focusing on 'johns' pushes the problem further into the shadows", "push the problem further into the"),
    ("many women are not included in that category", "Many women, unfortunately, are not included"),
    ("shedding light on under-age sex work could let us regulate it", "shedding light on underage sex work"),
    ("they may be seen as criminals rather than victims", "they may be viewed as criminals"),
    ("uniforms cut down bullying over clothing", "uniforms reduce bullying about clothes"),
    ("Parents said uniforms save money over the school year.", "save money over a school year"),
    ("bullying just moves to shoes, bags, phones", "bullying simply moves to shoes"),
    ("uniforms ‘limit self expression’", 'uniforms "limit self-expression"'),
    ("the council reached no decision", "The council did not reach a decision"),
]


def difflib_matcher() -> Matcher:
    """The same three operations with the standard library's difflib."""

    def shortlist(words: str, units: Sequence[str], limit: int) -> list[tuple[int, float]]:
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq1(words)
        scored = []
        for index, unit in enumerate(units):
            matcher.set_seq2(unit)
            covered = sum(block.size for block in matcher.get_matching_blocks())
            scored.append((100 * covered / max(1, len(words)), -index))
        scored.sort(reverse=True)
        return [(-index, score) for score, index in scored[:limit]]

    def window(words: str, unit: str) -> tuple[int, int]:
        blocks = [b for b in difflib.SequenceMatcher(None, words, unit, autojunk=False).get_matching_blocks()
                  if b.size]
        if not blocks:
            return 0, len(unit)
        return blocks[0].b, blocks[-1].b + blocks[-1].size

    def similarity(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() * 100

    return Matcher(shortlist, window, similarity)


def true_sentences() -> list[str]:
    return [s.strip() for text in (REPORT.read_text("utf-8"), MINUTES.read_text("utf-8"))
            for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", text) if s.strip()]


def large_source(megabytes: float, seed: int = 14) -> tuple[str, list[tuple[int, int]]]:
    """A text of about ``megabytes`` MB written from the bundled sources' words (a word-pair
    chain, so sentences resemble the true ones and repeat some of their phrases), with the
    true sentences placed at random; and where those are."""
    rng = random.Random(seed)
    true = true_sentences()
    words = " ".join(true).split()
    follows: dict[str, list[str]] = {}
    for a, b in zip(words, words[1:], strict=False):
        follows.setdefault(a, []).append(b)
    target = int(megabytes * 1_000_000)
    paragraphs, size = [], 0
    while size < target:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            word = rng.choice(words)
            out = [word[0].upper() + word[1:]]
            for _ in range(rng.randint(8, 30)):
                word = rng.choice(follows.get(word) or words)
                out.append(word)
            sentences.append(" ".join(out).rstrip(".,;:") + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    marked = set()
    for sentence in true:
        at = rng.randrange(len(paragraphs))
        paragraphs.insert(at, sentence)
        marked = {i + (i >= at) for i in marked} | {at}
    spans, offset = [], 0
    for i, paragraph in enumerate(paragraphs):
        if i in marked:
            spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n", spans


def judge(name: str, make: Callable[[], Matcher], texts: dict[str, tuple[str, list[tuple[int, int]], int]]) -> None:
    """Per text (where its true sentences are, how many queries to run): index time, median
    query time, and how often the best passage is right: words of the true sentence that
    holds the expected words, and not much fewer than those (the generated text repeats
    phrases of the true sentences, so the same words elsewhere count as right too)."""
    for label, (text, spans, count) in texts.items():
        started = time.perf_counter()
        finder = PassageFinder(SourceIndex(text), make())
        built = time.perf_counter() - started
        times, right = [], 0
        for words, expected in QUERIES[:count]:
            started = time.perf_counter()
            found = finder.find(words, limit=1)
            times.append(time.perf_counter() - started)
            right += bool(found) and any(
                _normal(found[0].text) in _normal(text[a:b]) and len(found[0].text) >= 0.6 * len(expected)
                for a, b in spans if _normal(expected) in _normal(text[a:b]))
        print(f"| {name} | {label} | {built * 1000:.0f} ms | {statistics.median(times) * 1000:.1f} ms "
              f"| {right}/{count} |", flush=True)


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def timed(command: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=5.0, help="size of the large source in MB (default 5)")
    parser.add_argument("--queries", type=int, default=len(QUERIES),
                        help="how many of the queries to run on the large source (default: all)")
    parser.add_argument("--rounds", type=int, default=7, help="runs of each command (median reported)")
    args = parser.parse_args()
    big, spans = large_source(args.mb)
    bundled = REPORT.read_text("utf-8") + "\n\n" + MINUTES.read_text("utf-8")
    every = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", bundled)]  # its lines: whole paragraphs
    texts = {"bundled sources": (bundled, every, len(QUERIES)),
             f"{len(big) / 1e6:.1f} MB source": (big, spans, args.queries)}

    print("1. similarity libraries, same pipeline\n")
    print("| library | source | index | query (median) | best passage right |\n|---|---|---:|---:|---:|")
    judge("rapidfuzz", rapidfuzz_matcher, texts)
    judge("difflib", difflib_matcher, texts)

    print(f"\n2. `policyx quote` as a user runs it (median of {args.rounds} runs)\n")
    policyx = str(Path(sys.executable).parent / "policyx")
    words = QUERIES[0][0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.txt"
        path.write_text(big, encoding="utf-8")
        floor = f"import sys; t = open(sys.argv[1], encoding='utf-8').read(); t.find({words!r})"
        rows = [
            ("floor: python, read the bundled report, str.find", [sys.executable, "-c", floor, str(REPORT)], None),
            ("floor: policyx --version (start-up)", [policyx, "--version"], None),
            ("policyx quote WORDS (bundled sources)", [policyx, "quote", words], 0.3),
            (f"floor: python, read the {args.mb:g} MB source, str.find", [sys.executable, "-c", floor, str(path)],
             None),
            (f"policyx quote WORDS --in {args.mb:g}MB.txt", [policyx, "quote", words, "--in", str(path)], 2.0),
        ]
        timed([policyx, "--version"], 2)  # warm-up: bytecode, the file cache
        print("| command | time | target | |\n|---|---:|---:|---|")
        for label, command, target in rows:
            seconds = timed(command, args.rounds)
            verdict = "" if target is None else ("ok" if seconds <= target else "SLOW")
            shown_target = "" if target is None else f"<= {target:g} s"
            print(f"| {label} | {seconds:.3f} s | {shown_target} | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
