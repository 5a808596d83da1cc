"""What the benchmarks share: the engine, a cached bench store, copies of it, medians.

The engine is SQLite unless `--engine postgres` is given to a script (anywhere among its
arguments) or OPSCONSOLE_BENCH_ENGINE=postgres is set. On PostgreSQL the scripts start their own
server (pgserver, PostgreSQL 16, data in bench/.cache/pg, left running and reused by the next
run; `python bench/common.py stop` stops it), the bench store is built by make_store as a SQLite
file and moved onto the server with opsconsole's `copy` into a template database bench_N, and
each run works on a fresh copy of it (CREATE DATABASE ... TEMPLATE)."""

import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / ".cache"
ENGINES = ("sqlite", "postgres")


def _engine() -> str:
    """The engine named by --engine (taken out of sys.argv) or $OPSCONSOLE_BENCH_ENGINE."""
    engine = os.environ.get("OPSCONSOLE_BENCH_ENGINE") or "sqlite"
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--engine" and i + 1 < len(args):
            engine = args[i + 1]
            del sys.argv[i + 1:i + 3]
            break
        if arg.startswith("--engine="):
            engine = arg.split("=", 1)[1]
            del sys.argv[i + 1]
            break
    engine = {"postgresql": "postgres", "pg": "postgres"}.get(engine, engine)
    if engine not in ENGINES:
        sys.exit(f"unknown engine {engine!r}: sqlite or postgres")
    os.environ["OPSCONSOLE_BENCH_ENGINE"] = engine  # subprocesses (console.py) see the same
    return engine


ENGINE = _engine()
PG = ENGINE == "postgres"


def is_url(target) -> bool:
    return "://" in str(target)


# --- the PostgreSQL bench server ------------------------------------------------------------

_server = None


def pg_url(database: str = "postgres") -> str:
    """The bench server's URL for `database`, the server started (once) if it is not running."""
    global _server
    if _server is None:
        import warnings

        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver

        CACHE.mkdir(exist_ok=True)
        # cleanup_mode=None: left running when the script ends, for the next script to reuse
        _server = pgserver.get_server(CACHE / "pg", cleanup_mode=None)
    from urllib.parse import urlparse, urlunparse

    return urlunparse(urlparse(_server.get_uri())._replace(path="/" + database))


def admin(sql: str, params: tuple = ()) -> list[tuple]:
    """SQL on the server's maintenance database, outside any transaction."""
    import psycopg

    with psycopg.connect(pg_url(), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def pg_databases() -> set[str]:
    return {name for (name,) in admin("SELECT datname FROM pg_database")}


def db_name(name: str) -> str:
    """A database name for a cache file name: run-day-ours.db -> run_day_ours."""
    return re.sub(r"[^a-z0-9_]", "_", name.removesuffix(".db").lower())


def drop_database(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_database(name: str, template: str | None = None) -> str:
    """A new database (empty, or a copy of `template`) in place of any of that name."""
    drop_database(name)
    if template is None:
        admin(f'CREATE DATABASE "{name}"')
    else:  # FILE_COPY: files copied after a checkpoint, no gigabyte of WAL left to flush
        admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return pg_url(name)


def pg_copy(source: str, destination: str) -> float:
    """opsconsole's copy (store/copying.py, what `opsconsole copy SRC DST` runs) of a SQLite
    store into the empty database `destination`; seconds taken."""
    from opsconsole.store import db as store_db
    from opsconsole.store.copying import copy_store

    started = time.perf_counter()
    copy_store(source, destination)
    elapsed = time.perf_counter() - started
    store_db.close_store()
    return elapsed


def pg_fast_load(source: str, destination: str) -> float:
    """The floor for `copy` (pg_copy.py), and a quicker way to load a bench store
    (OPSCONSOLE_BENCH_PG_LOAD=fast): the store made by opsconsole's own
    create_store (the same schema, indexes and triggers), then every table's rows read from the
    SQLite file as they are stored and written with psycopg's COPY ... FROM STDIN (text format:
    PostgreSQL reads SQLite's ISO dates and 0/1 booleans itself), in one transaction, the id
    sequences moved on as copy moves them. Seconds taken."""
    import sqlite3

    import peewee as pw
    import psycopg

    from opsconsole.store import db as store_db
    from opsconsole.store.models import TABLES, Meta

    started = time.perf_counter()
    store_db.create_store(destination)
    store_db.close_store()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    with psycopg.connect(destination) as conn, conn.cursor() as cursor:
        for model in TABLES:
            table = model._meta.table_name
            columns = ", ".join(f'"{f.column_name}"' for f in model._meta.sorted_fields)
            pk = model._meta.primary_key.column_name
            rows = src.execute(f'SELECT {columns} FROM "{table}" ORDER BY "{pk}"')
            if model is Meta:  # the new store has its own schema_version row
                rows = [r for r in rows if r[0] != "schema_version"]
            with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as out:
                for row in rows:
                    out.write_row(row)
            if isinstance(model._meta.primary_key, pw.AutoField):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                               f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1, false)',
                               (f'"{table}"', pk))
    src.close()
    return time.perf_counter() - started


