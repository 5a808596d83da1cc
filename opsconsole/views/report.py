"""The dashboard's figures (issue 16): what `report [--days N] [--json]` prints and the
console's dashboard draws, computed once here. Plain data, amounts as decimal strings (R-MONEY-1),
one entry per currency wherever money is summed (amounts in two currencies never add up).

- MRR per currency: the subscriptions that pay on a schedule now, `active` and `overdue`
  (an overdue one is still owed; trials, paused and managed ones are not counted), each at its
  per-period amount with its add-ons (R-MONEY-2, R-ADDON-3; a discount as it stands today,
  R-DISC-1) turned into a month: a monthly price / length, a weekly x 52 / 12, a yearly / 12, a
  daily x 365 / 12. Summed exactly, rounded half-up once per currency.
- Subscriptions by state.
- Revenue charged per day over the last N days (the store's date the last of them): the
  charges completed on each date (rebills, retries, resumes, managed charges, prorations,
  payments) minus the refunds completed on it: `net`.
- The next 30 days' scheduled charges per day (tomorrow to today + 30), from each
  subscription's schedule as the daily process will run it (R-CHARGE-1, R-SCHED-2..4,
  R-TRIAL-1, R-PAUSE-3/6, R-CANCEL-3, R-DISC-1, R-ADDON-3), every charge approved: declines are
  not predicted; overdue subscriptions (dunning collects what they owe, not the schedule),
  manual renewals (the customer pays) and managed ones (an operator charges) are left out.
- The dunning funnel of the last N days: the dunnings begun then (a declined rebill, resume or
  proration, R-DUN-1), and what became of each: collected by the daily retry on day 1, 3, 5
  (or another notice day, R-DUN-2; days counted from the decline), by a new payment method
  (R-DUN-5), by an operator's retry now (R-CHARGE-3) or by the customer's payment
  (R-MANUAL-1); deactivated (R-DUN-4, or cancelled while overdue); or still open. Counts, the
  money declined, and the money collected.
- Support cases not closed, by severity, and those past a target (R-CASE-3: the target next
  due, cases.model.next_due, has passed).

Every aggregate is one query through an index (store/reports.py); the coming charges are
expanded from a few thousand groups of alike subscriptions with the core's own functions."""

import datetime as dt
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

from ..billing import charging, daily, limits, subs, values
from ..billing.money import format_amount, round_half_up
from ..cases import rules as case_rules
from ..errors import DomainError
from ..store import context, reports, rows
from ..store.context import store_currency
from ..store.models import REPORT_GROUP, SUB_STATES, Product, Subscription, database

DEFAULT_DAYS = 30
MAX_DAYS = 366
AHEAD = 30  # the scheduled charges of the next 30 days
MRR_STATES = ("active", "overdue")
SCHEDULED_STATES = ("active", "trial", "paused")
RETRY_DAYS_SHOWN = subs.RETRY_DAYS  # always in the funnel, with zeros
# what a period's base amount depends on (R-MONEY-2, R-DISC-1)
AMOUNT_FIELDS = ("price", "quantity", "discount_type", "discount_value", "discount_remaining")
STATE = REPORT_GROUP.index("state")


def check_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"--days is 1 to {MAX_DAYS}, not {days}")
    return days


# a group's values, read as a subscription's (a light row of just those columns)
_GroupRow = rows.row_type(Subscription, fields=list(reports.GROUP_FIELDS))


def _sane(group: tuple) -> bool:
    """Whether a group's values are any subscription's to hold (billing/values)."""
    return not values.problems(_GroupRow(group))


def report(days: int = DEFAULT_DAYS) -> dict:
    """Every figure of the dashboard, for the store's date."""
    check_days(days)
    ctx = context.current()
    today = ctx.today
    first = today - dt.timedelta(days=days - 1)
    home = store_currency()
    # The charges' figures are read on a second connection meanwhile: the two largest reads
    # (every subscription's group, a month of charges) then take the time of one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        charged = pool.submit(_on_own_connection, _charge_figures, first, today, home)
        # a row the store cannot read (a file written to by hand) is left out, and named
        groups, damaged = reports.readable_groups(reports.subscription_groups(), _sane)
        extras = reports.addon_groups()
        figures = {
            "date": today.isoformat(),
            "days": days,
            "mrr": mrr(groups, extras, home),
            "states": states(groups),
            "revenue": None,
            "scheduled": scheduled(today, groups, extras, home),
            "dunning": None,
            "cases": cases(ctx.now),
        }
        figures["revenue"], figures["dunning"] = charged.result()
    if damaged:
        figures["unreadable"] = reports.unreadable_ids(_sane)
    return figures


def _charge_figures(first: dt.date, last: dt.date, home: str) -> tuple[dict, dict]:
    return revenue(first, last, home), dunning(first, last)


