"""A page in headless Chromium, driven over the DevTools protocol.

Chromium's own --window-size cannot go below 500 px, so a phone's 412-px viewport is set the
way the browser's device toolbar sets it: Emulation.setDeviceMetricsOverride. The browser is
Debian's `chromium`, started for real with a throw-away profile and stopped on exit.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket  # Debian's python3-websocket


class ChromiumError(RuntimeError):
    pass


class Page:
    """One tab at a fixed viewport; use as a context manager."""

    def __init__(self, width, height, chromium=None, timeout=60):
        self.width, self.height, self.timeout = width, height, timeout
        self.chromium = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.chromium:
            raise ChromiumError("no chromium on PATH: install Debian's chromium package")
        self._next_id = 0

    def __enter__(self):
        self._profile = tempfile.mkdtemp(prefix="aftermath-chromium-")
        self._process = subprocess.Popen(
            [self.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._socket = websocket.create_connection(self._page_socket_url(), timeout=self.timeout)
        self._call("Emulation.setDeviceMetricsOverride",
                   width=self.width, height=self.height, deviceScaleFactor=1, mobile=True)
        self._call("Page.enable")
        return self

    def __exit__(self, *exc):
        try:
            self._socket.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            shutil.rmtree(self._profile, ignore_errors=True)

    def _page_socket_url(self):
        port_file = os.path.join(self._profile, "DevToolsActivePort")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ChromiumError(f"chromium exited with status {self._process.returncode} before it listened")
            if os.path.exists(port_file):
                with open(port_file) as port:
                    lines = port.read().split()
                if lines:
                    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{lines[0]}/json/list"))
                    pages = [t for t in targets if t.get("type") == "page"]
                    if pages:
                        return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise ChromiumError(f"chromium did not open its DevTools port within {self.timeout} s")

    def _call(self, method, **params):
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise ChromiumError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _wait_for_event(self, name):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = json.loads(self._socket.recv())
            if message.get("method") == name:
                return message
        raise ChromiumError(f"no {name} within {self.timeout} s")

    def open(self, path):
        """Loads a local file and waits for its load event."""
        self._call("Page.navigate", url="file://" + os.path.abspath(path))
        self._wait_for_event("Page.loadEventFired")

    def evaluate(self, expression):
        """The JSON value of a JavaScript expression in the page."""
        result = self._call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise ChromiumError(f"the page's script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        """The whole page, top to bottom, at the viewport's width, as PNG."""
        height = self.evaluate("document.documentElement.scrollHeight")
        shot = self._call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1})
        with open(path, "wb") as out:
            out.write(base64.b64decode(shot["data"]))


# What the layout test and the screenshot measure: the page's height, and every element whose
# box reaches past the viewport's edges or whose content is wider than its box.
LAYOUT_SCRIPT = """(() => {
  const width = document.documentElement.clientWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    if (box.right > width + 0.5 || box.left < -0.5) overflowing.push(name + ' reaches ' + Math.round(box.left) + '..' + Math.round(box.right) + ' px');
    else if (!(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1) overflowing.push(name + ' holds ' + el.scrollWidth + ' px in ' + el.clientWidth + ' px');
  }
  return {width, height: document.documentElement.scrollHeight, viewport_height: window.innerHeight, overflowing};
})()"""


def measure(path, width=412, height=915):
    """The layout of a local page at a phone's viewport: width, height, overflowing elements."""
    with Page(width, height) as page:
        page.open(path)
        return page.evaluate(LAYOUT_SCRIPT)
