"""Import of the Subscription Import Form (R-IMPORT-1, R-IMPORT-2): every row is imported
whole or rejected with its row number and every reason; nothing partial."""

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import text
from ..billing import limits, outbox, signup, subs, values
from ..billing.actions import check_card_display, looks_like_card_number
from ..billing.iso import COUNTRIES, CURRENCIES, LANGUAGES
from ..billing.money import parse_amount, parse_percent
from ..billing.schedule import INTERVALS
from ..errors import DomainError, Unreadable
from ..store import batch, context
from ..store.models import Product, Subscription, database
from .csvfile import read_rows
from .form import COLUMNS, MAX_CELL, PAYMENT_REQUIRED, REQUIRED

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass
class Report:
    imported: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"imported": self.imported, "rejected": self.rejected, "skipped": self.skipped,
                "errors": self.errors, "warnings": self.warnings}


@dataclass
class Payment:
    row: int
    token: str
    last4: str | None
    expiry: str | None
    reasons: list[str]


class _Row:
    """One row's cells by column name, collecting every reason it is bad."""

    def __init__(self, cells: dict[str, str]):
        self.cells = cells
        self.reasons: list[str] = []

    def text(self, name: str) -> str:
        return self.cells.get(name, "").strip()

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.reasons.append(f"{name} is blank")
        return value

    def date(self, name: str, required: bool = False) -> dt.date | None:
        value = self.required(name) if required else self.text(name)
        if not value:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return limits.date(dt.date.fromisoformat(value), name)
        except ValueError:
            self.reasons.append(f"{name} {value!r} is not a date (yyyy-mm-dd)")
        except DomainError as exc:
            self.reasons.append(str(exc))
        return None

    def positive_int(self, name: str, required: bool = True) -> int | None:
        value = self.required(name) if required else self.text(name)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            self.reasons.append(f"{name} {value!r} is not a positive whole number")
            return None
        return int(value)

    def check(self, limit, *args) -> None:
        """A limit of R-INPUT-1 as one more reason, not a refusal of the file."""
        try:
            limit(*args)
        except DomainError as exc:
            self.reasons.append(str(exc))

    def flag(self, name: str) -> bool:
        value = self.text(name).lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.reasons.append(f"{name} {self.text(name)!r} is not true or false")
        return False

    def money(self, name: str, currency: str | None) -> int | None:
        value = self.required(name)
        if not value:
            return None
        try:
            # With no valid currency, still say whether it is a positive number at all.
            minor = parse_amount(value, currency or "XXX", name)
        except DomainError as exc:
            self.reasons.append(str(exc))
            return None
        if minor <= 0:
            self.reasons.append(f"{name} {value} is not a positive amount")
            return None
        if currency:
            self.check(limits.amount, minor, currency, name)
        return minor


def _usable(products) -> tuple[dict[str, Product], dict[str, str]]:
    """The products a row can sign up to, and why each other cannot (its values outside
    R-INPUT-1: a store written to by hand), by path."""
    usable, damaged = {}, {}
    for product in products:
        try:
            values.require_product(product)
            usable[product.path] = product
        except Unreadable as exc:
            damaged[product.path] = f"{exc.subject} {exc.what}"
    return usable, damaged


