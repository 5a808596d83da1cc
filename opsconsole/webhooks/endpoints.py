"""Webhook endpoints (R-HOOK-2): add, list, show, disable, enable, remove, rotate a secret.

Each change is one transaction with its audit row; a secret is never written to the audit log."""

import datetime as dt
import ipaddress
import json
import re
import urllib.parse

import peewee as pw

from ..errors import DomainError, Unreadable, readable
from ..store import context, journal, rows
from ..store.models import database
from ..store.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..text import check as check_text
from . import signing

MAX_URL = 2000
ROTATION_GRACE = dt.timedelta(hours=24)  # both secrets sign for a day after a rotation
STATUSES = ("pending", "delivered", "failed")


def check_url(url: str) -> str:
    url = check_text(url, "the URL").strip()
    if len(url) > MAX_URL:
        raise DomainError(f"the URL is longer than {MAX_URL} characters")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        raise DomainError(f"{url!r} is not a URL") from None
    if parts.scheme not in ("http", "https"):
        raise DomainError(f"{url!r} is not an http or https URL; a webhook endpoint must be one")
    if not parts.hostname or " " in url:
        raise DomainError(f"{url!r} has no host; give a URL like https://example.com/hooks")
    import httpx  # here, not at the top: ~70 ms a console or CLI start need not pay
    import idna

    try:
        httpx.Request("POST", url)  # the client's own reading of it
        if not _is_address(parts.hostname):
            idna.encode(parts.hostname)  # a host name as the client will send it (IDNA 2008)
    except (httpx.InvalidURL, idna.IDNAError, UnicodeError, ValueError) as exc:
        raise DomainError(f"{shown(url)!r} cannot be sent to: its host {exc}") from None
    return url


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def shown(url: str) -> str:
    """A URL as it is printed or logged: a password in it as ***."""
    from ..store.target import display

    return display(url)


def parse_events(text: str | None) -> str:
    """An endpoint's filter: all events ("*"), or types and prefixes ("subscription.*"), each
    one the store can write."""
    if text is None:
        return "*"
    check_text(text, "--events")
    items = [part.strip() for part in text.split(",")]
    if not any(items):
        raise DomainError("--events names no event type; leave it out for every event")
    chosen: list[str] = []
    for item in items:
        if not item:
            continue
        known = item == "*" or (any(t.startswith(item[:-1]) for t in journal.EVENT_TYPES)
                                if item.endswith(".*") else item in journal.EVENT_TYPES)
        if not known:
            raise DomainError(f"unknown event type {item!r} in --events; the types are "
                              f"{', '.join(journal.EVENT_TYPES)} (or a prefix like "
                              "'subscription.*')")
        if item not in chosen:
            chosen.append(item)
    return "*" if "*" in chosen else ",".join(chosen)


def find(ref, checked: bool = True) -> WebhookEndpoint:
    """`checked`: refused (Unreadable) where it holds a value of another type than its column's
    (an enabled of 'no', a store written to by hand), as for showing it or acting on it;
    removing it, or listing its deliveries, asks for it unchecked."""
    text = str(ref).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise DomainError(f"no webhook endpoint {text!r}: endpoints are numbered (see "
                          "'webhooks list')")
    endpoint = WebhookEndpoint.get_or_none(WebhookEndpoint.id == int(text))
    if endpoint is None:
        raise DomainError(f"no webhook endpoint {text}; see 'webhooks list'")
    if checked:
        require(endpoint)
    return endpoint


def require(endpoint: WebhookEndpoint) -> None:
    found = rows.unreadable(WebhookEndpoint, endpoint)
    if found:
        raise Unreadable("webhook endpoint", endpoint.id, found)


def described(endpoint: WebhookEndpoint) -> dict:
    """What the audit log keeps of an endpoint: never its secret."""
    return {"id": endpoint.id, "url": shown(endpoint.url), "events": endpoint.events,
            "enabled": endpoint.enabled, "disabled_reason": endpoint.disabled_reason}


def _audit(action: str, before: dict | None, after: dict | None, operator: str | None,
           detail: dict | None = None) -> None:
    journal.audit(context.current(operator), action, before, after, detail)


def add(url: str, events: str | None = None, secret: str | None = None,
        operator: str | None = None, now: dt.datetime | None = None
        ) -> tuple[WebhookEndpoint, str]:
    """A new enabled endpoint and its secret (made here unless given)."""
    url = check_url(url)
    patterns = parse_events(events)
    secret = signing.check_secret(secret) if secret is not None else signing.new_secret()
    with database.atomic():
        endpoint = WebhookEndpoint.create(url=url, events=patterns, secret=secret,
                                          created_at=now or journal.wall_now())
        _audit("webhook-add", None, described(endpoint), operator)
    return endpoint, secret


def set_enabled(ref, enabled: bool, operator: str | None = None, reason: str | None = None,
                now: dt.datetime | None = None) -> tuple[WebhookEndpoint, bool]:
    """Enable or disable; returns the endpoint and whether anything changed. A disabled
    endpoint gets no new deliveries and its waiting ones are held until it is enabled."""
    with database.atomic():
        endpoint = find(ref)
        if endpoint.enabled == enabled:
            return endpoint, False
        before = described(endpoint)
        endpoint.enabled = enabled
        endpoint.disabled_reason = None if enabled else (reason or "disabled by hand")
        endpoint.disabled_at = None if enabled else (now or journal.wall_now())
        endpoint.save()
        _audit("webhook-enable" if enabled else "webhook-disable", before,
               described(endpoint), operator)
    return endpoint, True


