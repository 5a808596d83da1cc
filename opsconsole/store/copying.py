"""`copy SRC DST` (R-DB-4): a whole store into an empty one, on either engine.

Every table, row for row with the same ids, the clock and the settings. The source is read in
one transaction, so the copy is the store at one moment even while others use it (their
writes wait for it, as for any writer), and the destination is written in one transaction,
so a copy that fails part-way leaves an empty store, never half of one."""

import os
from collections.abc import Callable

import peewee as pw

from ..errors import DomainError
from . import db as store_db, engine, files
from .models import TABLES, Meta
from .rows import mistyped

CHUNK = 5000  # rows read and written at a time: memory stays flat on a store of millions


def _chunks(src: pw.Database, model: type[pw.Model]):
    """The table's rows in primary-key order, CHUNK at a time, as each engine's driver gives
    them. Plain SQL and executemany: peewee's per-value conversion would make a store of
    millions take a quarter of an hour."""
    meta = model._meta
    columns = ", ".join(f'"{f.column_name}"' for f in meta.sorted_fields)
    pk = meta.primary_key.column_name
    at = meta.sorted_fields.index(meta.primary_key)
    flags = [i for i, f in enumerate(meta.sorted_fields) if isinstance(f, pw.BooleanField)]
    read = f'SELECT {columns} FROM "{meta.table_name}" %s ORDER BY "{pk}" LIMIT {CHUNK}'
    rows = src.execute_sql(read % "").fetchall()
    while rows:
        if flags:  # SQLite keeps 0 and 1; PostgreSQL takes only a boolean
            rows = [list(r) for r in rows]
            for row in rows:
                for i in flags:
                    row[i] = None if row[i] is None else bool(row[i])
        yield rows
        rows = src.execute_sql(read % f'WHERE "{pk}" > {src.param}', (rows[-1][at],)).fetchall()


def _insert_sql(db: pw.Database, model: type[pw.Model]) -> str:
    meta = model._meta
    return (f'INSERT INTO "{meta.table_name}" ('
            + ", ".join(f'"{f.column_name}"' for f in meta.sorted_fields) + ") VALUES ("
            + ", ".join([db.param] * len(meta.sorted_fields)) + ")")


def copy_store(source: str, destination: str,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Copy SOURCE into a new store at DESTINATION. Refused, with nothing written, when the
    source is not a store (or fails its integrity check) or the destination is not empty."""
    src = store_db.open_store(source)
    store_db.check_integrity(src, source)
    damaged = mistyped(src, TABLES)
    if damaged:  # a copy would carry them on, or read a flag of 'no' as true
        src.close()
        raise DomainError(f"{store_db.display(source)} cannot be copied: it holds values it "
                          f"cannot read ({'; '.join(damaged)}); correct the rows, or restore a "
                          "snapshot, first; nothing was copied")
    with src.bind_ctx(TABLES, bind_refs=False, bind_backrefs=False):
        totals = {m._meta.table_name: m.select().count() for m in TABLES}
    target = store_db.parse(destination)
    new_file = target.is_sqlite and not os.path.exists(target.path)
    dst = store_db.create_store(destination)  # the proxy now names the destination
    counts: dict[str, int] = {}
    done, total = 0, sum(totals.values())
    try:
        with src.atomic(), dst.atomic():
            existing_meta = {key for (key,) in Meta.select(Meta.key).tuples()}
            for model in TABLES:
                copied, insert = 0, _insert_sql(dst, model)
                for rows in _chunks(src, model):
                    if model is Meta:  # the destination has its own schema_version already
                        rows = [r for r in rows if r[0] not in existing_meta]
                    if rows:
                        with pw.__exception_wrapper__:  # the driver's errors as peewee's
                            dst.cursor().executemany(insert, rows)
                    copied += len(rows)
                    done += len(rows)
                    if progress:
                        progress(done, total)
                counts[model._meta.table_name] = copied
            engine.reset_sequences(dst, TABLES)
    except pw.IntegrityError as exc:
        # a row naming one the source does not have (a store file written to by hand): the
        # destination's transaction is rolled back; a file made here goes again
        store_db.close_store()
        if new_file:
            files.remove_new_file(target.path)
        text = " ".join(store_db.secret_free(destination, str(exc)).split())
        raise DomainError(f"{store_db.display(source)} cannot be copied: a row of its "
                          f"{model._meta.table_name} table breaks a rule of the store ({text}); "
                          "nothing was copied") from None
    finally:
        if not src.is_closed():
            src.close()
    return counts

