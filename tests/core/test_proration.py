"""R-PRORATE-1..3."""

import datetime as dt

import pytest

from opsconsole.billing import actions, proration, subs
from opsconsole.billing.schedule import add_months
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Charge, Event, PaymentMethod
from tests.conftest import d


@pytest.fixture
def jan(make_store):
    """The worked example's store: 30.00 monthly, period 2026-01-01..02-01, today 01-16."""
    s = make_store("2026-01-16")
    s.product("basic", "month", "30.00")
    s.product("premium", "month", "60.00")
    s.product("premium-yearly", "year", "600.00")
    s.product("usage", "adhoc", "5.00")
    return s


def test_R_PRORATE_2_worked_example():
    q = proration.compute(3000, 6000, d("2026-01-01"), d("2026-02-01"), d("2026-01-16"))
    assert (q.total, q.left, q.credit, q.charge, q.net) == (31, 16, 1548, 3097, 1549)


def test_R_PRORATE_2_quote_from_the_store(jan):
    sub = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    review = proration.review(sub, price="60.00")
    data = review.as_dict()
    assert (data["left"], data["total"], data["credit"], data["charge"], data["net"]) == \
        (16, 31, "15.48", "30.97", "15.49")
    assert data["period_start"] == "2026-01-01" and data["last_prorated"] is None
    assert review.old["amount"] == "30.00" and review.new["amount"] == "60.00"


def test_R_PRORATE_1_refusals_with_reasons(jan):
    def refused(sub, match, **change):
        before = (Charge.select().count(), Event.select().count(), Audit.select().count())
        with pytest.raises(DomainError, match=match):
            proration.confirm(sub, **change)
        with pytest.raises(DomainError, match=match):
            proration.review(sub, **change)
        assert (Charge.select().count(), Event.select().count(),
                Audit.select().count()) == before

    old = jan.sub("basic", next_charge="2026-02-01", begin_date="2025-07-15")
    refused(old, "more than 6 months", price="60.00")
    charged_today = jan.sub("basic", next_charge="2026-02-16", begin_date="2026-01-10")
    Charge.create(subscription=charged_today, scheduled_date=d("2026-01-16"), kind="rebill",
                  attempt=1, date=d("2026-01-16"), amount=3000, currency="USD",
                  status="completed", at=jan.get(charged_today).created_at)
    refused(charged_today, "Last charge is still pending", price="60.00")
    ok = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    refused(ok, "move the next charge date", product="premium-yearly")
    trial = jan.sub("basic", next_charge="2026-02-01", trial_end_date="2026-01-31")
    refused(trial, "trial", price="60.00")
    paused = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    actions.pause(paused, 1)
    refused(paused, "pause scheduled", price="60.00")
    adhoc = jan.sub("usage", next_charge=None)
    refused(adhoc, "managed", price="6.00")
    no_card = jan.sub("basic", next_charge="2026-02-01", token=None, begin_date="2026-01-01")
    refused(no_card, "no payment method", price="60.00")
    refused(ok, "nothing to change", price="30.00")
    overdue = jan.sub("basic", next_charge="2026-01-16", token="tok_chargeDeclined",
                      begin_date="2025-12-16")
    jan.run(1)
    refused(overdue, "overdue", price="60.00")


def test_R_PRORATE_1_six_months_uses_the_month_end_rule(make_store):
    s = make_store("2026-07-31")
    s.product("basic", "month", "30.00")
    sub = s.sub("basic", next_charge="2026-08-31", begin_date="2026-01-31")
    assert proration.review(sub, price="40.00").quote.left == 31  # 01-31 + 6 months = 07-31
    s.run(1)
    with pytest.raises(DomainError, match="6 months"):
        proration.review(sub, price="40.00")


def test_R_PRORATE_3_confirm_charges_the_net_then_saves(jan):
    sub = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    review, out = proration.confirm(sub, product="premium")
    row = jan.get(sub)
    assert out.ok and row.product.path == "premium" and row.price == 6000
    assert jan.charges(sub) == [("2026-01-16", "prorate", 1549, "completed")]
    assert jan.events(sub)[-2:] == ["subscription.updated", "subscription.charge.completed"]
    assert (d("2026-01-16"), "Subscription Updated") in jan.emails(sub)
    assert row.last_prorated == d("2026-01-16") and row.next_charge_date == d("2026-02-01")
    jan.run(1)
    assert proration.review(sub, quantity=2).quote.last_prorated == d("2026-01-16")


def test_R_PRORATE_3_a_downgrade_is_refunded(jan):
    sub = jan.sub("premium", next_charge="2026-02-01", begin_date="2026-01-01")
    review, out = proration.confirm(sub, price="30.00")
    assert review.quote.net == -1549
    assert jan.charges(sub) == [("2026-01-16", "refund", 1549, "completed")]
    assert "return.created" in jan.events(sub)


