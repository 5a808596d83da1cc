"""The one place that knows which engine a store is on: a SQLite file or a PostgreSQL database.

Everything above the store runs the same code on both. What differs lives here: how a
connection is made and waits for the write lock, the schema's extras (text collation, the
audit log's guard), ids handed out by a batch, the run-day lock and the integrity check.

Writers queue on both engines the same way. SQLite's IMMEDIATE transactions take the file's
write lock at BEGIN; on PostgreSQL every transaction takes one transaction-level advisory lock
at BEGIN, so writers queue on it (up to the busy timeout) and never deadlock or fail on a
serialization conflict, and the rules above see the same one-writer-at-a-time store."""

import contextlib
import itertools
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import peewee as pw
from playhouse.pool import PooledDatabase, _PooledPostgresqlDatabase, _PooledSqliteDatabase

from ..errors import DomainError
from .target import Target

# Errors that say the store cannot be used now (locked, gone), not that one row is bad: they
# stop a day, to be finished by the next run, where any other error sets one row aside.
UNAVAILABLE = (pw.OperationalError, pw.InterfaceError)
BUSY_SECONDS = 10  # how long a writer waits for another to finish before it is refused
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_SECONDS * 1000,  # ms: a writer waits its turn rather than failing
    "synchronous": "normal",
    "wal_autocheckpoint": 10000,  # pages (~40 MB): a busy day checkpoints rarely, not per batch
    "mmap_size": 1 << 30,  # reads from the OS page cache: no private copy to refill per connection
}
DEFAULT_VARIABLE_LIMIT = 999  # parameters per statement where the driver cannot say

# advisory lock keys: one per store database (PostgreSQL scopes them to the database)
WRITE_LOCK = 0x6F707377  # "opsw": held by every transaction, for its length
DAY_LOCK = 0x6F707364  # "opsd": held by a run-day for its whole run
DELIVER_LOCK = 0x6F707368  # "opsh": held by the one process delivering webhooks


def holder_name() -> str:
    """Who this process is, as another process sees it: 'opsconsole PID@HOST'."""
    return f"opsconsole {os.getpid()}@{socket.gethostname()}"[:63]


def load_postgres_driver() -> None:
    """Hand peewee the psycopg 3 driver it was imported without (opsconsole/__init__.py keeps
    that ~110 ms off every command on a SQLite store)."""
    if pw.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    pw.psycopg, pw.TransactionStatus, pw.Json_pg3, pw.Jsonb_pg3 = (psycopg, TransactionStatus,
                                                                  Json, Jsonb)
    adapter = pw.Psycopg3Adapter  # its class body read these only when psycopg was there
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


class PostgresStore(pw.PostgresqlDatabase):
    """A store in PostgreSQL, through psycopg 3."""

    def __init__(self, url: str):
        load_postgres_driver()
        super().__init__(url, prefer_psycopg3=True, application_name=holder_name())
        # a worker of a split run-day: its transactions share the write lock with the other
        # workers of the day (disjoint subscriptions) and exclude everyone else (day_worker)
        self.shares_day = False

    def _initialize_connection(self, conn) -> None:
        with conn.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            if cursor.fetchone()[0] in ("0", "0ms"):  # the URL may set its own (options=-c ...)
                cursor.execute(f"SET lock_timeout = '{BUSY_SECONDS}s'")

    def begin(self) -> None:
        super().begin()
        try:
            lock = "pg_advisory_xact_lock_shared" if self.shares_day else "pg_advisory_xact_lock"
            self.execute_sql(f"SELECT {lock}(%s)", (WRITE_LOCK,))
        except Exception:
            self.rollback()
            raise


def is_postgres(db: pw.Database) -> bool:
    return isinstance(db, pw.PostgresqlDatabase)


def repeated_values_adapter(db: pw.Database, kind: type) -> Callable[[Any], Any] | None:
    """The driver's own adapter for values of `kind` where it calls one from Python for each
    value (sqlite3's for dates and date-times: a method call and a string a row). A batch's
    column of them mostly repeats one value (its `at`), which can then be adapted once."""
    if is_postgres(db):
        return None  # psycopg binds dates in C
    import sqlite3

    return sqlite3.adapters.get((kind, sqlite3.PrepareProtocol))


