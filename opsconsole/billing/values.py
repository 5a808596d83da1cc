"""What a stored subscription's values can be (R-INPUT-1), checked wherever one is read to be
billed, acted on, listed or exported.

No command writes a quantity of -2, a state of 'bogus' or a price of 29.5 minor units, but a
store written to by hand (psql, sqlite3) can hold them, on either engine. Such a row is refused
naming the value (errors.Unreadable), and run-day sets it aside (R-INPUT-3): it is never billed
for what its values would make of it."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..errors import Unreadable
from ..store import rows
from ..store.models import Product, ProductAddon, Subscription
from ..store.states import SUB_STATES
from . import iso, limits

Check = tuple[str, Callable[[Any, Any], bool], str]


def _int(value) -> bool:
    return type(value) is int


def _count_or_none(value, _sub) -> bool:
    return value is None or (_int(value) and 0 <= value <= limits.MAX_COUNT)


def quantity_ok(value) -> bool:
    return _int(value) and 1 <= value <= limits.MAX_QUANTITY


def money_ok(value, top: int) -> bool:
    """Whole minor units from 0 to `top` (a price, an amount)."""
    return _int(value) and 0 <= value <= top


def _money(value, sub) -> bool:
    """An amount in the subscription's currency; where that is unknown (named on its own),
    only whole and not negative."""
    currency = _read(sub, "currency")
    return money_ok(value, limits.max_amount(currency) if currency in iso.CURRENCIES
                    else 2**63 - 1)


def _days(value, _sub) -> bool:
    return _int(value) and 0 <= value <= limits.MAX_DAYS_SETTING


def _interval_length(value, sub) -> bool:
    """Within its unit's limits; where the unit is unknown (named on its own), at least 1."""
    top = limits.MAX_INTERVAL.get(_read(sub, "interval_unit"), 2**63 - 1)
    return _int(value) and 1 <= value <= top


def _discount_value(value, sub) -> bool:
    kind = _read(sub, "discount_type")
    if kind is None:
        return True  # a value left beside no discount is never read
    if not _int(value):
        return False
    return 0 < value <= 10_000 if kind == "percent" else _money(value, sub)


def _notice_days(value, _sub) -> bool:
    parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else [None]
    return all(p is not None and (p == "" or (p.isascii() and p.isdigit() and len(p) < 4))
               for p in parts)


def _date_or_none(value, _sub) -> bool:
    return value is None or (type(value) is dt.date
                             and limits.FIRST_DATE <= value <= limits.LAST_DATE)


def _overdue_since(value, sub) -> bool:
    return value is not None or _read(sub, "state") != "overdue"


# the dates the day's work compares with today: one outside R-INPUT-1's dates (2300-01-01, or
# 'garbage' on SQLite) would hold its work back for ever
SCHEDULE_DATES = ("begin_date", "next_charge_date", "end_date", "trial_end_date", "cancel_date",
                  "pause_date", "resume_date", "overdue_since", "dunning_next", "remind_on")
# the other dates a rule reads (a period start of 1900-01-01 would make a proration free)
OTHER_DATES = ("deactivated_on", "dunning_date", "reminded_for", "last_prorated", "last_run",
               "period_start")
