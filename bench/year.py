"""A simulated year: run-day --days DAYS on N subscriptions; total time, charges per second,
and memory at checkpoints (flat in the number of days is the goal): peak RSS, and the private
memory the process holds (RSS also counts the store's pages SQLite reads through mmap, which
grow with the file, not with what the process keeps).

python bench/year.py [N] [DAYS] [--engine postgres]   (default 100000 subscriptions, 365 days)"""

import json
import resource
import sys
import time

from common import copy, engine_info, private_mb, store


def main(n: int, days: int) -> dict:
    from opsconsole import clock
    from opsconsole.store import db as store_db

    path = copy(store(n), "year.db")
    store_db.open_store(str(path))
    memory, charged = {}, 0
    checkpoints = {days // 12, days // 2, days}

    def on_day(report: dict) -> None:
        nonlocal charged
        charged += report["counts"]["charged"]
        done = len(memory_days) + 1
        memory_days.append(done)
        if done in checkpoints:
            memory[done] = {"rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                            "private": private_mb()}

    memory_days: list[int] = []
    started = time.perf_counter()
    clock.run_days(days=days, on_day=on_day)
    elapsed = time.perf_counter() - started
    store_db.close_store()
    # what the same number of rebills would take written by the plain-sqlite3 floor of
    # run_day.py (psycopg's on PostgreSQL), measured now, on this machine: the year's cost with
    # no rules at all
    import datetime as dt

    from run_day import floor_run

    f_elapsed, f_rows = floor_run(copy(store(n), "year-floor.db"), dt.date(2026, 1, 31))
    floor_seconds = charged * f_elapsed / f_rows
    return {**engine_info(), "subscriptions": n, "days": days, "seconds": round(elapsed, 1),
            "charges": charged, "charges_per_second": round(charged / elapsed),
            "floor_seconds_for_these_charges": round(floor_seconds, 1),
            "ratio": round(elapsed / floor_seconds, 2),
            "memory_mb_at_day": memory, "goal_seconds": 120 if n == 100_000 else None}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    print(json.dumps(main(n, days)))
