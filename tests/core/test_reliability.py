"""R-REL-1..3: never charged twice, all or nothing, no 'database is locked'."""

import datetime as dt
import threading
import time

import peewee
import pytest

from opsconsole import clock
from opsconsole.billing import actions, charging, daily, outbox
from opsconsole.store import context, db as store_db
from opsconsole.store.models import Charge, Event, Notification, Subscription, database
from tests import engines
from tests.conftest import d


def snapshot():
    """What the store did, as sets, independent of row ids and write order."""
    return (
        {(c.subscription_id, c.scheduled_date, c.kind, c.attempt, c.date, c.amount, c.status)
         for c in Charge.select()},
        {(e.subscription_id, e.type, e.at, e.payload) for e in Event.select()},
        {(n.subscription_id, n.template, n.at) for n in Notification.select()},
        {(s.id, s.state, s.next_charge_date, s.overdue_since) for s in Subscription.select()},
    )


def busy_store(store, n=60):
    tokens = ["tok_visa", "tok_visa", "tok_chargeDeclined", None]
    for i in range(n):
        store.sub(next_charge=f"2026-02-{1 + i % 28:02d}", token=tokens[i % 4],
                  trial_end_date="2026-02-03" if i % 7 == 0 else None)
    for i in range(1, n, 9):
        if i % 7:  # trials cannot be paused
            actions.pause(i + 1, 1 + i % 3)
    for i in range(4, n, 11):
        actions.cancel(i + 1)


def test_R_REL_1_a_second_write_of_the_same_charge_fails(store):
    sub = store.sub(next_charge="2026-01-31")
    store.run(1)
    with pytest.raises(peewee.IntegrityError):
        with database.atomic():
            charging.attempt(context.current(), store.get(sub), "rebill", d("2026-01-31"), 3000)
    assert len(store.charges(sub)) == 1


def _day_work(day):
    """Per subscription, what it got on one date: its charges, events and emails."""
    work = {}
    for c in Charge.select().where(Charge.date == day):
        work.setdefault(c.subscription_id, set()).add(("charge", c.kind, c.amount, c.status))
    for e in Event.select().where(Event.at.between(day, day + dt.timedelta(days=1))):
        work.setdefault(e.subscription_id, set()).add(("event", e.type, e.payload))
    for n in Notification.select().where(Notification.at.between(day,
                                                                 day + dt.timedelta(days=1))):
        work.setdefault(n.subscription_id, set()).add(("email", n.template))
    return work


def test_R_REL_2_a_crash_mid_batch_leaves_all_or_nothing_and_a_rerun_matches(
        store, tmp_path, monkeypatch):
    busy_store(store)
    crash_day = d("2026-02-05")
    store_db.close_store()
    copy = engines.copy(store.path, tmp_path, "copy")
    store_db.open_store(copy)
    clock.run_days(until=d("2026-03-10"))  # the uninterrupted run
    expected, expected_day = snapshot(), _day_work(crash_day)
    store_db.close_store()
    store_db.open_store(store.path)

    real = daily.process
    calls = {"n": 0}

    def crashing(ctx, sub, counts):
        if ctx.today == crash_day:
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt("power cut")
        return real(ctx, sub, counts)

    monkeypatch.setattr(daily, "process", crashing)
    with pytest.raises(KeyboardInterrupt):
        clock.run_days(until=d("2026-03-10"))
    assert store.today() == crash_day
    got = _day_work(crash_day)
    assert expected_day, "the crash date must have work for this test to mean anything"
    assert not got  # the batch in progress was rolled back whole
    monkeypatch.setattr(daily, "process", real)
    clock.run_days(until=d("2026-03-10"))
    after = snapshot()
    assert after == expected
    paid = [(c[0], c[1]) for c in after[0] if c[6] == "completed"
            and c[2] in ("rebill", "retry")]
    assert len(paid) == len(set(paid))  # never two completed charges for one scheduled date


def test_R_REL_2_an_operator_action_is_all_or_nothing(store, monkeypatch):
    sub = store.sub(next_charge="2026-02-01")
    events = Event.select().count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "audit", broken)
    with pytest.raises(RuntimeError):
        actions.pause(sub, 2)
    row = store.get(sub)
    assert row.pause_date is None and Event.select().count() == events


def test_R_REL_3_wal_and_a_busy_timeout(store, engine):
    if engine == "sqlite":
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    else:  # a writer waits for the write lock as long as SQLite's busy timeout
        assert database.execute_sql("SHOW lock_timeout").fetchone()[0] == "10s"


def test_R_REL_3_a_second_writer_waits_instead_of_failing(store):
    sub = store.sub(next_charge="2026-02-01")
    holding = threading.Event()

    def long_writer():
        with database.atomic():
            Subscription.update(quantity=2).where(Subscription.id == sub).execute()
            holding.set()
            time.sleep(0.6)
        database.close()

    thread = threading.Thread(target=long_writer)
    thread.start()
    holding.wait(5)
    started = time.monotonic()
    actions.cancel(sub)  # would raise 'database is locked' without the busy timeout
    waited = time.monotonic() - started
    thread.join()
    row = store.get(sub)
    assert row.cancel_date == d("2026-02-01") and row.quantity == 2
    assert waited > 0.2