def _on_own_connection(work, *args):
    """`work` in a worker thread, on the connection peewee opens for that thread (a store
    allows many readers at once on both engines), closed when it is done."""
    try:
        return work(*args)
    finally:
        database.close()


def _money(minor: int, currency: str) -> str:
    return format_amount(minor, currency)


def _round(value: Fraction) -> int:
    from decimal import Decimal, localcontext

    with localcontext() as exact:
        exact.prec = 60
        return round_half_up(Decimal(value.numerator) / Decimal(value.denominator))


# --- groups of alike subscriptions -----------------------------------------------------------

def _key(row: tuple) -> dict:
    return dict(zip(REPORT_GROUP, row))


def _products() -> dict[int, Product]:
    return {p.id: p for p in Product.select()}


def stand_in(values: dict, products: dict[int, Product], held=None) -> Subscription:
    """An unsaved subscription with a group's values: what the core's amount and schedule
    functions are asked about, once for the whole group."""
    fields = {k: v for k, v in values.items() if k != "product_id"}
    sub = Subscription(**fields)
    if values["product_id"] is not None:  # a plain group's has no part in its schedule
        sub.product = products[values["product_id"]]
    sub._addons = list(held or [])
    return sub


# --- MRR --------------------------------------------------------------------------------------

def monthly_share(unit: str, length: int) -> Fraction:
    """What one period's amount is a month: a month / length, a week x 52 / 12, a year / 12,
    a day x 365 / 12 (per interval length)."""
    per_year = {"day": 365, "week": 52, "month": 12, "year": 1}[unit]
    return Fraction(per_year, 12 * length)


def mrr(groups: list[tuple], extras: dict[tuple, int], home: str) -> list[dict]:
    products = _products()
    bases: dict[tuple, int] = {}  # one stand-in per distinct price, quantity and discount
    sums: dict[tuple[str, str, int], list[int]] = {}  # (currency, unit, length) -> sums
    for row in groups:
        values, count = _key(row[:-1]), row[-1]
        unit = values["interval_unit"]
        if values["state"] not in MRR_STATES or unit == "adhoc":
            continue
        priced = tuple(values[k] for k in AMOUNT_FIELDS)
        if priced not in bases:
            bases[priced] = subs.base_amount(stand_in(values, products))
        total = sums.setdefault((values["currency"], unit, values["interval_length"]),
                                [0, 0, 0])
        total[0] += bases[priced] * count
        total[1] += extras.get(tuple(row[:-1]), 0)
        total[2] += count
    totals: dict[str, list] = {}
    for (currency, unit, length), (base, extra, count) in sums.items():
        share = monthly_share(unit, length)  # exact: summed first, turned into a month once
        total = totals.setdefault(currency, [Fraction(0), Fraction(0), 0])
        total[0] += base * share
        total[1] += extra * share
        total[2] += count
    if not totals:
        totals[home] = [Fraction(0), Fraction(0), 0]
    return [{"currency": cur, "amount": _money(_round(base + extra), cur),
             "addons": _money(_round(extra), cur), "subscriptions": n}
            for cur, (base, extra, n) in sorted(totals.items())]


def states(groups: list[tuple]) -> dict[str, int]:
    """The groups count every subscription not deactivated; the deactivated are counted
    through the state index."""
    found = dict.fromkeys(SUB_STATES, 0)
    for row in groups:
        found[row[STATE]] += row[-1]
    found["deactivated"] = reports.count_in_state("deactivated")
    return found


# --- revenue ----------------------------------------------------------------------------------

def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def revenue(first: dt.date, last: dt.date, home: str) -> dict:
    """Completed charges minus completed refunds, per date and currency (as the day report's
    revenue counts them: billing.daily.revenue)."""
    by_day: dict[dt.date, dict[str, list[int]]] = defaultdict(dict)
    currencies = {home}
    for day, currency, kind, amount in reports.completed_by_day(first, last):
        cell = by_day[day].setdefault(currency, [0, 0])
        cell[1 if kind == "refund" else 0] += amount
        currencies.add(currency)
    days, totals = _every_date(first, last, by_day, currencies, _revenue_cell)
    return {"from": first.isoformat(), "to": last.isoformat(), "days": days,
            "totals": [_revenue_cell(cur, *pair) for cur, pair in totals.items()]}


def _every_date(first: dt.date, last: dt.date, by_day: dict, currencies: set[str],
                cell) -> tuple[list[dict], dict[str, list[int]]]:
    """Each date from first to last with one cell per currency (zeros where nothing
    happened), and each currency's totals: the shape revenue and the coming charges share."""
    order = sorted(currencies)
    totals = {cur: [0, 0] for cur in order}
    days = []
    for day in _dates(first, last):
        amounts = []
        for cur in order:
            first_sum, second_sum = by_day.get(day, {}).get(cur, [0, 0])
            totals[cur][0] += first_sum
            totals[cur][1] += second_sum
            amounts.append(cell(cur, first_sum, second_sum))
        days.append({"date": day.isoformat(), "amounts": amounts})
    return days, totals


