"""Writing the store's journal: events (R-EVT-1) and audit rows (R-AUDIT-1), and with each
event a delivery row for every enabled webhook endpoint that wants it, in the event's own
transaction (the transactional outbox, R-HOOK-3): an event is never written without them."""

import datetime as dt
import json
import json.encoder
import secrets

import peewee as pw

from . import batch
from .context import Ctx
from .models import Audit, Event, Meta
from .webhook_models import WebhookDelivery, WebhookEndpoint

# Every event type the store writes; an endpoint's filter may name only these (R-HOOK-2).
EVENT_TYPES = (
    "subscription.activated", "subscription.updated", "subscription.canceled",
    "subscription.uncanceled", "subscription.paused", "subscription.resumed",
    "subscription.deactivated", "subscription.charge.completed", "subscription.charge.failed",
    "subscription.payment.overdue", "subscription.payment.reminder",
    "subscription.trial.reminder", "return.created",
    "case.opened", "case.status", "case.note", "case.escalated", "case.survey", "case.closed",
    "case.breached",
)


def wall_now() -> dt.datetime:
    """The wall clock, UTC, naive: as the store keeps wall times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def wants(patterns: str, type_: str) -> bool:
    """Whether an endpoint's filter takes an event type: "*" takes all, "a.*" a prefix."""
    for pattern in patterns.split(","):
        if pattern == "*" or pattern == type_ or (
                pattern.endswith(".*") and type_.startswith(pattern[:-1])):
            return True
    return False


def _endpoints() -> list[tuple[int, str]]:
    """Enabled endpoints (id, filter). Read once per batch: the batch's transaction holds the
    write lock, so none can be added or disabled until it ends."""
    writes = batch.current()
    if writes is not None and writes.endpoints is not None:
        return writes.endpoints
    found = list(WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.events)
                 .where(WebhookEndpoint.enabled == True).tuples())  # noqa: E712
    if writes is not None:
        writes.endpoints = found
    return found


EPOCH_KEY = "webhook_epoch"


def new_epoch() -> str:
    """A new webhook epoch for the store (at its first delivery, and after every restore)."""
    value = secrets.token_hex(4)
    Meta.insert(key=EPOCH_KEY, value=value).on_conflict(
        conflict_target=[Meta.key], update={Meta.value: value}).execute()
    return value


def _epoch() -> str:
    writes = batch.current()
    if writes is not None and writes.epoch is not None:
        return writes.epoch
    row = Meta.get_or_none(Meta.key == EPOCH_KEY)
    if row is None:  # the first: made once, kept if a split day's other worker made it first
        Meta.insert(key=EPOCH_KEY, value=secrets.token_hex(4)).on_conflict_ignore().execute()
        row = Meta.get(Meta.key == EPOCH_KEY)
    value = row.value
    if writes is not None:
        writes.epoch = value
    return value


def _unserialisable(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json.dumps with its defaults, its C encoder made once rather than per call (~1.7 µs of an
# event's ~7); no circular check (a payload is built fresh, a tree). Proven the same text as
# json.dumps in tests/core/test_events_audit.py.
_encode = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, _unserialisable, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False,
    True) if json.encoder.c_make_encoder is not None else None  # type: ignore[attr-defined]


def dumps(value) -> str:
    """json.dumps(value), the same text."""
    if _encode is None:  # pragma: no cover - a Python without json's C speedups
        return json.dumps(value)
    return "".join(_encode(value, 0))


def event(ctx: Ctx, type_: str, payload: dict, subscription=None, case=None) -> None:
    values = {"type": type_, "subscription": subscription, "case": case, "at": ctx.now,
              "payload": dumps(payload), "key": ctx.cause(type_)}
    endpoints = _endpoints()
    targets = [endpoint for endpoint, patterns in endpoints if wants(patterns, type_)] \
        if endpoints else None
    if not targets:
        batch.insert_values(Event, values)
        return
    event_id = batch.insert_id(Event, **values)  # its id now, for the deliveries that name it
    writes = batch.current()
    if writes is not None:  # a batch: one INSERT ... SELECT per endpoint once its events are in
        _batch_deliveries(writes).extend((endpoint, event_id) for endpoint in targets)
        return
    now, epoch = wall_now(), _epoch()
    for endpoint in targets:
        WebhookDelivery.create(endpoint=endpoint, event=event_id, epoch=epoch,
                               status="pending", next_attempt_at=now, created_at=now)


def _batch_deliveries(writes: batch.Writes) -> list[tuple[int, int]]:
    """The (endpoint, event) pairs of a batch, written together after its events: the rows
    one by one cost ~4x what they cost the database (bench/hook_rows.py)."""
    pending = writes.deliveries
    if pending is None:
        pending = writes.deliveries = []
        epoch = _epoch()
        writes.afterwards.append(lambda: _write_deliveries(pending, epoch))
    return pending


def _write_deliveries(pending: list[tuple[int, int]], epoch: str) -> None:
    from . import engine

    by_endpoint: dict[int, list[int]] = {}
    for endpoint, event_id in pending:
        by_endpoint.setdefault(endpoint, []).append(event_id)
    E, D = Event, WebhookDelivery
    now = D.created_at.db_value(wall_now())  # as the field writes it
    for endpoint, events in by_endpoint.items():
        rows = E.select(pw.Value(endpoint), E.id, pw.Value(epoch), pw.Value("pending"),
                        pw.Value(0), pw.Value(0), pw.Value(now), pw.Value(now)) \
            .where(engine.among(E.id, events)).order_by(E.id)
        D.insert_from(rows, [D.endpoint, D.event, D.epoch, D.status, D.attempts, D.failures,
                             D.next_attempt_at, D.created_at]).execute()


def audit(ctx: Ctx, action: str, before: dict | None, after: dict | None,
          detail: dict | None = None, subscription=None, case=None) -> None:
    dump = lambda value: dumps(value) if value is not None else None  # noqa: E731
    batch.insert(Audit, operator=ctx.operator or "unknown", action=action,
                 subscription=subscription, case=case, before=dump(before), after=dump(after),
                 detail=dump(detail), at=ctx.now, wall_at=wall_now())
