"""A charge attempt and what follows it: renewal (R-CHARGE-2), dunning (R-DUN-1), deactivation."""

import datetime as dt
from typing import NamedTuple

import peewee as pw

from ..store import batch
from ..store.context import Ctx
from ..store.models import Charge, Subscription
from . import gateway, limits, outbox
from .schedule import advance, period_after
from .subs import end_after_last_charge, next_dunning_date, persist, use_discount

RECEIPT = "Payment Receipt"
CHARGE_FAILED = "Charge Failed"
DEACTIVATED = "Subscription Deactivated"


class Collected(NamedTuple):
    """A charge row a batch has collected, not yet written: what the rules read of it."""

    status: str
    reason: str | None


def next_attempt(sub: Subscription, scheduled: dt.date, kind: str) -> int:
    last = (Charge.select(pw.fn.MAX(Charge.attempt))
            .where(Charge.subscription == sub, Charge.scheduled_date == scheduled,
                   Charge.kind == kind).scalar())
    return (last or 0) + 1


def attempt(ctx: Ctx, sub: Subscription, kind: str, scheduled: dt.date, amount: int,
            token: str | None = None, number: int | None = None) -> Charge | Collected:
    """Ask the gateway and write the charge row. A rebill is always attempt 1, so a second
    write of it for the same scheduled date fails on the unique key (R-REL-1)."""
    limits.charge(amount, sub.currency)  # R-INPUT-1: asked of the gateway never
    if token is None and sub.payment_method_id:
        method = sub.payment_method
        assert method is not None, "payment method gone"  # a foreign key keeps its row
        token = method.token
    if number is None:
        number = 1 if kind == "rebill" else next_attempt(sub, scheduled, kind)
    key = f"{sub.id}:{scheduled}:{kind}:{number}"  # the charge row's unique key (R-REL-1)
    result = gateway.charge(token, amount, sub.currency, key) if amount > 0 \
        else gateway.Result(True)
    status = "completed" if result.approved else "failed"
    row = batch.insert(Charge, subscription=sub.id, scheduled_date=scheduled, kind=kind,
                       attempt=number, date=ctx.today, amount=amount, currency=sub.currency,
                       status=status, reason=result.reason, reference=result.reference,
                       at=ctx.now)
    # in a batch the row is written at its end; the rules read only its outcome
    return row if row is not None else Collected(status, result.reason)


def next_after(scheduled: dt.date, unit: str, length: int, today: dt.date) -> dt.date:
    """The first scheduled date after `scheduled` that is also after today."""
    day = advance(scheduled, unit, length)
    while day <= today:
        day = advance(day, unit, length)
    return day


def clear_dunning(sub: Subscription) -> None:
    sub.overdue_since = None
    sub.dunning_kind = None
    sub.dunning_date = None
    sub.dunning_amount = None
    sub.dunning_next = None


def renew(sub: Subscription, scheduled: dt.date, today: dt.date) -> None:
    """A charge for `scheduled` succeeded: the next date advances from the scheduled date,
    never from the day it succeeded (R-SCHED-2), and any dunning ends. Missed periods are
    never billed to catch up: a next date still not after today moves on until it is, with no
    further charge (R-INPUT-2)."""
    sub.state = "active"
    # R-PRORATE-2: the period this charge began is recorded with it
    sub.period_start, sub.next_charge_date = period_after(
        scheduled, sub.interval_unit, sub.interval_length, today)
    use_discount(sub)
    if sub.rebills_left is not None:
        sub.rebills_left = max(sub.rebills_left - 1, 0)
        end_after_last_charge(sub)
    clear_dunning(sub)


def completed(ctx: Ctx, sub: Subscription) -> None:
    outbox.event(ctx, sub, "subscription.charge.completed")
    outbox.email(ctx, sub, RECEIPT)


def failed(ctx: Ctx, sub: Subscription) -> None:
    outbox.event(ctx, sub, "subscription.charge.failed")


def start_dunning(ctx: Ctx, sub: Subscription, kind: str, scheduled: dt.date,
                  amount: int) -> None:
    """R-DUN-1: overdue, day 0 is today; 'Charge Failed' goes to the customer."""
    sub.state = "overdue"
    sub.overdue_since = ctx.today
    sub.dunning_kind = kind
    sub.dunning_date = scheduled
    sub.dunning_amount = amount
    sub.dunning_next = next_dunning_date(sub, 0)
    persist(sub)
    failed(ctx, sub)
    outbox.email(ctx, sub, CHARGE_FAILED)


def collected(ctx: Ctx, sub: Subscription) -> None:
    """A retry of what dunning was collecting succeeded (R-DUN-2, R-CHARGE-3)."""
    if sub.dunning_kind == "prorate":
        sub.state = "active"
        clear_dunning(sub)
    else:
        scheduled = sub.dunning_date
        assert scheduled is not None, "overdue with no dunning date"  # charging.start_dunning
        renew(sub, scheduled, ctx.today)
    persist(sub)
    completed(ctx, sub)


def retry(ctx: Ctx, sub: Subscription) -> Charge | Collected:
    """Charge what dunning is collecting, now. The caller decides what a decline means."""
    scheduled, owed = sub.dunning_date, sub.dunning_amount
    assert scheduled is not None and owed is not None, "overdue with no dunning date or amount"
    row = attempt(ctx, sub, "retry", scheduled, owed)
    if row.status == "completed":
        collected(ctx, sub)
    return row


def deactivate(ctx: Ctx, sub: Subscription, email: bool) -> None:
    sub.state = "deactivated"
    sub.deactivated_on = ctx.today
    if sub.pause_date and sub.pause_date > ctx.today:
        sub.pause_date = sub.resume_date = None
    sub.dunning_next = None
    persist(sub)
    outbox.event(ctx, sub, "subscription.deactivated")
    if email:
        outbox.email(ctx, sub, DEACTIVATED)
