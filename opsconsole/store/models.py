"""The store's tables. Money is integer minor units; dates are plain `datetime.date`.

Each table also declares, as annotations without values (for the type checker alone: peewee
reads only the fields), what peewee adds to it at run time: the `id` of a table with no primary
key of its own, a `<field>_id` beside each foreign key (the related row's id, not loaded), and
the backrefs other tables name (a query of the rows that refer to this one)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import peewee as pw

from .states import SUB_STATES  # noqa: F401  (re-exported)

database = pw.DatabaseProxy()

SCHEMA_VERSION = 6


def fold(text: str | None) -> str | None:
    """Text as search compares it (R-INPUT-5): composed (NFC), then case-folded for every
    alphabet (É -> é, Ó -> ó, Σ -> σ, ß -> ss). Computed here, in Python, for the stored copies
    and for what is typed alike, so both engines compare the same strings."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text).casefold()


class IntegerField(pw.IntegerField):
    """Read as stored where it is not a whole number: peewee's int() would read a price of
    29.5 (a store file written to by hand) as 29, and bill it; kept, it is named instead
    (store/rows.fits). Whole values of another type (PostgreSQL's numeric sums) read as int."""

    def python_value(self, value):
        if value is None or type(value) is int:
            return value
        try:
            whole = int(value)
        except (TypeError, ValueError, OverflowError):
            return value
        return whole if whole == value else value


def iso_date(text: str) -> dt.date:
    """A stored date: YYYY-MM-DD and nothing else. Python's fromisoformat also reads
    '2026-W06-1' and '20260206', which the store compares as text and would never find due."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return dt.date.fromisoformat(text)


class DateField(pw.DateField):
    """Read as stored where it is not a YYYY-MM-DD date (peewee's would read '2026-2-3', which
    sorts after every 2026 date): kept, it is named instead (store/rows.fits)."""

    def python_value(self, value):
        if isinstance(value, str):
            try:
                return iso_date(value)
            except ValueError:
                return value
        return value if value is None or isinstance(value, dt.date) else \
            super().python_value(value)


class BooleanField(pw.BooleanField):
    """Read as stored where it is not 0 or 1: peewee's bool() would read 'no' or 7 (a store file
    written to by hand) as true, and renew a manual subscription; kept, it is named instead."""

    def python_value(self, value):
        if value is None or type(value) is bool:
            return value
        if type(value) is int and value in (0, 1):
            return value == 1
        return value


class BaseModel(pw.Model):
    # fold column -> the column it is the folded copy of; kept up to date by every write that
    # goes through a model or store/batch (rows written with raw SQL must fill them too)
    folds: dict[str, str] = {}

    class Meta:
        database = database
        legacy_table_names = False
        only_save_dirty = True  # an update writes the columns that changed, not all fifty

    def fill_folds(self, inserting: bool = False) -> BaseModel:
        """Set the fold columns from their sources: all of them for a new row, and for an
        existing one those whose source changed."""
        data = self.__data__
        for target, source in self.folds.items():
            if source in data and (inserting or source in self._dirty):
                value = fold(data[source])
                if inserting or data.get(target) != value:
                    setattr(self, target, value)
        return self

    def save(self, force_insert=False, only=None):
        if self.folds:
            self.fill_folds(inserting=force_insert or self._pk is None)
            if only is not None:  # a fold travels with its source
                names = {f if isinstance(f, str) else f.name for f in only}
                only = list(only) + [t for t, s in self.folds.items() if s in names]
        return super().save(force_insert=force_insert, only=only)


class Meta(BaseModel):
    """Key/value facts about the store file itself (the schema version)."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()


class Store(BaseModel):
    """One row: the store's settings and its own clock (R-CLOCK-1)."""

    name = pw.CharField(default="store")
    timezone = pw.CharField(default="UTC")
    currency = pw.CharField(default="USD")
    clock = pw.DateTimeField()  # naive, in the store's time zone
    day_open = DateField(null=True)  # a date whose daily process began and has not finished

    id: pw.AutoField[int]


