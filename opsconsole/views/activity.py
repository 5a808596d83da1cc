"""The store's newest events and customer emails."""

from ..billing import present
from ..store import context, queries
from ..store.models import Event, Notification

LATEST = 200


def activity(type_: str | None) -> dict:
    tz = context.current().timezone
    events = queries.events(None, type_).order_by(Event.id.desc()).limit(LATEST)
    emails = queries.notifications().order_by(Notification.id.desc()).limit(LATEST)
    return {"events": [present.event(e, tz) for e in events],
            "emails": [present.notification(n, tz) for n in emails],
            "types": queries.event_types()}
