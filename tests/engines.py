"""The two engines every rule is tested on: a SQLite file, and a PostgreSQL database on a
throwaway server the tests start themselves (pgserver: a real PostgreSQL 16), or on the one
OPSCONSOLE_TEST_PG names. OPSCONSOLE_TEST_ENGINES=sqlite (or postgres) runs one of them only."""

import atexit
import itertools
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ENGINES = [e for e in os.environ.get("OPSCONSOLE_TEST_ENGINES", "sqlite,postgres").split(",")
           if e]

_server = None
_base_url: str | None = None
_names = itertools.count(1)


def _start() -> str:
    """The server's URL (its maintenance database), started once per test process."""
    global _server, _base_url
    if _base_url is None:
        given = os.environ.get("OPSCONSOLE_TEST_PG")
        if given:
            _base_url = given
        else:
            import pgserver

            folder = tempfile.mkdtemp(prefix="opsconsole-pg-")
            _server = pgserver.get_server(folder, cleanup_mode="delete")
            _base_url = _server.get_uri()
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return _base_url


def stop() -> None:
    """Stop the server this process started, and delete its files. Called when the test
    session ends. Left to atexit, the folder's removal (registered last, so run first) took
    the file pgserver counts its users in, pgserver then saw no user of its own and did not
    stop the server: every test process left a postgres running on deleted files."""
    global _server, _base_url
    if _server is not None:
        _server.cleanup()
        _server, _base_url = None, None


def _with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_start(), autocommit=True) as conn:
        conn.execute(sql)


def new_database(template: str | None = None) -> str:
    """A new, empty database (or a copy of `template`'s database) on the test server."""
    name = f"t{os.getpid()}_{next(_names)}"
    if template is None:
        _admin(f'CREATE DATABASE "{name}"')
    else:
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{database_name(template)}"')
    return _with_database(_start(), name)


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def target(engine: str, folder: Path, name: str = "store") -> str:
    """Where a test's store lives: a file in its folder, or a new database."""
    if engine == "sqlite":
        return str(folder / f"{name}.db")
    return new_database()


def is_sqlite(target_: str) -> bool:
    return "://" not in str(target_)


def copy(source: str, folder: Path, name: str) -> str:
    """A copy of a closed store: the file, or a database made from it as a template."""
    if is_sqlite(source):
        dest = folder / f"{name}.db"
        shutil.copy(source, dest)
        return str(dest)
    return new_database(template=source)


def execute(target_: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Run SQL on a store behind opsconsole's back (to break a row, or to look at one).
    `?` placeholders on both engines."""
    if is_sqlite(target_):
        with sqlite3.connect(target_) as conn:
            rows = conn.execute(sql, params).fetchall()
        conn.close()
        return rows
    import psycopg

    with psycopg.connect(str(target_), autocommit=True) as conn:
        cursor = conn.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def drop_database(url: str) -> None:
    """Drop a database new_database made (any connection left on it is ended first)."""
    _admin(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
