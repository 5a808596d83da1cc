"""Add-ons (R-ADDON-1..3): what a product offers, what a subscription carries. Adding or
removing one applies from the next charge, without proration; every charge of the period then
bills the base amount and the add-ons as one sum (subs.amount)."""

import re

import peewee as pw

from .. import text
from ..store import context
from ..store.models import Product, ProductAddon, Subscription, SubscriptionAddon, database
from . import limits, outbox, subs, values
from .actions import Outcome, _outcome, _refuse_deactivated, operator_action
from .errors import DomainError
from .money import format_amount
from .subs import Held

UPDATED = "Subscription Updated"
_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
MAX_PATH = 100


def offers_of(product: Product) -> list[ProductAddon]:
    """A product's add-ons: grouped ones by group, then the free-standing ones, each by path."""
    return list(ProductAddon.select().where(ProductAddon.product == product)
                .order_by(ProductAddon.group.is_null(), ProductAddon.group, ProductAddon.path))


def as_dict(offer: ProductAddon, product: Product) -> dict:
    return {"product": product.path, "path": offer.path,
            "price": format_amount(offer.price, product.currency),
            "currency": product.currency, "group": offer.group, "single": offer.single}


def listing(product_path: str) -> list[dict]:
    product = subs.find_product(product_path)
    return [as_dict(o, product) for o in offers_of(product)]


def _check_path(path: str) -> str:
    if not _PATH.fullmatch(path or "") or len(path) > MAX_PATH:
        raise DomainError(f"add-on path {text.escape(path)!r} may hold only letters, digits "
                          f"and '-' (at most {MAX_PATH})")
    return path


def _check_group(group: str | None, single: bool) -> str | None:
    if group is not None:
        text.check(group, "the group name")
        group = group.strip()
        if not group:
            raise DomainError("the group name is blank")
        if len(group) > MAX_PATH:
            raise DomainError(f"a group name is at most {MAX_PATH} characters")
    if single and group is None:
        raise DomainError("--single needs --group: a single-choice group has a name")
    return group


def _one_of_each(product: Product, group: str) -> None:
    """A single-choice group may not leave a subscription holding two of its add-ons."""
    paths = [o.path for o in ProductAddon.select(ProductAddon.path).where(
        ProductAddon.product == product, ProductAddon.group == group)]
    SA, S = SubscriptionAddon, Subscription
    clash = (SA.select(SA.subscription).join(S, on=(SA.subscription == S.id))
             .where(S.product == product, S.state != "deactivated", SA.path.in_(paths))
             .group_by(SA.subscription).having(pw.fn.COUNT(SA.id) > 1).order_by(SA.subscription)
             .limit(1).scalar())
    if clash is not None:
        raise DomainError(f"subscription {clash} carries more than one add-on of group "
                          f"{group}; it cannot be single-choice")


def offer(product_path: str, path: str, price: str, group: str | None = None,
          single: bool = False, operator: str | None = None) -> dict:
    """R-ADDON-1: the product offers the add-on at a unit price in its currency; offering a
    path it offers already changes its price or group (subscriptions keep the price they
    took, as with a product's price)."""
    with database.atomic():
        ctx = context.current(operator)
        product = subs.find_product(product_path)
        path = _check_path(path)
        group = _check_group(group, single)
        minor = limits.price(price, product.currency, "the add-on price")
        if group is not None:
            others = ProductAddon.select().where(ProductAddon.product == product,
                                                 ProductAddon.group == group,
                                                 ProductAddon.path != path)
            kinds = {o.single for o in others}
            if kinds and kinds != {single}:
                raise DomainError(
                    f"group {group} of {product.path} is "
                    f"{'single' if True in kinds else 'multiple'}-choice; "
                    f"{'add' if True in kinds else 'leave out'} --single")
        existing = ProductAddon.get_or_none(ProductAddon.product == product,
                                            ProductAddon.path == path)
        before = as_dict(existing, product) if existing else None
        if existing is None:
            existing = ProductAddon.create(product=product, path=path, price=minor, group=group,
                                           single=single)
        else:
            if (existing.price, existing.group, existing.single) == (minor, group, single):
                raise DomainError(f"{product.path} already offers {path} at "
                                  f"{format_amount(minor, product.currency)} "
                                  f"{product.currency}; nothing to change")
            existing.price, existing.group, existing.single = minor, group, single
            existing.save()
        if group is not None and single:
            _one_of_each(product, group)
        result = as_dict(existing, product)
        outbox.audit(ctx, "product-addon", None, before, result)
        return {**result, "updated": before is not None}


def under(product: Product, items: list[Held]) -> tuple[list[Held], list[Held]]:
    """(kept, dropped): the add-ons a subscription keeps when it moves to `product`, at that
    product's prices, and those it does not offer."""
    prices = {o.path: o.price for o in offers_of(product)}
    kept = [Held(h.path, h.quantity, prices[h.path]) for h in items if h.path in prices]
    return kept, [h for h in items if h.path not in prices]


def refuse_over_limit(sub: Subscription, total: int) -> None:
    """No charge above the limit is ever made (R-INPUT-1): nor a change that would ask one."""
    if total > limits.max_amount(sub.currency):
        raise DomainError(f"the next charge would be {format_amount(total, sub.currency)} "
                          f"{sub.currency}, above the limit of {limits.MAX_AMOUNT_MAJOR:,} "
                          f"{sub.currency}")


