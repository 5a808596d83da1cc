"""Writing the store's journal: events (R-EVT-1) and audit rows (R-AUDIT-1)."""

import datetime as dt
import json

from . import batch
from .context import Ctx
from .models import Audit, Event


def event(ctx: Ctx, type_: str, payload: dict, subscription=None, case=None) -> None:
    batch.insert(Event, type=type_, subscription=subscription, case=case, at=ctx.now,
                 payload=json.dumps(payload), key=ctx.cause(type_))


def audit(ctx: Ctx, action: str, before: dict | None, after: dict | None,
          detail: dict | None = None, subscription=None, case=None) -> None:
    dump = lambda value: json.dumps(value) if value is not None else None  # noqa: E731
    batch.insert(Audit, operator=ctx.operator or "unknown", action=action,
                 subscription=subscription, case=case, before=dump(before), after=dump(after),
                 detail=dump(detail), at=ctx.now,
                 wall_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
