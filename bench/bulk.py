"""Bulk price preview and apply on one product's subscriptions.

python bench/bulk.py [N] [RUNS] [--engine postgres]
    (default a 182,000 store: about 100,000 on 'monthly', 3 runs)

Each run copies the bench store and times `bulk-price monthly --percent 5`: the preview (the
plan, writing nothing) and the apply (one transaction: each subscription's new price, event and
email, and one audit row for the whole action, R-BULK-1). There is no floor here: the goal is
under 2 s each for 100,000 subscriptions."""

import json
import sys
import time

from common import copy, engine_info, median, store


def one_run(path) -> tuple[float, float, int]:
    from opsconsole.billing import bulk
    from opsconsole.store import db as store_db

    store_db.open_store(str(path))
    started = time.perf_counter()
    plan = bulk.plan("monthly", percent="5")
    preview = time.perf_counter() - started
    started = time.perf_counter()
    bulk.apply("monthly", percent="5", operator="bench")
    applied = time.perf_counter() - started
    store_db.close_store()
    return preview, applied, len(plan.rows)


def main(n: int, runs: int) -> dict:
    source = store(n)
    previews, applies, count = [], [], 0
    for _ in range(runs):
        preview, applied, count = one_run(copy(source, "bulk.db"))
        previews.append(preview)
        applies.append(applied)
    return {**engine_info(), "subscriptions": n, "changed": count, "runs": runs,
            "preview_seconds": round(median(previews), 2),
            "apply_seconds": round(median(applies), 2), "goal_seconds": 2}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 182_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
