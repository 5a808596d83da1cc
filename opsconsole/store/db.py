"""Opening a store: a path or a URL, SQLite in WAL mode with foreign keys and a busy timeout.

R-INPUT-6: what --db names is checked before anything is opened or written. A folder, a file
that is not SQLite, or a SQLite file without opsconsole's tables is not a store; an in-memory
database is refused (it would keep nothing); every file made here is readable by its owner
only, whatever the umask (SQLite gives its -wal and -shm files the main file's mode)."""

import math
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

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
PRIVATE = 0o600  # every file opsconsole writes: the owner reads and writes, nobody else
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SQLITE_QUERY = {"timeout"}  # the only setting a SQLite URL may carry: seconds to wait for a lock


def _is_url(target: str) -> bool:
    return "://" in target


def display(target: str) -> str:
    """The target as it may be printed: a password in a URL shows as *** (R-DB-1)."""
    if not _is_url(target):
        return _CONTROL.sub("?", target)
    parsed = urlparse(target)
    shown = target
    try:
        password = parsed.password
    except ValueError:
        password = None
    if password:
        user = parsed.username or ""
        host = parsed.netloc.rpartition("@")[2]
        shown = shown.replace(parsed.netloc, f"{user}:***@{host}", 1)
    # a password urlparse cannot see (a / or # in it), and libpq's password= query setting
    shown = re.sub(r"(://[^/:@?#]*:)[^@]*@", r"\1***@", shown, count=1)
    shown = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", shown)
    return _CONTROL.sub("?", shown)


def _secret_free(target: str, text: str) -> str:
    """An error text from a driver with the URL's password (if any) masked."""
    text = str(text)
    if _is_url(target):
        parsed = urlparse(target)
        secrets = []
        try:
            secrets.append(parsed.password)
        except ValueError:
            pass
        secrets += [v for k, v in parse_qsl(parsed.query) if k.lower() == "password"]
        for secret in filter(None, secrets):
            text = text.replace(secret, "***")
    return " ".join(_CONTROL.sub(" ", text).split())


class _Target:
    """What --db names: a SQLite file (`path`), or a server database (`path` is None)."""

    def __init__(self, text: str, path: str | None, db_class=None, settings=None):
        self.text = text
        self.path = path
        self.db_class = db_class
        self.settings = settings or {}


def _in_memory(target: str) -> DomainError:
    return DomainError(f"{display(target) or 'an empty --db'} is an in-memory store, which keeps "
                       "nothing: give a file path (or sqlite:///path.db)")


def _sqlite_file(target: str, path: str) -> str:
    if path in ("", ":memory:"):
        raise _in_memory(target)
    if path.startswith("file:") and (":memory:" in path or "mode=memory" in path):
        raise _in_memory(target)  # what SQLite's own URI form would make of it
    if path.startswith("file:"):
        # This SQLite reads a name starting file: as a URI (file::memory:, ?mode=memory):
        # a path is a file, so say it is one
        path = "./" + path
    return path


def _parse(target: str) -> _Target:
    if target is None or not target.strip():
        raise DomainError("no store given: --db (or $OPSCONSOLE_DB) is empty")
    if _CONTROL.search(target):
        raise DomainError(f"the store {display(target)!r} holds a control character")
    if not _is_url(target):
        return _Target(target, _sqlite_file(target, target), pw.SqliteDatabase)
    parsed = urlparse(target)
    db_class = db_url.schemes.get(parsed.scheme)
    if db_class is None:
        raise DomainError(f"cannot open {display(target)}: unknown kind of database "
                          f"{parsed.scheme!r} (give a path, sqlite:///path or postgresql://...)")
    if not issubclass(db_class, pw.SqliteDatabase):
        return _Target(target, None, db_class)
    if parsed.netloc:
        raise DomainError(f"cannot open {display(target)}: a SQLite URL names a file, not a host "
                          f"(three slashes: {parsed.scheme}:///path.db)")
    settings = {}
    for key, value in parse_qsl(parsed.query, keep_blank_values=True):
        if key not in _SQLITE_QUERY:
            raise DomainError(f"cannot open {display(target)}: unknown setting {key!r} in the URL "
                              "(a SQLite URL takes only timeout=SECONDS)")
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            raise DomainError(f"cannot open {display(target)}: timeout must be a number of "
                              f"seconds, not {value!r}")
        settings[key] = seconds
    return _Target(target, _sqlite_file(target, parsed.path[1:]), db_class, settings)


def sqlite_path(target: str) -> str | None:
    """The file behind a target, or None where it is a server database. Refused (DomainError)
    where the target cannot be a store at all (empty, in-memory, a bad URL)."""
    return _parse(target).path


