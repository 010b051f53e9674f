"""Headless Chromium for the tests of the classroom page: its command-line modes
(--dump-dom, --print-to-pdf) and a small DevTools-protocol client over
--remote-debugging-pipe (no network port, no extra dependency), plus a PNG
decoder (zlib only) to tell a screenshot from a blank one.

Every wait is bounded: a browser that hangs fails the test with what it wrote
on stderr, it does not hang the suite.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

TIMEOUT = 60.0  # seconds for any one answer from the browser (a loaded, shared machine)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def flags(profile: Path) -> list[str]:
    """Headless, and nothing that reaches the network or outlives the test."""
    return [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def run_once(binary: str, args: list[str], tmp: Path) -> str:
    """Chromium in one of its command-line modes; its stdout."""
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
    done = subprocess.run([binary, *flags(profile), *args], capture_output=True, text=True, timeout=TIMEOUT * 2,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Browser:
    """One headless Chromium driven over the DevTools protocol (``send``, ``wait_for``)."""

    def __init__(self, binary: str, tmp: Path) -> None:
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
        self.log = tmp / "chromium-stderr.txt"
        to_browser, self._in = os.pipe()  # the browser reads commands on its fd 3 ...
        self._out, from_browser = os.pipe()  # ... and writes answers on its fd 4
        to_browser, from_browser = _above_4(to_browser), _above_4(from_browser)
        script = f'exec "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", script, "chromium", binary, *flags(profile), "--remote-debugging-pipe",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                pass_fds=(to_browser, from_browser),
            )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    # -- the protocol -------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._out], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"Chromium did not answer within {TIMEOUT:.0f} s; stderr: {self._stderr()}")
            chunk = os.read(self._out, 1 << 20)
            if not chunk:
                raise AssertionError(f"Chromium closed the pipe; stderr: {self._stderr()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        result: dict[str, Any] = json.loads(message)
        return result

    def send(self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False) -> dict[str, Any]:
        """Call ``method`` (in the page's session unless ``browser``) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self.session
        os.write(self._in, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                assert "error" not in answer, (method, answer["error"])
                result: dict[str, Any] = answer.get("result", {})
                return result
            if "method" in answer:
                self.events.append(answer)

    def wait_for(self, event: str) -> dict[str, Any]:
        """The first event named ``event`` not yet consumed (removed from ``events``)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, seen in enumerate(self.events):
                if seen["method"] == event:
                    return self.events.pop(index)
            answer = self._read_message(deadline)
            if "method" in answer:
                self.events.append(answer)

    def _stderr(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(none)"

    # -- a page ---------------------------------------------------------------

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def load(self, url: str) -> None:
        """Go to ``url`` and wait for its load event; events of earlier pages are dropped."""
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def key(self, key: str, code: str, key_code: int) -> None:
        """Press and release one key, as a keyboard would send it."""
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code,
                                                 "windowsVirtualKeyCode": key_code})

    def click(self, selector: str) -> None:
        """A mouse click in the middle of the element ``selector``."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1})

    def viewport(self, width: int, height: int) -> None:
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def media(self, media: str = "", scheme: str = "light") -> None:
        self.send("Emulation.setEmulatedMedia",
                  {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def pdf(self) -> bytes:
        """The page printed, as ``--no-pdf-header-footer --print-to-pdf`` prints it."""
        return base64.b64decode(self.send("Page.printToPDF", {"displayHeaderFooter": False})["data"])

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.send("Browser.close", browser=True)
                self.process.wait(timeout=TIMEOUT)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        finally:
            os.close(self._in)
            os.close(self._out)


def _above_4(fd: int) -> int:
    """``fd`` moved to a number above 4, so that the shell's 3< and 4> cannot clobber it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


# --------------------------------------------------------------------------
# PNG, enough to count colours


def assert_not_blank(png: bytes, width: int, height: int) -> None:
    """``png`` is a ``width`` x ``height`` picture with something on it: many colours, none nearly everywhere."""
    got_width, got_height, pixels = png_pixels(png)
    assert (got_width, got_height) == (width, height)
    colours = Counter(pixels)
    assert len(colours) >= 50, f"only {len(colours)} colours"
    assert colours.most_common(1)[0][1] < 0.95 * len(pixels), "almost all one colour"


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, the (red, green, blue) of each pixel) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytes(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        start = row * (stride + 1)
        line = _unfiltered(raw[start], raw[start + 1:start + 1 + stride], previous, channels)
        pixels.extend(zip(line[0::channels], line[1::channels], line[2::channels], strict=True))
        previous = line
    return width, height, pixels


def _unfiltered(kind: int, line: bytes, previous: bytes, bpp: int) -> bytes:
    """A row of a PNG as it was before its filter (PNG specification, 9.2), from the row above it
    unfiltered. A screenshot's rows are mostly filtered "up" (type 2): those are added whole, as big
    numbers, byte by byte without carries; the others one byte after another."""
    if kind == 0:
        return line
    if kind == 2:
        return _add_bytes(line, previous)
    out = bytearray(line)
    if kind == 1:
        for i in range(bpp, len(out)):
            out[i] = (out[i] + out[i - bpp]) & 0xFF
    elif kind == 3:
        for i in range(len(out)):
            out[i] = (out[i] + (((out[i - bpp] if i >= bpp else 0) + previous[i]) >> 1)) & 0xFF
    else:  # 4, Paeth
        for i in range(bpp):  # no left neighbour: Paeth predicts the byte above
            out[i] = (out[i] + previous[i]) & 0xFF
        for i in range(bpp, len(out)):
            left, up, corner = out[i - bpp], previous[i], previous[i - bpp]
            pa = up - corner if up > corner else corner - up  # |guess - left|, guess = left + up - corner
            pb = left - corner if left > corner else corner - left  # |guess - up|
            pc = left + up - corner - corner
            pc = pc if pc > 0 else -pc  # |guess - corner|
            out[i] = (out[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
    return bytes(out)


def _add_bytes(one: bytes, other: bytes) -> bytes:
    """(a + b) mod 256 of each pair of bytes: the low seven bits of each added (no carry leaves a
    byte), then each byte's top bit set from both top bits and that sum's."""
    size = len(one)
    low, high = int.from_bytes(b"\x7f" * size, "big"), int.from_bytes(b"\x80" * size, "big")
    a, b = int.from_bytes(one, "big"), int.from_bytes(other, "big")
    return (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(size, "big")