class PooledPostgresStore(_PooledPostgresqlDatabase, PostgresStore):
    pass


class PooledSqliteStore(_PooledSqliteDatabase, pw.SqliteDatabase):
    pass


# A pool's idle connection is handed to the next thread that asks (the console reads each
# time in a new thread): no connection made, no schema read, a warm cache. Unbounded (a
# console has a handful of readers at once); a PostgreSQL server may drop an old idle one.
POOL = {"max_connections": 0, "stale_timeout": 300}


def make(target: Target, pooled: bool = False) -> pw.Database:
    """A database object for the target, not yet connected. `pooled`: a thread's connection,
    once closed, is kept for the next thread (a long-lived process that works in threads)."""
    if not target.is_sqlite:
        db = PooledPostgresStore(target.url, **POOL) if pooled else PostgresStore(target.url)
        db.store_target = target.text  # for the workers of a split day, which open it again
        return db
    pragmas = dict(SQLITE_PRAGMAS)
    if "timeout" in target.settings:  # the URL's wait for a lock, in place of the default
        pragmas["busy_timeout"] = int(target.settings["timeout"] * 1000)
    # Every write transaction takes the write lock up front, so two writers queue on the busy
    # timeout instead of failing on a stale read snapshot.
    if pooled:  # one thread at a time uses a connection; the next may be another thread
        return PooledSqliteStore(target.path, pragmas=pragmas, lock_type="IMMEDIATE",
                                 check_same_thread=False, **POOL, **target.settings)
    return pw.SqliteDatabase(target.path, pragmas=pragmas, lock_type="IMMEDIATE",
                             **target.settings)


def close_all(db: pw.Database) -> None:
    """Close this thread's connection and, for a pool, every one it keeps."""
    if isinstance(db, PooledDatabase):
        db.close_all()
    elif not db.is_closed():
        db.close()


def tables(db: pw.Database) -> list[str]:
    return db.get_tables()


# --- the schema ---------------------------------------------------------------------------

_AUDIT_GUARD_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END",
]
_AUDIT_GUARD_POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION USING MESSAGE = 'the audit log cannot be edited', "
    "ERRCODE = 'integrity_constraint_violation'; END $$",
    "DROP TRIGGER IF EXISTS audit_no_edit ON audit",
    "CREATE TRIGGER audit_no_edit BEFORE UPDATE OR DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse()",
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()",
]
# Text on PostgreSQL: unbounded, as on SQLite (no 255-character VARCHAR failing where SQLite
# took the value), and compared byte by byte ("C"), as SQLite's BINARY does: the same order in
# every list, and a prefix is a range of an index on both (search, R-INPUT-5).
_TEXT_AS_SQLITE = """
DO $$ DECLARE col record; BEGIN
  FOR col IN SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND data_type IN ('character varying', 'text')
               AND collation_name IS DISTINCT FROM 'C'
  LOOP
    EXECUTE format('ALTER TABLE %%I ALTER COLUMN %%I TYPE text COLLATE "C"',
                   col.table_name, col.column_name);
  END LOOP;
END $$"""


def schema_extras(db: pw.Database) -> None:
    """What peewee's create_tables (or an upgrade step) leaves to each engine: run after it,
    before the indexes are made. Safe to run again."""
    if is_postgres(db):
        db.execute_sql(_TEXT_AS_SQLITE)
        for statement in _AUDIT_GUARD_POSTGRES:
            db.execute_sql(statement)
    else:
        for statement in _AUDIT_GUARD_SQLITE:
            db.execute_sql(statement)


def migrator(db: pw.Database):
    # here, not at the top: playhouse.migrate imports psycopg through its PostgreSQL extras
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    return PostgresqlMigrator(db) if is_postgres(db) else SqliteMigrator(db)


# --- writing --------------------------------------------------------------------------------

def variable_limit(db: pw.Database) -> int:
    """How many parameters one statement may hold on this connection."""
    conn = db.connection()
    if isinstance(conn, sqlite3.Connection):
        return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return DEFAULT_VARIABLE_LIMIT


