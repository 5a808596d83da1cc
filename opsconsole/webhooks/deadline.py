"""A whole-request deadline for httpx (R-HOOK-4: a 2xx answer within 10 s).

httpx's timeouts bound each read and write, so an endpoint that sends a byte every few seconds
could hold a request for an hour. Here every read and write on a lane's connections is given
only what is left of the deadline set for the request on this thread."""

import threading
import time
import typing

import httpcore
import httpx

_now = threading.local()


class Deadline:
    """`with Deadline(seconds):` around one request on this thread."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        _now.at = time.monotonic() + self.seconds
        return self

    def __exit__(self, *exc) -> None:
        _now.at = None


def _left(timeout: float | None) -> float | None:
    at = getattr(_now, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the answer took longer than its deadline")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self.inner = inner

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self.inner.connect_tcp(host, port, _left(timeout), local_address,
                                              socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self.inner.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """An HTTP transport whose connections keep to the thread's deadline."""
    made = httpx.HTTPTransport(limits=limits)
    pool = made._pool  # httpcore's ConnectionPool: its network backend makes every stream
    pool._network_backend = _Backend(pool._network_backend)
    return made
