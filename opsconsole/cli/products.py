"""product add / set / list."""

import click

from ..text import escape
from . import cli
from .params import AMOUNT, json_option, plural, print_json, table

INTERVAL = click.Choice(["day", "week", "month", "year", "adhoc"])


@cli.group("product")
def product_group():
    """Subscription products."""


def _settings_options(f):
    f = click.option("--deactivate-after-days", type=int,
                     help="Deactivate overdue after N days.")(f)
    f = click.option("--overdue-notice-days", help="Days of overdue notices, like 1,3,5.")(f)
    f = click.option("--trial-reminder-days", type=int, help="Trial reminder N days before.")(f)
    f = click.option("--reminder-days", type=int, help="Payment reminder N days before; 0 off.")(f)
    return f


@product_group.command("add")
@click.argument("path")
@click.option("--name", required=True)
@click.option("--interval", type=INTERVAL, required=True)
@click.option("--length", type=int, default=1, show_default=True)
@click.option("--price", type=AMOUNT, required=True)
@click.option("--currency", help="Default: the store's currency.")
@click.option("--trial-days", type=int, default=0)
@click.option("--rebills", type=int, help="Charges before it renews into another product.")
@click.option("--renews-into", help="The product it becomes after --rebills charges.")
@_settings_options
@json_option
@click.pass_obj
def product_add(env, path, name, interval, length, price, currency, trial_days, rebills,
                renews_into, reminder_days, trial_reminder_days, overdue_notice_days,
                deactivate_after_days, as_json):
    """Define a subscription product."""
    from ..billing import products

    env.open()
    product = products.add(path, name, interval, price, length, currency, trial_days, rebills,
                           renews_into, reminder_days, trial_reminder_days, overdue_notice_days,
                           deactivate_after_days, env.operator)
    if as_json:
        print_json(product)
    else:
        every = ("managed (charged by hand)" if product["interval"] == "adhoc" else
                 f"every {product['interval']}" if product["length"] == 1 else
                 f"every {product['length']} {product['interval']}s")
        click.echo(f"product {product['path']} added: {product['price']} "
                   f"{product['currency']} {every}")


@product_group.command("set")
@click.argument("path")
@click.option("--price", type=AMOUNT)
@_settings_options
@click.option("--apply-to-active", is_flag=True,
              help="Also update its subscriptions (not overdue, canceled or deactivated).")
@json_option
@click.pass_obj
def product_set(env, path, price, reminder_days, trial_reminder_days, overdue_notice_days,
                deactivate_after_days, apply_to_active, as_json):
    """Change a product (R-SETTINGS-1); its path never changes."""
    from ..billing import products

    env.open()
    product, updated = products.update(path, price, reminder_days, trial_reminder_days,
                                       overdue_notice_days, deactivate_after_days,
                                       apply_to_active, env.operator)
    if as_json:
        print_json({**product, "subscriptions_updated": updated})
    else:
        suffix = f"; {plural(updated, 'subscription')} updated" if apply_to_active else ""
        click.echo(f"product {product['path']} updated{suffix}")


@product_group.command("list")
@json_option
@click.pass_obj
def product_list(env, as_json):
    """Products."""
    from ..billing import products

    env.open()
    rows = products.listing()
    if as_json:
        print_json(rows)
        return
    table([[p["path"], p["name"], f"{p['price']} {p['currency']}",
            "managed" if p["interval"] == "adhoc" else f"{p['length']} {p['interval']}",
            p["trial_days"] or "", p["rebills"] or "", p["renews_into"] or "",
            p["reminder_days"]] for p in rows],
          ["PATH", "NAME", "PRICE", "EVERY", "TRIAL", "REBILLS", "RENEWS INTO", "REMIND"])


@product_group.command("addon")
@click.argument("product")
@click.option("--offer", "path", required=True, help="The add-on's path.")
@click.option("--price", type=AMOUNT, required=True, help="Unit price, in the product's currency.")
@click.option("--group", help="A group of add-ons, shown together.")
@click.option("--single", is_flag=True, help="The group is single-choice: one of it at most.")
@json_option
@click.pass_obj
def product_addon(env, product, path, price, group, single, as_json):
    """Offer an add-on with a product (R-ADDON-1); offered already: a new price or group."""
    from ..billing import addons

    env.open()
    offer = addons.offer(product, path, price, group, single, env.operator)
    if as_json:
        print_json(offer)
        return
    kind = "single-choice group" if offer["single"] else "group"
    where = f" in {kind} {offer['group']}" if offer["group"] else ""
    click.echo(escape(f"product {offer['product']} "
                      f"{'now offers' if offer['updated'] else 'offers'} {offer['path']} at "
                      f"{offer['price']} {offer['currency']}{where}"))
