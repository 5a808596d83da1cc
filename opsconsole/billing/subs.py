"""One subscription: lookup, its per-period amount, and the dates derived from its schedule."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from ..store import batch, bulkload, queries
from ..store.bulkload import variable_limit
from ..store.models import Account, PaymentMethod, Product, Subscription, SubscriptionAddon
from . import money, values
from .errors import DomainError
from .schedule import advance, period_begin

# R-DUN-2: retries on these days after a decline, besides the overdue-notice days.
RETRY_DAYS = (1, 3, 5)

TRIAL_REMINDER = "Trial Reminder"
PAYMENT_REMINDER = "Payment Reminder"


def find(ref, checked: bool = True) -> Subscription:
    """By the store's ID first, then by the imported referenceId. `checked`: refused
    (Unreadable) when it holds a value no subscription can (billing/values), as for acting on
    it or showing it; a log of its events or charges asks for it unchecked."""
    text = str(ref).strip()
    sub = None
    if text.isdigit() and len(text) < 19:
        sub = Subscription.get_or_none(Subscription.id == int(text))
    if sub is None and text:
        sub = Subscription.get_or_none(Subscription.reference_id == text)
    if sub is None:
        raise DomainError(f"no subscription {text!r}")
    if checked:
        held(sub)  # its add-ons are held to the limits too
        values.require(sub, thorough=True)
    return sub


def find_product(path: str, checked: bool = False) -> Product:
    """`checked`: a product a subscription is to take its terms from (a change, a proration),
    held to R-INPUT-1 as a renewal into it is (values.require_product)."""
    product = Product.get_or_none(Product.path == path)
    if product is None:
        raise DomainError(f"no product {path!r}")
    if checked:
        values.require_product(product)
    return product


def discount_active(sub: Subscription) -> bool:
    return bool(sub.discount_type) and (sub.discount_remaining is None
                                        or sub.discount_remaining > 0)


@dataclass(frozen=True)
class Held:
    """An add-on a subscription carries: its path, quantity and unit price (minor units)."""

    path: str
    quantity: int
    price: int

    @property
    def amount(self) -> int:
        return self.price * self.quantity


def held(sub: Subscription) -> list[Held]:
    """The subscription's add-ons, by path; read once per loaded subscription (a list of many
    is read in one query by `preload`)."""
    cached = getattr(sub, "_addons", None)
    if cached is None:
        # (path, quantity, price) rows: peewee's stubs read .tuples() as rows of the model
        cached = [] if sub.id is None else [Held(*row) for row in cast(
            Iterable[tuple[str, int, int]],
            SubscriptionAddon.select(
                SubscriptionAddon.path, SubscriptionAddon.quantity, SubscriptionAddon.price)
            .where(SubscriptionAddon.subscription == sub.id)
            .order_by(SubscriptionAddon.path).tuples())]
        sub._addons = cached
    return cached


def set_held(sub: Subscription, items: list[Held]) -> None:
    """Write the subscription's add-ons as `items` (rows added, changed or removed)."""
    now = {h.path: h for h in held(sub)}
    wanted = {h.path: h for h in items}
    gone = [p for p in now if p not in wanted]
    if gone:
        SubscriptionAddon.delete().where(SubscriptionAddon.subscription == sub.id,
                                         SubscriptionAddon.path.in_(gone)).execute()
    for path, item in wanted.items():
        if path not in now:
            SubscriptionAddon.create(subscription=sub.id, path=path, quantity=item.quantity,
                                     price=item.price)
        elif now[path] != item:
            SubscriptionAddon.update(quantity=item.quantity, price=item.price).where(
                SubscriptionAddon.subscription == sub.id,
                SubscriptionAddon.path == path).execute()
    sub._addons = sorted(wanted.values(), key=lambda h: h.path)


def preload(subs_: list[Subscription]) -> list[Subscription]:
    """Add-ons and the repeat-trial flag of many subscriptions, in two queries, so a list or a
    day's batch does not ask once per subscription."""
    ids = [s.id for s in subs_]
    found: dict[int, list[Held]] = {}
    repeats: set[int] = set()
    for sub_id, path, quantity, price in bulkload.addons(ids):
        found.setdefault(sub_id, []).append(Held(path, quantity, price))
    trials = [s.id for s in subs_ if s.state == "trial"]
    if trials:
        repeats.update(bulkload.repeat_trials(trials))
    for sub in subs_:
        sub._addons = found.get(sub.id, [])
        sub._repeat = sub.id in repeats
    return subs_


