"""What webhook delivery rows add to a run-day, against the floor of those rows alone.

python bench/hook_rows.py [N] [RUNS] [--engine postgres]   (default 100000, 3 runs)

Each run makes three fresh copies of the bench store of N: on the first, run-day for the busy
next date with no endpoint; on the second, the same after adding one endpoint that wants every
event (so each event of the day gets a delivery row, R-HOOK-3); on the third, the floor: the
same number of delivery rows (endpoint, event, epoch, status, times), made from the events of
one SELECT and written with the driver's executemany in one transaction. The goal: what the
endpoint adds to run-day is within 1.5x of the floor of its rows."""

import datetime as dt
import json
import sqlite3
import sys
import time

from common import copy, engine_info, is_url, median, store


def run_day(target, endpoint: bool) -> tuple[float, int]:
    from opsconsole import clock
    from opsconsole.store import db as store_db
    from opsconsole.store.webhook_models import WebhookDelivery
    from opsconsole.webhooks import endpoints

    store_db.open_store(str(target))
    if endpoint:
        endpoints.add("http://127.0.0.1:9/all")
    started = time.perf_counter()
    clock.run_days(days=1)
    elapsed = time.perf_counter() - started
    rows = WebhookDelivery.select().count()
    store_db.close_store()
    return elapsed, rows


def floor(target, count: int) -> float:
    """`count` delivery rows for the newest events, as the outbox writes them."""
    now = dt.datetime.now()
    if is_url(target):
        import psycopg

        conn = psycopg.connect(str(target), autocommit=True)
        p = "%s"
    else:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("PRAGMA synchronous=normal")
        p = "?"
    conn.execute(f"INSERT INTO webhook_endpoint (url, secret, events, enabled, created_at) "
                 f"VALUES ({p}, {p}, {p}, {p}, {p})",
                 ("http://127.0.0.1:9/all", "whsec_x", "*", True, now))
    started = time.perf_counter()
    events = conn.execute(f"SELECT id FROM event ORDER BY id DESC LIMIT {count}").fetchall()
    rows = [(1, i, "bench", "pending", 0, 0, now, now) for (i,) in events]
    sql = (f"INSERT INTO webhook_delivery (endpoint_id, event_id, epoch, status, attempts, "
           f"failures, next_attempt_at, created_at) VALUES ({', '.join([p] * 8)})")
    if is_url(target):
        with conn.transaction(), conn.cursor() as cursor:
            cursor.executemany(sql, rows)
    else:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main(n: int, runs: int) -> dict:
    source = store(n)
    plain, hooked, floors, rows = [], [], [], 0
    for _ in range(runs):
        plain.append(run_day(copy(source, "hooks-none.db"), False)[0])
        elapsed, rows = run_day(copy(source, "hooks-all.db"), True)
        hooked.append(elapsed)
        floors.append(floor(copy(source, "hooks-floor.db"), rows))
    added = median(hooked) - median(plain)
    return {**engine_info(), "subscriptions": n, "delivery_rows": rows, "runs": runs,
            "run_day_s": round(median(plain), 2), "with_endpoint_s": round(median(hooked), 2),
            "added_s": round(added, 2), "floor_of_rows_s": round(median(floors), 2),
            "ratio": round(added / median(floors), 2), "goal_ratio": 1.5}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    print(json.dumps(main(args[0] if args else 100_000, args[1] if len(args) > 1 else 3)))
