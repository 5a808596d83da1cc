"""Rows as plain dicts: the JSON shapes of the command-line contract, shared with the console."""

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable, Iterator

import peewee as pw

from .. import errors
from ..errors import Unreadable
from ..store import bulkload, rows
from ..store.context import iso
from ..store.models import Charge, Event, Notification, Subscription
from . import money, values
from .subs import amount, held, is_repeat_trial


def _date(value):
    return value.isoformat() if value else None


# What `subscription` reads (its amount, add-ons and repeat-trial flag included): a light row
# of just these is enough to present one (bulkload.subscription_rows). A field it reads and
# this leaves out fails loudly on a row (tests/core/test_batched.py presents rows and models).
READS = bulkload.Reads(
    subscription=("id", "reference_id", "state", "quantity", "currency", "price",
                  "interval_unit", "interval_length", "begin_date", "next_charge_date",
                  "end_date", "trial_end_date", "cancel_date", "pause_date", "resume_date",
                  "manual_renew", "discount_type", "discount_value", "discount_remaining",
                  "overdue_since", "last_prorated"),
    account=("email", "first", "last"),
    payment_method=("last4", "expiry"))


def subscription(sub: Subscription) -> dict:
    """The subscription as the contract shows it, and as every event's payload (R-EVT-1). A
    model or a light row of one (store/rows). A row holding a value its column cannot hold
    (a store file written to by hand) is refused naming it (Unreadable), never half shown."""
    with reading(sub):
        return _shown(sub)


@contextlib.contextmanager
def reading(sub: Subscription) -> Iterator[None]:
    """Reading a subscription for a reader (its payload, its export row): a failure that its
    values explain is raised as Unreadable naming them; any other goes on as it is."""
    try:
        yield
    except pw.DoesNotExist:  # a foreign key naming a row the store does not have
        raise Unreadable("subscription", sub.id, rows.dangling(Subscription, sub)) from None
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError):
        held(sub)  # its add-ons, read so they are named too
        found = values.explained(sub)
        if not found:
            raise  # not the row's values: a fault of ours, to be seen as one
        raise Unreadable("subscription", sub.id, found) from None


def listed(sub: Subscription) -> dict:
    """`subscription`, for a list or an export: also refused (Unreadable) when it holds a value
    of its type that no subscription can (billing/values: a quantity of -2)."""
    values.require(sub)
    return subscription(sub)


def readable(subscriptions: Iterable[Subscription], unread: list[Unreadable]) -> Iterator[dict]:
    """Each subscription as `subscription` shows it; one that cannot be read is left out and
    added to `unread`, for the caller to say (a list shows the others)."""
    return errors.readable(subscriptions, listed, unread)


def _shown(sub: Subscription) -> dict:
    """`subscription`: a model's columns are read from its data (through each field's
    descriptor they would add ~4 µs to every event's payload), a row's as its attributes."""
    data = getattr(sub, "__data__", None)
    v = data.get if data is not None else functools.partial(getattr, sub)
    currency = v("currency")
    items = held(sub)
    pm = sub.payment_method
    account = sub.account
    discount = None
    kind = v("discount_type")
    if kind:
        off = v("discount_value")
        assert off is not None, "a discount with no value"  # importer: _discount
        value = (money.format_percent(off) if kind == "percent"
                 else money.format_amount(off, currency))
        discount = {"type": kind, "value": value, "remaining": v("discount_remaining")}
    return {
        "id": v("id"),
        "reference_id": v("reference_id"),
        "state": v("state"),
        "product": sub.product.path,
        "quantity": v("quantity"),
        "currency": currency,
        "price": money.format_amount(v("price"), currency),
        "amount": money.format_amount(amount(sub, addons=items), currency),
        "interval": v("interval_unit"),
        "interval_length": v("interval_length"),
        "begin_date": _date(v("begin_date")),
        "next_charge_date": _date(v("next_charge_date")),
        "end_date": _date(v("end_date")),
        "trial_end_date": _date(v("trial_end_date")),
        "cancel_date": _date(v("cancel_date")),
        "pause_date": _date(v("pause_date")),
        "resume_date": _date(v("resume_date")),
        "manual_renew": v("manual_renew"),
        "payment_method": {"last4": pm.last4, "expiry": pm.expiry} if pm else None,
        "discount": discount,
        "addons": [{"path": h.path, "quantity": h.quantity,
                    "price": money.format_amount(h.price, currency)} for h in items],
        "repeat_trial": is_repeat_trial(sub),
        "customer": {"email": account.email, "first": account.first, "last": account.last},
        "overdue_since": _date(v("overdue_since")),
        "last_prorated": _date(v("last_prorated")),
    }


def charge(row: Charge) -> dict:
    return {
        "id": row.id,
        "subscription": row.subscription_id,
        "date": _date(row.date),
        "scheduled_date": _date(row.scheduled_date),
        "amount": money.format_amount(row.amount, row.currency),
        "currency": row.currency,
        "kind": row.kind,
        "status": row.status,
        "reason": row.reason,
    }


def event(row: Event, timezone: str) -> dict:
    return {"type": row.type, "subscription": row.subscription_id, "at": iso(row.at, timezone),
            "payload": rows.loads(row.payload, "event", row.id, "payload")}


def notification(row: Notification, timezone: str) -> dict:
    return {"template": row.template, "to": row.recipient, "subscription": row.subscription_id,
            "at": iso(row.at, timezone)}


def flags(s: dict, today=None) -> list[str]:
    """What an operator should notice beside a subscription's state. With `today`, the short
    form a table has room for (month-day dates, days late)."""
    if s.get("unreadable"):  # a list's stand-in for a row it cannot read (views)
        return ["cannot be read"]
    if s["state"] == "deactivated":
        return []
    day = (lambda d: d[5:]) if today else (lambda d: d)  # noqa: E731
    found = []
    if s["state"] == "paused":
        found.append(f"{'back' if today else 'resumes'} {day(s['resume_date'])}")
    elif s["pause_date"]:
        found.append(f"pause {day(s['pause_date'])}")
    # a cancel date is the day it deactivates; an end date its last active day (R-SCHED-3),
    # "Ends" as the detail screen says: whichever comes first is shown
    ends_first = s["end_date"] and (not s["cancel_date"] or s["end_date"] < s["cancel_date"])
    if ends_first:
        found.append(f"ends {day(s['end_date'])}")
    elif s["cancel_date"]:
        found.append(f"cancel {day(s['cancel_date'])}")
    if s["overdue_since"]:
        if today:
            found.append(f"late {(today - dt.date.fromisoformat(s['overdue_since'])).days}d")
        else:
            found.append(f"overdue since {s['overdue_since']}")
    if s["manual_renew"]:
        found.append("manual")
    if s.get("repeat_trial"):
        found.append("repeat trial")
    return found
