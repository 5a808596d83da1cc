"""One subscription with its history, and the choices its dialogs start from."""

from ..billing import accounts, actions, present, subs
from ..store import context, queries
from ..webhooks import deliveries


def detail(sub_id: int) -> dict:
    """The subscription, its account and its history, newest first."""
    ctx = context.current()
    sub = subs.find(sub_id)
    data = present.subscription(sub)
    data["account"] = accounts.of_subscription(sub.id)  # R-ACCOUNT-1
    data["today"] = ctx.today  # for the short flags
    data["events"] = [{**present.event(e, ctx.timezone), "id": e.id}
                      for e in queries.events(sub.id).order_by(queries.Event.id.desc())]
    data["webhooks"] = delivery_states(sub.id)
    data["charges"] = [present.charge(c)
                       for c in queries.charges(sub.id).order_by(queries.Charge.id.desc())]
    data["emails"] = [present.notification(n, ctx.timezone) for n in
                      queries.notifications(sub.id).order_by(queries.Notification.id.desc())]
    return data


def delivery_states(sub_id: int) -> dict[int, str]:
    """Each of the subscription's events' webhook state, by event id: 'delivered', 'pending',
    'failed', or for several endpoints '1 of 2 failed' / '1/2 delivered'."""
    by_event: dict[int, list[str]] = {}
    for row in deliveries.listing(subscription=sub_id, limit=500, newest_first=True):
        by_event.setdefault(row["event"], []).append(row["status"])
    out = {}
    for event, states in by_event.items():
        if len(states) == 1:
            out[event] = states[0]
        elif "failed" in states:
            out[event] = f"{states.count('failed')} of {len(states)} failed"
        else:
            out[event] = f"{states.count('delivered')}/{len(states)} delivered"
    return out


def cancel_choice(sub_id: int) -> dict:
    """The cancel choice, and whether the subscription is a repeat trial (R-TRIAL-2)."""
    preview = actions.preview_cancel(sub_id)
    preview["repeat_trial"] = present.subscription(subs.find(sub_id))["repeat_trial"]
    return preview
