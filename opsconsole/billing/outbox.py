"""Events, customer emails and audit rows (R-EVT-1, R-AUDIT-1)."""

import datetime as dt
import json

from ..store.models import Audit, Event, Notification, Subscription
from .context import Ctx


def event(ctx: Ctx, sub: Subscription | None, type_: str, payload: dict | None = None) -> None:
    if payload is None and sub is not None:
        from .present import subscription

        payload = subscription(sub)
    Event.create(type=type_, subscription=sub, at=ctx.now, payload=json.dumps(payload or {}),
                 key=ctx.cause(type_))


def email(ctx: Ctx, sub: Subscription, template: str) -> None:
    Notification.create(template=template, recipient=sub.account.email, subscription=sub,
                        at=ctx.now, key=ctx.cause("email:" + template))


def audit(ctx: Ctx, action: str, sub: Subscription | None, before: dict | None,
          after: dict | None, detail: dict | None = None) -> None:
    Audit.create(operator=ctx.operator or "unknown", action=action, subscription=sub,
                 before=json.dumps(before) if before is not None else None,
                 after=json.dumps(after) if after is not None else None,
                 detail=json.dumps(detail) if detail is not None else None,
                 at=ctx.now, wall_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
