"""Killed at any moment, run-day loses nothing and charges nothing twice (R-REL-1, R-REL-2).

A store is run for DAYS days without interruption; then, for each of KILLS kill points, a
copy is run by a subprocess that is SIGKILLed at a random moment and then run again to the
same date. The charges, events and emails must be exactly those of the uninterrupted run.
The seed is printed so a failure can be replayed: OPSCONSOLE_CRASH_SEED=... make soak."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests import engines
from tests.reliability import storegen

SUBS = int(os.environ.get("OPSCONSOLE_CRASH_SUBS", "250"))
DAYS = int(os.environ.get("OPSCONSOLE_CRASH_DAYS", "40"))
KILLS = int(os.environ.get("OPSCONSOLE_CRASH_KILLS", "30"))
SEED = int(os.environ.get("OPSCONSOLE_CRASH_SEED", "20260130"))


def run_day(db, *args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "opsconsole", "--db", str(db), "run-day",
                             *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            **kwargs)


def test_killed_run_day_resumes_to_exactly_the_uninterrupted_result(new_target, engine,
                                                                    tmp_path):
    print(f"crash test on {engine}: {SUBS} subscriptions, {DAYS} days, {KILLS} kill points, "
          f"seed {SEED}")
    original = new_target("original")
    storegen.build(original, SUBS, folder=tmp_path)
    reference = engines.copy(original, tmp_path, "reference")
    started = time.monotonic()
    proc = run_day(reference, "--days", str(DAYS))
    assert proc.wait() == 0, proc.stderr.read()
    full = time.monotonic() - started
    expected = storegen.snapshot(reference)
    assert storegen.problems(reference) == []
    assert len(expected[0]) > SUBS  # the run did real work
    until = __import__("datetime").date(2026, 1, 30) + __import__("datetime").timedelta(DAYS)

    # Each kill waits for the run to reach a random day (read from the store as it goes), then
    # a random moment within about a day's work: it lands mid-work however loaded the machine
    # is (a delay from the process's start once missed the work on a machine whose load fell).
    per_day = full / DAYS
    rng = random.Random(SEED)
    survived = mid_work = 0
    for point in range(KILLS):
        copy = engines.copy(original, tmp_path, f"kill{point}")
        day, extra = rng.randrange(DAYS), rng.uniform(0, per_day)
        proc = run_day(copy, "--days", str(DAYS))
        started = time.monotonic()
        while proc.poll() is None and days_run(copy) < day \
                and time.monotonic() - started < 10 * full + 30:
            time.sleep(0.005)
        time.sleep(extra)
        delay = time.monotonic() - started
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        mid_work += stopped_part_way(copy, until)
        rerun = run_day(copy, "--until", until.isoformat())
        stderr = rerun.communicate()[1].decode()
        assert rerun.returncode == 0, f"kill point {point} (after {delay:.2f}s): {stderr}"
        got = storegen.snapshot(copy)
        for name, want, have in zip(("charges", "events", "emails", "states"), expected, got):
            assert have == want, (f"kill point {point} (after {delay:.2f}s, seed {SEED}): "
                                  f"{name} differ: {len(want ^ have)} rows, e.g. "
                                  f"{sorted(map(str, want ^ have))[:3]}")
        assert storegen.problems(copy) == []
        survived += 1
        for leftover in tmp_path.glob(f"kill{point}.db*"):
            leftover.unlink()
    print(f"crash test: {survived} kill points survived, {mid_work} of them mid-work; "
          f"a full run takes {full:.1f}s")
    assert mid_work >= KILLS // 2, "most kills must land while days are being run"


def days_run(db) -> int:
    """Days the run has finished so far, from the store's clock."""
    import datetime as dt

    try:
        (clock,), = engines.execute(db, "SELECT clock FROM store")
    except sqlite3.OperationalError:  # busy for a moment: asked again
        return -1
    return (dt.date.fromisoformat(str(clock)[:10]) - dt.date(2026, 1, 30)).days


def stopped_part_way(db, until) -> bool:
    """The kill landed while days were being run, not before the first or after the last."""
    (clock, day_open), = engines.execute(db, "SELECT clock, day_open FROM store")
    return day_open is not None or str(clock)[:10] not in ("2026-01-30", until.isoformat())
