"""A store of N subscriptions with declines, pauses, cancellations, trials and managed ones,
built through the import path and the operator actions, for the reliability tests."""

import csv
import datetime as dt
import random
from pathlib import Path

from opsconsole import clock
from opsconsole.billing import actions, products
from opsconsole.store import db as store_db
from opsconsole.store.models import Subscription
from opsconsole.transfer.form import COLUMNS
from opsconsole.transfer.importer import import_file
from tests import engines

START = dt.date(2026, 1, 30)


def build(target, n: int, seed: int = 7, folder: Path | None = None) -> None:
    """The store at `target` (a SQLite path or a PostgreSQL URL); its import files go in
    `folder` (for a path, beside it)."""
    rng = random.Random(seed)
    folder = folder or Path(target).parent
    clock.init_store(str(target), START)
    products.add("monthly", "Monthly", "month", "30.00")
    products.add("weekly", "Weekly", "week", "7.50")
    products.add("yearly", "Yearly", "year", "300.00")
    products.add("usage", "Usage", "adhoc", "1.00")
    subs, pays = folder / f"gen{n}-{seed}.subs.csv", folder / f"gen{n}-{seed}.pay.csv"
    with open(subs, "w", newline="") as f, open(pays, "w", newline="") as g:
        rows, payments = csv.DictWriter(f, COLUMNS), csv.writer(g)
        rows.writeheader()
        payments.writerow(["referenceId", "token"])
        for i in range(n):
            product = rng.choice(["monthly"] * 6 + ["weekly"] * 3 + ["yearly", "usage"])
            interval = {"monthly": "month", "weekly": "week", "yearly": "year",
                        "usage": "adhoc"}[product]
            next_date = START + dt.timedelta(days=rng.randint(1, 31))
            trial = rng.random() < 0.08
            row = {c: "" for c in COLUMNS}
            row.update(referenceId=f"R{i}", first="F", last=str(i), email=f"c{i}@example.com",
                       language="en", country="GB", live="true", productPath=product,
                       quantity=str(rng.randint(1, 3)), currency="USD",
                       listPrice={"monthly": "30.00", "weekly": "7.50", "yearly": "300.00",
                                  "usage": "1.00"}[product],
                       interval=interval, intervalLength="1",
                       nextChargeDate="" if product == "usage" else next_date.isoformat(),
                       trialEndDate=(next_date - dt.timedelta(days=1)).isoformat()
                       if trial and product != "usage" else "",
                       manualRenew="true" if rng.random() < 0.03 and product != "usage" else "")
            rows.writerow(row)
            token = "tok_chargeDeclined" if rng.random() < 0.05 else "tok_visa"
            if rng.random() > 0.02:
                payments.writerow([f"R{i}", token])
    import_file(str(subs), str(pays))
    ids = [s.id for s in Subscription.select(Subscription.id).order_by(Subscription.id)]
    for sub_id in rng.sample(ids, max(1, n // 12)):
        try:
            actions.pause(sub_id, rng.randint(1, 3))
        except Exception:
            pass  # refused for a trial or a manual renewal: that is fine here
    for sub_id in rng.sample(ids, max(1, n // 15)):
        try:
            actions.cancel(sub_id)
        except Exception:
            pass
    if engines.is_sqlite(target):  # one file to copy
        store_db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store_db.close_store()


def snapshot(path: Path) -> tuple:
    """What a store holds, as sets: independent of row ids and of the order rows were written."""
    store_db.open_store(str(path))
    from opsconsole.store.models import Charge, Event, Notification

    try:
        return (
            {(c.subscription_id, c.scheduled_date, c.kind, c.attempt, c.date, c.amount,
              c.status, c.reference) for c in Charge.select()},
            {(e.subscription_id, e.case_id, e.type, e.at, e.payload) for e in Event.select()},
            {(n.subscription_id, n.template, n.recipient, n.at) for n in Notification.select()},
            {(s.id, s.state, s.next_charge_date, s.cancel_date, s.pause_date, s.overdue_since,
              s.rebills_left, s.discount_remaining) for s in Subscription.select()},
        )
    finally:
        store_db.close_store()


def problems(path: Path) -> list[str]:
    """Charged twice for one date, or a state its own history does not explain."""
    import json

    store_db.open_store(str(path))
    from opsconsole.store.models import Charge, Event

    found = []
    try:
        seen = set()
        for c in Charge.select().where(Charge.status == "completed",
                                       Charge.kind.in_(["rebill", "retry"])):
            key = (c.subscription_id, c.scheduled_date)
            if key in seen:
                found.append(f"subscription {key[0]} charged twice for {key[1]}")
            seen.add(key)
        for sub in Subscription.select():
            last = (Event.select().where(Event.subscription == sub)
                    .order_by(Event.id.desc()).first())
            if last is None or json.loads(last.payload).get("state") != sub.state:
                found.append(f"subscription {sub.id} is {sub.state}, its last event says "
                             f"{last and json.loads(last.payload).get('state')}")
    finally:
        store_db.close_store()
    return found