def remove(ref, operator: str | None = None) -> tuple[WebhookEndpoint, int]:
    """The endpoint goes, with its deliveries and their attempts; returns it and how many
    deliveries were still waiting."""
    with database.atomic():
        endpoint = find(ref, checked=False)
        before = described(endpoint)
        waiting = (WebhookDelivery.select().where(WebhookDelivery.endpoint == endpoint,
                                                  WebhookDelivery.status == "pending").count())
        deliveries = WebhookDelivery.select(WebhookDelivery.id).where(
            WebhookDelivery.endpoint == endpoint)
        WebhookAttempt.delete().where(WebhookAttempt.delivery.in_(deliveries)).execute()
        WebhookDelivery.delete().where(WebhookDelivery.endpoint == endpoint).execute()
        WebhookEndpoint.delete().where(WebhookEndpoint.id == endpoint.id).execute()
        _audit("webhook-remove", before, None, operator, {"pending_dropped": waiting})
    return endpoint, waiting


def rotate(ref, operator: str | None = None, now: dt.datetime | None = None
           ) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one signs beside it for a day (R-HOOK-5)."""
    now = now or journal.wall_now()
    with database.atomic():
        endpoint = find(ref)
        still = [(s, until) for s, until in _previous(endpoint) if until > now]
        still.append((endpoint.secret, now + ROTATION_GRACE))
        endpoint.previous_secret = json.dumps([[s, until.isoformat()] for s, until in still])
        endpoint.previous_until = max(until for _, until in still)
        endpoint.secret = signing.new_secret()
        endpoint.save()
        _audit("webhook-rotate-secret", None, None, operator,
               {"endpoint": endpoint.id, "old_secret_until": endpoint.previous_until.isoformat()})
    return endpoint, endpoint.secret


def _previous(endpoint: WebhookEndpoint) -> list[tuple[str, dt.datetime]]:
    """Earlier secrets still in their day of grace, each with its own end."""
    if not endpoint.previous_secret:
        return []
    held = rows.loads(endpoint.previous_secret, "webhook endpoint", endpoint.id,
                      "previous_secret")
    try:
        return [(s, dt.datetime.fromisoformat(until)) for s, until in held]
    except (TypeError, ValueError):  # JSON, but not of secrets and their ends
        raise Unreadable("webhook endpoint", endpoint.id,
                         [("previous_secret", endpoint.previous_secret[:40],
                           "a list of secrets and their ends")]) from None


def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one first, then each earlier one
    until 24 hours after it was rotated out (R-HOOK-5)."""
    return [endpoint.secret] + [s for s, until in _previous(endpoint) if now < until]


def counts() -> dict[int, dict[str, int]]:
    """Deliveries per endpoint and status, in one grouped query."""
    D = WebhookDelivery
    out: dict[int, dict[str, int]] = {}
    for endpoint, status, n in (D.select(D.endpoint, D.status, pw.fn.COUNT(D.id))
                                .group_by(D.endpoint, D.status).tuples()):
        out.setdefault(endpoint, dict.fromkeys(STATUSES, 0))[status] = n
    return out


def summary(endpoint: WebhookEndpoint, tally: dict[str, int] | None) -> dict:
    """The contract's `webhooks list` row."""
    tally = tally or dict.fromkeys(STATUSES, 0)
    return {"id": endpoint.id, "url": shown(endpoint.url),
            "events": endpoint.events.split(","), "enabled": endpoint.enabled,
            "disabled_reason": endpoint.disabled_reason,
            "pending": tally["pending"], "delivered": tally["delivered"],
            "failed": tally["failed"]}


def listing(unread: list[Unreadable] | None = None) -> list[dict]:
    """Every endpoint; one holding values of another type than its columns' is left out and
    added to `unread`, to be named."""
    tallies = counts()

    def listed(endpoint: WebhookEndpoint) -> dict:
        require(endpoint)
        return summary(endpoint, tallies.get(endpoint.id))

    return list(readable(WebhookEndpoint.select().order_by(WebhookEndpoint.id), listed, unread))


def show(ref, with_secret: bool = False) -> dict:
    endpoint = find(ref)
    tally = (WebhookDelivery.select(WebhookDelivery.status, pw.fn.COUNT(WebhookDelivery.id))
             .where(WebhookDelivery.endpoint == endpoint).group_by(WebhookDelivery.status)
             .tuples())
    data = summary(endpoint, {**dict.fromkeys(STATUSES, 0), **dict(tally)})
    data["created_at"] = utc(endpoint.created_at)
    data["disabled_at"] = utc(endpoint.disabled_at)
    data["previous_secret_until"] = utc(endpoint.previous_until)
    if with_secret:
        data["secret"] = endpoint.secret
    return data


def utc(moment: dt.datetime | None) -> str | None:
    """A stored wall time (UTC, naive) as ISO 8601 with its offset."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC, microsecond=0).isoformat()