def is_repeat_trial(sub: Subscription) -> bool:
    """R-TRIAL-2: a trial whose account already had a subscription of the same product (an
    earlier one, in any state)."""
    if sub.state != "trial" or sub.id is None:
        return False
    cached = getattr(sub, "_repeat", None)
    if cached is None:
        cached = bool(queries.repeat_trial_ids([sub.id]))
        sub._repeat = cached
    return cached


def addons_total(items: list[Held]) -> int:
    return sum(h.price * h.quantity for h in items) if items else 0


def base_amount(sub: Subscription, price: int | None = None,
                quantity: int | None = None) -> int:
    """R-MONEY-2: unit price x quantity - discount, never below zero."""
    gross = (sub.price if price is None else price) * (sub.quantity if quantity is None
                                                        else quantity)
    if discount_active(sub):
        value = sub.discount_value
        assert value is not None, "a discount with no value"  # importer: _discount
        if sub.discount_type == "percent":
            gross = money.percent_off(gross, value)
        else:
            gross -= value
    return max(gross, 0)


def amount(sub: Subscription, price: int | None = None, quantity: int | None = None,
           addons: list[Held] | None = None) -> int:
    """R-ADDON-3: what a charge of the period bills: the base amount (R-MONEY-2, the discount
    on it alone) plus each add-on's price x quantity, as one sum."""
    return base_amount(sub, price, quantity) + addons_total(held(sub) if addons is None
                                                           else addons)


def period_start(sub: Subscription) -> dt.date | None:
    """R-PRORATE-2: the scheduled date the current period began: as the store recorded it at
    the charge that began it, or (nothing charged here yet) the fallback from the schedule."""
    end = sub.next_charge_date
    if end is None or sub.interval_unit == "adhoc":
        return None
    if sub.period_start is not None and sub.period_start < end:
        return sub.period_start
    return period_begin(end, sub.interval_unit, sub.interval_length, sub.begin_date)


def use_discount(sub: Subscription) -> None:
    """R-DISC-1: each successful charge uses one up."""
    if discount_active(sub) and sub.discount_remaining is not None:
        sub.discount_remaining -= 1


def is_automatic(sub: Subscription) -> bool:
    return sub.interval_unit != "adhoc" and not sub.manual_renew


def notice_days(sub: Subscription) -> list[int]:
    return sorted({int(d) for d in sub.overdue_notice_days.split(",") if d.strip()})


def dunning_days(sub: Subscription) -> tuple[set[int], set[int]]:
    """(retry days, notice days) after day 0, all before the deactivation day."""
    notices = {d for d in notice_days(sub) if 0 < d < sub.deactivate_after_days}
    retries = set() if sub.dunning_kind == "manual" else (
        {d for d in RETRY_DAYS if d < sub.deactivate_after_days} | notices)
    return retries, notices


def deactivation_day(sub: Subscription) -> dt.date:
    """R-DUN-4: the day an overdue subscription still unpaid is deactivated."""
    since = sub.overdue_since
    assert since is not None, "overdue with no overdue_since"  # charging.start_dunning
    return since + dt.timedelta(days=sub.deactivate_after_days)


def last_chance(sub: Subscription) -> dt.date | None:
    """An overdue subscription's last dunning day before its deactivation (its last retry, or
    for a manual renewal its last notice: R-DUN-2, R-DUN-3), once that day has come and gone
    unpaid: its next dunning work is then the deactivation itself. None before that."""
    if sub.state != "overdue" or sub.overdue_since is None or sub.dunning_next is None:
        return None
    if sub.dunning_next != deactivation_day(sub):
        return None
    retries, notices = dunning_days(sub)
    return sub.overdue_since + dt.timedelta(days=max(retries | notices, default=0))


