"""PDF statements with headless Chromium, driven over the DevTools protocol on a pipe.

One browser renders every page (starting Chromium per file costs about a second each). The protocol
runs over ``--remote-debugging-pipe`` (file descriptors 3 and 4, NUL-separated JSON), so nothing beyond
the standard library and an installed Chromium is needed.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
from pathlib import Path

ENV_VAR = "COMPCALC_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = f"""\
--pdf needs headless Chromium and none was found (looked at ${ENV_VAR} and for {', '.join(CANDIDATES)} on PATH).
Install it, then run again:
  Debian/Ubuntu:  sudo apt-get install chromium
  Fedora:         sudo dnf install chromium
  macOS:          brew install --cask chromium
or set {ENV_VAR} to the path of an installed Chrome or Chromium."""


class ChromiumNotFound(RuntimeError):
    def __init__(self, reason: str = ""):
        super().__init__(reason + INSTALL_HINT)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str:
    """The Chromium (or Chrome) executable to use; raises ChromiumNotFound with how to install it."""
    given = os.environ.get(ENV_VAR)
    if given:
        path = shutil.which(given) or (given if Path(given).is_file() and os.access(given, os.X_OK) else None)
        if path:
            return path
        raise ChromiumNotFound(f"{ENV_VAR}={given} is not an executable file. ")
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumNotFound()


class Browser:
    """A headless Chromium for the lifetime of a ``with`` block."""

    def __init__(self, executable: str | None = None, timeout: float = 60.0):
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> "Browser":
        self._profile = tempfile.mkdtemp(prefix="compcalc-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [self.executable, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe",
                f"--user-data-dir={self._profile}", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox

        def fds():  # the browser reads commands on fd 3 and writes replies on fd 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
                                      pass_fds=(3, 4), preexec_fn=fds)
        os.close(to_browser_r)
        os.close(from_browser_w)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call("Browser.close")
        except Exception:  # noqa: BLE001 - closing is best effort; the process is ended below
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._stderr.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    # -- protocol ------------------------------------------------------------------------------
    def _read_message(self) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], self.timeout)
            if not ready:
                raise BrowserError(f"Chromium did not answer within {self.timeout:g} s")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                self._stderr.seek(0)
                tail = self._stderr.read()[-2000:].decode(errors="replace")
                raise BrowserError(f"Chromium exited unexpectedly: {tail.strip()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data):]
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_event(self, name: str, session: str | None = None) -> dict:
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == name and ev.get("sessionId") == session:
                    return self._events.pop(i)
            msg = self._read_message()
            if "method" in msg:
                self._events.append(msg)

    def new_page(self) -> "Page":
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        page.call("Page.enable")
        return page


class Page:
    def __init__(self, browser: Browser, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session

    def call(self, method: str, params: dict | None = None) -> dict:
        return self.browser.call(method, params, self.session)

    def goto(self, url: str) -> None:
        self.browser._events = [e for e in self.browser._events if e.get("sessionId") != self.session]
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"could not open {url}: {result['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            why = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"script failed: {why}")
        return result["result"].get("value")

    def set_viewport(self, width: int, height: int = 800, mobile: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def set_media(self, media: str) -> None:
        self.call("Emulation.setEmulatedMedia", {"media": media})

    def pdf(self) -> bytes:
        data = self.call("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True})["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})


def html_to_pdf(pairs, progress=None, executable: str | None = None) -> int:
    """Render each (html_path, pdf_path) with one headless Chromium; returns how many were written."""
    pairs = list(pairs)
    if not pairs:
        return 0
    with Browser(executable) as browser:
        page = browser.new_page()
        for html_path, pdf_path in pairs:
            page.goto(Path(html_path).resolve().as_uri())
            Path(pdf_path).write_bytes(page.pdf())
            if progress is not None:
                progress(1)
    return len(pairs)