class Product(BaseModel):
    path = pw.CharField(unique=True)
    name = pw.CharField()
    interval_unit = pw.CharField()  # day week month year adhoc
    interval_length = IntegerField(default=1)
    price = IntegerField()  # minor units of `currency`
    currency = pw.CharField()
    trial_days = IntegerField(default=0)
    rebills = IntegerField(null=True)  # charges in a phase, the first purchase included
    renews_into = pw.CharField(null=True)  # another product's path
    reminder_days = IntegerField(default=7)
    trial_reminder_days = IntegerField(default=3)
    overdue_notice_days = pw.CharField(default="1,3,5")
    deactivate_after_days = IntegerField(default=7)

    id: pw.AutoField[int]
    subscriptions: pw.ModelSelect[Subscription]
    addons: pw.ModelSelect[ProductAddon]


class Account(BaseModel):
    email = pw.CharField(unique=True)
    first = pw.CharField()
    last = pw.CharField()
    # fold() of email, first and last: what search ranges over (R-INPUT-5, schema 4)
    email_fold = pw.CharField(null=True)
    first_fold = pw.CharField(null=True)
    last_fold = pw.CharField(null=True)
    language = pw.CharField(default="en")
    country = pw.CharField(default="US")
    region = pw.CharField(default="")
    postal_code = pw.CharField(default="")
    company = pw.CharField(default="")
    phone = pw.CharField(default="")
    address_line1 = pw.CharField(default="")
    address_line2 = pw.CharField(default="")
    city = pw.CharField(default="")

    folds = {"email_fold": "email", "first_fold": "first", "last_fold": "last"}

    id: pw.AutoField[int]
    payment_methods: pw.ModelSelect[PaymentMethod]
    subscriptions: pw.ModelSelect[Subscription]


class PaymentMethod(BaseModel):
    """A gateway token. Card numbers are never stored (R-GW-1)."""

    account = pw.ForeignKeyField(Account, backref="payment_methods", on_delete="CASCADE")
    token = pw.CharField()
    last4 = pw.CharField(null=True)
    expiry = pw.CharField(null=True)  # MM/YY

    id: pw.AutoField[int]
    account_id: pw.ForeignKeyField[int]


class Subscription(BaseModel):
    reference_id = pw.CharField(null=True, unique=True)
    account = pw.ForeignKeyField(Account, backref="subscriptions")
    product = pw.ForeignKeyField(Product, backref="subscriptions")
    state = pw.CharField(index=True)
    quantity = IntegerField(default=1)
    currency = pw.CharField()
    price = IntegerField()  # unit price, minor units
    interval_unit = pw.CharField()
    interval_length = IntegerField(default=1)
    live = BooleanField(default=True)
    manual_renew = BooleanField(default=False)
    payment_method = pw.ForeignKeyField(PaymentMethod, null=True, on_delete="SET NULL")
    begin_date = DateField()
    # indexed by subscription_report (schema 6: state, then next_charge_date), which the daily
    # process's search for charges due (state and date) reads as well
    next_charge_date = DateField(null=True)
    end_date = DateField(null=True, index=True)
    trial_end_date = DateField(null=True)
    cancel_date = DateField(null=True, index=True)
    pause_date = DateField(null=True, index=True)
    resume_date = DateField(null=True, index=True)
    deactivated_on = DateField(null=True)
    # discount: percent in basis points, amount in minor units; remaining null = forever
    discount_type = pw.CharField(null=True)
    discount_value = IntegerField(null=True)
    discount_remaining = IntegerField(null=True)
    discount_code = pw.CharField(null=True)
    rebills_left = IntegerField(null=True)  # charges left in this product phase (R-SCHED-4)
    tax_exemption = pw.CharField(null=True)
    # notification and cancellation settings copied from the product (R-SETTINGS-1)
    reminder_days = IntegerField(default=7)
    trial_reminder_days = IntegerField(default=3)
    overdue_notice_days = pw.CharField(default="1,3,5")
    deactivate_after_days = IntegerField(default=7)
    # dunning (R-DUN-*): what is owed, since when, and the next date with work
    overdue_since = DateField(null=True)
    dunning_kind = pw.CharField(null=True)  # rebill | prorate | manual
    dunning_date = DateField(null=True)  # the scheduled date being collected
    dunning_amount = IntegerField(null=True)
    dunning_attempts = IntegerField(default=0)
    dunning_next = DateField(null=True, index=True)
    # reminders (R-REMIND-1, R-TRIAL-1): the day the next one is due, and for which charge date
    remind_on = DateField(null=True, index=True)
    reminded_for = DateField(null=True)
    last_prorated = DateField(null=True)
    last_run = DateField(null=True)  # the last date whose daily work this subscription got
    created_at = pw.DateTimeField()
    reference_fold = pw.CharField(null=True)  # fold(reference_id) (R-INPUT-5, schema 4)
    # the scheduled date the current period began (R-PRORATE-2, schema 5); null: not known,
    # the period end moved back one interval stands in
    period_start = DateField(null=True)

    folds = {"reference_fold": "reference_id"}

    id: pw.AutoField[int]
    account_id: pw.ForeignKeyField[int]
    product_id: pw.ForeignKeyField[int]
    payment_method_id: pw.ForeignKeyField[int | None]
    addons: pw.ModelSelect[SubscriptionAddon]
    cases: pw.ModelSelect[Case]
    charges: pw.ModelSelect[Charge]
    events: pw.ModelSelect[Event]
    notifications: pw.ModelSelect[Notification]
    audit: pw.ModelSelect[Audit]
    # what billing/subs.py caches on a loaded instance (read with getattr, as on a light row):
    # its add-ons (subs.Held, which the store does not import) and whether it is a repeat trial
    _addons: list[Any]
    _repeat: bool


