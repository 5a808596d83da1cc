"""`webhooks …`: endpoints, deliveries, the deliverer (R-HOOK-2..7)."""

import signal
import threading

import click

from ..errors import DomainError
from ..text import escape
from . import cli
from .params import DATE, json_option, name_unread, plural, print_json, table


@cli.group("webhooks")
def webhooks() -> None:
    """Webhook endpoints and the deliveries of events to them."""


@webhooks.command("add")
@click.argument("url")
@click.option("--events", help="Event types, comma separated; 'subscription.*' takes a prefix. "
              "Default: all.")
@click.option("--secret", help="whsec_ + base64 of 24-64 bytes. Default: a new one.")
@json_option
@click.pass_obj
def add_cmd(env, url, events, secret, as_json):
    """Add an endpoint; its secret is shown once (again with 'webhooks show ID --secret')."""
    from ..webhooks import endpoints

    env.open()
    endpoint, secret = endpoints.add(url, events, secret, env.operator)
    if as_json:
        print_json({**endpoints.show(endpoint.id), "secret": secret})
        return
    click.echo(f"endpoint {endpoint.id}: {escape(endpoints.shown(endpoint.url))} "
               f"({endpoint.events})")
    click.echo(f"secret: {secret}")
    click.echo("keep the secret: it is shown once (again with 'webhooks show "
               f"{endpoint.id} --secret')")


@webhooks.command("list")
@json_option
@click.pass_obj
def list_cmd(env, as_json):
    """Endpoints, with their pending, delivered and failed deliveries."""
    from ..webhooks import endpoints

    env.open()
    unread: list = []
    rows = endpoints.listing(unread)
    if as_json:
        print_json(rows)
    else:
        table([[r["id"], r["url"], ",".join(r["events"]),
                "enabled" if r["enabled"] else f"disabled ({r['disabled_reason']})",
                r["pending"], r["delivered"], r["failed"]] for r in rows],
              ["ID", "URL", "EVENTS", "STATE", "PENDING", "DELIVERED", "FAILED"])
    name_unread(unread)


@webhooks.command("show")
@click.argument("endpoint")
@click.option("--secret", "with_secret", is_flag=True, help="Show the signing secret.")
@json_option
@click.pass_obj
def show_cmd(env, endpoint, with_secret, as_json):
    """One endpoint."""
    from ..webhooks import endpoints

    env.open()
    data = endpoints.show(endpoint, with_secret)
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        if value is not None:
            shown = ",".join(value) if isinstance(value, list) else value
            click.echo(f"{key.replace('_', ' ')}: {escape(shown)}")


def _toggle(env, endpoint, enabled: bool) -> None:
    from ..webhooks import endpoints

    env.open()
    row, changed = endpoints.set_enabled(endpoint, enabled, env.operator)
    word = "enabled" if enabled else "disabled"
    click.echo(f"endpoint {row.id} {word}" if changed else f"endpoint {row.id} was already {word}")


@webhooks.command("disable")
@click.argument("endpoint")
@click.pass_obj
def disable_cmd(env, endpoint):
    """Stop sending to an endpoint; its deliveries wait until it is enabled."""
    _toggle(env, endpoint, False)


@webhooks.command("enable")
@click.argument("endpoint")
@click.pass_obj
def enable_cmd(env, endpoint):
    """Send to an endpoint again (also one disabled by a 410 answer)."""
    _toggle(env, endpoint, True)


@webhooks.command("remove")
@click.argument("endpoint")
@click.pass_obj
def remove_cmd(env, endpoint):
    """Remove an endpoint with its deliveries."""
    from ..webhooks import endpoints

    env.open()
    row, waiting = endpoints.remove(endpoint, env.operator)
    click.echo(f"endpoint {row.id} removed: {escape(endpoints.shown(row.url))}"
               + (f" ({plural(waiting, 'waiting delivery')} dropped)".replace(
                   "deliverys", "deliveries") if waiting else ""))


@webhooks.command("rotate-secret")
@click.argument("endpoint")
@click.pass_obj
def rotate_cmd(env, endpoint):
    """A new secret; the old one keeps signing beside it for 24 hours."""
    from ..webhooks import endpoints

    env.open()
    row, secret = endpoints.rotate(endpoint, env.operator)
    click.echo(f"endpoint {row.id}: new secret {secret}")
    click.echo(f"the old secret also signs until {endpoints.utc(row.previous_until)}")


