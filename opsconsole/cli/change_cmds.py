"""Changing what a subscription is billed for, and customer accounts: add-ons (R-ADDON-2),
change without proration (R-CHANGE-1), accounts (R-ACCOUNT-1)."""

import click

from ..text import escape
from . import cli
from .params import AMOUNT, DATE, json_option, name_unread, print_json, table
from .sub_cmds import report


@cli.group("addon")
def addon_group():
    """A subscription's add-ons (R-ADDON-2): from the next charge, without proration."""


@addon_group.command("add")
@click.argument("ref")
@click.argument("path")
@click.option("--quantity", type=int, default=1, show_default=True)
@json_option
@click.pass_obj
def addon_add(env, ref, path, quantity, as_json):
    """Add an add-on the subscription's product offers (or change its quantity)."""
    from ..billing import addons

    env.open()
    report(addons.add(ref, path, quantity, env.operator), as_json)


@addon_group.command("remove")
@click.argument("ref")
@click.argument("path")
@json_option
@click.pass_obj
def addon_remove(env, ref, path, as_json):
    """Remove an add-on from the subscription."""
    from ..billing import addons

    env.open()
    report(addons.remove(ref, path, env.operator), as_json)


@cli.command("change")
@click.argument("ref")
@click.option("--next-charge-date", type=DATE, help="A date after today.")
@click.option("--end-date", type=DATE, help="The last day it is active (today or later).")
@click.option("--no-end-date", is_flag=True, help="Take the end date away.")
@click.option("--product", help="Another product of the same currency; its price too.")
@click.option("--quantity", type=int)
@click.option("--price", type=AMOUNT, help="A new unit price.")
@json_option
@click.pass_obj
def change_cmd(env, ref, next_charge_date, end_date, no_end_date, product, quantity, price,
               as_json):
    """Change a subscription without proration, from its next charge (R-CHANGE-1)."""
    from ..billing import change

    if end_date is not None and no_end_date:
        raise click.UsageError("give --end-date or --no-end-date, not both")
    env.open()
    report(change.change(ref, env.operator, next_charge_date=next_charge_date,
                         end_date=end_date, no_end_date=no_end_date, product=product,
                         quantity=quantity, price=price), as_json)


@cli.group("accounts")
def accounts_group():
    """Customer accounts: one per email (R-ACCOUNT-1)."""


@accounts_group.command("show")
@click.argument("email")
@json_option
@click.pass_obj
def accounts_show(env, email, as_json):
    """The account's subscriptions and what it was charged."""
    from ..billing import accounts

    env.open()
    data = accounts.show(email)
    if as_json:
        print_json(data)
    else:
        click.echo(escape(f"{data['first']} {data['last']} <{data['email']}>"))
        table([[s["id"], s["reference_id"] or "", s["product"], f"{s['amount']} {s['currency']}",
                s["state"], s["next_charge_date"] or "-",
                "repeat trial" if s["repeat_trial"] else ""] for s in data["subscriptions"]],
              ["ID", "REFERENCE", "PRODUCT", "AMOUNT", "STATE", "NEXT", "FLAGS"])
        totals = ", ".join(f"{t['total']} {t['currency']}" for t in data["charges_total"])
        click.echo(f"charged in all: {totals or 'nothing yet'} (refunds taken off)")
    name_unread([u["error"] for u in data.get("unreadable", ())])  # exit 1