ID_BLOCK = 256  # ids a day worker takes from a sequence at a time


def id_source(db: pw.Database, model: type[pw.Model]) -> Iterator[int]:
    """The ids a batch hands out to its new rows of `model` itself (so rows made after them can
    name them), inside a transaction that holds the write lock. Alone on the store, the next
    after the table's largest (as row by row; `ids_handed_out` then moves the sequence on); a
    day worker beside others takes blocks from the table's sequence (gaps where a block is not
    used up, as a PostgreSQL sequence leaves anyway)."""
    pk = model._meta.primary_key
    if getattr(db, "shares_day", False):
        return _sequence_blocks(db, model)
    last = model.select(pw.fn.MAX(pk)).scalar() or 0
    return itertools.count(last + 1)


def _sequence_blocks(db: pw.Database, model: type[pw.Model]) -> Iterator[int]:
    sql = ("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)")
    args = (f'"{model._meta.table_name}"', model._meta.primary_key.column_name, ID_BLOCK)
    while True:
        yield from sorted(i for (i,) in db.execute_sql(sql, args).fetchall())


def ids_handed_out(db: pw.Database, model: type[pw.Model], last: int) -> None:
    """A batch gave new rows ids up to `last` itself (under the write lock): a row inserted
    later the ordinary way must get the next one. SQLite takes MAX(id) + 1 by itself; a
    PostgreSQL sequence is moved on (a day worker's ids came from the sequence already)."""
    if is_postgres(db) and not getattr(db, "shares_day", False):
        pk = model._meta.primary_key.column_name
        db.execute_sql("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                       (f'"{model._meta.table_name}"', pk, last))


def reset_sequences(db: pw.Database, models: list[type[pw.Model]]) -> None:
    """After rows were copied in with their ids: each sequence continues after the largest."""
    if not is_postgres(db):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, pw.AutoField):
            continue
        table = f'"{model._meta.table_name}"'
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                       f'COALESCE((SELECT MAX("{pk.column_name}") FROM {table}), 0) + 1, false)',
                       (table, pk.column_name))


# --- queries ----------------------------------------------------------------------------------

def among(column: pw.Field, ids: list[int]) -> pw.Expression:
    """`column IN ids` with the list as one bound value (a JSON array read by json_each on
    SQLite, an array on PostgreSQL): a search's thousand matches cost peewee one parameter to
    write into the statement, not a thousand (most of a search keystroke's time otherwise)."""
    if is_postgres(database_of(column)):
        return column == pw.fn.ANY(pw.Value(list(ids), unpack=False))
    import json

    return column.in_(pw.SQL("(SELECT value FROM json_each(?))", (json.dumps(list(ids)),)))


def database_of(column: pw.Field) -> pw.Database:
    db = column.model._meta.database
    return db.obj if isinstance(db, pw.DatabaseProxy) else db


# --- a day split over processes (run-day --workers) --------------------------------------------

def check_day_workers(db: pw.Database, workers: int) -> None:
    """Refused where one date's work cannot be shared: a SQLite file has one writer at a time."""
    if workers > 1 and not is_postgres(db):
        raise DomainError("--workers needs a PostgreSQL store: a SQLite file has one writer at "
                          "a time, so a day's work cannot be split; run without --workers")


def join_day(db: pw.Database) -> None:
    """This process as one worker of a split day, for its life: its transactions share the
    write lock with the day's other workers, whose subscriptions are not its own, and still
    exclude every other writer (operators, the deliverer), which wait for a batch as for any."""
    check_day_workers(db, 2)
    db.shares_day = True


# --- one run-day at a time (R-DB-2) ---------------------------------------------------------

