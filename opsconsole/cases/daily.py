"""The cases part of one date (R-CASE-5, R-CASE-3): auto-close, and breaches as events."""

import datetime as dt

from ..store import batch, journal
from ..store.context import Ctx
from ..store.models import Case, database
from . import model, rules


def run(ctx: Ctx) -> dict:
    """Close Pending Closure cases on their fifth day; record each breach once, on the day it
    appears. Safe to run twice for the same date. One transaction; each step's rows are written
    together (store/batch.py), the closures before the breach query reads."""
    with database.atomic():
        with batch.collect():
            closed = _auto_close(ctx)
        with batch.collect():
            _note_breaches(ctx)
    return {"cases_closed": closed}


def _auto_close(ctx: Ctx) -> int:
    cutoff = dt.datetime.combine(ctx.today - dt.timedelta(days=rules.AUTO_CLOSE_DAYS),
                                 dt.time.max)
    closed = 0
    for case in Case.select().where(Case.status == "Pending Closure",
                                    Case.pending_since <= cutoff):
        case.status = "Closed"
        case.closed_at = ctx.now
        case.pending_since = None
        model.refresh(case, ctx.timezone)
        batch.save(case)
        journal.event(ctx.for_case(case.id), "case.closed",
                      model.as_dict(case, ctx.now, ctx.timezone),
                      subscription=case.subscription_id, case=case)
        closed += 1
    return closed


def _note_breaches(ctx: Ctx) -> None:
    late = Case.select().where(Case.status.not_in(["Closed", "Pending Closure"]),
                               Case.due_at < ctx.now,
                               Case.breach_noted_for.is_null()
                               | (Case.breach_noted_for != Case.due_at))
    for case in late:
        due = model.next_due(case, ctx.timezone)
        assert due is not None  # neither Closed nor Pending Closure: a target runs
        target = due[0]
        case.breach_noted_for = case.due_at
        batch.save(case)
        payload = model.as_dict(case, ctx.now, ctx.timezone)
        payload["target"] = target
        journal.event(ctx.for_case(case.id), "case.breached", payload,
                      subscription=case.subscription_id, case=case)
