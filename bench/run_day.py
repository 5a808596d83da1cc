"""run-day on a busy date, per due subscription, against a plain-sqlite3 floor.

python bench/run_day.py [N] [RUNS]   (default 100000 subscriptions, 3 runs)

Each run copies the bench store, then (1) times opsconsole's run-day for the next date and
(2) on another copy times the floor: the same kinds of rows a successful rebill writes (a
charge, an event, an email, the subscription's update) for the same due subscriptions, with
sqlite3 executemany in one transaction. It prints the medians and their ratio."""

import datetime as dt
import json
import sqlite3
import sys
import time

from common import copy, median, store


def opsconsole_run(path) -> tuple[float, int]:
    from opsconsole import clock
    from opsconsole.billing import daily
    from opsconsole.store import db as store_db

    store_db.open_store(str(path))
    due = len(daily.candidates(clock.today() + dt.timedelta(days=1)))
    started = time.perf_counter()
    clock.run_days(days=1)
    elapsed = time.perf_counter() - started
    store_db.close_store()
    return elapsed, due


def floor_run(path, day: dt.date) -> tuple[float, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=normal")
    started = time.perf_counter()
    rows = conn.execute(
        "SELECT s.id, s.price * s.quantity, s.currency, a.email, s.next_charge_date "
        "FROM subscription s JOIN account a ON a.id = s.account_id "
        "WHERE s.state IN ('active', 'trial') AND s.next_charge_date <= ? "
        "AND s.interval_unit != 'adhoc'", (day.isoformat(),)).fetchall()
    at = f"{day} 00:00:00"
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO charge (subscription_id, scheduled_date, kind, attempt, date, amount, "
        "currency, status, at) VALUES (?, ?, 'rebill', 1, ?, ?, ?, 'completed', ?)",
        [(i, nxt, day.isoformat(), amount, cur, at) for i, amount, cur, _, nxt in rows])
    conn.executemany("INSERT INTO event (type, subscription_id, at, payload) VALUES "
                     "('subscription.charge.completed', ?, ?, ?)",
                     [(i, at, json.dumps({"id": i, "state": "active"})) for i, *_ in rows])
    conn.executemany("INSERT INTO notification (template, recipient, subscription_id, at) "
                     "VALUES ('Payment Receipt', ?, ?, ?)",
                     [(email, i, at) for i, _, _, email, _ in rows])
    conn.executemany("UPDATE subscription SET next_charge_date = date(next_charge_date, "
                     "'+1 month'), last_run = ? WHERE id = ?",
                     [(day.isoformat(), i) for i, *_ in rows])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


def main(n: int, runs: int) -> dict:
    source = store(n)
    ours, floor, due = [], [], 0
    for run in range(runs):
        elapsed, due = opsconsole_run(copy(source, "run-day-ours.db"))
        ours.append(elapsed / due * 1e6)
        f_elapsed, f_due = floor_run(copy(source, "run-day-floor.db"), dt.date(2026, 1, 31))
        floor.append(f_elapsed / f_due * 1e6)
    result = {"subscriptions": n, "due": due, "runs": runs,
              "opsconsole_us_per_due": round(median(ours), 1),
              "floor_us_per_due": round(median(floor), 1),
              "ratio": round(median(ours) / median(floor), 2), "goal_ratio": 1.5}
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
