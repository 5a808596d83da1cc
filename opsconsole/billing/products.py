"""Products: the subscription definitions, and their notification settings (R-SETTINGS-1)."""

import re

from .. import text
from ..store import context
from ..store.models import Product, Subscription, database
from . import iso, limits, outbox, subs
from .errors import DomainError
from .money import format_amount
from .schedule import INTERVALS

_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def as_dict(p: Product) -> dict:
    return {"path": p.path, "name": p.name, "interval": p.interval_unit,
            "length": p.interval_length, "price": format_amount(p.price, p.currency),
            "currency": p.currency, "trial_days": p.trial_days, "rebills": p.rebills,
            "renews_into": p.renews_into, "reminder_days": p.reminder_days,
            "trial_reminder_days": p.trial_reminder_days,
            "overdue_notice_days": [int(d) for d in p.overdue_notice_days.split(",") if d],
            "deactivate_after_days": p.deactivate_after_days}


def parse_notice_days(value: str) -> str:
    """'1,3,5' -> '1,3,5'; '' -> '' (no notices). Every part a whole number from 1."""
    parts = [part.strip() for part in str(value).split(",")]
    if parts == [""]:
        return ""
    if not all(part.isascii() and part.isdigit() and len(part) < 4 for part in parts):
        raise DomainError(f"overdue notice days {value!r} must be whole numbers "
                          "like 1,3,5")
    days = sorted({int(part) for part in parts})
    if any(d < 1 for d in days):
        raise DomainError("overdue notice days count from 1 (the day after the decline)")
    return ",".join(str(d) for d in days)


def _non_negative(value, what):
    if value is not None:
        limits.days_setting(value, what)
    return value


def _settings(product: Product, reminder_days, trial_reminder_days, overdue_notice_days,
              deactivate_after_days) -> None:
    if reminder_days is not None:
        product.reminder_days = _non_negative(reminder_days, "reminder days")
    if trial_reminder_days is not None:
        product.trial_reminder_days = _non_negative(trial_reminder_days, "trial reminder days")
    if overdue_notice_days is not None:
        product.overdue_notice_days = parse_notice_days(overdue_notice_days)
    if deactivate_after_days is not None:
        limits.days_setting(deactivate_after_days, "deactivate-after days", minimum=1)
        product.deactivate_after_days = deactivate_after_days
    late = [d for d in subs_notice(product) if d >= product.deactivate_after_days]
    if late:
        raise DomainError(f"overdue notice day {late[0]} falls on or after deactivation "
                          f"(day {product.deactivate_after_days})")


def subs_notice(product: Product) -> list[int]:
    return [int(d) for d in product.overdue_notice_days.split(",") if d]


def add(path: str, name: str, interval: str, price: str, length: int = 1,
        currency: str | None = None, trial_days: int = 0, rebills: int | None = None,
        renews_into: str | None = None, reminder_days: int | None = None,
        trial_reminder_days: int | None = None, overdue_notice_days: str | None = None,
        deactivate_after_days: int | None = None, operator: str | None = None) -> dict:
    with database.atomic():
        ctx = context.current(operator)
        if not _PATH.fullmatch(path or ""):
            raise DomainError(f"product path {path!r} may hold only letters, digits and '-'")
        if Product.get_or_none(Product.path == path):
            raise DomainError(f"product {path} already exists")
        if interval not in INTERVALS:
            raise DomainError(f"interval {interval!r} is not one of {', '.join(INTERVALS)}")
        limits.interval(interval, length)
        text.check(name, "the product name")
        if name is not None and not name.strip():
            raise DomainError("the product name is blank")
        currency = iso.currency(currency or context.store_currency())
        minor = limits.price(price, currency)
        limits.days_setting(trial_days, "trial days")
        if rebills is not None:
            limits.count(rebills, "rebills")
        if renews_into is not None:
            if rebills is None:
                raise DomainError("renews-into needs --rebills: after how many charges")
            subs.find_product(renews_into)
        product = Product(path=path, name=name.strip() if name else path, interval_unit=interval,
                          interval_length=length, price=minor, currency=currency,
                          trial_days=trial_days, rebills=rebills, renews_into=renews_into)
        _settings(product, reminder_days, trial_reminder_days, overdue_notice_days,
                  deactivate_after_days)
        product.save()
        result = as_dict(product)
        outbox.audit(ctx, "product-add", None, None, result)
        return result


def update(path: str, price: str | None = None, reminder_days: int | None = None,
           trial_reminder_days: int | None = None, overdue_notice_days: str | None = None,
           deactivate_after_days: int | None = None, apply_to_active: bool = False,
           operator: str | None = None) -> tuple[dict, int]:
    """Change a product; with apply_to_active, also its subscriptions that are not
    deactivated, overdue or canceled. Returns the product and how many were updated."""
    with database.atomic():
        ctx = context.current(operator)
        product = subs.find_product(path)
        before = as_dict(product)
        if (price, reminder_days, trial_reminder_days, overdue_notice_days,
                deactivate_after_days) == (None,) * 5 and not apply_to_active:
            raise DomainError("nothing to change: give a new price or a setting")
        if price is not None:
            product.price = limits.price(price, product.currency)
        _settings(product, reminder_days, trial_reminder_days, overdue_notice_days,
                  deactivate_after_days)
        product.save()
        updated = 0
        if apply_to_active:
            query = Subscription.select().where(
                Subscription.product == product,
                Subscription.state.not_in(["deactivated", "overdue"]),
                Subscription.cancel_date.is_null())
            for sub in query:
                subs.copy_settings(sub, product)
                subs.persist(sub)
                updated += 1
        result = as_dict(product)
        outbox.audit(ctx, "product-set", None, before, result,
                     {"applied_to": updated} if apply_to_active else None)
        return result, updated


def listing() -> list[dict]:
    """Every product, with the add-ons it offers (R-ADDON-1)."""
    from .addons import as_dict as offer_dict, offers_of

    return [{**as_dict(p), "addons": [{k: v for k, v in offer_dict(o, p).items()
                                       if k not in ("product", "currency")}
                                      for o in offers_of(p)]}
            for p in Product.select().order_by(Product.path)]
