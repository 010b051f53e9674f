"""Regenerate docs/readme-teach.md from tools/readme-teach.template.md.

Every ``{{command}}`` in the template is run with bash from the repository's
root and replaced by ``$ command`` and its real output (stdout, then stderr,
as tests/test_readme.py compares them), so the console blocks are never typed by hand.

    python tools/make_readme_teach.py
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(match: re.Match[str]) -> str:
    command = match.group(1)
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "POLICYX_KB": ""},
    )
    if done.returncode != 0:
        raise SystemExit(f"{command}: exit {done.returncode}\n{done.stderr}")
    return (f"$ {command}\n" + done.stdout + done.stderr).rstrip("\n")


def main() -> None:
    template = (ROOT / "tools" / "readme-teach.template.md").read_text(encoding="utf-8")
    (ROOT / "docs" / "readme-teach.md").write_text(re.sub(r"\{\{(.*?)\}\}", run, template), encoding="utf-8")
    print("wrote docs/readme-teach.md")


if __name__ == "__main__":
    main()
