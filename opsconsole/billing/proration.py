"""Proration (R-PRORATE-*): the quote is pure arithmetic; confirming charges or refunds the net
and saves the change."""

import datetime as dt
from dataclasses import dataclass

from ..store.models import Charge, Product, Subscription
from . import addons, charging, limits, outbox, present, subs
from .actions import Outcome, operator_action, written
from .errors import DomainError
from .money import fraction_of
from .schedule import add_months, days_between

UPDATED = "Subscription Updated"
RETURNED = "Refund Receipt"


@dataclass(frozen=True)
class Change:
    product: Product
    price: int
    quantity: int
    addons: tuple = ()  # the add-ons after the change (a new product keeps those it offers)


@dataclass(frozen=True)
class Quote:
    period_start: dt.date
    period_end: dt.date
    total: int
    left: int
    old_amount: int
    new_amount: int
    credit: int
    charge: int
    net: int
    last_prorated: dt.date | None


def compute(old_amount: int, new_amount: int, period_start: dt.date, period_end: dt.date,
            today: dt.date, last_prorated: dt.date | None = None) -> Quote:
    """R-PRORATE-2. Days are whole calendar days; each amount is rounded once, half-up."""
    total = days_between(period_start, period_end)
    left = min(max(days_between(today, period_end), 0), total)
    credit = fraction_of(old_amount, left, total)
    charge = fraction_of(new_amount, left, total)
    return Quote(period_start, period_end, total, left, old_amount, new_amount, credit, charge,
                 charge - credit, last_prorated)


def _change(sub: Subscription, price: str | None, quantity: int | None,
            product_path: str | None) -> Change:
    product = sub.product
    if product_path is not None and product_path != product.path:
        product = subs.find_product(product_path, checked=True)
        if product.interval_unit != sub.interval_unit or \
                product.interval_length != sub.interval_length:
            raise DomainError(
                f"{product.path} bills every {product.interval_length} {product.interval_unit}; "
                "the change would also move the next charge date, so it cannot be prorated")
        if price is None and product.currency != sub.currency:
            raise DomainError(f"{product.path} is priced in {product.currency}, the subscription "
                              f"in {sub.currency}: give the new price")
    if price is not None:
        new_price = limits.price(price, sub.currency, "the new price")
    elif product.id != sub.product_id:
        new_price = product.price
    else:
        new_price = sub.price
    new_quantity = sub.quantity if quantity is None else limits.quantity(quantity)
    held = subs.held(sub)
    kept = held if product.id == sub.product_id else addons.under(product, held)[0]
    change = Change(product, new_price, new_quantity, tuple(kept))
    if (change.product.id, change.price, change.quantity) == (sub.product_id, sub.price,
                                                              sub.quantity):
        raise DomainError("nothing to change: give a new price, quantity or product")
    return change


def check_allowed(sub: Subscription, today: dt.date) -> None:
    """R-PRORATE-1: the reasons a change cannot be prorated."""
    label = f"subscription {sub.id}"
    if sub.interval_unit == "adhoc":
        raise DomainError(f"{label} is managed (adhoc); it has no period to prorate")
    if sub.state != "active":
        raise DomainError(f"only an active subscription can be prorated; {label} is {sub.state}")
    if sub.pause_date:
        raise DomainError(f"{label} has a pause scheduled from {sub.pause_date}")
    if not sub.payment_method_id:
        raise DomainError(f"{label} has no payment method")
    if add_months(sub.begin_date, 6) < today:
        raise DomainError(f"{label} began on {sub.begin_date}, more than 6 months ago; "
                          "only the first 6 months can be prorated")
    if Charge.select().where(Charge.subscription == sub, Charge.date == today).exists():
        raise DomainError("Last charge is still pending: a charge of this subscription is "
                          "dated today")


def _quote(sub: Subscription, change: Change, today: dt.date) -> Quote:
    """R-PRORATE-2: over the current period, from the scheduled date it began (as the store
    recorded it, or the schedule's fallback) to the next charge; amounts with add-ons."""
    end = sub.next_charge_date
    start = subs.period_start(sub)
    assert start is not None and end is not None  # check_allowed: active, not adhoc
    new_amount = subs.amount(sub, change.price, change.quantity, list(change.addons))
    return compute(subs.amount(sub), new_amount, start, end, today, sub.last_prorated)


