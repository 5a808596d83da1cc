"""charges, events, notifications, audit: the logs, oldest first."""


import click

from . import cli
from .params import json_option, plural, print_json, table


def _sub_id(ref):
    if ref is None:
        return None
    from ..billing import subs

    return subs.find(ref, checked=False).id


def _timezone() -> str:
    from ..store.context import current

    return current().timezone


@cli.command("charges")
@click.option("--sub", "ref", help="One subscription (ID or reference).")
@json_option
@click.pass_obj
def charges_cmd(env, ref, as_json):
    """Charge attempts."""
    from ..billing import present
    from ..store import queries

    env.open()
    rows = [present.charge(c) for c in queries.charges(_sub_id(ref)).iterator()]
    if as_json:
        print_json(rows)
        return
    table([[c["id"], c["subscription"], c["date"], c["kind"], f"{c['amount']} {c['currency']}",
            c["status"], c["reason"] or ""] for c in rows],
          ["ID", "SUB", "DATE", "KIND", "AMOUNT", "STATUS", "REASON"])


@cli.command("events")
@click.option("--sub", "ref", help="One subscription (ID or reference).")
@click.option("--type", "type_", help="Only this event type.")
@json_option
@click.pass_obj
def events_cmd(env, ref, type_, as_json):
    """Events."""
    from ..billing import present
    from ..store import queries

    env.open()
    tz = _timezone()
    rows = [present.event(e, tz) for e in queries.events(_sub_id(ref), type_).iterator()]
    if as_json:
        print_json(rows)
        return
    table([[e["at"], e["subscription"] or "", e["type"]] for e in rows], ["AT", "SUB", "TYPE"])


@cli.command("notifications")
@click.option("--sub", "ref", help="One subscription (ID or reference).")
@json_option
@click.pass_obj
def notifications_cmd(env, ref, as_json):
    """The customer email outbox."""
    from ..billing import present
    from ..store import queries

    env.open()
    tz = _timezone()
    rows = [present.notification(n, tz) for n in queries.notifications(_sub_id(ref)).iterator()]
    if as_json:
        print_json(rows)
        return
    table([[n["at"], n["subscription"] or "", n["to"], n["template"]] for n in rows],
          ["AT", "SUB", "TO", "TEMPLATE"])


@cli.command("audit")
@json_option
@click.pass_obj
def audit_cmd(env, as_json):
    """Every operator action."""
    from ..store import queries, rows as rows_
    from ..store.context import iso

    env.open()
    tz = _timezone()
    rows = [{"operator": a.operator, "action": a.action, "subscription": a.subscription_id,
             "before": rows_.loads(a.before, "audit", a.id, "before") if a.before else None,
             "after": rows_.loads(a.after, "audit", a.id, "after") if a.after else None,
             "detail": rows_.loads(a.detail, "audit", a.id, "detail") if a.detail else None,
             "at": iso(a.at, tz), "wall_at": a.wall_at.isoformat() + "Z"}
            for a in queries.audit().iterator()]
    if as_json:
        print_json(rows)
        return
    table([[r["at"], r["operator"], r["action"], _sub_cell(r), _summary(r)] for r in rows],
          ["AT", "OPERATOR", "ACTION", "SUB", "SUMMARY"])


def _bulk(row: dict) -> bool:
    """A bulk price row as R-BULK-1 writes it: one row for many subscriptions."""
    return (row["action"] == "bulk-price" and row["subscription"] is None
            and isinstance(row["detail"], dict))


def _sub_cell(row: dict) -> str:
    if _bulk(row):
        return "—"  # many: the summary says how many, the JSON names them
    return row["subscription"] or ""


def _summary(row: dict) -> str:
    """A short line for a row that acts on many subscriptions at once: 'monthly +10%: 3
    subscriptions', 'monthly price 35.00 USD: 3 subscriptions'."""
    if not _bulk(row):
        return ""
    detail = row["detail"]
    change = detail.get("change") or {}
    if "percent" in change:
        percent = str(change["percent"])
        what = f"{'' if percent.startswith('-') else '+'}{percent}%"
    else:
        what = f"price {change.get('price', '?')} {detail.get('currency', '')}".rstrip()
    count = plural(int(detail.get("count", 0)), "subscription")
    return f"{detail.get('product', '?')} {what}: {count}"
