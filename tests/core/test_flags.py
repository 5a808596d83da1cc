"""The flags beside a subscription's state, in the command line's long form and the list's
short one: a cancel date is the day it deactivates (R-CANCEL-1), an end date its last active
day (R-SCHED-3); the one that comes first is shown, named as the detail screen names it."""

from opsconsole.billing import actions, change, present
from tests.conftest import d


def _flags(store, sub):
    shown = present.subscription(store.get(sub))
    return present.flags(shown), present.flags(shown, today=d("2026-01-30"))


def test_R_CANCEL_1_a_cancel_date_is_flagged_as_a_cancel_in_both_forms(store):
    sub = store.sub(next_charge="2026-02-01")
    actions.cancel(sub)
    assert _flags(store, sub) == (["cancel 2026-02-01"], ["cancel 02-01"])


def test_R_SCHED_3_an_end_date_is_flagged_as_its_last_day(store):
    sub = store.sub(next_charge="2026-02-01")
    change.change(sub, end_date=d("2026-03-15"))
    assert _flags(store, sub) == (["ends 2026-03-15"], ["ends 03-15"])


def test_the_earlier_of_an_end_date_and_a_cancel_date_is_the_one_flagged(store):
    sub = store.sub(next_charge="2026-02-01")
    change.change(sub, end_date=d("2026-03-15"))
    actions.cancel(sub)  # deactivates on 2026-02-01, before the end date
    assert _flags(store, sub) == (["cancel 2026-02-01"], ["cancel 02-01"])
    later = store.sub(next_charge="2026-03-01")
    change.change(later, end_date=d("2026-02-10"))
    actions.cancel(later)  # on its next charge date, after the end date
    assert _flags(store, later) == (["ends 2026-02-10"], ["ends 02-10"])