@dataclass
class Review:
    quote: Quote
    old: dict
    new: dict
    currency: str

    def as_dict(self) -> dict:
        """The contract's prorate JSON, with the period and both sides added."""
        from .money import format_amount

        q = self.quote
        fmt = lambda v: format_amount(v, self.currency)  # noqa: E731
        return {"left": q.left, "total": q.total, "credit": fmt(q.credit),
                "charge": fmt(q.charge), "net": fmt(q.net),
                "last_prorated": q.last_prorated.isoformat() if q.last_prorated else None,
                "period_start": q.period_start.isoformat(),
                "period_end": q.period_end.isoformat(), "currency": self.currency,
                "old": self.old, "new": self.new}


def _sides(sub: Subscription, change: Change) -> tuple[dict, dict]:
    from .money import format_amount as fmt

    old = {"product": sub.product.path, "price": fmt(sub.price, sub.currency),
           "quantity": sub.quantity, "amount": fmt(subs.amount(sub), sub.currency)}
    new = {"product": change.product.path, "price": fmt(change.price, sub.currency),
           "quantity": change.quantity,
           "amount": fmt(subs.amount(sub, change.price, change.quantity, list(change.addons)),
                         sub.currency)}
    return old, new


def review(ref, price: str | None = None, quantity: int | None = None,
           product: str | None = None) -> Review:
    """The review an operator sees before confirming. Writes nothing."""
    from ..store import context

    ctx = context.current()
    sub = subs.find(ref)
    change = _change(sub, price, quantity, product)  # bad input first, whatever the state
    check_allowed(sub, ctx.today)
    return Review(_quote(sub, change, ctx.today), *_sides(sub, change), sub.currency)


def confirm(ref, price: str | None = None, quantity: int | None = None,
            product: str | None = None, operator: str | None = None) -> tuple[Review, Outcome]:
    """R-PRORATE-3: charge or refund the net, then save the change."""
    with operator_action(operator, "prorate", ref) as (ctx, sub, detail):
        change = _change(sub, price, quantity, product)
        check_allowed(sub, ctx.today)
        quote = _quote(sub, change, ctx.today)
        seen = Review(quote, *_sides(sub, change), sub.currency)
        detail.update(left=quote.left, total=quote.total, credit=quote.credit,
                      charge=quote.charge, net=quote.net)
        row: Charge | None = None
        if quote.net > 0:
            row = written(charging.attempt(ctx, sub, "prorate", ctx.today, quote.net))
        elif quote.net < 0:
            row = Charge.create(subscription=sub, scheduled_date=ctx.today, kind="refund",
                                attempt=charging.next_attempt(sub, ctx.today, "refund"),
                                date=ctx.today, amount=-quote.net, currency=sub.currency,
                                status="completed", at=ctx.now)
        if change.product.id != sub.product_id:
            sub.product = change.product
            sub.rebills_left = subs.first_rebills_left(change.product, 1)
            subs.set_held(sub, list(change.addons))
        sub.price, sub.quantity = change.price, change.quantity
        if quote.net:
            sub.last_prorated = ctx.today
        subs.persist(sub)
        if row is not None and row.kind == "refund":
            outbox.event(ctx, sub, "return.created")
            outbox.email(ctx, sub, RETURNED)
        outbox.event(ctx, sub, "subscription.updated")
        outbox.email(ctx, sub, UPDATED)
        if row is not None and row.kind == "prorate":
            if row.status == "completed":
                charging.completed(ctx, sub)
            else:
                charging.start_dunning(ctx, sub, "prorate", ctx.today, quote.net)
        message = "change saved"
        if row is not None and row.status == "failed":
            message = f"change saved; prorated charge {row.reason}, now overdue"
        return seen, Outcome(present.subscription(sub), message,
                             ok=row is None or row.status == "completed",
                             charge=present.charge(row) if row is not None else None)
