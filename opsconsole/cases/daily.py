"""The cases part of one date (R-CASE-5, R-CASE-3): auto-close, and breaches as events."""

import datetime as dt
from collections.abc import Callable, Iterable

from ..store import batch, engine, journal
from ..store.context import Ctx
from ..store.models import Case, database
from . import model, rules


def run(ctx: Ctx, set_aside: Callable[[int, Exception], None] | None = None) -> dict:
    """Close Pending Closure cases on their fifth day; record each breach once, on the day it
    appears. Safe to run twice for the same date. One transaction; each step's rows are written
    together (store/batch.py), the closures before the breach query reads.

    As a subscription never stops a day (R-INPUT-3), neither does a case: when the cases'
    work fails (a row written to by hand), it is done again case by case, and one that fails
    alone is rolled back and handed to `set_aside`."""
    try:
        with database.atomic():
            with batch.collect():
                closed = sum(_close(ctx, case) for case in _closing(ctx))
            with batch.collect():
                for case in _late(ctx):
                    _note_breach(ctx, case)
        return {"cases_closed": closed}
    except engine.UNAVAILABLE:
        raise
    except Exception:  # noqa: BLE001 - found and set aside one by one below
        if set_aside is None:
            raise
    with database.atomic():
        closed = sum(_alone(ctx, case_id, _close, set_aside)
                     for case_id in _ids(_closing(ctx)))
        for case_id in _ids(_late(ctx)):
            _alone(ctx, case_id, _note_breach, set_aside)
    return {"cases_closed": closed}


def _ids(cases: Iterable[Case]) -> list[int]:
    return [case.id for case in cases]


def _alone(ctx: Ctx, case_id: int, work: Callable[[Ctx, Case], int | None],
           set_aside: Callable[[int, Exception], None]) -> int:
    """One case's work in its own savepoint; one that fails is set aside, named by what it
    holds where its values explain it."""
    try:
        with database.atomic():
            return work(ctx, Case.get_by_id(case_id)) or 0
    except engine.UNAVAILABLE:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this case's alone
        set_aside(case_id, exc)
        return 0


def _closing(ctx: Ctx) -> Iterable[Case]:
    cutoff = dt.datetime.combine(ctx.today - dt.timedelta(days=rules.AUTO_CLOSE_DAYS),
                                 dt.time.max)
    return Case.select().where(Case.status == "Pending Closure", Case.pending_since <= cutoff)


def _close(ctx: Ctx, case: Case) -> int:
    model.require(case, keys=False)  # never closed or noted on what it would make of it
    case.status = "Closed"
    case.closed_at = ctx.now
    case.pending_since = None
    model.refresh(case, ctx.timezone)
    batch.save(case)
    journal.event(ctx.for_case(case.id), "case.closed",
                  model.as_dict(case, ctx.now, ctx.timezone),
                  subscription=case.subscription_id, case=case)
    return 1


def _late(ctx: Ctx) -> Iterable[Case]:
    return Case.select().where(Case.status.not_in(["Closed", "Pending Closure"]),
                               Case.due_at < ctx.now,
                               Case.breach_noted_for.is_null()
                               | (Case.breach_noted_for != Case.due_at))


def _note_breach(ctx: Ctx, case: Case) -> None:
    model.require(case, keys=False)  # never closed or noted on what it would make of it
    due = model.next_due(case, ctx.timezone)
    assert due is not None  # neither Closed nor Pending Closure: a target runs
    target = due[0]
    case.breach_noted_for = case.due_at
    batch.save(case)
    payload = model.as_dict(case, ctx.now, ctx.timezone)
    payload["target"] = target
    journal.event(ctx.for_case(case.id), "case.breached", payload,
                  subscription=case.subscription_id, case=case)