def _revenue_cell(currency: str, charged: int, refunded: int) -> dict:
    return {"currency": currency, "charged": _money(charged, currency),
            "refunded": _money(refunded, currency), "net": _money(charged - refunded, currency)}


# --- the coming charges -------------------------------------------------------------------------

def _work_dates(sub: Subscription) -> list[dt.date]:
    """The dates on which the daily process has work for it that touches its charges (as
    billing.daily.candidates finds them): a deactivation, a pause starting, a resume, a charge."""
    found = []
    if sub.end_date is not None:
        found.append(sub.end_date + dt.timedelta(days=1))
    if sub.cancel_date is not None:
        found.append(sub.cancel_date)
    if sub.state == "active" and sub.pause_date is not None:
        found.append(sub.pause_date)
    if sub.state == "paused" and sub.resume_date is not None:
        found.append(sub.resume_date)
    if sub.state in ("active", "trial") and sub.interval_unit != "adhoc" \
            and sub.next_charge_date is not None:
        found.append(sub.next_charge_date)
    return found


def charges_ahead(sub: Subscription, first: dt.date, last: dt.date
                  ) -> list[tuple[dt.date, str, int, int]]:
    """The charges the daily process would make for `sub` from `first` to `last`, if every one
    is approved: (date, currency, base amount, add-ons' amount), in date order. Each date's
    work in the order of SPEC section 4 (billing.daily.process), with the core's own
    functions for what a charge costs and what it moves; `sub` is changed as the days would
    change it (pass a stand-in or a copy)."""
    out: list[tuple[dt.date, str, int, int]] = []
    day = first
    while day <= last:
        if sub.state not in SCHEDULED_STATES or sub.manual_renew:
            break
        dates = _work_dates(sub)
        if not dates:
            break
        day = max(day, min(dates))
        if day > last:
            break
        # 1. deactivations (R-SCHED-3, R-CANCEL-3)
        if (sub.end_date is not None and day > sub.end_date) or \
                (sub.cancel_date is not None and day >= sub.cancel_date):
            break
        # 2. a pause starting (R-PAUSE-3); 3. a resume (R-PAUSE-6)
        if sub.state == "active" and sub.pause_date and sub.pause_date <= day:
            sub.state = "paused"
            sub.next_charge_date = sub.resume_date
        if sub.state == "paused" and sub.resume_date and sub.resume_date <= day:
            sub.state = "active"
            sub.next_charge_date = sub.resume_date
            sub.pause_date = sub.resume_date = None
        # 5. a charge due (R-CHARGE-1, R-TRIAL-1, R-SCHED-4)
        if sub.state in ("active", "trial") and sub.interval_unit != "adhoc" \
                and sub.next_charge_date and sub.next_charge_date <= day:
            if not _charge_due(sub, day, out):
                break
        day += dt.timedelta(days=1)
    return out


def _charge_due(sub: Subscription, day: dt.date, out: list) -> bool:
    """billing.daily._charge_due without the writes; False when no charge can come again."""
    scheduled = sub.next_charge_date
    if sub.end_date is not None and scheduled > sub.end_date:
        return True  # R-SCHED-3: none after the end date (deactivated the day after it)
    if sub.rebills_left == 0:
        target = sub.product.renews_into
        if not target:
            return False  # deactivated
        sub._addons = daily.next_phase(sub, subs.find_product(target))
        if sub.interval_unit == "adhoc":
            return False
    base, extra = subs.base_amount(sub), subs.addons_total(subs.held(sub))
    if base + extra > limits.max_amount(sub.currency):
        return False  # R-INPUT-1: never charged; set aside on each run instead
    out.append((day, sub.currency, base, extra))
    charging.renew(sub, scheduled, day)
    return True


def _first_work(values: dict) -> dt.date | None:
    """The first date a group has charge work, from its raw values (cheaper than a stand-in:
    most groups lie beyond the 30 days)."""
    state = values["state"]
    if state == "paused":
        return values["resume_date"]
    dates = [d for d in (values["next_charge_date"], values["pause_date"],
                         values["cancel_date"]) if d is not None]
    return min(dates) if dates else None