def _make(target: str | _Target) -> pw.Database:
    t = target if isinstance(target, _Target) else _parse(target)
    if t.path is not None:
        # Every write transaction takes the write lock up front, so two writers queue on the
        # busy timeout instead of failing on a stale read snapshot.
        pragmas = dict(SQLITE_PRAGMAS)
        if "timeout" in t.settings:  # the URL's wait for a lock, in place of the default
            pragmas["busy_timeout"] = int(t.settings["timeout"] * 1000)
        return t.db_class(t.path, pragmas=pragmas, lock_type="IMMEDIATE", **t.settings)
    try:
        return db_url.connect(t.text)
    except ValueError:  # its text quotes the part of the URL it could not read: maybe a password
        raise DomainError(f"cannot open {display(t.text)}: the URL cannot be read (check its "
                          "user, password, host and port)") from None
    except (RuntimeError, TypeError, ImportError, pw.ImproperlyConfigured) as exc:
        raise DomainError(f"cannot open {display(t.text)}: {_secret_free(t.text, exc)}") from None


def _bind(db: pw.Database, target: str | None = None) -> pw.Database:
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except (pw.ImproperlyConfigured, pw.DatabaseError, pw.InterfaceError, sqlite3.Error,
            TypeError, ValueError) as exc:
        name = display(target) if target is not None else db.database
        raise DomainError(f"cannot open {name}: {_secret_free(target or '', exc)}") from None
    return db


def _not_a_store(target: str, why: str = "") -> DomainError:
    return DomainError(f"{display(target)} is not an opsconsole store"
                       + (f" ({why})" if why else ""))


def _has_store_tables(path: str) -> bool:
    """Whether an existing SQLite file holds opsconsole's tables. A plain connection that only
    reads: no pragma is set, so a file of another program is never turned to WAL or changed."""
    conn = sqlite3.connect(path, timeout=SQLITE_PRAGMAS["busy_timeout"] / 1000)
    try:
        row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (Meta._meta.table_name,)).fetchone()
        return row is not None
    finally:
        conn.close()


