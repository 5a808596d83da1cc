"""One date's billing work split over worker processes (`run-day --workers N`, PostgreSQL).

The parent holds the day (engine.day_lock) and moves the clock as for one process; for each
date it splits the subscriptions with work into N runs of consecutive ids and hands each to a
worker. A worker runs the same daily process (billing/daily.run) over its own subscriptions in
the same short batch transactions, sharing the write lock with the other workers only
(engine.day_worker), so an operator still waits for a batch as for any writer. What a worker
does is what one process does: each subscription's work is its own (R-CLOCK-3, R-REL-1), the
date's counts add up in its day_run row, a subscription that fails alone is set aside. A
worker that dies leaves the date open, and the next run-day finishes it, as after a crash."""

import datetime as dt
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from .billing import daily
from .store.context import Ctx
from .store.models import database


class Split:
    """The worker processes of one run-day, started once and used for each of its dates."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Split":
        # spawn, not fork: a forked child would share the parent's open connection
        self.pool = ProcessPoolExecutor(self.workers, multiprocessing.get_context("spawn"),
                                        initializer=_open, initargs=(database.obj.store_target,))
        return self

    def __exit__(self, *exc) -> None:
        assert self.pool is not None
        self.pool.shutdown(wait=True, cancel_futures=True)

    def run(self, ctx: Ctx, found: list[dict],
            progress: Callable[[int, int], None] | None) -> None:
        """The date's billing work, over the workers; what they set aside is added to found."""
        assert self.pool is not None
        ids = daily.candidates(ctx.today)
        parts = [part for part in split(ids, self.workers) if part]
        futures = {self.pool.submit(_work, ctx.today, ctx.now, ctx.timezone, part): len(part)
                   for part in parts}
        done = 0
        try:
            for future in as_completed(futures):
                found.extend(future.result())
                done += futures[future]
                if progress:
                    progress(done, len(ids))
        finally:
            for future in futures:  # one failed: the others finish their batch and stop
                future.cancel()
        found.sort(key=lambda item: item["subscription"])


def split(ids: list[int], parts: int) -> list[list[int]]:
    """ids (ascending) in `parts` runs of consecutive ids, as even in length as they can be."""
    size, extra = divmod(len(ids), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(ids[start:end])
        start = end
    return out


# --- in the worker process ---------------------------------------------------------------------

def _open(target: str) -> None:
    from .store import db as store_db, engine

    store_db.open_store(target)
    engine.join_day(database.obj)


def _work(day: dt.date, now: dt.datetime, timezone: str, ids: list[int]) -> list[dict]:
    from . import clock

    ctx = Ctx(day, now, timezone)
    found: list[dict] = []
    daily.run(ctx, clock.record_counts(day), None, clock.set_aside(ctx, found), ids=ids)
    return found
