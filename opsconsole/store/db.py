"""Opening a store: a path or a URL, SQLite in WAL mode with foreign keys and a busy timeout."""

import os
import sqlite3
from pathlib import Path

import peewee as pw
from playhouse import db_url

from ..errors import DomainError
from .models import (AUDIT_TRIGGERS, EXTRA_INDEXES, SCHEMA_VERSION, SEARCH_INDEXES, TABLES,
                     Meta, Store, database)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,  # ms: a writer waits its turn rather than failing
    "synchronous": "normal",
    "wal_autocheckpoint": 10000,  # pages (~40 MB): a busy day checkpoints rarely, not per batch
    "mmap_size": 1 << 30,  # reads from the OS page cache: no private copy to refill per connection
}

DEFAULT_DB = "opsconsole.db"


def _is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> str | None:
    """The file behind a target, or None where it is not a SQLite file."""
    if not _is_url(target):
        return target
    if target.startswith("sqlite:///"):
        return target[len("sqlite:///"):]
    return None


def _make(target: str) -> pw.Database:
    if _is_url(target):
        try:
            if target.startswith(("sqlite:", "sqliteext:")):
                return db_url.connect(target, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
            return db_url.connect(target)
        except (RuntimeError, ValueError, ImportError) as exc:
            raise DomainError(f"cannot open {target}: {exc}") from None
    # Every write transaction takes the write lock up front, so two writers queue on the busy
    # timeout instead of failing on a stale read snapshot.
    return pw.SqliteDatabase(target, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")


def _bind(db: pw.Database) -> pw.Database:
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except (pw.ImproperlyConfigured, pw.OperationalError) as exc:
        raise DomainError(f"cannot open {db.database}: {exc}") from None
    return db


def create_store(target: str) -> pw.Database:
    """Make a new, empty store. Refused if one is already there."""
    path = sqlite_path(target)
    if path is not None and path != ":memory:":
        if Path(path).exists() and Path(path).stat().st_size > 0:
            raise DomainError(f"a store already exists at {path}")
        # Owner-only from the first byte: the store holds customers' details.
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    db = _bind(_make(target))
    if path is None and Store.table_exists():
        raise DomainError(f"a store already exists at {target}")
    with db.atomic():
        db.create_tables(TABLES)
        for statement in EXTRA_INDEXES + SEARCH_INDEXES:
            db.execute_sql(statement)
        if isinstance(db, pw.SqliteDatabase):
            for statement in AUDIT_TRIGGERS:
                db.execute_sql(statement)
        Meta.create(key="schema_version", value=str(SCHEMA_VERSION))
    return db


def open_store(target: str) -> pw.Database:
    """Open an existing store, or refuse with a message that says why."""
    path = sqlite_path(target)
    if path is not None and path != ":memory:":
        if not Path(path).exists():
            raise DomainError(f"no store at {path}: create one with 'opsconsole init'")
        if Path(path).is_file() and Path(path).stat().st_size == 0:
            raise DomainError(f"{path} is empty: it is not an opsconsole store")
    try:
        db = _bind(_make(target))
        if not Meta.table_exists():
            raise DomainError(f"{target} is not an opsconsole store")
        row = Meta.get_or_none(Meta.key == "schema_version")
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        close_store()
        raise DomainError(f"{target} is not an opsconsole store ({exc})") from None
    version = int(row.value) if row else 0
    if version > SCHEMA_VERSION:
        close_store()
        raise DomainError(
            f"{target} was written by a newer opsconsole (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade opsconsole")
    if version < SCHEMA_VERSION:
        from .upgrade import upgrade

        upgrade(db, version)
    if not Store.select().exists():
        close_store()
        raise DomainError(f"{target} has no store settings: it was not made by 'opsconsole init'")
    return db


def close_store() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()
