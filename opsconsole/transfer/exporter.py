"""Export (R-EXPORT-1): the Import Form's columns for every subscription not deactivated."""

import csv
import datetime as dt
from collections.abc import Iterator
from typing import TextIO

import peewee as pw

from ..billing import present, values
from ..billing.money import format_amount, format_percent
from ..billing.subs import discount_active
from ..store import context
from ..store.models import Account, Product, Subscription, SubscriptionAddon
from .csvfile import sanitize
from .form import COLUMNS


def _date(value) -> str:
    return value.isoformat() if value else ""


def _end(sub: Subscription) -> dt.date | None:
    """R-INPUT-8: a scheduled cancel travels as the last day it is served."""
    if sub.cancel_date is None:
        return sub.end_date
    last = sub.cancel_date - dt.timedelta(days=1)
    return last if sub.end_date is None else min(sub.end_date, last)


def _next(sub: Subscription, today: dt.date) -> dt.date | None:
    """An overdue subscription's missed date is owed now: the store it moves to collects it
    from today (an import never takes a date in its past, R-INPUT-2)."""
    if sub.next_charge_date is None or sub.interval_unit == "adhoc":
        return None
    return max(sub.next_charge_date, today)


def _row(sub: Subscription, today: dt.date) -> dict[str, str]:
    a = sub.account
    discount_value = ""
    discount = discount_active(sub)  # R-INPUT-8: a used-up discount is exported blank
    if discount and sub.discount_type == "percent":
        discount_value = format_percent(sub.discount_value)
    elif discount and sub.discount_type == "amount":
        discount_value = format_amount(sub.discount_value, sub.currency)
    return {
        "referenceId": sub.reference_id or str(sub.id), "first": a.first, "last": a.last,
        "email": a.email, "language": a.language, "country": a.country, "region": a.region,
        "postalCode": a.postal_code, "live": "true" if sub.live else "false",
        "productPath": sub.product.path, "quantity": str(sub.quantity),
        "currency": sub.currency, "listPrice": format_amount(sub.price, sub.currency),
        "interval": sub.interval_unit, "intervalLength": str(sub.interval_length),
        "nextChargeDate": _date(_next(sub, today)), "endDate": _date(_end(sub)),
        "company": a.company, "phone": a.phone, "addressLine1": a.address_line1,
        "addressLine2": a.address_line2, "city": a.city,
        "discountType": sub.discount_type if discount else "", "discountValue": discount_value,
        "discountDuration": "" if not discount or sub.discount_remaining is None
        else str(sub.discount_remaining),
        "discountCode": sub.discount_code or "", "beginDate": _date(sub.begin_date),
        "trialEndDate": _date(sub.trial_end_date) if sub.state == "trial" else "",
        "intervalCount": "" if sub.rebills_left is None else str(sub.rebills_left),
        "taxExemptionData": sub.tax_exemption or "",
        "manualRenew": "true" if sub.manual_renew else "",
    }


def rows() -> Iterator[dict[str, str]]:
    # outer joins: one naming a product or account the store lacks is refused by name below,
    # never left out of the file in silence
    query = (Subscription.select(Subscription, Product, Account)
             .join(Product, pw.JOIN.LEFT_OUTER).switch(Subscription)
             .join(Account, pw.JOIN.LEFT_OUTER)
             .where(Subscription.state != "deactivated").order_by(Subscription.id))
    today = context.current().today
    for sub in query.iterator():
        values.require(sub)
        with present.reading(sub):  # a row the store cannot read refuses the export, named
            row = _row(sub, today)
        yield row


def addons_left_behind() -> list[str]:
    """The exported subscriptions (by referenceId, as written) that carry add-ons: the Import
    Form has no column for them, so they stay behind, like a scheduled pause (README)."""
    S, SA = Subscription, SubscriptionAddon
    query = (S.select(S.id, S.reference_id).join(SA, on=(SA.subscription == S.id))
             .where(S.state != "deactivated").distinct().order_by(S.id))
    return [ref or str(sub_id) for sub_id, ref in query.tuples()]


def addons_note(limit: int = 5) -> str | None:
    """One line for the operator when add-ons were left out of an export; None when none."""
    refs = addons_left_behind()
    if not refs:
        return None
    shown = ", ".join(refs[:limit]) + (", ..." if len(refs) > limit else "")
    one = len(refs) == 1
    return (f"{len(refs)} exported subscription{'' if one else 's'} carr{'ies' if one else 'y'} "
            "add-ons, "
            f"which the Import Form has no column for; they are not in the file ({shown})")


def export(out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows():
        writer.writerow([sanitize(row[c]) for c in COLUMNS])
        count += 1
    return count
