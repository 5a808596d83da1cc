"""Change without proration (R-CHANGE-1): the next charge date, the end date, the product, the
quantity or the price, effective from the next charge. Nothing is charged or refunded now."""

import datetime as dt
from dataclasses import dataclass, field

from ..store import context
from ..store.models import Product, Subscription
from . import addons, limits, outbox, subs
from .actions import Outcome, _outcome, _refuse_deactivated, operator_action
from .errors import DomainError
from .money import format_amount
from .subs import Held

UPDATED = "Subscription Updated"


@dataclass
class Plan:
    """What a change would set, and the next charge before and after it."""

    product: Product
    price: int
    quantity: int
    next_charge_date: dt.date | None
    end_date: dt.date | None
    addons: list[Held]
    dropped: list[Held] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # field -> [old, new], as shown


def _label(sub: Subscription) -> str:
    return f"subscription {sub.id}"


def _next_date_allowed(sub: Subscription, day: dt.date, today: dt.date) -> dt.date:
    limits.date(day, "the next charge date")
    if sub.interval_unit == "adhoc":
        raise DomainError(f"{_label(sub)} is managed (adhoc): it has no next charge date")
    if day <= today:
        raise DomainError(f"the next charge date must be after today ({today}), not {day}")
    if sub.state == "overdue":
        raise DomainError(f"{_label(sub)} is overdue since {sub.overdue_since}: its missed "
                          "charge is being collected; charge it or cancel it first")
    if sub.state == "paused":
        raise DomainError(f"{_label(sub)} is paused until {sub.resume_date}; resume it first")
    if sub.pause_date:
        raise DomainError(f"{_label(sub)} has a pause scheduled from {sub.pause_date}; cancel "
                          "the pause first")
    if sub.cancel_date:
        raise DomainError(f"{_label(sub)} is canceled (deactivates on {sub.cancel_date}); "
                          "uncancel it first")
    return day


def plan(sub: Subscription, today: dt.date, next_charge_date: dt.date | None = None,
         end_date: dt.date | None = None, no_end_date: bool = False,
         product: str | None = None, quantity: int | None = None,
         price: str | None = None) -> Plan:
    """R-CHANGE-1's checks and the change they allow; writes nothing."""
    _refuse_deactivated(sub, "changed")
    if end_date is not None and no_end_date:
        raise DomainError("give an end date or no end date, not both")
    if (next_charge_date, end_date, product, quantity, price) == (None,) * 5 \
            and not no_end_date:
        raise DomainError("nothing to change: give a next charge date, an end date, a "
                          "product, a quantity or a price")
    new_product = sub.product
    if product is not None and product != sub.product.path:
        new_product = subs.find_product(product, checked=True)
        if new_product.currency != sub.currency:
            raise DomainError(f"{new_product.path} is priced in {new_product.currency}, "
                              f"{_label(sub)} is billed in {sub.currency}: the currencies "
                              "differ")
        if (new_product.interval_unit == "adhoc") != (sub.interval_unit == "adhoc"):
            managed = new_product if new_product.interval_unit == "adhoc" else sub.product
            raise DomainError(f"{managed.path} is managed (adhoc) and the other is scheduled; "
                              "a subscription cannot change between the two")
    new_price = sub.price
    if price is not None:
        new_price = limits.price(price, sub.currency, "the new price")
    elif new_product.id != sub.product_id:
        new_price = new_product.price
    new_quantity = sub.quantity if quantity is None else limits.quantity(quantity)
    new_next = sub.next_charge_date
    if next_charge_date is not None:
        new_next = _next_date_allowed(sub, next_charge_date, today)
    new_end = None if no_end_date else sub.end_date
    if end_date is not None:
        limits.date(end_date, "the end date")
        if end_date < today:
            raise DomainError(f"the end date must be today ({today}) or later, not {end_date}")
        new_end = end_date
    held = subs.held(sub)
    kept, dropped = (held, []) if new_product.id == sub.product_id else \
        addons.under(new_product, held)
    result = Plan(new_product, new_price, new_quantity, new_next, new_end, kept, dropped)
    cur = sub.currency
    for name, old, new in (
            ("product", sub.product.path, new_product.path),
            ("price", format_amount(sub.price, cur), format_amount(new_price, cur)),
            ("quantity", sub.quantity, new_quantity),
            ("next_charge_date", _iso(sub.next_charge_date), _iso(new_next)),
            ("end_date", _iso(sub.end_date), _iso(new_end))):
        if old != new:
            result.changes[name] = [old, new]
    if dropped:
        result.changes["addons_dropped"] = [h.path for h in dropped]
    if not result.changes:
        raise DomainError(f"nothing to change: {_label(sub)} is like that already")
    addons.refuse_over_limit(sub, subs.amount(sub, new_price, new_quantity, kept))
    return result


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _charges_on(sub: Subscription, day: dt.date | None, end: dt.date | None) -> bool:
    return day is not None and (end is None or day <= end) and \
        (sub.cancel_date is None or day < sub.cancel_date)