def test_R_PRORATE_3_a_declined_charge_still_saves_and_dunning_retries_it(jan):
    sub = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01",
                  token="tok_chargeDeclined")
    _, out = proration.confirm(sub, quantity=2)
    row = jan.get(sub)
    assert not out.ok and row.quantity == 2 and row.state == "overdue"
    assert row.dunning_amount == 1549  # 30.97 - 15.48, as in the worked example
    PaymentMethod.update(token="tok_visa").execute()
    jan.run(1)
    row = jan.get(sub)
    assert jan.charges(sub)[-1] == ("2026-01-17", "retry", 1549, "completed")
    assert row.state == "active" and row.next_charge_date == d("2026-02-01")


def test_R_PRORATE_3_without_confirmation_nothing_changes(jan):
    sub = jan.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    before = (Charge.select().count(), Event.select().count(), Audit.select().count())
    proration.review(sub, price="90.00", quantity=3)
    assert (Charge.select().count(), Event.select().count(),
            Audit.select().count()) == before
    assert jan.get(sub).price == 3000


# --- R-PRORATE-2: the period begins on the scheduled date it began, at month ends too ---------

@pytest.mark.parametrize("begun, charged, until, start, end, total", [
    # begun on the 31st, billed by the store on 01-31: the period to 02-28 is 28 days
    ("2025-12-31", "2026-01-31", "2026-02-10", "2026-01-31", "2026-02-28", 28),
    # on the 30th: 01-30 -> 02-28 (clamped), 29 days
    ("2025-12-30", "2026-01-30", "2026-02-10", "2026-01-30", "2026-02-28", 29),
    # the clamped day sticks: billed 02-28, the next period is 02-28..03-28
    ("2025-12-31", "2026-02-28", "2026-03-10", "2026-02-28", "2026-03-28", 28),
], ids=["31st", "30th", "sticks"])
def test_R_PRORATE_2_a_month_end_period_charged_by_the_store(make_store, begun, charged, until,
                                                            start, end, total):
    s = make_store((d(charged) - dt.timedelta(days=1)).isoformat())
    s.product("basic", "month", "30.00")
    sub = s.sub("basic", next_charge=charged, begin_date=begun)
    s.run_until(until)
    assert s.charges(sub)[-1][:2] == (charged, "rebill")
    q = proration.review(sub, price="60.00").quote
    assert (q.period_start, q.period_end, q.total) == (d(start), d(end), total)
    assert q.left == (d(end) - d(until)).days


@pytest.mark.parametrize("today, interval, begun, next_charge, start, total", [
    ("2026-02-10", "month", "2026-01-31", "2026-02-28", "2026-01-31", 28),  # the 31st
    ("2026-02-10", "month", "2026-01-30", "2026-02-28", "2026-01-30", 29),  # the 30th
    ("2024-02-10", "month", "2024-01-31", "2024-02-29", "2024-01-31", 29),  # 29 Feb, leap
    ("2026-02-10", "month", "2026-01-31", "2026-03-31", "2026-02-28", 31),  # back on the 31st
    ("2026-02-10", "week", "2026-01-31", "2026-02-14", "2026-02-07", 7),
    ("2025-02-10", "year", "2024-02-29", "2025-02-28", "2024-02-29", 365),  # yearly from 29 Feb
    ("2028-02-10", "year", "2024-02-29", "2028-02-28", "2027-02-28", 365),  # the 28th sticks
    ("2026-04-10", "month", "2026-01-31", "2026-04-28", "2026-03-28", 31),  # billed 28th since
], ids=["31st", "30th", "leap-29-feb", "31st-again", "weekly", "yearly-29-feb",
        "yearly-sticks", "off-anchor"])
def test_R_PRORATE_2_imported_period_falls_back_with_the_begin_day_as_anchor(
        make_store, today, interval, begun, next_charge, start, total):
    s = make_store(today)
    s.product("plan", interval, "30.00")
    sub = s.sub("plan", next_charge=next_charge, begin_date=begun)
    assert subs.period_start(s.get(sub)) == d(start)
    if add_months(d(begun), 6) >= d(today):  # R-PRORATE-1: older ones are not prorated
        q = proration.review(sub, price="60.00").quote
        assert (q.period_start, q.total) == (d(start), total)


def test_R_PRORATE_2_period_helpers():
    from opsconsole.billing.schedule import period_after, period_begin

    assert period_begin(d("2026-02-28"), "month", 1, d("2025-10-31")) == d("2026-01-31")
    assert period_begin(d("2026-02-28"), "month", 3, d("2025-11-30")) == d("2025-11-30")
    assert period_begin(d("2026-02-28"), "month", 1, None) == d("2026-01-28")
    assert period_begin(d("2026-02-10"), "day", 10, None) == d("2026-01-31")
    # a late charge never bills the skipped periods; the period begins at the last one
    assert period_after(d("2026-01-31"), "month", 1, d("2026-03-01")) == \
        (d("2026-02-28"), d("2026-03-28"))
    assert period_after(d("2026-01-31"), "week", 1, d("2026-01-31")) == \
        (d("2026-01-31"), d("2026-02-07"))
