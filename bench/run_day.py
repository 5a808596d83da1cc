"""run-day on a busy date, per due subscription, against a floor written with the plain driver.

python bench/run_day.py [N] [RUNS] [--engine postgres]   (default 100000 subscriptions, 3 runs)

Each run copies the bench store, then (1) times opsconsole's run-day for the next date and
(2) on another copy times the floor: the same kinds of rows a successful rebill writes (a
charge, an event, an email, the subscription's update) for the same due subscriptions, with
executemany in one transaction (sqlite3, or psycopg on PostgreSQL). It prints the medians and
their ratio."""

import datetime as dt
import hashlib
import json
import sqlite3
import sys
import time

from common import copy, engine_info, is_url, median, payload, store


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
    """What a hand-written script writing the same rows as a successful rebill would cost: a
    charge (with a gateway reference), an event whose payload is the subscription as JSON with
    the keys of the real one, an email, the subscription's new dates; keyed as the real rows."""
    if is_url(path):
        return floor_run_pg(path, day)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=normal")
    started = time.perf_counter()
    rows = conn.execute(FLOOR_SELECT.replace("%s", "?"), (day.isoformat(),)).fetchall()
    at = f"{day} 00:00:00"
    today = day.isoformat()
    charges, events, emails, updates = [], [], [], []
    for (i, ref, _state, path, qty, cur, price, unit, length, begin, nxt, end, trial_end,
         cancel, pause, resume, manual, last4, expiry, email, first, last, overdue,
         prorated, token) in rows:
        new_next = (dt.date.fromisoformat(nxt) + dt.timedelta(days=30)).isoformat()
        body = payload(id=i, reference_id=ref, state="active", product=path, quantity=qty,
                       currency=cur, price=price, interval=unit, interval_length=length,
                       begin_date=begin, next_charge_date=new_next, end_date=end,
                       trial_end_date=trial_end, cancel_date=cancel, pause_date=pause,
                       resume_date=resume, manual_renew=manual, last4=last4, expiry=expiry,
                       email=email, first=first, last=last, overdue_since=overdue,
                       last_prorated=prorated)
        reference = "sbx_" + hashlib.sha256(f"{i}:{nxt}:rebill:1:{token}".encode()) \
            .hexdigest()[:16]
        charges.append((i, nxt, today, price * qty, cur, reference, at))
        events.append((i, at, body, f"{today}/{i}/subscription.charge.completed/1"))
        emails.append((email, i, at, f"{today}/{i}/email:Payment Receipt/1"))
        remind = (dt.date.fromisoformat(new_next) - dt.timedelta(days=7)).isoformat()
        updates.append((new_next, today, remind, i))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO charge (subscription_id, scheduled_date, kind, attempt, date, amount, "
        "currency, status, reference, at) VALUES (?, ?, 'rebill', 1, ?, ?, ?, 'completed', ?, ?)",
        charges)
    conn.executemany("INSERT INTO event (type, subscription_id, at, payload, key) VALUES "
                     "('subscription.charge.completed', ?, ?, ?, ?)", events)
    conn.executemany("INSERT INTO notification (template, recipient, subscription_id, at, key) "
                     "VALUES ('Payment Receipt', ?, ?, ?, ?)", emails)
    conn.executemany("UPDATE subscription SET next_charge_date = ?, last_run = ?, remind_on = ? "
                     "WHERE id = ?", updates)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


FLOOR_SELECT = (
    "SELECT s.id, s.reference_id, s.state, p.path, s.quantity, s.currency, s.price, "
    "s.interval_unit, s.interval_length, s.begin_date, s.next_charge_date, s.end_date, "
    "s.trial_end_date, s.cancel_date, s.pause_date, s.resume_date, s.manual_renew, "
    "m.last4, m.expiry, a.email, a.first, a.last, s.overdue_since, s.last_prorated, m.token "
    "FROM subscription s JOIN account a ON a.id = s.account_id "
    "JOIN product p ON p.id = s.product_id "
    "LEFT JOIN payment_method m ON m.id = s.payment_method_id "
    "WHERE s.state IN ('active', 'trial') AND s.next_charge_date <= %s "
    "AND s.interval_unit != 'adhoc'")


def _iso(value):
    return None if value is None else value.isoformat()


def floor_run_pg(url: str, day: dt.date) -> tuple[float, int]:
    """The same floor on PostgreSQL with psycopg 3: the same SELECT, the same rows built the
    same way (dates come back as dates: the payload gets them as ISO text, the columns as
    dates), written with executemany (psycopg pipelines it: one round trip per batch, not per
    row) in one transaction."""
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    started = time.perf_counter()
    rows = conn.execute(FLOOR_SELECT, (day,)).fetchall()
    at = dt.datetime(day.year, day.month, day.day)
    today = day.isoformat()
    charges, events, emails, updates = [], [], [], []
    for (i, ref, _state, path, qty, cur, price, unit, length, begin, nxt, end, trial_end,
         cancel, pause, resume, manual, last4, expiry, email, first, last, overdue,
         prorated, token) in rows:
        new_next = nxt + dt.timedelta(days=30)
        body = payload(id=i, reference_id=ref, state="active", product=path, quantity=qty,
                       currency=cur, price=price, interval=unit, interval_length=length,
                       begin_date=_iso(begin), next_charge_date=new_next.isoformat(),
                       end_date=_iso(end), trial_end_date=_iso(trial_end),
                       cancel_date=_iso(cancel), pause_date=_iso(pause),
                       resume_date=_iso(resume), manual_renew=manual, last4=last4,
                       expiry=expiry, email=email, first=first, last=last,
                       overdue_since=_iso(overdue), last_prorated=_iso(prorated))
        reference = "sbx_" + hashlib.sha256(f"{i}:{nxt}:rebill:1:{token}".encode()) \
            .hexdigest()[:16]
        charges.append((i, nxt, day, price * qty, cur, reference, at))
        events.append((i, at, body, f"{today}/{i}/subscription.charge.completed/1"))
        emails.append((email, i, at, f"{today}/{i}/email:Payment Receipt/1"))
        updates.append((new_next, day, new_next - dt.timedelta(days=7), i))
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO charge (subscription_id, scheduled_date, kind, attempt, date, amount, "
            "currency, status, reference, at) "
            "VALUES (%s, %s, 'rebill', 1, %s, %s, %s, 'completed', %s, %s)", charges)
        cursor.executemany("INSERT INTO event (type, subscription_id, at, payload, key) VALUES "
                           "('subscription.charge.completed', %s, %s, %s, %s)", events)
        cursor.executemany("INSERT INTO notification (template, recipient, subscription_id, at, "
                           "key) VALUES ('Payment Receipt', %s, %s, %s, %s)", emails)
        cursor.executemany("UPDATE subscription SET next_charge_date = %s, last_run = %s, "
                           "remind_on = %s WHERE id = %s", updates)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


def main(n: int, runs: int) -> dict:
    source = store(n)
    ours, floor, due = [], [], 0
    for _ in range(runs):
        elapsed, due = opsconsole_run(copy(source, "run-day-ours.db"))
        ours.append(elapsed / due * 1e6)
        f_elapsed, f_due = floor_run(copy(source, "run-day-floor.db"), dt.date(2026, 1, 31))
        floor.append(f_elapsed / f_due * 1e6)
    result = {**engine_info(), "subscriptions": n, "due": due, "runs": runs,
              "opsconsole_us_per_due": round(median(ours), 1),
              "floor_us_per_due": round(median(floor), 1),
              "ratio": round(median(ours) / median(floor), 2), "goal_ratio": 1.5}
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
