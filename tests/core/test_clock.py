"""Section 1: the store clock."""

import datetime as dt
import re
from pathlib import Path

import pytest

from opsconsole import clock
from opsconsole.billing import daily
from opsconsole.errors import DomainError
from opsconsole.store.models import Charge, Event, Notification, Store
from tests.conftest import d

PACKAGE = Path(__file__).resolve().parents[2] / "opsconsole"


def test_R_CLOCK_1_new_store_clock_starts_at_midnight_of_the_given_date(make_store):
    make_store("2026-03-15", timezone="Europe/Paris")
    info = clock.clock_info()
    assert info["date"] == "2026-03-15"
    assert info["at"] == "2026-03-15T00:00:00+01:00"
    assert Store.get().clock == dt.datetime(2026, 3, 15, 0, 0)


def test_R_CLOCK_1_default_date_is_today(tmp_path):
    clock.init_store(str(tmp_path / "s.db"))
    assert clock.today() == dt.datetime.now(dt.UTC).date()


def test_R_CLOCK_1_core_never_reads_the_wall_clock():
    """Only the audit log's wall time and a new store's default date may read it."""
    wall = re.compile(r"datetime\.now|date\.today|pendulum\.(now|today)|time\.time\(")
    allowed = {("store", "journal.py"), ("opsconsole", "clock.py")}
    offenders = []
    for folder in ("billing", "cases", "store", "transfer"):
        for path in (PACKAGE / folder).rglob("*.py"):
            if wall.search(path.read_text()) and (folder, path.name) not in allowed:
                offenders.append(str(path))
    for path in [PACKAGE / "clock.py"]:
        assert len(wall.findall(path.read_text())) == 1  # init_store's default date only
    assert offenders == []


def test_R_CLOCK_2_run_day_moves_one_date_at_a_time_in_order(store):
    reports = store.run(3)
    assert [r["date"] for r in reports] == ["2026-01-31", "2026-02-01", "2026-02-02"]
    assert store.today() == d("2026-02-02")
    reports = clock.run_days(until=d("2026-02-05"))
    assert [r["date"] for r in reports] == ["2026-02-03", "2026-02-04", "2026-02-05"]
    assert set(reports[0]["counts"]) == set(daily.COUNT_KEYS)


def test_R_CLOCK_2_backwards_is_refused_and_until_today_does_nothing(store):
    with pytest.raises(DomainError, match="cannot go back"):
        clock.run_days(until=d("2026-01-29"))
    assert clock.run_days(until=d("2026-01-30")) == []
    assert clock.run_days(days=0) == []
    with pytest.raises(DomainError):
        clock.run_days(days=-1)
    assert store.today() == d("2026-01-30")


def test_R_CLOCK_3_running_a_date_twice_has_no_further_effect(store):
    sub = store.sub(next_charge="2026-01-31")
    store.sub(next_charge="2026-01-31", token="tok_chargeDeclined")
    store.run(1)
    before = (Charge.select().count(), Event.select().count(), Notification.select().count())
    # Run the same date's billing again, as a crashed run-day would on its rerun.
    again = {}
    ctx = clock.Ctx(d("2026-01-31"), dt.datetime(2026, 1, 31), "UTC")
    daily.run(ctx, again.update)
    assert (Charge.select().count(), Event.select().count(),
            Notification.select().count()) == before
    assert not any(again.values())
    assert store.charges(sub) == [("2026-01-31", "rebill", 3000, "completed")]


def test_R_CLOCK_3_an_interrupted_date_is_finished_not_repeated(store):
    sub = store.sub(next_charge="2026-01-31")
    store.run(1)
    Store.update(day_open=d("2026-01-31")).execute()  # as if the run stopped before closing
    reports = store.run(1)
    assert [r["date"] for r in reports] == ["2026-01-31", "2026-02-01"]
    assert reports[0]["counts"]["charged"] == 1  # the day's counts survive the interruption
    assert store.charges(sub) == [("2026-01-31", "rebill", 3000, "completed")]


def test_R_CLOCK_2_dry_run_reports_and_writes_nothing(store):
    sub = store.sub(next_charge="2026-01-31")
    dry = clock.run_days(days=2, dry_run=True)
    assert store.today() == d("2026-01-30")
    assert store.charges(sub) == []
    real = store.run(2)
    assert dry == real
