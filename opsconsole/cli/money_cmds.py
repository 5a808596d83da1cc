"""charge, prorate, bulk-price."""

import json

import click

from ..text import escape
from . import cli
from .params import AMOUNT, json_option, plural, print_json, table


@cli.command("charge")
@click.argument("refs", nargs=-1, required=True)
@json_option
@click.pass_obj
def charge_cmd(env, refs, as_json):
    """Charge managed subscriptions, or retry overdue ones, now. One line per ID."""
    from ..views.charging import charge_each

    env.open()
    succeeded = 0
    for result in charge_each(refs, env.operator):
        succeeded += result["ok"]
        if as_json:
            click.echo(json.dumps(result))
        else:
            amount = (f" {result['charge']['amount']} {result['charge']['currency']}"
                      if result["charge"] and result["ok"] else "")
            click.echo(f"{escape(result['id'])}: {escape(result['message'])}{amount}",
                       err=not result["ok"] and result["charge"] is None)
    if not succeeded:
        raise click.exceptions.Exit(1)


@cli.command("prorate")
@click.argument("ref")
@click.option("--price", type=AMOUNT, help="New unit price.")
@click.option("--quantity", type=int, help="New quantity.")
@click.option("--product", help="New product path.")
@click.option("--confirm", is_flag=True, help="Charge or refund the difference and save.")
@json_option
@click.pass_obj
def prorate_cmd(env, ref, price, quantity, product, confirm, as_json):
    """Review (and with --confirm, apply) a prorated change (R-PRORATE-*)."""
    from ..billing import proration

    env.open()
    if confirm:
        review, outcome = proration.confirm(ref, price, quantity, product, env.operator)
    else:
        review, outcome = proration.review(ref, price, quantity, product), None
    data = review.as_dict()
    if outcome is not None:
        # `charge` stays the quote's decimal string (CONTRACT.md); the attempt is beside it
        data.update(confirmed=True, message=outcome.message, ok=outcome.ok,
                    attempt=outcome.charge)
    if as_json:
        print_json(data)
        return
    table([[k, str(review.old[k]), str(review.new[k])] for k in ("product", "price", "quantity",
                                                                   "amount")],
          ["", "OLD", "NEW"])
    click.echo(f"period {data['period_start']} .. {data['period_end']}: {data['left']} of "
               f"{data['total']} days left")
    click.echo(f"credit {data['credit']}  charge {data['charge']}  net {data['net']} "
               f"{data['currency']}")
    click.echo(f"last prorated: {data['last_prorated'] or 'never'}")
    click.echo(f"subscription {ref}: {outcome.message}" if outcome else
               "nothing written; add --confirm to apply")


@cli.command("bulk-price")
@click.option("--product", required=True, help="Product path.")
@click.option("--price", type=AMOUNT, help="New unit price.")
@click.option("--percent", type=AMOUNT, help="Change by this percent (+ or -).")
@click.option("--currency", help="Needed when the subscriptions use several currencies.")
@click.option("--confirm", is_flag=True, help="Apply the change.")
@json_option
@click.pass_obj
def bulk_price_cmd(env, product, price, percent, currency, confirm, as_json):
    """Preview (and with --confirm, apply) a new price for a product's subscriptions."""
    from ..billing import bulk

    env.open()
    if (price is None) == (percent is None):
        raise click.UsageError("give --price or --percent")
    run = bulk.apply if confirm else bulk.plan
    kwargs = {"operator": env.operator} if confirm else {}
    result = run(product, price, percent, currency, **kwargs).as_dict()
    result["applied"] = confirm
    if as_json:
        print_json(result)
        return
    for warning in result["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    cur = result["currency"]
    table([[r["id"], f"{r['old']} {cur}", f"{r['new']} {cur}"] for r in result["rows"]],
          ["ID", "OLD", "NEW"])
    click.echo(f"{plural(result['count'], 'subscription')}; monthly revenue change "
               f"{result['monthly_change']} {cur}: {result['monthly_before']} -> "
               f"{result['monthly_after']} {cur}, add-ons {result['monthly_addons']} {cur} of it")
    click.echo("applied" if confirm else "nothing written; add --confirm to apply")