@webhooks.command("deliveries")
@click.option("--endpoint", help="One endpoint's deliveries.")
@click.option("--status", help="pending, delivered or failed.")
@click.option("--limit", type=int, default=1000, show_default=True,
              help="At most this many, oldest first.")
@json_option
@click.pass_obj
def deliveries_cmd(env, endpoint, status, limit, as_json):
    """Deliveries, oldest first."""
    from ..webhooks import deliveries

    if not 1 <= limit <= 1_000_000:
        raise DomainError("--limit is 1 to 1,000,000")
    env.open()
    unread: list = []
    rows = deliveries.listing(endpoint, status, limit=limit, unread=unread)
    if len(rows) + len(unread) == limit:
        click.echo(f"opsconsole: showing the oldest {limit}; there may be more (--limit, "
                   "--status, --endpoint narrow it)", err=True)
    if as_json:
        print_json(rows)
    else:
        table([[r["id"], r["endpoint"], r["event_type"], r["subscription"] or "", r["status"],
                r["attempts"], r["next_attempt_at"] or "",
                r["last_error"] or (r["last_status"] or "")] for r in rows],
              ["ID", "ENDPOINT", "EVENT", "SUB", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "LAST"])
    name_unread(unread)


@webhooks.command("delivery")
@click.argument("delivery")
@json_option
@click.pass_obj
def delivery_cmd(env, delivery, as_json):
    """One delivery with every attempt."""
    from ..webhooks import deliveries

    env.open()
    data = deliveries.show(delivery)
    if as_json:
        print_json(data)
        return
    click.echo(f"delivery {data['id']}: {data['event_type']} (event {data['event']}) to "
               f"endpoint {data['endpoint']} {escape(data['url'])}: {data['status']}")
    if data["next_attempt_at"]:
        click.echo(f"next attempt: {data['next_attempt_at']}")
    table([[a["number"], a["at"], a["status"] or "", a["error"] or "", f"{a['duration_ms']} ms",
            (a["response"] or "")[:60].replace("\n", " ")]
           for a in data["attempt_log"]], ["#", "AT", "STATUS", "ERROR", "TOOK", "ANSWER"])


@webhooks.command("redeliver")
@click.argument("delivery", required=False)
@click.option("--endpoint", help="With --since: every delivery of this endpoint.")
@click.option("--since", type=DATE, help="With --endpoint: events on or after this store date.")
@click.pass_obj
def redeliver_cmd(env, delivery, endpoint, since):
    """Send a delivery again now (same webhook-id), or an endpoint's since a date."""
    from ..webhooks import deliveries

    if (delivery is None) == (endpoint is None) or (endpoint is None) != (since is None):
        raise DomainError("give a DELIVERY_ID, or --endpoint ID with --since YYYY-MM-DD")
    env.open()
    if delivery is not None:
        row = deliveries.redeliver(delivery, env.operator)
        click.echo(f"delivery {row.id} queued to be sent again now" + _held(row.endpoint))
        return
    count = deliveries.redeliver_since(endpoint, since, env.operator)
    from ..webhooks import endpoints

    click.echo(f"{plural(count, 'delivery')} queued to be sent again now".replace(
        "deliverys", "deliveries") + _held(endpoints.find(endpoint)))


def _held(endpoint) -> str:
    return "" if endpoint.enabled else \
        f" (endpoint {endpoint.id} is disabled: sent once it is enabled)"


@webhooks.command("deliver")
@click.option("--watch", is_flag=True, help="Keep sending until stopped (Ctrl-C).")
@click.pass_obj
def deliver_cmd(env, watch):
    """Send every delivery that is due, then exit (or keep at it with --watch)."""
    from ..webhooks import deliverer

    env.open()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    waited = False
    while True:
        stats, holder = deliverer.deliver(watch=watch, stop=stop)
        if stats is not None:
            break
        if not watch:
            raise DomainError(f"another process is sending this store's webhooks ({holder}); "
                              "nothing was sent")
        if not waited:
            click.echo(f"waiting: another process is sending this store's webhooks ({holder})",
                       err=True)
            waited = True
        if stop.wait(5):
            return
    line = f"{stats.delivered} delivered, {plural(stats.failed_attempts, 'failed attempt')}"
    if stats.gave_up:
        line += f", {stats.gave_up} given up (marked failed)"
    for endpoint in stats.endpoints_gone:
        line += f"; endpoint {endpoint} answered 410 Gone and was disabled"
    click.echo(line)
    for error in stats.errors:
        click.echo(f"opsconsole: {escape(error)}", err=True)
    if stats.errors and not stats.attempts:
        raise click.exceptions.Exit(1)
