"""A new subscription, by import or by hand (R-EVT-1: it fires subscription.activated)."""

import datetime as dt
from dataclasses import dataclass

from ..store import batch
from ..store.context import Ctx
from ..store.models import PaymentMethod, Product, Subscription
from . import outbox, subs
from .schedule import period_begin


@dataclass
class NewSubscription:
    product: Product
    email: str
    first: str
    last: str
    currency: str
    price: int
    interval_unit: str
    interval_length: int = 1
    quantity: int = 1
    next_charge_date: dt.date | None = None
    begin_date: dt.date | None = None
    end_date: dt.date | None = None
    trial_end_date: dt.date | None = None
    manual_renew: bool = False
    reference_id: str | None = None
    live: bool = True
    token: str | None = None
    last4: str | None = None
    expiry: str | None = None
    discount_type: str | None = None
    discount_value: int | None = None
    discount_remaining: int | None = None
    discount_code: str | None = None
    charges_left: int | None = None  # intervalCount: charges left in this phase
    tax_exemption: str | None = None
    account: dict | None = None  # language, country, region, postal_code, company, ...


def create(ctx: Ctx, new: NewSubscription, accounts: dict | None = None,
           created: set | None = None) -> Subscription:
    """The subscription, its account (found by email, in `accounts` first where the caller keeps
    them) and payment method, and its activation event. `created`, where the caller keeps one,
    holds the (account, product) pairs created in its unit of work so far: a batch writes its
    rows at its end, so a repeat trial (R-TRIAL-2) is told from them, not from the store."""
    account = subs.account_for(new.email, accounts, first=new.first, last=new.last,
                               **(new.account or {}))
    begin = new.begin_date or ctx.today
    trial = new.trial_end_date is not None and new.trial_end_date >= ctx.today
    adhoc = new.interval_unit == "adhoc"
    rebills_left = new.charges_left
    if rebills_left is None and new.product.rebills is not None:
        # A trial's free start is not one of the charges (R-TRIAL-1); otherwise count the
        # scheduled dates already behind the subscription, the first purchase included.
        made = 0 if trial or adhoc or new.next_charge_date is None else subs.periods_between(
            begin, new.next_charge_date, new.interval_unit, new.interval_length)
        rebills_left = subs.first_rebills_left(new.product, made)
    method = None
    manual = new.manual_renew and not adhoc
    if new.token and not manual:
        method = batch.create(batch.new(PaymentMethod, {
            "account": account.id, "token": new.token, "last4": new.last4,
            "expiry": new.expiry}, {"account": account}))
    related = {"account": account, "product": new.product}
    if method is not None:
        related["payment_method"] = method
    sub = batch.new(Subscription, {
        "reference_id": new.reference_id, "account": account.id, "product": new.product.id,
        "state": "trial" if trial else "active", "quantity": new.quantity,
        "currency": new.currency, "price": new.price, "interval_unit": new.interval_unit,
        "interval_length": new.interval_length, "live": new.live, "manual_renew": manual,
        "begin_date": begin, "next_charge_date": None if adhoc else new.next_charge_date,
        "end_date": new.end_date, "trial_end_date": new.trial_end_date,
        "discount_type": new.discount_type, "discount_value": new.discount_value,
        "discount_remaining": new.discount_remaining, "discount_code": new.discount_code,
        "rebills_left": rebills_left, "payment_method": method.id if method else None,
        "tax_exemption": new.tax_exemption, "created_at": ctx.now}, related)
    # R-PRORATE-2: no charge made here yet, so the period began by the schedule's fallback
    # (set on every row, None included: a batch groups rows by the columns they set)
    sub.period_start = None if trial or adhoc or new.next_charge_date is None else \
        period_begin(new.next_charge_date, new.interval_unit, new.interval_length, begin)
    subs.copy_settings(sub, new.product)
    if rebills_left is not None and not adhoc:
        subs.end_after_last_charge(sub)
    sub.remind_on = subs.reminder_date(sub)
    batch.create(sub)
    sub._addons = []  # new: it holds no add-ons yet (subs.held need not ask the store)
    pair = (account.id, new.product.id)
    if trial:  # R-TRIAL-2: the account had this product before (in the store, or just now)
        sub._repeat = (created is not None and pair in created) or Subscription.select().where(
            Subscription.account == account.id, Subscription.product == new.product.id,
            Subscription.id < sub.id).exists()
    if created is not None:
        created.add(pair)
    outbox.event(ctx, sub, "subscription.activated")
    return sub