class ProductAddon(BaseModel):
    """An add-on a product offers (R-ADDON-1): a path and a unit price in the product's
    currency; offers in the same single-choice group exclude each other on a subscription."""

    product = pw.ForeignKeyField(Product, backref="addons", on_delete="CASCADE")
    path = pw.CharField()
    price = IntegerField()  # minor units
    group = pw.CharField(null=True)
    single = BooleanField(default=False)  # the group is single-choice

    class Meta:
        indexes = ((("product", "path"), True),)

    id: pw.AutoField[int]
    product_id: pw.ForeignKeyField[int]


class SubscriptionAddon(BaseModel):
    """An add-on a subscription carries (R-ADDON-2/3), billed with it in one charge."""

    subscription = pw.ForeignKeyField(Subscription, backref="addons", on_delete="CASCADE")
    path = pw.CharField()
    quantity = IntegerField(default=1)
    price = IntegerField()  # unit price, minor units

    class Meta:
        indexes = ((("subscription", "path"), True),)

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int]


class Case(BaseModel):
    """A support case (R-CASE-*). Times are naive store-clock date-times (R-CASE-3)."""

    kind = pw.CharField(default="seller")  # seller | consumer
    subject = pw.CharField()
    description = pw.TextField(default="")
    steps = pw.TextField(default="")
    attachments = pw.TextField(default="[]")  # JSON list of file paths
    category = pw.CharField()
    subscription = pw.ForeignKeyField(Subscription, null=True, backref="cases")
    order_ref = pw.CharField(null=True)
    descriptor = pw.CharField(null=True)
    q_severity = BooleanField(default=False)
    q_breadth = BooleanField(default=False)
    q_urgency = BooleanField(default=False)
    q_visibility = BooleanField(default=False)
    severity = IntegerField(index=True)  # 0 Highest .. 3 Low; escalation raises it
    status = pw.CharField(index=True)
    opened_at = pw.DateTimeField()
    first_response_at = pw.DateTimeField(null=True)
    last_update_at = pw.DateTimeField(null=True)  # the support side's last update
    last_communication_at = pw.DateTimeField()
    pending_since = pw.DateTimeField(null=True)  # entered Pending Closure
    closed_at = pw.DateTimeField(null=True)
    due_at = pw.DateTimeField(null=True, index=True)  # the target that is next due
    breach_noted_for = pw.DateTimeField(null=True)  # the due time a breach event was written for
    satisfaction_score = IntegerField(null=True)
    satisfaction_comment = pw.TextField(null=True)

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int | None]
    notes: pw.ModelSelect[CaseNote]
    escalations: pw.ModelSelect[CaseEscalation]
    events: pw.ModelSelect[Event]
    audit: pw.ModelSelect[Audit]


