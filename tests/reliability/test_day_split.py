"""run-day --workers N: one date's work split over processes on PostgreSQL (R-DB-2), leaving
what one process leaves, table by table; refused on SQLite, which has one writer."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from opsconsole import clock
from opsconsole.billing.errors import DomainError
from opsconsole.day_split import split
from opsconsole.store import db as store_db
from opsconsole.store.models import Store, Subscription, database
from opsconsole.webhooks import endpoints
from tests import engines
from tests.reliability import storegen

# rows the day adds get ids from a sequence, handed out in a different order by several
# processes: compared by their content (every other column), not by id
NEW_IDS = {"charge", "event", "notification", "audit", "webhook_delivery", "webhook_attempt"}
WALL_CLOCK = {"audit": {"wall_at"}, "webhook_delivery": {"created_at", "next_attempt_at"}}


def table_contents(target) -> dict[str, list[tuple]]:
    """Every table of the store, each as a sorted list of rows; a delivery names its event by
    the event's key (the cause the daily process gives it), not by id."""
    store_db.open_store(str(target))
    try:
        keys = dict(database.execute_sql("SELECT id, COALESCE(key, 'id ' || id) FROM event"))
        # the webhook epoch is random per store: each copy has its own, the same everywhere
        [(epoch,)] = database.execute_sql("SELECT value FROM meta WHERE key = 'webhook_epoch'")
        out = {}
        for table in database.get_tables():
            cursor = database.execute_sql(f'SELECT * FROM "{table}"')
            names = [c[0] for c in cursor.description]
            rows = []
            for row in cursor.fetchall():
                values = dict(zip(names, row))
                if table == "webhook_delivery":
                    values["event_id"] = keys[values["event_id"]]
                for name in ("epoch", "value"):
                    if values.get(name) == epoch and table in ("webhook_delivery", "meta"):
                        values[name] = "the store's epoch"
                for name in WALL_CLOCK.get(table, ()):
                    values.pop(name)
                if table in NEW_IDS:
                    values.pop("id")
                rows.append(tuple(sorted(values.items())))
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        store_db.close_store()


def run(target, days: int, workers: int) -> list[dict]:
    store_db.open_store(str(target))
    try:
        return clock.run_days(days=days, workers=workers)
    finally:
        store_db.close_store()


def test_split_gives_runs_of_consecutive_ids_as_even_as_they_can_be():
    assert split(list(range(1, 11)), 3) == [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10]]
    assert split([4, 9], 3) == [[4], [9], []]
    assert split([], 2) == [[], []]
    parts = split(list(range(1001)), 4)
    assert [n for part in parts for n in part] == list(range(1001))
    assert {len(part) for part in parts} == {250, 251}


@pytest.fixture(scope="module")
def pg_store(tmp_path_factory):
    if "postgres" not in engines.ENGINES:
        pytest.skip("PostgreSQL is not among the engines of this run")
    folder = tmp_path_factory.mktemp("split")
    target = engines.target("postgres", folder)
    storegen.build(target, 400, folder=folder)
    endpoints.add("http://127.0.0.1:9/all")  # every event gets a delivery (an id handed out)
    endpoints.add("http://127.0.0.1:9/charges", events="subscription.charge.completed")
    # a row no rule foresaw: set aside by whichever worker has it, every day (R-INPUT-3)
    S = Subscription
    broken = S.select().where((S.state == "active") & (S.interval_unit == "month")
                              & S.next_charge_date.is_null(False)).order_by(S.id.desc()).first()
    Subscription.update(interval_length=100000000).where(Subscription.id == broken.id).execute()
    store_db.close_store()
    return target


def test_R_DB_2_a_day_over_three_workers_leaves_every_table_as_one_process_does(
        pg_store, tmp_path):
    one, three = engines.copy(pg_store, tmp_path, "one"), engines.copy(pg_store, tmp_path, "three")
    want_reports = run(one, 40, workers=1)
    got_reports = run(three, 40, workers=3)
    assert got_reports == want_reports  # counts and what was set aside, date by date
    assert sum(r["counts"]["charged"] for r in want_reports) > 300  # the days did real work
    assert sum(r["counts"]["declined"] for r in want_reports) > 5
    assert any(r["set_aside"] for r in want_reports)
    want, got = table_contents(one), table_contents(three)
    assert len(want["webhook_delivery"]) > 500
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], table


def test_R_CLOCK_3_a_split_day_run_again_writes_nothing_twice(pg_store, tmp_path):
    """A worker that stopped part-way leaves the date open; the next run finishes it once."""
    target = engines.copy(pg_store, tmp_path, "rerun")
    run(target, 3, workers=2)
    store_db.open_store(str(target))
    try:
        day = clock.today()
        # as if the workers had died: the date open again, nothing else changed
        Store.update(day_open=day).execute()
    finally:
        store_db.close_store()
    before = table_contents(target)
    [report] = run(target, 0, workers=2)
    assert report["date"] == day.isoformat()
    after = table_contents(target)
    for table in before:
        if table not in ("store", "audit"):  # the day closed again; set aside again, noted
            assert after[table] == before[table], table


def test_R_DB_2_workers_with_a_dry_run_or_out_of_range_are_refused(pg_store, tmp_path):
    target = engines.copy(pg_store, tmp_path, "refused")
    store_db.open_store(str(target))
    try:
        today = clock.today()
        with pytest.raises(DomainError, match="dry run is one transaction"):
            clock.run_days(days=1, dry_run=True, workers=2)
        for workers in (0, -1, 33):
            with pytest.raises(DomainError, match="--workers must be from 1 to 32"):
                clock.run_days(days=1, workers=workers)
        assert clock.today() == today
    finally:
        store_db.close_store()


def test_R_DB_2_workers_are_refused_on_sqlite_with_the_reason(tmp_path):
    path = tmp_path / "one.db"
    clock.init_store(str(path), dt.date(2026, 1, 30))
    store_db.close_store()
    result = subprocess.run([sys.executable, "-m", "opsconsole", "--db", str(path), "run-day",
                             "--workers", "2", "--json"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "--workers needs a PostgreSQL store" in result.stderr
    assert "one writer at a time" in result.stderr and "Traceback" not in result.stderr
    shown = subprocess.run([sys.executable, "-m", "opsconsole", "--db", str(path), "clock",
                            "--json"], capture_output=True, text=True)
    assert json.loads(shown.stdout)["date"] == "2026-01-30"  # nothing was run
    ok = subprocess.run([sys.executable, "-m", "opsconsole", "--db", str(path), "run-day",
                         "--workers", "1"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