def _parse_row(row: _Row, products: dict[str, Product],
               today: dt.date, damaged: dict[str, str]) -> signup.NewSubscription:
    cells = row.cells.values()
    # each cell is looked at only when the row as a whole has one too long or a control
    # character (a class of single characters: the cells joined hold one where a cell does)
    if max(map(len, cells), default=0) > MAX_CELL or text.has_control("".join(cells)):
        _check_cells(row)
    row.required("referenceId")
    first, last = row.required("first"), row.required("last")
    email = row.required("email")
    if email and not _EMAIL.fullmatch(email):
        row.reasons.append(f"email {email!r} is not an address")
    language = row.required("language").lower()
    if language and language not in LANGUAGES:
        row.reasons.append(f"language {language!r} is not an ISO 639-1 code")
    country = row.required("country").upper()
    if country and country not in COUNTRIES:
        row.reasons.append(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    region, postal = row.text("region"), row.text("postalCode")
    if country == "US":
        row.required("region")
        row.required("postalCode")
    live = row.flag("live") if row.text("live") else True
    path = row.required("productPath")
    product = products.get(path)
    if path in damaged:
        row.reasons.append(f"productPath {path!r} cannot be signed up to: {damaged[path]}")
    elif path and product is None:
        row.reasons.append(f"productPath {path!r} is not a product of this store")
    quantity = row.positive_int("quantity")
    if quantity is not None:
        row.check(limits.quantity, quantity)
    currency = row.required("currency").upper()
    if currency and currency not in CURRENCIES:
        row.reasons.append(f"currency {currency!r} is not an ISO 4217 code")
        currency = ""
    price = row.money("listPrice", currency or None)
    interval = row.required("interval").lower()
    if interval and interval not in INTERVALS:
        row.reasons.append(f"interval {interval!r} is not one of {', '.join(INTERVALS)}")
    length = row.positive_int("intervalLength")
    if length is not None and interval in INTERVALS:
        row.check(limits.interval, interval, length)
    next_charge = row.date("nextChargeDate", required=interval != "adhoc")
    end = row.date("endDate")
    begin = row.date("beginDate")
    trial_end = row.date("trialEndDate")
    _check_dates(row, interval, next_charge, end, begin, today)
    charges_left = row.positive_int("intervalCount", required=False)
    if charges_left is not None:
        row.check(limits.count, charges_left, "intervalCount")
    manual = row.flag("manualRenew")
    if manual and interval == "adhoc":
        row.reasons.append("manualRenew is not available for a managed (adhoc) subscription")
    discount = _discount(row, currency or None)
    return signup.NewSubscription(
        product=product, email=email, first=first, last=last, currency=currency,
        price=price or 0, interval_unit=interval, interval_length=length or 1,
        quantity=quantity or 1, next_charge_date=next_charge, begin_date=begin, end_date=end,
        trial_end_date=trial_end, manual_renew=manual, reference_id=row.text("referenceId"),
        live=live, charges_left=charges_left, tax_exemption=row.text("taxExemptionData") or None,
        discount_type=discount[0], discount_value=discount[1], discount_remaining=discount[2],
        discount_code=row.text("discountCode") or None,
        account={"language": language, "country": country, "region": region,
                 "postal_code": postal, "company": row.text("company"),
                 "phone": row.text("phone"), "address_line1": row.text("addressLine1"),
                 "address_line2": row.text("addressLine2"), "city": row.text("city")})


def _check_cells(row: _Row) -> None:
    for name, value in row.cells.items():
        if len(value) > MAX_CELL:
            row.reasons.append(f"{name} is longer than {MAX_CELL} characters")
            row.cells[name] = ""
        elif text.has_control(value):  # R-INPUT-4
            row.reasons.append(f"{name} holds a control character")


def _check_dates(row: _Row, interval: str, next_charge: dt.date | None, end: dt.date | None,
                 begin: dt.date | None, today: dt.date) -> None:
    """R-INPUT-2: a store never bills missed periods, so a row cannot start in its past."""
    if next_charge is not None and interval != "adhoc" and next_charge < today:
        row.reasons.append(f"nextChargeDate {next_charge} is before the store's date {today}")
    if end is not None and end < today:
        row.reasons.append(f"endDate {end} is before the store's date {today}")
    if begin is not None and next_charge is not None and begin > next_charge:
        row.reasons.append(f"beginDate {begin} is after nextChargeDate {next_charge}")


def _discount(row: _Row, currency: str | None) -> tuple[str | None, int | None, int | None]:
    kind = row.text("discountType").lower()
    value = row.text("discountValue")
    duration = row.positive_int("discountDuration", required=False)
    if duration is not None:
        row.check(limits.count, duration, "discountDuration")
    if not kind:
        if value:
            row.reasons.append("discountValue is given without a discountType")
        return None, None, None
    if kind not in ("percent", "amount"):
        row.reasons.append(f"discountType {kind!r} is not percent or amount")
        return None, None, None
    if not value:
        row.reasons.append("discountValue is blank")
        return None, None, None
    try:
        if kind == "percent":
            amount = parse_percent(value, "discountValue")
            if not 0 < amount <= 10000:
                raise DomainError(f"discountValue {value} is not a percent from 0 to 100")
        else:
            if currency is None:
                return None, None, None
            amount = limits.amount(parse_amount(value, currency, "discountValue"), currency,
                                   "discountValue")
    except DomainError as exc:
        row.reasons.append(str(exc))
        return None, None, None
    return kind, amount, duration


def _payments(path: str) -> tuple[dict[str, Payment], list[str]]:
    header, rows = read_rows(path, PAYMENT_REQUIRED, "payment file")
    by_ref: dict[str, Payment] = {}
    warnings: list[str] = []
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if any(looks_like_card_number(c) for c in cells):
            raise DomainError(f"payment file {path} row {number} holds what looks like a card "
                              "number; only gateway tokens may be imported")
        record = dict(zip(header, (c.strip() for c in cells)))
        reasons = []
        if len(cells) != len(header):
            reasons.append(f"payment file row {number} has {len(cells)} cells, the header "
                           f"{len(header)}")
        ref, token = record.get("referenceId", ""), record.get("token", "")
        if not token:
            reasons.append(f"payment file row {number} has no token")
        last4, expiry = record.get("last4") or None, record.get("expiry") or None
        try:
            check_card_display(last4, expiry)
        except DomainError as exc:
            reasons.append(f"payment file row {number}: {exc}")
        if not ref:
            warnings.append(f"payment file row {number} has no referenceId; ignored")
        elif ref in by_ref:
            by_ref[ref].reasons.append(f"payment file rows {by_ref[ref].row} and {number} both "
                                       f"give {ref}")
        else:
            by_ref[ref] = Payment(number, token, last4, expiry, reasons)
    return by_ref, warnings


def _same_email(report: Report, number: int, new: signup.NewSubscription,
                accounts: dict) -> None:
    """R-INPUT-8: a customer is one account per email; another name on it is kept, and said."""
    known = accounts.get(new.email)
    if known is not None and (known.first, known.last) != (new.first, new.last):
        report.warnings.append(
            f"row {number}: {new.email} is already {known.first} {known.last}'s address; "
            f"{new.reference_id} is added to that customer, not as {new.first} {new.last}")


FLUSH_EVERY = 2000  # rows held in memory before they are written (the transaction goes on)


def _emails(rows: list[list[str]], header: list[str]) -> list[str]:
    if "email" not in header:
        return []
    column = header.index("email")
    return [r[column].strip() for r in rows if len(r) > column and r[column].strip()]


def import_file(path: str, payments: str | None = None, dry_run: bool = False,
                operator: str | None = None, progress=None) -> Report:
    header, rows = read_rows(path, REQUIRED, "subscription file")
    paid, warnings = _payments(payments) if payments else ({}, [])
    report = Report(warnings=warnings)
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        report.warnings.append(f"columns ignored: {', '.join(unknown)}")
    products, damaged = _usable(Product.select())
    with database.atomic() as txn, batch.collect() as writes:
        ctx = context.current(operator)
        accounts = subs.accounts_by_email(_emails(rows, header))
        existing = {r for (r,) in Subscription.select(Subscription.reference_id)
                    .where(Subscription.reference_id.is_null(False)).tuples()}
        seen: dict[str, int] = {}
        made: set = set()  # (account, product) pairs imported so far (R-TRIAL-2)
        if progress:
            progress(0, len(rows))
        for number, cells in enumerate(rows, start=2):
            if progress and number % 500 == 0:
                progress(number - 1, len(rows))
            if not any(c.strip() for c in cells):
                continue
            row = _Row(dict(zip(header, cells)))
            if len(cells) != len(header):
                row.reasons.append(f"the row has {len(cells)} cells, the header {len(header)}")
            new = _parse_row(row, products, ctx.today, damaged)
            ref = new.reference_id
            if ref and ref in seen:
                row.reasons.append(f"referenceId {ref} is also on row {seen[ref]}")
            elif ref:
                seen[ref] = number
            payment = paid.pop(ref, None) if ref else None
            if ref in existing and not row.reasons:
                report.skipped += 1
                report.warnings.append(f"row {number}: {ref} is already in the store; skipped")
                continue
            if payment is not None:
                row.reasons.extend(payment.reasons)
            if row.reasons:
                report.rejected += 1
                report.errors.append({"row": number, "reference_id": ref or None,
                                      "reasons": row.reasons})
                continue
            if payment is not None:
                if new.manual_renew:
                    report.warnings.append(f"row {number}: {ref} renews manually; its payment "
                                           "token was not stored")
                else:
                    new.token, new.last4, new.expiry = payment.token, payment.last4, \
                        payment.expiry
            elif not new.manual_renew and new.interval_unit != "adhoc":
                report.warnings.append(f"row {number}: {ref} has no payment token; it will go "
                                       "overdue at its next charge")
            report.imported += 1
            _same_email(report, number, new, accounts)
            if not dry_run:
                signup.create(ctx, new, accounts, made)
                if report.imported % FLUSH_EVERY == 0:
                    writes.flush()
        if progress:
            progress(len(rows), len(rows))
        for ref, payment in paid.items():
            report.warnings.append(f"payment file row {payment.row}: {ref} is not in the "
                                   "subscription file; ignored")
        if dry_run or not report.imported:
            txn.rollback()  # R-INPUT-9: an import of nothing leaves no trace, audit included
        else:
            # the rejected rows by number and referenceId, in the import's own audit row: the
            # attention list (R-ATTN-1) shows the import until they are in the store
            outbox.audit(ctx, "import", None, None, None,
                         {"file": str(path), **{k: v for k, v in report.as_dict().items()
                                                if k in ("imported", "rejected", "skipped")},
                          "rejected_rows": [{"row": e["row"], "reference_id": e["reference_id"]}
                                            for e in report.errors]})
    return report
