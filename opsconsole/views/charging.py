"""Charging by hand: what can be charged now, and charging several, each on its own."""

from collections.abc import Iterable, Iterator

from ..billing import actions, present
from ..errors import DomainError
from ..store import context, queries


def chargeable() -> list[dict]:
    """Managed and overdue subscriptions with what a charge now would take."""
    rows = []
    today = context.current().today
    for sub in queries.chargeable():
        data = present.subscription(sub)
        data["overdue_days"] = (today - sub.overdue_since).days if sub.overdue_since else 0
        data["due"] = actions.preview_charge(sub.id)
        rows.append(data)
    return rows


def charge_each(refs: Iterable, operator: str) -> Iterator[dict]:
    """Each charge is its own transaction: one decline or refusal stops no other. Yields
    {id, ok, message, charge} per reference, in order (charge is None when refused)."""
    for ref in refs:
        try:
            outcome = actions.charge(ref, operator)
        except DomainError as exc:
            yield {"id": ref, "ok": False, "message": str(exc), "charge": None}
        else:
            yield {"id": outcome.subscription["id"], "ok": outcome.ok,
                   "message": outcome.message, "charge": outcome.charge}
