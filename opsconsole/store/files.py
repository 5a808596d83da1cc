"""The files a SQLite store is, and the files opsconsole writes beside it (R-INPUT-6): a folder,
a file that is not SQLite or a SQLite file of another program is refused before anything opens
it for writing, and every file made here is readable by its owner only, whatever the umask
(SQLite gives its -wal and -shm files the main file's mode)."""

import os
import sqlite3
from pathlib import Path

from ..errors import DomainError
from ..text import has_control
from .models import Meta
from .target import display, secret_free, sqlite_path

PRIVATE = 0o600  # every file opsconsole writes: the owner reads and writes, nobody else
SIDE_FILES = ("-wal", "-shm", "-journal")
BUSY_SECONDS = 10  # how long a reader of the file waits for a writer


def not_a_store(target: str, why: str = "") -> DomainError:
    return DomainError(f"{display(target)} is not an opsconsole store"
                       + (f" ({why})" if why else ""))


def has_store_tables(path: str) -> bool:
    """Whether an existing SQLite file holds opsconsole's tables. A plain connection that only
    reads: no pragma is set, so a file of another program is never turned to WAL or changed."""
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS)
    try:
        row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (Meta._meta.table_name,)).fetchone()
        return row is not None
    finally:
        conn.close()


def check_existing(target: str, path: str) -> None:
    """Refuse to use a path that is a folder or not a regular file. Whether it is SQLite is
    asked of SQLite (has_store_tables), never read with open(): POSIX file locks belong to the
    process, and closing any descriptor of the file drops them all, those of a connection this
    process already holds included (another process could then take the store for its own
    and remove the WAL under that connection)."""
    p = Path(path)
    if p.is_dir():
        raise not_a_store(target, "it is a folder")
    if p.exists() and not p.is_file():
        raise not_a_store(target, "it is not a regular file")


def not_sqlite(exc: sqlite3.DatabaseError) -> bool:
    """SQLite's refusal of a file that is not SQLite at all."""
    return "file is not a database" in str(exc)


def make_private_file(target: str, path: str) -> bool:
    """The store's file, empty and owner-only, before SQLite opens it. True when it is new."""
    p = Path(path)
    check_existing(target, path)
    if p.exists() and p.stat().st_size > 0:
        try:
            is_store = has_store_tables(path)
        except sqlite3.DatabaseError as exc:
            raise not_a_store(target, "not a SQLite file" if not_sqlite(exc)
                              else secret_free("", exc)) from None
        if is_store:
            raise DomainError(f"a store already exists at {display(target)}")
        raise not_a_store(target, "a SQLite file with other tables; it was left alone")
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


def private_file(path: str, what: str = "file", shown: str | None = None):
    """Open `path` for writing (text, UTF-8), readable by its owner only whatever the umask,
    and emptied only once it is known to be writable. For snapshots and export files. A
    refusal names `shown` (the file the caller was asked for) where `path` stands in for it."""
    display_path = display(path if shown is None else shown)
    if not path.strip():
        raise DomainError(f"no {what} given: the path is empty")
    if has_control(path):
        raise DomainError(f"the {what} path holds a control character")
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE)
    except OSError as exc:
        raise DomainError(f"cannot write the {what} {display_path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE)
        os.ftruncate(fd, 0)
    except OSError as exc:
        os.close(fd)
        raise DomainError(f"cannot write the {what} {display_path}: {exc.strerror}") from None
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


def remove_new_file(path: str) -> None:
    for suffix in ("", *SIDE_FILES):
        try:
            os.remove(path + suffix)
        except OSError:
            pass
