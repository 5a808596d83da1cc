"""Customer accounts (R-ACCOUNT-1): one per email; its subscriptions and what it was charged."""

from .. import text
from ..store import queries
from . import present, subs
from .errors import DomainError
from .money import format_amount


def _row(s: dict) -> dict:
    return {"id": s["id"], "reference_id": s["reference_id"], "state": s["state"],
            "product": s["product"], "amount": s["amount"], "currency": s["currency"],
            "next_charge_date": s["next_charge_date"], "repeat_trial": s["repeat_trial"],
            "addons": s["addons"]}


def show(email: str) -> dict:
    """The account of an email (as stored, or in any case when only one matches): its
    subscriptions, each with state, product, amount and next charge, and its charges' total
    (completed charges less refunds) in each currency."""
    text.check(email, "the email")
    account = queries.find_account(email or "")
    if account is None:
        raise DomainError(f"no account with the email {email.strip()!r}")
    rows = subs.preload(list(queries.account_subscriptions(account.id)))
    totals = [{"currency": cur, "charged": format_amount(charged, cur),
               "refunded": format_amount(refunded, cur),
               "total": format_amount(charged - refunded, cur)}
              for cur, charged, refunded in queries.account_charge_totals(account.id)]
    unread: list = []  # one the store cannot read: the others shown, it named
    data = {"email": account.email, "first": account.first, "last": account.last,
            "subscriptions": [_row(s) for s in present.readable(rows, unread)],
            "charges_total": totals}
    if unread:
        data["unreadable"] = [{"id": exc.row_id, "error": str(exc)} for exc in unread]
    return data


def of_subscription(ref) -> dict:
    """The account of a subscription, for its detail: the account's other subscriptions."""
    sub = subs.find(ref)
    data = show(sub.account.email)
    data["others"] = [s for s in data["subscriptions"] if s["id"] != sub.id]
    return data
