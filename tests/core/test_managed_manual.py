"""R-MANAGED-1, R-MANUAL-1, R-MANUAL-2."""

import pytest

from opsconsole.billing import actions, bulk
from opsconsole.errors import DomainError
from opsconsole.store.models import PaymentMethod
from tests.conftest import d


@pytest.fixture
def usage(store):
    store.product("usage", "adhoc", "5.00")
    return store


def test_R_MANAGED_1_charged_only_by_an_operator_at_its_amount(usage):
    sub = usage.sub("usage", next_charge=None, quantity=3)
    usage.run(40)
    assert usage.charges(sub) == []
    out = actions.charge(sub)
    assert out.ok and out.charge["amount"] == "15.00" and out.charge["kind"] == "managed"
    bulk.apply("usage", price="6.00")  # a price change applies to the next charge
    actions.charge(sub)
    assert [c[2] for c in usage.charges(sub)] == [1500, 1800]


def test_R_MANAGED_1_each_of_several_succeeds_or_fails_on_its_own(usage):
    good = usage.sub("usage", next_charge=None)
    bad = usage.sub("usage", next_charge=None, token="tok_chargeDeclined")
    results = [actions.charge(s) for s in (good, bad)]
    assert [r.ok for r in results] == [True, False]
    assert usage.charges(good)[0][3] == "completed"
    assert usage.charges(bad)[0][3] == "failed"
    assert usage.get(bad).state == "active"


def test_R_MANUAL_1_goes_overdue_on_its_due_date_without_a_charge(store):
    sub = store.sub(next_charge="2026-02-01", manual_renew=True, token=None)
    store.run_until("2026-02-01")
    row = store.get(sub)
    assert row.state == "overdue" and row.overdue_since == d("2026-02-01")
    assert store.charges(sub) == []
    store.run_until("2026-02-07")
    assert store.charges(sub) == []  # no retries
    notices = [day for day, t in store.emails(sub) if t == "Payment Overdue"]
    assert notices == [d("2026-02-02"), d("2026-02-04"), d("2026-02-06")]
    store.run(1)
    assert store.get(sub).state == "deactivated"


def test_R_MANUAL_1_payment_renews_one_period_from_the_due_date(store):
    early = store.sub(next_charge="2026-02-01", manual_renew=True, token=None)
    late = store.sub(next_charge="2026-02-01", manual_renew=True, token=None)
    actions.pay(early, "tok_onetime")
    assert store.get(early).next_charge_date == d("2026-03-01")
    store.run_until("2026-02-04")
    assert store.get(late).state == "overdue"
    out = actions.pay(late, "tok_onetime")
    row = store.get(late)
    assert out.ok and row.state == "active" and row.next_charge_date == d("2026-03-01")
    assert store.charges(late) == [("2026-02-04", "payment", 3000, "completed")]
    assert row.payment_method_id is None  # a manual renewal stores no payment method
    declined = actions.pay(late, "tok_chargeDeclined")
    assert not declined.ok and store.get(late).next_charge_date == d("2026-03-01")


def test_R_MANUAL_1_pay_refuses_a_manual_renewal_that_renewed_into_a_managed_product(store):
    """Its last phase over, a manual renewal renews into an adhoc product (R-SCHED-4) and has
    no due date left to pay for: Pay Now is refused in words, not an internal error (it wrote
    a charge with no scheduled date)."""
    store.product("usage", "adhoc", "5.00")
    store.product("intro", "month", "10.00", rebills=1, renews_into="usage")
    sub = store.sub("intro", next_charge="2026-02-01", manual_renew=True, token=None)
    store.run_until("2026-02-01")
    row = store.get(sub)
    assert row.manual_renew and row.interval_unit == "adhoc" and row.next_charge_date is None
    with pytest.raises(DomainError, match="managed"):
        actions.check_pay(row)
    with pytest.raises(DomainError, match="managed"):
        actions.pay(sub, "tok_onetime")
    assert store.charges(sub) == []


def test_R_MANUAL_2_switching_to_manual_deletes_the_payment_method(store):
    sub = store.sub(next_charge="2026-02-01")
    method = store.get(sub).payment_method_id
    actions.manual_renew(sub)
    row = store.get(sub)
    assert row.manual_renew and row.payment_method_id is None
    assert PaymentMethod.get_or_none(PaymentMethod.id == method) is None
    store.run_until("2026-02-01")
    assert store.charges(sub) == [] and store.get(sub).state == "overdue"
    with pytest.raises(DomainError, match="already renews manually"):
        actions.manual_renew(sub)
