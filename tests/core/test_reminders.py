"""R-REMIND-1 and R-SETTINGS-1."""

from opsconsole.billing import actions, products
from tests.conftest import d


def _reminders(store, sub):
    return [day for day, t in store.emails(sub) if t == "Payment Reminder"]


def test_R_REMIND_1_reminder_before_monthly_and_yearly_rebills(store):
    store.product("yearly", "year", "100.00", reminder_days=14)
    monthly = store.sub(next_charge="2026-02-10")
    yearly = store.sub("yearly", next_charge="2026-02-20")
    store.run_until("2026-03-10")
    assert _reminders(store, monthly) == [d("2026-02-03"), d("2026-03-03")]
    assert _reminders(store, yearly) == [d("2026-02-06")]
    assert store.events(monthly, "subscription.payment.reminder")


def test_R_REMIND_1_none_for_weekly_or_daily_automatic(store):
    store.product("weekly", "week", "5.00")
    sub = store.sub("weekly", next_charge="2026-02-10")
    store.run_until("2026-03-10")
    assert _reminders(store, sub) == []


def test_R_REMIND_1_manual_renewal_gets_one_for_any_interval(store):
    store.product("weekly", "week", "5.00", reminder_days=2)
    sub = store.sub("weekly", next_charge="2026-02-10", manual_renew=True, token=None)
    store.run_until("2026-02-10")
    assert _reminders(store, sub) == [d("2026-02-08")]


def test_R_REMIND_1_none_for_a_date_with_no_charge(store):
    paused = store.sub(next_charge="2026-02-10")
    actions.pause(paused, 1)
    canceled = store.sub(next_charge="2026-02-10")
    actions.cancel(canceled)
    ended = store.sub(next_charge="2026-02-10", end_date="2026-02-09")
    store.run_until("2026-02-10")
    for sub in (paused, canceled, ended):
        assert _reminders(store, sub) == []


def test_R_REMIND_1_zero_days_is_off(store):
    store.product("quiet", "month", "30.00", reminder_days=0)
    sub = store.sub("quiet", next_charge="2026-02-10")
    store.run_until("2026-03-10")
    assert _reminders(store, sub) == []


def test_R_SETTINGS_1_settings_are_copied_and_applied_to_active_on_request(store):
    active = store.sub(next_charge="2026-02-10")
    canceled = store.sub(next_charge="2026-02-10")
    actions.cancel(canceled)
    overdue = store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run(1)
    products.update("monthly", reminder_days=3)
    assert store.get(active).reminder_days == 7  # only future subscriptions
    assert store.get(store.sub(next_charge="2026-03-01")).reminder_days == 3
    _, count = products.update("monthly", reminder_days=2, overdue_notice_days="2",
                               deactivate_after_days=4, apply_to_active=True)
    row = store.get(active)
    assert (row.reminder_days, row.overdue_notice_days, row.deactivate_after_days) == \
        (2, "2", 4)
    assert row.remind_on == d("2026-02-08")
    assert store.get(canceled).reminder_days == 7
    assert store.get(overdue).deactivate_after_days == 7
    assert count == 2  # the active one and the one made after the first change