class CaseNote(BaseModel):
    case = pw.ForeignKeyField(Case, backref="notes", on_delete="CASCADE")
    side = pw.CharField()  # support | customer
    author = pw.CharField()
    text = pw.TextField()
    at = pw.DateTimeField()

    id: pw.AutoField[int]
    case_id: pw.ForeignKeyField[int]


class CaseEscalation(BaseModel):
    case = pw.ForeignKeyField(Case, backref="escalations", on_delete="CASCADE")
    who = pw.CharField()
    why = pw.TextField()
    at = pw.DateTimeField()
    severity_before = IntegerField()
    severity_after = IntegerField()

    id: pw.AutoField[int]
    case_id: pw.ForeignKeyField[int]


class Charge(BaseModel):
    subscription = pw.ForeignKeyField(Subscription, backref="charges")
    scheduled_date = DateField()
    kind = pw.CharField()  # rebill retry managed resume prorate refund payment
    attempt = IntegerField(default=1)
    date = DateField(index=True)  # the store date of the attempt
    amount = IntegerField()
    currency = pw.CharField()
    status = pw.CharField()  # completed failed
    reason = pw.CharField(null=True)
    reference = pw.CharField(null=True)  # the gateway's reference for the attempt
    at = pw.DateTimeField()

    class Meta:
        # R-REL-1: a second write of the same attempt fails, so a rerun can never charge twice.
        indexes = ((("subscription", "scheduled_date", "kind", "attempt"), True),)

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int]


class Event(BaseModel):
    # a batch names some events' ids before it writes them (their webhook deliveries): it hands
    # out every event's id itself, so one without deliveries cannot take an id handed out
    ids_from_batch = True

    type = pw.CharField(index=True)
    subscription = pw.ForeignKeyField(Subscription, null=True, backref="events")
    case = pw.ForeignKeyField(Case, null=True, backref="events")
    at = pw.DateTimeField(index=True)
    payload = pw.TextField()
    key = pw.CharField(null=True, unique=True)  # the cause, for work the daily process writes

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int | None]
    case_id: pw.ForeignKeyField[int | None]


class Notification(BaseModel):
    template = pw.CharField()
    recipient = pw.CharField()
    subscription = pw.ForeignKeyField(Subscription, null=True, backref="notifications")
    at = pw.DateTimeField(index=True)
    key = pw.CharField(null=True, unique=True)

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int | None]


class Audit(BaseModel):
    operator = pw.CharField()
    action = pw.CharField()
    subscription = pw.ForeignKeyField(Subscription, null=True, backref="audit")
    case = pw.ForeignKeyField(Case, null=True, backref="audit")
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)
    detail = pw.TextField(null=True)
    at = pw.DateTimeField()  # store time
    wall_at = pw.DateTimeField()  # the one wall-clock time in the store

    id: pw.AutoField[int]
    subscription_id: pw.ForeignKeyField[int | None]
    case_id: pw.ForeignKeyField[int | None]


class DayRun(BaseModel):
    """What the daily process did for one date; counts grow with each committed batch."""

    date = DateField(primary_key=True)
    counts = pw.TextField(default="{}")
    finished = BooleanField(default=False)


from .webhook_models import WEBHOOK_TABLES  # noqa: E402  (they refer to Event)

ADDON_TABLES = [ProductAddon, SubscriptionAddon]
TABLES = [Meta, Store, Product, Account, PaymentMethod, Subscription, Case, CaseNote,
          CaseEscalation, Charge, Event, Notification, Audit, DayRun, *ADDON_TABLES,
          *WEBHOOK_TABLES]

