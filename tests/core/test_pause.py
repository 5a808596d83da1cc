"""Section 3, pause: R-PAUSE-1..6."""

import pytest

from opsconsole.billing import actions
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Event
from tests.conftest import d


def _nothing_written(fn):
    before = (Event.select().count(), Audit.select().count())
    with pytest.raises(DomainError) as err:
        fn()
    assert (Event.select().count(), Audit.select().count()) == before
    return str(err.value)


def test_R_PAUSE_1_only_active_automatic_uncanceled_for_1_to_12_periods(store):
    store.product("usage", "adhoc", "5.00")
    active = store.sub()
    assert "1 to 12" in _nothing_written(lambda: actions.pause(active, 13))
    assert "1 to 12" in _nothing_written(lambda: actions.pause(active, 0))
    trial = store.sub(next_charge="2026-02-05", trial_end_date="2026-02-04")
    assert "trial" in _nothing_written(lambda: actions.pause(trial, 1))
    manual = store.sub(manual_renew=True, token=None)
    assert "manually" in _nothing_written(lambda: actions.pause(manual, 1))
    adhoc = store.sub("usage", next_charge=None)
    assert "managed" in _nothing_written(lambda: actions.pause(adhoc, 1))
    canceled = store.sub()
    actions.cancel(canceled)
    assert "uncancel" in _nothing_written(lambda: actions.pause(canceled, 1))
    overdue = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run(1)
    assert "overdue" in _nothing_written(lambda: actions.pause(overdue, 1))
    actions.pause(active, 12)
    assert "already has a pause" in _nothing_written(lambda: actions.pause(active, 1))


def test_R_PAUSE_2_pause_and_resume_dates_with_event_and_email(store):
    sub = store.sub(next_charge="2026-01-31")
    out = actions.pause(sub, 2)
    row = store.get(sub)
    assert row.pause_date == d("2026-01-31")
    assert row.resume_date == d("2026-03-28")  # month-end rule, one interval at a time
    assert row.state == "active"
    assert out.subscription["pause_date"] == "2026-01-31"
    assert store.events(sub)[-1] == "subscription.updated"
    assert store.emails(sub) == [(d("2026-01-30"), "Subscription Paused")]


def test_R_PAUSE_3_on_pause_date_paused_instead_of_charged(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 1)
    store.run_until("2026-02-28")
    row = store.get(sub)
    assert row.state == "paused"
    assert store.charges(sub) == []
    assert store.events(sub)[-2:] == ["subscription.updated", "subscription.paused"]
    assert store.event_rows(sub, "subscription.paused")[0][0] == d("2026-02-01")
    # no reminders while paused (the resume charge on 03-01 would have had one on 02-22)
    assert [t for _, t in store.emails(sub)] == ["Subscription Paused"]


def test_R_PAUSE_4_cancel_scheduled_pause_changes_nothing_else(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 3)
    actions.cancel_pause(sub)
    row = store.get(sub)
    assert (row.pause_date, row.resume_date, row.state, row.next_charge_date) == \
        (None, None, "active", d("2026-02-01"))
    store.run_until("2026-02-01")
    assert store.charges(sub) == [("2026-02-01", "rebill", 3000, "completed")]
    with pytest.raises(DomainError, match="no pause"):
        actions.cancel_pause(sub)


def test_R_PAUSE_5_resume_charges_now_and_starts_a_new_period(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 6)
    store.run_until("2026-02-10")
    out = actions.resume(sub)
    row = store.get(sub)
    assert out.ok and row.state == "active"
    assert row.next_charge_date == d("2026-03-10")
    assert (row.pause_date, row.resume_date) == (None, None)
    assert store.charges(sub) == [("2026-02-10", "resume", 3000, "completed")]
    assert store.events(sub)[-3:] == ["subscription.resumed", "subscription.updated",
                                      "subscription.charge.completed"]


def test_R_PAUSE_5_declined_resume_starts_dunning_from_today(store):
    sub = store.sub(next_charge="2026-02-01", token="tok_chargeDeclinedExpiredCard")
    actions.pause(sub, 6)
    store.run_until("2026-02-10")
    out = actions.resume(sub)
    row = store.get(sub)
    assert not out.ok
    assert row.state == "overdue" and row.overdue_since == d("2026-02-10")
    assert (row.pause_date, row.resume_date) == (None, None)
    assert row.dunning_date == d("2026-02-10")
    store.run(1)
    assert store.charges(sub)[-1] == ("2026-02-11", "retry", 3000, "failed")


def test_R_PAUSE_5_resume_refuses_what_is_not_paused(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 1)
    with pytest.raises(DomainError, match="cancel the scheduled pause"):
        actions.resume(sub)


def test_R_PAUSE_6_on_resume_date_active_and_charged_as_a_normal_rebill(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.pause(sub, 2)
    store.run_until("2026-03-31")
    assert store.charges(sub) == []
    store.run(1)
    row = store.get(sub)
    assert row.state == "active"
    assert store.charges(sub) == [("2026-04-01", "rebill", 3000, "completed")]
    assert row.next_charge_date == d("2026-05-01")
    assert store.event_rows(sub, "subscription.resumed")[0][0] == d("2026-04-01")