def _header(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read(len(SQLITE_HEADER))


def _check_existing(target: str, path: str) -> None:
    """Refuse to use a path that is a folder or a file that is not SQLite at all."""
    p = Path(path)
    if p.is_dir():
        raise _not_a_store(target, "it is a folder")
    if p.exists() and not p.is_file():
        raise _not_a_store(target, "it is not a regular file")
    if p.exists() and p.stat().st_size > 0:
        try:
            header = _header(path)
        except OSError as exc:
            raise DomainError(f"cannot read {display(target)}: {exc.strerror}") from None
        if header != SQLITE_HEADER:
            raise _not_a_store(target, "not a SQLite file")


def _make_private_file(target: str, path: str) -> bool:
    """The store's file, empty and owner-only, before SQLite opens it. True when it is new."""
    p = Path(path)
    _check_existing(target, path)
    if p.exists() and p.stat().st_size > 0:
        try:
            is_store = _has_store_tables(path)
        except sqlite3.DatabaseError as exc:
            raise _not_a_store(target, _secret_free("", exc)) from None
        if is_store:
            raise DomainError(f"a store already exists at {display(target)}")
        raise _not_a_store(target, "a SQLite file with other tables; it was left alone")
    folder = p.parent
    where = f"cannot create a store at {display(target)}"
    if not folder.exists():
        raise DomainError(f"{where}: the folder {display(str(folder))} does not exist")
    if not folder.is_dir():
        raise DomainError(f"{where}: {display(str(folder))} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DomainError(f"{where}: the folder {display(str(folder))} cannot be written")
    new = not p.exists()
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE)
    except OSError as exc:
        raise DomainError(f"{where}: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE)  # the umask may have taken bits away; an old file may have more
    except OSError as exc:
        raise DomainError(f"{where}: cannot make it readable by its owner only "
                          f"({exc.strerror})") from None
    finally:
        os.close(fd)
    for suffix in SIDE_FILES:  # left over beside an empty file: owner-only as well
        if os.path.exists(path + suffix):
            try:
                os.chmod(path + suffix, PRIVATE)
            except OSError:
                pass
    return new


def private_file(path: str, what: str = "file"):
    """Open `path` for writing (text, UTF-8), readable by its owner only whatever the umask,
    and emptied only once it is known to be writable. For snapshots and export files."""
    if not path.strip():
        raise DomainError(f"no {what} given: the path is empty")
    if _CONTROL.search(path):
        raise DomainError(f"the {what} path holds a control character")
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE)
    except OSError as exc:
        raise DomainError(f"cannot write the {what} {display(path)}: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE)
        os.ftruncate(fd, 0)
    except OSError as exc:
        os.close(fd)
        raise DomainError(f"cannot write the {what} {display(path)}: {exc.strerror}") from None
    return os.fdopen(fd, "w", newline="", encoding="utf-8")


def new_private_file(path: str, what: str = "file") -> None:
    """Make `path` as a new, empty file readable by its owner only, whatever the umask: for a
    snapshot that SQLite then fills (VACUUM INTO and the backup API take the umask's mode on a
    file they create themselves). Refused when something is there already."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE)
    except FileExistsError:
        raise DomainError(f"the {what} {display(path)} exists already") from None
    except OSError as exc:
        raise DomainError(f"cannot write the {what} {display(path)}: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE)
    finally:
        os.close(fd)


def same_file_as_store(path: str, target: str) -> bool:
    """Whether writing `path` would write over the store's own file (or its -wal or -shm)."""
    try:
        store = sqlite_path(target)
    except DomainError:
        return False
    if store is None:
        return False
    for suffix in ("", *SIDE_FILES):
        try:
            if os.path.samefile(path, store + suffix):
                return True
        except OSError:
            continue
    return False


def _remove_new_file(path: str) -> None:
    for suffix in ("", *SIDE_FILES):
        try:
            os.remove(path + suffix)
        except OSError:
            pass


def create_store(target: str) -> pw.Database:
    """Make a new, empty store. Refused if one is already there, or if the target is not a
    place a store can be made (nothing is written then)."""
    t = _parse(target)
    new = t.path is not None and _make_private_file(target, t.path)
    try:
        db = _bind(_make(t), target)
        tables = db.get_tables()
        if tables:
            if Meta._meta.table_name in tables:
                raise DomainError(f"a store already exists at {display(target)}")
            raise _not_a_store(target, "the database has other tables; it was left alone")
        with db.atomic():
            db.create_tables(TABLES)
            for statement in EXTRA_INDEXES + SEARCH_INDEXES:
                db.execute_sql(statement)
            if isinstance(db, pw.SqliteDatabase):
                for statement in AUDIT_TRIGGERS:
                    db.execute_sql(statement)
            Meta.create(key="schema_version", value=str(SCHEMA_VERSION))
    except BaseException:
        if new:  # a refusal writes nothing: the file made above goes again
            close_store()
            _remove_new_file(t.path)
        raise
    return db


def _malformed(exc: Exception) -> bool:
    return "malformed" in str(exc)


def open_store(target: str) -> pw.Database:
    """Open an existing store, or refuse with a message that says why."""
    t = _parse(target)
    path = t.path
    if path is not None:
        if not Path(path).exists():
            raise DomainError(f"no store at {display(target)}: create one with 'opsconsole init'")
        _check_existing(target, path)
        if Path(path).stat().st_size == 0:
            raise DomainError(f"{display(target)} is empty: it is not an opsconsole store")
        try:
            is_store = _has_store_tables(path)
        except sqlite3.DatabaseError as exc:
            if _malformed(exc):
                raise _integrity_error(target, str(exc)) from None
            raise _not_a_store(target, _secret_free("", exc)) from None
        if not is_store:  # refused before anything opens it for writing
            raise _not_a_store(target)
    try:
        db = _bind(_make(t), target)
        if not Meta.table_exists():
            close_store()
            raise _not_a_store(target)
        row = Meta.get_or_none(Meta.key == "schema_version")
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        close_store()
        if _malformed(exc):
            raise _integrity_error(target, str(exc)) from None
        raise _not_a_store(target, _secret_free(target, exc)) from None
    version = int(row.value) if row else 0
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
    return db


def _integrity_error(name: str, problem: str, more: int = 0) -> DomainError:
    problem = problem.replace("*** in database main ***", "")
    problem = " ".join(_CONTROL.sub(" ", problem).split())
    extra = f" (and {more} more)" if more else ""
    return DomainError(f"{display(name)} fails SQLite's integrity check: {problem}{extra}; "
                       "restore it from a copy or a snapshot")


def check_integrity(db: pw.Database | None = None, name: str | None = None) -> None:
    """Refuse (DomainError) a SQLite store whose file is damaged: PRAGMA quick_check, which
    reads every page and checks its structure (not that indexes match their tables). Writes
    nothing. A server database checks itself; nothing to do there.

    Called before run-day, copy and snapshot save (R-INPUT-6), on the bound store by default."""
    db = db if db is not None else database.obj
    if not isinstance(db, pw.SqliteDatabase):
        return
    name = name or db.database
    try:
        rows = [row[0] for row in db.execute_sql("PRAGMA quick_check").fetchall()]
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        raise _integrity_error(name, str(exc)) from None
    if rows != ["ok"]:
        raise _integrity_error(name, str(rows[0]), len(rows) - 1)


def close_store() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()
