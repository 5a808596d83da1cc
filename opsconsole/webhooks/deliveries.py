"""The outbox as an operator sees it: deliveries, their attempts, redelivery (R-HOOK-4/5)."""

import datetime as dt
import re

import peewee as pw

from ..errors import DomainError, Unreadable, readable
from ..store import context, journal, rows
from ..store.models import Event, database
from ..store.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from . import endpoints as ep
from .endpoints import utc

LIST_LIMIT = 1000  # rows a listing shows unless asked for more


def find(ref) -> WebhookDelivery:
    text = str(ref).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise DomainError(f"no webhook delivery {text!r}: deliveries are numbered (see "
                          "'webhooks deliveries')")
    delivery = WebhookDelivery.get_or_none(WebhookDelivery.id == int(text))
    if delivery is None:
        raise DomainError(f"no webhook delivery {text}; see 'webhooks deliveries'")
    require(delivery, Event.get_or_none(Event.id == delivery.event_id))
    return delivery


def require(d: WebhookDelivery, event: Event | None) -> None:
    """Refuse (Unreadable) a delivery holding a value no delivery can (a status of 'bogus', an
    event the store lacks: a store written to by hand), naming it."""
    found: list[tuple] = list(rows.unreadable(WebhookDelivery, d))
    if not found and d.status not in ep.STATUSES:
        found.append(("status", d.status, "one of " + ", ".join(ep.STATUSES)))
    if not found and event is None:
        found.append(("event_id", d.event_id, "the id of an event the store has"))
    if found:
        raise Unreadable("webhook delivery", d.id, found)


def row(d: WebhookDelivery, event: Event) -> dict:
    """The contract's `webhooks deliveries` row."""
    return {"id": d.id, "endpoint": d.endpoint_id, "event": event.id,
            "event_type": event.type, "subscription": event.subscription_id,
            "status": d.status, "attempts": d.attempts,
            "next_attempt_at": utc(d.next_attempt_at), "last_status": d.last_status,
            "last_error": d.last_error, "last_attempt_at": utc(d.last_attempt_at),
            "delivered_at": utc(d.delivered_at)}


def listing(endpoint=None, status: str | None = None, subscription: int | None = None,
            limit: int | None = LIST_LIMIT, newest_first: bool = False,
            unread: list[Unreadable] | None = None) -> list[dict]:
    """Deliveries; one holding a value no delivery can is left out and added to `unread`."""
    D = WebhookDelivery
    query = D.select(D, Event).join(Event, pw.JOIN.LEFT_OUTER)
    if endpoint is not None:
        query = query.where(D.endpoint == ep.find(endpoint, checked=False))
    if status is not None:
        if status not in ep.STATUSES:
            raise DomainError(f"--status must be one of {', '.join(ep.STATUSES)}")
        query = query.where(D.status == status)
    if subscription is not None:
        query = query.where(Event.subscription == subscription)
    query = query.order_by(D.id.desc() if newest_first else D.id)
    if limit is not None:
        query = query.limit(limit)
    def listed(d: WebhookDelivery) -> dict:
        event = d.__rel__.get("event")  # the outer join's: None, or empty, where it is missing
        require(d, event if event is not None and event.id is not None else None)
        return row(d, d.event)

    return list(readable(query, listed, unread))


def attempts(delivery_id: int) -> list[dict]:
    A = WebhookAttempt
    return [{"number": a.number, "at": utc(a.at), "status": a.status_code, "error": a.error,
             "duration_ms": a.duration_ms, "response": a.response}
            for a in A.select().where(A.delivery == delivery_id).order_by(A.number)]


def show(ref) -> dict:
    d = find(ref)
    data = row(d, d.event)
    data["url"] = ep.shown(d.endpoint.url)
    data["attempt_log"] = attempts(d.id)
    return data


def redeliver(ref, operator: str | None = None, now: dt.datetime | None = None
              ) -> WebhookDelivery:
    """Send again at once, delivered or failed ones too, with the same webhook-id."""
    now = now or journal.wall_now()
    with database.atomic():
        d = find(ref)
        before = {"delivery": d.id, "status": d.status}
        _queue(WebhookDelivery.id == d.id, now)
        journal.audit(context.current(operator), "webhook-redeliver", before,
                      {"delivery": d.id, "status": "pending"})
    return find(d.id)


def redeliver_since(endpoint_ref, since: dt.date, operator: str | None = None,
                    now: dt.datetime | None = None) -> int:
    """Every delivery of an endpoint whose event happened on or after a store date."""
    now = now or journal.wall_now()
    with database.atomic():
        endpoint = ep.find(endpoint_ref)
        start = dt.datetime.combine(since, dt.time())
        chosen = (WebhookDelivery.select(WebhookDelivery.id).join(Event)
                  .where(WebhookDelivery.endpoint == endpoint, Event.at >= start))
        count = _queue(WebhookDelivery.id.in_(chosen), now)
        if count:
            journal.audit(context.current(operator), "webhook-redeliver", None, None,
                          {"endpoint": endpoint.id, "since": since.isoformat(),
                           "count": count})
    return count


def _queue(where, now: dt.datetime) -> int:
    return (WebhookDelivery.update(status="pending", failures=0, next_attempt_at=now)
            .where(where).execute())


def for_subscription(sub_id: int) -> list[dict]:
    """The delivery state of a subscription's events, newest first (the console's detail)."""
    return listing(subscription=sub_id, limit=50, newest_first=True)


def attention() -> list[dict]:
    """What an operator must act on (R-ATTN-1): failed deliveries with their endpoint, event
    and last error, and endpoints disabled by a 410 answer."""
    items = []
    D = WebhookDelivery
    for d in (D.select(D, Event, WebhookEndpoint).join(Event).switch(D).join(WebhookEndpoint)
              .where(D.status == "failed").order_by(D.id)):
        items.append({
            "kind": "webhook-failed", "delivery": d.id, "endpoint": d.endpoint_id,
            "since": utc(d.last_attempt_at),
            "reason": f"delivery {d.id} of {d.event.type} (event {d.event_id}) to endpoint "
                      f"{d.endpoint_id} {ep.shown(d.endpoint.url)} failed {d.attempts} times; "
                      f"last: {d.last_error or d.last_status}",
            "action": f"opsconsole webhooks redeliver {d.id}"})
    for e in (WebhookEndpoint.select().where(WebhookEndpoint.enabled == False,  # noqa: E712
                                             WebhookEndpoint.disabled_reason.startswith("410"))):
        items.append({
            "kind": "webhook-gone", "endpoint": e.id, "since": utc(e.disabled_at),
            "reason": f"endpoint {e.id} {ep.shown(e.url)} answered 410 Gone and was disabled",
            "action": f"opsconsole webhooks enable {e.id} (or remove {e.id})"})
    return items
