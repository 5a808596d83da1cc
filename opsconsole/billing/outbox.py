"""A subscription's events, customer emails and audit rows (R-EVT-1, R-AUDIT-1)."""

from ..store import batch, journal
from ..store.context import Ctx
from ..store.models import Notification, Subscription
from . import present


def _id(sub: Subscription | None) -> int | None:
    # rows name it by id: a column of ints goes to the driver as it is (store/batch._db_rows)
    return sub.id if sub is not None else None


def event(ctx: Ctx, sub: Subscription | None, type_: str, payload: dict | None = None) -> None:
    """An event whose payload is the subscription as it is after the change."""
    if payload is None and sub is not None:
        payload = present.subscription(sub)
    journal.event(ctx, type_, payload or {}, subscription=_id(sub))


def email(ctx: Ctx, sub: Subscription, template: str) -> None:
    batch.insert_values(Notification, {
        "template": template, "recipient": sub.account.email, "subscription": sub.id,
        "at": ctx.now, "key": ctx.cause("email:" + template)})


def audit(ctx: Ctx, action: str, sub: Subscription | None, before: dict | None,
          after: dict | None, detail: dict | None = None) -> None:
    journal.audit(ctx, action, before, after, detail, subscription=_id(sub))
