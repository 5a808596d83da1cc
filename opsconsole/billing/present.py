"""Rows as plain dicts: the JSON shapes of the command-line contract, shared with the console."""

import datetime as dt

from ..store.context import iso
from ..store.models import Charge, Event, Notification, Subscription
from . import money
from .subs import amount, held, is_repeat_trial


def _date(value):
    return value.isoformat() if value else None


def subscription(sub: Subscription) -> dict:
    """The subscription as the contract shows it, and as every event's payload (R-EVT-1)."""
    v = sub.__data__  # column values, as each field's descriptor reads them
    currency = v.get("currency")
    pm = sub.payment_method
    account = sub.account
    discount = None
    kind = v.get("discount_type")
    if kind:
        value = (money.format_percent(v.get("discount_value")) if kind == "percent"
                 else money.format_amount(v.get("discount_value"), currency))
        discount = {"type": kind, "value": value, "remaining": v.get("discount_remaining")}
    return {
        "id": v.get("id"),
        "reference_id": v.get("reference_id"),
        "state": v.get("state"),
        "product": sub.product.path,
        "quantity": v.get("quantity"),
        "currency": currency,
        "price": money.format_amount(v.get("price"), currency),
        "amount": money.format_amount(amount(sub), currency),
        "interval": v.get("interval_unit"),
        "interval_length": v.get("interval_length"),
        "begin_date": _date(v.get("begin_date")),
        "next_charge_date": _date(v.get("next_charge_date")),
        "end_date": _date(v.get("end_date")),
        "trial_end_date": _date(v.get("trial_end_date")),
        "cancel_date": _date(v.get("cancel_date")),
        "pause_date": _date(v.get("pause_date")),
        "resume_date": _date(v.get("resume_date")),
        "manual_renew": v.get("manual_renew"),
        "payment_method": {"last4": pm.last4, "expiry": pm.expiry} if pm else None,
        "discount": discount,
        "addons": [{"path": h.path, "quantity": h.quantity,
                    "price": money.format_amount(h.price, currency)} for h in held(sub)],
        "repeat_trial": is_repeat_trial(sub),
        "customer": {"email": account.email, "first": account.first, "last": account.last},
        "overdue_since": _date(v.get("overdue_since")),
        "last_prorated": _date(v.get("last_prorated")),
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
    import json

    return {"type": row.type, "subscription": row.subscription_id, "at": iso(row.at, timezone),
            "payload": json.loads(row.payload)}


def notification(row: Notification, timezone: str) -> dict:
    return {"template": row.template, "to": row.recipient, "subscription": row.subscription_id,
            "at": iso(row.at, timezone)}


def flags(s: dict, today=None) -> list[str]:
    """What an operator should notice beside a subscription's state. With `today`, the short
    form a table has room for (month-day dates, days late)."""
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
