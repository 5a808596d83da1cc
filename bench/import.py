"""Import of N Subscription Import Form rows, against plain csv + sqlite3 writing the same rows
(account, payment method, subscription with its reminder date, activation event with the
subscription as its payload) in one transaction; on PostgreSQL csv + psycopg executemany.

python bench/import.py [N] [RUNS] [--engine postgres]   (default 100000 rows, 3 runs)"""

import csv
import datetime as dt
import json
import sqlite3
import sys
import time

from common import CACHE, PG, empty, engine_info, median, payload

from opsconsole.store.models import fold
from opsconsole.transfer.form import COLUMNS


def write_files(n: int):
    subs, pays = CACHE / f"import-{n}.csv", CACHE / f"import-{n}-pay.csv"
    if subs.exists() and pays.exists():
        return subs, pays
    CACHE.mkdir(exist_ok=True)
    with open(subs, "w", newline="") as f, open(pays, "w", newline="") as g:
        rows, payments = csv.DictWriter(f, COLUMNS), csv.writer(g)
        rows.writeheader()
        payments.writerow(["referenceId", "token", "last4", "expiry"])
        for i in range(n):
            row = {c: "" for c in COLUMNS}
            row.update(referenceId=f"I{i}", first="F", last=f"L{i}", email=f"i{i}@example.com",
                       language="en", country="GB", live="true", productPath="monthly",
                       quantity="1", currency="USD", listPrice="30.00", interval="month",
                       intervalLength="1",
                       nextChargeDate=(dt.date(2026, 2, 1) + dt.timedelta(i % 28)).isoformat())
            rows.writerow(row)
            payments.writerow([f"I{i}", "tok_visa", f"{i % 10000:04d}", "12/29"])
    return subs, pays


def fresh_store(name: str):
    from opsconsole import clock
    from opsconsole.billing import products

    path = empty(name)  # a file, or a new empty database on the bench server
    clock.init_store(str(path), dt.date(2026, 1, 30))
    products.add("monthly", "Monthly", "month", "30.00")
    return path


def ours(subs, pays) -> float:
    from opsconsole.store import db as store_db
    from opsconsole.transfer.importer import import_file

    fresh_store("import-ours.db")
    started = time.perf_counter()
    report = import_file(str(subs), str(pays))
    elapsed = time.perf_counter() - started
    assert report.rejected == 0
    store_db.close_store()
    return elapsed


def floor(subs, pays) -> float:
    from opsconsole.store import db as store_db

    path = fresh_store("import-floor.db")
    store_db.close_store()
    if PG:
        return floor_pg(subs, pays, path)
    conn = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    accounts, methods, subscriptions, events = floor_rows(subs, pays)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO account (id, email, first, last, email_fold, first_fold, "
                     "last_fold, language, country, region, postal_code, company, phone, "
                     "address_line1, address_line2, city) VALUES "
                     "(?,?,?,?,?,?,?,?,?,'','','','','','','')", accounts)
    conn.executemany("INSERT INTO payment_method VALUES (?,?,?,?,?)", methods)
    conn.executemany("INSERT INTO subscription (id, reference_id, account_id, product_id, "
                     "state, quantity, currency, price, interval_unit, interval_length, "
                     "payment_method_id, begin_date, next_charge_date, created_at, "
                     "reference_fold, live, manual_renew, reminder_days, trial_reminder_days, "
                     "overdue_notice_days, deactivate_after_days, dunning_attempts, remind_on) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,0,7,3,'1,3,5',7,0,?)",
                     subscriptions)
    conn.executemany("INSERT INTO event (type, subscription_id, at, payload) VALUES (?,?,?,?)",
                     events)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def floor_rows(subs, pays) -> tuple[list, list, list, list]:
    """The rows an import of the file writes, as a hand-written script would make them (dates
    as dates: both drivers take them): accounts, payment methods, subscriptions, events."""
    tokens = {r["referenceId"]: r for r in csv.DictReader(open(pays, newline=""))}
    rows = list(csv.DictReader(open(subs, newline="", encoding="utf-8-sig")))
    begin, created = dt.date(2026, 1, 30), dt.datetime(2026, 1, 30)
    accounts, methods, subscriptions, events = [], [], [], []
    for i, r in enumerate(rows, start=1):
        p = tokens[r["referenceId"]]
        accounts.append((i, r["email"], r["first"], r["last"], fold(r["email"]),
                         fold(r["first"]), fold(r["last"]), r["language"], r["country"]))
        methods.append((i, i, p["token"], p["last4"], p["expiry"]))
        nxt = dt.date.fromisoformat(r["nextChargeDate"])
        subscriptions.append((i, r["referenceId"], i, 1, "active", int(r["quantity"]),
                              r["currency"], int(r["listPrice"].replace(".", "")),
                              r["interval"], int(r["intervalLength"]), i, begin, nxt, created,
                              fold(r["referenceId"]), nxt - dt.timedelta(days=7)))
        events.append(("subscription.activated", i, created, payload(
            id=i, reference_id=r["referenceId"], state="active", product="monthly",
            quantity=int(r["quantity"]), currency=r["currency"],
            price=int(r["listPrice"].replace(".", "")), interval=r["interval"],
            interval_length=int(r["intervalLength"]), begin_date="2026-01-30",
            next_charge_date=r["nextChargeDate"], last4=p["last4"], expiry=p["expiry"],
            email=r["email"], first=r["first"], last=r["last"])))
    return accounts, methods, subscriptions, events


def floor_pg(subs, pays, url: str) -> float:
    """The same floor with psycopg 3: the same rows, dates and booleans as PostgreSQL's own
    types, executemany (pipelined) in one transaction, the id sequences moved past the ids
    given (as any script writing its own ids must, and as opsconsole does)."""
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    started = time.perf_counter()
    accounts, methods, subscriptions, events = floor_rows(subs, pays)
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO account (id, email, first, last, email_fold, first_fold, last_fold, "
            "language, country, region, postal_code, company, phone, address_line1, "
            "address_line2, city) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,'','','','','','','')",
            accounts)
        cursor.executemany("INSERT INTO payment_method VALUES (%s,%s,%s,%s,%s)", methods)
        cursor.executemany(
            "INSERT INTO subscription (id, reference_id, account_id, product_id, state, "
            "quantity, currency, price, interval_unit, interval_length, payment_method_id, "
            "begin_date, next_charge_date, created_at, reference_fold, remind_on, live, "
            "manual_renew, reminder_days, trial_reminder_days, overdue_notice_days, "
            "deactivate_after_days, dunning_attempts) VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,true,false,7,3,'1,3,5',7,0)",
            subscriptions)
        cursor.executemany("INSERT INTO event (type, subscription_id, at, payload) "
                           "VALUES (%s,%s,%s,%s)", events)
        for table in ("account", "payment_method", "subscription"):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                           (table, len(subscriptions)))
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main(n: int, runs: int) -> dict:
    subs, pays = write_files(n)
    mine = [ours(subs, pays) for _ in range(runs)]
    base = [floor(subs, pays) for _ in range(runs)]
    return {**engine_info(), "rows": n, "runs": runs, "opsconsole_seconds": round(median(mine), 2),
            "floor_seconds": round(median(base), 2),
            "ratio": round(median(mine) / median(base), 2), "goal_ratio": 2}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
