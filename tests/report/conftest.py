"""A small shop for the dashboard's figures: one product of each interval, two currencies, an
add-on, a managed product and an introductory phase that renews into the monthly one."""

import pytest

from opsconsole.billing import addons
from opsconsole.store.models import PaymentMethod, Subscription


@pytest.fixture
def shop(make_store):
    s = make_store("2026-01-30")
    s.product("monthly", "month", "30.00")
    s.product("weekly", "week", "7.50")
    s.product("yearly", "year", "300.00")
    s.product("daily", "day", "1.00")
    s.product("quarterly", "month", "90.00", length=3)
    s.product("eu", "month", "27.00", currency="EUR")
    s.product("api", "adhoc", "5.00")
    s.product("intro", "week", "5.00", rebills=2, renews_into="monthly")
    addons.offer("monthly", "storage", "4.95")
    return s


def card_works(sub_id: int) -> None:
    """The customer's card starts to work (funds arrived): behind the store's back, as the
    gateway would see it; the next attempt with it is approved."""
    method = Subscription.get_by_id(sub_id).payment_method_id
    PaymentMethod.update(token="tok_visa").where(PaymentMethod.id == method).execute()
