"""cases new | list | show | status | note | escalate | survey (R-CASE-*)."""

import click

from ..text import escape, indented
from . import cli
from .params import json_option, name_unread, print_json, table


@cli.group("cases")
def cases_group():
    """Support cases."""


def _print_case(case: dict, as_json: bool) -> None:
    if as_json:
        print_json(case)
        return
    from ..cases.model import due_words

    flag = "  BREACHED" if case["breached"] else ""
    click.echo(f"case {case['id']}: {case['status']}, severity {case['severity']} "
               f"({case['severity_name']}), {case['category']}{flag}")
    click.echo(f"  {escape(case['subject'])}")
    if case.get("next_due"):
        click.echo(f"  {due_words(case)}")


def _now():
    from ..store.context import current

    ctx = current()
    return ctx.now, ctx.timezone


@cases_group.command("new")
@click.option("--subject", required=True)
@click.option("--category", required=True, help="Transactions, Subscriptions, WebHooks, API, "
              "Fulfillments, Payouts, B2B or Accounts.")
@click.option("--description", default="")
@click.option("--steps", default="", help="Steps to reproduce.")
@click.option("--sub", "sub_ref", help="Link a subscription (ID or reference).")
@click.option("--order", help="Order or invoice number (consumer case).")
@click.option("--descriptor", help="Billing descriptor on the receipt (consumer case).")
@click.option("--qualify", help="Areas met: severity,breadth,urgency,visibility.")
@click.option("--attach", multiple=True, help="An attachment file; may repeat.")
@click.option("--kind", help="seller or consumer (default: consumer when --order is given).")
@json_option
@click.pass_obj
def cases_new(env, subject, category, description, steps, sub_ref, order, descriptor, qualify,
              attach, kind, as_json):
    """Open a case; its severity comes from the qualification areas met."""
    from ..cases import actions

    env.open()
    case = actions.open_case(subject, category, description, steps, list(attach), sub_ref,
                             order, descriptor, qualify, kind, env.operator)
    _print_case(case, as_json)


@cases_group.command("list")
@click.option("--status", help="Only this status.")
@click.option("--severity", type=int, help="Only this severity (0-3).")
@click.option("--breached", is_flag=True, help="Only cases past a target.")
@json_option
@click.pass_obj
def cases_list(env, status, severity, breached, as_json):
    """Cases, by what is due first."""
    from ..cases import model

    env.open()
    unread: list = []  # cases no case can be: left out, then named (exit 1)
    rows = model.listing(*_now(), status, severity, breached, unread)
    if as_json:
        print_json(rows)
    else:
        table([[c["id"], c["severity"], c["status"],
                c["next_due"]["at"] if c["next_due"] else "",
                "BREACHED" if c["breached"] else "", c["subject"][:50]] for c in rows],
              ["ID", "SEV", "STATUS", "DUE", "", "SUBJECT"])
    name_unread(unread)


@cases_group.command("show")
@click.argument("ref")
@json_option
@click.pass_obj
def cases_show(env, ref, as_json):
    """One case, with its notes and escalations."""
    from ..cases import actions, model

    env.open()
    now, tz = _now()
    case = model.as_dict(actions.find(ref), now, tz, full=True)
    if as_json:
        print_json(case)
        return
    _print_case(case, False)
    sub = case["subscription"]
    for label, value in (("subscription", sub), ("order", case["order"]),
                         ("descriptor", case["descriptor"])):
        if value:
            click.echo(f"  {label}: {escape(value)}")
    for label in ("description", "steps"):
        if case[label]:
            click.echo(f"  {label}: {indented(case[label], '    ')}")
    for note in case["notes"]:
        click.echo(f"  [{note['at']}] {note['side']} ({escape(note['author'])}): "
                   f"{indented(note['text'], '    ')}")
    for esc in case["escalations"]:
        click.echo(f"  [{esc['at']}] escalated by {escape(esc['who'])}: "
                   f"{indented(esc['why'], '    ')}")


@cases_group.command("status")
@click.argument("ref")
@click.argument("status", nargs=-1, required=True)
@json_option
@click.pass_obj
def cases_status(env, ref, status, as_json):
    """Move a case to another status (Closed is final).

    STATUS is one of: New, Open, Working, Pending Internal, Pending Closure, On Hold, Closed
    (any case; two words may be given as two arguments or with a hyphen)."""
    from ..cases import actions

    env.open()
    _print_case(actions.set_status(ref, " ".join(status), env.operator), as_json)


@cases_group.command("note")
@click.argument("ref")
@click.argument("text")
@click.option("--from", "side", default="support", show_default=True,
              help="support or customer.")
@json_option
@click.pass_obj
def cases_note(env, ref, text, side, as_json):
    """Add a note; from support it is a response and an update."""
    from ..cases import actions

    env.open()
    _print_case(actions.add_note(ref, text, side, env.operator), as_json)


@cases_group.command("escalate")
@click.argument("ref")
@click.option("--why", required=True)
@json_option
@click.pass_obj
def cases_escalate(env, ref, why, as_json):
    """Raise a case's priority, recording who and why."""
    from ..cases import actions

    env.open()
    _print_case(actions.escalate(ref, why, env.operator), as_json)


@cases_group.command("survey")
@click.argument("ref")
@click.option("--score", type=int, required=True, help="1 to 5.")
@click.option("--comment")
@json_option
@click.pass_obj
def cases_survey(env, ref, score, comment, as_json):
    """Record a closed case's satisfaction score."""
    from ..cases import actions

    env.open()
    _print_case(actions.survey(ref, score, comment, env.operator), as_json)