def _pg_store(n: int) -> str:
    """The template database bench_N: the SQLite bench store copied in by opsconsole's copy
    (or, with OPSCONSOLE_BENCH_PG_LOAD=fast, by pg_fast_load), vacuumed and analysed (as
    make_store analyses the file), kept on the server. How long it took, and how, goes to
    bench/.cache/copy-N.json."""
    name = f"bench_{n}"
    if name not in pg_databases():
        source = store(n, "sqlite")
        building = f"{name}_building"
        url = new_database(building)
        how = os.environ.get("OPSCONSOLE_BENCH_PG_LOAD", "copy")
        if how not in ("copy", "fast"):
            sys.exit(f"OPSCONSOLE_BENCH_PG_LOAD={how!r}: copy or fast")
        seconds = (pg_fast_load if how == "fast" else pg_copy)(str(source), url)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        admin(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        (CACHE / f"copy-{n}.json").write_text(json.dumps(
            {"subscriptions": n, "copy_seconds": round(seconds, 1), "by": how}))
    return pg_url(name)


def stop_server() -> None:
    """Stop the bench server (pg_ctl stop on bench/.cache/pg), if it runs."""
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from pgserver import pg_ctl

    data = CACHE / "pg"
    if (data / "postmaster.pid").exists():
        pg_ctl(["-w", "stop"], pgdata=data, user="pgserver" if os.geteuid() == 0 else None)


# --- stores -----------------------------------------------------------------------------------

def store(n: int, engine: str | None = None):
    """A bench store of n subscriptions, built once and kept: a file in bench/.cache, or on
    PostgreSQL the URL of the template database it was copied into."""
    from make_store import build

    if (engine or ENGINE) == "postgres":
        return _pg_store(n)
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"store-{n}.db"
    if not path.exists():
        build(n, path)
    return path


def copy(source, name: str):
    """A fresh copy of a bench store to work on: a file, or a database made from the template."""
    if is_url(source):
        from urllib.parse import urlparse

        return new_database(db_name(name), template=urlparse(source).path.lstrip("/"))
    target = CACHE / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    return target


def empty(name: str):
    """Where a new store can be made: a file path (nothing there), or a new empty database."""
    if PG:
        return new_database(db_name(name))
    for suffix in ("", "-wal", "-shm"):
        (CACHE / f"{name}{suffix}").unlink(missing_ok=True)
    return CACHE / name


def engine_info(engine: str | None = None) -> dict:
    """What the figures were measured on."""
    if (engine or ENGINE) != "postgres":
        import sqlite3

        return {"engine": "sqlite", "version": sqlite3.sqlite_version}
    return {"engine": "postgres", "version": admin("SHOW server_version")[0][0]}


def median(values: list[float]) -> float:
    return statistics.median(values)


def money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def payload(**v) -> str:
    """A subscription as JSON with the keys of the payload opsconsole writes on every event, as
    a hand-written script would make it: what the floors write, so they write the same rows."""
    return json.dumps({
        "id": v["id"], "reference_id": v.get("reference_id"), "state": v["state"],
        "product": v["product"], "quantity": v["quantity"], "currency": v["currency"],
        "price": money(v["price"]), "amount": money(v["price"] * v["quantity"]),
        "interval": v["interval"], "interval_length": v["interval_length"],
        "begin_date": v.get("begin_date"), "next_charge_date": v.get("next_charge_date"),
        "end_date": v.get("end_date"), "trial_end_date": v.get("trial_end_date"),
        "cancel_date": v.get("cancel_date"), "pause_date": v.get("pause_date"),
        "resume_date": v.get("resume_date"), "manual_renew": bool(v.get("manual_renew")),
        "payment_method": {"last4": v["last4"], "expiry": v["expiry"]} if v.get("last4")
        else None,
        "discount": None, "addons": [], "repeat_trial": False,
        "customer": {"email": v["email"], "first": v["first"],
                                       "last": v["last"]},
        "overdue_since": v.get("overdue_since"), "last_prorated": v.get("last_prorated")})


def private_mb() -> int:
    """Memory this process holds itself (anonymous pages), apart from the store file's pages
    SQLite reads through mmap, which the OS shares and drops at will but which count in RSS."""
    with open("/proc/self/smaps_rollup") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["Anonymous"].split()[0]) // 1024


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop_server()
    else:
        sys.exit("python bench/common.py stop   (stops the PostgreSQL bench server)")
