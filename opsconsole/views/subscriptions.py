"""The subscriptions list: a page at a time, searched; its states and products."""

from ..billing import present, products as product_catalogue, subs
from ..errors import Unreadable
from ..store import context, queries
from ..store.models import Account
from ..store.states import SUB_STATES

REPEAT = "repeat trials"  # a pseudo-state: trials whose account had the product (R-TRIAL-2)
STATES = list(SUB_STATES)


def page(size: int, after=None, backwards=False, state=None, product=None, search=None,
         with_count=False) -> dict:
    """A page of up to `size` subscriptions as dicts for the table, each with the key to
    page on from it."""
    today = context.current().today
    repeat = state == REPEAT
    if repeat:
        state = None
    searched: dict = {}  # the page and its count share one search
    rows = subs.preload(queries.subscription_page(after, size, state, product, search,
                                                  backwards, repeat_only=repeat,
                                                  searched=searched))
    found = []
    for sub in rows:
        try:
            data = present.listed(sub)
        except Unreadable as exc:  # kept in its place, so the pages around it still join
            data = unreadable(sub, exc)
        data["today"] = today  # for the short flags
        data["_key"] = queries.sort_key(sub)
        found.append(data)
    count = queries.count_subscriptions(state, product, search, repeat, searched) \
        if with_count else None
    return {"rows": found, "count": count, "after": after, "backwards": backwards}


def unreadable(sub, exc: Unreadable) -> dict:
    """A list's row for a subscription that holds values the store cannot read (a file written
    to by hand): its id, its customer where that can be read, and why; nothing else shown."""
    try:
        account = sub.account
    except Account.DoesNotExist:  # what it holds may be just that
        account = None
    customer = {k: getattr(account, k, "") if isinstance(getattr(account, k, ""), str) else ""
                for k in ("email", "first", "last")}
    return {"id": sub.id, "reference_id": None, "state": "unreadable", "product": "",
            "quantity": None, "currency": "", "price": "", "amount": "?", "interval": None,
            "next_charge_date": None, "end_date": None, "cancel_date": None,
            "pause_date": None, "resume_date": None, "manual_renew": False,
            "payment_method": None, "discount": None, "addons": [], "repeat_trial": False,
            "customer": customer, "overdue_since": None, "last_prorated": None,
            "unreadable": str(exc)}


def count(state=None, product=None, search=None) -> dict:
    """How many the list's filters match (None: a broad search), with the filters counted: an
    answer for filters no longer on screen is dropped by the screen."""
    repeat = state == REPEAT
    return {"count": queries.count_subscriptions(None if repeat else state, product, search,
                                                 repeat),
            "filters": {"state": state, "product": product, "search": search}}


def product_paths(currency: str | None = None) -> list[str]:
    """Every product's path, or only those sold in one currency."""
    return [p["path"] for p in product_catalogue.listing()
            if currency is None or p["currency"] == currency]


def edit_form(sub_id: int, same_currency: bool = False) -> dict:
    """A subscription and the products it may move to: the change and prorate dialogs."""
    sub = present.subscription(subs.find(sub_id))
    return {"sub": sub, "products": product_paths(sub["currency"] if same_currency else None)}
