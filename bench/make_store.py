"""Build a realistic store of N subscriptions, fast: python bench/make_store.py N [PATH]

The schema comes from opsconsole's own init_store, each subscription's derived dates from the
core's own functions (so the daily process sees what it would have written), and the rows go
in with executemany in a few transactions. Mixed products and intervals, next charge dates
spread over a month, ~3% declining tokens, some paused, canceled, trial, manual and managed
ones, and a few thousand support cases. A million takes minutes, not hours."""

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opsconsole import clock  # noqa: E402
from opsconsole.billing import products, schedule, subs  # noqa: E402
from opsconsole.store import db as store_db  # noqa: E402
from opsconsole.store.models import Product, Subscription, database, fold  # noqa: E402

START = dt.date(2026, 1, 30)
PRODUCTS = [  # path, interval, price, weight
    ("monthly", "month", "30.00", 55), ("monthly-eu", "month", "27.00", 10),
    ("weekly", "week", "7.50", 15), ("yearly", "year", "300.00", 12),
    ("usage", "adhoc", "1.00", 5), ("daily", "day", "1.00", 3)]
BATCH = 20_000


def build(n: int, path: Path, seed: int = 1) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    clock.init_store(str(path), START)
    for p, interval, price, _ in PRODUCTS:
        products.add(p, p, interval, price, currency="EUR" if p.endswith("-eu") else None)
    by_path = {p.path: p for p in Product.select()}
    weights = [w for *_, w in PRODUCTS]
    conn = database.connection()
    now = dt.datetime(2026, 1, 30).isoformat(" ")
    sub_fields = [f for f in Subscription._meta.sorted_fields if f.name != "id"]
    sub_columns = ["id"] + [f.column_name for f in sub_fields]
    done = 0
    while done < n:
        count = min(BATCH, n - done)
        accounts, methods, rows, events = [], [], [], []
        for i in range(done + 1, done + count + 1):
            product_path, interval = rng.choices([(p, iv) for p, iv, *_ in PRODUCTS], weights)[0]
            product = by_path[product_path]
            email, first, last = f"c{i}@example.com", "First", f"Last{i}"
            accounts.append((i, email, first, last, fold(email), fold(first), fold(last), "en",
                             "GB", "", "", "", "", "", "", ""))
            token = "tok_chargeDeclined" if rng.random() < 0.03 else "tok_visa"
            manual = interval != "adhoc" and rng.random() < 0.02
            methods.append((i, i, token, f"{i % 10000:04d}", "12/29"))
            next_date = None if interval == "adhoc" else START + dt.timedelta(
                days=rng.randint(1, 30 if interval != "year" else 365))
            if interval == "day":
                next_date = START + dt.timedelta(days=1)
            if interval == "week":
                next_date = START + dt.timedelta(days=rng.randint(1, 7))
            trial = interval in ("month", "week") and rng.random() < 0.05
            sub = Subscription(
                id=i, reference_id=f"B{i}", account=i, product=product,
                state="trial" if trial else "active", quantity=rng.randint(1, 3),
                currency=product.currency, price=product.price, interval_unit=interval,
                interval_length=1, live=True, manual_renew=manual,
                payment_method=None if manual else i, begin_date=START - dt.timedelta(
                    days=rng.randint(0, 400)), next_charge_date=next_date,
                trial_end_date=next_date - dt.timedelta(days=1) if trial else None,
                created_at=dt.datetime(2026, 1, 30))
            subs.copy_settings(sub, product)
            if next_date and not trial and not manual and rng.random() < 0.03:
                sub.pause_date = next_date
                sub.resume_date = schedule.advance(next_date, interval, 1, rng.randint(1, 3))
            if next_date and rng.random() < 0.03:
                sub.cancel_date = next_date
            sub.remind_on = subs.reminder_date(sub)
            sub.fill_folds(inserting=True)  # search's folded copies (R-INPUT-5)
            data = sub.__data__
            rows.append((i, *(_db(data.get(f.name)) for f in sub_fields)))
            events.append(("subscription.activated", i, now,
                           json.dumps({"id": i, "state": sub.state}), None))
        with database.atomic():
            conn.executemany("INSERT INTO account (id, email, first, last, email_fold, "
                             "first_fold, last_fold, language, country, region, postal_code, "
                             "company, phone, address_line1, address_line2, city) VALUES "
                             "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", accounts)
            conn.executemany("INSERT INTO payment_method VALUES (?,?,?,?,?)", methods)
            conn.executemany(f"INSERT INTO subscription ({', '.join(sub_columns)}) VALUES "
                             f"({', '.join('?' * len(sub_columns))})", rows)
            conn.executemany("INSERT INTO event (type, subscription_id, at, payload, key) "
                             "VALUES (?,?,?,?,?)", events)
        done += count
    _cases(min(3000, max(n // 300, 10)), rng, now)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.execute_sql("ANALYZE")
    store_db.close_store()
    return {"subscriptions": n, "seconds": round(time.perf_counter() - started, 1),
            "path": str(path)}


def _db(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _cases(count: int, rng: random.Random, now: str) -> None:
    from opsconsole.cases import rules

    statuses = list(rules.STATUSES)
    rows = []
    for i in range(count):
        severity = rng.randint(0, 3)
        status = rng.choice(statuses[:-1])
        opened = dt.datetime(2026, 1, 30) - dt.timedelta(hours=rng.randint(0, 500))
        due = None if status == "Pending Closure" else rules.response_due(opened, severity)
        # the days before the store's clock have run: a breach before it is already noted
        noted = due.isoformat(" ") if due and due < dt.datetime(2026, 1, 30) else None
        rows.append(("seller", f"Case {i}", "", "", "[]", rng.choice(rules.CATEGORIES), None,
                     None, None, 0, 0, 0, 0, severity, status,
                     opened.isoformat(" "), None, None, opened.isoformat(" "),
                     opened.isoformat(" ") if status == "Pending Closure" else None, None,
                     due.isoformat(" ") if due else None, noted, None, None))
    with database.atomic():
        database.connection().executemany(
            "INSERT INTO \"case\" (kind, subject, description, steps, attachments, category, "
            "subscription_id, order_ref, descriptor, q_severity, q_breadth, q_urgency, "
            "q_visibility, severity, status, opened_at, first_response_at, last_update_at, "
            "last_communication_at, pending_since, closed_at, due_at, breach_noted_for, "
            "satisfaction_score, satisfaction_comment) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench-{size}.db")
    if target.exists():
        sys.exit(f"{target} exists; remove it or name another")
    print(json.dumps(build(size, target)))
