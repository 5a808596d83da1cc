"""R-CHANGE-1: change a subscription without proration, from the next charge."""

import json

import pytest

from opsconsole.billing import actions, addons, change, present, proration
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Charge, Event, Notification, SubscriptionAddon
from tests.conftest import d


def writes() -> tuple[int, ...]:
    return (Charge.select().count(), Event.select().count(), Notification.select().count(),
            Audit.select().count(), SubscriptionAddon.select().count())


def refused(match: str, ref, **kw) -> None:
    before = writes()
    with pytest.raises(DomainError, match=match):
        change.preview(ref, **kw)
    with pytest.raises(DomainError, match=match):
        change.change(ref, **kw)
    assert writes() == before


def test_R_CHANGE_1_next_charge_date_moves_the_schedule_with_no_charge_now(store):
    sub = store.sub(next_charge="2026-02-01")
    preview = change.preview(sub, next_charge_date=d("2026-02-15"))
    assert preview["before"]["date"] == "2026-02-01" and preview["after"]["date"] == \
        "2026-02-15"
    out = change.change(sub, operator="ana", next_charge_date=d("2026-02-15"))
    assert "2026-02-01 30.00 USD -> 2026-02-15 30.00 USD" in out.message
    assert store.charges(sub) == []
    assert store.events(sub)[-1] == "subscription.updated"
    assert store.emails(sub)[-1] == (d("2026-01-30"), "Subscription Updated")
    audit = Audit.select().where(Audit.action == "change").get()
    assert audit.operator == "ana"
    assert json.loads(audit.before)["next_charge_date"] == "2026-02-01"
    assert json.loads(audit.after)["next_charge_date"] == "2026-02-15"
    store.run_until("2026-03-15")
    assert store.charges(sub) == [("2026-02-15", "rebill", 3000, "completed"),
                                  ("2026-03-15", "rebill", 3000, "completed")]


def test_R_CHANGE_1_a_product_brings_its_price_and_interval_unless_a_price_is_given(store):
    store.product("premium", "month", "60.00")
    store.product("yearly", "year", "300.00")
    addons.offer("monthly", "storage", "5.00")
    addons.offer("monthly", "coaching", "20.00")
    addons.offer("premium", "storage", "7.00")
    sub = store.sub(next_charge="2026-02-01")
    addons.add(sub, "storage")
    addons.add(sub, "coaching")
    preview = change.preview(sub, product="premium")
    assert (preview["before"]["amount"], preview["after"]["amount"]) == ("55.00", "67.00")
    assert preview["changes"]["addons_dropped"] == ["coaching"]
    out = change.change(sub, product="premium")
    assert "add-ons dropped: coaching" in out.message
    row = store.get(sub)
    assert (row.product.path, row.price) == ("premium", 6000)
    assert present.subscription(row)["addons"] == [{"path": "storage", "quantity": 1,
                                                    "price": "7.00"}]
    change.change(sub, product="yearly", price="250.00", quantity=2)
    row = store.get(sub)
    assert (row.price, row.quantity, row.interval_unit) == (25000, 2, "year")
    assert row.next_charge_date == d("2026-02-01")  # from the next charge on
    store.run_until("2026-02-01")
    assert store.charges(sub) == [("2026-02-01", "rebill", 50000, "completed")]
    assert store.get(sub).next_charge_date == d("2027-02-01")


def test_R_CHANGE_1_end_date_set_and_cleared(store):
    sub = store.sub(next_charge="2026-02-01")
    change.change(sub, end_date=d("2026-01-30"))  # today is allowed: it ends tonight
    assert store.get(sub).end_date == d("2026-01-30")
    assert change.preview(sub, end_date=d("2026-03-10"))["before"]["date"] is None
    change.change(sub, no_end_date=True)
    assert store.get(sub).end_date is None
    change.change(sub, end_date=d("2026-02-10"))
    store.run_until("2026-02-11")
    assert store.get(sub).state == "deactivated"
    assert store.charges(sub) == [("2026-02-01", "rebill", 3000, "completed")]


def test_R_CHANGE_1_a_trial_moved_later_runs_to_the_day_before(store):
    sub = store.sub(next_charge="2026-02-05", trial_end_date="2026-02-04")
    change.change(sub, next_charge_date=d("2026-02-12"))
    row = store.get(sub)
    assert row.state == "trial" and row.trial_end_date == d("2026-02-11")


def test_R_CHANGE_1_refusals_are_one_clear_reason_and_write_nothing(store):
    store.product("euro", "month", "25.00", currency="EUR")
    store.product("usage", "adhoc", "1.00")
    sub = store.sub(next_charge="2026-02-01")
    refused("after today", sub, next_charge_date=d("2026-01-30"))
    refused("after today", sub, next_charge_date=d("2026-01-01"))
    refused("end date must be today", sub, end_date=d("2026-01-29"))
    refused("currencies differ", sub, product="euro")
    refused("quantity must be from 1", sub, quantity=0)
    refused("nothing to change: give", sub)
    refused("like that already", sub, quantity=1)
    refused("no product", sub, product="nope")
    refused("more than zero", sub, price="0")
    refused("managed", sub, product="usage")
    refused("not both", sub, end_date=d("2026-03-01"), no_end_date=True)
    usage = store.sub("usage", next_charge=None)
    refused("no next charge date", usage, next_charge_date=d("2026-03-01"))
    gone = store.sub(next_charge="2026-02-01")
    actions.cancel(gone, now=True)
    refused("deactivated", gone, quantity=2)
    canceled = store.sub(next_charge="2026-02-01")
    actions.cancel(canceled)
    refused("uncancel it first", canceled, next_charge_date=d("2026-02-10"))
    paused = store.sub(next_charge="2026-02-01")
    actions.pause(paused, 1)
    refused("cancel the pause first", paused, next_charge_date=d("2026-02-10"))
    late = store.sub(next_charge="2026-01-30", token="tok_chargeDeclined")
    store.run(1)
    refused("overdue", late, next_charge_date=d("2026-02-10"))
    change.change(late, quantity=2)  # what it is billed for may still change


def test_R_CHANGE_1_the_moved_period_is_what_proration_quotes(make_store):
    """After a change of the next charge date, the period still began where it did; the
    change itself is never prorated (no charge, no refund)."""
    s = make_store("2026-01-30")
    s.product("basic", "month", "30.00")
    sub = s.sub("basic", next_charge="2026-01-31", begin_date="2025-12-31")
    s.run(1)  # charged 01-31: the period 01-31..02-28
    change.change(sub, next_charge_date=d("2026-03-10"))
    assert s.charges(sub) == [("2026-01-31", "rebill", 3000, "completed")]
    s.run(1)
    quote = proration.review(sub, price="60.00").quote
    assert (quote.period_start, quote.period_end, quote.total) == (d("2026-01-31"),
                                                                   d("2026-03-10"), 38)