def next_charge(sub: Subscription, p: Plan) -> dict:
    """The next charge before and after the change (date and amount; no date: none comes)."""
    cur = sub.currency
    before_on = sub.next_charge_date if _charges_on(sub, sub.next_charge_date,
                                                    sub.end_date) else None
    after_on = p.next_charge_date if _charges_on(sub, p.next_charge_date, p.end_date) else None
    managed = sub.interval_unit == "adhoc"
    return {"currency": cur,
            "before": {"date": _iso(before_on), "managed": managed,
                       "amount": format_amount(subs.amount(sub), cur)},
            "after": {"date": _iso(after_on), "managed": managed, "amount": format_amount(
                subs.amount(sub, p.price, p.quantity, p.addons), cur)}}


def preview(ref, **change) -> dict:
    """What the change would do to the next charge. Writes nothing."""
    sub = subs.find(ref)
    p = plan(sub, context.current().today, **change)
    return {"id": sub.id, **next_charge(sub, p), "changes": p.changes}


def change(ref, operator: str | None = None, **change) -> Outcome:
    """R-CHANGE-1: save the change; it takes effect at the next charge, no proration."""
    with operator_action(operator, "change", ref) as (ctx, sub, detail):
        p = plan(sub, ctx.today, **change)
        seen = next_charge(sub, p)
        start = subs.period_start(sub)  # of the period as it is, before anything moves
        if p.product.id != sub.product_id:
            sub.product = p.product
            sub.interval_unit, sub.interval_length = (p.product.interval_unit,
                                                      p.product.interval_length)
            sub.rebills_left = subs.first_rebills_left(p.product, 0)
        if p.addons != subs.held(sub):
            subs.set_held(sub, p.addons)
        sub.price, sub.quantity = p.price, p.quantity
        if p.next_charge_date != sub.next_charge_date:
            new_next = p.next_charge_date
            assert new_next is not None  # it moves only to a date given (plan)
            # R-PRORATE-2: the current period still began where it did; it now ends elsewhere
            sub.next_charge_date = new_next
            sub.period_start = start if start is not None and start < new_next else None
            if sub.state == "trial":  # a trial runs to the day before its first charge
                sub.trial_end_date = new_next - dt.timedelta(days=1)
        sub.end_date = p.end_date
        detail.update(changes=p.changes)
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        outbox.email(ctx, sub, UPDATED)
        before, after = seen["before"], seen["after"]
        dropped = f"; add-ons dropped: {', '.join(h.path for h in p.dropped)}" \
            if p.dropped else ""
        return _outcome(sub, f"changed; next charge {_say(before, seen['currency'])} -> "
                             f"{_say(after, seen['currency'])}{dropped}")


def _say(charge: dict, currency: str) -> str:
    if charge["date"] is None:
        return f"{charge['amount']} {currency} by hand" if charge["managed"] else "none"
    return f"{charge['date']} {charge['amount']} {currency}"
