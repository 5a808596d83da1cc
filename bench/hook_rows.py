"""What webhook delivery rows add to the writing of events, against the floor of those rows.

python bench/hook_rows.py [N] [RUNS] [--engine postgres]   (default 10000 events, 5 runs)

On a fresh store, N events are written through the outbox (store/journal.event) in one batch
transaction, as the daily process writes them: first with no endpoint, then with one endpoint
that wants every event (each event gets its delivery row, R-HOOK-3). What the endpoint adds is
the difference of the medians. The floor: the same N delivery rows written with the driver's
executemany in one transaction (rolled back, so every run sees the same table). The goal: what
the rows add is no more than their floor. (A whole run-day is too noisy here to see a
difference of this size.)"""

import datetime as dt
import json
import sys
import time

from common import empty, engine_info, median


def write_events(n: int) -> float:
    from opsconsole.store import batch, context, journal
    from opsconsole.store.models import database

    payload = {"id": 1, "state": "active", "product": "monthly", "amount": "30.00"}
    started = time.perf_counter()
    with database.atomic(), batch.collect():
        ctx = context.current("bench")
        for i in range(n):
            journal.event(ctx, "subscription.charge.completed", {**payload, "id": i})
    return time.perf_counter() - started


def floor(n: int) -> float:
    from opsconsole.store.models import database

    conn = database.connection()
    p = database.param
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if p == "?":  # SQLite keeps a time as the text peewee writes
        now = now.isoformat(" ")
    ids = [i for (i,) in database.execute_sql(f"SELECT id FROM event ORDER BY id DESC LIMIT {n}")]
    sql = (f"INSERT INTO webhook_delivery (endpoint_id, event_id, epoch, status, attempts, "
           f"failures, next_attempt_at, created_at) VALUES (1, {p}, 'bench', 'pending', 0, 0, "
           f"{p}, {p})")
    started = time.perf_counter()
    with database.atomic() as txn:
        conn.cursor().executemany(sql, [(i, now, now) for i in ids])
        elapsed = time.perf_counter() - started
        txn.rollback()
    return elapsed


def main(n: int, runs: int) -> dict:
    from opsconsole import clock
    from opsconsole.store import db as store_db
    from opsconsole.webhooks import endpoints

    clock.init_store(str(empty("hooks.db")), dt.date(2026, 1, 30))
    plain = [write_events(n) for _ in range(runs)]
    endpoints.add("http://127.0.0.1:9/all")
    hooked = [write_events(n) for _ in range(runs)]
    floors = [floor(n) for _ in range(runs)]
    store_db.close_store()
    added = median(hooked) - median(plain)
    return {**engine_info(), "events": n, "runs": runs,
            "events_s": round(median(plain), 3), "with_deliveries_s": round(median(hooked), 3),
            "added_s": round(added, 3), "floor_of_rows_s": round(median(floors), 3),
            "ratio": round(added / median(floors), 2), "goal_ratio": 1.0}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    print(json.dumps(main(args[0] if args else 10_000, args[1] if len(args) > 1 else 5)))
