"""Upgrading a store written by an earlier schema, in place, when it is opened.

Each step takes the store from one version to the next in its own transaction, so an
interrupted upgrade resumes where it stopped. A store keeps its data; nothing is rebuilt."""

import datetime as dt

import peewee as pw
import pendulum
from playhouse.migrate import migrate

from ..errors import DomainError
from . import engine
from .models import (
    ADDON_TABLES,
    EXTRA_INDEXES,
    FOLD_INDEXES,
    ORDER_INDEXES,
    REPORT_INDEXES,
    SCHEMA_VERSION,
    Meta,
    fold,
)
from .webhook_models import WEBHOOK_TABLES

FOLD_CHUNK = 10_000  # rows read and rewritten at a time while filling the folded copies


def _to_2(db: pw.Database) -> None:
    """A gateway reference on each charge; an index in the subscriptions list's order."""
    columns = {c.name for c in db.get_columns("charge")}
    if "reference" not in columns:
        migrate(engine.migrator(db).add_column("charge", "reference",
                                              pw.CharField(null=True)))
    for statement in EXTRA_INDEXES:
        db.execute_sql(statement)


def _to_3(db: pw.Database) -> None:
    """Indexes for the list within a state or a product. (Schema 3 also made COLLATE NOCASE
    indexes for search; schema 4 replaces them, so they are no longer made on the way.)"""
    for statement in ORDER_INDEXES:
        db.execute_sql(statement)


OLD_SEARCH_INDEXES = ("subscription_ref_nocase", "account_email_nocase", "account_first_nocase",
                      "account_last_nocase")


def _fill_folds(db: pw.Database, table: str, sources: dict[str, str]) -> None:
    """Set table's fold columns (target -> source) from their sources, a chunk of rows at a
    time in id order (a store may hold millions), each chunk with one executemany."""
    targets = list(sources)
    p = db.param
    read = (f'SELECT id, {", ".join(sources[t] for t in targets)} FROM {table} '
            f"WHERE id > {p} ORDER BY id LIMIT {FOLD_CHUNK}")
    write = (f'UPDATE {table} SET {", ".join(f"{t} = {p}" for t in targets)} WHERE id = {p}')
    cursor = db.cursor()
    last = 0
    while True:
        rows = db.execute_sql(read, (last,)).fetchall()
        if not rows:
            break
        cursor.executemany(write, [[fold(v) for v in values] + [row_id]
                                   for row_id, *values in rows])
        last = rows[-1][0]


def _to_4(db: pw.Database) -> None:
    """R-INPUT-5: case-folded copies of the searched columns, indexed plainly, in place of the
    NOCASE indexes (which folded ASCII only)."""
    migrator = engine.migrator(db)
    for table, sources in (("account", {"email_fold": "email", "first_fold": "first",
                                        "last_fold": "last"}),
                           ("subscription", {"reference_fold": "reference_id"})):
        columns = {c.name for c in db.get_columns(table)}
        for target in sources:
            if target not in columns:
                migrate(migrator.add_column(table, target, pw.CharField(null=True)))
        _fill_folds(db, table, sources)
    for name in OLD_SEARCH_INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    for statement in FOLD_INDEXES:
        db.execute_sql(statement)


PERIOD_KINDS = ("rebill", "retry", "resume", "payment")  # charges that begin a period


def _advance(day: dt.date, unit: str, length: int) -> dt.date:
    moved = pendulum.Date(day.year, day.month, day.day).add(**{unit + "s": length})
    return dt.date(moved.year, moved.month, moved.day)


def _period_start(last_charged: dt.date, next_charge: dt.date, unit: str,
                  length: int) -> dt.date | None:
    """The scheduled date the current period began: from the last charged schedule date, the
    schedule (R-SCHED-2, clamped days stick) walked on to the date just before the next
    charge; None where the two do not meet on one schedule."""
    day = last_charged
    for _ in range(10_000):
        following = _advance(day, unit, length)
        if following == next_charge:
            return day
        if following > next_charge:
            return None
        day = following
    return None


def _fill_period_start(db: pw.Database) -> None:
    """R-PRORATE-2: period_start for each scheduled subscription the store has charged."""
    p = db.param
    kinds = ", ".join(p for _ in PERIOD_KINDS)
    read = (f"SELECT s.id, s.next_charge_date, s.interval_unit, s.interval_length, "
            f"(SELECT MAX(c.scheduled_date) FROM charge c WHERE c.subscription_id = s.id "
            f"AND c.status = 'completed' AND c.kind IN ({kinds})) "
            f"FROM subscription s WHERE s.id > {p} AND s.next_charge_date IS NOT NULL "
            f"AND s.interval_unit <> 'adhoc' ORDER BY s.id LIMIT {FOLD_CHUNK}")
    write = f"UPDATE subscription SET period_start = {p} WHERE id = {p}"
    cursor = db.cursor()
    last = 0
    while True:
        rows = db.execute_sql(read, (*PERIOD_KINDS, last)).fetchall()
        if not rows:
            break
        updates = []
        for sub_id, next_charge, unit, length, charged in rows:
            if charged is not None:
                start = _period_start(_date(charged), _date(next_charge), unit, length)
                if start is not None:
                    updates.append((start, sub_id))
        if updates:
            cursor.executemany(write, updates)
        last = rows[-1][0]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _to_5(db: pw.Database) -> None:
    """Add-ons (R-ADDON-*), the webhook outbox (R-HOOK-*), and the period's start date
    (R-PRORATE-2)."""
    db.create_tables(ADDON_TABLES + WEBHOOK_TABLES, safe=True)
    if "period_start" not in {c.name for c in db.get_columns("subscription")}:
        migrate(engine.migrator(db).add_column("subscription", "period_start",
                                              pw.DateField(null=True)))
    _fill_period_start(db)


def _to_6(db: pw.Database) -> None:
    """Indexes for the dashboard's figures and the attention list (issue 16); no table or
    column changes. subscription_report (state, next_charge_date, ...) replaces the index of
    next_charge_date alone: the one query that used it (the day's charges due, by state and
    date) reads the new one as well, and a rebill updates one index fewer."""
    for statement in REPORT_INDEXES:
        db.execute_sql(statement)
    db.execute_sql("DROP INDEX IF EXISTS subscription_next_charge_date")


STEPS = {1: _to_2, 2: _to_3, 3: _to_4, 4: _to_5, 5: _to_6}  # from version N to N + 1


def upgrade(db: pw.Database, version: int) -> None:
    """Each step in its own transaction, on either engine; the engine's schema extras (text
    collation, the audit guard) after each, so a column a step adds is like the others."""
    for step in range(version, SCHEMA_VERSION):
        if step not in STEPS:
            raise DomainError(f"no upgrade from schema {step}; this store is too old")
        with db.atomic():
            STEPS[step](db)
            engine.schema_extras(db)
            Meta.insert(key="schema_version", value=str(step + 1)).on_conflict(
                conflict_target=[Meta.key], update={Meta.value: str(step + 1)}).execute()
