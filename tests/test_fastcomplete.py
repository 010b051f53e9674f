"""Shell completion without Typer (policyx.cli.fastcomplete) answers exactly as Typer does.

Each command line is completed through the shells' protocol (the variables Typer's
completion scripts set) twice: by the Typer-free path and by Typer itself
(POLICYX_NO_FASTPATH=1), in the same process so that both see the same hash seed
(Click orders the help option's names through a set). Output and exit status must
be the same; for the common cases the Typer-free path must have answered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyx.cli import fastcomplete
from policyx.cli.app import run
from policyx.kb.load import bundled_path

BUNDLED = str(bundled_path())
SHELLS = ["bash", "zsh", "fish"]


def _env(shell: str, line: str, action: str = "get-args", **extra: str) -> dict[str, str]:
    env = {"_POLICYX_COMPLETE": f"complete_{shell}", "POLICYX_KB": "", **extra}
    if shell == "bash":
        words = line.split()
        env["COMP_WORDS"] = line
        env["COMP_CWORD"] = str(len(words) - (0 if line.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = action
    return env


def typer_answer(env: dict[str, str]) -> tuple[str, int]:
    runner = CliRunner()
    with runner.isolation(env={**env, "POLICYX_NO_FASTPATH": "1"}) as (out, _err, _):
        try:
            run([])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        return out.getvalue().decode(), code


def fast_answer(env: dict[str, str]) -> tuple[str, int] | None:
    runner = CliRunner()
    with runner.isolation(env=env):
        return fastcomplete.answers(dict(os.environ))


@pytest.fixture(scope="module")
def other_kb(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("kb") / "mine.yaml"
    path.write_text(Path(BUNDLED).read_text(encoding="utf-8").replace("criminalize-johns", "penalize-johns"),
                    encoding="utf-8")
    return str(path)


# Lines the Typer-free path answers (in every shell unless they complete option names,
# which zsh and fish show with their help: those are Typer's).
ANSWERED = [
    "policyx ", "policyx l", "policyx s", "policyx x", "policyx --no-cache ", "policyx --kb {kb} sh",
    "policyx --kb ", "policyx --no-color --kb={kb} ",
    "policyx list ", "policyx list a", "policyx list arguments ", "policyx list --sort c",
    "policyx list arguments --sort t", "policyx list --against criminalize-johns --sort t",
    "policyx list tags --sort ", "policyx list sources --sort t", "policyx list -s ", "policyx list --sort=ta",
    "policyx list -q ", "policyx list -q crim", "policyx list --question=de", "policyx list -t vic",
    "policyx list --tag johns --tag s", "policyx list --by ind", "policyx list --for end", "policyx list --against ",
    "policyx list --agreement b", "policyx list --type ", "policyx list --match lab", "policyx list -f j",
    "policyx list --format=", "policyx list --deep -r -f ", "policyx list --kb ", "policyx list --kb {kb} --by ",
    "policyx --kb {kb} list --by ", "policyx list arguments positions ", "policyx list \"crim",
    "policyx show ", "policyx show crim", "policyx show criminalize-johns crim", "policyx show -f ",
    "policyx show --kb {kb} pen", "policyx show pen --kb={kb} --no-cache x", "policyx show 'ind",
    "policyx compare ", "policyx compare crim", "policyx compare criminalize-johns do", "policyx compare -f y",
    "policyx search ", "policyx search jo", "policyx search johns -f ", "policyx search --format c",
    "policyx map ", "policyx map crim", "policyx map criminalizing-johns ", "policyx map --tag ",
    "policyx map -t jo", "policyx map --plain ", "policyx map --plain crim",
    "policyx export -f ", "policyx export -f m", "policyx export -q crim", "policyx export --tag=jo",
    "policyx export -f dot -t ", "policyx quiz -q crim", "policyx quiz -n ", "policyx quiz -n 3 -s ",
    "policyx check -f ", "policyx check ", "policyx check x.yaml -f j", "policyx check --strict ",
    "policyx schema ", "policyx diff ", "policyx diff -f ", "policyx diff a b --label ", "policyx import --from ",
    "policyx import x --from a", "policyx help ", "policyx info -f ", "policyx quote -f ", "policyx quote -s ",
    "policyx quote words -s ses", "policyx init ",
]
OPTION_NAMES = [
    "policyx list -", "policyx list --", "policyx list --t", "policyx list -q x --tag a -", "policyx list --deep --d",
    "policyx list --sort -", "policyx show -", "policyx show --f", "policyx compare a b -", "policyx search x -",
    "policyx map -", "policyx map --plain -", "policyx list -tjo",
]
OPTION_NAMES += ["policyx export -", "policyx quiz --", "policyx check -", "policyx export -f dot --",
                 "policyx diff -", "policyx quote -", "policyx import -", "policyx info -", "policyx init --"]
# Lines left to Typer: the root's options, "--", unknown options, unusual values, file names.
TYPERS = [
    "policyx -", "policyx --", "policyx --version ", "policyx --help ", "policyx lst ", "policyx list -- ",
    "policyx list --bogus ", "policyx list --tag -x ", "policyx list -rf ",
    "policyx export -o ", "policyx export -f dot -o deb", "policyx import ", "policyx import a.json ",
]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_typer_free_answers_are_typers(shell: str, other_kb: str) -> None:
    for template in ANSWERED + OPTION_NAMES + TYPERS:
        line = template.replace("{kb}", other_kb)
        answered = template in ANSWERED or (shell == "bash" and template in OPTION_NAMES)
        for action in ["get-args", "is-args"] if shell == "fish" else ["get-args"]:
            env = _env(shell, line, action)
            fast = fast_answer(env)
            expected = typer_answer(env)
            if fast is not None:
                assert fast == expected, f"{shell} {action} {line!r}"
            if answered or template in TYPERS:  # (zsh and fish show options with help: answered if it is plain)
                assert (fast is not None) == answered, f"{shell} {action} {line!r}: answered={fast is not None}"


@pytest.mark.parametrize("shell", ["zsh", "fish"])
@pytest.mark.parametrize("columns", ["30", "60", "66", "100", "200"])
@pytest.mark.parametrize("line", ["policyx ", "policyx list --", "policyx show -", "policyx map -"])
def test_help_beside_each_choice_on_narrow_and_wide_terminals(shell: str, columns: str, line: str) -> None:
    # Typer renders the help through Rich, which wraps it at the terminal's width: answered
    # only when it fits (the longest help of list's options is 112 characters, with escapes)
    env = _env(shell, line, COLUMNS=columns)
    fast = fast_answer(env)
    if fast is not None:
        assert fast == typer_answer(env)
    if int(columns) >= (200 if line == "policyx list --" or line == "policyx show -" else 100):
        assert fast is not None


def test_every_option_that_takes_an_id_a_tag_a_question_or_an_actor_completes_it() -> None:
    expected = {
        "policyx map crim": ["criminalizing-johns"],
        "policyx map --tag vic": ["victim-status"],
        "policyx quiz -q crim": ["criminalizing-johns"],
        "policyx export -q crim": ["criminalizing-johns"],
        "policyx export -t vic": ["victim-status"],
        "policyx check -f ": ["text", "json", "github", "sarif"],
        "policyx list -q crim": ["criminalizing-johns"],
        "policyx list --by individual-f": ["individual-for-johns"],
        "policyx list --for do-not": ["do-not-criminalize-johns"],
        "policyx list --against johns-h": ["johns-help-escape"],
        "policyx list -t saf": ["safety"],
        "policyx show individual-a": ["individual-against-johns"],
        "policyx compare do-not": ["do-not-criminalize-johns"],
    }
    for line, values in expected.items():
        assert typer_answer(_env("bash", line))[0].split() == values, line


def test_the_program_answers_without_importing_typer(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom policyx.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'rich'})))\n"
    )
    env = {**os.environ, **_env("bash", "policyx show crim"), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("POLICYX_NO_FASTPATH", None)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert "criminalize-johns" in done.stdout.split()
    assert done.stderr == ""