def scheduled(today: dt.date, groups: list[tuple], extras: dict[tuple, int],
              home: str) -> dict:
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=AHEAD)
    products = _products()
    by_day: dict[dt.date, dict[str, list[int]]] = defaultdict(dict)
    counts: dict[dt.date, int] = defaultdict(int)
    currencies = {home}
    for row in groups:
        values, count = _key(row[:-1]), row[-1]
        if values["state"] not in SCHEDULED_STATES or values["manual_renew"] \
                or values["interval_unit"] == "adhoc":
            continue
        start = _first_work(values)
        if start is None or start > last:
            continue
        extra = extras.get(tuple(row[:-1]), 0)
        switches = extra and values["rebills_left"] is not None \
            and products[values["product_id"]].renews_into
        held = [subs.Held("", 1, extra)] if extra and not switches else []
        for day, cur, base, addon in charges_ahead(stand_in(values, products, held), first,
                                                   last):
            cell = by_day[day].setdefault(cur, [0, 0])
            cell[0] += base * count + addon
            cell[1] += addon
            counts[day] += count
            currencies.add(cur)
        if switches:  # add-ons taken over at the next product's prices: each on its own
            for sub_id in reports.subscriptions_with_addons(_same_group(values)):
                sub = Subscription.get_by_id(sub_id)
                for day, cur, _base, addon in charges_ahead(sub, first, last):
                    cell = by_day[day].setdefault(cur, [0, 0])
                    cell[0] += addon
                    cell[1] += addon
    def cell(cur: str, amount: int, addons: int) -> dict:
        return {"currency": cur, "amount": _money(amount, cur), "addons": _money(addons, cur)}

    dated, totals = _every_date(first, last, by_day, currencies, cell)
    days = [{"date": d["date"], "charges": counts.get(dt.date.fromisoformat(d["date"]), 0),
             "amounts": d["amounts"]} for d in dated]
    return {"from": first.isoformat(), "to": last.isoformat(), "days": days,
            "charges": sum(counts.values()),
            "totals": [cell(cur, *pair) for cur, pair in totals.items()]}


def _same_group(values: dict):
    condition = None
    for field in reports.GROUP_FIELDS:
        value = values[field.column_name]
        term = field.is_null() if value is None else field == value
        condition = term if condition is None else condition & term
    return condition


# --- the dunning funnel -----------------------------------------------------------------------

def _tally() -> dict:
    return {"count": 0, "amount": 0}


def dunning(first: dt.date, last: dt.date) -> dict:
    """What became of the dunnings begun from `first` to `last`."""
    funnel: dict[str, dict] = {}
    for (currency, declined, collected, kind, action, gone, n, amount,
         got) in reports.declines(first, last):
        f = funnel.setdefault(currency, {
            "declined": _tally(), "retry_days": {d: _tally() for d in RETRY_DAYS_SHOWN},
            "new_payment_method": _tally(), "retry_now": _tally(), "paid": _tally(),
            "deactivated": _tally(), "open": _tally()})
        f["declined"]["count"] += n
        f["declined"]["amount"] += amount
        if collected is None:
            bucket = f["deactivated" if gone else "open"]
            bucket["count"] += n
            bucket["amount"] += amount
            continue
        if kind == "payment":
            bucket = f["paid"]
        elif action == "payment":
            bucket = f["new_payment_method"]
        elif action == "charge":
            bucket = f["retry_now"]
        else:
            bucket = f["retry_days"].setdefault((collected - declined).days, _tally())
        bucket["count"] += n
        bucket["amount"] += got
    out = []
    for cur, f in sorted(funnel.items()):
        ways = [f["new_payment_method"], f["retry_now"], f["paid"], *f["retry_days"].values()]
        out.append({
            "currency": cur,
            "declined": _shown(f["declined"], cur),
            "recovered": {
                **_shown({"count": sum(w["count"] for w in ways),
                          "amount": sum(w["amount"] for w in ways)}, cur),
                "retry_days": [{"day": day, **_shown(t, cur)}
                               for day, t in sorted(f["retry_days"].items())],
                "new_payment_method": _shown(f["new_payment_method"], cur),
                "retry_now": _shown(f["retry_now"], cur),
                "paid": _shown(f["paid"], cur)},
            "deactivated": _shown(f["deactivated"], cur),
            "open": _shown(f["open"], cur)})
    return {"from": first.isoformat(), "to": last.isoformat(), "currencies": out}


def _shown(tally: dict, currency: str) -> dict:
    return {"count": tally["count"], "amount": _money(tally["amount"], currency)}


# --- cases ------------------------------------------------------------------------------------

def cases(now: dt.datetime) -> dict:
    found = {severity: (n, late) for severity, n, late in reports.case_counts(now)}
    rows = [{"severity": severity, "name": name, "open": found.get(severity, (0, 0))[0],
             "past_target": found.get(severity, (0, 0))[1]}
            for severity, name in sorted(case_rules.SEVERITY_NAMES.items())]
    return {"open": sum(r["open"] for r in rows),
            "past_target": sum(r["past_target"] for r in rows), "by_severity": rows}
