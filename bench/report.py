"""`report` and `attention` on a store that has been running for a month.

python bench/report.py [N ...] [RUNS] [--engine postgres]
    (default 10000 100000 1000000 subscriptions, 5 runs; a last argument under 100 is RUNS)

The store: the bench store of N (make_store.py) run for 35 days by opsconsole's own run-day, so
it holds a month of charges (about 2.3 million on 1M), declines, retries, deactivations,
pauses and breached cases: what the revenue, the dunning funnel and the attention list read.
Built once and kept as bench/.cache/history-N.db (35 run-days: ~20 min for 1M); on PostgreSQL
copied onto the bench server by opsconsole's own copy (OPSCONSOLE_BENCH_PG_LOAD=fast: the
COPY floor of common.py) as the template history_N, vacuumed and analysed, each run on a fresh
copy of it.

Each run opens the store afresh and times, in the process, views.report.report(30) (what
`report --json` prints) and views.attention.attention(); then the whole commands as a fresh
process each (`opsconsole report --json`, `opsconsole attention --json`: start-up, imports and
printing included) against `opsconsole clock --json` (start-up and opening the store alone),
measured in the same run. Medians. The goal: under 1 s on a million subscriptions."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import (
    CACHE,
    PG,
    ROOT,
    admin,
    engine_info,
    median,
    new_database,
    pg_copy,
    pg_databases,
    pg_fast_load,
    pg_url,
    store,
)

DAYS_RUN = 35
EXE = shutil.which("opsconsole", path=str(Path(sys.executable).parent)) or "opsconsole"


def history(n: int) -> str:
    """The bench store of n run for DAYS_RUN days: a file, or the PostgreSQL template's URL."""
    path = CACHE / f"history-{n}.db"
    if not path.exists():
        from opsconsole import clock
        from opsconsole.store import db as store_db

        building = CACHE / f"history-{n}.db.building"
        shutil.copy(store(n, "sqlite"), building)
        store_db.open_store(str(building))  # upgraded in place to today's schema
        started = time.perf_counter()
        clock.run_days(days=DAYS_RUN)
        print(f"history-{n}: {DAYS_RUN} days run in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        store_db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        store_db.database.execute_sql("ANALYZE")
        store_db.close_store()
        building.rename(path)
    if not PG:
        return str(path)
    name = f"history_{n}"
    if name not in pg_databases():
        url = new_database(f"{name}_building")
        load = pg_fast_load if os.environ.get("OPSCONSOLE_BENCH_PG_LOAD") == "fast" else pg_copy
        load(str(path), url)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        admin(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return pg_url(name)


def fresh(source: str) -> str:
    """A copy to work on (opening a store may upgrade it; the kept one stays as it is)."""
    if PG:
        from urllib.parse import urlparse

        return new_database("report_run", template=urlparse(source).path.lstrip("/"))
    target = CACHE / "report-run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    return str(target)


def in_process(target: str) -> tuple[float, float, dict]:
    from opsconsole.store import db as store_db
    from opsconsole.store.models import Charge
    from opsconsole.views import attention, report

    store_db.open_store(target)
    started = time.perf_counter()
    figures = report.report(30)
    middle = time.perf_counter()
    waiting = attention.attention()
    ended = time.perf_counter()
    charges = Charge.select().count()
    store_db.close_store()
    return middle - started, ended - middle, {"figures": figures, "attention": waiting,
                                              "charges": charges}


def command(target: str, *args: str) -> float:
    env = {**os.environ, "OPSCONSOLE_DB": target}
    started = time.perf_counter()
    subprocess.run([EXE, *args], check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - started


def main(n: int, runs: int) -> dict:
    source = history(n)
    target = fresh(source)
    command(target, "clock")  # the upgrade, if any, is not timed
    times: dict[str, list[float]] = {k: [] for k in ("report", "attention", "report_cmd",
                                                     "attention_cmd", "clock_cmd")}
    seen: dict = {}
    for _ in range(runs):
        r, a, seen = in_process(target)
        times["report"].append(r)
        times["attention"].append(a)
        times["report_cmd"].append(command(target, "report", "--json"))
        times["attention_cmd"].append(command(target, "attention", "--json"))
        times["clock_cmd"].append(command(target, "clock", "--json"))
    figures, waiting = seen["figures"], seen["attention"]
    return {**engine_info(), "subscriptions": n, "runs": runs,
            "charge_rows": seen["charges"],
            "scheduled_next_30_days": figures["scheduled"]["charges"],
            "declined_in_30_days": sum(c["declined"]["count"]
                                       for c in figures["dunning"]["currencies"]),
            "attention_items": waiting["count"],
            **{f"{k}_ms": round(median(v) * 1000) for k, v in times.items()},
            "goal_ms": 1000}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    runs = args.pop() if args and args[-1] < 100 else 5
    for size in args or [10_000, 100_000, 1_000_000]:
        print(json.dumps(main(size, runs)), flush=True)
