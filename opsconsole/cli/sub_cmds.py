"""subs list/show and the actions on one subscription."""

import click

from ..store.states import SUB_STATES
from ..text import escape
from . import cli
from .params import json_option, name_unread, print_json, table


def _flags(s: dict) -> str:
    from ..billing.present import flags

    return ", ".join(flags(s))


@cli.group("subs")
def subs_group():
    """Subscriptions."""


@subs_group.command("list")
@click.option("--state", type=click.Choice(SUB_STATES))
@click.option("--product", help="Product path.")
@click.option("--search", help="The start of an ID, reference, email, first or last name, "
              "or 'first last'; any case.")
@click.option("--limit", type=click.IntRange(min=1, max=10**9), help="At most this many.")
@click.option("--repeat-trials", is_flag=True,
              help="Only repeat trials: the account had the same product before (R-TRIAL-2).")
@json_option
@click.pass_obj
def subs_list(env, state, product, search, limit, repeat_trials, as_json):
    """Subscriptions, by next charge date."""
    from ..billing import present
    from ..store import queries

    env.open()
    unread: list = []  # rows the store cannot read: left out, then named (exit 1)
    rows = present.readable(_preloaded(
        queries.subscriptions(state, product, search, limit, repeat_trials).iterator()), unread)
    if as_json:
        print_json(list(rows))
    else:
        table([[s["id"], s["reference_id"] or "", s["customer"]["email"], s["product"],
                f"{s['amount']} {s['currency']}", s["state"], s["next_charge_date"] or "-",
                _flags(s)] for s in rows],
              ["ID", "REFERENCE", "CUSTOMER", "PRODUCT", "AMOUNT", "STATE", "NEXT", "FLAGS"])
    name_unread(unread)


def _discount_words(discount: dict | None) -> str:
    if not discount:
        return "none"
    left = "all" if discount["remaining"] is None else discount["remaining"]
    return f"{discount['value']} {discount['type']}, {left} charges left"


def _preloaded(subscriptions, chunk: int = 500):
    """The subscriptions with their add-ons and flags read a chunk at a time, not one by one."""
    from itertools import islice

    from ..billing import subs

    while True:
        batch = list(islice(subscriptions, chunk))
        if not batch:
            return
        yield from subs.preload(batch)


@subs_group.command("show")
@click.argument("ref")
@json_option
@click.pass_obj
def subs_show(env, ref, as_json):
    """One subscription."""
    from ..billing import present, subs

    env.open()
    s = present.subscription(subs.find(ref))
    if as_json:
        print_json(s)
        return
    c = s["customer"]
    pm = s["payment_method"]
    lines = [
        ("subscription", f"{s['id']}" + (f" ({s['reference_id']})" if s["reference_id"] else "")),
        ("customer", f"{c['first']} {c['last']} <{c['email']}>"),
        ("state", s["state"] + (f"  [{_flags(s)}]" if _flags(s) else "")),
        ("product", f"{s['product']} x {s['quantity']}, " + _every(s)),
        ("price", f"{s['price']} {s['currency']} each; {s['amount']} {s['currency']} per "
                  + ("charge" if s["interval"] == "adhoc" else "period")),
        *[("add-on" if i == 0 else "", f"{a['path']} x {a['quantity']} at {a['price']} "
                                        f"{s['currency']}") for i, a in enumerate(s["addons"])],
        ("discount", _discount_words(s["discount"])),
        ("began", s["begin_date"]),
        *([("trial ends", s["trial_end_date"])] if s["state"] == "trial" else []),
        ("next charge", s["next_charge_date"] or "-"),
        ("ends", s["end_date"] or "-"),
        ("renewal", "manual" if s["manual_renew"] else "automatic"),
        ("payment", f"card ending {pm['last4'] or '????'}, expires {pm['expiry'] or '?'}"
                    if pm else "none"),
    ]
    for label, value in lines:
        click.echo(f"{label:>12}  {escape(value)}")


def _every(s: dict) -> str:
    if s["interval"] == "adhoc":
        return "managed (charged by hand)"
    n = s["interval_length"]
    return f"every {s['interval']}" if n == 1 else f"every {n} {s['interval']}s"


def report(outcome, as_json: bool, fail_on_decline: bool = False) -> None:
    """Print what an action did. A declined charge exits 1 where the charge was the point."""
    if as_json:
        print_json({"subscription": outcome.subscription, "message": outcome.message,
                    "ok": outcome.ok, "charge": outcome.charge})
    else:
        click.echo(f"subscription {outcome.subscription['id']}: {escape(outcome.message)}")
    if fail_on_decline and not outcome.ok:
        raise click.exceptions.Exit(1)


@cli.command("pause")
@click.argument("ref")
@click.option("--periods", type=int, required=True, help="1 to 12 billing periods.")
@json_option
@click.pass_obj
def pause_cmd(env, ref, periods, as_json):
    """Schedule a pause from the next charge date (R-PAUSE-*)."""
    from ..billing import actions

    env.open()
    report(actions.pause(ref, periods, env.operator), as_json)


@cli.command("cancel")
@click.argument("ref")
@click.option("--now", is_flag=True, help="Deactivate now instead of at the next period.")
@json_option
@click.pass_obj
def cancel_cmd(env, ref, now, as_json):
    """Cancel at the next period (default) or now."""
    from ..billing import actions

    env.open()
    report(actions.cancel(ref, now, env.operator), as_json)


@cli.command("payment")
@click.argument("ref")
@click.option("--token", required=True, help="The gateway's payment token.")
@click.option("--last4", help="Last four digits, for display.")
@click.option("--expiry", help="MM/YY, for display.")
@json_option
@click.pass_obj
def payment_cmd(env, ref, token, last4, expiry, as_json):
    """Set the payment method; an overdue subscription is charged at once (R-DUN-5)."""
    from ..billing import actions

    env.open()
    report(actions.set_payment(ref, token, last4, expiry, env.operator), as_json)


@cli.command("pay")
@click.argument("ref")
@click.option("--token", required=True, help="A one-time payment token.")
@json_option
@click.pass_obj
def pay_cmd(env, ref, token, as_json):
    """Record the customer's payment of a manual renewal (Pay Now)."""
    from ..billing import actions

    env.open()
    report(actions.pay(ref, token, env.operator), as_json, fail_on_decline=True)


def _simple_action(name: str, action: str, help_text: str) -> None:
    """A command that takes one subscription and calls one core action on it."""

    @cli.command(name, help=help_text)
    @click.argument("ref")
    @json_option
    @click.pass_obj
    def command(env, ref, as_json):
        from ..billing import actions

        env.open()
        report(getattr(actions, action)(ref, env.operator), as_json)


_simple_action("cancel-pause", "cancel_pause", "Remove a scheduled pause.")
_simple_action("resume", "resume", "Resume a paused subscription now; it is charged at once.")
_simple_action("uncancel", "uncancel", "Take back a cancellation before it takes effect.")
_simple_action("manual-renew", "manual_renew",
               "Switch to manual renewal; the payment method is deleted for good.")
