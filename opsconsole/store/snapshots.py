"""Snapshots of a whole store (R-SNAP-1): save, list, restore, for demos and rehearsals.

A SQLite store's snapshots are files in `<store>.snapshots/`, taken with SQLite's online backup
(one read transaction: a consistent store while others write) and put back the same way. A
PostgreSQL store keeps each snapshot as a schema in its own database, filled in one
REPEATABLE READ transaction (a consistent view while others write), and restored in one
transaction that holds the write lock: every table emptied and refilled, sequences moved on."""

import datetime as dt
import os
import re
import sqlite3
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from ..errors import DomainError
from . import context, engine, files, journal
from .db import check_integrity
from .journal import wall_now
from .models import SCHEMA_VERSION, TABLES, Meta, Store

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
PG_PREFIX = "opsconsole_snapshot_"


@dataclass
class Snapshot:
    name: str
    store_date: dt.date
    saved_at: dt.datetime  # UTC
    size: int  # bytes
    schema_version: int


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise DomainError(f"a snapshot name is 1 to 40 letters, digits, '-' or '_', starting "
                          f"with a letter or digit; {name!r} is not one")
    return name


def _db() -> pw.Database:
    from .models import database

    return database.obj


# --- SQLite: files beside the store ----------------------------------------------------------

def _folder(db: pw.Database) -> Path:
    return Path(f"{db.database}.snapshots")


def _file(db: pw.Database, name: str) -> Path:
    return _folder(db) / f"{name}.db"


