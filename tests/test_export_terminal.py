"""`export -f html` on a terminal without -o: a web page is not poured onto the screen; the
message says the command that writes it (with the options in use), and -o - prints it anyway."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _on_terminal(*args: str) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR")}
        env.update(PYTHONPATH=str(ROOT), TERM="xterm", COLUMNS="200", PAGER="cat")
        os.execvpe(sys.executable, [sys.executable, "-m", "policyx", *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return os.waitpid(pid, 0)[1] >> 8, out.decode("utf-8", "replace")


def test_html_on_a_terminal_suggests_a_file(tmp_path: Path) -> None:
    kb = tmp_path / "my debate.yaml"
    kb.write_bytes((ROOT / "docs" / "examples" / "uniforms" / "debate.yaml").read_bytes())
    status, shown = _on_terminal("--kb", str(kb), "export", "-f", "html", "--tag", "bullying")
    assert status == 2 and "<html" not in shown
    assert f"policyx --kb '{kb}' export -f html --tag bullying -o page.html" in shown.replace("\r\n", " ")
    status, shown = _on_terminal("--kb", str(kb), "export", "-f", "html", "-o", "-")
    assert status == 0 and "<html" in shown.lower()
