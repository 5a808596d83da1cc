"""Section 3: schedules, end dates, advanced scheduling, trials, discounts."""

import datetime as dt

import pytest

from opsconsole.billing import schedule
from opsconsole.store.models import Charge
from tests.conftest import d


def test_R_SCHED_1_intervals_times_length(make_store):
    s = make_store("2026-01-01")
    s.product("daily", "day", "1.00")
    s.product("fortnightly", "week", "5.00", length=2)
    s.product("quarterly", "month", "20.00", length=3)
    s.product("yearly", "year", "100.00")
    ids = {p: s.sub(p, next_charge="2026-01-02") for p in
           ("daily", "fortnightly", "quarterly", "yearly")}
    s.run(1)
    nexts = {p: s.get(i).next_charge_date for p, i in ids.items()}
    assert nexts == {"daily": d("2026-01-03"), "fortnightly": d("2026-01-16"),
                     "quarterly": d("2026-04-02"), "yearly": d("2027-01-02")}


def test_R_SCHED_1_adhoc_is_never_charged_by_the_daily_process(make_store):
    s = make_store("2026-01-01")
    s.product("usage", "adhoc", "5.00")
    sub = s.sub("usage", next_charge=None)
    s.run(60)
    assert s.charges(sub) == []
    assert s.get(sub).state == "active"


def test_R_SCHED_2_month_end_clamping_sticks():
    assert schedule.advance(d("2026-01-31"), "month", 1) == d("2026-02-28")
    assert schedule.advance(d("2026-02-28"), "month", 1) == d("2026-03-28")
    assert schedule.advance(d("2026-03-28"), "month", 1) == d("2026-04-28")
    assert schedule.advance(d("2024-01-30"), "month", 1) == d("2024-02-29")
    assert schedule.advance(d("2024-02-29"), "month", 1) == d("2024-03-29")


def test_R_SCHED_2_daily_process_follows_the_month_end_rule(make_store):
    s = make_store("2026-01-30")
    s.product("monthly", "month", "30.00")
    sub = s.sub(next_charge="2026-01-31")
    s.run_until("2026-04-30")
    assert [c[0] for c in s.charges(sub)] == ["2026-01-31", "2026-02-28", "2026-03-28",
                                              "2026-04-28"]
    assert s.get(sub).next_charge_date == d("2026-05-28")


def test_R_SCHED_2_next_date_advances_from_the_scheduled_date_not_the_success(store):
    from opsconsole.billing import actions

    sub = store.sub(next_charge="2026-02-01", token="tok_chargeDeclined")
    store.run_until("2026-02-03")  # declined 02-01, retry fails 02-02
    actions.set_payment(sub, "tok_visa")  # succeeds on 02-03
    assert store.get(sub).next_charge_date == d("2026-03-01")
    assert store.get(sub).state == "active"


def test_R_SCHED_3_deactivated_the_day_after_end_date_without_email(store):
    sub = store.sub(next_charge="2026-02-01", end_date="2026-02-10")
    store.run_until("2026-02-10")
    assert store.get(sub).state == "active"
    store.run(1)
    assert store.get(sub).state == "deactivated"
    assert store.event_rows(sub, "subscription.deactivated")[0][0] == d("2026-02-11")
    assert not [t for _, t in store.emails(sub) if "Deactivated" in t]


def test_R_SCHED_3_no_charge_after_end_date(store):
    sub = store.sub(next_charge="2026-02-01", end_date="2026-02-15")
    store.run_until("2026-03-05")
    assert [c[0] for c in store.charges(sub)] == ["2026-02-01"]
    assert store.get(sub).state == "deactivated"


def test_R_SCHED_4_after_the_last_rebill_it_renews_into_another_product(make_store):
    s = make_store("2026-01-01")
    s.product("after", "month", "50.00")
    s.product("intro", "week", "10.00", rebills=3, renews_into="after")
    sub = s.sub("intro", next_charge="2026-01-08", begin_date="2026-01-01")
    # first purchase on 01-01 counts: two more weekly charges, then it becomes "after"
    s.run_until("2026-02-20")
    charges = [(c[0], c[2]) for c in s.charges(sub)]
    assert charges == [("2026-01-08", 1000), ("2026-01-15", 1000), ("2026-01-22", 5000)]
    row = s.get(sub)
    assert row.product.path == "after" and row.interval_unit == "month"
    assert row.next_charge_date == d("2026-02-22")
    assert s.event_rows(sub, "subscription.updated")[0][0] == d("2026-01-22")
    assert not [t for _, t in s.emails(sub) if t == "Subscription Updated"]


def test_R_SCHED_4_without_renews_into_it_deactivates(make_store):
    s = make_store("2026-01-01")
    s.product("three", "month", "10.00", rebills=3)
    sub = s.sub("three", next_charge="2026-02-01", begin_date="2026-01-01")
    s.run_until("2026-05-01")
    assert [c[0] for c in s.charges(sub)] == ["2026-02-01", "2026-03-01"]
    row = s.get(sub)
    assert row.state == "deactivated" and row.end_date == d("2026-03-31")
    assert row.deactivated_on == d("2026-04-01")


def test_R_TRIAL_1_first_charge_on_next_charge_date_with_reminder_before(store):
    sub = store.sub(next_charge="2026-02-10", trial_end_date="2026-02-09")
    assert store.get(sub).state == "trial"
    store.run_until("2026-02-09")
    assert store.charges(sub) == []
    assert store.emails(sub) == [(d("2026-02-07"), "Trial Reminder")]
    assert store.events(sub, "subscription.trial.reminder")
    store.run(1)
    assert store.charges(sub) == [("2026-02-10", "rebill", 3000, "completed")]
    assert store.get(sub).state == "active"


def test_R_TRIAL_1_trial_charge_does_not_count_towards_rebills(store):
    store.product("twice", "month", "10.00", rebills=2)
    sub = store.sub("twice", next_charge="2026-02-05", trial_end_date="2026-02-04")
    store.run_until("2026-05-10")
    assert [c[0] for c in store.charges(sub)] == ["2026-02-05", "2026-03-05"]
    assert store.get(sub).state == "deactivated"


def test_R_DISC_1_discount_applies_to_the_next_n_successful_charges(store):
    sub = store.sub(next_charge="2026-02-01", discount_type="percent", discount_value=5000,
                    discount_remaining=2, token="tok_chargeDeclined")
    store.run_until("2026-02-01")  # a decline uses nothing up
    assert store.get(sub).discount_remaining == 2
    from opsconsole.billing import actions

    actions.set_payment(sub, "tok_visa")
    store.run_until("2026-04-01")
    assert [c[2] for c in store.charges(sub) if c[3] == "completed"] == [1500, 1500, 3000]
    assert store.get(sub).discount_remaining == 0


def test_R_DISC_1_blank_duration_is_forever(store):
    sub = store.sub(next_charge="2026-02-01", discount_type="amount", discount_value=1000)
    store.run_until("2026-05-01")
    assert {c[2] for c in store.charges(sub)} == {2000}
    assert Charge.select().count() == 4


@pytest.mark.parametrize("length", [0, -3, 2.5, "1"])
def test_R_INPUT_3_an_interval_that_does_not_move_forward_is_refused_not_looped_on(length):
    """The last guard behind billing/values: a loop stepping to a date after today never
    runs for ever on a length read from a row written by hand."""
    with pytest.raises(ValueError, match="does not move forward"):
        schedule.advance(dt.date(2026, 1, 31), "month", length)