def _read_file(path: Path) -> tuple[dt.date, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        clock = conn.execute("SELECT clock FROM store").fetchone()[0]
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    conn.close()
    return dt.date.fromisoformat(str(clock)[:10]), int(version[0])


def _save_sqlite(db: pw.Database, name: str) -> None:
    folder = _folder(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    path = _file(db, name)
    partial = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    files.new_private_file(str(partial), "snapshot")
    try:
        target = sqlite3.connect(partial)
        try:
            db.connection().backup(target)  # all pages in one step: one consistent read
            target.execute("PRAGMA journal_mode=DELETE")  # a file alone: no -wal, no -shm
        finally:
            target.close()
        os.replace(partial, path)  # a snapshot is whole or absent, never half written
    finally:
        partial.unlink(missing_ok=True)


def _list_sqlite(db: pw.Database) -> list[Snapshot]:
    out = []
    for path in sorted(_folder(db).glob("*.db")):
        if not stat.S_ISREG(path.lstat().st_mode):
            continue  # not a file of ours (a FIFO would hang the read)
        try:
            date, version = _read_file(path)
        except (sqlite3.Error, TypeError, ValueError):
            continue  # not one of ours
        saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        out.append(Snapshot(path.stem, date, saved.replace(tzinfo=None), path.stat().st_size,
                            version))
    return out


def _restore_sqlite(db: pw.Database, name: str) -> None:
    source = sqlite3.connect(f"file:{_file(db, name)}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in source.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise DomainError(f"snapshot {name!r} fails SQLite's integrity check "
                              f"({problems[0]}); the store was left as it is")
        source.backup(db.connection())  # page by page into the open store, one write
    finally:
        source.close()


# --- PostgreSQL: a schema per snapshot ---------------------------------------------------------

def _schema(name: str) -> str:
    return PG_PREFIX + name.lower().replace("-", "_")


def _save_postgres(db: pw.Database, name: str) -> None:
    schema = _schema(name)
    with db.manual_commit():
        # not db.begin(): that takes the write lock, and writers need not wait for a save;
        # one REPEATABLE READ transaction sees the store as it was at its first read
        db.execute_sql("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            db.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            db.execute_sql(f'CREATE SCHEMA "{schema}"')
            for model in TABLES:
                table = model._meta.table_name
                db.execute_sql(f'CREATE TABLE "{schema}"."{table}" AS SELECT * FROM "{table}"')
            db.execute_sql(f'CREATE TABLE "{schema}".snapshot_info AS SELECT '
                           f"now() AT TIME ZONE 'UTC' AS saved_at")
            db.execute_sql("COMMIT")
        except BaseException:
            db.execute_sql("ROLLBACK")
            raise


def _list_postgres(db: pw.Database) -> list[Snapshot]:
    out = []
    schemas = [s for (s,) in db.execute_sql(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s "
        "ORDER BY schema_name", (PG_PREFIX + "%",)).fetchall()]
    for schema in schemas:
        try:
            clock, = db.execute_sql(f'SELECT clock FROM "{schema}".store').fetchone()
            version, = db.execute_sql(f"SELECT value FROM \"{schema}\".meta "
                                      "WHERE key = 'schema_version'").fetchone()
            saved, = db.execute_sql(f'SELECT saved_at FROM "{schema}".snapshot_info').fetchone()
            size, = db.execute_sql(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
                "AND c.relkind = 'r'", (schema,)).fetchone()
        except (pw.DatabaseError, TypeError):
            continue
        out.append(Snapshot(schema[len(PG_PREFIX):], clock.date(), saved, int(size),
                            int(version)))
    return out


def _restore_postgres(db: pw.Database, name: str) -> None:
    schema = _schema(name)
    tables = [m._meta.table_name for m in TABLES]
    with db.atomic():  # the write lock: every other writer waits for the whole restore
        db.execute_sql("ALTER TABLE audit DISABLE TRIGGER USER")  # the guard, for this swap
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for model in TABLES:
            table = model._meta.table_name
            columns = ", ".join(f'"{f.column_name}"' for f in model._meta.sorted_fields)
            db.execute_sql(f'INSERT INTO "{table}" ({columns}) '
                           f'SELECT {columns} FROM "{schema}"."{table}"')
        db.execute_sql("ALTER TABLE audit ENABLE TRIGGER USER")
        engine.reset_sequences(db, TABLES)


# --- the operations ----------------------------------------------------------------------------

def listing() -> list[Snapshot]:
    db = _db()
    return _list_postgres(db) if engine.is_postgres(db) else _list_sqlite(db)


def find(name: str) -> Snapshot:
    check_name(name)
    found = next((s for s in listing() if s.name == name.lower().replace("-", "_")
                  or s.name == name), None)
    if found is None:
        known = ", ".join(s.name for s in listing()) or "none yet"
        raise DomainError(f"no snapshot {name!r} (snapshots: {known})")
    return found


def save(name: str, operator: str | None = None) -> Snapshot:
    """A consistent copy of the whole store under NAME (an older one of that name replaced)."""
    db = _db()
    check_name(name)
    check_integrity(db)
    if engine.is_postgres(db):
        _save_postgres(db, name)
    else:
        _save_sqlite(db, name)
    saved = find(name)
    journal.audit(context.current(operator), "snapshot-save", None, None,
                  {"snapshot": saved.name, "store_date": saved.store_date.isoformat()})
    return saved


def restore(name: str, operator: str | None = None) -> Snapshot:
    """The store put back to the snapshot: refused while a run-day holds the store. The audit
    log records the restore afterwards (the log itself goes back with the store; the snapshot
    files and schemas are not touched, so what was restored over can be saved first)."""
    db = _db()
    snapshot = find(name)
    before = store_date()
    if snapshot.schema_version != SCHEMA_VERSION:
        raise DomainError(f"snapshot {name!r} is of schema {snapshot.schema_version}, this "
                          f"store of {SCHEMA_VERSION}; it cannot be restored here")
    with engine.whole_day(db):
        if engine.is_postgres(db):
            _restore_postgres(db, snapshot.name)
        else:
            _restore_sqlite(db, snapshot.name)
    with db.atomic():
        moment = wall_now().isoformat()  # an open console sees the change
        Meta.insert(key="restored_at", value=moment).on_conflict(
            conflict_target=[Meta.key], update={Meta.value: moment}).execute()
        journal.new_epoch()  # webhook ids from here on never repeat the undone ones
        journal.audit(context.current(operator), "snapshot-restore",
                      {"store_date": before.isoformat() if before else None},
                      {"store_date": snapshot.store_date.isoformat()},
                      {"snapshot": snapshot.name})
    return snapshot


def store_date() -> dt.date | None:
    """The store's date; None where its clock cannot be read (put right by a restore)."""
    clock = Store.get().clock
    return clock.date() if isinstance(clock, dt.datetime) else None
