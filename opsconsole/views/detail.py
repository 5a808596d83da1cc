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


# --- payment method, manual renewal, pay (R-DUN-5, R-MANUAL-1, R-MANUAL-2) ------------------
# What each would do, for its dialog to say before it is confirmed: the core's own checks,
# nothing written.

def payment_choice(sub_id: int, token: str = "", last4: str = "",
                   expiry: str = "") -> dict:
    """Setting a payment method: the card it replaces, whether the renewal turns automatic,
    and what is charged at once (an overdue subscription, R-DUN-5). A token, last 4 digits or
    expiry typed so far is checked as `actions.set_payment` checks it."""
    from ..billing.money import format_amount

    if token.strip():
        actions.check_token(token)
    actions.check_card_display(last4 or None, expiry or None)
    sub = subs.find(sub_id)
    actions.check_set_payment(sub)
    owed = actions.owed_on_new_payment(sub)
    charge_now = None if owed is None else format_amount(owed, sub.currency)
    shown = present.subscription(sub)
    return {"id": sub.id, "state": sub.state, "currency": sub.currency,
            "card": shown["payment_method"], "becomes_automatic": bool(sub.manual_renew),
            "managed": sub.interval_unit == "adhoc", "charge_now": charge_now,
            "next_charge_date": shown["next_charge_date"]}


def pay_choice(sub_id: int, token: str = "") -> dict:
    """The customer's Pay Now (R-MANUAL-1): what it charges, the due date it pays for, and the
    next due date after it; refused as `actions.pay` refuses."""
    from ..billing.money import format_amount
    from ..billing.schedule import period_after

    if token.strip():
        actions.check_token(token)
    sub = subs.find(sub_id)
    actions.check_pay(sub)
    due = sub.next_charge_date
    _, after = period_after(due, sub.interval_unit, sub.interval_length,
                            context.current().today)
    return {"id": sub.id, "state": sub.state, "currency": sub.currency,
            "amount": format_amount(subs.amount(sub), sub.currency),
            "due": due.isoformat(), "next_due": after.isoformat(),
            "overdue": sub.state == "overdue"}


def manual_renew_choice(sub_id: int) -> dict:
    """Switching to manual renewal (R-MANUAL-2): the card deleted for good and the date the
    customer pays next; refused as `actions.manual_renew` refuses."""
    sub = subs.find(sub_id)
    actions.check_manual_renew(sub)
    shown = present.subscription(sub)
    return {"id": sub.id, "state": sub.state, "card": shown["payment_method"],
            "due": shown["next_charge_date"], "overdue": sub.state == "overdue"}
