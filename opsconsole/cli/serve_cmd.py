"""`serve`: the console in a browser, one console process per tab, on the same store."""

import ipaddress
import shlex
import socket
import sys

import click

from ..errors import DomainError
from . import cli


def is_loopback(host: str) -> bool:
    """Whether every address the host name stands for is this machine's own."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        raise DomainError(f"--host {host!r} is not an address or a name this machine "
                          "knows") from None
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback
                               for a in found)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback only: the console has no login of its own.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.pass_obj
def serve_cmd(env, host, port):
    """The console in a web browser: each tab runs its own console on this store."""
    if not is_loopback(host):
        raise DomainError(f"--host {host} is not a loopback address: the console has no login "
                          "of its own, so it serves this machine only; to reach it from "
                          "elsewhere put it behind a proxy that authenticates")
    env.open()  # a store that cannot be opened is refused here, once, not in every tab
    command = shlex.join([sys.executable, "-m", "opsconsole", "--db", env.db,
                          "--operator", env.operator])
    shown = f"[{host}]" if ":" in host else host
    _server(command, host, port, f"http://{shown}:{port}").serve()


def _server(command: str, host: str, port: int, public_url: str):
    """textual-serve's server, answering only pages of this machine: a request whose Host is
    not a loopback name of this port, or a websocket opened from a page of another origin, is
    refused (a page on any web site could otherwise reach a console that has no login, or a
    DNS name rebound to 127.0.0.1 could)."""
    from urllib.parse import urlsplit

    from aiohttp import web
    from textual_serve.server import Server

    allowed = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    @web.middleware
    async def same_machine(request, handler):
        origin = request.headers.get("Origin")
        if request.host not in allowed or (origin is not None
                                           and urlsplit(origin).netloc not in allowed):
            return web.Response(status=403, text="opsconsole serves this machine's own pages "
                                                 "only\n")
        return await handler(request)

    class LoopbackServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(same_machine)
            return app

    return LoopbackServer(command, host=host, port=port, title="opsconsole",
                          public_url=public_url)