def _label(sub: Subscription) -> str:
    return f"subscription {sub.id}"


def _plan_add(sub: Subscription, path: str, quantity: int) -> tuple[list[Held], list[str]]:
    """R-ADDON-1/2: the add-ons after adding `path`, and those it replaces."""
    _refuse_deactivated(sub, "given add-ons")
    limits.quantity(quantity, "the add-on quantity")
    product = sub.product
    values.require_product(product)  # its offers' prices, which the add-on would take on
    found = ProductAddon.get_or_none(ProductAddon.product == product,
                                     ProductAddon.path == path)
    if found is None:
        offered = ", ".join(o.path for o in offers_of(product)) or "none"
        raise DomainError(f"{product.path} does not offer the add-on {text.escape(path)!r} "
                          f"(it offers: {offered})")
    if product.currency != sub.currency:
        raise DomainError(f"{path} is priced in {product.currency}, {_label(sub)} is billed "
                          f"in {sub.currency}: the currencies differ")
    now = subs.held(sub)
    mine = next((h for h in now if h.path == path), None)
    if mine is not None and mine.quantity == quantity:
        raise DomainError(f"{_label(sub)} already carries {path} x {quantity}; nothing to "
                          "change")
    replaced: list[str] = []
    if found.group is not None and found.single:
        group = {o.path for o in ProductAddon.select(ProductAddon.path).where(
            ProductAddon.product == product, ProductAddon.group == found.group)}
        replaced = [h.path for h in now if h.path in group and h.path != path]
    price = mine.price if mine is not None else found.price  # a quantity change keeps its price
    items = [h for h in now if h.path != path and h.path not in replaced]
    items.append(Held(path, quantity, price))
    items.sort(key=lambda h: h.path)
    refuse_over_limit(sub, subs.amount(sub, addons=items))
    return items, replaced


def _plan_remove(sub: Subscription, path: str) -> list[Held]:
    _refuse_deactivated(sub, "changed")
    now = subs.held(sub)
    if not any(h.path == path for h in now):
        carried = ", ".join(h.path for h in now) or "none"
        raise DomainError(f"{_label(sub)} carries no add-on {text.escape(path)!r} "
                          f"(it carries: {carried})")
    return [h for h in now if h.path != path]


def _next_charge(sub: Subscription, items: list[Held]) -> dict:
    """The next charge before and after: what the dialogs and the outcome show."""
    cur = sub.currency
    return {"next_charge_date": sub.next_charge_date.isoformat() if sub.next_charge_date
            else None, "currency": cur,
            "before": format_amount(subs.amount(sub), cur),
            "after": format_amount(subs.amount(sub, addons=items), cur),
            "addons": [{"path": h.path, "quantity": h.quantity,
                        "price": format_amount(h.price, cur)} for h in items]}


def preview_add(ref, path: str, quantity: int = 1) -> dict:
    """What adding would do to the next charge. Writes nothing."""
    sub = subs.find(ref)
    items, replaced = _plan_add(sub, path, quantity)
    return {**_next_charge(sub, items), "replaces": replaced}


def preview_remove(ref, path: str) -> dict:
    sub = subs.find(ref)
    return _next_charge(sub, _plan_remove(sub, path))


def _when(sub: Subscription) -> str:
    if sub.next_charge_date is None:
        return "each charge"
    return f"next charge {sub.next_charge_date}"


def add(ref, path: str, quantity: int = 1, operator: str | None = None) -> Outcome:
    """R-ADDON-2: from the next charge; no proration."""
    with operator_action(operator, "addon-add", ref) as (ctx, sub, detail):
        items, replaced = _plan_add(sub, path, quantity)
        before = subs.amount(sub)
        subs.set_held(sub, items)
        detail.update(addon=path, quantity=quantity, replaces=replaced or None)
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        outbox.email(ctx, sub, UPDATED)
        instead = f" instead of {', '.join(replaced)}" if replaced else ""
        return _outcome(sub, f"add-on {path} x {quantity}{instead}; {_when(sub)} "
                             f"{format_amount(before, sub.currency)} -> "
                             f"{format_amount(subs.amount(sub), sub.currency)} {sub.currency}")


def remove(ref, path: str, operator: str | None = None) -> Outcome:
    with operator_action(operator, "addon-remove", ref) as (ctx, sub, detail):
        items = _plan_remove(sub, path)
        before = subs.amount(sub)
        subs.set_held(sub, items)
        detail.update(addon=path)
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        outbox.email(ctx, sub, UPDATED)
        return _outcome(sub, f"add-on {path} removed; {_when(sub)} "
                             f"{format_amount(before, sub.currency)} -> "
                             f"{format_amount(subs.amount(sub), sub.currency)} {sub.currency}")


def choices(ref) -> dict:
    """For the console's dialogs: the product's offers and what the subscription carries."""
    sub = subs.find(ref)
    held = {h.path: h for h in subs.held(sub)}
    return {"id": sub.id, "product": sub.product.path, "currency": sub.currency,
            "offers": [{**as_dict(o, sub.product),
                        "held": held[o.path].quantity if o.path in held else 0}
                       for o in offers_of(sub.product)],
            "held": [{"path": h.path, "quantity": h.quantity,
                      "price": format_amount(h.price, sub.currency)} for h in held.values()]}
