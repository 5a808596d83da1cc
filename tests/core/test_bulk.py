"""R-BULK-1."""

import pytest

from opsconsole.billing import actions, bulk
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Event, Notification


def test_R_BULK_1_preview_every_change_and_write_nothing(store):
    a = store.sub(price="30.00")
    b = store.sub(price="20.00", quantity=2)
    gone = store.sub(price="30.00")
    actions.cancel(gone, now=True)
    before = (Event.select().count(), Notification.select().count())
    plan = bulk.plan("monthly", percent="10").as_dict()
    assert plan["count"] == 2
    assert plan["rows"] == [{"id": a, "old": "30.00", "new": "33.00"},
                            {"id": b, "old": "20.00", "new": "22.00"}]
    assert plan["monthly_change"] == "7.00"
    assert (Event.select().count(), Notification.select().count()) == before
    assert store.get(a).price == 3000


def test_R_BULK_1_apply_in_one_transaction_with_events_and_emails(store):
    subs = [store.sub(price="30.00") for _ in range(3)]
    plan = bulk.apply("monthly", price="35.00", operator="ops")
    assert len(plan.rows) == 3
    for sub in subs:
        assert store.get(sub).price == 3500
        assert store.events(sub)[-1] == "subscription.updated"
        assert store.emails(sub)[-1][1] == "Subscription Updated"
    assert Audit.select().where(Audit.action == "bulk-price").count() == 3


def test_R_BULK_1_new_prices_apply_at_the_next_charge_without_proration(store):
    sub = store.sub(next_charge="2026-02-01", price="30.00")
    bulk.apply("monthly", percent="-10")
    assert store.charges(sub) == []
    store.run_until("2026-02-01")
    assert store.charges(sub) == [("2026-02-01", "rebill", 2700, "completed")]


def test_R_BULK_1_currency_required_when_several(store):
    store.sub(price="30.00")
    eur = store.sub(price="28.00", currency="EUR")
    with pytest.raises(DomainError, match="USD.*EUR|EUR.*USD"):
        bulk.plan("monthly", price="40.00")
    plan = bulk.plan("monthly", price="31.00", currency="EUR")
    assert [r[0] for r in plan.rows] == [eur]


def test_R_BULK_1_warns_when_payment_reminders_are_off(store):
    store.product("quiet", "month", "9.00", reminder_days=0)
    store.sub("quiet")
    assert bulk.plan("quiet", price="10.00").warnings
    assert not bulk.plan("monthly", price="10.00").warnings


def test_R_BULK_1_refuses_prices_of_zero_or_less(store):
    store.sub()
    with pytest.raises(DomainError):
        bulk.plan("monthly", percent="-100")
    with pytest.raises(DomainError):
        bulk.plan("monthly", price="0")
    with pytest.raises(DomainError, match="no subscription"):
        bulk.apply("monthly", price="30.00")
