"""`serve` answers this machine's own pages only: no cross-origin websocket, no foreign Host
(a page on any site, or a DNS name rebound to 127.0.0.1, could otherwise drive a console that
has no login)."""

import http.client
import os
import socket
import subprocess

import pytest

from opsconsole import demo
from opsconsole.store import db as store_db
from tests.browser.test_serve import _free_port, _wait_for_port
from tests.cli.conftest import EXE


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve") / "demo.db"
    demo.build(str(db))
    store_db.close_store()
    chosen = _free_port()
    proc = subprocess.Popen([EXE, "--db", str(db), "serve", "--port", str(chosen)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ})
    try:
        _wait_for_port(chosen, 30)
        yield chosen
    finally:
        proc.terminate()
        proc.wait(20)


def _get(port: int, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


UPGRADE = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_the_page_is_served_to_this_machine(port):
    assert _get(port, "/", {"Host": f"127.0.0.1:{port}"}) == 200
    assert _get(port, "/", {"Host": f"localhost:{port}"}) == 200


def test_a_foreign_host_is_refused(port):
    assert _get(port, "/", {"Host": f"evil.example:{port}"}) == 403


def test_a_websocket_from_another_origin_is_refused(port):
    ws = {**UPGRADE, "Host": f"127.0.0.1:{port}"}
    assert _get(port, "/ws", {**ws, "Origin": "http://evil.example"}) == 403
    assert _get(port, "/ws", {**ws, "Origin": f"http://127.0.0.1:{port}"}) == 101


def test_only_loopback_hosts_are_served(tmp_path):
    for host in ("0.0.0.0", "::", socket.gethostname()):
        run = subprocess.run([EXE, "--db", str(tmp_path / "x.db"), "serve", "--host", host],
                             capture_output=True, text=True, timeout=30)
        if host == socket.gethostname() and run.returncode == 1 and "no store" in run.stderr:
            continue  # the machine's name is a loopback name here: the store is what is missing
        assert run.returncode == 1, (host, run.stderr)
        assert "no login of its own" in run.stderr and len(run.stderr.splitlines()) == 1