DATES = f"a date from {limits.FIRST_DATE} to {limits.LAST_DATE}"
QUANTITY = f"a whole number from 1 to {limits.MAX_QUANTITY:,}"
MONEY = "whole minor units, from 0 up to 1,000,000 of its currency"
DAYS = f"0 to {limits.MAX_DAYS_SETTING} days"
# what a subscription and the product it takes its terms from (R-SCHED-4) hold alike
TERMS: tuple[Check, ...] = (
    ("currency", lambda v, _: v in iso.CURRENCIES, "an ISO 4217 currency"),
    ("price", _money, MONEY),
    ("interval_unit", lambda v, _: v in limits.MAX_INTERVAL,
     "one of " + ", ".join(limits.MAX_INTERVAL)),
    ("interval_length", _interval_length, "a length its interval unit allows"),
    *((name, _days, DAYS) for name in (
        "reminder_days", "trial_reminder_days", "deactivate_after_days")),
    ("overdue_notice_days", _notice_days, "days as numbers, separated by commas"),
)
SUBSCRIPTION: tuple[Check, ...] = (
    ("state", lambda v, _: v in SUB_STATES, "one of " + ", ".join(SUB_STATES)),
    ("quantity", lambda v, _: quantity_ok(v), QUANTITY),
    *TERMS,
    ("discount_type", lambda v, _: v in (None, "percent", "amount"), "percent, amount or empty"),
    ("discount_value", _discount_value, "a whole number its discount allows"),
    ("discount_remaining", _count_or_none, f"empty or 0 to {limits.MAX_COUNT:,}"),
    ("rebills_left", _count_or_none, f"empty or 0 to {limits.MAX_COUNT:,}"),
    ("dunning_kind", lambda v, _: v in (None, "rebill", "prorate", "manual"),
     "rebill, prorate, manual or empty"),
    ("dunning_amount", lambda v, sub: v is None or _money(v, sub), "empty or " + MONEY),
    ("dunning_attempts", lambda v, _: v is not None and _count_or_none(v, _),
     f"0 to {limits.MAX_COUNT:,}"),
    ("overdue_since", _overdue_since, "a date while it is overdue"),
    *((name, _date_or_none, DATES) for name in SCHEDULE_DATES + OTHER_DATES),
)


def _read(sub, name: str):
    data = getattr(sub, "__data__", None)
    return data.get(name) if data is not None else getattr(sub, name)


_ROW_CHECKS: dict[type, tuple[Check, ...]] = {}


def _row_checks(kind: type) -> tuple[Check, ...]:
    """The checks a light row type (read with some of the columns) can be held to: those whose
    columns it has."""
    checks = _ROW_CHECKS.get(kind)
    if checks is None:
        checks = _ROW_CHECKS[kind] = tuple(
            c for c in SUBSCRIPTION if hasattr(kind, c[0])
            and all(hasattr(kind, n) for n in _READS_TOO.get(c[0], ())))
    return checks


# the other columns a check reads: a light row without them is not held to it
_READS_TOO = {"price": ("currency",), "interval_length": ("interval_unit",),
              "discount_value": ("discount_type", "currency"),
              "dunning_amount": ("currency",), "overdue_since": ("state",)}


PRODUCT: tuple[Check, ...] = (
    *TERMS,
    ("rebills", lambda v, _: v is None or (_int(v) and 1 <= v <= limits.MAX_COUNT),
     f"empty or 1 to {limits.MAX_COUNT:,}"),
    ("trial_days", _days, DAYS),
)


def require_product(product: Product) -> None:
    """Refuse (Unreadable) a product a subscription cannot take on (R-SCHED-4 renews into it):
    its price, interval, settings and its add-on offers' prices held to R-INPUT-1, as the
    subscription's own are, so a renewal never bills a price of -5.00 as 0.00."""
    found: list[tuple] = list(rows.unreadable(Product, product))
    if not found:
        found = [(name, _read(product, name), expected) for name, ok, expected in PRODUCT
                 if not ok(_read(product, name), product)]
    if not found:
        found = [(f"add-on {offer.path} price", offer.price, MONEY)
                 for offer in ProductAddon.select().where(ProductAddon.product == product.id)
                 if not _money(offer.price, product)]
    if found:
        raise Unreadable("product", product.id, found)


def explained(sub) -> list[tuple]:
    """What a subscription holds that would explain a failure reading it: its values
    (problems) or a key naming a row the store lacks (a model's, read lazily)."""
    return problems(sub) or (rows.dangling(Subscription, sub) if hasattr(sub, "__data__")
                             else [])


def problems(sub) -> list[tuple]:
    """(what, value[, expected]) for each value of a subscription (a model or a light row)
    that no subscription can hold: of the wrong type, or outside what R-INPUT-1 lets in."""
    found: list[tuple] = list(rows.unreadable(Subscription, sub))
    if found:
        return found  # its other checks would only repeat them
    checks = SUBSCRIPTION if hasattr(sub, "__data__") else _row_checks(type(sub))
    found = [(name, _read(sub, name), expected) for name, ok, expected in checks
             if not ok(_read(sub, name), sub)]
    for held in getattr(sub, "_addons", None) or ():
        if not quantity_ok(held.quantity):
            found.append((f"add-on {held.path} quantity", held.quantity, QUANTITY))
        if not _money(held.price, sub):
            found.append((f"add-on {held.path} price", held.price, MONEY))
    return found