@contextlib.contextmanager
def day_lock(db: pw.Database) -> Iterator[None]:
    """Held while a run-day moves the clock. A second one waits up to the busy timeout, then is
    refused naming who holds the day; a snapshot restore needs the day too (R-SNAP-1). On
    both engines: two run-days that took turns batch by batch moved the clock under each
    other, and a date's remaining charges were dated and scheduled from the next one."""
    if not is_postgres(db):
        wait = db.execute_sql("PRAGMA busy_timeout").fetchone()[0] / 1000
        with _file_lock(db, "day", wait, lambda holder: DomainError(
                f"another run-day holds this store's day ({holder}); it was not run: try "
                "again when that one has finished")):
            yield
        return
    deadline = time.monotonic() + _lock_timeout(db)
    while not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (DAY_LOCK,)).fetchone()[0]:
        if time.monotonic() >= deadline:
            holder = _lock_holder(db, DAY_LOCK)
            raise DomainError(f"another run-day holds this store's day ({holder}); "
                              "it was not run: try again when that one has finished")
        time.sleep(0.2)
    try:
        yield
    finally:
        with contextlib.suppress(pw.DatabaseError, pw.InterfaceError):
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (DAY_LOCK,))


@contextlib.contextmanager
def whole_day(db: pw.Database) -> Iterator[None]:
    """The day to oneself, at once or refused (no waiting): for a snapshot restore, which must
    not pull the store from under a running run-day (R-SNAP-1)."""
    if not is_postgres(db):
        with _file_lock(db, "day", 0, lambda holder: DomainError(
                f"a run-day is running on this store ({holder}); nothing was restored: try "
                "again when it has finished")):
            yield
        return
    if not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (DAY_LOCK,)).fetchone()[0]:
        raise DomainError(f"a run-day is running on this store ({_lock_holder(db, DAY_LOCK)}); "
                          "nothing was restored: try again when it has finished")
    try:
        yield
    finally:
        with contextlib.suppress(pw.DatabaseError, pw.InterfaceError):
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (DAY_LOCK,))


@contextlib.contextmanager
def _file_lock(db: pw.Database, name: str, wait: float,
               refusal: Callable[[str], DomainError]) -> Iterator[None]:
    """A lock file beside a SQLite store, held alone (it dies with its holder; flock excludes
    another thread of the same process as well as another process). Waits up to `wait`
    seconds, then raises refusal(who holds it): the holder writes its name in the file."""
    import fcntl

    path = f"{db.database}.{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise refusal(_file_lock_holder(path)) from None
                time.sleep(0.1)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{holder_name()}, since {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"
                      .encode(), 0)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _file_lock_holder(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:  # the lock file, not the store
            return f.read(200).strip() or "a process that has just started"
    except OSError:
        return "a process that has just finished"


def _lock_timeout(db: pw.Database) -> float:
    """The connection's lock_timeout in seconds (the server reads its units); none: the default."""
    seconds = db.execute_sql("SELECT EXTRACT(epoch FROM current_setting('lock_timeout')::interval)"
                             ).fetchone()[0]
    return float(seconds) or BUSY_SECONDS


def _lock_holder(db: pw.Database, key: int) -> str:
    row = db.execute_sql(
        "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
        "AND l.classid = 0 AND l.objid = %s AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())",
        (key,)).fetchone()
    if row is None:
        return "a process that has just finished"
    name, address, since = row
    where = f" from {address}" if address else ""
    return f"{name or 'a process'}{where}, since {since:%Y-%m-%d %H:%M:%S %Z}".strip()


# --- one webhook deliverer at a time (R-HOOK-5) -------------------------------------------

@contextlib.contextmanager
def deliverer_lock(db: pw.Database) -> Iterator[str | None]:
    """Held by the process sending a store's webhooks, so two never send the same delivery at
    once. Yields None when this process holds it, else who does (it is not waited for). Dies
    with its holder: a session lock on PostgreSQL, a file lock beside a SQLite store."""
    if is_postgres(db):
        if not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (DELIVER_LOCK,)).fetchone()[0]:
            yield _lock_holder(db, DELIVER_LOCK)
            return
        try:
            yield None
        finally:
            with contextlib.suppress(pw.DatabaseError, pw.InterfaceError):
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (DELIVER_LOCK,))
        return
    import fcntl

    fd = os.open(f"{db.database}.deliver.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            return
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder_name().encode(), 0)
        try:
            yield None
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --- integrity (R-INPUT-6) ------------------------------------------------------------------

def quick_check(db: pw.Database) -> list[str]:
    """Problems SQLite finds reading every page; a server database checks itself: none."""
    if is_postgres(db):
        return []
    rows = [row[0] for row in db.execute_sql("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows
