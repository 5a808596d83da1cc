"""A SQLite store opened twice in one process keeps its file locks (R-REL-3, R-DB-1).

POSIX file locks belong to a process and are all dropped when any descriptor of the file is
closed. The console opens the store as every command does, then again for itself: reading the
file's header with a plain open() there dropped the locks of the connection already open, and
another process's `run-day` then took the store for its own alone at exit, removing the WAL
from under the console's connections ("database disk image is malformed")."""

import subprocess
import sys
import threading

from opsconsole.store import db as store_db, queries
from opsconsole.store.models import Meta, database
from opsconsole.tui import core

READ_BACK = """
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT value FROM meta WHERE key = 'written-after'").fetchone()
print(row[0] if row else "missing")
"""


def _in_thread(fn):
    """fn on a thread of its own, as the console reads: the pool keeps its connection."""
    out: dict = {}
    thread = threading.Thread(target=lambda: out.update(value=core.in_thread(fn)))
    thread.start()
    thread.join()
    return out["value"]


def test_a_store_opened_again_in_the_process_still_reads_what_another_process_wrote(
        tmp_path):
    path = str(tmp_path / "store.db")
    subprocess.run([sys.executable, "-m", "opsconsole", "--db", path, "init",
                    "--date", "2026-01-30"], check=True, capture_output=True)
    try:
        store_db.open_store(path)  # the command line's own open
        database.connection()
        store_db.open_store(path, pooled=True)  # the console's
        before = _in_thread(queries.fingerprint)
        subprocess.run([sys.executable, "-m", "opsconsole", "--db", path, "run-day",
                        "--days", "2"], check=True, capture_output=True)
        after = _in_thread(queries.fingerprint)  # the kept connection, after the other wrote
        assert str(before[0]).startswith("2026-01-30")
        assert str(after[0]).startswith("2026-02-01")
        _in_thread(lambda: Meta.create(key="written-after", value="seen"))  # a kept connection
        seen = subprocess.run([sys.executable, "-c", READ_BACK, path], check=True,
                              capture_output=True, text=True).stdout.strip()
        assert seen == "seen"  # in the store for everyone, not in a WAL removed under it
    finally:
        store_db.close_store()
