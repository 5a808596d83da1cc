"""`opsconsole copy` of a SQLite bench store onto PostgreSQL (the bench server), against a COPY
floor: the same store's rows written with psycopg's COPY ... FROM STDIN into the same schema
(common.pg_fast_load), measured in the same run.

python bench/pg_copy.py [N] [RUNS] [--floor-only]   (default 100000 subscriptions, 3 runs)

Always PostgreSQL (the destination), whatever --engine says. Each run copies into a new empty
database. --floor-only skips opsconsole's copy."""

import json
import sys

from common import engine_info, median, new_database, pg_copy, pg_fast_load, store


def main(n: int, runs: int, ours: bool = True) -> dict:
    source = str(store(n, "sqlite"))
    mine, floor = [], []
    for _ in range(runs):
        if ours:
            mine.append(pg_copy(source, new_database("copy_ours")))
        floor.append(pg_fast_load(source, new_database("copy_floor")))
    result = {**engine_info("postgres"), "subscriptions": n, "runs": runs,
              "floor_copy_seconds": round(median(floor), 1)}
    if ours:
        result.update(opsconsole_copy_seconds=round(median(mine), 1),
                      ratio=round(median(mine) / median(floor), 2))
    return result


if __name__ == "__main__":
    floor_only = "--floor-only" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--floor-only"]
    n = int(args[0]) if args else 100_000
    runs = int(args[1]) if len(args) > 1 else 3
    print(json.dumps(main(n, runs, not floor_only)))
