"""The loader and check against hostile or huge input (the second hardening round).

- Sources are read only inside the knowledge base's folder or --sources DIR, as regular files.
- Both YAML readers refuse the same: lone surrogates, merge keys.
- Problems are capped at 50 (errors first), then one line says how many more.
- The work grows with the input, not its square: dangling references, quotes against a large
  source, the depth pre-check (work counted, memory measured; times are in benchmarks/). (That
  each quote costs one pass over its source is policyx.kb.sourceindex's, tested there.)
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.check import first_difference
from tests.fuzz import examples

from .clirun import Outcome
from .conftest import write_kb

Cli = Callable[..., Outcome]
SECRET = "root:x:0:0:the secret line of a file outside the knowledge base"
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB",)}


def kb_with_source(folder: Path, file: str, quote: str = "root:x:0:0:the secret line of a file, changed") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_kb(folder, f"""\
version: 1
sources: [{{id: s, title: S, file: {json.dumps(file)}}}]
actors: [{{id: x, name: X}}]
questions: [{{id: q, text: Q}}]
positions: [{{id: p, question: q, claim: P., held_by: [x], agreement: broad, quote: {json.dumps(quote)}, source: s}}]
arguments: [{{id: a, claim: A., for: p}}]
""")


# --------------------------------------------------------------------------
# 4. A source's file: inside the knowledge base's folder (or --sources DIR), a regular file


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\nmore secrets\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize("spelling", ["relative", "absolute", "link"])
def test_a_source_outside_the_folder_is_not_read(cli: Cli, tmp_path: Path, outside: Path, spelling: str) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    if spelling == "link":  # a link inside the folder that leads out of it
        (folder / "report.txt").symlink_to(outside)
    file = {"relative": "../elsewhere/secret.txt", "absolute": str(outside), "link": "report.txt"}[spelling]
    path = kb_with_source(folder, file)
    result = cli("check", str(path))
    assert result.exit_code == 3
    assert f"source 's': file {file!r} is outside the knowledge base's folder, so it is not read" in result.stderr
    assert "secret line" not in result.stderr.replace(path.read_text("utf-8"), "")  # nothing of the file shown
    assert "quote is not verbatim" not in result.stderr


def test_sources_names_a_folder_that_may_be_read(cli: Cli, tmp_path: Path, outside: Path) -> None:
    path = kb_with_source(tmp_path / "kb", "../elsewhere/secret.txt", quote=SECRET)
    assert cli("check", str(path)).exit_code == 3
    for args in (["--sources", str(outside.parent), "check", str(path)], ["check", str(path), "--sources",
                                                                              str(outside.parent)]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
    # a relative file not beside the knowledge base is looked for in --sources too
    beside = kb_with_source(tmp_path / "kb2", "secret.txt", quote=SECRET)
    assert cli("--sources", str(outside.parent), "check", str(beside)).exit_code == 0
    assert cli("check", str(beside)).exit_code == 3


def test_a_link_that_stays_inside_the_folder_is_read(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "minutes.txt").write_text("The council met and said hello there.\n", encoding="utf-8")
    (folder / "minutes.txt").symlink_to("texts/minutes.txt")
    path = kb_with_source(folder, "minutes.txt", quote="said hello there.")
    assert cli("check", str(path)).exit_code == 0


@pytest.mark.parametrize("special", ["fifo", "device", "stdin"])
def test_a_fifo_or_a_device_as_a_source_is_refused_without_reading_it(tmp_path: Path, special: str) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    if special == "fifo":
        os.mkfifo(folder / "pipe.txt")
        file = "pipe.txt"
    else:
        file = "/dev/zero" if special == "device" else "/dev/stdin"
    path = kb_with_source(folder, file)
    done = subprocess.run([sys.executable, "-m", "policyx", "--sources", "/dev", "check", str(path)],
                          stdin=subprocess.PIPE, capture_output=True, text=True, env=PLAIN_ENV, timeout=120)
    assert done.returncode == 3  # the old code hung on the FIFO and on stdin, and read /dev/zero to the limit
    # (/dev/stdin is a link to the pipe itself, which is outside /dev: refused for that first)
    assert f"source 's': file {file!r} is " in done.stderr and ", so it is not read" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize(("name", "args"), [("kb.yaml", ["--kb", "{}", "list"]), ("kb.yaml", ["check", "{}"]),
                                            ("map.json", ["--kb", "{}", "list"])])
def test_a_knowledge_base_that_is_a_fifo_nobody_writes_to_is_not_waited_on(tmp_path: Path, name: str,
                                                                          args: list[str]) -> None:
    """As an import's input: the old code waited for a writer for ever (a timeout here, not a hang)."""
    fifo = tmp_path / name
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "policyx", *(a.format(fifo) for a in args)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=PLAIN_ENV, timeout=60)
    assert done.returncode == 3 and done.stdout == ""
    assert f"{fifo}: is a pipe that nothing was written to (write the knowledge base into it (a FIFO that no" \
           " program has opened to write is not waited on), or give a file)" in done.stderr


