"""Read queries the command line and the console share. Nothing here writes."""

import peewee as pw

from .models import Account, Audit, Charge, Event, Notification, PaymentMethod, Product, \
    Subscription


def subscriptions(state: str | None = None, product: str | None = None,
                  search: str | None = None, limit: int | None = None):
    """Subscriptions sorted by next charge date (none last), then ID."""
    S = Subscription
    query = (S.select(S, Product, Account, PaymentMethod)
             .join(Product).switch(S).join(Account)
             .switch(S).join(PaymentMethod, pw.JOIN.LEFT_OUTER))
    if state:
        query = query.where(S.state == state)
    if product:
        query = query.where(Product.path == product)
    if search:
        text = search.strip()
        like = f"%{text}%"
        term = ((S.reference_id ** like) | (Account.email ** like) | (Account.first ** like)
                | (Account.last ** like)
                | ((Account.first.concat(" ").concat(Account.last)) ** like))
        if text.isdigit() and len(text) < 19:
            term = term | (S.id == int(text))
        query = query.where(term)
    query = query.order_by(S.next_charge_date.is_null(), S.next_charge_date, S.id)
    if limit:
        query = query.limit(limit)
    return query


SORT_END = "9999-12-31"  # where a subscription without a next charge date sorts


def _sort_key(sub) -> tuple[str, int]:
    return (sub.next_charge_date.isoformat() if sub.next_charge_date else SORT_END, sub.id)


def subscription_page(after: tuple[str, int] | None = None, limit: int = 100,
                      state: str | None = None, product: str | None = None,
                      search: str | None = None, backwards: bool = False):
    """One page in next-charge order, by keyset: never OFFSET, never the whole store.
    Returns (rows, key of the last row) in display order."""
    S = Subscription
    key = (pw.fn.COALESCE(S.next_charge_date, SORT_END), S.id)
    query = subscriptions(state, product, search).order_by()
    if after is not None:
        row_key, bound = pw.Tuple(*key), pw.Tuple(*after)
        query = query.where(row_key < bound if backwards else row_key > bound)
    order = [k.desc() for k in key] if backwards else list(key)
    rows = list(query.order_by(*order).limit(limit))
    if backwards:
        rows.reverse()
    return rows


def count_subscriptions(state=None, product=None, search=None) -> int:
    return subscriptions(state, product, search).order_by().count()


def chargeable(limit: int = 500):
    """Subscriptions an operator may charge by hand: managed ones, and overdue automatic
    ones (a retry now). Most overdue first."""
    S = Subscription
    return (subscriptions().where(S.state != "deactivated",
                                  (S.interval_unit == "adhoc")
                                  | ((S.state == "overdue") & (S.manual_renew == False)))  # noqa: E712
            .order_by(S.overdue_since.is_null(), S.overdue_since, S.id).limit(limit))


def charges(subscription_id: int | None = None):
    query = Charge.select().order_by(Charge.id)
    if subscription_id is not None:
        query = query.where(Charge.subscription == subscription_id)
    return query


def events(subscription_id: int | None = None, type_: str | None = None):
    query = Event.select().order_by(Event.id)
    if subscription_id is not None:
        query = query.where(Event.subscription == subscription_id)
    if type_:
        query = query.where(Event.type == type_)
    return query


def event_types() -> list[str]:
    return [t for (t,) in Event.select(Event.type).distinct().order_by(Event.type).tuples()]


def notifications(subscription_id: int | None = None):
    query = Notification.select().order_by(Notification.id)
    if subscription_id is not None:
        query = query.where(Notification.subscription == subscription_id)
    return query


def audit():
    return Audit.select().order_by(Audit.id)


def fingerprint() -> tuple:
    """Changes whenever anything is written: the clock, any event, any audit row, a day."""
    from .models import database

    return tuple(database.execute_sql(
        "SELECT (SELECT clock FROM store), (SELECT MAX(id) FROM event), "
        "(SELECT MAX(id) FROM audit), (SELECT COUNT(*) FROM day_run WHERE finished)"
    ).fetchone())
