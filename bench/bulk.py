"""Bulk price preview and apply on one product's subscriptions.

python bench/bulk.py [N] [RUNS] [--engine postgres]
    (default a 182,000 store: about 100,000 on 'monthly', 3 runs)

Each run copies the bench store and times `bulk-price monthly --percent 5`: the preview (the
plan, writing nothing) and the apply (one transaction: each subscription's new price, event and
email, and one audit row for the whole action, R-BULK-1), and on another copy the floor: the
same rows built by hand from one SELECT and written with the driver's executemany in one
transaction. The goals: the apply within 1.5x the floor, the preview under 2 s for 100,000."""

import datetime as dt
import json
import sqlite3
import sys
import time

from common import copy, engine_info, is_url, median, payload, store

PERCENT = 5


def one_run(path) -> tuple[float, float, int]:
    from opsconsole.billing import bulk
    from opsconsole.store import db as store_db

    store_db.open_store(str(path))
    started = time.perf_counter()
    plan = bulk.plan("monthly", percent=str(PERCENT))
    preview = time.perf_counter() - started
    started = time.perf_counter()
    bulk.apply("monthly", percent=str(PERCENT), operator="bench")
    applied = time.perf_counter() - started
    store_db.close_store()
    return preview, applied, len(plan.rows)


SELECT = (
    "SELECT s.id, s.reference_id, s.state, p.path, s.quantity, s.currency, s.price, "
    "s.interval_unit, s.interval_length, s.begin_date, s.next_charge_date, s.end_date, "
    "s.trial_end_date, s.cancel_date, s.pause_date, s.resume_date, s.manual_renew, "
    "m.last4, m.expiry, a.email, a.first, a.last, s.overdue_since, s.last_prorated "
    "FROM subscription s JOIN account a ON a.id = s.account_id "
    "JOIN product p ON p.id = s.product_id "
    "LEFT JOIN payment_method m ON m.id = s.payment_method_id "
    "WHERE p.path = 'monthly' AND s.state != 'deactivated' AND s.currency = p.currency "
    "ORDER BY s.id")


def _text(value):
    return value if value is None or isinstance(value, str) else value.isoformat()


def floor_rows(rows, at) -> tuple[list, list, list, tuple]:
    """What the apply writes, built by hand: each changed subscription's price, its event with
    the subscription as JSON, its email, and one audit row naming every id's old and new."""
    prices, events, emails, before, after = [], [], [], {}, {}
    for (i, ref, state, path, qty, cur, price, unit, length, begin, nxt, end, trial_end,
         cancel, pause, resume, manual, last4, expiry, email, first, last, overdue,
         prorated) in rows:
        new = (price * (100 + PERCENT) * 2 + 100) // 200  # half up, in minor units
        if new == price:
            continue
        body = payload(id=i, reference_id=ref, state=state, product=path, quantity=qty,
                       currency=cur, price=new, interval=unit, interval_length=length,
                       begin_date=_text(begin), next_charge_date=_text(nxt),
                       end_date=_text(end), trial_end_date=_text(trial_end),
                       cancel_date=_text(cancel), pause_date=_text(pause),
                       resume_date=_text(resume), manual_renew=manual, last4=last4,
                       expiry=expiry, email=email, first=first, last=last,
                       overdue_since=_text(overdue), last_prorated=_text(prorated))
        prices.append((new, i))
        events.append((i, at, body))
        emails.append((email, i, at))
        before[str(i)], after[str(i)] = f"{price / 100:.2f}", f"{new / 100:.2f}"
    detail = {"product": "monthly", "currency": "USD", "change": {"percent": str(PERCENT)},
              "count": len(prices)}
    audit = (json.dumps(before), json.dumps(after), json.dumps(detail), at)
    return prices, events, emails, audit


def floor_run(path) -> tuple[float, int]:
    """The floor: one SELECT, the rows built in plain Python, written with the driver's
    executemany in one transaction (sqlite3, or psycopg on PostgreSQL)."""
    if is_url(path):
        import psycopg

        conn = psycopg.connect(str(path), autocommit=True)
        p, begin, commit = "%s", None, None
    else:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA synchronous=normal")
        p, begin, commit = "?", "BEGIN IMMEDIATE", "COMMIT"
    started = time.perf_counter()
    [(clock,)] = conn.execute("SELECT clock FROM store").fetchall()
    at = clock if isinstance(clock, dt.datetime) else dt.datetime.fromisoformat(clock)
    prices, events, emails, audit = floor_rows(conn.execute(SELECT).fetchall(), at)
    statements = [
        (f"UPDATE subscription SET price = {p} WHERE id = {p}", prices),
        (f"INSERT INTO event (type, subscription_id, at, payload) VALUES "
         f"('subscription.updated', {p}, {p}, {p})", events),
        (f"INSERT INTO notification (template, recipient, subscription_id, at) VALUES "
         f"('Subscription Updated', {p}, {p}, {p})", emails),
        (f"INSERT INTO audit (operator, action, before, after, detail, at, wall_at) VALUES "
         f"('bench', 'bulk-price', {p}, {p}, {p}, {p}, {p})", [(*audit, dt.datetime.now())]),
    ]
    if begin:
        conn.execute(begin)
        for sql, rows in statements:
            conn.executemany(sql, rows)
        conn.execute(commit)
    else:
        with conn.transaction(), conn.cursor() as cursor:
            for sql, rows in statements:
                cursor.executemany(sql, rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(prices)


def main(n: int, runs: int) -> dict:
    source = store(n)
    previews, applies, floors, count, floor_count = [], [], [], 0, 0
    for _ in range(runs):
        preview, applied, count = one_run(copy(source, "bulk.db"))
        previews.append(preview)
        applies.append(applied)
        elapsed, floor_count = floor_run(copy(source, "bulk-floor.db"))
        floors.append(elapsed)
    assert floor_count == count, (floor_count, count)  # the floor changes the same rows
    return {**engine_info(), "subscriptions": n, "changed": count, "runs": runs,
            "preview_seconds": round(median(previews), 2),
            "apply_seconds": round(median(applies), 2),
            "floor_seconds": round(median(floors), 2),
            "apply_ratio": round(median(applies) / median(floors), 2), "goal_ratio": 1.5}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 182_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
