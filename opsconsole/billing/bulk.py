"""Bulk price update (R-BULK-1): a preview of every change, then one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from ..store import batch, bulkload, context, queries
from ..store.models import Product, Subscription, database
from . import iso, limits, outbox, present, subs, values
from .errors import DomainError
from .money import format_amount, format_percent, fraction_of, parse_percent, round_half_up

UPDATED = "Subscription Updated"
CHUNK = 2000  # subscriptions loaded and written at a time

# Periods per month, to show the change in monthly revenue.
_PER_MONTH = {"day": Decimal(365) / 12, "week": Decimal(52) / 12, "month": Decimal(1),
              "year": Decimal(1) / 12}


@dataclass
class Plan:
    product: str
    currency: str
    rows: list[tuple[int, int, int]]  # (subscription id, old unit price, new unit price)
    monthly_change: int = 0
    warnings: list[str] = field(default_factory=list)
    # the selection's monthly revenue before and after, add-ons included (R-ADDON-3), and the
    # add-ons' part of it (a new unit price leaves that part as it is)
    monthly_before: int = 0
    monthly_after: int = 0
    monthly_addons: int = 0
    # the change asked for, as the audit row names it: {"price": "35.00"} or {"percent": "10"}
    change: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        fmt = lambda v: format_amount(v, self.currency)  # noqa: E731
        return {"count": len(self.rows), "product": self.product, "currency": self.currency,
                "monthly_change": fmt(self.monthly_change), "warnings": self.warnings,
                "monthly_before": fmt(self.monthly_before),
                "monthly_after": fmt(self.monthly_after),
                "monthly_addons": fmt(self.monthly_addons),
                "rows": [{"id": i, "old": fmt(o), "new": fmt(n)} for i, o, n in self.rows]}


def _selection(product_path: str, currency: str | None):
    product = subs.find_product(product_path)
    query = Subscription.select().where(Subscription.product == product,
                                        Subscription.state != "deactivated")
    # (currency,) rows: peewee's stubs read .tuples() as rows of the model
    rows = cast(Iterable[tuple[str]], query.select(Subscription.currency).distinct().tuples())
    currencies = sorted({c for (c,) in rows})
    if currency is not None:
        currency = iso.currency(currency)
        query = query.where(Subscription.currency == currency)
    elif len(currencies) > 1:
        raise DomainError(f"subscriptions of {product.path} are in {', '.join(currencies)}: "
                          "give the currency to reprice (--currency on the command line)")
    else:
        currency = currencies[0] if currencies else product.currency
    return product, currency, query.order_by(Subscription.id)


def plan(product_path: str, price: str | None = None, percent: str | None = None,
         currency: str | None = None) -> Plan:
    """The preview: every subscription whose price would change, old -> new. Writes nothing."""
    if (price is None) == (percent is None):
        raise DomainError("give either a new price or a percent")
    product, currency, query = _selection(product_path, currency)
    new_price = limits.price(price, currency, "the new price") if price is not None else None
    change = {"price": format_amount(new_price, currency)} if new_price is not None else {}
    scale = 0  # a percent change: new = old x scale / 10000, rounded half up
    if percent is not None:
        basis_points = limits.percent(parse_percent(percent))
        scale = 10000 + basis_points
        if scale <= 0:
            raise DomainError(f"{percent}% would take prices to zero or below")
        change = {"percent": format_percent(basis_points)}
    result = Plan(product.path, currency, [], change=change)
    top = limits.max_amount(currency)
    addon_totals = queries.addon_totals((Subscription.product == product)
                                        & (Subscription.state != "deactivated")
                                        & (Subscription.currency == currency))
    # per (interval unit, length): the period's amounts before and after, and the add-ons',
    # summed as whole numbers; turned into monthly figures once per interval at the end
    sums: dict[tuple[str, int], list[int]] = {}
    # the driver's own rows: whole numbers and text need none of peewee's conversions
    rows = database.execute(query.select(Subscription.id, Subscription.price,
                                         Subscription.quantity, Subscription.interval_unit,
                                         Subscription.interval_length, Subscription.state))
    for sub_id, old, quantity, unit, length, state in rows:
        if not values.terms_fine(old, quantity, state, unit, length, top):
            _refuse(sub_id)
        new = new_price if new_price is not None else fraction_of(old, scale, 10000)
        if new <= 0:
            raise DomainError(f"subscription {sub_id} would be priced at zero")
        if new > top:
            raise DomainError(f"subscription {sub_id} would be priced at "
                              f"{format_amount(new, currency)} {currency}, above the limit of "
                              f"{limits.MAX_AMOUNT_MAJOR:,} {currency}")
        extra = addon_totals.get(sub_id, 0)
        period = sums.get((unit, length))
        if period is None:
            period = sums[(unit, length)] = [0, 0, 0]
        period[0] += old * quantity + extra
        period[1] += new * quantity + extra
        period[2] += extra
        if new != old:
            result.rows.append((sub_id, old, new))
    before = after = extras = Decimal(0)
    for (unit, length), (period_before, period_after, period_extras) in sums.items():
        if unit in _PER_MONTH:
            per_month = _PER_MONTH[unit] / length
            before += period_before * per_month
            after += period_after * per_month
            extras += period_extras * per_month
    # unchanged subscriptions add as much before as after: the change is after - before
    result.monthly_change = round_half_up(after - before)
    result.monthly_before, result.monthly_after = round_half_up(before), round_half_up(after)
    result.monthly_addons = round_half_up(extras)
    if product.reminder_days == 0:
        result.warnings.append(f"payment reminders are off for {product.path}: customers will "
                               "not be told before they are charged the new price")
    return result


def _refuse(sub_id: int) -> None:
    """A subscription no rule can be run on stops the whole change (R-INPUT-1), named with
    every value it holds that no subscription can."""
    subs.find(sub_id, checked=True)  # names them (Unreadable): problems() covers terms_fine
    raise AssertionError(f"subscription {sub_id}: terms_fine and problems() disagree")


def audit_values(result: Plan) -> tuple[dict, dict, dict]:
    """The one audit row of a bulk action (R-BULK-1, R-AUDIT-1), as (before, after, detail):
    before = {"<subscription id>": old unit price, ...} and after = {"<id>": new unit price,
    ...}, in id order; detail = {"product": path, "currency": code, "change": {"price": "35.00"}
    or {"percent": "10"}, "count": number of subscriptions}. Prices as the JSON amounts are
    written elsewhere ("30.00")."""
    fmt = lambda v: format_amount(v, result.currency)  # noqa: E731
    before = {str(sub_id): fmt(old) for sub_id, old, _new in result.rows}
    after = {str(sub_id): fmt(new) for sub_id, _old, new in result.rows}
    detail = {"product": result.product, "currency": result.currency, "change": result.change,
              "count": len(result.rows)}
    return before, after, detail


def apply(product_path: str, price: str | None = None, percent: str | None = None,
          currency: str | None = None, operator: str | None = None) -> Plan:
    """The plan applied in one transaction: each subscription's new price, event and email,
    and one audit row for the whole action (`audit_values`)."""
    with database.atomic():
        result = plan(product_path, price, percent, currency)
        if not result.rows:
            raise DomainError(f"no subscription of {product_path} would change")
        ctx = context.current(operator)
        products = {p.id: p for p in Product.select()}
        new_prices = {sub_id: new for sub_id, _old, new in result.rows}
        ids = sorted(new_prices)
        for start in range(0, len(ids), CHUNK):  # memory stays flat; one transaction all along
            with batch.collect():
                # light rows (store/rows): read, never saved; the one change is named below
                loaded = subs.preload(bulkload.subscription_rows(
                    ids[start:start + CHUNK], products, present.READS))
                for sub in loaded:  # add-ons and repeat trials read for the chunk at once
                    values.require(sub)  # its dates and discount too, which the plan left
                    sub.price = new_prices[sub.id]
                    batch.update(Subscription, sub.id, price=sub.price)
                    # a row the store cannot read stops it all, unwritten (Unreadable)
                    outbox.event(ctx, sub, "subscription.updated", present.subscription(sub))
                    outbox.email(ctx, sub, UPDATED)
        # one operator action, one audit row, written at once in the same transaction
        outbox.audit(ctx, "bulk-price", None, *audit_values(result))
    return result
