"""R-PRORATE-1..3."""

import pytest

from opsconsole.billing import actions, proration
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