_TOPS: dict[str, int] = {}  # currency -> its largest amount in minor units
_NOTICES: dict[str, bool] = {}  # overdue_notice_days text -> whether it reads as days


def terms_fine(price, quantity, state, unit, length, top: int) -> bool:
    """The values every reader of a subscription's amount holds it to, at speed (the day's
    fast check, a bulk price change's plan); problems() names what fails."""
    return (type(quantity) is int and 1 <= quantity <= limits.MAX_QUANTITY
            and type(price) is int and 0 <= price <= top and state in SUB_STATES
            and type(length) is int and 1 <= length <= limits.MAX_INTERVAL.get(unit, 0))


def _fine(get: Callable[[str], Any], addons, full: bool) -> bool:
    """The common case at speed (a due subscription of a day of a million): True when none of
    SUBSCRIPTION's checks, nor an add-on's, fails. `full`: a model, with every column; else a
    light row read with present.READS, held to those of its columns. What fails here is named
    by problems(); tests/core/test_values.py holds the two to the same answers."""
    currency = get("currency")
    top = _TOPS.get(currency)
    if top is None:
        if currency not in iso.CURRENCIES:
            return False
        top = _TOPS[currency] = limits.max_amount(currency)
    state, kind = get("state"), get("discount_type")
    if not terms_fine(get("price"), get("quantity"), state, get("interval_unit"),
                      get("interval_length"), top):
        return False
    if kind is not None:
        value = get("discount_value")
        if type(value) is not int or not (0 < value <= 10_000 if kind == "percent"
                                          else kind == "amount" and 0 <= value <= top):
            return False
    remaining = get("discount_remaining")
    if remaining is not None and not _count_or_none(remaining, None):
        return False
    if state == "overdue" and get("overdue_since") is None:
        return False
    for name in ("manual_renew", "live"):  # 'no' or 7 (a hand-edited store) are kept as such
        flag = get(name)
        if flag is not None and type(flag) is not bool:
            return False
    for name in SCHEDULE_DATES + OTHER_DATES:
        day = get(name)
        if day is not None and not (type(day) is dt.date
                                    and limits.FIRST_DATE <= day <= limits.LAST_DATE):
            return False
    if full:
        rebills, kind = get("rebills_left"), get("dunning_kind")
        if rebills is not None and not _count_or_none(rebills, None):
            return False
        if kind is not None and kind not in ("rebill", "prorate", "manual"):
            return False
        owed = get("dunning_amount")
        if owed is not None and not (type(owed) is int and 0 <= owed <= top):
            return False
        for name in ("reminder_days", "trial_reminder_days", "deactivate_after_days"):
            days = get(name)
            if not (type(days) is int and 0 <= days <= limits.MAX_DAYS_SETTING):
                return False
        attempts = get("dunning_attempts")
        if not (type(attempts) is int and 0 <= attempts <= limits.MAX_COUNT):
            return False
        notices = get("overdue_notice_days")
        fine = _NOTICES.get(notices) if type(notices) is str else False
        if fine is None:
            fine = _NOTICES[notices] = _notice_days(notices, None)
        if not fine:
            return False
    for held in addons or ():
        if not (type(held.quantity) is int and 1 <= held.quantity <= limits.MAX_QUANTITY
                and type(held.price) is int and 0 <= held.price <= top):
            return False
    return True


def require(sub, thorough: bool = False) -> None:
    """Refuse (Unreadable, naming each value) a subscription no rule can be run on. Unless
    `thorough` (one subscription, to act on), a value of another type in a column the fast
    check does not read (a date of 'garbage') fails where it is read, and the reader names it
    (present.reading, daily's set-aside)."""
    if not thorough:
        data = getattr(sub, "__data__", None)
        get = data.get if data is not None else (lambda name: getattr(sub, name, None))
        if _fine(get, getattr(sub, "_addons", None), data is not None):
            return
    found = problems(sub)
    if found:
        raise Unreadable("subscription", _read(sub, "id"), found)
