"""run-day --workers on PostgreSQL: one busy date split over worker processes, against one
process on a fresh copy of the same store, in the same run.

python bench/day_split.py [N] [RUNS] [WORKERS ...]   (default 100000, 3 runs, workers 2)

Each run makes fresh copies of the PostgreSQL bench store of N (see common.py) and times
clock.run_days(days=1) on each: once with one process, once per WORKERS count (the workers'
start-up included: spawned processes that import opsconsole and connect). It prints the
medians and each one's ratio to one process. The goal: 2 workers ≤ 0.6× one on a 1M store's
busy day."""

import datetime as dt
import json
import os
import sys
import time

os.environ["OPSCONSOLE_BENCH_ENGINE"] = "postgres"  # workers are PostgreSQL's alone

from common import copy, engine_info, median, store  # noqa: E402


def timed_day(target: str, workers: int) -> tuple[float, int, dict]:
    from opsconsole import clock
    from opsconsole.billing import daily
    from opsconsole.store import db as store_db

    store_db.open_store(target)
    due = len(daily.candidates(clock.today() + dt.timedelta(days=1)))
    started = time.perf_counter()
    [report] = clock.run_days(days=1, workers=workers)
    elapsed = time.perf_counter() - started
    store_db.close_store()
    return elapsed, due, report["counts"]


def main(n: int, runs: int, counts: list[int]) -> dict:
    source = store(n)
    times: dict[int, list[float]] = {w: [] for w in [1, *counts]}
    due, reports = 0, {}
    for _ in range(runs):
        for workers in times:
            elapsed, due, reports[workers] = timed_day(str(copy(source, f"split-{workers}.db")),
                                                       workers)
            times[workers].append(elapsed)
    same = all(r == reports[1] for r in reports.values())  # the same work, whatever the split
    one = median(times[1])
    return {**engine_info(), "subscriptions": n, "due": due, "runs": runs, "cpus": os.cpu_count(),
            "same_counts": same, "one_process_s": round(one, 2),
            **{f"workers_{w}_s": round(median(times[w]), 2) for w in counts},
            **{f"workers_{w}_ratio": round(median(times[w]) / one, 2) for w in counts},
            "goal": "2 workers <= 0.6x one on 1M"}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    n = args[0] if args else 100_000
    runs = args[1] if len(args) > 1 else 3
    print(json.dumps(main(n, runs, args[2:] or [2])))