# Indexes peewee cannot declare: the subscriptions list's own order, so a page is a range scan
# (schema 2), also within one state or one product (schema 3), and plain ones on the folded
# copies for prefix search, so a keystroke reads a few index entries, not the store (schema 4;
# schema 3's COLLATE NOCASE ones folded ASCII only, and only on SQLite).
SORT_END = "9999-12-31"  # where a subscription without a next charge date sorts
LIST_ORDER = f"COALESCE(next_charge_date, '{SORT_END}')"
EXTRA_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS subscription_list_order ON subscription ({LIST_ORDER}, id)",
]
ORDER_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS subscription_state_order ON subscription "
    f"(state, {LIST_ORDER}, id)",
    f"CREATE INDEX IF NOT EXISTS subscription_product_order ON subscription "
    f"(product_id, {LIST_ORDER}, id)",
]
FOLD_INDEXES = [
    "CREATE INDEX IF NOT EXISTS subscription_reference_fold ON subscription (reference_fold)",
    "CREATE INDEX IF NOT EXISTS account_email_fold ON account (email_fold)",
    # first name alone, and "first last": the first name whole, then a range of last names
    "CREATE INDEX IF NOT EXISTS account_first_last_fold ON account (first_fold, last_fold)",
    "CREATE INDEX IF NOT EXISTS account_last_fold ON account (last_fold)",
]
SEARCH_INDEXES = ORDER_INDEXES + FOLD_INDEXES

# The dashboard's figures and the attention list (schema 6), each read from an index without
# touching the rows, so `report` and `attention` stay under a second on a million
# subscriptions. Subscriptions are grouped by what their monthly amount and coming charges
# depend on: most only by REPORT_PLAIN (subscription_report); those with anything more to them
# (SPECIAL_TERMS: a pause, a cancel or end date, phases, a discount, manual renewal) by all of
# REPORT_GROUP, from a partial index of their own (few rows). Likewise partial indexes hold
# the completed charges of a range of dates, the failed ones, and the completed retries and
# payments, with what ties a dunning together. A query finds a partial index on both engines
# when it names the index's condition as written here. Then the audit rows of one action.
REPORT_PLAIN = ("state", "next_charge_date", "interval_unit", "interval_length", "currency",
                "price", "quantity")
REPORT_GROUP = REPORT_PLAIN + ("manual_renew", "pause_date", "resume_date", "cancel_date",
                               "end_date", "rebills_left", "discount_type", "discount_value",
                               "discount_remaining", "product_id")
SPECIAL_TERMS = ("manual_renew = TRUE OR pause_date IS NOT NULL OR resume_date IS NOT NULL OR "
                 "cancel_date IS NOT NULL OR end_date IS NOT NULL OR rebills_left IS NOT NULL "
                 "OR discount_type IS NOT NULL")
CHARGES_COMPLETED = "status = 'completed'"
CHARGES_FAILED = "status = 'failed'"
CHARGES_COLLECTED = "status = 'completed' AND kind IN ('retry', 'payment')"
REPORT_INDEXES = [
    "CREATE INDEX IF NOT EXISTS subscription_report ON subscription "
    f"({', '.join(REPORT_PLAIN)})",
    "CREATE INDEX IF NOT EXISTS subscription_report_terms ON subscription "
    f"({', '.join(REPORT_GROUP)}) WHERE {SPECIAL_TERMS}",
    "CREATE INDEX IF NOT EXISTS charge_completed ON charge (date, currency, kind, amount) "
    f"WHERE {CHARGES_COMPLETED}",
    "CREATE INDEX IF NOT EXISTS charge_failed ON charge (date, kind, subscription_id, "
    f"scheduled_date, currency, amount) WHERE {CHARGES_FAILED}",
    "CREATE INDEX IF NOT EXISTS charge_collected ON charge (date, kind, subscription_id, "
    f"scheduled_date, amount, at) WHERE {CHARGES_COLLECTED}",
    "CREATE INDEX IF NOT EXISTS audit_action ON audit (action, id)",
]
