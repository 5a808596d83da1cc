"""Section 3 charges and dunning (R-CHARGE-1..3, R-DUN-1..5) and the gateway (R-GW-1)."""

import pytest

from opsconsole.billing import actions, gateway, present
from opsconsole.errors import DomainError
from opsconsole.store.models import PaymentMethod
from tests.conftest import d


def test_R_CHARGE_1_due_active_and_trial_automatic_subscriptions_are_charged(store):
    active = store.sub(next_charge="2026-01-31", quantity=2)
    trial = store.sub(next_charge="2026-01-31", trial_end_date="2026-01-30")
    late = store.sub(next_charge="2026-01-15")  # on or after its date
    manual = store.sub(next_charge="2026-01-31", manual_renew=True, token=None)
    store.run(1)
    assert store.charges(active) == [("2026-01-31", "rebill", 6000, "completed")]
    assert store.charges(trial) == [("2026-01-31", "rebill", 3000, "completed")]
    assert store.charges(late) == [("2026-01-31", "rebill", 3000, "completed")]
    assert store.charges(manual) == []


def test_R_CHARGE_2_success_advances_and_sends_a_receipt(store):
    sub = store.sub(next_charge="2026-01-31")
    store.run(1)
    row = store.get(sub)
    assert row.state == "active" and row.next_charge_date == d("2026-02-28")
    assert store.events(sub)[-1] == "subscription.charge.completed"
    assert store.emails(sub) == [(d("2026-01-31"), "Payment Receipt")]


def test_R_DUN_1_decline_makes_it_overdue_on_day_0(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclinedInsufficientFunds")
    store.run(1)
    row = store.get(sub)
    assert row.state == "overdue" and row.overdue_since == d("2026-01-31")
    assert store.charges(sub) == [("2026-01-31", "rebill", 3000, "failed")]
    assert store.events(sub)[-1] == "subscription.charge.failed"
    assert store.emails(sub) == [(d("2026-01-31"), "Charge Failed")]


def test_R_DUN_1_no_payment_method_is_a_decline(store):
    sub = store.sub(next_charge="2026-01-31", token=None)
    store.run(1)
    assert store.get(sub).state == "overdue"
    assert store.charges(sub) == [("2026-01-31", "rebill", 3000, "failed")]
    from opsconsole.store.models import Charge

    assert Charge.get(Charge.subscription == sub).reason == "no payment method"


def test_R_DUN_2_retries_on_days_1_3_5_and_on_notice_days(store):
    store.product("noisy", "month", "30.00", overdue_notice_days="2,4",
                  deactivate_after_days=10)
    default = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    noisy = store.sub("noisy", next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-09")

    def days(sub):
        return [(d(c[0]) - d("2026-01-31")).days for c in store.charges(sub) if c[1] == "retry"]

    assert days(default) == [1, 3, 5]
    assert days(noisy) == [1, 2, 3, 4, 5]


def test_R_DUN_2_a_successful_retry_resets_dunning_from_the_original_date(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-02")
    PaymentMethod.update(token="tok_visa").execute()  # the card works again by day 3
    store.run_until("2026-02-03")
    row = store.get(sub)
    assert row.state == "active" and row.overdue_since is None
    assert row.next_charge_date == d("2026-02-28")
    assert store.charges(sub)[-1] == ("2026-02-03", "retry", 3000, "completed")
    store.run_until("2026-02-10")
    assert store.get(sub).state == "active"


def test_R_DUN_3_overdue_notices_follow_the_failed_retry(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-06")
    notices = store.event_rows(sub, "subscription.payment.overdue")
    assert [at for at, _ in notices] == [d("2026-02-01"), d("2026-02-03"), d("2026-02-05")]
    emails = [t for _, t in store.emails(sub)]
    assert emails == ["Charge Failed"] + ["Payment Overdue"] * 3
    types = store.events(sub)
    i = types.index("subscription.payment.overdue")
    assert types[i - 1] == "subscription.charge.failed"  # the retry came first


def test_R_DUN_4_deactivated_on_day_7(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-06")
    assert store.get(sub).state == "overdue"
    store.run(1)
    row = store.get(sub)
    assert row.state == "deactivated" and row.deactivated_on == d("2026-02-07")
    assert store.emails(sub)[-1] == (d("2026-02-07"), "Subscription Deactivated")
    assert store.events(sub)[-1] == "subscription.deactivated"


def test_R_DUN_5_new_payment_method_on_overdue_charges_at_once(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-02")
    out = actions.set_payment(sub, "tok_visa", "4242", "12/29")
    assert out.ok and store.get(sub).state == "active"
    assert store.charges(sub)[-1] == ("2026-02-02", "retry", 3000, "completed")


def test_R_DUN_5_a_decline_restarts_dunning_from_that_day(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run_until("2026-02-04")
    out = actions.set_payment(sub, "tok_chargeDeclinedExpiredCard")
    assert not out.ok
    row = store.get(sub)
    assert row.overdue_since == d("2026-02-04")
    store.run_until("2026-02-10")
    assert store.get(sub).state == "overdue"  # would have been deactivated 02-07
    store.run(1)
    assert store.get(sub).state == "deactivated"


def test_R_CHARGE_3_retry_now_on_overdue(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run(1)
    out = actions.charge(sub)
    assert not out.ok and store.get(sub).state == "overdue"
    PaymentMethod.update(token="tok_visa").execute()
    out = actions.charge(sub)
    row = store.get(sub)
    assert out.ok and row.state == "active" and row.next_charge_date == d("2026-02-28")
    active = store.sub(next_charge="2026-02-10")
    with pytest.raises(DomainError, match="only managed"):
        actions.charge(active)


def test_R_GW_1_sandbox_tokens_and_decline_reasons(store):
    assert gateway.charge("tok_anything", 100, "USD").approved
    assert gateway.charge("tok_chargeDeclined", 100, "USD").reason == "declined"
    assert gateway.charge("tok_chargeDeclinedExpiredCard", 100, "USD").reason == \
        "declined: expired card"
    assert gateway.charge("tok_chargeDeclinedInsufficientFunds", 100, "USD").reason == \
        "declined: insufficient funds"
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclinedExpiredCard")
    store.run(1)
    from opsconsole.store.models import Charge

    assert Charge.get(Charge.subscription == sub).reason == "declined: expired card"


def test_R_GW_1_card_numbers_are_never_stored(store):
    sub = store.sub()
    with pytest.raises(DomainError, match="card number"):
        actions.set_payment(sub, "4242 4242 4242 4242")
    actions.set_payment(sub, "tok_new", "4242", "12/29")
    shown = present.subscription(store.get(sub))["payment_method"]
    assert shown == {"last4": "4242", "expiry": "12/29"}
    assert "token" not in shown
    with pytest.raises(DomainError, match="four digits"):
        actions.set_payment(sub, "tok_new", "42", "12/29")
