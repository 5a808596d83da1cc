"""Opening a store: a SQLite file or a PostgreSQL database (store/engine.py has what differs).

R-INPUT-6, R-DB-1: what --db names is checked before anything is opened or written; a store
is refused, never written to, when it is not opsconsole's, and a password is never shown."""

import sqlite3
from pathlib import Path

import peewee as pw

from ..errors import DomainError
from ..text import blank_controls
from . import engine, files, rows, states
from .files import new_private_file, private_file, same_file_as_store  # noqa: F401
from .models import (
    EXTRA_INDEXES,
    REPORT_INDEXES,
    SCHEMA_VERSION,
    SEARCH_INDEXES,
    TABLES,
    Meta,
    Store,
    database,
)
from .target import Target, display, parse, secret_free, sqlite_path  # noqa: F401

DEFAULT_DB = "opsconsole.db"


def _make(target: Target, pooled: bool = False) -> pw.Database:
    try:
        return engine.make(target, pooled)
    except (RuntimeError, TypeError, ImportError, ValueError, pw.ImproperlyConfigured) as exc:
        raise DomainError(f"cannot open {display(target.text)}: "
                          f"{secret_free(target.text, exc)}") from None


def _bind(db: pw.Database, target: str) -> pw.Database:
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except ValueError:  # its text quotes the part of the URL it could not read: maybe a password
        raise DomainError(f"cannot open {display(target)}: the URL cannot be read (check its "
                          "user, password, host and port)") from None
    except (pw.ImproperlyConfigured, pw.DatabaseError, pw.InterfaceError, sqlite3.Error,
            TypeError) as exc:
        raise DomainError(f"cannot open {display(target)}: {secret_free(target, exc)}") \
            from None
    return db


def connect(target: str) -> pw.Database:
    """The database behind a target, connected and bound, with no check that it is a store."""
    return _bind(_make(parse(target)), target)


def create_store(target: str) -> pw.Database:
    """Make a new, empty store. Refused if one is already there, or if the target is not a
    place a store can be made (nothing is written then)."""
    t = parse(target)
    new = t.is_sqlite and files.make_private_file(target, t.path)
    try:
        db = _bind(_make(t), target)
        found = engine.tables(db)
        if found:
            if Meta._meta.table_name in found:
                raise DomainError(f"a store already exists at {display(target)}")
            raise files.not_a_store(target, "the database has other tables; it was left alone")
        with db.atomic():
            db.create_tables(TABLES)
            engine.schema_extras(db)
            for statement in EXTRA_INDEXES + SEARCH_INDEXES + REPORT_INDEXES:
                db.execute_sql(statement)
            Meta.create(key="schema_version", value=str(SCHEMA_VERSION))
    except BaseException:
        if new:  # a refusal writes nothing: the file made above goes again
            close_store()
            files.remove_new_file(t.path)
        raise
    return db


def _malformed(exc: Exception) -> bool:
    return "malformed" in str(exc)


def _check_file(target: str, path: str) -> None:
    """A SQLite store's file: there, a file, SQLite, and opsconsole's; refused before anything
    opens it for writing (opening sets WAL mode, which would change another program's file)."""
    if not Path(path).exists():
        raise DomainError(f"no store at {display(target)}: create one with 'opsconsole init'")
    files.check_existing(target, path)
    if Path(path).stat().st_size == 0:
        raise DomainError(f"{display(target)} is empty: it is not an opsconsole store")
    try:
        is_store = files.has_store_tables(path)
    except sqlite3.DatabaseError as exc:
        if _malformed(exc):
            raise _integrity_error(target, str(exc)) from None
        raise files.not_a_store(target, "not a SQLite file" if files.not_sqlite(exc)
                                else secret_free("", exc)) from None
    if not is_store:
        raise files.not_a_store(target)


