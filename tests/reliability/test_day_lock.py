"""R-DB-2, R-CLOCK-2 on SQLite: one run-day at a time moves a store's clock there too. Two that
took turns batch by batch moved the clock under each other: a date's remaining charges were
dated (and their next dates counted) from the next date, and charges went missing. A second
run-day, in another process or in the same one (the console's Run to…), waits for the first,
and past its busy timeout is refused naming who holds the day."""

import fcntl
import os
import subprocess
import sys
import threading
import time

from opsconsole import clock
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db
from tests.reliability import storegen


def run_day(target: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "opsconsole", "--db", target, "run-day",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def holds_the_day(path: str) -> bool:
    fd = os.open(f"{path}.day.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # a lock taken here goes with it
    return False


def test_R_DB_2_on_sqlite_a_second_run_day_waits_then_is_refused_naming_the_holder(tmp_path):
    path = str(tmp_path / "store.db")
    storegen.build(path, 250, folder=tmp_path)
    store_db.close_store()
    first = run_day(path, "--days", "120")
    deadline = time.monotonic() + 30
    while not holds_the_day(path):
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()
        time.sleep(0.02)
    started = time.monotonic()
    second = run_day(f"sqlite:///{path}?timeout=0.5", "--days", "1")
    out, err = second.communicate(timeout=30)
    waited = time.monotonic() - started
    assert second.returncode == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "another run-day holds this store's day" in lines[0], lines
    assert f"opsconsole {first.pid}@" in lines[0]
    assert waited >= 0.5
    # a patient one waits its turn, then runs from where the first one left the clock
    patient = run_day(path, "--days", "1")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    assert patient.wait(timeout=60) == 0, patient.stderr.read()
    store_db.open_store(path)
    try:
        assert clock.today().isoformat() == "2026-05-31"  # 2026-01-30 + 120 days, then 1
    finally:
        store_db.close_store()


def test_R_DB_2_a_second_run_day_in_the_same_process_waits_for_the_first(tmp_path):
    path = str(tmp_path / "store.db")
    storegen.build(path, 100, folder=tmp_path)
    store_db.close_store()
    store_db.open_store(f"sqlite:///{path}?timeout=0.3", pooled=True)
    try:
        dates: list = []
        refused: list = []
        gate = threading.Event()

        def first_day(report: dict) -> None:
            dates.append(report["date"])
            gate.set()
            time.sleep(1.0)  # the first run holds the day while the second one asks

        def second() -> None:
            gate.wait(10)
            try:
                clock.run_days(days=1)
            except DomainError as exc:
                refused.append(str(exc))

        threads = [threading.Thread(target=lambda: clock.run_days(days=2, on_day=first_day)),
                   threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert dates == ["2026-01-31", "2026-02-01"]  # the first ran its days, undisturbed
        assert len(refused) == 1 and "another run-day holds this store's day" in refused[0]
        assert clock.today().isoformat() == "2026-02-01"
    finally:
        store_db.close_store()
