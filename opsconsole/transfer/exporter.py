"""Export (R-EXPORT-1): the Import Form's columns for every subscription not deactivated."""

import csv
from collections.abc import Iterator
from typing import TextIO



from ..billing.money import format_amount, format_percent
from ..store.models import Account, Product, Subscription
from .csvfile import sanitize
from .form import COLUMNS


def _date(value) -> str:
    return value.isoformat() if value else ""


def _row(sub: Subscription) -> dict[str, str]:
    a = sub.account
    discount_value = ""
    if sub.discount_type == "percent":
        discount_value = format_percent(sub.discount_value)
    elif sub.discount_type == "amount":
        discount_value = format_amount(sub.discount_value, sub.currency)
    return {
        "referenceId": sub.reference_id or str(sub.id), "first": a.first, "last": a.last,
        "email": a.email, "language": a.language, "country": a.country, "region": a.region,
        "postalCode": a.postal_code, "live": "true" if sub.live else "false",
        "productPath": sub.product.path, "quantity": str(sub.quantity),
        "currency": sub.currency, "listPrice": format_amount(sub.price, sub.currency),
        "interval": sub.interval_unit, "intervalLength": str(sub.interval_length),
        "nextChargeDate": _date(sub.next_charge_date), "endDate": _date(sub.end_date),
        "company": a.company, "phone": a.phone, "addressLine1": a.address_line1,
        "addressLine2": a.address_line2, "city": a.city,
        "discountType": sub.discount_type or "", "discountValue": discount_value,
        "discountDuration": "" if sub.discount_remaining is None else str(sub.discount_remaining),
        "discountCode": sub.discount_code or "", "beginDate": _date(sub.begin_date),
        "trialEndDate": _date(sub.trial_end_date) if sub.state == "trial" else "",
        "intervalCount": "" if sub.rebills_left is None else str(sub.rebills_left),
        "taxExemptionData": sub.tax_exemption or "",
        "manualRenew": "true" if sub.manual_renew else "",
    }


def rows() -> Iterator[dict[str, str]]:
    query = (Subscription.select(Subscription, Product, Account)
             .join(Product).switch(Subscription).join(Account)
             .where(Subscription.state != "deactivated").order_by(Subscription.id))
    for sub in query.iterator():
        yield _row(sub)


def export(out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows():
        writer.writerow([sanitize(row[c]) for c in COLUMNS])
        count += 1
    return count



