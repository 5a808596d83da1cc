"""R-SNAP-1: snapshots of a whole store, on both engines."""

import json
import os
import subprocess
import threading
import time

import pytest

from opsconsole import clock, demo
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db, engine, snapshots
from opsconsole.store.models import TABLES, Audit, Meta, database
from tests import engines
from tests.cli.conftest import EXE, Cli
from tests.reliability import storegen

LEDGER = ["SELECT id, subscription_id, scheduled_date, kind, attempt, date, amount, status, "
          "reason, reference FROM charge ORDER BY id",
          "SELECT id, type, subscription_id, case_id, at, payload FROM event ORDER BY id",
          "SELECT id, template, recipient, subscription_id, at FROM notification ORDER BY id",
          "SELECT * FROM subscription ORDER BY id",
          "SELECT id, status, severity, due_at, closed_at FROM \"case\" ORDER BY id",
          "SELECT clock, day_open FROM store"]


def ledger(target) -> list:
    return [engines.execute(str(target), sql) for sql in LEDGER]


def everything() -> dict:
    """Every table but Meta, and the audit log without the snapshot rows themselves."""
    out = {m._meta.table_name: list(m.select().order_by(m._meta.primary_key).tuples())
           for m in TABLES if m is not Meta}
    out["audit"] = [row for row in out["audit"] if not str(row[2]).startswith("snapshot-")]
    return out


@pytest.fixture
def demo_store(new_target):
    target = new_target("demo")
    demo.build(target)
    yield target
    store_db.close_store()


def test_R_SNAP_1_restore_puts_back_every_table(demo_store):
    saved = snapshots.save("start")
    assert saved.store_date.isoformat() == "2026-01-30" and saved.size > 0
    before = everything()
    clock.run_days(days=10)
    assert everything() != before
    restored = snapshots.restore("start", operator="maria")
    assert restored.name == "start"
    assert everything() == before
    assert clock.today().isoformat() == "2026-01-30"
    assert [s.name for s in snapshots.listing()] == ["start"]
    assert Meta.get_or_none(Meta.key == "restored_at") is not None
    last = Audit.select().order_by(Audit.id.desc()).get()  # R-AUDIT-1: who put it back
    assert (last.action, last.operator) == ("snapshot-restore", "maria")
    assert json.loads(last.before) == {"store_date": "2026-02-09"}


def test_R_SNAP_1_a_damaged_snapshot_is_refused_and_the_store_left_alone(demo_store):
    if not engines.is_sqlite(demo_store):
        pytest.skip("a snapshot file is SQLite's")
    saved = snapshots.save("start")
    path = f"{demo_store}.snapshots/start.db"
    with open(path, "r+b") as f:  # pages in the middle overwritten
        f.seek(saved.size // 2)
        f.write(b"\xff" * 8192)
    before = everything()
    with pytest.raises(DomainError, match="fails SQLite's integrity check"):
        snapshots.restore("start")
    assert everything() == before


def test_R_SNAP_1_restore_and_rerun_gives_the_same_days(demo_store):
    snapshots.save("start")
    clock.run_days(days=35)
    first = ledger(demo_store)
    assert len(first[0]) > 50
    snapshots.restore("start")
    clock.run_days(days=35)
    assert ledger(demo_store) == first  # charges, events, emails, states, cases, clock


def test_R_SNAP_1_restore_is_refused_while_a_run_day_holds_the_store(demo_store):
    snapshots.save("start")
    holding, release = threading.Event(), threading.Event()

    def run_day_in_progress():
        with engine.day_lock(database.obj):
            holding.set()
            release.wait(30)
        database.close()

    other = threading.Thread(target=run_day_in_progress)
    other.start()
    try:
        assert holding.wait(10)
        with pytest.raises(DomainError, match="a run-day is running on this store"):
            snapshots.restore("start")
    finally:
        release.set()
        other.join()
    snapshots.restore("start")  # and once it has finished, it is restored


@pytest.mark.parametrize("name", ["", "a b", "../x", "-x", "x" * 41, "é", "a;drop"])
def test_R_SNAP_1_names_are_plain(demo_store, name):
    with pytest.raises(DomainError, match="a snapshot name is"):
        snapshots.save(name)
    assert snapshots.listing() == []


def test_R_SNAP_1_cli(demo_store):
    store_db.close_store()
    cli = Cli(demo_store)
    assert "saved: store date 2026-01-30" in cli("snapshot", "save", "start").stdout
    cli("run-day", "--days", "3")
    rows = cli.json("snapshot", "list")
    assert [(r["name"], r["store_date"]) for r in rows] == [("start", "2026-01-30")]
    assert rows[0]["size"] > 0
    assert "2026-02-02 -> 2026-01-30" in cli("snapshot", "restore", "start").stdout
    cli.refused("snapshot", "restore", "later", match="no snapshot 'later' (snapshots: start)")
    cli.refused("snapshot", "save", "no good", match="a snapshot name is")
    assert "2026-01-30" in cli("clock").stdout


def test_R_SNAP_1_a_snapshot_saved_during_a_run_day_is_a_whole_store(engine, tmp_path):
    """Snapshots taken while run-day writes: each one, restored and run on to the same date,
    ends exactly where the uninterrupted run ended (a snapshot holding half a batch would
    charge twice or miss a charge)."""
    target = engines.target(engine, tmp_path, "busy")
    storegen.build(target, 1500, folder=tmp_path)
    env = {**os.environ, "OPSCONSOLE_DB": str(target)}
    # 60 days (~2 s here): long enough that snapshots are taken while it runs, on a fast
    # machine too (20 days took 0.8 s, and a snapshot with its pause ~0.5 s)
    run = subprocess.Popen([EXE, "run-day", "--days", "60"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    cli = Cli(target)
    taken = 0
    while run.poll() is None and taken < 4:
        cli("snapshot", "save", f"during-{taken}")
        taken += 1
        time.sleep(0.3)
    assert run.wait(300) == 0, run.stderr.read()
    assert taken >= 2, "run-day ended before the snapshots could be taken"
    final = ledger(target)
    for i in range(taken):
        cli("snapshot", "restore", f"during-{i}")
        mid = ledger(target)
        assert mid[0] == final[0][:len(mid[0])]  # its charges: a prefix of the whole run's
        cli("run-day", "--until", "2026-03-31")
        assert ledger(target) == final, f"snapshot during-{i}"