def next_dunning_date(sub: Subscription, after_day: int) -> dt.date:
    retries, notices = dunning_days(sub)
    days = sorted(d for d in retries | notices | {sub.deactivate_after_days} if d > after_day)
    since = sub.overdue_since
    assert since is not None, "overdue with no overdue_since"  # charging.start_dunning
    return since + dt.timedelta(days=days[0])


def charge_will_happen(sub: Subscription, day: dt.date) -> bool:
    """False for a date on which no charge will be made (R-REMIND-1)."""
    if sub.pause_date == day and sub.state != "paused":
        return False
    if sub.cancel_date is not None and sub.cancel_date <= day:
        return False
    if sub.end_date is not None and day > sub.end_date:
        return False
    return True


def reminder_date(sub: Subscription) -> dt.date | None:
    """The day the next reminder is due (R-REMIND-1, R-TRIAL-1), or None."""
    if sub.state not in ("active", "trial") or sub.next_charge_date is None:
        return None
    if sub.interval_unit == "adhoc":
        return None
    if sub.state == "trial":
        days = sub.trial_reminder_days
    elif sub.manual_renew or sub.interval_unit in ("month", "year"):
        days = sub.reminder_days
    else:
        return None
    if not days or not charge_will_happen(sub, sub.next_charge_date):
        return None
    return sub.next_charge_date - dt.timedelta(days=days)


def reminder_template(sub: Subscription) -> str:
    return TRIAL_REMINDER if sub.state == "trial" else PAYMENT_REMINDER


def persist(sub: Subscription) -> None:
    """Save a subscription with its derived dates brought up to date."""
    sub.remind_on = reminder_date(sub)
    batch.save(sub)


def copy_settings(sub: Subscription, product: Product) -> None:
    """R-SETTINGS-1: the notification and cancellation settings travel with the subscription."""
    sub.reminder_days = product.reminder_days
    sub.trial_reminder_days = product.trial_reminder_days
    sub.overdue_notice_days = product.overdue_notice_days
    sub.deactivate_after_days = product.deactivate_after_days


def accounts_by_email(emails: list[str]) -> dict:
    """email -> the store's account, or None where there is none yet: the `known` that
    account_for takes, found in a few queries rather than one per email (plain SQL first for
    which of them are there: peewee took ~6 µs an email to write the IN lists)."""
    emails = sorted(set(emails))
    known: dict = dict.fromkeys(emails)
    found = bulkload.existing(Account, "email", emails)
    step = variable_limit()
    for start in range(0, len(found), step):
        for account in Account.select().where(Account.email.in_(found[start:start + step])):
            known[account.email] = account
    return known


def account_for(email: str, known: dict[str, Account | None] | None = None,
                **details) -> Account:
    """Customers are one account per email address. `known` (email -> account, or None for an
    email known to have none), where the caller keeps one, is asked before the store and
    learns the accounts made here."""
    if known is not None and email in known:
        account = known[email]
    else:
        account = Account.get_or_none(Account.email == email)
    if account is None:
        account = batch.create(batch.new(Account, {"email": email, **details}))
    if known is not None:
        known[email] = account
    return account


def attach_payment(sub: Subscription, token: str, last4: str | None, expiry: str | None) -> None:
    method = PaymentMethod.create(account=sub.account_id, token=token, last4=last4,
                                  expiry=expiry)
    old = sub.payment_method_id
    sub.payment_method = method
    sub.save()
    if old:
        PaymentMethod.delete().where(PaymentMethod.id == old).execute()


def first_rebills_left(product: Product, charges_made: int) -> int | None:
    if product.rebills is None:
        return None
    return max(product.rebills - charges_made, 0)


def end_after_last_charge(sub: Subscription) -> None:
    """R-SCHED-4 without renews_into: the last charged period is the last one."""
    product = sub.product
    if sub.rebills_left == 0 and not product.renews_into and sub.next_charge_date:
        last_day = sub.next_charge_date - dt.timedelta(days=1)
        if sub.end_date is None or sub.end_date > last_day:
            sub.end_date = last_day


def periods_between(start: dt.date, until: dt.date, unit: str, length: int) -> int:
    """How many scheduled dates from `start` fall before `until` (start included)."""
    count, day = 0, start
    while day < until and count < 100000:
        count += 1
        day = advance(day, unit, length)
    return count
