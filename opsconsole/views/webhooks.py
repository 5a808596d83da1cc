"""The webhooks screen: endpoints with counts, one endpoint's deliveries, one's attempts."""

from ..webhooks import deliveries, endpoints

DELIVERIES_SHOWN = 200


def webhooks(endpoint: int | None, delivery: int | None) -> dict:
    """The chosen endpoint and delivery if they still exist, else the first of each."""
    unread: list = []  # rows the store cannot read: left out, named on the screen
    found = endpoints.listing(unread)
    ids = [e["id"] for e in found]
    endpoint = endpoint if endpoint in ids else (ids[0] if ids else None)
    rows = (deliveries.listing(endpoint, limit=DELIVERIES_SHOWN, newest_first=True,
                               unread=unread)
            if endpoint is not None else [])
    chosen = delivery if delivery in [r["id"] for r in rows] else (rows[0]["id"] if rows
                                                                   else None)
    return {"endpoints": found, "endpoint": endpoint, "deliveries": rows, "delivery": chosen,
            "attempts": deliveries.attempts(chosen) if chosen is not None else [],
            "unreadable": [str(exc) for exc in unread]}
