"""The store clock and run-day (R-CLOCK-*): the one place that decides what happens on a date.
For each new date it runs the billing day, then the cases day."""

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import pendulum

from .billing import daily, iso, limits
from .billing.errors import DomainError
from .cases import daily as cases_daily
from .errors import Unreadable
from .store import context, db as store_db, engine, journal, rows
from .store.context import Ctx
from .store.models import DayRun, Store, database

if TYPE_CHECKING:
    from . import day_split

COUNT_KEYS = daily.COUNT_KEYS


def init_store(target: str, date: dt.date | None = None, timezone: str = "UTC",
               currency: str = "USD") -> dict:
    """A new, empty store whose clock starts at 00:00 of `date` (default: today)."""
    if not store_db.known_zone(timezone):
        raise DomainError(f"unknown time zone {timezone!r}")
    currency = iso.currency(currency)
    if date is None:
        date = pendulum.now(timezone).date()  # the one wall-clock read: a new store's first day
        date = dt.date(date.year, date.month, date.day)
    limits.date(date, "the store's first date")
    store_db.create_store(target)
    Store.create(timezone=timezone, currency=currency, clock=_midnight(date))
    return clock_info()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def clock_info() -> dict:
    store = Store.get()
    return {"date": store.clock.date().isoformat(),
            "at": context.iso(store.clock, store.timezone), "timezone": store.timezone}


def today() -> dt.date:
    return Store.get().clock.date()


def _stored(row: DayRun) -> dict:
    """A day's counts so far; ones that are not counts (a store written to by hand) are
    named by their row, not an internal error of every run-day from then on."""
    counts = rows.loads(row.counts, "day run", row.date, "counts")
    if not isinstance(counts, dict) or not all(type(n) is int for n in counts.values()):
        raise Unreadable("day run", row.date, [("counts", row.counts, "counts by name, in JSON")])
    return counts


def _counts(day: dt.date) -> dict:
    row = DayRun.get_or_none(DayRun.date == day)
    stored = _stored(row) if row else {}
    return {key: stored.get(key, 0) for key in COUNT_KEYS}


def record_counts(day: dt.date) -> Callable[[Counter], None]:
    def record(counts: Counter) -> None:
        if not counts:
            return
        # the row taken first (an update that changes nothing), then read: the day's split
        # workers add their counts to it one after another, none lost
        DayRun.update(counts=DayRun.counts).where(DayRun.date == day).execute()
        row = DayRun.get(DayRun.date == day)
        total = Counter(_stored(row))
        total.update(counts)
        row.counts = json.dumps(dict(sorted(total.items())))  # whichever batch came first
        row.save()
    return record


RUN_DAY = "run-day"  # the operator name of the daily process's own audit rows


def set_aside(ctx: Ctx, found: list[dict],
              kind: str = "subscription") -> Callable[[int, Exception], None]:
    """R-INPUT-3: a subscription (or a case, `kind`) whose work failed is noted in the audit
    log and the report."""
    def note(row_id: int, exc: Exception) -> None:
        if isinstance(exc, Unreadable):  # the row and what it holds, in one line
            error = (f"it {exc.what}" if exc.subject == f"{kind} {row_id}"
                     else f"{exc.subject} {exc.what}")
        elif isinstance(exc, DomainError):  # a rule's own refusal says what it is
            error = str(exc)
        else:
            error = f"{type(exc).__name__}: {exc}"
        detail: dict = {"date": ctx.today.isoformat(), "error": error}
        if kind != "subscription":
            detail[kind] = row_id
        journal.audit(Ctx(ctx.today, ctx.now, ctx.timezone, RUN_DAY), "set-aside", None, None,
                      detail, subscription=row_id if kind == "subscription" else None)
        found.append({kind: row_id, "error": error})
    return note


def _run_date(day: dt.date, progress, split: "day_split.Split | None" = None) -> dict:
    store = Store.get()
    ctx = Ctx(day, _midnight(day), store.timezone)
    _counts(day)  # counts it cannot add to are named before any work, not after each batch
    found: list[dict] = []
    if split is not None:
        split.run(ctx, found, progress)
    else:
        daily.run(ctx, record_counts(day), progress, set_aside(ctx, found))
    with database.atomic():
        record_counts(day)(Counter(cases_daily.run(ctx, set_aside(ctx, found, "case"))))
    with database.atomic():
        DayRun.update(finished=True).where(DayRun.date == day).execute()
        Store.update(day_open=None).execute()
    return {"date": day.isoformat(), "counts": _counts(day), "set_aside": found}


def _advance(target: dt.date, on_day, progress, split=None) -> list[dict]:
    reports = []
    store = Store.get()
    if store.day_open is not None:  # a run stopped part-way through this date: finish it
        reports.append(_run_date(store.day_open, progress, split))
        if on_day:
            on_day(reports[-1])
    while store.clock.date() < target:
        day = store.clock.date() + dt.timedelta(days=1)
        with database.atomic():
            Store.update(clock=_midnight(day), day_open=day).execute()
            DayRun.insert(date=day).on_conflict_ignore().execute()
        reports.append(_run_date(day, progress, split))
        if on_day:
            on_day(reports[-1])
        store = Store.get()
    return reports


def target_date(days: int | None = None, until: dt.date | None = None) -> dt.date:
    current = today()
    if until is not None:
        limits.date(until, "--until")
        if until < current:
            raise DomainError(f"the store is at {current}; run-day cannot go back to {until}")
        limits.run_days((until - current).days)
        return until
    days = 1 if days is None else days
    if days < 0:
        raise DomainError("run-day moves forward only: --days must be 0 or more")
    limits.run_days(days)
    return limits.date(current + dt.timedelta(days=days), "the date run-day would reach")


def run_days(days: int | None = None, until: dt.date | None = None, dry_run: bool = False,
             on_day: Callable[[dict], None] | None = None,
             progress: Callable[[int, int], None] | None = None,
             workers: int = 1) -> list[dict]:
    """Move the clock forward one date at a time, running each date's work once.

    With dry_run, the same work runs inside a transaction that is rolled back, so the report
    is exactly what would happen and nothing is written. With workers > 1 (PostgreSQL), each
    date's subscriptions are split over that many processes (day_split)."""
    target_date(days, until)  # bad input is refused before waiting for the day
    limits.workers(workers)
    engine.check_day_workers(database.obj, workers)
    if dry_run and workers > 1:
        raise DomainError("a dry run is one transaction in one process: give --dry-run "
                          "without --workers")
    store_db.check_integrity()  # R-INPUT-6: never write a day into a damaged store
    with engine.day_lock(database.obj):  # R-DB-2: one run-day at a time moves the clock
        target = target_date(days, until)  # from where the clock is once the day is ours
        if workers > 1:
            from . import day_split

            with day_split.Split(workers) as split:
                return _advance(target, on_day, progress, split)
        if not dry_run:
            return _advance(target, on_day, progress)
        with database.atomic() as txn:
            reports = _advance(target, on_day, progress)
            txn.rollback()
        return reports
