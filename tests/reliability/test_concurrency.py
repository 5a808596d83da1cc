"""Two processes and a console on one store never fail with 'database is locked' (R-REL-3),
and every operator action that reported success is in the store exactly once."""

import json
import subprocess
import sys

import pytest

from opsconsole.store import db as store_db
from opsconsole.store.models import Audit
from tests.reliability import storegen
from tests.tui.conftest import settle

DAYS = 60
OPERATORS = 2  # operators in processes of their own, as a team works


@pytest.mark.parametrize("workers", [1, 2])
async def test_run_day_operator_and_console_on_one_store(new_target, engine, tmp_path, workers):
    """On SQLite (R-REL-3) and on PostgreSQL (R-DB-2): a team on one store; on PostgreSQL also
    with the day split over two worker processes, which operators wait for as for any writer."""
    from opsconsole.tui.app import make_app

    if workers > 1 and engine == "sqlite":
        pytest.skip("a SQLite store has one writer: --workers is refused there (test_day_split)")

    db = new_target("shared")
    storegen.build(db, 250, folder=tmp_path)
    stop = tmp_path / "stop"
    outs = [tmp_path / f"operator{n}.jsonl" for n in range(OPERATORS)]
    operators = [subprocess.Popen([sys.executable, "-m", "tests.reliability.operator_loop",
                                   str(db), str(out), str(stop), str(11 + n)],
                                  stderr=subprocess.PIPE) for n, out in enumerate(outs)]
    days = subprocess.Popen([sys.executable, "-m", "opsconsole", "--db", str(db), "run-day",
                             "--days", str(DAYS), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    app = make_app(str(db), "console", poll=True, blink=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        while days.poll() is None:
            await pilot.press("down")
            await pilot.pause(0.3)
        stop.touch()
        await pilot.pause(2.5)  # one more poll sees the last day
        await settle(pilot)
        assert "2026-03-31" in app.sub_title  # 2026-01-30 + 60 days
        assert not [n for n in app._notifications if n.severity == "error"]
        assert app.screen.rows
    for operator in operators:
        assert operator.wait(timeout=60) == 0, operator.stderr.read()
    assert days.returncode == 0, days.stderr.read()
    assert b"locked" not in days.stderr.read()

    outcomes = [json.loads(line) for out in outs for line in out.read_text().splitlines()]
    errors = [o for o in outcomes if "error" in o]
    assert errors == [], errors[:3]
    done = [o for o in outcomes if o["ok"] and o["kind"] not in ("read", "bulk-price")]
    reads = [o for o in outcomes if o["kind"] == "read"]
    bulk = sum(o["count"] for o in outcomes if o["kind"] == "bulk-price")
    assert len(done) >= 10 and len(reads) >= 10, (len(done), len(reads))

    store_db.open_store(str(db))
    try:
        audited, bulk_rows = {}, []
        for row in Audit.select().where(Audit.operator == "concurrency"):
            if row.action == "bulk-price":  # R-BULK-1: one row per bulk action, its ids in it
                assert row.subscription_id is None
                bulk_rows.append(sorted(int(sub) for sub in json.loads(row.before)))
                continue
            key = (row.action.replace("cancel-now", "cancel"), row.subscription_id)
            audited[key] = audited.get(key, 0) + 1
        expected = {}
        for o in done:
            key = (o["kind"], o["sub"])
            expected[key] = expected.get(key, 0) + 1
        assert audited == expected  # each success once: none lost, none applied twice
        applied = [sorted(o["subs"]) for o in outcomes if o["kind"] == "bulk-price"]
        assert sorted(bulk_rows) == sorted(applied)  # each bulk action once, with its rows
    finally:
        store_db.close_store()
    print(f"concurrency: {len(done)} actions, {len(bulk_rows)} bulk price actions ({bulk} "
          f"subscriptions), {len(reads)} list reads "
          f"while {DAYS} days ran; no lock errors")
