"""R-DB-2: one run-day at a time moves a shared store's clock; a second one waits for it, and
past its busy timeout is refused naming who holds the day."""

import subprocess
import sys
import time

import pytest

from opsconsole.store import engine as store_engine
from tests import engines
from tests.reliability import storegen

pytestmark = pytest.mark.skipif("postgres" not in engines.ENGINES,
                                reason="PostgreSQL is not among the engines tested")


def run_day(target: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "opsconsole", "--db", target, "run-day",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def holds_the_day(target: str) -> bool:
    return bool(engines.execute(target, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                                        "AND granted AND objid = ?", (store_engine.DAY_LOCK,)))


def clock_date(target: str) -> str:
    return str(engines.execute(target, "SELECT clock FROM store")[0][0])[:10]


def test_R_DB_2_a_second_run_day_waits_then_is_refused_naming_the_holder(tmp_path):
    target = engines.new_database()
    storegen.build(target, 250, folder=tmp_path)
    first = run_day(target, "--days", "120")
    deadline = time.monotonic() + 30
    while not holds_the_day(target):
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()
        time.sleep(0.02)
    impatient = target + "&options=-c%20lock_timeout%3D500ms"
    started = time.monotonic()
    second = run_day(impatient, "--days", "1")
    out, err = second.communicate(timeout=30)
    waited = time.monotonic() - started
    assert second.returncode == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "another run-day holds this store's day" in lines[0]
    assert f"opsconsole {first.pid}@" in lines[0]
    assert waited >= 0.5
    # a patient one waits its turn, then runs from where the first one left the clock
    patient = run_day(target, "--days", "1")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    assert patient.wait(timeout=60) == 0, patient.stderr.read()
    assert clock_date(target) == "2026-05-31"  # 2026-01-30 + 120 days, then 1 more