def test_a_knowledge_base_from_a_pipe_is_still_read() -> None:
    """A pipe with a writer (``--kb /dev/stdin``, ``<(...)``) is waited for and read to its end, as before."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "examples" / "uniforms" / "debate.yaml").read_text(
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "policyx", "--kb", "/dev/stdin", "list", "-f", "ids"], input=text,
                          capture_output=True, text=True, env=PLAIN_ENV, timeout=60)
    assert (done.returncode, done.stdout) == (0, "no-uniforms\nuniforms\n"), done.stderr


def test_a_nul_in_a_source_file_name_is_a_located_error(cli: Cli, tmp_path: Path) -> None:
    path = kb_with_source(tmp_path, "a\0b.txt")
    result = cli("check", str(path))
    assert result.exit_code == 3
    assert f"{path}:2:" in result.stderr
    assert "source 's': file 'a\\x00b.txt' holds a NUL character, which no file name can" in result.stderr


# --------------------------------------------------------------------------
# 13, 14. Both readers refuse the same


SURROGATE_KB = """\
version: 1
title: "{brackets}"
actors:
  - id: x
    name: "bad \\ud800 text"
questions:
  - id: q
    text: Q
positions:
  - id: p
    question: q
    claim: P.
    held_by: [x]
    agreement: broad
"""


@pytest.mark.parametrize("brackets", [0, 70], ids=["libyaml", "pure-python-reader"])
def test_a_lone_surrogate_is_refused_by_both_readers(cli: Cli, tmp_path: Path, brackets: int) -> None:
    path = write_kb(tmp_path, SURROGATE_KB.format(brackets="[" * brackets + "]" * brackets))
    result = cli("check", str(path))
    assert result.exit_code == 3
    assert "invalid Unicode character escape" in result.stderr
    assert f"{path}:5:" in result.stderr
    exported = cli("--kb", str(path), "--no-cache", "export", "-f", "yaml")
    assert exported.exit_code == 3 and "invalid Unicode character escape" in exported.stderr


def test_a_merge_key_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = write_kb(tmp_path, """\
version: 1
actors: [{id: x, name: X}]
questions: [{id: q, text: Q}]
positions:
  - id: p
    question: q
    claim: Visible
    held_by: [x]
    agreement: broad
    tags: [a]
    <<: {claim: Hidden, agreement: consensus, tags: [b]}
