"""report and attention: the dashboard's figures and everything waiting for an operator
(views/report.py, views/attention.py), as text that fits 80 columns or as JSON."""

import textwrap
from decimal import Decimal

import click

from ..text import escape
from . import cli
from .params import json_option, print_json

WIDTH = 80
CURRENCIES_PER_TABLE = 3  # money columns beside the date (and count) that fit 80 columns


def _n(value: int) -> str:
    return f"{value:,}"


def _m(amount: str) -> str:
    """'4641300.83' -> '4,641,300.83': exact (Decimal), grouped for reading."""
    return f"{Decimal(amount):,}"


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(escape(text), WIDTH, initial_indent=indent, subsequent_indent=indent
                         + "  ", break_long_words=True, break_on_hyphens=False) or [indent]


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

    def line(row):
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        return ("  " + "  ".join(cells)).rstrip()
    return [line(header)] + [line(r) for r in rows]


def _by_currency(days: list[dict], field: str, extra: tuple[str, str] | None = None,
                 total: list[dict] | None = None) -> list[str]:
    """One row per date, a column per currency (tables of a few currencies at a time)."""
    if not days:
        return []
    currencies = [a["currency"] for a in days[0]["amounts"]]
    out = []
    for start in range(0, len(currencies), CURRENCIES_PER_TABLE):
        chosen = currencies[start:start + CURRENCIES_PER_TABLE]
        header = ["DATE"] + ([extra[0]] if extra else []) + chosen
        rows = []
        for day in days:
            cells = {a["currency"]: a[field] for a in day["amounts"]}
            rows.append([day["date"]] + ([_n(day[extra[1]])] if extra else [])
                        + [_m(cells[c]) for c in chosen])
        if total is not None:
            cells = {t["currency"]: t[field] for t in total}
            rows.append(["total"] + ([""] if extra else []) + [_m(cells[c]) for c in chosen])
        out += _table(header, rows, set(range(1, len(header))))
    return out


def report_text(data: dict) -> list[str]:
    lines = _wrapped(f"Store date {data['date']}; the last {_n(data['days'])} days are "
                     f"{data['revenue']['from']} to {data['revenue']['to']}", "")
    if data.get("unreadable"):
        lines += [""] + _wrapped(
            "Left out of every figure: subscriptions holding values the store cannot read "
            "(restore a snapshot, or correct them in the database): "
            + ", ".join(map(str, data["unreadable"])), "")
    lines += ["", "MRR: monthly recurring revenue (active and overdue; add-ons included)"]
    lines += _table(["CURRENCY", "MRR", "ADD-ONS", "SUBSCRIPTIONS"],
                    [[m["currency"], _m(m["amount"]), _m(m["addons"]), _n(m["subscriptions"])]
                     for m in data["mrr"]], {1, 2, 3})
    states = data["states"]
    lines += ["", "Subscriptions by state"]
    lines += _wrapped("  ".join(f"{state} {_n(n)}" for state, n in states.items()))
    revenue = data["revenue"]
    lines += [""] + _wrapped(f"Revenue per day, {revenue['from']} to {revenue['to']} "
                             "(completed charges minus refunds)", "")
    lines += _by_currency(revenue["days"], "net", total=revenue["totals"])
    ahead = data["scheduled"]
    lines += [""] + _wrapped(f"Scheduled charges, {ahead['from']} to {ahead['to']}: "
                             f"{_n(ahead['charges'])} (declines not predicted)", "")
    lines += _by_currency(ahead["days"], "amount", ("CHARGES", "charges"), ahead["totals"])
    funnel = data["dunning"]
    lines += [""] + _wrapped(f"Dunning: declines from {funnel['from']} to {funnel['to']} "
                             "and what became of them", "")
    if not funnel["currencies"]:
        lines.append("  no declines")
    for f in funnel["currencies"]:
        cur, rec = f["currency"], f["recovered"]
        ways = [f"day {d['day']} {_n(d['count'])}" for d in rec["retry_days"]]
        ways += [f"new payment method {_n(rec['new_payment_method']['count'])}",
                 f"retry now {_n(rec['retry_now']['count'])}",
                 f"paid {_n(rec['paid']['count'])}"]
        lines += _wrapped(f"{cur} declined {_n(f['declined']['count'])} "
                          f"({_m(f['declined']['amount'])})")
        lines += _wrapped(f"recovered {_n(rec['count'])} ({_m(rec['amount'])}): "
                          + ", ".join(ways), "      ")
        lines += _wrapped(f"deactivated {_n(f['deactivated']['count'])} "
                          f"({_m(f['deactivated']['amount'])}); still overdue "
                          f"{_n(f['open']['count'])} ({_m(f['open']['amount'])})", "      ")
    cases = data["cases"]
    lines += [""] + _wrapped(f"Support cases: {_n(cases['open'])} open, "
                             f"{_n(cases['past_target'])} past a target", "")
    lines += _table(["SEVERITY", "OPEN", "PAST A TARGET"],
                    [[f"{c['severity']} {c['name']}", _n(c["open"]), _n(c["past_target"])]
                     for c in cases["by_severity"]], {1, 2})
    return lines


@cli.command("report")
@click.option("--days", type=int, default=30, show_default=True,
              help="The days the revenue and the dunning funnel cover, up to today (1-366).")
@json_option
@click.pass_obj
def report_cmd(env, days, as_json):
    """The dashboard's figures: MRR, subscriptions by state, revenue per day, the next 30
    days' scheduled charges, the dunning funnel, support cases."""
    from ..views import report

    report.check_days(days)
    env.open()
    data = report.report(days)
    if as_json:
        print_json(data)
        return
    for line in report_text(data):
        click.echo(line)


def attention_text(data: dict) -> list[str]:
    count = data["count"]
    if not count:
        return [f"Nothing waits for an operator (store date {data['date']})."]
    kinds = ", ".join(f"{n} {kind}" for kind, n in data["by_kind"].items() if n)
    lines = _wrapped(f"{count} item{'' if count == 1 else 's'} wait for an operator (store date "
                     f"{data['date']}): {kinds}", "")
    for item in data["items"]:
        lines += [""] + _wrapped(f"{item['kind']}  {item['subject']} {item['id']}  "
                                 f"{item['age']} (since {item['since']}, {item['clock']} "
                                 "clock)", "")
        lines += _wrapped(item["reason"])
        lines += _wrapped(f"do: {item['command']}")
        lines += _wrapped(f"gone when: {item['clears']}")
    return lines


@cli.command("attention")
@json_option
@click.pass_obj
def attention_cmd(env, as_json):
    """Everything waiting for an operator (R-ATTN-1), each with its reason, its age and the
    action that clears it; an item leaves the list when its cause is gone."""
    from ..views import attention

    env.open()
    data = attention.attention()
    if as_json:
        print_json(data)
        return
    for line in attention_text(data):
        click.echo(line)
