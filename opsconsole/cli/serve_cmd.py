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
        raise DomainError(f"--host {host!r} is not an address or a name this machine knows")
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
    from textual_serve.server import Server

    command = shlex.join([sys.executable, "-m", "opsconsole", "--db", env.db,
                          "--operator", env.operator])
    Server(command, host=host, port=port, title="opsconsole").serve()