""")
    result = cli("check", str(path))
    assert result.exit_code == 3
    assert f"{path}:11:5: position 'p': YAML merge keys (<<) are not allowed in a knowledge base" in result.stderr


# --------------------------------------------------------------------------
# 15. At most 50 problems, then one line saying how many more


def _many_quotes(n: int, wrong: bool) -> tuple[str, str]:
    source = " ".join(f"Sentence number {i} of the report says something." for i in range(n))
    quotes = [f"Sentence number {i} of the report says {'nothing' if wrong else 'something'}." for i in range(n)]
    entries = "".join(f"  - {{id: a{i}, claim: A{i}., for: p, quote: {json.dumps(q)}, source: s}}\n"
                      for i, q in enumerate(quotes))
    kb = ("version: 1\nsources: [{id: s, title: S, file: source.txt}]\nactors: [{id: x, name: X}]\n"
          "questions: [{id: q, text: Q}]\n"
          "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]\n"
          f"arguments:\n{entries}")
    return kb, source


def test_two_hundred_quote_errors_are_capped_at_fifty(cli: Cli, tmp_path: Path) -> None:
    kb, source = _many_quotes(200, wrong=True)
    (tmp_path / "source.txt").write_text(source, encoding="utf-8")
    path = write_kb(tmp_path, kb)
    result = cli("check", str(path))
    lines = result.stderr.splitlines()
    assert result.exit_code == 3
    assert len(lines) == 52  # 50 problems, the line saying how many more, the summary
    assert sum("quote is not verbatim" in line for line in lines) == 50
    # (the warnings: a position nobody argued for, and the question's outcome not recorded)
    assert lines[-2] == (f"error: {path}: 152 more problem(s) not shown (at most 50 are reported)"
                         " (fix these first, then check again)")
    assert lines[-1] == f"invalid: {path}: 200 error(s), 2 warning(s)"  # every one counted
    report = json.loads(cli("check", str(path), "-f", "json").stdout)
    assert (report["errors"], report["warnings"], len(report["problems"])) == (200, 2, 51)


def test_warnings_are_capped_too_and_errors_come_first(cli: Cli, tmp_path: Path) -> None:
    positions = "".join(f"  - {{id: p{i}, question: q, claim: P., held_by: [x], agreement: broad}}\n"
                        for i in range(120))
    path = write_kb(tmp_path, "version: 1\nsources: [{id: s, title: S, file: missing.txt}]\n"
                              "actors: [{id: x, name: X}]\nquestions: [{id: q, text: Q}]\n"
                              f"positions:\n{positions}")
    result = cli("check", str(path))
    lines = result.stderr.splitlines()
    assert len(lines) == 52
    assert sum(line.startswith("error: ") for line in lines) == 1  # the missing source, though last in the file
    assert lines[-2] == (f"warning: {path}: 192 more problem(s) not shown (at most 50 are reported)"
                         " (fix these first, then check again)")
    assert lines[-1] == f"invalid: {path}: 1 error(s), 241 warning(s)"  # with the question's outcome


# --------------------------------------------------------------------------
# 21. check /dev/stdin keeps its lines and its ' #' warnings


def test_check_of_standard_input_keeps_lines_and_comment_warnings(tmp_path: Path) -> None:
    (tmp_path / "minutes.txt").write_text("They said uniforms save money, #bags and all.\n", encoding="utf-8")
    text = ("version: 1\nsources: [{id: s, title: S, file: minutes.txt}]\nactors: [{id: x, name: X}]\n"
            "questions: [{id: q, text: Q}]\npositions:\n  - id: p\n    question: q\n    claim: P.\n"
            "    held_by: [x]\n    agreement: broad\n    quote: uniforms save money, #bags and all.\n"
            "    source: s\n")
    done = subprocess.run([sys.executable, "-m", "policyx", "--sources", str(tmp_path), "check", "/dev/stdin"],
                          input=text, capture_output=True, text=True, env=PLAIN_ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "/dev/stdin:6:5: position 'p' has no argument for it" in done.stderr  # a line, as for a file
    assert "'quote' ends before ' #': YAML reads the rest of the line as a comment" in done.stderr


# --------------------------------------------------------------------------
# 8. Dangling references: hints only for the problems shown, the candidates indexed once


def _dangling(tmp_path: Path, n: int, pool: int = 300) -> str:
    """n positions, each held by a misspelt one of ``pool`` actors."""
    actors = "".join(f"  - {{id: actor-number-{i}, name: A}}\n" for i in range(pool))
    positions = "".join(f"  - {{id: p{i}, question: q, claim: P., held_by: [actr-number-{i % pool}],"
                        " agreement: broad}\n" for i in range(n))
    path = write_kb(tmp_path, f"version: 1\nactors:\n{actors}questions: [{{id: q, text: Q}}]\n"
                              f"positions:\n{positions}", name=f"dangling-{n}.yaml")
    return str(path)


def test_dangling_references_cost_a_comparison_per_shown_problem(cli: Cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    comparisons = [0]
    real = difflib.SequenceMatcher.set_seq1

    def counting(self: difflib.SequenceMatcher[str], a: str) -> None:
        comparisons[0] += 1
        real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    seen = []
    for n in (200, 400):
        comparisons[0] = 0
        result = cli("check", _dangling(tmp_path, n))
        assert result.exit_code == 3
        assert "position 'p0': held_by 'actr-number-0' names no actor (did you mean 'actor-number-0'?)" \
            in result.stderr
        assert f"{n - 50 + 1 - 1} more problem(s) not shown" in result.stderr
        seen.append(comparisons[0])
    # twice the dangling references, the same work: only the 50 shown get a hint (the old code
    # compared every one of them with every actor: 400 x 300)
    assert seen[1] == seen[0] and seen[0] <= 50 * 300 * 2


def test_suggestions_answer_as_did_you_mean() -> None:
    from policyx.kb.problems import did_you_mean
    from policyx.kb.suggestions import Suggestions

    pool = {f"position-number-{i}" for i in range(300)} | {"criminalize-johns", "johns", "a"}
    suggestions = Suggestions(pool)
    for word in ("positon-number-7", "criminalise-johns", "jons", "b", "x" * 40, "position-number-1000"):
        assert suggestions.did_you_mean(word) == did_you_mean(word, pool)


# --------------------------------------------------------------------------
# 9. Quotes against a large source: one pass over it, memory a small multiple of it


REFERENCE_SAMPLES = st.text(alphabet="ab c.", min_size=0, max_size=60)


def _old_first_difference(quote: str, text: str) -> str | None:
    """The binary search of ``in`` tests the one-pass search replaced (the reference for its answers)."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    start = quote.rfind(" ", 0, low) + 1
    if start < 12:
        return None
    at = text.find(quote[:low]) + start

    def words(part: str) -> str:
        shown = " ".join(part.split(" ")[:4])
        return repr(shown if len(shown) <= 40 else shown[:39] + "…") if part else "nothing more"

    before = quote[max(0, start - 25):start]
    if start > 25 and quote[start - 26] != " ":
        before = before[before.find(" ") + 1:]
    return f"after {before!r}, the quote has {words(quote[start:])} where the source has {words(text[at:])}"


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(alphabet="ab c.", max_size=300), quote=REFERENCE_SAMPLES, cut=st.integers(0, 300))
def test_the_one_pass_search_finds_what_the_binary_search_found(text: str, quote: str, cut: int) -> None:
    quote = (text[cut:cut + 40] + quote) if cut % 2 else quote  # often a real start of the text
    assert first_difference(quote, text) == _old_first_difference(quote, text)