def open_store(target: str, pooled: bool = False, settings: bool = True) -> pw.Database:
    """Open an existing store, or refuse with a message that says why. `pooled`: for the
    console, whose every read runs in a new thread (engine.make). `settings`: refused when
    its settings cannot be run on (a clock of 'garbage'), except for what puts it right
    (snapshot list and restore)."""
    t = parse(target)
    if t.is_sqlite:
        _check_file(target, t.path)
    try:
        db = _bind(_make(t, pooled), target)
        if not Meta.table_exists():
            close_store()
            raise files.not_a_store(target)
        row = Meta.get_or_none(Meta.key == "schema_version")
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        close_store()
        if _malformed(exc):
            raise _integrity_error(target, str(exc)) from None
        raise files.not_a_store(target, secret_free(target, exc)) from None
    try:
        version = int(row.value) if row else 0
    except (TypeError, ValueError):
        close_store()
        raise DomainError(f"{display(target)} holds schema version {row.value!r}, which is not "
                          "a number: it cannot be opened; restore it from a copy") from None
    if version > SCHEMA_VERSION:
        close_store()
        raise DomainError(
            f"{display(target)} was written by a newer opsconsole (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade opsconsole")
    if version < SCHEMA_VERSION:
        from .upgrade import upgrade

        upgrade(db, version)
    if not Store.select().exists():
        close_store()
        raise DomainError(
            f"{display(target)} has no store settings: it was not made by 'opsconsole init'")
    if settings:
        found = settings_problems()
        if found:
            close_store()
            raise DomainError(f"{display(target)}'s settings hold {found}, which no store can "
                              "run on; restore a snapshot ('opsconsole snapshot restore NAME'), "
                              "or correct the row in the database")
    return db


def settings_problems() -> str:
    """What the store's settings row holds that no command can run on (a store written to by
    hand): a clock that is not a date and time, an unknown time zone. Empty when none."""
    rows_held = Store.select().count()
    if rows_held > 1:  # one would be read as the store's, the others never
        return f"{rows_held} rows"
    store = Store.get()
    found = [f"{name} {value!r}" for name, value in rows.unreadable(Store, store)]
    clock = store.clock
    if not found and (clock.tzinfo is not None  # an offset on SQLite's text, read as naive
                      or not states.FIRST_DATE <= clock.date() <= states.LAST_DATE):
        found.append(f"clock '{clock.isoformat(sep=' ')}'")
    if isinstance(store.timezone, str) and not known_zone(store.timezone):
        found.append(f"timezone {store.timezone!r}")
    return ", ".join(found)


def known_zone(name: str) -> bool:
    """A time zone a store can have (pendulum's names, which also take 'utc'): for init and
    for every opening. The standard library answers the common case without importing
    pendulum (a tenth of a second a command)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
        return True
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        pass
    import pendulum

    try:
        pendulum.timezone(name)
        return True
    except Exception:  # noqa: BLE001 - any refusal of pendulum's is an unknown zone
        return False


def _integrity_error(name: str, problem: str, more: int = 0) -> DomainError:
    problem = problem.replace("*** in database main ***", "")
    problem = " ".join(blank_controls(problem, " ").split())
    extra = f" (and {more} more)" if more else ""
    return DomainError(f"{display(name)} fails SQLite's integrity check: {problem}{extra}; "
                       "restore it from a copy or a snapshot")


def check_integrity(db: pw.Database | None = None, name: str | None = None) -> None:
    """Refuse (DomainError) a store whose file is damaged (SQLite's quick_check, which reads
    every page and checks its structure). Writes nothing. Called before run-day, copy and
    snapshot save (R-INPUT-6), on the bound store by default."""
    db = db if db is not None else database.obj
    name = name or db.database
    try:
        problems = engine.quick_check(db)
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        raise _integrity_error(name, str(exc)) from None
    if problems:
        raise _integrity_error(name, str(problems[0]), len(problems) - 1)


def close_store() -> None:
    db = database.obj
    if db is not None:
        engine.close_all(db)
