"""A real HTTP server on 127.0.0.1 that receives webhooks, for the tests (never a mock).

Each path behaves as its mode says: "ok" (204), "fail" (500), "gone" (410), "busy" (429 with
Retry-After), "slow" (waits `delay` seconds, then 200), "hang" (waits until released),
"reset" (drops the connection without an answer)."""

import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def document(self) -> dict:
        return json.loads(self.body)

    @property
    def event_id(self) -> str:
        return self.document["events"][0]["id"]

    @property
    def event_number(self) -> int:
        """The store's event id inside the sent one (evt_<epoch>_<id>)."""
        return int(self.event_id.rsplit("_", 1)[1])


@dataclass
class Receiver:
    modes: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    retry_after: str = "120"
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    in_flight: dict[str, int] = field(default_factory=dict)
    most_in_flight: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str, mode: str = "ok") -> str:
        self.modes[path] = mode
        return self.base + path

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]


def start() -> Receiver:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            path = self.path
            mode = receiver.modes.get(path, "ok")
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.in_flight[path] = receiver.in_flight.get(path, 0) + 1
                receiver.most_in_flight[path] = max(receiver.most_in_flight.get(path, 0),
                                                    receiver.in_flight[path])
                receiver.received.append(Received(path, dict(self.headers.items()), body,
                                                  time.monotonic()))
            try:
                self._answer(mode)
            finally:
                with receiver.lock:
                    receiver.in_flight[path] -= 1

        def _answer(self, mode: str) -> None:
            if mode == "slow":
                time.sleep(receiver.delay)
            if mode == "hang":
                receiver.release.wait(60)
            if mode == "trickle":  # a whole answer promised, a byte at a time, for ever
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(100000):
                    if receiver.release.wait(0.2):
                        return
                    self.wfile.write(b"x")
                    self.wfile.flush()
                return
            if mode == "reset":
                # SO_LINGER 0: close sends a TCP reset rather than a clean end
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            status = {"ok": 204, "slow": 200, "hang": 200, "fail": 500, "gone": 410,
                      "busy": 429}[mode]
            text = b"" if status == 204 else f"answer {status}".encode()
            self.send_response(status)
            if mode == "busy":
                self.send_header("Retry-After", receiver.retry_after)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client that gave up: expected
    receiver.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver


def stop(receiver: Receiver) -> None:
    receiver.release.set()
    receiver.server.shutdown()
    receiver.server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