#: runs policyx, then writes its own peak resident memory (VmHWM, in KiB) to the file argv[1] names.
#: (A child's ru_maxrss would not do: it starts from the parent's, the test runner's, at the fork.)
PEAK = """
import atexit, re, sys
out = sys.argv.pop(1)
def peak():
    with open(out, "w") as f:
        f.write(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
atexit.register(peak)
sys.argv = ["policyx", *sys.argv[1:]]
from policyx.__main__ import main
main()
"""


def _peak_kib(args: list[str], tmp_path: Path) -> tuple[int, int]:
    """(exit status, peak resident memory in KiB) of ``policyx ARGS``."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read a process's peak memory")
    out = tmp_path / "peak"
    done = subprocess.run([sys.executable, "-c", PEAK, str(out), *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, env=PLAIN_ENV, timeout=300)
    return done.returncode, int(out.read_text())


@functools.cache
def _baseline_kib() -> int:
    """The peak resident memory of ``policyx --version``, which reads nothing: what a run takes
    before it reads a file (the same in every run of this worker's interpreter)."""
    with tempfile.TemporaryDirectory() as folder:
        return _peak_kib(["--version"], Path(folder))[1]


def test_quotes_against_a_large_source_take_memory_a_small_multiple_of_it(tmp_path: Path) -> None:
    words = " ".join(f"word{i % 997} and more{i % 31} text" for i in range(400_000))  # ~9 MB
    (tmp_path / "big.txt").write_text(words, encoding="utf-8")
    start = words[:30]
    quotes = "".join(f"  - {{id: a{i}, claim: A., for: p, quote: {json.dumps(start + f' not there {i}')},"
                     " source: s}\n" for i in range(30))
    path = write_kb(tmp_path, "version: 1\nsources: [{id: s, title: S, file: big.txt}]\nactors: [{id: x, name: X}]\n"
                              "questions: [{id: q, text: Q}]\n"
                              "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]\n"
                              f"arguments:\n{quotes}")
    baseline = _baseline_kib()
    code, peak = _peak_kib(["check", str(path)], tmp_path)
    assert code == 3
    size_kib = len(words) // 1024
    # the source's bytes, its text and its normalised text, and little more (the old code copied the
    # rest of the source for every quote it quoted from, and split it into words: 30 times)
    assert peak - baseline < 8 * size_kib, (peak, baseline, size_kib)


# --------------------------------------------------------------------------
# 10. The depth pre-check: a few copies of the text at most


@pytest.mark.parametrize("shape", ["spaced-brackets", "empty-mappings"])
def test_bracket_heavy_files_take_memory_a_small_multiple_of_their_size(tmp_path: Path, shape: str) -> None:
    if shape == "spaced-brackets":  # 21 MB: a title of '[] [] [] ...'
        text = 'version: 1\ntitle: "' + "[] " * 7_000_000 + '"\n'
    else:  # 18 MB of [{},{},...]: refused at 2,000,000 values
        text = "version: 1\nactors: [" + "{}," * 6_000_000 + "{}]\n"
    path = write_kb(tmp_path, text)
    baseline = _baseline_kib()
    code, peak = _peak_kib(["check", str(path)], tmp_path)
    assert code in (0, 3)
    size_kib = len(text) // 1024
    # the old pre-check's regular expression held an object per gap between brackets: 30x the file
    assert peak - baseline < 6 * size_kib + 200 * 1024, (peak, baseline, size_kib)


def test_reading_a_file_reserves_only_what_it_needs(tmp_path: Path) -> None:
    """A read of the size limit (128 MiB) reserved that much for every file, which `ulimit -v` refused."""
    path = write_kb(tmp_path, "version: 1\nactors: [{id: x, name: X}]\n")
    script = (
        "import resource, re, sys\n"
        "import policyx.cli.app, policyx.kb.load, yaml\n"
        "size = int(re.search(r'VmSize:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + (60 << 20), size + (60 << 20)))\n"
        "sys.argv = ['policyx', 'check', sys.argv[1]]\n"
        "from policyx.__main__ import main\nmain()\n"
    )
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to size the memory limit")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                          env=PLAIN_ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    assert resource.getrlimit(resource.RLIMIT_AS)  # (the limit was the child's alone)
