"""Store upgrades and protection (issue: nothing lost): schema versions, owner-only files."""

import shutil
import stat
from pathlib import Path

import pytest

from opsconsole import clock
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db, queries
from opsconsole.store.models import SCHEMA_VERSION, Charge, Meta, Subscription, database
from tests import engines

STORES = Path(__file__).resolve().parents[1] / "stores"


def _upgraded_and_working(target: str) -> None:
    store_db.open_store(target)
    try:
        assert int(Meta.get(Meta.key == "schema_version").value) == SCHEMA_VERSION
        before = Subscription.select().count()
        assert before > 0
        assert "reference" in {c.name for c in database.get_columns("charge")}
        assert "subscription_list_order" in {i.name for i in database.get_indexes("subscription")}
        # schema 6: the dashboard's and the attention list's indexes, made in place
        indexes = {i.name for i in database.get_indexes("subscription")}
        assert {"subscription_report", "subscription_report_terms"} <= indexes
        assert "subscription_next_charge_date" not in indexes  # replaced by the first
        assert {"charge_completed", "charge_failed", "charge_collected"} <= {
            i.name for i in database.get_indexes("charge")}
        assert "audit_action" in {i.name for i in database.get_indexes("audit")}
        # schema 4 (R-INPUT-5): folded copies, filled in place, found by prefix in any case
        grace = Subscription.get(Subscription.reference_id == "OLD-1002").id
        assert queries.search_ids("GRACE hop") == queries.search_ids("old-1002") == [grace]
        assert queries.search_ids("old_1002") == []
        reports = clock.run_days(days=40)
        assert sum(r["counts"]["charged"] for r in reports) > 0
        assert Charge.select().where(Charge.reference.is_null(False)).count() > 0
        assert Subscription.select().count() == before
    finally:
        store_db.close_store()
    store_db.open_store(target)  # opening again does nothing more
    store_db.close_store()


@pytest.mark.parametrize("saved", sorted(STORES.glob("store-v*.db")), ids=lambda p: p.stem)
def test_a_store_from_an_earlier_schema_is_upgraded_in_place(saved, tmp_path):
    copy = tmp_path / saved.name
    shutil.copy(saved, copy)
    _upgraded_and_working(str(copy))


@pytest.mark.skipif("postgres" not in engines.ENGINES, reason="PostgreSQL not tested")
@pytest.mark.parametrize("saved", sorted(STORES.glob("store-v*.pg.sql")), ids=lambda p: p.stem)
def test_R_DB_3_a_postgresql_store_of_each_schema_opens_and_upgrades_in_place(saved):
    import psycopg

    target = engines.new_database()
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute(saved.read_text())
    _upgraded_and_working(target)
    with pytest.raises(Exception, match="cannot be edited"):
        engines.execute(target, "DELETE FROM audit")


def test_there_is_a_saved_store_for_todays_schema():
    """The next schema change must upgrade a store written today; keep one to prove it."""
    assert (STORES / f"store-v{SCHEMA_VERSION}.db").exists()
    assert (STORES / f"store-v{SCHEMA_VERSION}.pg.sql").exists()


def test_a_newer_store_is_refused_and_left_untouched(tmp_path):
    copy = tmp_path / "newer.db"
    clock.init_store(str(copy))
    Meta.update(value=str(SCHEMA_VERSION + 1)).where(Meta.key == "schema_version").execute()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store_db.close_store()
    before = copy.read_bytes()
    with pytest.raises(DomainError, match="newer opsconsole"):
        store_db.open_store(str(copy))
    assert copy.read_bytes() == before


def test_not_a_store_is_refused_and_left_untouched(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"SQLite format 3 is what this pretends to be" * 50)
    before = junk.read_bytes()
    with pytest.raises(DomainError, match="not an opsconsole store"):
        store_db.open_store(str(junk))
    assert junk.read_bytes() == before


def test_the_store_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private.db"
    clock.init_store(str(path))
    clock.run_days(days=1)
    for file in [path, *tmp_path.glob("private.db-*")]:
        mode = stat.S_IMODE(file.stat().st_mode)
        assert mode & 0o077 == 0, (file.name, oct(mode))
    store_db.close_store()


def test_R_PRORATE_2_the_upgrade_to_5_records_the_period_each_charge_began(tmp_path):
    """Schema 5 fills period_start from each subscription's last charged schedule date."""
    copy = tmp_path / "store-v4.db"
    shutil.copy(STORES / "store-v4.db", copy)
    store_db.open_store(str(copy))
    try:
        charged = Subscription.get(Subscription.reference_id == "OLD-1001")  # billed 01-31
        assert str(charged.period_start) == "2026-01-31"
        assert str(charged.next_charge_date) == "2026-02-28"
        never = Subscription.get(Subscription.reference_id == "OLD-1007")  # a trial, unbilled
        assert never.period_start is None
    finally:
        store_db.close_store()
