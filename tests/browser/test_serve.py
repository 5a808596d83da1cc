"""The console in a real browser: `opsconsole serve` and headless Chromium (Debian's package,
driven by Playwright through its executable path). The terminal is drawn on a canvas, so what
is checked is the terminal output the page receives over its websocket, plus a screenshot kept
as an artifact (tests/browser/artifacts/)."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from opsconsole import demo
from opsconsole.store import db as store_db
from tests.cli.conftest import EXE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium here (Debian: apt-get install chromium; `make test` "
    "installs it where it may)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def served(tmp_path):
    db = tmp_path / "demo.db"
    demo.build(str(db))
    store_db.close_store()
    port = _free_port()
    proc = subprocess.Popen([EXE, "--db", str(db), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "OPSCONSOLE_OPERATOR": "browser"})
    try:
        _wait_for_port(port, 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


def test_the_console_runs_in_a_browser_and_search_narrows_the_list(served):
    from playwright.sync_api import sync_playwright

    received: list[str] = []

    def on_socket(ws):
        ws.on("framereceived", lambda frame: received.append(
            frame if isinstance(frame, str) else frame.decode("utf-8", "replace")))

    def wait_for(text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in "".join(received):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"{text!r} never reached the page")

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("websocket", on_socket)
            page.goto(served)
            wait_for("store date Fri 2026-01-30")
            wait_for("monthly-pro")  # subscription rows
            wait_for("59 subscriptions")
            page.mouse.click(640, 400)  # the terminal takes the keys once it has focus
            received.clear()
            page.keyboard.press("/")
            page.wait_for_timeout(500)  # the search box takes the focus (a busy machine)
            page.keyboard.type("knuth", delay=50)
            wait_for("1 subscription,")
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "console-in-browser.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "console-in-browser.png").stat().st_size > 10_000
