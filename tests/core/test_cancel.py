"""Section 3, cancel and uncancel: R-CANCEL-1..3, R-UNCANCEL-1."""

import pytest

from opsconsole.billing import actions
from opsconsole.errors import DomainError
from tests.conftest import d


def test_R_CANCEL_1_default_cancels_at_the_next_charge_date(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub)
    row = store.get(sub)
    assert row.cancel_date == d("2026-02-01") and row.state == "active"
    assert store.events(sub)[-1] == "subscription.canceled"
    assert store.emails(sub) == [(d("2026-01-30"), "Subscription Canceled")]
    with pytest.raises(DomainError, match="2026-02-01"):
        actions.cancel(sub)


def test_R_CANCEL_1_paused_cancels_at_its_resume_date(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 2)
    store.run_until("2026-02-05")
    actions.cancel(sub)
    assert store.get(sub).cancel_date == d("2026-04-01")
    store.run_until("2026-04-01")
    assert store.get(sub).state == "deactivated"
    assert store.charges(sub) == []


def test_R_CANCEL_1_managed_is_canceled_now(store):
    store.product("usage", "adhoc", "5.00")
    sub = store.sub("usage", next_charge=None)
    actions.cancel(sub)
    assert store.get(sub).state == "deactivated"


def test_R_CANCEL_2_now_deactivates_at_once(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub, now=True)
    row = store.get(sub)
    assert row.state == "deactivated" and row.deactivated_on == d("2026-01-30")
    assert store.events(sub)[-2:] == ["subscription.canceled", "subscription.deactivated"]
    assert [t for _, t in store.emails(sub)] == ["Subscription Canceled"]
    store.run_until("2026-03-01")
    assert store.charges(sub) == []


def test_R_CANCEL_2_overdue_is_always_canceled_now(store):
    sub = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run(1)
    actions.cancel(sub)
    assert store.get(sub).state == "deactivated"


def test_R_CANCEL_3_on_cancel_date_deactivated_instead_of_charged(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub)
    store.run_until("2026-01-31")
    assert store.get(sub).state == "active"
    store.run(1)
    assert store.get(sub).state == "deactivated"
    assert store.charges(sub) == []
    assert store.event_rows(sub, "subscription.deactivated")[0][0] == d("2026-02-01")
    assert store.emails(sub)[-1] == (d("2026-02-01"), "Subscription Deactivated")


def test_R_UNCANCEL_1_clears_the_cancel_date_until_deactivated(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub)
    actions.uncancel(sub)
    assert store.get(sub).cancel_date is None
    assert store.events(sub)[-1] == "subscription.uncanceled"
    store.run_until("2026-02-01")
    assert store.charges(sub) == [("2026-02-01", "rebill", 3000, "completed")]
    with pytest.raises(DomainError, match="not canceled"):
        actions.uncancel(sub)
    actions.cancel(sub, now=True)
    with pytest.raises(DomainError, match="cannot be uncanceled"):
        actions.uncancel(sub)
    assert store.get(sub).state == "deactivated"


def test_R_UNCANCEL_1_the_check_before_a_confirm_says_what_uncancel_would_say(store):
    """check_uncancel (asked before the console's confirm) names the cancel date it would
    clear, and refuses in the very words of uncancel itself, writing nothing."""
    sub = store.sub(next_charge="2026-02-01")
    with pytest.raises(DomainError, match="is not canceled"):
        actions.check_uncancel(sub)
    actions.cancel(sub)
    events = store.events(sub)
    assert actions.check_uncancel(sub) == {"cancel_date": "2026-02-01"}
    assert store.get(sub).cancel_date == d("2026-02-01") and store.events(sub) == events
    gone = store.sub(next_charge="2026-02-01")
    actions.cancel(gone, now=True)
    for call in (actions.check_uncancel, actions.uncancel):
        with pytest.raises(DomainError, match="cannot be uncanceled") as refused:
            call(gone)
        assert "deactivated on 2026-01-30" in str(refused.value)


def test_R_PAUSE_1_the_check_before_removing_a_pause_says_what_the_removal_would_say(store):
    sub = store.sub(next_charge="2026-02-01")
    with pytest.raises(DomainError, match="has no pause scheduled"):
        actions.check_cancel_pause(sub)
    actions.pause(sub, 2)
    found = actions.check_cancel_pause(sub)
    assert found["pause_date"] == "2026-02-01" and found["resume_date"] == "2026-04-01"
    store.run_until("2026-02-05")
    for call in (actions.check_cancel_pause, actions.cancel_pause):
        with pytest.raises(DomainError, match="already paused; resume it instead"):
            call(sub)
